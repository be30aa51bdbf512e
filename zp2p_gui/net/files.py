"""The file actor: every transfer of this node, both ways, in one thread of its own, so reading,
writing and hashing never stall direct messages or the room.

Two paths. Control (offers, waits, ends, dones, stops) goes on the CURVE direct channel: frames
reach it from the direct ROUTER (net/direct.py decodes them, checks the sender's key and passes
them on over inproc), and it writes with its own CURVE DEALERs to the members' direct ports
(net/dealers.py). Data (gets and chunks) goes on its own data port P+5 (net/file_data.py), each
frame sealed under the transfer's key that the offer carried (core/file_seal.py): the recipient's
DEALER asks, the sender's ROUTER answers on the same connection. Flow control is the ZeroMQ
guide's "fileio3": the recipient asks for chunks by stream offset and keeps CREDIT of them in
flight, so each side holds at most a few MiB whatever the size, and a slow disk on either side
slows the other. See docs/protocol.md "Files"."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import zmq

from ..core import events as ev
from ..core.codec import FILE_KINDS, CodecError, decode, encode
from ..core.config import Limits
from ..core.dispatch import Handlers
from ..core.errors import Code
from ..core.file_limits import CREDIT, MAX_OFFER_BYTES
from ..core.files import HASH_ALG
from ..core.lazylog import Log
from .actor import Emit, drain
from .dealers import Dealers
from .file_data import DataPort
from .file_disk import PART_MAX_AGE_S, accepted_before, sweep_parts
from .file_link_base import FileLinkBase
from .file_memory import keep_chunk_memory
from .file_resume import MAX_AGE_S, Accepted, ResumeBook
from .file_transfers import (STALL, STALLS_LOST, Receiving, Refusal, Sending, Transfer, expired, gone, mark_away,
                             unanswered)
from .file_writer import DiskWriter
from .malformed import MalformedCounter
from .messages import AcceptOffer, CancelTransfer, DeclineOffer, FilePeers, OfferFiles, PortTaken

log = Log(__name__)

OFFER_RESEND = 1.0  # an offer not yet answered goes again this often (a refused handshake loses it)
MAX_OFFERS_PER_PEER = 32  # unanswered incoming offers kept per sender
SEND_HWM = 4 * CREDIT  # control frames queued to one peer's direct port; beyond, dropped (sent again)
# The file actor's sockets run on the second libzmq I/O thread, the direct ROUTER on the first:
# file data never queues behind direct messages in one I/O thread.
FILE_IO_THREAD = 2
STOP_CODES = frozenset({Code.DECLINED, Code.CANCELLED, Code.DISK_FULL, Code.HASH_MISMATCH, Code.REFUSED_NAME,
                        Code.UNREADABLE, Code.WRITE_FAILED, Code.OFFER_EXPIRED})


def _mine(table: dict[str, Any], key: str, msg: dict[str, Any]) -> Any:
    """The transfer a frame names, if the frame's sender is its other side."""
    t = table.get(msg["id"])
    return t if t is not None and t.key == key else None


