"""Room keys, identities and known keys: the crypto rules without sockets."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
import zmq

from zp2p_gui.core import crypto
from zp2p_gui.core.events import Member
from zp2p_gui.core.validation import ValidationError
from zp2p_gui.identity import IDENTITY_FILE, Identity, KnownKeys

PASSPHRASE = "correct horse battery staple"


def test_room_keys_depend_on_passphrase_and_room_and_hide_the_secret() -> None:
    a = crypto.derive_room_keys(PASSPHRASE, "lobby")
    assert a == crypto.derive_room_keys(PASSPHRASE, "lobby")
    assert a.room_id != crypto.derive_room_keys(PASSPHRASE, "other").room_id
    assert a.room_id != crypto.derive_room_keys(PASSPHRASE + "!", "lobby").room_id
    assert zmq.curve_public(a.server_secret) == a.server_public
    assert a.server_secret.decode() not in repr(a)
    assert crypto.derive_room_keys("caf\u00e9", "r") == crypto.derive_room_keys("cafe\u0301", "r")  # NFC
    with pytest.raises(ValidationError):
        crypto.derive_room_keys("", "lobby")


def test_kdf_cost_is_measured() -> None:
    start_t = time.perf_counter()
    crypto.derive_room_keys("measure me", "lobby")
    cost = time.perf_counter() - start_t
    print(f"\nscrypt n=2**{crypto.KDF_N.bit_length() - 1} r={crypto.KDF_R}: {cost * 1000:.0f} ms")
    assert 0.005 < cost < 2.0


def test_beacon_refusals() -> None:
    desc = {"secure": True, "room_id": "abc"}
    assert crypto.beacon_refusal(desc, "r", "abc") is None
    assert crypto.beacon_refusal(desc, "r", "xyz")[0] == "wrong_passphrase"
    assert crypto.beacon_refusal(desc, "r", None)[0] == "passphrase_required"
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
