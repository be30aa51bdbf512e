"""One transfer's state on each side, and what each side does with its disk; the file actor
(net/files.py) owns these and does all the talking.

The sender's running hash follows the stream as chunks are read; a gap before the first asked
offset (a resume) is hashed from disk without being sent. The recipient writes only the chunk at
exactly the offset it holds next, of exactly the length it asked for, so a sender can neither
push more than it offered nor write anywhere it was not asked to."""

from __future__ import annotations

import time
from collections.abc import Container
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core import events as ev
from ..core.codec import encode
from ..core.errors import Code
from ..core.file_limits import CHUNK, CREDIT, MAX_ENTRIES, MAX_OFFER_BYTES
from ..core.file_seal import CHUNK_KIND, GET, Seal, new_key
from ..core.files import Manifest, ManifestError, check_manifest, new_hash
from .file_disk import (FULL_DISK, StreamReader, StreamWriter, find_part, finish, free_space, hash_prefix, scan,
                        set_aside, write_state)
from .file_writer import DiskWriter

PROGRESS_EVERY = 0.25  # at most 4 progress events a second per transfer
STALL = 2.0  # no chunk for this long: ask again from what we hold
STALLS_LOST = 15  # ... this many times in a row: the sender is gone
AWAY_GRACE = STALL * STALLS_LOST  # a peer out of the roster this long has left; before, it may come back
NO_ANSWER_S = 30.0  # an offer without any answer this long (or the offer timeout, if shorter): no taker


