"""The status badge: icon, colour and words for the connection, always from a Status."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from .icons import state_color, state_icon
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
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 3, 10, 3)
        layout.setSpacing(6)
        layout.addWidget(self._icon)
        layout.addWidget(self._text, 1)
        self._status = Status()
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
        self.setAccessibleName(self._text.text())
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
        return self.tr("Error: %1").replace("%1", self.reason(status.error_code, status.error_detail))

    def reason(self, code: str, detail: str) -> str:
        """Short words for the refusals a user can act on; the engine's detail otherwise."""
        known = {
            "nick_in_use": self.tr("nick already in use"),
            "bad_nick": self.tr("invalid nick"),
            "room_full": self.tr("the room is full"),
            "incompatible_version": self.tr("the host runs an incompatible version"),
            "wrong_passphrase": self.tr("wrong passphrase"),
            "bind_failed": self.tr("ports are in use"),
            "no_interface": self.tr("no network interface"),
            "not_allowed": self.tr("address not allowed"),
        }
        return known.get(code, detail)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.set_status(self._status)
        super().changeEvent(event)
