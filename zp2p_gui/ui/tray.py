"""Unread count, tray icon and desktop notifications: what tells a user about a message
when the window is in the background."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon, QWidget

from .icons import app_icon, with_count

PREVIEW_CHARS = 120


class Notifier(QObject):
    """Shows the unread count it is given (all conversations together: the window's conversation
    list decides what is unread) and notifies about messages while `window` is not active."""

    unread_changed = Signal(int)

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._unread = 0
        self._tray = QSystemTrayIcon(app_icon(), self)
        self._tray.setToolTip("zp2p")
        self._tray.activated.connect(self._on_activated)
        menu = QMenu(window)
        self._show_action = QAction(menu)
        self._show_action.triggered.connect(self.bring_up)
        self._quit_action = QAction(menu)
        self._quit_action.triggered.connect(window.close)
        menu.addAction(self._show_action)
        menu.addAction(self._quit_action)
        self._tray.setContextMenu(menu)
        self.retranslate()
        if QSystemTrayIcon.isSystemTrayAvailable():
            self._tray.show()

    @property
    def unread(self) -> int:
        return self._unread

    def retranslate(self) -> None:
        self._show_action.setText(self.tr("Show zp2p"))
        self._quit_action.setText(self.tr("Quit"))

    def message(self, nick: str, text: str, private: bool = False) -> None:
        """A message from someone else arrived; notify unless the user is looking at the window.
        The title names who wrote, and says so when only this user can read it."""
        if self._window.isActiveWindow():
            return
        if self._tray.isVisible() and QSystemTrayIcon.supportsMessages():
            preview = text if len(text) <= PREVIEW_CHARS else text[:PREVIEW_CHARS] + "…"
            self._tray.showMessage(self.title(nick, private), preview, app_icon(), 5000)
        else:
            QApplication.alert(self._window)

    def title(self, nick: str, private: bool) -> str:
        return self.tr("%1 (private message)").replace("%1", nick) if private else nick

    def hide(self) -> None:
        self._tray.hide()

    def bring_up(self) -> None:
        self._window.showNormal()
        self._window.raise_()
        self._window.activateWindow()

    def set_unread(self, count: int) -> None:
        if count == self._unread:
            return
        self._unread = count
        self._tray.setIcon(with_count(app_icon(), count))
        self._tray.setToolTip(self.tr("zp2p: %n unread message(s)", "", count) if count else "zp2p")
        self.unread_changed.emit(count)

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.bring_up()
