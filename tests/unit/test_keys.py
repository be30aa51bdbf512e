"""Room keys, identities and known keys: the crypto rules without sockets."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
import zmq

from zp2p_gui.core import crypto
from zp2p_gui.core.events import Member
from zp2p_gui.core.validation import ValidationError
from zp2p_gui.identity import IDENTITY_FILE, SAVE_EVERY_S, Identity, KnownKeys

PASSPHRASE = "correct horse battery staple"
CHEAP = 2**10  # the properties hold for any cost; the real one is measured once below


def derive(passphrase: str, room: str) -> crypto.RoomKeys:
    return crypto.derive_room_keys(passphrase, room, n=CHEAP)


def test_room_keys_depend_on_passphrase_and_room_and_hide_the_secret() -> None:
    a = derive(PASSPHRASE, "lobby")
    assert a == derive(PASSPHRASE, "lobby")
    assert a.room_id != derive(PASSPHRASE, "other").room_id
    assert a.room_id != derive(PASSPHRASE + "!", "lobby").room_id
    assert zmq.curve_public(a.server_secret) == a.server_public
    assert a.server_secret.decode() not in repr(a)
    assert derive("caf\u00e9", "r") == derive("cafe\u0301", "r")  # NFC
    with pytest.raises(ValidationError):
        derive("", "lobby")
    assert a != crypto.derive_room_keys(PASSPHRASE, "lobby", n=2 * CHEAP)  # the cost is part of the key


def test_kdf_cost_is_what_security_md_promises() -> None:
    """An offline guesser pays this per guess: n=2**17, r=8 is 128 MiB and about half a second here
    (docs/security.md has the measurement; timings belong in measurements, not unit tests)."""
    assert crypto.KDF_N >= 2**17 and crypto.KDF_R >= 8


def test_a_private_beacon_is_ours_by_room_id_and_an_open_one_by_name() -> None:
    private = {"secure": True, "room_id": "abc", "room": ""}
    assert crypto.beacon_is_ours(private, "r", "abc")
    assert not crypto.beacon_is_ours(private, "r", "xyz")  # a wrong passphrase: someone else's room
    assert not crypto.beacon_is_ours(private, "r", None)  # no passphrase: cannot tell, so not ours
    open_room = {"secure": False, "room_id": "r", "room": "r"}
    assert crypto.beacon_is_ours(open_room, "r", None) and crypto.beacon_is_ours(open_room, "r", "abc")
    assert not crypto.beacon_is_ours(open_room, "other", None)


def test_beacon_refusals() -> None:
    assert crypto.beacon_refusal({"secure": True, "room_id": "abc"}, "r", "abc") is None
    assert crypto.beacon_refusal({"secure": False, "room_id": "r"}, "r", "abc")[0] == "room_not_private"
    assert crypto.beacon_refusal({"secure": False, "room_id": "r"}, "r", None) is None


def test_identity_is_private_persistent_and_shared_by_racing_starts(tmp_path: Path) -> None:
    results: list[Identity] = []
    threads = [threading.Thread(target=lambda: results.append(Identity.load(tmp_path))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({r.public for r in results}) == 1
    assert (tmp_path / IDENTITY_FILE).stat().st_mode & 0o777 == 0o600
    assert Identity.load(tmp_path) == results[0]
    (tmp_path / IDENTITY_FILE).write_text("garbage", encoding="utf-8")
    with pytest.raises(ValidationError, match="cannot read the identity key"):
        Identity.load(tmp_path)


def test_known_keys_flag_a_changed_key_once(tmp_path: Path) -> None:
    def member(nick: str, key: str) -> Member:
        return Member(node_id=nick, nick=nick, addr="127.0.0.1", host=False, joined=0.0, key=key)

    known = KnownKeys(tmp_path / "known.json")
    assert known.observe([member("Bob", "k1")]) == []
    assert KnownKeys(tmp_path / "known.json").observe([member("bob", "k2")]) == [("bob", "k1", "k2")]
    assert KnownKeys(tmp_path / "known.json").observe([member("bob", "k2")]) == []
    assert known.observe([member("nokey", "")]) == []


def test_a_version_1_identity_is_set_aside_for_a_new_signing_one(tmp_path: Path) -> None:
    """Before signing, identity.key held a CURVE secret, which cannot sign: the node starts with a
    new identity (others see nick_key_changed once) and keeps the old file, never crashing on it."""
    old = '{"v": 1, "secret": "' + zmq.curve_keypair()[1].decode() + '"}\n'
    (tmp_path / IDENTITY_FILE).write_text(old, encoding="utf-8")
    identity = Identity.load(tmp_path)
    assert (tmp_path / (IDENTITY_FILE + ".v1")).read_text(encoding="utf-8") == old
    assert Identity.load(tmp_path) == identity and len(identity.key) == 40
    assert zmq.curve_public(identity.secret) == identity.public  # the derived CURVE pair matches


def test_known_keys_are_written_at_most_every_few_seconds_and_at_the_end(tmp_path: Path) -> None:
    """Someone joining under a new nick every second fills the table; the whole file was written
    on each change. Now a change is written at once only if the last write is SAVE_EVERY_S old,
    the rest by a later save or by flush."""
    clock = [100.0]
    path = tmp_path / "known.json"
    known = KnownKeys(path, clock=lambda: clock[0])
    for n in range(20):
        known.observe([Member(node_id=f"n{n}", nick=f"new{n}", addr="127.0.0.1", host=False, joined=0.0, key=f"k{n}")])
        clock[0] += 0.1
    assert list(json.loads(path.read_text(encoding="utf-8"))) == ["new0"]  # the first at once, the rest wait
    known.save()
    assert len(json.loads(path.read_text(encoding="utf-8"))) == 1
    clock[0] += SAVE_EVERY_S
    known.save()
    assert len(json.loads(path.read_text(encoding="utf-8"))) == 20
    known.observe([Member(node_id="last", nick="last", addr="127.0.0.1", host=False, joined=0.0, key="kl")])
    known.flush()
    assert "last" in json.loads(path.read_text(encoding="utf-8"))