class FileLink(FileLinkBase):
    """Commands: FilePeers, OfferFiles, AcceptOffer, DeclineOffer, CancelTransfer. Events: TransferEvent."""

    name = "files"
    commands: Handlers[type] = Handlers(name)
    frames: Handlers[str] = Handlers("file frames")

    def __init__(self, ctx: zmq.Context, emit: Emit, addr: str, port: int, public: bytes, secret: bytes,
                 limits: Limits, key: str, nick: str, downloads: Path, auto_accept: bool, inlet: str,
                 resume_file: Path | None = None, *, data_port: int) -> None:
        super().__init__(ctx, emit)
        self.inlet_endpoint = inlet
        self.key = key
        self.nick = nick
        self.downloads = downloads
        self.auto_accept = auto_accept
        self.offer_timeout = limits.offer_timeout_s
        self._dealers = Dealers(self, limits, addr, port, public, secret, sndhwm=SEND_HWM,
                                io_thread=FILE_IO_THREAD)
        self._peers: dict[str, tuple[str, str]] = {}  # key -> (address, nick)
        self._out: dict[str, Sending] = {}
        self._in: dict[str, Receiving] = {}
        self._tags: dict[bytes, Transfer] = {}
        self._data = DataPort(self, limits, addr, data_port, FILE_IO_THREAD)
        self._disk = DiskWriter(ctx)
        self._written: zmq.Socket | None = None  # the writer thread's wakes: a chunk of a transfer is on disk
        self._book = ResumeBook(resume_file)
        self._accepted = Accepted(downloads)
        self.malformed = MalformedCounter(log, "files")
        self.unsealed = MalformedCounter(log, "file data")  # data frames that named no transfer or did not open

    def setup(self) -> None:
        keep_chunk_memory()
        inlet = self.ctx.socket(zmq.PULL)
        inlet.setsockopt(zmq.LINGER, 0)
        inlet.setsockopt(zmq.RCVHWM, 4 * CREDIT)
        inlet.bind(self.inlet_endpoint)
        self.add_socket(inlet)
        self._written = self.ctx.socket(zmq.PULL)
        self._written.setsockopt(zmq.LINGER, 0)
        self._written.bind(self._disk.endpoint)
        self.add_socket(self._written)
        if failure := self._data.open():
            self.emit(PortTaken(Code.FILES_PORT_TAKEN, f"{failure}; this node cannot send files until it "
                                "restarts (it still receives them)"))
        for part in sweep_parts(self.downloads, PART_MAX_AGE_S, time.time()):
            log.info("files: removed %s, not resumed for %.0f days", part, PART_MAX_AGE_S / 86400)

    def poll_timeout_ms(self) -> int:
        return 100 if self._out or self._in else 1000

    def on_close(self) -> None:
        for t in [*self._in.values(), *self._out.values()]:
            t.close()
        self._disk.stop()
        self._data.close()

    # -- the engine's commands
    @commands.on(FilePeers)
    def _on_peers(self, command: FilePeers) -> None:
        self._peers = {key: (addr, nick) for key, addr, nick in command.peers}
        self._dealers.keep({key: addr for key, (addr, _) in self._peers.items()})
        self._data.members({key: addr for key, (addr, _) in self._peers.items()})
        mark_away([*self._out.values(), *self._in.values()], self._peers, time.monotonic())

    @commands.on(OfferFiles)
    def _on_offer_files(self, command: OfferFiles) -> None:
        peer = self._peers.get(command.key)
        nick = peer[1] if peer else ""
        try:
            if peer is None:
                raise Refusal(Code.PEER_AWAY, "the recipient is not in the room now")
            if self._data.router is None:
                raise Refusal(Code.FILES_PORT_TAKEN, "this node's file data port is in use by another program")
            sending = Sending.prepare(command.id, command.key, nick, Path(command.path), self.key, self.nick)
        except Refusal as exc:
            return self._event(ev.TransferFailed(id=command.id, key=command.key, nick=nick, code=exc.code.value,
                                                 detail=exc.detail))
        self._track(sending)
        self._book.supersede(sending.key, sending.fp)
        self._event(ev.OfferSent(id=sending.id, key=sending.key, nick=nick, filename=sending.manifest.name,
                                 size=sending.size, files=sending.manifest.files, path=str(sending.root)))
        # on_tick, right after this command, sends the offer

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
            self._dealers.on_monitor(sock)  # a transfer's own timers ask again for what was lost
            return
        if self._data.owns(sock):
            return self._on_data(sock)
        if sock is self._written:
            return self._on_written(sock)
        for frames in drain(sock, limit=4 * CREDIT, multipart=True):
            key = frames[0].bytes.decode("ascii")
            try:
                msg = decode(frames[1].bytes, expect=FILE_KINDS, max_bytes=MAX_OFFER_BYTES)
            except CodecError as exc:
                self.malformed.count(key, exc)
                continue
            if len(frames) == 2 and key in self._peers:
                self.frames.handle(self, msg["k"], key, msg)

    @frames.on("file_offer")
    def _on_file_offer(self, key: str, msg: dict[str, Any]) -> None:
        known = self._in.get(msg["id"])
        now = time.monotonic()
        if (done := self._accepted.done_hash(key, msg["id"], now)) is not None:
            return self._send(key, [encode("file_done", id=msg["id"], key=self.key, hash=done)])
        if known is not None and known.running and (known.key, known.fp) == (key, msg["fp"]):
            if self._accepted.too_soon(key, known.fp, now):
                return
            self._forget(known)  # its sender offers it again (it restarted, or lost us): resume from disk
            known = None
        if known is not None or msg["id"] in self._out:
            if known is not None and known.key == key and not known.running:
                self._tell(known, "file_wait")
            return
        if sum(1 for t in self._in.values() if t.key == key and not t.running) >= MAX_OFFERS_PER_PEER:
            return log.warning("files: too many unanswered offers from one member; ignoring more")
        t = Receiving.from_offer(key, self._peers[key][1], msg)
        if t.refused:
            log.warning("files: refused an offer from %s: %s", t.nick, t.refused)
            return self._fail(t, Code.REFUSED_NAME, t.refused)
        folder = self._accepted.folder(key, t.fp)
        resume = accepted_before(folder, t.manifest, key, t.fp, MAX_AGE_S)
        if resume and self._accepted.too_soon(key, t.fp, now):
            return
        self._track(t)
        self._event(ev.Offer(id=t.id, key=key, nick=t.nick, filename=t.manifest.name, size=t.size,
                             files=t.manifest.files, resume=resume))
        self._tell(t, "file_wait")
        if resume:
            self._accepted.resumed(key, t.fp, now)
        if self.auto_accept or resume:
            self._accept(t, folder)

    @frames.on("file_wait")
    def _on_wait(self, key: str, msg: dict[str, Any]) -> None:
        s = _mine(self._out, key, msg)
        if s is not None:
            s.answered = True

    @frames.on("file_done")
    def _on_done(self, key: str, msg: dict[str, Any]) -> None:
        """Done after the whole stream went; or, for an offer made again that was never asked
        for, done before: the recipient had it all and its first `file_done` was lost."""
        s = _mine(self._out, key, msg)
        if s is None:
            return
        if s.hashed == s.size:
            got, kept = s.hasher.hexdigest(), s.resumed_from or 0
        elif s.resume and not s.started and msg["hash"]:
            got, kept = msg["hash"], s.size
        else:
            return
        self._book.forget(s.id)
        self._forget(s)
        self._event(ev.TransferDone(id=s.id, key=s.key, nick=s.nick, path=str(s.root), size=s.size,
                                    hash=got, hash_alg=HASH_ALG, resumed_from=kept))

    @frames.on("file_stop")
    def _on_stop(self, key: str, msg: dict[str, Any]) -> None:
        t = _mine(self._out, key, msg) or _mine(self._in, key, msg)
        if t is not None:
            code = Code(msg["code"]) if msg["code"] in {c.value for c in STOP_CODES} else Code.CANCELLED
            self._fail(t, code, f"{t.nick}: {msg['detail']}" if msg["detail"] else f"stopped by {t.nick}", tell=False)

    # -- receiving
    def _accept(self, t: Receiving, downloads: Path) -> None:
        for old in [o for o in self._in.values() if o.running and (o.key, o.fp) == (t.key, t.fp)]:
            self._fail(old, Code.PEER_LOST, "offered again by its sender", tell=False)  # one writer per part
        try:
            t.open(downloads, self._disk)
        except Refusal as exc:
            return self._fail(t, exc.code, exc.detail)
        self._accepted.note(t.key, t.fp, downloads)
        self._ask(t)

    def _on_written(self, sock: zmq.Socket) -> None:
        """The writer thread wrote chunks: ask for as many more, or end the transfer on a write
        error (disk_full, the part kept for resume) or with its last byte on disk."""
        ids = {frame.bytes.decode("utf-8", "replace") for frame in drain(sock, limit=4 * CREDIT)}
        for t in [t for t in self._in.values() if t.id in ids and t.running]:
            if t.failure is not None:
                self._fail(t, t.failure.code, t.failure.detail)
            elif t.written == t.size and t.expected:
                self._complete(t)
            else:
                self._ask(t)

    @frames.on("file_end")
    def _on_end(self, key: str, msg: dict[str, Any]) -> None:
        t = _mine(self._in, key, msg)
        if t is not None and t.running:
            t.expected = msg["hash"]
            if t.written == t.size:
                self._complete(t)

    def _complete(self, t: Receiving) -> None:
        try:
            got, path = t.verified()
        except Refusal as exc:
            return self._fail(t, exc.code, exc.detail)
        self._tell(t, "file_done", hash=got)
        self._accepted.completed(t.key, t.id, got, time.monotonic())
        self._forget(t)
        self._event(ev.TransferDone(id=t.id, key=t.key, nick=t.nick, path=str(path), size=t.size, hash=got,
                                    hash_alg=HASH_ALG, resumed_from=t.resumed_from or 0, incoming=True))

    # -- timers
    def on_tick(self, now: float) -> None:
        for t, code, detail in expired([*self._out.values(), *self._in.values()], now, self.offer_timeout):
            self._fail(t, code, detail, tell=code is Code.OFFER_EXPIRED)
        for s in [s for s in self._out.values() if not s.answered and now >= s.offer_at]:
            s.offered_at = s.offered_at or now
            s.offer_at = now + OFFER_RESEND
            self._send(s.key, [s.frame])
        for t in gone([*self._out.values(), *self._in.values()], now):
            self._fail(t, Code.PEER_LOST, f"{t.nick} left the room", tell=False)
        for s in unanswered(list(self._out.values()), now):
            self._fail(s, Code.PEER_LOST, f"{s.nick} stopped asking for the rest", tell=False)
        self._resume()
        for t in list(self._in.values()):
            if t.running and t.silent(now):
                if t.stalled(now):
                    self._fail(t, Code.PEER_LOST, f"nothing from {t.nick} for {STALL * STALLS_LOST:.0f} s")
                else:
                    self._ask(t)
