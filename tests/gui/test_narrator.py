"""System lines in people's words: hosts and members are named rather than addressed, a room
that heals itself (a failover, a thawed host merging back) makes no leave/join churn, and a
refused nick never says "You left the room"; a forged message names whom it claimed to be from."""

from __future__ import annotations

from zp2p_gui.core import events as ev
from zp2p_gui.ui.status import State

from .conftest import WAIT_MS


def _member(lan, n: int, nick: str, host: bool = False) -> ev.Member:
    return ev.Member(f"id-{nick}", nick, lan.ip(n), host, 0.0)


def _lines(window) -> list[str]:
    return [line.split(" · ", 1)[-1] for line in window.chat.toPlainText().splitlines()]


def test_failover_is_told_in_names_not_addresses(qtbot, lan, make_window):
    window = make_window(["--nick", "alice", *lan.options(2)])
    window.narrator.back_within_s = 0.2
    bob, carol, dave = _member(lan, 3, "bob", host=True), _member(lan, 4, "carol"), _member(lan, 5, "dave")
    alice = _member(lan, 2, "alice")
    window.on_event(ev.Joined(host=lan.ip(3), users=(bob, alice, carol, dave)))
    window.on_event(ev.Reconnecting(reason=f"host {lan.ip(3)} silent", cause=ev.Cause.HOST_SILENT, host=lan.ip(3)))
    window.on_event(ev.HostChanged(host=lan.ip(4)))
    window.on_event(ev.Presence(users=(ev.Member("id-carol", "carol", lan.ip(4), True, 0.0), alice)))
    qtbot.waitUntil(lambda: "dave left." in _lines(window), timeout=WAIT_MS)  # not back in time
    assert _lines(window) == [
        "Joined the room; bob is hosting it.",
        "bob's computer stopped answering; the room moves to another computer…",
        "carol is now hosting the room.",
        "dave left.",
    ]
    assert not any(lan.ip(n) in line for line in _lines(window) for n in (3, 4, 5))


def test_departures_say_how_and_quick_returns_say_nothing(qtbot, lan, make_window):
    window = make_window(["--nick", "alice", *lan.options(2)])
    window.narrator.back_within_s = 0.3
    alice, bob, carol, dave = (_member(lan, 2, "alice", host=True), _member(lan, 3, "bob"),
                               _member(lan, 4, "carol"), _member(lan, 5, "dave"))
    window.on_event(ev.Hosting(host=lan.ip(2)))
    window.on_event(ev.Presence(users=(alice, bob, carol, dave)))
    assert _lines(window)[-3:] == ["bob joined.", "carol joined.", "dave joined."]
    before = len(_lines(window))
    window.on_event(ev.Presence(users=(alice, dave), gone=(ev.Gone("id-bob", "bob", ev.Departure.LEFT),
                                                          ev.Gone("id-carol", "carol", ev.Departure.LOST))))
    assert _lines(window)[-1] == "bob left."  # a goodbye is said at once
    window.on_event(ev.Presence(users=(alice,), gone=(ev.Gone("id-dave", "dave", ev.Departure.LOST),)))
    window.on_event(ev.Presence(users=(alice, dave)))  # dave is back within a moment: nothing to say
    assert window.narrator.waiting == 1  # carol only: dave's return settled his
    qtbot.waitUntil(lambda: "carol's computer stopped answering." in _lines(window), timeout=WAIT_MS)
    assert window.narrator.waiting == 0
    assert not any("dave" in line for line in _lines(window)[before:])


def test_a_thawed_host_merging_back_makes_no_churn(lan, make_window):
    window = make_window(["--nick", "alice", *lan.options(2)])
    window.narrator.back_within_s = 0.3
    window.narrator.room = "lobby"
    alice, bob, carol = _member(lan, 2, "alice", host=True), _member(lan, 3, "bob"), _member(lan, 4, "carol")
    window.on_event(ev.Hosting(host=lan.ip(2)))
    window.on_event(ev.Presence(users=(alice, bob, carol)))
    before = len(_lines(window))
    window.on_event(ev.Presence(users=(alice,)))  # frozen: the others moved on without us
    window.on_event(ev.Reconnecting(reason="merging with another host", cause=ev.Cause.MERGING))
    window.on_event(ev.Joined(host=lan.ip(4), users=(ev.Member("id-carol", "carol", lan.ip(4), True, 0.0), bob,
                                                     ev.Member("id-alice", "alice", lan.ip(2), False, 0.0))))
    assert window.narrator.waiting == 0  # everyone who vanished while we were frozen is back
    assert _lines(window)[before:] == ["Another computer hosts room lobby too; joining it so there is one room…",
                                       "carol is now hosting the room."]


