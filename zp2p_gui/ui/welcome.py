"""The first-run panel: shown above the chat until the first Connect, it says what Connect
will do and where it will look, so hosting a room is never a surprise."""

from __future__ import annotations

import getpass

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from ..core.validation import NICK_MAX, ValidationError, check_nick
from .scope import SearchScope


def default_nick() -> str:
    """The OS user name when it is a valid nick; empty otherwise (the field then asks for one)."""
    try:
        return check_nick(getpass.getuser())
    except (ValidationError, KeyError, OSError, ImportError):  # getpass fails without a passwd entry
        return ""


def suggest_nick(taken: str) -> str:
    """A nick to try instead of a taken one: "alice" -> "alice2", "alice2" -> "alice3", cut to
    fit the length limit."""
    base = taken.rstrip("0123456789")
    number = int(taken[len(base):]) + 1 if taken[len(base):] else 2
    suffix = str(number)
    return (base[:NICK_MAX - len(suffix)] or "user") + suffix


class WelcomePanel(QFrame):
    """A tinted box, not a dialog: the window stays usable and the nick field keeps the focus."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._title = QLabel()
        self._title.setObjectName("welcomeTitle")
        self._body = QLabel()
        self._body.setObjectName("welcomeBody")
        self._body.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 10)
        layout.setSpacing(4)
        layout.addWidget(self._title)
        layout.addWidget(self._body)
        self.setStyleSheet("#welcomePanel { border: 1px solid palette(highlight); border-radius: 6px; }"
                           " #welcomeTitle { font-weight: bold; }")
        self._scope = SearchScope()
        self._window_s = 1.0
        self.retranslate()

    @property
    def text(self) -> str:
        return f"{self._title.text()}\n{self._body.text()}"

    def set_scope(self, scope: SearchScope, discovery_window_s: float) -> None:
        self._scope = scope
        self._window_s = discovery_window_s
        self.retranslate()

    def retranslate(self) -> None:
        self._title.setText(self.tr("Welcome to zp2p"))
        self._body.setText(self.tr("Choose the name others will see in the Nick field, then press Connect.")
                           + "\n" + self._what_connect_does())
        self.setAccessibleName(self.text)

    def _what_connect_does(self) -> str:
        scope = self._scope
        if not scope.networks and scope.host:
            return self.tr("Connect joins the zp2p host at %1.").replace("%1", scope.host)
        network = scope.networks_text or self.tr("the local network")
        wait = (self.tr("a second") if self._window_s == 1.0
                else self.tr("%1 seconds").replace("%1", f"{self._window_s:g}"))
        return (self.tr("Connect looks for a zp2p host on %1; if none answers within %2, "
                        "this computer becomes the host and others will find it.")
                .replace("%1", network).replace("%2", wait))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
