"""The top bar's nick field: no longer than a nick may be, and marked red with the reason in
its tooltip when a nick is refused, until the user types again."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from ..core.validation import NICK_MAX
from .welcome import suggest_nick

MIN_WIDTH = 110
ERROR_STYLE = "border: 1px solid #d63031;"


class NickField(QLineEdit):
    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setObjectName("nickEdit")
        self.setMaxLength(NICK_MAX)
        self.setMinimumWidth(MIN_WIDTH)
        self.textEdited.connect(self.unmark)

    def mark(self, why: str) -> None:
        self.setStyleSheet(ERROR_STYLE)
        self.setToolTip(why)
        self.setFocus()

    def unmark(self) -> None:
        self.setStyleSheet("")
        self.setToolTip("")

    def offer_instead(self, taken: str) -> None:
        """The room refused `taken`: a free-looking nick, selected, so Enter tries it and typing
        replaces it; the chat line says why."""
        self.setText(suggest_nick(taken))
        self.mark(self.tr("%1 is taken in this room").replace("%1", taken))
        self.selectAll()
