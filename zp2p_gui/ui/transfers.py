"""File transfers in the window: offering files and folders to a member (the "Send file…" button
beside the composer, the member list's context menu, or dropping files on a conversation or on a
member), and the rows of each conversation's transfers under its messages.

The engine does the transfer (Session.send_files / accept_offer / decline_offer / cancel_transfer
and the Offer, OfferSent, Progress, TransferDone and TransferFailed events); this module keeps a
row per transfer in step with those events. Rows live beside the conversation views, not in them,
so they survive switching conversations; finished rows beyond KEEP_FINISHED per person, and
beyond KEEP_FINISHED_ALL in all (someone offering a file under a new identity every second has
one row each), are cleared, and cleared rows are kept for the next transfers, so a long session
does not pile them up (tests/gui/test_transfer_leaks.py)."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QMenu,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..core import events as ev
from ..core.errors import Code
from ..core.transfer_figures import human_size
from .direct import DirectMessages
from .members import MemberList
from .session import Session
from .transfer_row import TransferRow
from .tray import Notifier

KEEP_FINISHED = 20  # finished rows kept per conversation, newest first; a ✕ clears one sooner
KEEP_FINISHED_ALL = 100  # and over all conversations
SPARE_ROWS = KEEP_FINISHED  # cleared rows kept for reuse; beyond these, a cleared row is deleted
PANEL_MAX_PX = 260  # beyond this the rows scroll; the messages keep most of the height
Target = tuple[str, str]  # (identity key, nick) of the member files go to


def local_paths(mime: QMimeData) -> list[str]:
    """The local files and folders a drag carries (web links and text are not files to send)."""
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]


class FileDrop(QObject):
    """An event filter on a view's viewport: files dropped there go to the member `target(pos)`
    names. `ready()` says whether a drag is welcome at all (online, someone to send to)."""

    def __init__(self, ready: Callable[[], bool], target: Callable[[QPoint], Target | None],
                 dropped: Callable[[Target, list[str]], None], parent: QObject) -> None:
        super().__init__(parent)
        self._ready, self._target, self._dropped = ready, target, dropped

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            return False
        assert isinstance(event, QDropEvent)  # DragEnter and DragMove derive from it
        paths = local_paths(event.mimeData()) if self._ready() else []
        target = self._target(event.position().toPoint()) if paths else None
        if kind == QEvent.Type.DragEnter and paths or target is not None:
            event.acceptProposedAction()  # entering over no member: the pointer may move onto one
        else:
            event.ignore()
        if kind == QEvent.Type.Drop and target is not None:
            self._dropped(target, paths)
        return True


class SendButton(QToolButton):
    """Beside the composer: "Send file…", its arrow offering "Send folder…"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sendFileButton")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        menu = QMenu(self)
        self.file_action = menu.addAction("")
        self.folder_action = menu.addAction("")
        self.setMenu(menu)
        self.setDefaultAction(self.file_action)
        self.retranslate()

    def retranslate(self) -> None:
        self.file_action.setText(self.tr("Send file…"))
        self.folder_action.setText(self.tr("Send folder…"))
        self.setToolTip(self.tr("Send files or a folder to the person of this conversation (or drop them here)")
                        if self.isEnabled() else self.tr("Open a conversation with a member to send files"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.LanguageChange, QEvent.Type.EnabledChange):
            self.retranslate()
        super().changeEvent(event)


class TransferPanel(QScrollArea):
    """The rows under the conversation shown; hidden while it has none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transferPanel")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        content = QWidget()
        self.rows = QVBoxLayout(content)
        self.rows.setContentsMargins(0, 4, 0, 0)
        self.rows.setSpacing(4)
        self.setWidget(content)
        self.hide()

    def fit(self) -> None:
        """As tall as its visible rows, up to PANEL_MAX_PX; hidden when there are none."""
        content = self.widget()
        content.adjustSize()
        height = content.sizeHint().height()
        shown = any(self.rows.itemAt(i).widget().isVisibleTo(content) for i in range(self.rows.count()))
        self.setFixedHeight(min(height, PANEL_MAX_PX) if shown else 0)
        self.setVisible(shown)


class Transfers(QObject):
    """Owns the rows and the ways to start a transfer. `column` holds the conversation views
    with the panel under them; `send_button` goes beside the composer."""

    def __init__(self, session: Session, direct: DirectMessages, members: MemberList, notifier: Notifier,
                 window: QWidget) -> None:
        super().__init__(window)
        self._session, self._direct, self._members, self._notifier = session, direct, members, notifier
        self._window = window
        self._rows: dict[str, TransferRow] = {}
        self._spare: list[TransferRow] = []
        self._roster: tuple[ev.Member, ...] = ()
        self._online = False
        self.panel = TransferPanel()
        self.column = QWidget()
        layout = QVBoxLayout(self.column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(direct.stack, 1)
        layout.addWidget(self.panel)
        self.send_button = SendButton()
        self.send_button.file_action.triggered.connect(lambda: self.choose_and_send(self._shown(), folder=False))
        self.send_button.folder_action.triggered.connect(lambda: self.choose_and_send(self._shown(), folder=True))
        self._view_drop = FileDrop(lambda: self._shown() is not None, lambda _pos: self._shown(), self.send, self)
        self._watch_view()
        direct.stack.currentChanged.connect(self._watch_view)
        self.panel.viewport().setAcceptDrops(True)  # the rows are part of the conversation too
        self.panel.viewport().installEventFilter(self._view_drop)
        direct.list.chosen.connect(self._show_rows)
        members.files_requested.connect(lambda member, folder: self.choose_and_send(
            (member.key, member.nick), folder))
        members.viewport().setAcceptDrops(True)
        members.viewport().installEventFilter(FileDrop(lambda: self._online, self._member_at, self.send, self))
        self._update_button()

    # ------------------------------------------------------------------ starting a transfer
    def choose(self, folder: bool) -> list[str]:
        """Ask which files (or which folder) to send; empty when the user cancels."""
        if folder:
            chosen = QFileDialog.getExistingDirectory(self._window, self.tr("Send folder…"))
            return [chosen] if chosen else []
        return QFileDialog.getOpenFileNames(self._window, self.tr("Send file…"))[0]

    def choose_and_send(self, target: Target | None, folder: bool) -> None:
        if target is not None:
            self.send(target, self.choose(folder))

    def send(self, target: Target, paths: list[str]) -> None:
        """Offer each path to the member; its row waits in their conversation for the answer."""
        key, nick = target
        for path in paths:
            transfer_id = self._session.send_files(path, nick=nick, key=key)
            if transfer_id and transfer_id not in self._rows:
                self._add(transfer_id, key, nick, False, _base_name(path)).path = path

    def _shown(self) -> Target | None:
        """The member of the conversation shown, when files can go to them now."""
        key = self._direct.current_key
        return (key, self._nick(key)) if key and self._online else None

    def _member_at(self, pos: QPoint) -> Target | None:
        member = self._members.member_at(self._members.itemAt(pos))
        return (member.key, member.nick) if member is not None and self._members.can_message(member) else None

    # ------------------------------------------------------------------ engine events
    def on_event(self, event: ev.Event) -> bool:
        """Take the transfer events (True) and follow the roster and the connection (False)."""
        match event:
            case ev.Offer():
                self._offered(event)
            case ev.OfferSent():
                self._fresh_row(event.id, event.key, event.nick, False, event.filename).offered(
                    event.size, event.files, event.path)
            case ev.Progress(id=transfer_id) if transfer_id in self._rows:
                self._rows[transfer_id].progressed(event.bytes, event.size, event.rate)
            case ev.TransferDone():
                self._done(event)
            case ev.TransferFailed():
                self._row(event.id, event.key, event.nick, event.incoming, "").failed(event.code, event.detail)
                self._trim(event.key)
            case ev.Joined(users=users) | ev.Presence(users=users):
                self._set_online(True, users)
                return False
            case ev.Hosting():
                self._set_online(True, self._roster)
                return False
            case ev.Left():
                self._set_online(False, ())
                for row in self._rows.values():
                    row.interrupted()
                return False
            case _:
                return False
        self.panel.fit()
        return True

    def _offered(self, offer: ev.Offer) -> None:
        row = self._fresh_row(offer.id, offer.key, offer.nick, True, offer.filename)
        row.offered(offer.size, offer.files)
        if offer.resume:  # accepted before: it goes on by itself, nothing to ask
            return row.accepted()
        self._direct.list.ensure(offer.key, offer.nick, active=True)
        self._direct.list.set_present({m.key for m in self._roster})
        self._tell(offer.key, offer.nick, self.tr("Offers you %1 (%2)").replace("%1", offer.filename).replace(
            "%2", human_size(offer.size)))

    def _done(self, done: ev.TransferDone) -> None:
        row = self._row(done.id, done.key, done.nick, done.incoming, _base_name(done.path))
        row.finished(done.path, done.size, done.resumed_from)
        if done.incoming:
            self._tell(done.key, done.nick, self.tr("Received %1").replace("%1", row.filename))
        self._trim(done.key)

    def _tell(self, key: str, nick: str, text: str) -> None:
        """Count it on the person's conversation unless it is on screen, and notify (as a DM would)."""
        if not self._direct.is_shown(key):
            self._direct.list.add_unread(key)
        self._notifier.message(nick, text, private=True)

    # ------------------------------------------------------------------ rows
    def row(self, transfer_id: str) -> TransferRow | None:
        return self._rows.get(transfer_id)

    def rows(self, key: str) -> list[TransferRow]:
        """The rows of one conversation, oldest first."""
        return [row for row in self._rows.values() if row.key == key]

    def _row(self, transfer_id: str, key: str, nick: str, incoming: bool, filename: str) -> TransferRow:
        """The row of a transfer; one is made for a transfer first heard of (a resume the engine started)."""
        row = self._rows.get(transfer_id)
        return row if row is not None else self._add(transfer_id, key, nick, incoming, filename or transfer_id)

    def _fresh_row(self, transfer_id: str, key: str, nick: str, incoming: bool, filename: str) -> TransferRow:
        """The row of an offer: one that ended before (offered again to resume it) starts over."""
        row = self._row(transfer_id, key, nick, incoming, filename)
        if row.phase.finished:
            row.start(transfer_id, key, nick, incoming, filename)
        return row

    def _add(self, transfer_id: str, key: str, nick: str, incoming: bool, filename: str) -> TransferRow:
        """A row at the end of the panel: a cleared one reused, else a new one."""
        if self._spare:
            row = self._spare.pop()
            row.start(transfer_id, key, nick, incoming, filename)
            self.panel.rows.removeWidget(row)
        else:
            row = TransferRow(transfer_id, key, nick, incoming, filename)
            row.accept_clicked.connect(self._accept)
            row.decline_clicked.connect(self._decline)
            row.cancel_clicked.connect(self._cancel)
            row.open_clicked.connect(_open_local)
            row.show_clicked.connect(_open_local)
            row.dismissed.connect(self._remove)
        self._rows[transfer_id] = row
        self.panel.rows.addWidget(row)
        row.setVisible(key == self._direct.current_key)
        self.panel.fit()
        return row

    def _accept(self, transfer_id: str) -> None:
        self._session.accept_offer(transfer_id)
        self._rows[transfer_id].accepted()
        self.panel.fit()

    def _decline(self, transfer_id: str) -> None:
        """Said at once: the engine's answer would only repeat it."""
        self._session.decline_offer(transfer_id)
        self._rows[transfer_id].failed(Code.DECLINED, "")
        self.panel.fit()

    def _cancel(self, transfer_id: str) -> None:
        self._session.cancel_transfer(transfer_id)
        self._rows[transfer_id].failed(Code.CANCELLED, "")
        self.panel.fit()

    def _remove(self, transfer_id: str) -> None:
        row = self._rows.pop(transfer_id, None)
        if row is None:
            return
        row.hide()
        if len(self._spare) < SPARE_ROWS:
            self._spare.append(row)
        else:
            self.panel.rows.removeWidget(row)
            row.deleteLater()  # it may be the row whose ✕ was just clicked
        self.panel.fit()

    def _trim(self, key: str) -> None:
        """The oldest finished rows past KEEP_FINISHED for this person and KEEP_FINISHED_ALL in all."""
        for rows, keep in ((self.rows(key), KEEP_FINISHED), (list(self._rows.values()), KEEP_FINISHED_ALL)):
            finished = [row for row in rows if row.phase.finished]
            for row in finished[:max(0, len(finished) - keep)]:
                self._remove(row.transfer_id)

    def _show_rows(self, key: str) -> None:
        for row in self._rows.values():
            row.setVisible(row.key == key)
        self.panel.fit()
        self._update_button()

    # ------------------------------------------------------------------ state
    def _set_online(self, online: bool, users: tuple[ev.Member, ...]) -> None:
        self._online, self._roster = online, users
        self._update_button()

    def _update_button(self) -> None:
        self.send_button.setEnabled(self._shown() is not None)

    def _watch_view(self) -> None:
        """Files dropped on the conversation shown go to its person (the room's view refuses them)."""
        viewport = self._direct.stack.currentWidget().viewport()
        viewport.setAcceptDrops(True)
        viewport.installEventFilter(self._view_drop)  # installed once however often this runs

    def _nick(self, key: str) -> str:
        return next((m.nick for m in self._roster if m.key == key), "") or self._direct.list.nick(key)


def _open_local(path: str) -> None:
    """Open / Show in folder: the desktop's own application for the file or the folder."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(path))


def _base_name(path: str) -> str:
    """What a row calls a file or folder before the engine names it: the last part of its path."""
    return path.rstrip("/\\").replace("\\", "/").rsplit("/", 1)[-1] or path
