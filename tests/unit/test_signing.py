"""Signed chats and registration proofs (core/signing.py): what a host or an outsider changes,
copies or replays must fail to verify. No sockets."""

from __future__ import annotations

import time
from typing import Any

import pytest
import zmq
from zmq.utils import z85

from zp2p_gui.core import signing
from zp2p_gui.core.sodium import SigningKey
from zp2p_gui.core.validation import ValidationError

ROOM, HOST, ADDR = "lobby", "127.0.0.1", "127.0.0.2"
ALICE, MALLORY = SigningKey.generate(), SigningKey.generate()
ALICE_KEY = signing.key_text(ALICE.public)
ALICE_ID = signing.new_node_id(ALICE_KEY)


def alice_chat(seq: int = 1, text: str = "yes") -> dict[str, Any]:
    sig = signing.Sealer(ALICE, ROOM, ALICE_ID, "alice").sign(seq, text)
    return {"sender": ALICE_ID, "nick": "alice", "addr": ADDR, "seq": seq, "text": text, "ts": 1.0,
            "key": ALICE_KEY, "sig": sig}


def alice_register(addr: str = ADDR, host: str = HOST) -> dict[str, Any]:
    return {"node_id": ALICE_ID, "nick": "alice", "room": ROOM, "proto": 1, "key": ALICE_KEY,
            "proof": signing.sign_registration(ALICE, ROOM, host, ALICE_ID, "alice", addr)}


def test_node_ids_are_bound_to_the_key_and_differ_per_run() -> None:
    again = signing.new_node_id(ALICE_KEY)
    assert again != ALICE_ID and again[:16] == ALICE_ID[:16] and len(again) == 24
    assert signing.owns(ALICE_KEY, ALICE_ID) and signing.owns(ALICE_KEY, again)
    mallory_key = signing.key_text(MALLORY.public)
    assert not signing.owns(mallory_key, ALICE_ID)
    assert not signing.owns(ALICE_KEY, ALICE_ID + "0") and not signing.owns(ALICE_KEY, ALICE_ID[:16])
    assert not signing.owns("not a key", ALICE_ID)


def test_a_signed_chat_verifies() -> None:
    assert signing.chat_authentic(alice_chat(), ROOM)


@pytest.mark.parametrize("field,value", [
    ("text", "NO"), ("seq", 2), ("nick", "alicia"), ("sender", ALICE_ID[:16] + "00000000"),
    ("key", signing.key_text(MALLORY.public)), ("sig", "0" * 88), ("sig", "\u00e9" * 88), ("key", ""),
])
def test_changing_any_signed_field_breaks_the_chat(field: str, value: Any) -> None:
    assert not signing.chat_authentic({**alice_chat(), field: value}, ROOM)


def test_the_host_stamped_fields_are_not_signed() -> None:
    """ts and addr are the host's own words (its clock, its view of the address)."""
    assert signing.chat_authentic({**alice_chat(), "ts": 99.0, "addr": "127.0.0.9"}, ROOM)


def test_a_chat_does_not_verify_in_another_room_or_under_anothers_key() -> None:
    assert not signing.chat_authentic(alice_chat(), "other room")
    mallory_key = signing.key_text(MALLORY.public)
    mallory_id = signing.new_node_id(mallory_key)
    forged = {**alice_chat(), "key": mallory_key,  # mallory signs with her key, claims alice's id
              "sig": signing.sign_chat(MALLORY, ROOM, ALICE_ID, "alice", 1, "yes")}
    assert not signing.chat_authentic(forged, ROOM)
    own = {**forged, "sender": mallory_id, "sig": signing.sign_chat(MALLORY, ROOM, mallory_id, "alice", 1, "yes")}
    assert signing.chat_authentic(own, ROOM)  # her own id: valid, and the nick check is the roster's (conversation)


def test_a_registration_proof_holds_only_for_its_host_and_address() -> None:
    req = alice_register()
    assert signing.registration_proven(req, ROOM, HOST, ADDR)
    assert not signing.registration_proven(req, ROOM, HOST, "127.0.0.66")  # replayed from another address
    assert not signing.registration_proven(req, ROOM, "127.0.0.5", ADDR)  # replayed to another host
    assert not signing.registration_proven(req, "other", HOST, ADDR)
    for field, value in (("nick", "alicia"), ("node_id", signing.new_node_id(ALICE_KEY)), ("proof", "0" * 88)):
        assert not signing.registration_proven({**req, field: value}, ROOM, HOST, ADDR), field


def test_a_copied_public_key_is_worthless() -> None:
    """An outsider with alice's public key, a node id bound to it, and its own secret."""
    stolen = {**alice_register(), "proof": signing.sign_registration(MALLORY, ROOM, HOST, ALICE_ID, "alice", ADDR)}
    assert not signing.registration_proven(stolen, ROOM, HOST, ADDR)


def test_keys_are_checked_and_have_a_curve_form() -> None:
    for bad in ("", "short", "~" * 40, "\u00e9" * 40):
        with pytest.raises(ValidationError):
            signing.public_key(bad)
    curve_secret = z85.encode(ALICE.curve_secret())
    assert zmq.curve_public(curve_secret).decode() == signing.curve_public(ALICE_KEY)


def test_sign_and_verify_cost_is_measured() -> None:
    """Printed, not asserted: timings belong in the benchmark (`-s` shows them). CPU time of this
    thread, so other processes on a shared machine do not inflate it."""
    sealer, count, text = signing.Sealer(ALICE, ROOM, ALICE_ID, "alice"), 500, "x" * 100
    start = time.thread_time()
    sigs = [sealer.sign(seq, text) for seq in range(1, count + 1)]
    signed = time.thread_time()
    chats = [{**alice_chat(), "seq": seq, "text": text, "sig": sig} for seq, sig in enumerate(sigs, start=1)]
    checking = time.thread_time()
    assert all(signing.chat_authentic(chat, ROOM) for chat in chats)
    checked = time.thread_time()
    print(f"\nEd25519 per 100-character message (CPU): sign {(signed - start) / count * 1e6:.0f} µs, "
          f"check {(checked - checking) / count * 1e6:.0f} µs")


@pytest.mark.parametrize("mangle", [
    lambda sig: sig + "!!",  # characters outside base64: a lenient decoder skips them
    lambda sig: sig[:40] + "\n" + sig[40:],
    lambda sig: sig + "AAAA",  # data after the padding
])
def test_a_signature_is_read_as_strict_base64(mangle: Any) -> None:
    """The right signature wrapped in what a lenient base64 decoder ignores is not the signature."""
    chat = alice_chat()
    assert not signing.chat_authentic({**chat, "sig": mangle(chat["sig"])}, ROOM)
