"""One file transfer in a conversation, as a row under its messages: the name, who it is from or
to, the size and file count, a progress bar with speed and time left, and the buttons that fit
the moment (Accept/Decline an offer, Cancel a transfer, Open/Show in folder when done, ✕ to
clear a finished row). The row only shows and asks; Transfers does what the buttons ask."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from PySide6.QtCore import QAbstractAnimation, QEvent, QPropertyAnimation, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QToolButton,
    QWidget,
)

from ..core.transfer_figures import human_size, progress_permille, seconds_left, smooth_rate
from .problems import Problems

GLIDE_MS = 240  # progress comes at most 4 times a second: the bar glides to each value in about that time


class Phase(Enum):
    OFFERED = "offered"  # incoming: waiting for this user's answer
    WAITING = "waiting"  # outgoing: waiting for the other's answer
    STARTING = "starting"  # accepted, no bytes counted yet
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    INTERRUPTED = "interrupted"  # this computer left the room; the engine says nothing more about it

    @property
    def finished(self) -> bool:
        return self in (Phase.DONE, Phase.FAILED, Phase.INTERRUPTED)


class ElidedLabel(QLabel):
    """One line that ends in … when narrower than its text (a long file name must not widen the window)."""

    def minimumSizeHint(self):  # type: ignore[override]
        hint = super().minimumSizeHint()
        hint.setWidth(min(hint.width(), 40))
        return hint

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        painter.drawText(rect, int(self.alignment()),
                         self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideMiddle, rect.width()))
        painter.end()


class TransferRow(QFrame):
    """The row of transfer `transfer_id`. Its state is set by the engine's events (through
    Transfers); every text is worked out again from that state, also at a language change."""

    accept_clicked = Signal(str)
    decline_clicked = Signal(str)
    cancel_clicked = Signal(str)
    open_clicked = Signal(str)  # the path to open
    show_clicked = Signal(str)  # the folder that holds it
    dismissed = Signal(str)

    def __init__(self, transfer_id: str, key: str, nick: str, incoming: bool, filename: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transferRow")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._problems = Problems(self)
        self._build()
        self.start(transfer_id, key, nick, incoming, filename)

    def start(self, transfer_id: str, key: str, nick: str, incoming: bool, filename: str) -> None:
        """Show a new transfer: a row is reused for the next one once cleared, because on PySide6
        6.11 every widget made and deleted keeps a reference to None (~50 per row)."""
        self.transfer_id, self.key, self.nick, self.incoming = transfer_id, key, nick, incoming
        self.filename = filename
        self.size = 0
        self.files = 0
        self.path = ""
        self.done = 0
        self.rate = 0.0
        self.resumed_from = 0
        self.code = ""
        self.detail = ""
        self.phase = Phase.OFFERED if incoming else Phase.WAITING
        self.arrow.setText("↓" if incoming else "↑")
        self.render()

    def _build(self) -> None:
        self.arrow = QLabel()
        self.arrow.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.name_label = ElidedLabel()
        self.name_label.setObjectName("transferName")
        font = self.name_label.font()
        font.setBold(True)
        self.name_label.setFont(font)
        self.about_label = ElidedLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(8)
        self._glide = QPropertyAnimation(self.bar, b"value", self)
        self._glide.setDuration(GLIDE_MS)
        self.status_label = QLabel()
        self.status_label.setObjectName("transferStatus")
        self.status_label.setWordWrap(True)
        self.accept_button = self._button(self.accept_clicked, "acceptButton")
        self.accept_button.setDefault(True)
        self.decline_button = self._button(self.decline_clicked, "declineButton")
        self.cancel_button = self._button(self.cancel_clicked, "cancelButton")
        self.open_button = QPushButton()
        self.open_button.clicked.connect(lambda: self.open_clicked.emit(self.path))
        self.show_button = QPushButton()
        self.show_button.clicked.connect(lambda: self.show_clicked.emit(self.folder))
        self.dismiss_button = QToolButton()
        self.dismiss_button.setText("✕")
        self.dismiss_button.setAutoRaise(True)
        self.dismiss_button.clicked.connect(lambda: self.dismissed.emit(self.transfer_id))
        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        for button in (self.accept_button, self.decline_button, self.cancel_button, self.open_button,
                       self.show_button, self.dismiss_button):
            buttons.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 6, 6)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.arrow, 0, 0, 2, 1)
        grid.addWidget(self.name_label, 0, 1)
        grid.addWidget(self.about_label, 1, 1)
        grid.addLayout(buttons, 0, 2, 2, 1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(self.bar, 2, 1, 1, 2)
        grid.addWidget(self.status_label, 3, 1, 1, 2)
        grid.setColumnStretch(1, 1)

    def _button(self, signal: Signal, name: str) -> QPushButton:
        button = QPushButton()
        button.setObjectName(name)
        button.clicked.connect(lambda: signal.emit(self.transfer_id))
        return button

    # ------------------------------------------------------------------ state from the engine
    def offered(self, size: int, files: int, path: str = "") -> None:
        self.size, self.files = size, files
        self.path = path or self.path
        self.render()

    def accepted(self) -> None:
        if self.phase is Phase.OFFERED:
            self.phase = Phase.STARTING
            self.render()

    def progressed(self, done: int, size: int, rate: float) -> None:
        if self.phase.finished:
            return
        self.phase = Phase.RUNNING
        self.done, self.size = done, size or self.size
        self.rate = smooth_rate(self.rate, rate)
        self.render()

    def finished(self, path: str, size: int, resumed_from: int) -> None:
        self.phase = Phase.DONE
        self.path, self.size, self.done, self.resumed_from = path or self.path, size, size, resumed_from
        self.render()

    def failed(self, code: str, detail: str) -> None:
        self.phase, self.code, self.detail = Phase.FAILED, code, detail
        self.render()

    def interrupted(self) -> None:
        if not self.phase.finished:
            self.phase = Phase.INTERRUPTED
            self.render()

    # ------------------------------------------------------------------ what it shows
    def render(self) -> None:
        phase = self.phase
        self.name_label.setText(self.filename)
        self.name_label.setToolTip(self.path or self.filename)
        self.about_label.setText(self._about())
        self.bar.setVisible(phase in (Phase.STARTING, Phase.RUNNING, Phase.DONE))
        self._move_bar(progress_permille(self.done, self.size) if phase is not Phase.STARTING else 0,
                       glide=phase is Phase.RUNNING)
        self.status_label.setText(self._status())
        self.status_label.setToolTip(self.detail if phase is Phase.FAILED else "")
        self.accept_button.setText(self.tr("&Accept"))
        self.decline_button.setText(self.tr("Decline"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.open_button.setText(self.tr("Open"))
        self.show_button.setText(self.tr("Show in folder"))
        self.dismiss_button.setToolTip(self.tr("Clear from the list"))
        self.accept_button.setVisible(phase is Phase.OFFERED)
        self.decline_button.setVisible(phase is Phase.OFFERED)
        self.cancel_button.setVisible(phase in (Phase.WAITING, Phase.STARTING, Phase.RUNNING))
        self.open_button.setVisible(phase is Phase.DONE and bool(self.path))
        self.show_button.setVisible(phase is Phase.DONE and bool(self.path))
        self.dismiss_button.setVisible(phase.finished)

    def _move_bar(self, value: int, glide: bool) -> None:
        """Glide while running and on screen; jump anywhere else (a finished bar is full at once)."""
        if self._glide.state() == QAbstractAnimation.State.Running and self._glide.endValue() == value:
            return
        self._glide.stop()
        if glide and self.isVisible() and value > self.bar.value():
            self._glide.setStartValue(self.bar.value())
            self._glide.setEndValue(value)
            self._glide.start()
        else:
            self.bar.setValue(value)

    def _about(self) -> str:
        who = (self.tr("From %1") if self.incoming else self.tr("To %1")).replace("%1", self.nick)
        parts = [who]
        if self.size or self.phase is not Phase.WAITING:
            parts.append(human_size(self.size))
        if self.files > 1:
            parts.append(self.tr("%n file(s)", "", self.files))
        return " · ".join(parts)

    def _status(self) -> str:
        match self.phase:
            case Phase.OFFERED:
                return self.tr("%1 wants to send you this. Accept saves it in your downloads folder.").replace(
                    "%1", self.nick)
            case Phase.WAITING:
                return self.tr("Waiting for %1 to accept…").replace("%1", self.nick)
            case Phase.STARTING:
                return self.tr("Starting…")
            case Phase.RUNNING:
                return self._running()
            case Phase.DONE:
                return self._completed()
            case Phase.FAILED:
                return self._problems.describe(self.code, self.detail, "") or self.detail or self.code
        return self.tr("Interrupted: you left the room. Offering it again resumes where it stopped.")

    def _running(self) -> str:
        parts = [self.tr("%1 of %2").replace("%1", human_size(self.done)).replace("%2", human_size(self.size))]
        if self.rate > 0:
            parts.append(self.tr("%1/s").replace("%1", human_size(self.rate)))
        left = seconds_left(self.done, self.size, self.rate)
        if left is not None:
            parts.append(self._time_left(left))
        return " · ".join(parts)

    def _time_left(self, seconds: float) -> str:
        if seconds < 60:
            return self.tr("%1 s left").replace("%1", str(max(1, round(seconds))))
        if seconds < 3600:
            return self.tr("%1 min left").replace("%1", str(round(seconds / 60)))
        hours, minutes = divmod(round(seconds / 60), 60)
        return self.tr("%1 h %2 min left").replace("%1", str(hours)).replace("%2", str(minutes))

    def _completed(self) -> str:
        text = (self.tr("Received and verified") if self.incoming
                else self.tr("Sent to %1, verified").replace("%1", self.nick))
        if self.resumed_from:
            text += " · " + self.tr("resumed: %1 did not need sending again").replace(
                "%1", human_size(self.resumed_from))
        return text

    @property
    def folder(self) -> str:
        """The folder to show for 'Show in folder': the one holding the file or the received folder."""
        return str(Path(self.path).parent) if self.path else ""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.render()
        super().changeEvent(event)
