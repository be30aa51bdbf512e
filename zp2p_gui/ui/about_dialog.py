"""Help → About: what is running (app, protocol, Qt and ZeroMQ versions) and under which
licence, so a bug report can quote it and peers with mismatched protocols can be spotted."""

from __future__ import annotations

import PySide6
import zmq
from PySide6.QtCore import QEvent, Qt, QUrl, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from .. import PROTOCOL_VERSION, __version__
from .icons import app_icon
from .paths import project_file

ICON_PX = 64


def versions() -> dict[str, str]:
    """Component -> version, in the order shown; labels are product names, not translated."""
    return {"Qt": qVersion(), "PySide6": PySide6.__version__, "pyzmq": zmq.pyzmq_version(),
            "libzmq": zmq.zmq_version()}


def _link(name: str, text: str) -> str:
    """A file: link to a project file beside the app, or the plain text when it is not shipped."""
    path = project_file(name)
    return f'<a href="{QUrl.fromLocalFile(str(path)).toString()}">{text}</a>' if path else text


class AboutDialog(QDialog):
    """Non-modal; Escape or Close dismisses it, Tab reaches the links."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(ICON_PX, ICON_PX))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self._name = QLabel("zp2p")
        font = self._name.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self._name.setFont(font)
        self._tagline = QLabel()
        self._version = self._value(__version__)
        self._version.setObjectName("aboutVersion")
        self._protocol = self._value(str(PROTOCOL_VERSION))
        self._protocol.setObjectName("aboutProtocol")
        self._licence = self._value("")
        self._readme = self._value("")
        self._form = QFormLayout()
        self._form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self._labels = [QLabel() for _ in range(4)]
        for label, field in zip(self._labels, (self._version, self._protocol, self._licence, self._readme)):
            self._form.addRow(label, field)
        for component, version in versions().items():
            self._form.addRow(f"{component}:", self._value(version))

        heading = QVBoxLayout()
        heading.addWidget(self._name)
        heading.addWidget(self._tagline)
        heading.addSpacing(8)
        heading.addLayout(self._form)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addSpacing(12)
        top.addLayout(heading, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(buttons)
        self.retranslate()

    @staticmethod
    def _value(text: str) -> QLabel:
        label = QLabel(text)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        label.setOpenExternalLinks(True)
        return label

    @property
    def text(self) -> str:
        """Everything the dialog says, in reading order (for tests and screen readers)."""
        rows = [f"{self._form.itemAt(i, QFormLayout.ItemRole.LabelRole).widget().text()} "
                f"{self._form.itemAt(i, QFormLayout.ItemRole.FieldRole).widget().text()}"
                for i in range(self._form.rowCount())]
        return "\n".join([self._name.text(), self._tagline.text(), *rows])

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("About zp2p"))
        self._tagline.setText(self.tr("Serverless chat for the local network"))
        for label, text in zip(self._labels, (self.tr("Version:"), self.tr("Protocol version:"),
                                              self.tr("Licence:"), self.tr("Documentation:"))):
            label.setText(text)
        self._licence.setText(_link("LICENSE", self.tr("MIT License")))
        self._readme.setText(_link("README.md", self.tr("README")))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