class Refusal(Exception):
    """A transfer that cannot start, with its transfer_failed code."""

    def __init__(self, code: Code, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


def disk_refusal(exc: OSError, where: Path) -> Refusal:
    return Refusal(Code.DISK_FULL if exc.errno in FULL_DISK else Code.WRITE_FAILED, f"cannot write {where}: {exc}")


@dataclass
class Transfer:
    id: str
    key: str
    nick: str
    manifest: Manifest
    hasher: Any
    held: int = 0  # stream bytes the recipient holds
    resumed_from: int | None = None
    shown_at: float = 0.0
    shown_bytes: int = 0
    away_since: float | None = None  # the peer left the roster then (frozen, its host failing over)
    back_at: float = 0.0  # ... and came back then
    seal: Seal | None = None  # the transfer's data key and this side's nonces (core/file_seal.py)

    @property
    def size(self) -> int:
        return self.manifest.size

    def progress(self, now: float) -> ev.Progress | None:
        """A progress event, if the last one is at least PROGRESS_EVERY old."""
        if now - self.shown_at < PROGRESS_EVERY:
            return None
        rate = (self.held - self.shown_bytes) / (now - self.shown_at) if self.shown_at else 0.0
        self.shown_at, self.shown_bytes = now, self.held
        return ev.Progress(id=self.id, bytes=self.held, size=self.size, rate=round(rate, 1))

    def close(self) -> None:
        """Release open files."""


@dataclass
class Sending(Transfer):
    root: Path = Path()
    reader: StreamReader | None = None
    frame: bytes = b""  # the offer, sent again until answered
    hashed: int = 0
    answered: bool = False  # the recipient has the offer (it waits for its user, or asks for chunks)
    started: bool = False  # the recipient accepted: it asked for chunks
    offer_at: float = 0.0  # when the offer goes (again) next
    offered_at: float = 0.0  # when it went first
    fp: str = ""
    heard_at: float = 0.0  # the last get
    resume: bool = False  # offered again by itself (net/file_resume.py)
    route: bytes = b""  # the data-port connection the last get came on: its chunks go back there

    @classmethod
    def prepare(cls, id: str, key: str, nick: str, path: Path, my_key: str, my_nick: str) -> "Sending":
        """The offer of the file or folder at path, ready to send; Refusal(unreadable) if it
        cannot be read or does not fit in one offer."""
        try:
            root = path.expanduser().resolve()
            manifest, stamps = scan(root)
        except (OSError, ValueError) as exc:
            raise Refusal(Code.UNREADABLE, f"cannot read {path}: {exc}") from None
        fp = manifest.fingerprint(stamps)
        data_key = new_key()  # every offer its own: a resume is a new offer, so it gets a new key
        frame = encode("file_offer", id=id, key=my_key, nick=my_nick, name=manifest.name, folder=manifest.folder,
                       size=manifest.size, files=manifest.files, fp=fp,
                       entries=manifest.to_wire(), dkey=data_key.hex())
        if len(frame) > MAX_OFFER_BYTES or len(manifest.entries) > MAX_ENTRIES:
            raise Refusal(Code.UNREADABLE, "too many files or too long names for one offer")
        return cls(id, key, nick, manifest, new_hash(), root=root, reader=StreamReader(root, manifest), frame=frame,
                   fp=fp, seal=Seal(data_key, id, CHUNK_KIND))

    def read(self, offset: int, length: int) -> bytes:
        """Stream bytes for a get (OSError if the source changed or vanished)."""
        assert self.reader is not None
        if offset > self.hashed:
            self.hasher = hash_prefix(self.reader, offset)
            self.hashed = offset
        data = self.reader.read(offset, length)
        if offset == self.hashed:
            self.hasher.update(data)
            self.hashed += length
        return data

    def close(self) -> None:
        if self.reader is not None:
            self.reader.close()


@dataclass
class Receiving(Transfer):
    refused: str = ""  # why the offer was refused (refused_name), or empty
    fp: str = ""
    running: bool = False
    downloads: Path = Path()
    part: Path = Path()
    writer: StreamWriter | None = None
    disk: DiskWriter | None = None  # the thread that writes (net/file_writer.py)
    written: int = 0  # stream bytes on disk (held counts those received and queued for the writer too)
    failure: Refusal | None = None  # why the writer could not write (set by its thread)
    stopped: bool = False  # ended here: what is still queued for the writer is dropped
    pool: list[bytearray] = field(default_factory=list)  # chunk buffers the writer gave back
    asked: int = 0  # chunks up to this stream offset are requested
    expected: str = ""  # the sender's stream hash, once it said
    heard_at: float = 0.0
    stalls: int = 0
    offered_at: float = field(default_factory=time.monotonic)  # when the offer arrived

    @classmethod
    def from_offer(cls, key: str, nick: str, msg: dict[str, Any]) -> "Receiving":
        """The offer as a transfer; `refused` says why if its manifest breaks a rule."""
        try:
            manifest = check_manifest(msg["name"], msg["folder"], msg["entries"], msg["size"], msg["files"])
            refused = ""
        except ManifestError as exc:
            manifest, refused = Manifest(msg["name"], False, ()), str(exc)
        return cls(msg["id"], key, nick, manifest, new_hash(), refused=refused, fp=msg["fp"],
                   seal=Seal(bytes.fromhex(msg["dkey"]), msg["id"], GET))

    def open(self, downloads: Path, disk: DiskWriter | None) -> None:
        """Find or start the partial download and hash what it holds; Refusal(disk_full or
        write_failed). Chunks then go to disk's thread (None: the caller calls `store` itself)."""
        self.disk = disk
        try:
            downloads.mkdir(parents=True, exist_ok=True)
            part, held = find_part(downloads, self.manifest, self.key, self.fp)
            free = free_space(downloads)
            if free < self.size - held:
                raise Refusal(Code.DISK_FULL, f"{downloads} has {free} bytes free, {self.size - held} are needed")
            write_state(part, self.key, self.fp, self.size)
            self.writer = StreamWriter(part, self.manifest, held)
            self.hasher = self._rehash(part, held)
        except OSError as exc:
            raise disk_refusal(exc, downloads) from None
        self.downloads, self.part, self.held, self.asked, self.resumed_from = downloads, part, held, held, held
        self.written = held
        self.running = True
        self.heard_at = time.monotonic()

    def _rehash(self, part: Path, held: int) -> Any:
        """The running hash of what the partial download holds, read back from disk."""
        reader = StreamReader(part, self.manifest)
        try:
            return hash_prefix(reader, held)
        finally:
            reader.close()

    def asks(self) -> list[tuple[int, int]]:
        """(offset, length) of the gets to send now: CREDIT chunks asked for and not yet on disk
        (in flight or queued for the writer), so a slow disk slows the sender; with everything
        held, a get of length 0 at the end asks for the sender's hash."""
        out = [(self.size, 0)] if self.held == self.size else []
        while self.asked < self.size and self.asked - self.written < CREDIT * CHUNK:
            n = min(CHUNK, self.size - self.asked)
            out.append((self.asked, n))
            self.asked += n
        return out

    def wanted(self, offset: int, length: int) -> bool:
        """Only the chunk at the offset held next, asked for and of the asked length is written."""
        return (self.writer is not None and offset == self.held < self.asked
                and length == min(CHUNK, self.size - self.held))

    def buffer(self) -> bytearray:
        """A chunk buffer to open the next chunk into: one the writer gave back, or a new one
        (at most CREDIT + 1 live per transfer: the asks bound what is queued)."""
        return self.pool.pop() if self.pool else bytearray(CHUNK)

    def give_back(self, buffer: bytearray) -> None:
        if len(self.pool) <= CREDIT:
            self.pool.append(buffer)

    def received(self, buffer: bytearray, length: int) -> None:
        """A wanted chunk, opened into buffer (actor thread): queued for the writer, then hashed
        while the writer copies it to disk."""
        self.held += length
        self.heard_at = time.monotonic()
        self.stalls = 0
        if self.disk is not None:
            self.disk.write(self, buffer, length)
        self.hasher.update(memoryview(buffer)[:length])

    def store(self, data: memoryview) -> None:
        """Write the next received bytes (the writer's thread). A write error becomes `failure`
        (disk_full or write_failed) with the part kept as written; nothing more is written then.
        The files close once the last byte is on disk, so a completed part can be moved."""
        if self.stopped or self.failure is not None:
            return
        assert self.writer is not None
        try:
            self.writer.write(data)
        except OSError as exc:
            self.failure = disk_refusal(exc, self.part)
            return
        except ValueError as exc:  # a name the writer will not create (checked with the offer already)
            self.failure = Refusal(Code.WRITE_FAILED, f"cannot write into {self.part}: {exc}")
            return
        self.written += len(data)
        if self.written == self.size:
            self.writer.close()

    def silent(self, now: float) -> bool:
        """Nothing came for STALL while nothing waits for our own disk (a slow disk holds the
        window full: that silence is ours, not the sender's)."""
        return now - self.heard_at > STALL and self.written == self.held

    def stalled(self, now: float) -> bool:
        """Nothing came for STALL: ask again from what we hold (a dropped chunk or get), or
        True once that failed STALLS_LOST times in a row."""
        self.stalls += 1
        self.heard_at, self.asked = now, self.held
        return self.stalls >= STALLS_LOST

    def verified(self) -> tuple[str, Path]:
        """(the hash, where the download is now, under a free name); Refusal(hash_mismatch) with
        the download set aside as "<name>.zp2p-bad", or Refusal(write_failed)."""
        self.close()
        got = self.hasher.hexdigest()
        try:
            if got != self.expected:
                kept = set_aside(self.part, self.downloads, self.manifest.name)
                raise Refusal(Code.HASH_MISMATCH, f"the received bytes hash to {got[:16]}…, the sender's to "
                                                  f"{self.expected[:16]}…; kept aside as {kept}")
            return got, finish(self.part, self.downloads, self.manifest.name)
        except OSError as exc:
            raise Refusal(Code.WRITE_FAILED, f"cannot move the download into place: {exc}") from None

    def close(self) -> None:
        """Stop writing: the files close in the writer's thread, after what is queued there."""
        self.stopped = True
        if self.disk is not None:
            self.disk.close(self)
        else:
            self.close_files()

    def close_files(self) -> None:
        if self.writer is not None:
            self.writer.close()


def mark_away(transfers: list[Transfer], present: Container[str], now: float) -> None:
    """Note whose peer left the roster: a frozen member, or a room failing over, drops it for a
    moment, so its transfers wait for it (AWAY_GRACE) instead of failing at once."""
    for t in transfers:
        if t.key in present:
            if t.away_since is not None:
                t.away_since, t.back_at = None, now
        elif t.away_since is None:
            t.away_since = now


def gone(transfers: list[Transfer], now: float) -> list[Transfer]:
    """The transfers whose peer has been out of the roster for longer than AWAY_GRACE."""
    return [t for t in transfers if t.away_since is not None and now - t.away_since > AWAY_GRACE]


def unanswered(transfers: list[Transfer], now: float) -> list[Sending]:
    """Started sends whose recipient stopped asking: nothing for AWAY_GRACE, or nothing since
    it came back to the roster STALL x 2 ago (a recipient that restarted has forgotten the
    transfer, one that was frozen asks again within STALL). They end with peer_lost and are
    offered again by themselves (net/file_resume.py)."""
    return [t for t in transfers if isinstance(t, Sending) and t.started and t.away_since is None
            and (now - t.heard_at > AWAY_GRACE or t.heard_at < t.back_at < now - 2 * STALL)]


def expired(transfers: list[Transfer], now: float, timeout: float) -> list[tuple[Transfer, Code, str]]:
    """Offers to end now, with their code and detail: one nobody accepted or declined within the
    offer timeout (offer_expired, on both sides: each keeps its own clock, so a lost file_stop
    changes nothing), and one whose recipient never answered at all (peer_lost, sooner: that
    member cannot take files now)."""
    late = f"not accepted within {timeout:.0f} s"
    out: list[tuple[Transfer, Code, str]] = []
    for t in transfers:
        if isinstance(t, Sending) and not t.started and t.offered_at:
            if t.answered and now - t.offered_at >= timeout:
                out.append((t, Code.OFFER_EXPIRED, late))
            elif not t.answered and now - t.offered_at >= min(NO_ANSWER_S, timeout):
                out.append((t, Code.PEER_LOST, f"{t.nick} did not answer the offer"))
        elif isinstance(t, Receiving) and not t.running and now - t.offered_at >= timeout:
            out.append((t, Code.OFFER_EXPIRED, late))
    return out
