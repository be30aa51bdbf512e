"""The About dialog says what is running: app and protocol versions, licence, Qt and ZeroMQ."""

from __future__ import annotations

import zmq
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from zp2p_gui import PROTOCOL_VERSION, __version__

from .conftest import WAIT_MS


def test_about_shows_versions_from_f1(qtbot, lan, make_window):
    window = make_window(["--nick", "alice", *lan.options(2)])
    assert window.about_action.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.about_dialog is not None and window.about_dialog.isVisible(), timeout=WAIT_MS)
    text = window.about_dialog.text
    assert f"Version: {__version__}" in text
    assert f"Protocol version: {PROTOCOL_VERSION}" in text
    assert "MIT License" in text
    assert f"libzmq: {zmq.zmq_version()}" in text and f"pyzmq: {zmq.pyzmq_version()}" in text
    qtbot.keyClick(window.about_dialog, Qt.Key.Key_Escape)
    assert not window.about_dialog.isVisible()
