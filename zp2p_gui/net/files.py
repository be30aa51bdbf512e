"""The file actor: every transfer of this node, both ways, in one thread of its own, so reading,
writing and hashing never stall direct messages or the room.

Frames reach it from the direct ROUTER (net/direct.py decodes them, checks the sender's key and
passes them on over inproc); it writes with its own CURVE DEALERs to the members' direct ports
(net/dealers.py). Flow control is the ZeroMQ guide's "fileio3": the recipient asks for chunks by
stream offset and keeps CREDIT of them in flight, so each side holds at most a few MiB whatever
the size, and a slow disk on either side slows the other. See docs/protocol.md "Files"."""

from __future__ import annotations

import hashlib
import itertools
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import zmq

from ..core import events as ev
from ..core.codec import FILE_KINDS, CodecError, decode, encode
from ..core.config import Limits
from ..core.dispatch import Handlers
from ..core.errors import Code
from ..core.files import CHUNK, CREDIT, HASH_ALG, MAX_OFFER_BYTES, Manifest, ManifestError, check_manifest
from .file_disk import (FULL_DISK, StreamReader, StreamWriter, find_part, finish, free_space, hash_prefix,
                          scan, set_aside, write_state)
from .actor import Actor, Emit, drain
from .dealers import Dealers
from .malformed import MalformedCounter
from .messages import AcceptOffer, CancelTransfer, DeclineOffer, FilePeers, OfferFiles, TransferEvent

log = logging.getLogger(__name__)

_inlets = itertools.count(1)
OFFER_RESEND = 1.0  # an offer not yet answered goes again this often (a refused handshake loses it)
STALL = 2.0  # no chunk for this long: ask again from what we hold
STALLS_LOST = 15  # ... this many times in a row: the sender is gone
PROGRESS_EVERY = 0.25  # at most 4 progress events a second per transfer
MAX_OFFERS_PER_PEER = 32  # unanswered incoming offers kept per sender
SEND_HWM = 4 * CREDIT  # chunks queued to one peer; a receiver that does not read loses the rest
STOP_CODES = frozenset({Code.DECLINED, Code.CANCELLED, Code.DISK_FULL, Code.HASH_MISMATCH, Code.REFUSED_NAME,
                        Code.UNREADABLE, Code.WRITE_FAILED})


@dataclass
class _Transfer:
    id: str
    key: str
    nick: str
    manifest: Manifest
    hasher: Any
    held: int = 0  # stream bytes the recipient holds
    resumed_from: int | None = None
    shown_at: float = 0.0
    shown_bytes: int = 0
    rate: float = 0.0

    @property
    def size(self) -> int:
        return self.manifest.size


@dataclass
class _Sending(_Transfer):
    root: Path = Path()
    reader: StreamReader | None = None
    frame: bytes = b""
    hashed: int = 0
    answered: bool = False
    offer_at: float = 0.0


@dataclass
class _Receiving(_Transfer):
    fp: str = ""
    running: bool = False
    downloads: Path = Path()
    part: Path = Path()
    writer: StreamWriter | None = None
    asked: int = 0  # the stream offset up to which chunks are requested
    expected: str = ""
    heard_at: float = 0.0
    stalls: int = 0
    offered_at: float = field(default_factory=time.monotonic)


