"""The status badge: icon, colour and words for the connection, always from a Status, and a
lock while the run is a private (passphrase) room."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from .icons import lock_icon, state_color, state_icon
from .problems import Problems
from .status import State, Status


class StatusBadge(QWidget):
    """A rounded pill; its accessible name carries the same words for screen readers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBadge")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._icon = QLabel(self)
        self._text = QLabel(self)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._lock = QLabel(self)
        self._lock.setObjectName("privateRoomLock")
        self._problems = Problems(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 3, 10, 3)
        layout.setSpacing(6)
        layout.addWidget(self._icon)
        layout.addWidget(self._text, 1)
        layout.addWidget(self._lock)
        self._status = Status()
        self._room = ""
        self._private = False
        self.set_status(self._status)

    @property
    def private_shown(self) -> bool:
        """Whether the lock is up (tests and screen readers ask; isVisible needs a shown window)."""
        return not self._lock.isHidden()

    def set_room(self, room: str, private: bool) -> None:
        """The room of the current Connect: named in refusals, and private ones get the lock."""
        self._room, self._private = room, private
        self.set_status(self._status)

    @property
    def text(self) -> str:
        return self._text.text()

    def set_status(self, status: Status) -> None:
        self._status = status
        color = state_color(status.state)
        size = self.fontMetrics().height()
        self._icon.setPixmap(state_icon(status.state).pixmap(size, size))
        self._text.setText(self.describe(status))
        self.setToolTip(status.error_detail or self._text.text())
        private = self._private and status.state not in (State.OFFLINE, State.ERROR)
        self._lock.setVisible(private)
        if private:
            self._lock.setPixmap(lock_icon().pixmap(size, size))
            self._lock.setToolTip(self.tr("Private room: messages are encrypted, and only people with "
                                          "the passphrase can join"))
        accessible = self._text.text()
        self.setAccessibleName(accessible + (" — " + self.tr("private room") if private else ""))
        self.setStyleSheet(
            f"#statusBadge {{ border: 1px solid {color.name()}; border-radius: 11px;"
            f" background: rgba({color.red()}, {color.green()}, {color.blue()}, 40); }}"
            f" #statusBadge QLabel {{ font-weight: bold; }}")

    def describe(self, status: Status) -> str:
        match status.state:
            case State.OFFLINE:
                return self.tr("Offline")
            case State.SEARCHING:
                return self.tr("Searching…")
            case State.HOSTING:
                return self.tr("Hosting server")
            case State.CONNECTED:
                host = f"{status.host_nick} ({status.host})" if status.host_nick else status.host
                return self.tr("Connected to %1").replace("%1", host)
            case State.RECONNECTING:
                return self.tr("Reconnecting…")
        known = self._problems.describe(status.error_code, status.error_detail, self._room)
        return known or self.tr("Error: %1").replace("%1", status.error_detail)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.set_status(self._status)
        super().changeEvent(event)
