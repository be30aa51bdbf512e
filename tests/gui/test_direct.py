"""Direct messages in the window, fed with the engine's events: the conversation list and its
unread badges, read receipts only for what is on screen, delivery marks on own DMs, errors in
the DM's conversation, and all of it back after a restart. The engine's side is replaced by a
recorder standing in for the Node (tests only); the engine has its own end-to-end tests."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from zp2p_gui.core import events as ev
from zp2p_gui.core.errors import Code
from zp2p_gui.history import Status, StoredMessage
from zp2p_gui.node import Node
from zp2p_gui.ui.chat_view import MAX_BLOCKS
from zp2p_gui.ui.conversations import STRANGER_ROWS
from zp2p_gui.ui.direct import VIEWS_KEPT, DirectView
from zp2p_gui.ui.i18n import Translations
from zp2p_gui.ui.main_window import MainWindow

from .conftest import WAIT_MS

BOB = ev.Member("n-bob", "bob", "127.0.5.3", True, 0.0, key="bob-identity-key")
OLD = ev.Member("n-old", "old-client", "127.0.5.4", False, 0.0, key="")
ME = ev.Member("n-me", "alice", "127.0.5.2", False, 0.0, key="alice-identity-key")


class RecordingNode:
    """What the window asks of the engine's Node for DMs, recorded."""

    node_id = ME.node_id

    def __init__(self) -> None:
        self.sent: list[tuple[str, str | None, str | None]] = []
        self.reads: list[tuple[str, tuple[str, ...]]] = []
        self.said: list[str] = []

    def send_direct(self, text: str, nick: str | None = None, key: str | None = None) -> str:
        self.sent.append((text, nick, key))
        return f"dm{len(self.sent)}"

    def mark_read(self, key: str, ids: tuple[str, ...]) -> None:
        self.reads.append((key, ids))

    def say(self, text: str) -> None:
        self.said.append(text)

    def room_for_more(self, _size: int) -> bool:
        """The composer asks the engine's outbox before sending (send backpressure): room here."""
        return True


@pytest.fixture
def open_window(qtbot, lan, make_window, monkeypatch):
    """alice's window as if hosting a room with bob, its engine replaced by a recorder."""

    def make() -> tuple[MainWindow, RecordingNode]:
        window = make_window(["--nick", "alice", *lan.options(2)])
        node = RecordingNode()
        monkeypatch.setattr(window.session, "_node", node)
        window.direct.own_nick = "alice"
        window.on_event(ev.Hosting(host=ME.addr))
        window.on_event(ev.Presence(users=(ME, BOB, OLD)))
        _activate(qtbot, window)
        return window, node

    return make


def _activate(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)


def _send_away(qtbot, window: MainWindow) -> QWidget:
    """Another window takes the focus, as another app would."""
    elsewhere = QWidget()
    qtbot.addWidget(elsewhere)
    elsewhere.show()
    elsewhere.activateWindow()
    qtbot.waitUntil(lambda: not window.isActiveWindow(), timeout=WAIT_MS)
    return elsewhere


def _direct(n: int, text: str = "psst") -> ev.Direct:
    return ev.Direct(id=f"in{n}", key=BOB.key, nick=BOB.nick, text=text, ts=1000.0 + n)


def _double_click(qtbot, window: MainWindow, nick: str) -> None:
    members = window.members
    row = next(r for r in range(members.count()) if members.item(r).text().startswith(nick))
    centre = members.visualItemRect(members.item(row)).center()
    qtbot.mouseClick(members.viewport(), Qt.MouseButton.LeftButton, pos=centre)  # a view acts on the row it pressed
    qtbot.mouseDClick(members.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def test_room_first_and_the_empty_state(qtbot, open_window):
    window, _ = open_window()
    conversations = window.direct.list
    assert conversations.count() == 1 and conversations.item(0).text() == "# lobby"
    assert conversations.empty_hint == "No direct messages yet — double-click a member to write to them"
    assert not conversations.grab().isNull()  # the hint is painted without warnings
    assert window.direct.current_key == "" and window.direct.stack.currentWidget() is window.chat


def test_double_click_a_member_starts_a_dm_and_the_composer_sends_it(qtbot, open_window):
    window, node = open_window()
    _double_click(qtbot, window, "bob")
    assert window.direct.current_key == BOB.key
    assert window.direct.list.item(1).text() == "bob"
    assert "Private message to bob" in window.composer.placeholderText()
    qtbot.keyClicks(window.composer, "only for you")
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)
    assert node.sent == [("only for you", "bob", BOB.key)] and node.said == []
    view = window.direct.stack.currentWidget()
    assert isinstance(view, DirectView) and view.toPlainText().endswith("alice  only for you  ✓")
    assert "only for you" not in window.chat.toPlainText()


