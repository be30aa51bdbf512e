"""File transfers, the engine's side: who an offer goes to (a key, or the key a nick names, as for
direct messages), whether that member is here now, and passing the front end's answers to the
file actor (net/files.py), which does the transfer itself and reports through TransferEvent."""

from __future__ import annotations

from pathlib import Path

from ..core import events as ev
from ..core.errors import Code
from ..net.file_disk import default_downloads
from ..net.files import FileLink
from ..net.messages import (AcceptOffer, CancelTransfer, DeclineOffer, FilePeers, OfferFiles, SendFiles,
                            TransferEvent)
from .base import INBOX
from .direct import Direct


class Files(Direct):
    _file_peers: FilePeers | None = None

    def _direct_begin(self, files_endpoint: str | None = None) -> None:
        super()._direct_begin(files_endpoint or self._files_begin())

    def _files_begin(self) -> str:
        """Start the file actor; returns the inproc endpoint the direct port passes file frames to."""
        identity = self._sec.identity
        downloads = self.config.downloads or default_downloads()
        link = FileLink(self.ctx, self._inbox.put, self.addr, self.config.ports[4], identity.public, identity.secret,
                        self.config.limits, self._sec.key, self.config.nick, Path(downloads), self.config.auto_accept)
        self._roles.start(link)
        return link.inlet_endpoint

    def _direct_roster(self) -> None:
        """The members a file may go to or come from are those direct messages may."""
        super()._direct_roster()
        if self._store is None:
            return
        peers = FilePeers(tuple((k, m.addr, m.nick) for k, m in self._dm_present.items()))
        if peers != self._file_peers:
            self._file_peers = peers
            self._roles.tell("files", peers)

    @INBOX.on(SendFiles)
    def _on_send_files(self, request: SendFiles) -> None:
        if self._store is None:
            return self._error(Code.NO_HOST, "not started yet; nothing was sent")
        key = self._checked_key(request.key) if request.key else self._recipient_of(request.nick or "")
        if key is None:
            return
        if key not in self._dm_present:
            return self._emit(ev.TransferFailed(id=request.id, key=key, nick=self._name_of(key, request.nick or ""),
                                                code=Code.PEER_AWAY.value,
                                                detail="the recipient is not in the room now"))
        self._roles.tell("files", OfferFiles(request.id, key, request.path))

    @INBOX.on(AcceptOffer, DeclineOffer, CancelTransfer)
    def _on_transfer_answer(self, request: AcceptOffer | DeclineOffer | CancelTransfer) -> None:
        self._roles.tell("files", request)

    @INBOX.on(TransferEvent)
    def _on_transfer_event(self, news: TransferEvent) -> None:
        self._emit(news.event)
