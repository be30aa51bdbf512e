"""The seal of the file data path (docs/protocol.md "Files", docs/security.md "File transfers"):
chunks and gets travel on the file data port without CURVE, each one sealed with AEGIS-256
under a random key of its transfer. The key goes only inside the offer, on the CURVE-encrypted,
authenticated direct channel, so only the two members of the transfer hold it.

A frame is [header, sealed]. The header is clear (the recipient must find the transfer before it
can open anything) and is all of the AEAD's associated data, with the transfer id after it, so a
sealed body cannot be moved to another transfer, direction, offset or length:

    kind (1: b"G" a get, recipient -> sender; b"C" a chunk, sender -> recipient)
    tag (16: names the transfer; derived from its key, so it says nothing of the key)
    salt (16: random per sealing side and run of a transfer) | seq (8: counts up from 1)
    offset, length, held (8 each: a get's request; a chunk's place, held = 0)

The nonce is kind + salt + seq + 7 zero bytes: the kind keeps the two directions apart, the
salt two runs of one side under one key (a recipient that forgot a transfer and took its offer
again), the counter every frame of one run, so no nonce repeats under a key. An opener accepts
a seq only above the last it opened for that salt: a replayed frame fails. Sealing and opening
call libsodium through PyNaCl's own cffi library, on buffers, so a chunk is never copied on the
way (pread -> seal -> send, recv -> open -> pwrite)."""

from __future__ import annotations

import hashlib
import os
import struct
from dataclasses import dataclass, field
from typing import Any

from .sodium import ffi, lib  # initialised there, which picks AEGIS's AES-NI code (a generic one is 100x slower)

KEY_BYTES = 32
MAC_BYTES = 16 * 2  # AEGIS-256's tag: 32 bytes
GET, CHUNK_KIND = b"G", b"C"
_HEADER = struct.Struct(">c16s16sQQQQ")
HEADER_BYTES = _HEADER.size  # 73
MAX_SALTS = 8  # runs of the other side an opener remembers; a ninth salt is refused


class SealError(Exception):
    """A frame that does not open: dropped and counted, never answered."""


@dataclass(frozen=True)
class Header:
    kind: bytes
    tag: bytes
    salt: bytes
    seq: int
    offset: int
    length: int
    held: int

    def pack(self) -> bytes:
        return _HEADER.pack(self.kind, self.tag, self.salt, self.seq, self.offset, self.length, self.held)

    @property
    def nonce(self) -> bytes:
        return self.kind + self.salt + self.seq.to_bytes(8, "big") + bytes(7)


def new_key() -> bytes:
    """A fresh transfer key: a new offer (a resume too) never reuses one."""
    return os.urandom(KEY_BYTES)


def tag_of(key: bytes) -> bytes:
    """The transfer's name on the data port: a one-way function of its key."""
    return hashlib.blake2b(key, digest_size=16, person=b"zp2p-file-tag").digest()


def peek_tag(header: bytes) -> bytes | None:
    """The tag of a frame's header, or None if it is not a header at all (one slice, no parsing)."""
    return header[1:17] if len(header) == HEADER_BYTES else None


def parse(header: bytes) -> Header:
    if len(header) != HEADER_BYTES:
        raise SealError("not a header")
    return Header(*_HEADER.unpack(header))


@dataclass
class Seal:
    """One side of one transfer: seals what it sends, opens what the other side sends."""

    key: bytes
    id: str  # the transfer id, bound into every frame
    sends: bytes  # the kind this side sends (GET for the recipient, CHUNK_KIND for the sender)
    salt: bytes = field(default_factory=lambda: os.urandom(16))
    seq: int = 0
    tag: bytes = b""
    opened: dict[bytes, int] = field(default_factory=dict)  # the other side's salt -> last seq opened
    dropped: int = 0  # frames that did not open

    def __post_init__(self) -> None:
        if len(self.key) != KEY_BYTES:
            raise ValueError("a transfer key is 32 bytes")
        self.tag = tag_of(self.key)
        self._aad_tail = self.id.encode("utf-8")
        self._opened_into = ffi.new("unsigned char[]", 1)  # reused: no fresh chunk-sized block (mmap, page faults) per chunk

    def seal(self, offset: int, length: int, held: int, data: Any = b"") -> tuple[bytes, Any]:
        """(header, sealed body) of the next frame; data is any buffer (a chunk) or empty (a get)."""
        self.seq += 1
        header = Header(self.sends, self.tag, self.salt, self.seq, offset, length, held)
        raw = header.pack()
        aad = raw + self._aad_tail
        src = ffi.from_buffer(data)
        out = ffi.new("unsigned char[]", len(src) + MAC_BYTES)
        lib.crypto_aead_aegis256_encrypt(out, ffi.NULL, src, len(src), aad, len(aad), ffi.NULL, header.nonce,
                                         self.key)
        return raw, ffi.buffer(out)

    def open(self, raw: bytes, sealed: Any, into: bytearray | None = None) -> tuple[Header, Any]:
        """(header, plaintext buffer) of a frame of the other side; SealError (counted in
        `dropped`) for a wrong kind, a forged, moved, truncated or replayed frame. The plaintext
        goes into `into` (a caller's chunk buffer, handed on to the writer thread) or, without
        it, into this Seal's own buffer, which holds it until the next open."""
        try:
            header = parse(raw)
            return header, self._open(header, raw, sealed, into)
        except SealError:
            self.dropped += 1
            raise

    def _open(self, header: Header, raw: bytes, sealed: Any, into: bytearray | None) -> Any:
        if header.kind == self.sends or header.kind not in (GET, CHUNK_KIND) or header.tag != self.tag:
            raise SealError("not a frame of the other side of this transfer")
        last = self.opened.get(header.salt)
        if last is None and len(self.opened) >= MAX_SALTS:
            raise SealError("too many runs of the other side")
        if last is not None and header.seq <= last:
            raise SealError("a replayed frame")
        src = ffi.from_buffer(sealed)
        if len(src) < MAC_BYTES:
            raise SealError("shorter than a seal")
        aad = raw + self._aad_tail
        out = self._out(len(src) - MAC_BYTES, into)
        if lib.crypto_aead_aegis256_decrypt(out, ffi.NULL, ffi.NULL, src, len(src), aad, len(aad), header.nonce,
                                            self.key) != 0:
            raise SealError("the seal does not open")
        self.opened[header.salt] = header.seq
        return ffi.buffer(out, len(src) - MAC_BYTES)

    def _out(self, length: int, into: bytearray | None) -> Any:
        """Where `length` bytes of plaintext go: the caller's buffer, or this Seal's own (grown)."""
        if into is not None:
            if len(into) < length:
                raise SealError("longer than a chunk")
            return ffi.from_buffer("unsigned char[]", into, require_writable=True)
        if len(self._opened_into) < length:
            self._opened_into = ffi.new("unsigned char[]", length)
        return self._opened_into