def test_no_dm_to_oneself_or_to_a_client_without_identity(qtbot, open_window):
    window, _ = open_window()
    assert not window.members.message_menu(ME).actions()[0].isEnabled()
    assert not window.members.message_menu(OLD).actions()[0].isEnabled()
    assert window.members.message_menu(BOB).actions()[0].isEnabled()
    _double_click(qtbot, window, "alice")
    _double_click(qtbot, window, "old-client")
    assert window.direct.list.count() == 1 and window.direct.current_key == ""
    _double_click(qtbot, window, "bob")  # the same gesture works on someone who can be written to
    assert window.direct.current_key == BOB.key


def test_marks_follow_queued_delivered_and_read_and_never_go_back(qtbot, open_window):
    window, _ = open_window()
    window.direct.open(BOB)
    window.send("are you there?")
    view = window.direct.view(BOB.key)
    for event, mark in ((ev.Queued(id="dm1", to="bob", key=BOB.key), "✓ waiting for bob"),
                        (ev.Delivered(id="dm1", to="bob", key=BOB.key), "✓✓"),
                        (ev.Queued(id="dm1", to="bob", key=BOB.key), "✓✓"),  # late: no step back
                        (ev.ReadMark(id="dm1", by="bob", key=BOB.key), "✓✓ read")):
        window.on_event(event)
        assert view.toPlainText().endswith(f"are you there?  {mark}"), event
    assert window.history.status("dm1") == Status.READ
    assert view.line_count == 1


def test_a_mark_changes_only_its_own_line(qtbot, open_window):
    window, _ = open_window()
    window.direct.open(BOB)
    window.send("first\nin two lines")
    window.on_event(_direct(1, "between"))
    window.send("second")
    window.on_event(ev.Delivered(id="dm1", to="bob", key=BOB.key))
    lines = [re.sub(r"^\d\d:\d\d  ", "", line) for line in window.direct.view(BOB.key).toPlainText().splitlines()]
    assert lines == ["alice  first", "in two lines  ✓✓", "bob  between", "alice  second  ✓"]


def test_received_dm_is_unread_until_shown_then_a_receipt_goes_back(qtbot, open_window):
    window, node = open_window()
    elsewhere = _send_away(qtbot, window)
    window.on_event(_direct(1))
    window.on_event(_direct(2, "still there?"))
    conversations = window.direct.list
    assert conversations.unread(BOB.key) == 2 and window.windowTitle() == "(2) zp2p — lobby"
    assert "bob  still there?" in window.direct.view(BOB.key).toPlainText()
    assert "still there?" not in window.chat.toPlainText()
    conversations.select(BOB.key)
    assert node.reads == []  # selected, but the window is behind another one
    elsewhere.close()
    _activate(qtbot, window)
    qtbot.waitUntil(lambda: node.reads == [(BOB.key, ("in1", "in2"))], timeout=WAIT_MS)
    assert conversations.unread(BOB.key) == 0 and window.windowTitle() == "zp2p — lobby"
    window.on_event(_direct(3, "shown at once"))
    assert node.reads[-1] == (BOB.key, ("in3",)) and conversations.unread(BOB.key) == 0
    window.on_event(_direct(3, "shown at once"))  # the same id again: shown and counted once
    assert window.direct.view(BOB.key).toPlainText().count("shown at once") == 1


def test_no_receipt_while_the_user_reads_further_up(qtbot, open_window):
    window, node = open_window()
    window.direct.open(BOB)
    view = window.direct.view(BOB.key)
    for n in range(60):
        window.on_event(_direct(n, f"line {n}"))
    assert view.verticalScrollBar().maximum() > 0
    view.verticalScrollBar().setValue(0)
    sent_before = len(node.reads)
    window.on_event(_direct(60, "below the fold"))
    assert len(node.reads) == sent_before and window.direct.list.unread(BOB.key) == 1
    view.scroll_to_bottom()
    assert node.reads[-1] == (BOB.key, ("in60",)) and window.direct.list.unread(BOB.key) == 0


def test_room_messages_count_while_a_dm_is_shown(qtbot, open_window):
    window, _ = open_window()
    window.direct.open(BOB)
    window.on_event(ev.Message(id="s:1", sender="n-bob", nick="bob", addr=BOB.addr, text="to all", ts=1000.0))
    assert window.direct.list.unread("") == 1 and window.windowTitle() == "(1) zp2p — lobby"
    window.direct.list.select("")
    assert window.direct.list.unread("") == 0 and window.windowTitle() == "zp2p — lobby"