class FileLink(Actor):
    """Commands: FilePeers, OfferFiles, AcceptOffer, DeclineOffer, CancelTransfer. Events: TransferEvent."""

    name = "files"
    commands: Handlers[type] = Handlers(name)
    frames: Handlers[str] = Handlers("file frames")

    def __init__(self, ctx: zmq.Context, emit: Emit, addr: str, port: int, public: bytes, secret: bytes,
                 limits: Limits, key: str, nick: str, downloads: Path, auto_accept: bool) -> None:
        super().__init__(ctx, emit)
        self.inlet_endpoint = f"inproc://zp2p-file-frames-{next(_inlets)}"
        self.key = key
        self.nick = nick
        self.downloads = downloads
        self.auto_accept = auto_accept
        self.limits = limits
        self._dealers = Dealers(self, limits, addr, port, public, secret, sndhwm=SEND_HWM)
        self._peers: dict[str, tuple[str, str]] = {}  # key -> (address, nick)
        self._out: dict[str, _Sending] = {}
        self._in: dict[str, _Receiving] = {}
        self._inlet: zmq.Socket | None = None
        self.malformed = MalformedCounter(log, "files")

    def setup(self) -> None:
        inlet = self.ctx.socket(zmq.PULL)
        inlet.setsockopt(zmq.LINGER, 0)
        inlet.setsockopt(zmq.RCVHWM, 4 * CREDIT)
        inlet.bind(self.inlet_endpoint)
        self._inlet = self.add_socket(inlet)

    def poll_timeout_ms(self) -> int:
        return 100 if self._out or self._in else 1000

    def on_close(self) -> None:
        for t in self._in.values():
            if t.writer is not None:
                t.writer.close()
        for s in self._out.values():
            if s.reader is not None:
                s.reader.close()

    # -- the engine's commands
    @commands.on(FilePeers)
    def _on_peers(self, command: FilePeers) -> None:
        self._peers = {key: (addr, nick) for key, addr, nick in command.peers}
        self._dealers.keep({key: addr for key, (addr, _) in self._peers.items()})
        for t in [*self._out.values(), *self._in.values()]:
            if t.key not in self._peers:
                self._fail(t, Code.PEER_LOST, f"{t.nick} left the room", tell=False)

    @commands.on(OfferFiles)
    def _on_offer_files(self, command: OfferFiles) -> None:
        addr_nick = self._peers.get(command.key)
        nick = addr_nick[1] if addr_nick else ""
        if addr_nick is None:
            return self._event(ev.TransferFailed(id=command.id, key=command.key, nick=nick, code=Code.PEER_AWAY.value,
                                                 detail="the recipient is not in the room now"))
        try:
            root = Path(command.path).expanduser().resolve()
            manifest, stamps = scan(root)
            reader = StreamReader(root, manifest)
        except (OSError, ValueError) as exc:
            return self._event(ev.TransferFailed(id=command.id, key=command.key, nick=nick,
                                                 code=Code.UNREADABLE.value, detail=f"cannot read {command.path}: {exc}"))
        frame = encode("file_offer", id=command.id, key=self.key, nick=self.nick, name=manifest.name,
                       folder=manifest.folder, size=manifest.size, files=manifest.files,
                       fp=manifest.fingerprint(stamps), entries=manifest.to_wire())
        sending = _Sending(command.id, command.key, nick, manifest, new_hash(), root=root, reader=reader, frame=frame)
        if len(frame) > MAX_OFFER_BYTES:
            reader.close()
            return self._event(ev.TransferFailed(id=command.id, key=command.key, nick=nick, code=Code.UNREADABLE.value,
                                                 detail="too many files or too long names for one offer"))
        self._out[command.id] = sending
        self._event(ev.OfferSent(id=command.id, key=command.key, nick=nick, filename=manifest.name,
                                 size=manifest.size, files=manifest.files, path=str(root)))
        self._send_offer(sending, time.monotonic())

    @commands.on(AcceptOffer)
    def _on_accept(self, command: AcceptOffer) -> None:
        t = self._in.get(command.id)
        if t is None or t.running:
            return
        self._accept(t, Path(command.folder).expanduser() if command.folder else self.downloads)

    @commands.on(DeclineOffer)
    def _on_decline(self, command: DeclineOffer) -> None:
        t = self._in.get(command.id)
        if t is not None and not t.running:
            self._fail(t, Code.DECLINED, "declined")

    @commands.on(CancelTransfer)
    def _on_cancel(self, command: CancelTransfer) -> None:
        t = self._out.get(command.id) or self._in.get(command.id)
        if t is not None:
            self._fail(t, Code.CANCELLED, "cancelled here")

    # -- frames from members
    def on_readable(self, sock: zmq.Socket) -> None:
        if self._dealers.owns(sock):
            return self._dealers.on_monitor(sock)
        for frames in drain(sock, limit=4 * CREDIT, multipart=True):
            key = frames[0].bytes.decode("ascii")
            try:
                msg = decode(frames[1].bytes, expect=FILE_KINDS, max_bytes=MAX_OFFER_BYTES)
            except CodecError as exc:
                self.malformed.count(key, exc)
                continue
            if (msg["k"] == "file_chunk") != (len(frames) == 3) or key not in self._peers:
                continue
            self.frames.handle(self, msg["k"], key, msg, frames[2] if len(frames) == 3 else None)

    def _mine(self, table: dict[str, Any], key: str, msg: dict[str, Any]) -> Any:
        """The transfer a frame names, if the frame's sender is its other side."""
        t = table.get(msg["id"])
        return t if t is not None and t.key == key else None

    @frames.on("file_offer")
    def _on_file_offer(self, key: str, msg: dict[str, Any], _: Any) -> None:
        known = self._in.get(msg["id"])
        if known is not None or msg["id"] in self._out:
            if known is not None and known.key == key and not known.running:
                self._tell(known, "file_wait")
            return
        if sum(1 for t in self._in.values() if t.key == key and not t.running) >= MAX_OFFERS_PER_PEER:
            return log.warning("files: too many unanswered offers from one member; ignoring more")
        nick = self._peers[key][1]
        try:
            manifest = check_manifest(msg["name"], msg["folder"], msg["entries"], msg["size"], msg["files"])
        except ManifestError as exc:
            log.warning("files: refused an offer from %s: %s", nick, exc)
            self._send(key, [encode("file_stop", id=msg["id"], key=self.key, code=Code.REFUSED_NAME.value,
                                    detail=str(exc)[:512])])
            return self._event(ev.TransferFailed(id=msg["id"], key=key, nick=nick, code=Code.REFUSED_NAME.value,
                                                 detail=str(exc), incoming=True))
        t = self._in[msg["id"]] = _Receiving(msg["id"], key, nick, manifest, new_hash(), fp=msg["fp"])
        self._event(ev.Offer(id=t.id, key=key, nick=nick, filename=manifest.name, size=manifest.size,
                             files=manifest.files))
        self._tell(t, "file_wait")
        if self.auto_accept:
            self._accept(t, self.downloads)

    @frames.on("file_wait")
    def _on_wait(self, key: str, msg: dict[str, Any], _: Any) -> None:
        s = self._mine(self._out, key, msg)
        if s is not None:
            s.answered = True

    @frames.on("file_get")
    def _on_get(self, key: str, msg: dict[str, Any], _: Any) -> None:
        s = self._mine(self._out, key, msg)
        offset, length = msg["offset"], msg["length"]
        if s is None or offset + length > s.size or msg["held"] > s.size:
            return
        s.answered = True
        if s.resumed_from is None:
            s.resumed_from = msg["held"]
        s.held = max(s.held, msg["held"])
        try:
            data = self._read(s, offset, length)
        except OSError as exc:
            return self._fail(s, Code.UNREADABLE, f"cannot read {s.root}: {exc}")
        if length:
            self._send(key, [encode("file_chunk", id=s.id, key=self.key, offset=offset), data])
        if s.hashed == s.size:
            self._tell(s, "file_end", hash=s.hasher.hexdigest())
        self._progress(s, time.monotonic())

    def _read(self, s: _Sending, offset: int, length: int) -> bytes:
        """Stream bytes for a get; the running hash follows the stream, and a gap before the
        first asked offset (a resume) is hashed from disk without being sent."""
        assert s.reader is not None
        if offset > s.hashed:
            s.hasher = hash_prefix(s.reader, offset)
            s.hashed = offset
        data = s.reader.read(offset, length)
        if offset == s.hashed:
            s.hasher.update(data)
            s.hashed += length
        return data

    @frames.on("file_done")
    def _on_done(self, key: str, msg: dict[str, Any], _: Any) -> None:
        s = self._mine(self._out, key, msg)
        if s is None or s.hashed != s.size:
            return
        self._forget(s)
        self._event(ev.TransferDone(id=s.id, key=s.key, nick=s.nick, path=str(s.root), size=s.size,
                                    hash=s.hasher.hexdigest(), hash_alg=HASH_ALG, resumed_from=s.resumed_from or 0))

    @frames.on("file_stop")
    def _on_stop(self, key: str, msg: dict[str, Any], _: Any) -> None:
        t = self._mine(self._out, key, msg) or self._mine(self._in, key, msg)
        if t is not None:
            code = Code(msg["code"]) if msg["code"] in {c.value for c in STOP_CODES} else Code.CANCELLED
            self._fail(t, code, f"{t.nick}: {msg['detail']}" if msg["detail"] else f"stopped by {t.nick}", tell=False)

    # -- receiving
    def _accept(self, t: _Receiving, downloads: Path) -> None:
        try:
            downloads.mkdir(parents=True, exist_ok=True)
            part, held = find_part(downloads, t.manifest, t.key, t.fp)
            if free_space(downloads) < t.size - held:
                return self._fail(t, Code.DISK_FULL, f"{downloads} has {free_space(downloads)} bytes free, "
                                                     f"{t.size - held} are needed")
            write_state(part, t.key, t.fp, t.size)
            t.writer = StreamWriter(part, t.manifest, held)
            t.hasher = hash_prefix(StreamReader(part, t.manifest), held) if held else new_hash()
        except OSError as exc:
            return self._fail(t, Code.DISK_FULL if exc.errno in FULL_DISK else Code.WRITE_FAILED,
                              f"cannot write in {downloads}: {exc}")
        t.downloads, t.part, t.held, t.asked, t.resumed_from, t.running = downloads, part, held, held, held, True
        t.heard_at = time.monotonic()
        self._ask(t)

    def _ask(self, t: _Receiving) -> None:
        """Keep CREDIT chunks in flight; with everything held, ask for the end (the hash)."""
        if t.held == t.size:
            self._tell(t, "file_get", offset=t.size, length=0, held=t.held)
        while t.asked < t.size and t.asked - t.held < CREDIT * CHUNK:
            n = min(CHUNK, t.size - t.asked)
            self._tell(t, "file_get", offset=t.asked, length=n, held=t.held)
            t.asked += n

    @frames.on("file_chunk")
    def _on_chunk(self, key: str, msg: dict[str, Any], data: zmq.Frame) -> None:
        t = self._mine(self._in, key, msg)
        if t is None or t.writer is None or msg["offset"] != t.held or t.held >= t.asked:
            return  # not asked for (or a duplicate of a chunk asked again): never written
        if len(data) != min(CHUNK, t.size - t.held):
            return self.malformed.count(key, "a chunk of another length than asked")
        try:
            t.writer.write(data.buffer)
        except OSError as exc:
            return self._fail(t, Code.DISK_FULL if exc.errno in FULL_DISK else Code.WRITE_FAILED,
                              f"cannot write {t.part}: {exc}")
        t.hasher.update(data.buffer)
        t.held += len(data)
        t.heard_at = time.monotonic()
        t.stalls = 0
        self._ask(t)
        self._progress(t, t.heard_at)
        if t.held == t.size and t.expected:
            self._complete(t)

    @frames.on("file_end")
    def _on_end(self, key: str, msg: dict[str, Any], _: Any) -> None:
        t = self._mine(self._in, key, msg)
        if t is not None and t.running:
            t.expected = msg["hash"]
            if t.held == t.size:
                self._complete(t)

    def _complete(self, t: _Receiving) -> None:
        assert t.writer is not None
        t.writer.close()
        got = t.hasher.hexdigest()
        if got != t.expected:
            try:
                kept = set_aside(t.part, t.downloads, t.manifest.name)
            except OSError as exc:
                kept = t.part
                log.warning("files: cannot set the damaged download aside: %s", exc)
            return self._fail(t, Code.HASH_MISMATCH, f"the received bytes hash to {got[:16]}…, the sender's to "
                                                     f"{t.expected[:16]}…; kept aside as {kept}")
        try:
            final = finish(t.part, t.downloads, t.manifest.name)
        except OSError as exc:
            return self._fail(t, Code.WRITE_FAILED, f"cannot move the download into place: {exc}")
        self._tell(t, "file_done")
        self._forget(t)
        self._event(ev.TransferDone(id=t.id, key=t.key, nick=t.nick, path=str(final), size=t.size, hash=got,
                                    hash_alg=HASH_ALG, resumed_from=t.resumed_from or 0, incoming=True))

    # -- timers
    def on_tick(self, now: float) -> None:
        for s in list(self._out.values()):
            if not s.answered and now >= s.offer_at:
                self._send_offer(s, now)
        for t in list(self._in.values()):
            if t.running and now - t.heard_at > STALL:
                t.stalls += 1
                if t.stalls >= STALLS_LOST:
                    self._fail(t, Code.PEER_LOST, f"nothing from {t.nick} for {STALL * STALLS_LOST:.0f} s")
                    continue
                t.heard_at, t.asked = now, t.held
                self._ask(t)

    # -- shared
    def _send_offer(self, s: _Sending, now: float) -> None:
        s.offer_at = now + OFFER_RESEND
        self._send(s.key, [s.frame])

    def _tell(self, t: _Transfer, kind: str, **fields: Any) -> None:
        self._send(t.key, [encode(kind, id=t.id, key=self.key, **fields)])

    def _send(self, key: str, frames: list[Any]) -> None:
        peer = self._peers.get(key)
        dealer = self._dealers.get(key, peer[0]) if peer else None
        if dealer is None:
            return
        try:
            dealer.send_multipart(frames, zmq.NOBLOCK, copy=False)
        except zmq.Again:
            log.debug("files: the queue to %s is full; the recipient asks again", peer[1] if peer else key)

    def _progress(self, t: _Transfer, now: float) -> None:
        if now - t.shown_at < PROGRESS_EVERY:
            return
        if t.shown_at:
            t.rate = (t.held - t.shown_bytes) / (now - t.shown_at)
        t.shown_at, t.shown_bytes = now, t.held
        self._event(ev.Progress(id=t.id, bytes=t.held, size=t.size, rate=round(t.rate, 1)))

    def _fail(self, t: _Transfer, code: Code, detail: str, tell: bool = True) -> None:
        """End a transfer without the file; the other side is told unless it told us. A
        recipient's partial download stays for a resume (a hash mismatch has set it aside)."""
        if tell:
            self._tell(t, "file_stop", code=code.value, detail=detail[:512])
        self._forget(t)
        self._event(ev.TransferFailed(id=t.id, key=t.key, nick=t.nick, code=code.value, detail=detail,
                                      incoming=isinstance(t, _Receiving)))

    def _forget(self, t: _Transfer) -> None:
        if isinstance(t, _Receiving):
            self._in.pop(t.id, None)
            if t.writer is not None:
                t.writer.close()
        else:
            assert isinstance(t, _Sending)
            self._out.pop(t.id, None)
            if t.reader is not None:
                t.reader.close()

    def _event(self, event: ev.Event) -> None:
        self.emit(TransferEvent(event))


def new_hash() -> Any:
    return hashlib.new(HASH_ALG)