def test_a_lost_host_that_returns_is_back(lan, make_window):
    window = make_window(["--nick", "alice", *lan.options(2)])
    bob, alice = _member(lan, 3, "bob", host=True), _member(lan, 2, "alice")
    window.on_event(ev.Joined(host=lan.ip(3), users=(bob, alice)))
    window.on_event(ev.Reconnecting(cause=ev.Cause.HOST_CRASHED, host=lan.ip(3), host_nick="bob"))
    window.on_event(ev.Hosting(host=lan.ip(2)))
    window.on_event(ev.Presence(users=(_member(lan, 2, "alice", host=True),)))
    window.on_event(ev.Presence(users=(_member(lan, 2, "alice", host=True), _member(lan, 3, "bob"))))
    assert _lines(window)[-3:] == ["zp2p on bob's computer stopped; the room moves to another computer…",
                                   "This computer took over hosting the room.", "bob is back."]


def _refused_as_alice(qtbot, lan, make_window):
    """A window asking for the nick a headless host holds, once it has offered alice2 instead."""
    host = lan.peer("alice", 3)
    host.wait_event("hosting", timeout=WAIT_MS / 1000)
    window = make_window(["--nick", "alice", *lan.options(2)])
    window.connect_now()
    qtbot.waitUntil(lambda: window.nick_edit.text() == "alice2", timeout=WAIT_MS)
    return host, window


def test_a_refused_nick_offers_a_free_one_while_the_engine_keeps_asking(qtbot, lan, make_window):
    _, window = _refused_as_alice(qtbot, lan, make_window)
    said = window.chat.toPlainText()
    assert "You left the room" not in said
    assert "already uses the nick alice" in said and "join as alice2" in said
    assert window.session.active and window.status.state is not State.ERROR  # not fatal: still asking
    assert window.nick_edit.selectedText() == "alice2"
    assert window.nick_edit.hasFocus() and window.nick_edit.isEnabled()
    assert "alice is taken" in window.nick_edit.toolTip()
    window.nick_edit.returnPressed.emit()  # Enter on the suggestion joins under it
    qtbot.waitUntil(lambda: window.status.state is State.CONNECTED, timeout=WAIT_MS)
    assert window.nick_edit.toolTip() == "" and not window.nick_edit.isEnabled()
    assert "alice2" in [m.nick for m in window.status.members]


def test_a_refused_nick_that_comes_free_is_taken_and_the_field_shows_it(qtbot, lan, make_window):
    host, window = _refused_as_alice(qtbot, lan, make_window)
    assert host.quit() == 0  # the nick's holder leaves; the engine, still asking, gets it
    qtbot.waitUntil(lambda: window.status.state in (State.HOSTING, State.CONNECTED), timeout=WAIT_MS)
    assert window.nick_edit.text() == "alice" and not window.nick_edit.isEnabled()
    assert window.nick_edit.toolTip() == ""


def test_leaving_after_being_in_the_room_is_said(lan, make_window):
    window = make_window(["--nick", "alice", *lan.options(2)])
    window.on_event(ev.Hosting(host=lan.ip(2)))
    window.on_event(ev.Left())
    assert _lines(window)[-1] == "You left the room."


def test_a_forged_message_is_a_system_line_naming_its_claimed_sender(lan, make_window):
    window = make_window(["--nick", "alice", *lan.options(2)])
    window.on_event(ev.Forged(detail="dropped a message claiming to be from bob", sender="id-bob", nick="bob"))
    assert _lines(window)[-1] == ("A message claiming to be from bob was not signed by them and was dropped: "
                                  "the host altered or invented it")
