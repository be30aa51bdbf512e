"""The settings dialog: edits Preferences, shows each bad value under its field, and only
lets OK through when every value is valid. Its private-room passphrase is handed back to the
window (`passphrase()`), never into Preferences, so it cannot reach the settings file."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..core.strength import estimate
from ..core.validation import NICK_MAX, ROOM_MAX
from ..net.interfaces import Interface, list_interfaces
from .icons import eye_icon
from .problems import Problems
from .settings import DISCOVERY_MAX_S, DISCOVERY_MIN_S, Preferences, split_ranges


class SettingsDialog(QDialog):
    """`preferences()` returns what the fields say; `errors()` what is wrong with it."""

    def __init__(self, prefs: Preferences, parent: QWidget | None = None,
                 interfaces: list[Interface] | None = None, passphrase: str = "",
                 command_line_file: str = "") -> None:
        """`passphrase` is the one held in memory; `command_line_file` is --passphrase-file, which
        wins over both private-room fields, so they are shown disabled."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("zp2p settings"))
        self.setMinimumWidth(460)
        self.nick = QLineEdit(prefs.nick)
        self.nick.setMaxLength(NICK_MAX)
        self.room = QLineEdit(prefs.room)
        self.room.setMaxLength(ROOM_MAX)
        self.interface = QComboBox()
        self._fill_interfaces(prefs.interface, list_interfaces() if interfaces is None else interfaces)
        self.scan = QLineEdit(" ".join(prefs.scan))
        self.scan.setPlaceholderText(self.tr("the /24 of the interface"))
        self.host = QLineEdit(prefs.host)
        self.host.setPlaceholderText(self.tr("search the network"))
        self.port = QSpinBox()
        self.port.setRange(1, 65535 - 3)
        self.port.setValue(prefs.port)
        self.discovery_window = QDoubleSpinBox()
        self.discovery_window.setRange(DISCOVERY_MIN_S, DISCOVERY_MAX_S)
        self.discovery_window.setDecimals(2)
        self.discovery_window.setSingleStep(0.25)
        self.discovery_window.setSuffix(self.tr(" s"))
        self.discovery_window.setValue(prefs.discovery_window)
        self.language = QComboBox()
        for code, name in (("", self.tr("System default")), ("en", "English"), ("ko", "한국어")):
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(prefs.language)))

        self.passphrase_edit = QLineEdit(passphrase)
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.reveal = QToolButton()
        self.reveal.setObjectName("revealPassphrase")
        self.reveal.setCheckable(True)
        self.reveal.toggled.connect(self._show_passphrase)
        self.strength = QLabel()
        self.strength.setObjectName("passphraseStrength")
        self.strength.setWordWrap(True)
        self.passphrase_edit.textChanged.connect(self._show_strength)
        self.passphrase_file = QLineEdit(prefs.passphrase_file)
        self._saved_file = prefs.passphrase_file  # kept as it is while the command line overrides it
        self.browse = QPushButton(self.tr("&Browse…"))
        self.browse.clicked.connect(self._choose_file)
        self.private_hint = QLabel()
        self.private_hint.setObjectName("privateHint")
        self.private_hint.setWordWrap(True)
        self.private_hint.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.private_hint.setStyleSheet("color: palette(placeholder-text);")

        self._problems = Problems(self)
        self._error_labels: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        rows = [("nick", self.tr("&Nick:"), self.nick), ("room", self.tr("&Room:"), self.room),
                ("interface", self.tr("&Interface:"), self.interface),
                ("scan", self.tr("&Scan ranges:"), self.scan), ("host", self.tr("&Host address:"), self.host),
                ("port", self.tr("Base &port:"), self.port),
                ("discovery_window", self.tr("&Discovery window:"), self.discovery_window),
                ("language", self.tr("&Language:"), self.language)]
        for name, label, field in rows:
            field.setObjectName(name)
            form.addRow(label, self._with_error(name, field))
        self._add_private_rows(form, command_line_file)
        self.scan.setToolTip(self.tr("CIDR ranges separated by spaces, e.g. 192.168.1.0/24"))
        self.host.setToolTip(self.tr("Join the host at this address without scanning"))
        self.port.setToolTip(self.tr("The room uses this port and the three after it"))

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        for edit in (self.nick, self.room, self.scan, self.host, self.passphrase_file):
            edit.textChanged.connect(self._validate)
        self.port.valueChanged.connect(self._validate)
        self.discovery_window.valueChanged.connect(self._validate)
        self._validate()

    def _add_private_rows(self, form: QFormLayout, command_line_file: str) -> None:
        """A titled block under the network rows: passphrase with its show/hide button, file."""
        title = QLabel(self.tr("Private room"))
        bold = title.font()
        bold.setBold(True)
        title.setFont(bold)
        title.setContentsMargins(0, 8, 0, 0)
        form.addRow(title)
        self.passphrase_edit.setObjectName("passphrase")
        label = QLabel(self.tr("P&assphrase:"))
        label.setBuddy(self.passphrase_edit)
        form.addRow(label, self._beside(self.passphrase_edit, self.reveal))
        form.addRow("", self.strength)
        self.passphrase_file.setObjectName("passphrase_file")
        self.passphrase_file.setPlaceholderText(self.tr("none"))
        label = QLabel(self.tr("Passphrase &file:"))
        label.setBuddy(self.passphrase_file)
        form.addRow(label, self._with_error("passphrase_file", self._beside(self.passphrase_file, self.browse)))
        form.addRow("", self.private_hint)
        self.passphrase_file.setToolTip(self.tr("A file whose first line is the passphrase, like --passphrase-file; "
                                                "only its path is saved, and it is read at Connect"))
        if command_line_file:
            for widget in (self.passphrase_edit, self.reveal, self.passphrase_file, self.browse):
                widget.setEnabled(False)
            self.passphrase_file.setText(command_line_file)
            self.private_hint.setText(self.tr("Set on the command line with --passphrase-file, which wins "
                                              "over these fields."))
        else:
            self.private_hint.setText(self.tr("Everyone in the room needs the same passphrase. Leave both empty "
                                              "for an open room. A typed passphrase is kept in memory until zp2p "
                                              "quits and never saved."))
        self._command_line_file = command_line_file
        self._show_passphrase(False)
        self._show_strength(self.passphrase_edit.text())

    @staticmethod
    def _beside(edit: QLineEdit, button: QWidget) -> QWidget:
        """A line edit that takes the width, with its button on the right."""
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit, 1)
        row.addWidget(button)
        return box

    def _show_passphrase(self, shown: bool) -> None:
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self.reveal.setIcon(eye_icon(not shown))
        words = self.tr("Hide the passphrase") if shown else self.tr("Show the passphrase")
        self.reveal.setToolTip(words)
        self.reveal.setAccessibleName(words)

    def _show_strength(self, text: str) -> None:
        """Anyone on the network can test guesses of a private room's passphrase offline, so a weak
        one is said plainly under the field (it is still accepted)."""
        if not text.strip():
            self.strength.setText("")
            return
        self.strength.setText({
            "weak": self.tr("Weak: someone on the network could guess it offline. Use four or more random words."),
            "fair": self.tr("Fair: a determined guesser with many computers could find it. More words help."),
            "strong": self.tr("Strong passphrase."),
        }[estimate(text).level])

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Passphrase file"), self.passphrase_file.text())
        if path:
            self.passphrase_file.setText(path)

    def passphrase(self) -> str:
        """The typed passphrase, or "" when a file (saved or on the command line) supplies it."""
        if self._command_line_file or self.passphrase_file.text().strip():
            return ""
        return self.passphrase_edit.text().strip()

    def _fill_interfaces(self, chosen: str, interfaces: list[Interface]) -> None:
        for iface in interfaces:
            label = f"{iface.name} — {iface.addr}"
            if iface.default:
                label += " " + self.tr("(default route)")
            elif iface.addr.startswith("127."):
                label += " " + self.tr("(loopback, for testing)")
            self.interface.addItem(label, "" if iface.default else iface.name)
        if self.interface.findData("") < 0:
            self.interface.insertItem(0, self.tr("Automatic (default route)"), "")
        self.interface.setCurrentIndex(max(0, self.interface.findData(chosen)))

    def _with_error(self, name: str, field: QWidget) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(field)
        error = QLabel()
        error.setObjectName(f"{name}_error")
        error.setStyleSheet("color: #d63031;")
        error.setWordWrap(True)
        error.hide()
        column.addWidget(error)
        self._error_labels[name] = error
        return box

    def preferences(self) -> Preferences:
        return Preferences(
            nick=self.nick.text().strip(), room=self.room.text().strip(),
            interface=self.interface.currentData() or "", scan=split_ranges(self.scan.text()),
            host=self.host.text().strip(), port=self.port.value(),
            discovery_window=round(self.discovery_window.value(), 2), language=self.language.currentData() or "",
            passphrase_file=self._saved_file if self._command_line_file else self.passphrase_file.text().strip())

    def errors(self) -> dict[str, str]:
        errors = self.preferences().errors()
        if self._command_line_file:  # the saved file is not used this run; the command line was checked
            errors.pop("passphrase_file", None)
        return errors

    def error_text(self, name: str) -> str:
        label = self._error_labels[name]
        return label.text() if not label.isHidden() else ""

    def _validate(self) -> None:
        errors = self.errors()
        shown = dict(errors)
        if "passphrase_file" in errors:  # the engine's detail (English, with the OS error) goes in the tooltip
            shown["passphrase_file"] = self._problems.describe("bad_passphrase_file", errors["passphrase_file"], "")
        for name, label in self._error_labels.items():
            label.setText(shown.get(name, ""))
            label.setToolTip(errors.get(name, ""))
            label.setVisible(name in errors)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not errors)
        from_file = bool(self._command_line_file or self.passphrase_file.text().strip())
        if from_file:
            self.passphrase_edit.clear()  # dots in a disabled field would look like a passphrase in use
        self.passphrase_edit.setEnabled(not from_file)
        self.reveal.setEnabled(not from_file)
        self.passphrase_edit.setPlaceholderText(self.tr("read from the file at Connect") if from_file
                                                else self.tr("empty: an open room"))
        self._fit_height()

    def _fit_height(self) -> None:
        """Grow when an error line appears: wrapped labels need height for the current width,
        which the layout's minimum size does not ask for."""
        self.layout().activate()
        needed = self.heightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def accept(self) -> None:
        if not self.errors():
            super().accept()
