"""The settings dialog: edits Preferences, shows each bad value under its field, and only
lets OK through when every value is valid. Its private-room passphrase is handed back to the
window (`passphrase()`), never into Preferences, so it cannot reach the settings file.

It shows what this run uses: a field the command line sets shows that value, disabled, with a
note naming the flag; its saved value is kept unchanged for runs without the flag."""

from __future__ import annotations

from typing import Any, Mapping

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractSpinBox,
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

from ..core.settings import BY_NAME
from ..core.strength import estimate
from ..core.validation import NICK_MAX, PORT_MAX, ROOM_MAX, ValidationError
from ..net.interfaces import Interface, list_interfaces
from .icons import eye_icon
from .problems import Problems
from ..core.settings import DISCOVERY_MAX_S, DISCOVERY_MIN_S, Preferences, split_ranges


class SettingsDialog(QDialog):
    """`preferences()` returns what the fields say; `errors()` what is wrong with it."""

    def __init__(self, prefs: Preferences, parent: QWidget | None = None,
                 interfaces: list[Interface] | None = None, passphrase: str = "",
                 command_line_file: str = "", command_line: Mapping[str, Any] | None = None) -> None:
        """`passphrase` is the one held in memory; `command_line` holds the options given on the
        command line (cli.command_line_values), which win over the saved ones; `command_line_file`
        is --passphrase-file, which wins over both private-room fields, so they are shown disabled."""
        super().__init__(parent)
        self._prefs = prefs
        self._command_line = dict(command_line or {})
        if command_line_file:
            self._command_line["passphrase_file"] = command_line_file
        self._notes: dict[str, QLabel] = {}
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
        self.port.setRange(1, PORT_MAX)
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
        self.downloads = QLineEdit(prefs.downloads)
        self.downloads.setPlaceholderText(self.tr("your downloads folder"))
        self.browse_downloads = QPushButton(self.tr("Bro&wse…"))
        self.browse_downloads.clicked.connect(self._choose_downloads)
        downloads_box = self._beside(self.downloads, self.browse_downloads)
        downloads_box.setFocusProxy(self.downloads)

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
                ("language", self.tr("&Language:"), self.language),
                ("downloads", self.tr("Recei&ved files:"), downloads_box)]
        self._fields = {name: field for name, _, field in rows}
        for name, label, field in rows:
            field.setObjectName(name)
            form.addRow(label, self._with_error(name, field))
        self._add_private_rows(form, self._command_line.get("passphrase_file", ""))
        self._show_command_line()
        self.scan.setToolTip(self.tr("CIDR ranges separated by spaces, e.g. 192.168.1.0/24"))
        self.host.setToolTip(self.tr("Join the host at this address without scanning"))
        self.port.setToolTip(self.tr("The room uses this port and the four after it"))
        self.downloads.setToolTip(self.tr("Accepted files and folders are saved here"))

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

    def _choose_downloads(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Received files"), self.downloads.text())
        if folder:
            self.downloads.setText(folder)

    def passphrase(self) -> str:
        """The typed passphrase, or "" when a file (saved or on the command line) supplies it."""
        if self._command_line.get("passphrase_file") or self.passphrase_file.text().strip():
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
        """The field with two hidden lines under it: its error, and a note when the command line sets it."""
        box = QWidget()
        box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)  # notes use the row's width
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if isinstance(field, QAbstractSpinBox):
            column.addWidget(field, 0, Qt.AlignmentFlag.AlignLeft)  # a number keeps its natural width
        else:
            column.addWidget(field)
        for kind, style, labels in (("error", "color: #d63031;", self._error_labels),
                                    ("note", "color: palette(placeholder-text);", self._notes)):
            label = QLabel()
            label.setObjectName(f"{name}_{kind}")
            label.setStyleSheet(style)
            label.setWordWrap(True)
            label.hide()
            column.addWidget(label)
            labels[name] = label
        return box

    def _overridden(self) -> set[str]:
        """Fields whose value this run takes from the command line (--bind decides the interface)."""
        names = {name for name in self._command_line if name in self._notes or name == "passphrase_file"}
        return names | ({"interface"} if self._command_line.get("bind") else set())

    def _show_command_line(self) -> None:
        """Each field the command line sets shows that value, disabled, with a note naming the flag."""
        for name in self._overridden() - {"passphrase_file"}:
            value = self._command_line.get(name)
            if name in ("nick", "room", "host"):
                self._fields[name].setText(value)
            elif name == "downloads":
                self.downloads.setText(value)
            elif name == "scan":
                self.scan.setText(" ".join(value))
            elif name == "port":
                self.port.setValue(value)
            elif name == "discovery_window":
                self.discovery_window.setValue(value)
            elif name == "interface":
                self._show_interface(value or "", self._command_line.get("bind") or "")
            flag = BY_NAME["bind" if name == "interface" and self._command_line.get("bind") else name].flag
            self._fields[name].setEnabled(False)
            self._notes[name].setText(self.tr("Set by the command line: %1").replace("%1", flag or ""))
            self._notes[name].show()

    def _show_interface(self, name: str, bind: str) -> None:
        """--bind names an address rather than an interface; show it as the choice in effect."""
        if bind:
            self.interface.insertItem(0, bind, "")
        elif self.interface.findData(name) < 0:
            self.interface.insertItem(0, name, name)
        self.interface.setCurrentIndex(0 if bind else self.interface.findData(name))

    def preferences(self) -> Preferences:
        """What the fields say; a field the command line sets keeps its saved value."""
        typed = {
            "nick": self.nick.text().strip(), "room": self.room.text().strip(),
            "interface": self.interface.currentData() or "", "scan": split_ranges(self.scan.text()),
            "host": self.host.text().strip(), "port": self.port.value(),
            "discovery_window": round(self.discovery_window.value(), 2),
            "language": self.language.currentData() or "", "passphrase_file": self.passphrase_file.text().strip(),
            "downloads": self.downloads.text().strip()}
        for name in self._overridden():
            typed[name] = getattr(self._prefs, name)
        return Preferences(**typed)

    def problems(self) -> dict[str, ValidationError]:
        """Refusals of the editable fields; overridden ones are not used this run and the
        command line was checked when zp2p started."""
        found = self.preferences().problems()
        for name in self._overridden():
            found.pop(name, None)
        return found

    def errors(self) -> dict[str, str]:
        return {name: exc.detail for name, exc in self.problems().items()}

    def error_text(self, name: str) -> str:
        label = self._error_labels[name]
        return label.text() if not label.isHidden() else ""

    def note_text(self, name: str) -> str:
        label = self._notes[name]
        return label.text() if not label.isHidden() else ""

    def _validate(self) -> None:
        """Each error in the user's language under its field; the English detail (with the OS
        error, say) in its tooltip."""
        problems = self.problems()
        for name, label in self._error_labels.items():
            exc = problems.get(name)
            label.setText(self._problems.field_error(name, exc.code, exc.detail) if exc else "")
            label.setToolTip(exc.detail if exc else "")
            label.setVisible(exc is not None)
        errors = problems
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not errors)
        from_file = bool(self._command_line.get("passphrase_file") or self.passphrase_file.text().strip())
        if from_file:
            self.passphrase_edit.clear()  # dots in a disabled field would look like a passphrase in use
        self.passphrase_edit.setEnabled(not from_file)
        self.reveal.setEnabled(not from_file)
        self.passphrase_edit.setPlaceholderText(self.tr("read from the file at Connect") if from_file
                                                else self.tr("empty: an open room"))
        QTimer.singleShot(0, self, self._fit_height)  # after Qt's own layout pass: a label hidden just now still counts

    def _fit_height(self) -> None:
        """Follow the error lines: grow when one appears (wrapped labels need height for the
        current width, which the layout's minimum size does not ask for) and shrink back when it
        clears, so no blank gap stays where it was."""
        self.layout().activate()
        needed = self.heightForWidth(self.width())
        if needed > 0 and needed != self.height():
            self.resize(self.width(), needed)

    def accept(self) -> None:
        if not self.errors():
            super().accept()
