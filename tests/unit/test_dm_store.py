"""The direct-message store keeps what is unconfirmed across reopenings and reports each id once."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from zp2p_gui import dm_store
from zp2p_gui.core.validation import ValidationError
from zp2p_gui.dm_store import SCHEMA_VERSION, STORE_FILE, DmStore, Outgoing


def dm(id_: str, key: str = "K1", text: str = "hi") -> Outgoing:
    return Outgoing(id_, key, "bob", "dm", text, 1.0)


def test_pending_survives_a_reopen_until_confirmed(tmp_path: Path) -> None:
    store = DmStore.open(tmp_path)
    store.add(dm("a"))
    store.add(dm("b"))
    store.add(Outgoing("r", "K2", "cy", "dm_read", '["x", "y"]', 2.0))
    store.close()
    store = DmStore.open(tmp_path)
    assert [o.id for o in store.pending()] == ["a", "b", "r"]
    assert store.pending()[2].ids == ["x", "y"]
    assert store.pending_count("K1") == 2
    assert [o.id for o in store.confirm("K1", ["a", "zzz"])] == ["a"]
    assert store.confirm("K1", ["a"]) == []  # a second confirmation is not news
    assert store.confirm("K2", ["b"]) == []  # only the recipient's key confirms
    assert [o.id for o in store.pending()] == ["b", "r"]


def test_each_received_id_is_new_once_even_after_reopen(tmp_path: Path) -> None:
    store = DmStore.open(tmp_path)
    assert store.first_sight("m1", "K1")
    assert not store.first_sight("m1", "K1")
    store.close()
    store = DmStore.open(tmp_path)
    assert not store.first_sight("m1", "K1")
    assert store.received_from("K1", ["m1", "m2"]) == ["m1"]
    assert store.received_from("K2", ["m1"]) == []


def test_read_marks_are_news_once_and_only_from_the_recipient(tmp_path: Path) -> None:
    store = DmStore.open(tmp_path)
    store.add(dm("a"))
    assert store.read("K2", ["a"]) == []
    assert [o.id for o in store.read("K1", ["a"])] == ["a"]
    assert store.read("K1", ["a"]) == []
    assert store.pending() == []  # read implies delivered


def test_nick_keeps_its_first_key(tmp_path: Path) -> None:
    store = DmStore.open(tmp_path)
    assert store.key_for("Bob") is None
    store.remember("K1", "Bob")
    store.remember("K2", "bob")
    assert store.key_for("BOB") == "K1"
    assert store.nick_for("K2") == "bob"
    assert store.nick_for("K3") == ""


def test_strangers_are_forgotten_oldest_first_and_contacts_never(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """All day in a room where someone keeps joining with new identities: the store keeps the
    strangers seen last and everyone who traded a direct message with us, not every key ever seen."""
    monkeypatch.setattr(dm_store, "KEEP_STRANGERS", 3)
    monkeypatch.setattr(dm_store, "PRUNE_EVERY", 7)
    store = DmStore.open(tmp_path)
    store.remember("ALICE", "alice")
    store.remember("CAROL", "carol")
    store.add(dm("1" * 32, key="ALICE"))  # we wrote to alice
    assert store.first_sight("2" * 32, "CAROL")  # carol wrote to us
    for n in range(10):
        store.remember(f"K{n}", f"stranger{n}")
    store.remember("K0", "stranger0")  # seen again: now among the last seen
    store.remember("K10", "stranger10")  # the 14th remembered: the second pruning
    kept = {f"stranger{n}" for n in range(11) if store.key_for(f"stranger{n}")}
    assert kept == {"stranger0", "stranger9", "stranger10"}
    assert store.nick_for("K5") == ""
    assert (store.key_for("alice"), store.key_for("carol")) == ("ALICE", "CAROL")
    store.remember("MALLORY", "alice")  # a contact's nick keeps its key
    store.remember("K11", "stranger5")  # a forgotten stranger's nick is free again
    assert (store.key_for("alice"), store.key_for("stranger5")) == ("ALICE", "K11")
    store.close()
    for n in range(12, 20):
        store = DmStore.open(tmp_path)  # each opening prunes too
        store.remember(f"K{n}", f"stranger{n}")
        store.close()
    with closing(sqlite3.connect(tmp_path / STORE_FILE)) as db:
        rows = db.execute("SELECT COUNT(*) FROM peers").fetchone()[0]
    assert rows <= 2 + 3 + 1  # the contacts, the strangers kept, the one remembered since


def test_new_identities_writing_all_day_stay_bounded_without_a_restart(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Each identity joins, writes one DM and leaves: its id seen makes it a contact, so the ids
    seen must be pruned while the node runs (they were only at open), and with them the rows
    that their being contacts kept."""
    monkeypatch.setattr(dm_store, "KEEP_SEEN", 5)
    monkeypatch.setattr(dm_store, "KEEP_STRANGERS", 3)
    monkeypatch.setattr(dm_store, "PRUNE_EVERY", 4)
    store = DmStore.open(tmp_path)
    for n in range(40):
        store.remember(f"K{n}", f"writer{n}")
        assert store.first_sight(f"{n:032x}", f"K{n}")
    counts = [store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in ("seen", "nicks", "peers")]
    assert counts[0] <= 5 + 4 and max(counts[1:]) <= 5 + 4 + 3  # bounds, plus what came since the last pruning
    assert store.first_sight(f"{39:032x}", "K39") is False  # the newest are still recognised
    store.close()


def test_read_receipts_wait_one_per_key_and_the_oldest_go_past_the_bound(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dm_store, "RECEIPTS_WAITING", 3)
    store = DmStore.open(tmp_path)

    def receipt(n: int, key: str, ids: list[str]) -> Outgoing:
        return Outgoing(f"r{n}", key, "nick", "dm_read", json.dumps(ids), float(n))

    kept, replaced = store.add_receipt(receipt(1, "K1", ["a", "b"]), max_ids=3)
    assert replaced == [] and kept.ids == ["a", "b"]
    kept, replaced = store.add_receipt(receipt(2, "K1", ["b", "c", "d"]), max_ids=3)
    assert replaced == ["r1"] and kept.ids == ["b", "c", "d"]  # merged, repeats once, the newest max_ids
    for n, key in enumerate(("K2", "K3", "K4"), 3):
        store.add_receipt(receipt(n, key, ["x"]), max_ids=3)
    assert [item.key for item in store.pending()] == ["K2", "K3", "K4"]  # K1's, the oldest, went
    store.close()


def test_schema_version_and_wal(tmp_path: Path) -> None:
    DmStore.open(tmp_path).close()
    db = sqlite3.connect(tmp_path / STORE_FILE)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(ValidationError) as err:
        DmStore.open(tmp_path)
    assert err.value.code == "bad_data_dir"


def test_unusable_folder_is_bad_data_dir(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValidationError) as err:
        DmStore.open(tmp_path / "file")
    assert err.value.code == "bad_data_dir"
