"""File transfers, the engine's side: who an offer goes to (a key, or the key a nick names, as for
direct messages), whether that member is here now, and passing the front end's answers to the
file actor (net/files.py), which does the transfer itself and reports through TransferEvent."""

from __future__ import annotations

import itertools
from pathlib import Path

from ..core import events as ev
from ..core.errors import Code
from ..core.records import record
from ..net.messages import (AcceptOffer, CancelTransfer, DeclineOffer, FilePeers, OfferFiles, SendFiles,
                            TransferEvent)
from .base import INBOX
from .direct import Direct


_inlets = itertools.count(1)


@record(frozen=True)
class _StartFiles:
    """Start the file actor after the inbox item being handled: at the first roster that is the
    welcome, and `joined` should not wait for the actor's imports (~20 ms)."""


class Files(Direct):
    _file_peers: FilePeers | None = None
    _files_inlet = ""
    _files_due = False  # a _StartFiles waits in the inbox

    def _direct_begin(self, files_endpoint: str | None = None) -> None:
        """The direct port passes file frames to an inproc endpoint named now; the file actor
        binds it once it starts (inproc allows connecting first; frames wait within the HWM)."""
        self._files_inlet = files_endpoint or f"inproc://zp2p-file-frames-{next(_inlets)}"
        super()._direct_begin(self._files_inlet)

    def _files_begin(self) -> None:
        """Start the file actor, once the first roster is handled (`_StartFiles`): its modules
        (hashing, disk) are imported then, not on the way to joining."""
        from ..net.file_disk import default_downloads
        from ..net.file_resume import FILE_NAME
        from ..identity import data_dir
        from ..net.files import FileLink

        identity = self._sec.identity
        downloads = self.config.downloads or default_downloads()
        self._roles.start(FileLink(self.ctx, self._inbox.put, self.addr, self.config.ports[4], identity.public,
                                   identity.secret, self.config.limits, self._sec.key, self.config.nick,
                                   Path(downloads), self.config.auto_accept, self._files_inlet,
                                   data_dir(self.config.data_dir) / FILE_NAME,
                                   data_port=self.config.ports[4] + 1))  # P+5: the file data port

    def _direct_roster(self) -> None:
        """The members a file may go to or come from are those direct messages may."""
        super()._direct_roster()
        if self._store is None:
            return
        if self._files_inlet and "files" not in self._roles:
            if not self._files_due:
                self._files_due = True
                self._inbox.put(_StartFiles())
            return  # the actor gets the peers when it starts
        self._tell_file_peers()

    @INBOX.on(_StartFiles)
    def _on_start_files(self, _: _StartFiles | None = None) -> None:
        self._files_due = False
        if self._store is not None and "files" not in self._roles:
            self._files_begin()
            self._tell_file_peers()

    def _tell_file_peers(self) -> None:
        peers = FilePeers(tuple((k, m.addr, m.nick) for k, m in self._dm_present.items()))
        if peers != self._file_peers:
            self._file_peers = peers
            self._roles.tell("files", peers)

    @INBOX.on(SendFiles)
    def _on_send_files(self, request: SendFiles) -> None:
        self._on_open_direct()
        if self._store is None:
            return self._error(Code.NO_HOST, "not started yet; nothing was sent")
        key = self._checked_key(request.key) if request.key else self._recipient_of(request.nick or "")
        if key is None:
            return
        if key not in self._dm_present:
            return self._emit(ev.TransferFailed(id=request.id, key=key, nick=self._name_of(key, request.nick or ""),
                                                code=Code.PEER_AWAY.value,
                                                detail="the recipient is not in the room now"))
        if self._files_due:  # asked for before the queued start came round
            self._on_start_files()
        self._roles.tell("files", OfferFiles(request.id, key, request.path))

    @INBOX.on(AcceptOffer, DeclineOffer, CancelTransfer)
    def _on_transfer_answer(self, request: AcceptOffer | DeclineOffer | CancelTransfer) -> None:
        self._roles.tell("files", request)

    @INBOX.on(TransferEvent)
    def _on_transfer_event(self, news: TransferEvent) -> None:
        self._emit(news.event)
