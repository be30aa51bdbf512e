"""Issue 5 in the window: a crashed host shows Reconnecting…, then the successor, with no message lost."""

from __future__ import annotations

import signal

from zp2p_gui.ui.status import State

from .conftest import WAIT_MS


def test_badge_and_members_follow_a_crashed_host_to_its_successor(qtbot, lan, make_window):
    host = lan.peer("host", 2)
    host.wait_event("hosting", timeout=WAIT_MS / 1000)
    bob = lan.peer("bob", 3)
    bob.wait_event("joined", timeout=WAIT_MS / 1000)
    window = make_window(["--nick", "alice", *lan.options(4)])  # joins after bob: bob is the successor
    window.connect_now()
    qtbot.waitUntil(lambda: len(window.members.nicks()) == 3, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.status.state is State.CONNECTED, timeout=WAIT_MS)

    host.kill(signal.SIGKILL)
    # The badge may pass through Reconnecting… in ~0.1 s; the chat keeps the lines that say so.
    qtbot.waitUntil(lambda: "host's computer" in window.chat.toPlainText(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "bob is now hosting the room." in window.chat.toPlainText(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.status.state is State.CONNECTED and window.members.host_nick() == "bob",
                    timeout=WAIT_MS)
    assert window.badge.text == f"Connected to bob ({lan.ip(3)})"
    qtbot.waitUntil(lambda: sorted(window.members.nicks()) == ["alice", "bob"], timeout=WAIT_MS)

    bob.say("after the crash")
    qtbot.waitUntil(lambda: "after the crash" in window.chat.toPlainText(), timeout=WAIT_MS)
