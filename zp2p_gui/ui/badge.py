"""The status badge: icon, colour and words for the connection, always from a Status, and a
lock while the run is a private (passphrase) room."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from .icons import lock_icon, state_color, state_icon
from .problems import Problems
from .status import State, Status


MIN_CHARS = 6  # a narrow badge still shows the start of its words, then "…"


class ElidedLabel(QLabel):
    """A one-line label that may get narrower than its text and then ends it with "…", so a
    narrow window squeezes the badge instead of overlapping its neighbours. `full_text` is
    what was set; the tooltip of the badge carries it too."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""

    @property
    def full_text(self) -> str:
        return self._full

    def setText(self, text: str) -> None:
        self._full = text
        self._elide()
        self.updateGeometry()

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().averageCharWidth() * MIN_CHARS, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance(self._full) + 2, super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, self.contentsRect().width())
        super().setText(shown if self.width() > 1 else self._full)


class StatusBadge(QWidget):
    """A rounded pill; its accessible name carries the same words for screen readers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBadge")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._icon = QLabel(self)
        self._text = ElidedLabel(self)
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
        return self._text.full_text

    @property
    def shown_text(self) -> str:
        """The words as drawn: shortened with "…" when the badge is narrow."""
        return self._text.text()

    def set_status(self, status: Status) -> None:
        self._status = status
        color = state_color(status.state)
        size = self.fontMetrics().height()
        self._icon.setPixmap(state_icon(status.state).pixmap(size, size))
        self._text.setText(self.describe(status))
        self.setToolTip(status.error_detail or self._text.full_text)
        private = self._private and status.state not in (State.OFFLINE, State.ERROR)
        self._lock.setVisible(private)
        if private:
            self._lock.setPixmap(lock_icon().pixmap(size, size))
            self._lock.setToolTip(self.tr("Private room: messages are encrypted, and only people with "
                                          "the passphrase can join"))
        accessible = self._text.full_text
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
