"""The window against real headless peers on loopback: badge, members, chat both ways,
host failover, and stopping without hangs."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from zp2p_gui.ui.status import State

from .conftest import WAIT_MS


def test_connect_alone_hosts(qtbot, lan, make_window):
    window = make_window(["--nick", "alice", *lan.options(2)])
    assert window.badge.text == "Offline"
    assert not window.composer.isEnabled()
    qtbot.mouseClick(window.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.status.state is State.HOSTING, timeout=WAIT_MS)
    assert window.badge.text == "Hosting server"
    qtbot.waitUntil(lambda: window.members.nicks() == ["alice"], timeout=WAIT_MS)
    assert window.members.host_nick() == "alice"
    assert window.composer.isEnabled()
    assert lan.ip(2) in window.host_info.text()


def test_peer_joins_and_chats_both_ways(qtbot, lan, hosting_with_bob):
    window, bob = hosting_with_bob
    qtbot.waitUntil(lambda: sorted(window.members.nicks()) == ["alice", "bob"], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "bob joined." in window.chat.toPlainText(), timeout=WAIT_MS)
    tooltip = window.members.item(1).toolTip()
    assert lan.ip(3) in tooltip and "Joined at" in tooltip

    bob.say("hello from bob https://example.org/x")
    qtbot.waitUntil(lambda: "hello from bob" in window.chat.toPlainText(), timeout=WAIT_MS)
    assert 'href="https://example.org/x"' in window.chat.toHtml()

    window.composer.setFocus()
    qtbot.keyClicks(window.composer, "first line")
    qtbot.keyClick(window.composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    window.composer.insertPlainText("안녕 bob")  # QTest.keyClicks handles ASCII only
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)
    assert window.composer.toPlainText() == ""
    got = bob.wait_event("message", timeout=WAIT_MS / 1000, text="first line\n안녕 bob")
    assert got["from"] == "alice"
    qtbot.waitUntil(lambda: "안녕 bob" in window.chat.toPlainText(), timeout=WAIT_MS)


def test_badge_and_members_follow_host_leaving(qtbot, lan, make_window):
    bob = lan.peer("bob", 3)
    bob.wait_event("hosting", timeout=WAIT_MS / 1000)
    window = make_window(["--nick", "alice", *lan.options(2)])
    window.connect_now()
    qtbot.waitUntil(lambda: window.status.state is State.CONNECTED, timeout=WAIT_MS)
    assert window.badge.text == f"Connected to bob ({lan.ip(3)})"
    qtbot.waitUntil(lambda: window.members.host_nick() == "bob", timeout=WAIT_MS)

    assert bob.quit() == 0
    qtbot.waitUntil(lambda: window.status.state is State.HOSTING, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.members.nicks() == ["alice"], timeout=WAIT_MS)
    assert window.members.host_nick() == "alice"
    said = window.chat.toPlainText()  # bob is named, not his address; how depends on what the engine knows
    assert "bob's computer" in said or "bob left" in said
    assert lan.ip(3) not in said.split("Joined the room")[-1]


def _searching_window(qtbot, lan, make_window):
    """A window looking for a host that is not there: it stays Searching…"""
    window = make_window(["--nick", "alice", *lan.options(2), "--host", lan.ip(9)])
    window.connect_now()
    qtbot.waitUntil(lambda: window.status.state is State.SEARCHING, timeout=WAIT_MS)
    assert window.badge.text == "Searching…"
    return window


def test_disconnect_while_searching_does_not_hang(qtbot, lan, make_window):
    window = _searching_window(qtbot, lan, make_window)
    started = time.monotonic()
    qtbot.mouseClick(window.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.status.state is State.OFFLINE, timeout=2000)
    qtbot.waitUntil(lambda: window.session.running_threads() == [], timeout=2000)
    assert time.monotonic() - started < 1.5
    assert window.connect_button.isEnabled() and window.nick_edit.isEnabled()


def test_close_while_searching_stops_every_thread(qtbot, lan, make_window):
    window = _searching_window(qtbot, lan, make_window)
    started = time.monotonic()
    window.close()
    assert time.monotonic() - started < 1.2
    assert window.session.running_threads() == []


def test_bad_nick_is_refused_inline(qtbot, lan, make_window):
    window = make_window([*lan.options(2)])
    window.nick_edit.setText("   ")
    window.connect_now()
    assert window.status.state is State.OFFLINE
    assert not window.session.active
    assert "empty" in window.nick_edit.toolTip()


def test_unread_count_while_window_is_in_the_background(qtbot, hosting_with_bob):
    window, bob = hosting_with_bob
    elsewhere = QWidget()  # another window takes the focus, as another app would
    qtbot.addWidget(elsewhere)
    elsewhere.show()
    elsewhere.activateWindow()
    qtbot.waitUntil(lambda: not window.isActiveWindow(), timeout=WAIT_MS)
    bob.say("are you there?")
    bob.say("hello?")
    qtbot.waitUntil(lambda: window.windowTitle() == f"(2) zp2p — {window.prefs.room}", timeout=WAIT_MS)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.windowTitle() == f"zp2p — {window.prefs.room}", timeout=WAIT_MS)


def test_sigterm_leaves_politely_and_exits(lan, tmp_path):
    """The real `zp2p` window process: SIGTERM makes it leave the room and exit at once."""
    bob = lan.peer("bob", 3)
    bob.wait_event("hosting", timeout=WAIT_MS / 1000)
    gui = subprocess.Popen([sys.executable, "-m", "zp2p_gui", "--nick", "alice", *lan.options(2), "--connect",
                            "--data-dir", str(tmp_path / "gui")],
                           env={**lan.env, "QT_QPA_PLATFORM": "offscreen"}, stderr=subprocess.PIPE, text=True)
    try:
        bob.wait_for(lambda e: e["event"] == "presence" and len(e["users"]) == 2, timeout=WAIT_MS / 1000)
        seen = len(bob.events)
        gui.send_signal(signal.SIGTERM)
        started = time.monotonic()
        assert gui.wait(5) == 0
        assert time.monotonic() - started < 2.0
        bob.wait_for(lambda e: e["event"] == "presence" and len(e["users"]) == 1, timeout=3, after=seen)
    finally:
        if gui.poll() is None:
            gui.kill()
        stderr = gui.communicate(timeout=5)[1]
    assert "QThread" not in stderr and "Traceback" not in stderr, stderr
