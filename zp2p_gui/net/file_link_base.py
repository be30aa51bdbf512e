"""The file actor's parts that both directions share (net/files.py holds the actor itself): telling
the other side, ending a transfer, the events, and offering again by itself what a lost peer broke
(net/file_resume.py)."""

from __future__ import annotations

import logging
from typing import Any

from ..core import events as ev
from ..core.codec import encode
from ..core.errors import Code
from .actor import Actor
from .dealers import Dealers
from .file_resume import ResumeBook, offer_again
from .file_transfers import Receiving, Refusal, Sending, Transfer
from .messages import TransferEvent

log = logging.getLogger(__name__)


class FileLinkBase(Actor):
    """The state a file actor keeps, and what it does with it in either direction."""

    key: str
    nick: str
    _dealers: Dealers
    _peers: dict[str, tuple[str, str]]  # key -> (address, nick)
    _out: dict[str, Sending]
    _in: dict[str, Receiving]
    _book: ResumeBook

    def _resume(self) -> None:
        """Offer again, with its id, what a lost peer broke, once that peer is a member again."""
        for broken in self._book.due(self._peers, self._out):
            try:
                s = offer_again(broken, self._peers[broken.key][1], self.key, self.nick)
            except Refusal as exc:
                log.info("files: %s; it does not resume", exc.detail)
                self._book.forget(broken.id)
                continue
            self._out[s.id] = s
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

    def _forget(self, t: Transfer) -> None:
        (self._in if isinstance(t, Receiving) else self._out).pop(t.id, None)
        t.close()

    def _event(self, event: ev.Event) -> None:  # the engine passes it on to the front end
        self.emit(TransferEvent(event))
