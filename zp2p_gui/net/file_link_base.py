"""The file actor's parts that both directions share (net/files.py holds the actor itself): the
data port's frames (gets in, chunks back, sealed: core/file_seal.py), telling the other side,
ending a transfer, the events, and offering again by itself what a lost peer broke
(net/file_resume.py)."""

from __future__ import annotations

import time
from typing import Any

import zmq

from ..core import events as ev
from ..core.codec import encode
from ..core.errors import Code
from ..core.file_limits import CREDIT
from ..core.file_seal import SealError, peek_tag
from ..core.lazylog import Log
from .actor import Actor, drain
from .dealers import Dealers
from .file_data import DataPort
from .file_resume import ResumeBook, offer_again
from .file_transfers import Receiving, Refusal, Sending, Transfer
from .malformed import MalformedCounter
from .messages import TransferEvent

log = Log(__name__)


class FileLinkBase(Actor):
    """The state a file actor keeps, and what it does with it in either direction."""

    key: str
    nick: str
    _dealers: Dealers
    _peers: dict[str, tuple[str, str]]  # key -> (address, nick)
    _out: dict[str, Sending]
    _in: dict[str, Receiving]
    _tags: dict[bytes, Transfer]  # the data port's index: a transfer's tag -> the transfer
    _data: DataPort
    _book: ResumeBook
    malformed: MalformedCounter
    unsealed: MalformedCounter

    def _on_data(self, sock: zmq.Socket) -> None:
        """Gets on our ROUTER (frames: route, header, sealed), chunks on a DEALER (header, sealed).
        A frame whose tag names none of our transfers costs one dict lookup; one that does not
        open is dropped and counted, unanswered, before any disk work."""
        router = sock is self._data.router
        for frames in drain(sock, limit=4 * CREDIT, multipart=True):
            route = frames.pop(0).bytes if router and frames else b""
            header = frames[0].bytes if len(frames) == 2 else b""
            t = self._tags.get(peek_tag(header) or b"")
            if t is None or isinstance(t, Sending) != router:
                self.unsealed.count("an unknown transfer", "no transfer of ours has this tag")
                continue
            assert t.seal is not None
            into = t.buffer() if isinstance(t, Receiving) else None  # a chunk opens into a buffer of its own
            try:
                head, body = t.seal.open(header, frames[1].buffer, into)
            except SealError as exc:
                self.unsealed.count(f"transfer {t.id}", exc)
                if isinstance(t, Receiving) and into is not None:
                    t.give_back(into)
                continue
            if isinstance(t, Sending):
                t.route = route
                self._serve(t, head.offset, head.length, head.held)
            elif into is not None:
                self._on_chunk(t, head.offset, into, len(body))

    def _serve(self, s: Sending, offset: int, length: int, held: int) -> None:
        """A get, opened: the chunk goes back sealed, on the connection the get came on."""
        if offset + length > s.size or held > s.size or (s.resume and not s.answered):
            return  # (a resumed offer serves only the gets that follow its recipient's answer to it)
        if not s.started:
            self._book.accepted(s.id, s.key, s.root, s.fp, s.size)
        s.answered = s.started = True
        s.heard_at = time.monotonic()
        if s.resumed_from is None:
            s.resumed_from = held
        s.held = max(s.held, held)
        try:
            data = s.read(offset, length)
        except OSError as exc:
            return self._fail(s, Code.UNREADABLE, f"cannot read {s.root}: {exc}")
        if length:
            assert s.seal is not None
            self._data.answer(s.route, list(s.seal.seal(offset, len(data), 0, data)))
        if s.hashed == s.size:
            self._tell(s, "file_end", hash=s.hasher.hexdigest())
        self._progress(s, time.monotonic())

    def _ask(self, t: Receiving) -> None:
        peer = self._peers.get(t.key)
        if peer is None or t.seal is None:
            return  # (asked again on a stall, once the peer is back)
        for offset, length in t.asks():
            self._data.ask(t.key, peer[0], list(t.seal.seal(offset, length, t.held)))

    def _on_chunk(self, t: Receiving, offset: int, buffer: bytearray, length: int) -> None:
        """A chunk, opened into buffer: written only if it is the one asked for next, of the
        asked length (by the writer thread, which says when through `_on_written`)."""
        if not t.wanted(offset, length):  # never written
            t.give_back(buffer)
            if offset == t.held:  # else a duplicate of a chunk asked again
                self.malformed.count(t.key, "a chunk of another length than asked")
            return
        t.received(buffer, length)
        self._progress(t, t.heard_at)

    def _resume(self) -> None:
        """Offer again, with its id, what a lost peer broke, once that peer is a member again."""
        for broken in self._book.due(self._peers, self._out):
            try:
                s = offer_again(broken, self._peers[broken.key][1], self.key, self.nick)
            except Refusal as exc:
                log.info("files: %s; it does not resume", exc.detail)
                self._book.forget(broken.id)
                continue
            self._track(s)
            self._event(ev.OfferSent(id=s.id, key=s.key, nick=s.nick, filename=s.manifest.name, size=s.size,
                                     files=s.manifest.files, path=str(s.root), resume=True))

    def _tell(self, t: Transfer, kind: str, **fields: Any) -> None:
        self._send(t.key, [encode(kind, id=t.id, key=self.key, **fields)])

    def _send(self, key: str, frames: list[Any]) -> None:
        """Dropped when it cannot go now: the recipient asks again, an offer is sent again."""
        peer = self._peers.get(key)
        if peer is not None:
            self._dealers.send(key, peer[0], frames)

    def _progress(self, t: Transfer, now: float) -> None:
        if (event := t.progress(now)) is not None:
            self._event(event)

    def _fail(self, t: Transfer, code: Code, detail: str, tell: bool = True) -> None:
        """End a transfer without the file; the other side is told unless it told us. A
        recipient's partial download stays for a resume (a hash mismatch has set it aside)."""
        if tell:
            self._tell(t, "file_stop", code=code.value, detail=detail[:512])
        self._forget(t)
        incoming = isinstance(t, Receiving)
        resumable = code is Code.PEER_LOST and (t.running if isinstance(t, Receiving) else self._book.has(t.id))
        if not incoming and not resumable:
            self._book.forget(t.id)
        self._event(ev.TransferFailed(id=t.id, key=t.key, nick=t.nick, code=code.value, detail=detail,
                                      incoming=incoming, resumable=resumable))

    def _track(self, t: Transfer) -> None:
        """A transfer from now on, by id and by the tag its data frames carry."""
        (self._in if isinstance(t, Receiving) else self._out)[t.id] = t  # type: ignore[index, assignment]
        if t.seal is not None:
            self._tags[t.seal.tag] = t

    def _forget(self, t: Transfer) -> None:
        (self._in if isinstance(t, Receiving) else self._out).pop(t.id, None)
        if t.seal is not None and self._tags.get(t.seal.tag) is t:
            del self._tags[t.seal.tag]
        t.close()

    def _event(self, event: ev.Event) -> None:  # the engine passes it on to the front end
        self.emit(TransferEvent(event))
