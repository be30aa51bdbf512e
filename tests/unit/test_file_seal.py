"""The file data path's seal (core/file_seal.py): only the other side of the same transfer, in
order and untouched, opens; a nonce never repeats under a key."""

from __future__ import annotations

import os

import pytest

from zp2p_gui.core.file_seal import (CHUNK_KIND, GET, HEADER_BYTES, MAC_BYTES, MAX_SALTS, Header, Seal, SealError,
                                     new_key, parse, peek_tag, tag_of)

DATA = os.urandom(100_000)


def pair(key: bytes | None = None, id: str = "t" * 32) -> tuple[Seal, Seal]:
    """(sender, recipient) of one transfer."""
    key = key or new_key()
    return Seal(key, id, CHUNK_KIND), Seal(key, id, GET)


def test_a_chunk_opens_at_the_recipient_as_it_was_sealed():
    sender, recipient = pair()
    raw, sealed = sender.seal(4096, len(DATA), 0, DATA)
    assert len(raw) == HEADER_BYTES and len(sealed) == len(DATA) + MAC_BYTES
    head, plain = recipient.open(raw, bytes(sealed))
    assert bytes(plain) == DATA
    assert (head.kind, head.offset, head.length, head.seq) == (CHUNK_KIND, 4096, len(DATA), 1)


def test_a_get_carries_its_request_in_the_authenticated_header():
    sender, recipient = pair()
    raw, sealed = recipient.seal(0, 512, 77)
    head, plain = sender.open(raw, bytes(sealed))
    assert (head.kind, head.offset, head.length, head.held, len(plain)) == (GET, 0, 512, 77, 0)


def test_the_body_is_not_the_plaintext():
    sender, _ = pair()
    _, sealed = sender.seal(0, len(DATA), 0, DATA)
    assert DATA[:64] not in bytes(sealed)


def test_a_chunk_sealed_under_another_transfers_key_does_not_open():
    other, _ = pair()
    _, recipient = pair()
    raw, sealed = other.seal(0, len(DATA), 0, DATA)
    raw = raw[:1] + recipient.tag + raw[17:]  # even aimed at our tag
    with pytest.raises(SealError):
        recipient.open(raw, bytes(sealed))
    assert recipient.dropped == 1


def test_the_same_key_under_another_transfer_id_does_not_open():
    key = new_key()
    sender, _ = pair(key, "a" * 32)
    _, recipient = pair(key, "b" * 32)
    with pytest.raises(SealError):
        recipient.open(*sender.seal(0, 3, 0, b"abc"))


def test_a_replayed_chunk_does_not_open_twice():
    sender, recipient = pair()
    raw, sealed = sender.seal(0, len(DATA), 0, DATA)
    recipient.open(raw, bytes(sealed))
    with pytest.raises(SealError, match="replayed"):
        recipient.open(raw, bytes(sealed))


def test_an_older_frame_after_a_newer_one_does_not_open():
    sender, recipient = pair()
    first = sender.seal(0, 3, 0, b"abc")
    second = sender.seal(3, 3, 0, b"def")
    recipient.open(*second)
    with pytest.raises(SealError):
        recipient.open(*first)


def test_a_flipped_byte_in_the_body_does_not_open():
    sender, recipient = pair()
    raw, sealed = sender.seal(0, len(DATA), 0, DATA)
    body = bytearray(sealed)
    body[1000] ^= 1
    with pytest.raises(SealError, match="does not open"):
        recipient.open(raw, bytes(body))


@pytest.mark.parametrize("field", ["offset", "length", "held", "seq"])
def test_a_moved_or_changed_header_does_not_open(field):
    sender, recipient = pair()
    raw, sealed = sender.seal(8192, 5, 0, b"hello")
    head = parse(raw)
    changed = Header(**{**head.__dict__, field: getattr(head, field) + 1})
    with pytest.raises(SealError):
        recipient.open(changed.pack(), bytes(sealed))


def test_a_truncated_body_does_not_open():
    sender, recipient = pair()
    raw, sealed = sender.seal(0, len(DATA), 0, DATA)
    for body in (bytes(sealed)[:-1], bytes(sealed)[:MAC_BYTES - 1], b""):
        with pytest.raises(SealError):
            recipient.open(raw, body)


def test_a_frame_of_our_own_direction_is_refused():
    """A chunk reflected back at its sender (or a get at its recipient) never opens."""
    sender, recipient = pair()
    with pytest.raises(SealError):
        sender.open(*sender.seal(0, 3, 0, b"abc"))
    with pytest.raises(SealError):
        recipient.open(*recipient.seal(0, 3, 0))


def test_nonces_never_repeat_within_a_run_or_across_runs():
    key = new_key()
    runs = [Seal(key, "t" * 32, GET) for _ in range(3)]  # a recipient that took the same offer three times
    nonces = [parse(run.seal(0, 1, 0)[0]).nonce for run in runs for _ in range(50)]
    assert len(set(nonces)) == len(nonces)
    sender = Seal(key, "t" * 32, CHUNK_KIND)
    assert parse(sender.seal(0, 1, 0, b"x")[0]).nonce not in nonces  # the direction byte differs


def test_a_new_run_of_the_other_side_opens_and_too_many_runs_are_refused():
    key = new_key()
    sender = Seal(key, "t" * 32, CHUNK_KIND)
    for _ in range(MAX_SALTS):
        sender.open(*Seal(key, "t" * 32, GET).seal(0, 1, 0))
    with pytest.raises(SealError, match="too many"):
        sender.open(*Seal(key, "t" * 32, GET).seal(0, 1, 0))


def test_garbage_is_a_seal_error_not_a_crash():
    _, recipient = pair()
    for raw in (b"", b"x" * (HEADER_BYTES - 1), os.urandom(HEADER_BYTES), b"C" + recipient.tag + bytes(56)):
        with pytest.raises(SealError):
            recipient.open(raw, os.urandom(64))


def test_the_tag_names_the_transfer_without_revealing_its_key():
    key = new_key()
    sender, _ = pair(key)
    raw, _ = sender.seal(0, 1, 0, b"x")
    assert peek_tag(raw) == tag_of(key) == sender.tag and key not in raw
    assert peek_tag(raw[:-1]) is None
    with pytest.raises(ValueError):
        Seal(b"short", "t", GET)
