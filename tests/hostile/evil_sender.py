"""A hostile sender for the file-transfer tests: the real headless node, with its sending side
changed by ZP2P_EVIL before it starts (the product's own code path has no such hook):

- `dotdot`: offers a folder whose entry is "../escape.txt";
- `absolute`: offers a folder whose entry is an absolute path;
- `more`: answers every get with more bytes than asked;
- `symlink`: follows symlinks when it lists a folder, offering what they point to as files;
- `flip`: flips one byte of the first chunk after hashing it (a corruption at the chunk layer);
- `slow`: an honest sender that takes 20 ms per chunk, so a test can kill a side half way;
- `replay`, `otherkey`, `flipseal`: on the data port, the first chunk goes twice (a replay), or
  is preceded by the same chunk sealed under another key with this transfer's tag, or by its
  sealed body with one byte flipped (core/file_seal.py: each must be dropped and counted).

Used as a harness wrapper: `python -m tests.hostile.evil_sender <python> -m zp2p_gui --headless ...`
(the wrapper gets the normal command line and runs its arguments in this process)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from zp2p_gui.core.codec import decode, encode
from zp2p_gui.core.file_seal import CHUNK_KIND, Seal, new_key, parse
from zp2p_gui.core.file_limits import DIR
from zp2p_gui.core.files import Entry, Manifest
from zp2p_gui.net import file_transfers
from zp2p_gui.net.file_data import DataPort
from zp2p_gui.net.file_transfers import Sending

MODE = os.environ.get("ZP2P_EVIL", "")
SLOW_S = 0.02
ESCAPES = {"dotdot": "../escape.txt", "absolute": "/tmp/zp2p-evil-absolute.txt"}

_prepare = Sending.prepare.__func__  # type: ignore[attr-defined]
_read = Sending.read
_answer = DataPort.answer


def renamed(cls: type, *args: Any) -> Sending:
    """The honest offer, with its one file's path replaced by an escaping one."""
    sending = _prepare(cls, *args)
    offer = decode(sending.frame)
    entries = [{"p": ESCAPES[MODE], "s": e["s"]} for e in offer["entries"] if e["s"] != DIR]
    fields = {k: v for k, v in offer.items() if k not in ("v", "k", "entries")}
    sending.frame = encode("file_offer", **fields, entries=entries)
    return sending


def padded(self: Sending, offset: int, length: int) -> bytes:
    return _read(self, offset, length) + b"more than offered" * 100


def flipped(self: Sending, offset: int, length: int) -> bytes:
    data = _read(self, offset, length)
    if offset == 0 and data:
        data = bytes([data[0] ^ 0xFF]) + data[1:]
    return data


def slowed(self: Sending, offset: int, length: int) -> bytes:
    time.sleep(SLOW_S)
    return _read(self, offset, length)


def bad_first_chunk(header: bytes, sealed: Any) -> list[bytes]:
    """The frames of a bad copy of this chunk, by mode (see the module's docstring)."""
    if MODE == "replay":
        return [header, bytes(sealed)]
    if MODE == "flipseal":
        body = bytearray(sealed)
        body[len(body) // 2] ^= 0x01
        return [header, bytes(body)]
    head = parse(header)
    other = Seal(new_key(), "other", CHUNK_KIND)  # another transfer's key, aimed at this one's tag
    other_header, other_body = other.seal(head.offset, head.length, 0, b"x" * head.length)
    return [other_header[:1] + head.tag + other_header[17:], bytes(other_body)]


def tampering(self: DataPort, route: bytes, frames: list) -> None:
    """The honest answer, with a bad copy of the first chunk before it (after it: a replay)."""
    first = parse(frames[0]).offset == 0
    if first and MODE != "replay":
        _answer(self, route, bad_first_chunk(*frames))
    _answer(self, route, frames)
    if first and MODE == "replay":
        _answer(self, route, bad_first_chunk(*frames))


def following(path: Path) -> tuple[Manifest, list[int]]:
    """A folder listing that follows symlinks, as a careless sender's would."""
    path = path.resolve()
    entries = [Entry(p.relative_to(path).as_posix(), DIR if p.is_dir() else p.stat().st_size)
               for p in sorted(path.rglob("*"))]
    return Manifest(path.name, True, tuple(entries)), [0] * len(entries)


def install() -> None:
    if MODE in ESCAPES:
        Sending.prepare = classmethod(renamed)  # type: ignore[method-assign, assignment]
    elif MODE == "more":
        Sending.read = padded  # type: ignore[method-assign]
    elif MODE == "flip":
        Sending.read = flipped  # type: ignore[method-assign]
    elif MODE == "slow":
        Sending.read = slowed  # type: ignore[method-assign]
    elif MODE in ("replay", "otherkey", "flipseal"):
        DataPort.answer = tampering  # type: ignore[method-assign]
    elif MODE == "symlink":
        file_transfers.scan = following  # type: ignore[assignment]


if __name__ == "__main__":
    install()
    from zp2p_gui.__main__ import main

    sys.exit(main(sys.argv[4:]))  # after "<python> -m zp2p_gui"