@pytest.mark.parametrize("code", [Code.RECIPIENT_KEY_CHANGED, Code.DM_QUEUE_FULL, Code.UNKNOWN_RECIPIENT])
def test_refusals_show_in_the_dm_and_mark_it_not_sent(qtbot, open_window, code):
    window, _ = open_window()
    window.direct.open(BOB)
    window.send("secret")
    window.direct.list.select("")
    window.on_event(ev.Error(code=code, detail="engine detail"))
    view = window.direct.view(BOB.key)
    assert view.toPlainText().splitlines()[0].endswith("secret  ✗ not sent")
    assert "Message not sent" in view.toPlainText().splitlines()[1]
    assert "Message not sent" not in window.chat.toPlainText()
    assert window.history.status("dm1") == Status.FAILED


def test_text_rules_are_said_in_the_dm_without_sending(qtbot, open_window):
    window, node = open_window()
    window.direct.open(BOB)
    window.send("x" * 20000)
    assert node.sent == []
    assert "Message not sent: it is longer than" in window.direct.view(BOB.key).toPlainText()


def test_conversations_unread_and_marks_survive_a_restart(qtbot, lan, make_window, open_window):
    first, _ = open_window()
    first.direct.open(BOB)
    first.send("before the restart")
    first.on_event(ev.Delivered(id="dm1", to="bob", key=BOB.key))
    first.direct.list.select("")
    first.on_event(_direct(1, "unread across the restart"))
    first.close()
    first.history.close()

    second = make_window(["--nick", "alice", *lan.options(4)])  # same data folder, not connected
    conversations = second.direct.list
    assert conversations.keys() == [BOB.key] and conversations.nick(BOB.key) == "bob"
    assert conversations.unread(BOB.key) == 1 and second.windowTitle() == "(1) zp2p — lobby"
    _activate(qtbot, second)
    conversations.select(BOB.key)
    text = second.direct.view(BOB.key).toPlainText()
    assert "Earlier messages with bob" in text and "before the restart  ✓✓" in text
    assert conversations.unread(BOB.key) == 0
    assert second.history.status("in1") == Status.SEEN  # shown offline: the receipt is owed
    node = RecordingNode()
    second.session._node = node  # what connect_now would start
    try:
        second.on_event(ev.Joined(host=BOB.addr, users=(ME, BOB)))
        assert node.reads == [(BOB.key, ("in1",))] and second.history.status("in1") == Status.READ
    finally:
        second.session._node = None


def test_a_dm_notification_says_it_is_private(qtbot, open_window):
    window, _ = open_window()
    assert window.notifier.title("bob", private=True) == "bob (private message)"
    assert window.notifier.title("bob", private=False) == "bob"


def test_the_dm_words_are_korean_in_korean(qtbot, open_window):
    window, _ = open_window()
    translations = Translations(QApplication.instance())
    try:
        translations.apply("ko")
        qtbot.waitUntil(lambda: window.direct.list.empty_hint.startswith("아직 개인 메시지가 없습니다"), timeout=WAIT_MS)
        window.direct.open(BOB)
        window.send("안녕")
        window.on_event(ev.Queued(id="dm1", to="bob", key=BOB.key))
        assert window.direct.view(BOB.key).toPlainText().endswith("✓ bob 님을 기다리는 중")
        assert window.composer.placeholderText().startswith("bob 님에게 보내는 개인 메시지")
    finally:
        translations.apply("en")


@pytest.mark.skipif(not hasattr(Node, "send_direct"), reason="needs the engine's direct messages (branch dm-engine)")
def test_a_real_dm_both_ways_with_a_read_receipt(qtbot, hosting_with_bob):
    """End to end with the real engine: a headless bob writes with /msg, the window shows it in
    bob's conversation, and showing it sends bob a read mark; the answer reaches bob and its
    line in the window ends delivered."""
    window, bob = hosting_with_bob
    _activate(qtbot, window)
    bob.say("/msg alice just between us")
    conversations = window.direct.list
    qtbot.waitUntil(lambda: conversations.keys() != [], timeout=WAIT_MS)
    key = conversations.keys()[0]
    assert conversations.nick(key) == "bob" and conversations.unread(key) == 1
    assert "just between us" in window.direct.view(key).toPlainText()
    assert "just between us" not in window.chat.toPlainText()
    conversations.select(key)
    bob.wait_event("read", timeout=WAIT_MS / 1000, by="alice")
    window.send("and back to you")
    bob.wait_event("direct", timeout=WAIT_MS / 1000, text="and back to you", **{"from": "alice"})
    qtbot.waitUntil(lambda: window.direct.view(key).toPlainText().endswith("and back to you  ✓✓"), timeout=WAIT_MS)


