"""The settings dialog: edits Preferences, shows each bad value under its field, and only
lets OK through when every value is valid."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core.validation import NICK_MAX, ROOM_MAX
from ..net.interfaces import Interface, list_interfaces
from .settings import DISCOVERY_MAX_S, DISCOVERY_MIN_S, Preferences, split_ranges


class SettingsDialog(QDialog):
    """`preferences()` returns what the fields say; `errors()` what is wrong with it."""

    def __init__(self, prefs: Preferences, parent: QWidget | None = None,
                 interfaces: list[Interface] | None = None) -> None:
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
        self.scan.setToolTip(self.tr("CIDR ranges separated by spaces, e.g. 192.168.1.0/24"))
        self.host.setToolTip(self.tr("Join the host at this address without scanning"))
        self.port.setToolTip(self.tr("The room uses this port and the three after it"))

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        for edit in (self.nick, self.room, self.scan, self.host):
            edit.textChanged.connect(self._validate)
        self.port.valueChanged.connect(self._validate)
        self.discovery_window.valueChanged.connect(self._validate)
        self._validate()

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
            discovery_window=round(self.discovery_window.value(), 2), language=self.language.currentData() or "")

    def errors(self) -> dict[str, str]:
        return self.preferences().errors()

    def error_text(self, name: str) -> str:
        label = self._error_labels[name]
        return label.text() if not label.isHidden() else ""

    def _validate(self) -> None:
        errors = self.errors()
        for name, label in self._error_labels.items():
            label.setText(errors.get(name, ""))
            label.setVisible(name in errors)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not errors)

    def accept(self) -> None:
        if not self.errors():
            super().accept()
