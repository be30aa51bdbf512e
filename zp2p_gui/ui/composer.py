"""The input box: Enter sends, Shift+Enter starts a new line, like most chat apps."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget

VISIBLE_LINES = 3


class Composer(QPlainTextEdit):
    """Emits `submitted` with the text (not sent when blank) and clears itself. While `ready`
    says the engine has no room for more, it keeps the text and emits `held` instead."""

    submitted = Signal(str)
    held = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self.setTabChangesFocus(True)
        self.ready: Callable[[], bool] = lambda: True
        line = self.fontMetrics().lineSpacing()
        margins = self.contentsMargins()
        self.setFixedHeight(line * VISIBLE_LINES + int(self.document().documentMargin() * 2)
                            + margins.top() + margins.bottom() + 4)

    def submit(self) -> None:
        text = self.toPlainText()
        if text.strip() and not self.ready():
            self.held.emit()
        elif text.strip():
            self.submitted.emit(text)
            self.clear()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.submit()
            return
        if enter:
            self.insertPlainText("\n")
            return
        super().keyPressEvent(event)