def _stranger(n: int) -> ev.Direct:
    """A DM from someone new each time, as from an identity that joins, writes once and leaves."""
    return ev.Direct(id=f"s{n}", key=f"stranger-key-{n}", nick=f"s{n}", text=f"hello {n}", ts=2000.0 + n)


def test_strangers_writing_all_day_leave_the_list_and_the_views_bounded(qtbot, open_window):
    """Someone writes under a new identity again and again: the list keeps the newest
    STRANGER_ROWS of them and every contact, the window keeps VIEWS_KEPT chat views built, and the
    unread total follows what is listed; every DM stays in the history."""
    window, _ = open_window()
    window.direct.open(BOB)
    window.send("to a contact")  # bob is a contact now: his row stays, however many come after
    conversations = window.direct.list
    conversations.select("")
    extra = 30
    for n in range(STRANGER_ROWS + extra):
        window.on_event(_stranger(n))
    keys = conversations.keys()
    assert len(keys) == STRANGER_ROWS + 1 and BOB.key in keys
    assert keys[0] == f"stranger-key-{STRANGER_ROWS + extra - 1}" and "stranger-key-0" not in keys
    assert conversations.total_unread == STRANGER_ROWS
    assert window.direct.stack.count() <= 1 + VIEWS_KEPT + 1  # the room's, the kept ones, the one shown
    assert [m.text for m in window.history.last_direct("stranger-key-0")] == ["hello 0"]
    window.on_event(ev.Direct(id="s0-again", key="stranger-key-0", nick="s0", text="back", ts=3000.0))
    conversations.select("stranger-key-0")
    assert "hello 0" in window.direct.view("stranger-key-0").toPlainText()  # rebuilt from the history


def test_a_stranger_shown_is_not_dropped_and_its_view_keeps_working(qtbot, open_window):
    window, _ = open_window()
    conversations = window.direct.list
    window.on_event(_stranger(0))
    conversations.select("stranger-key-0")
    for n in range(1, STRANGER_ROWS + VIEWS_KEPT + 5):
        window.on_event(_stranger(n))
    assert "stranger-key-0" in conversations.keys() and conversations.current_key == "stranger-key-0"
    assert window.direct.stack.currentWidget() is window.direct.view("stranger-key-0")
    assert "hello 0" in window.direct.view("stranger-key-0").toPlainText()


def test_after_a_restart_the_newest_conversation_is_first_and_strangers_stay_bounded(qtbot, lan, make_window,
                                                                                     open_window):
    first, _ = open_window()
    first.direct.open(BOB)
    first.send("an old contact")
    for n in range(STRANGER_ROWS + 10):
        first.on_event(_stranger(n))
    first.close()
    first.history.close()

    second = make_window(["--nick", "alice", *lan.options(4)])
    keys = second.direct.list.keys()
    assert len(keys) == STRANGER_ROWS + 1 and BOB.key in keys
    assert keys[:2] == [BOB.key, f"stranger-key-{STRANGER_ROWS + 9}"]  # most recent first: bob's DM is now
    assert keys[-1] == "stranger-key-10"


def test_a_stranger_who_writes_again_outlasts_quieter_ones(qtbot, open_window):
    window, _ = open_window()
    for n in range(STRANGER_ROWS):
        window.on_event(_stranger(n))
    window.on_event(ev.Direct(id="s0-again", key="stranger-key-0", nick="s0", text="still here", ts=2999.0))
    window.on_event(_stranger(STRANGER_ROWS))
    keys = window.direct.list.keys()
    assert "stranger-key-0" in keys and "stranger-key-1" not in keys and len(keys) == STRANGER_ROWS


def test_marks_still_find_their_line_after_more_own_lines_than_a_view_holds(qtbot):
    """A view keeps MAX_BLOCKS lines and the marks of as many own DMs: past that, each new line
    still gets its own number, so a mark never lands on another line."""
    view = DirectView(BOB.key)
    qtbot.addWidget(view)
    for n in range(MAX_BLOCKS + 3):
        view.add_direct(StoredMessage(id=f"o{n}", room="", sender="", nick="alice", addr="", text=f"line {n}",
                                      ts=1000.0 + n, own=True, conversation=BOB.key, peer="bob", status=Status.SENT),
                        "✓", history=False)
    view.set_mark(f"o{MAX_BLOCKS + 1}", "✓✓")
    lines = view.toPlainText().splitlines()
    assert lines[-2].endswith(f"line {MAX_BLOCKS + 1}  ✓✓") and lines[-1].endswith(f"line {MAX_BLOCKS + 2}  ✓")
    assert len(lines) <= MAX_BLOCKS
