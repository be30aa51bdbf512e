"""The badge's state follows engine events only; an error outlives the Left that follows it."""

from __future__ import annotations

from zp2p_gui.core import events as ev
from zp2p_gui.core.events import Member
from zp2p_gui.ui.badge import StatusBadge
from zp2p_gui.ui.status import State, Status, advance

BOB = Member(node_id="b", nick="bob", addr="127.0.5.3", host=True, joined=0.0)


def _run(*events: ev.Event) -> Status:
    status = Status()
    for event in events:
        status = advance(status, event)
    return status


def test_join_then_host_change_then_leave():
    joined = _run(ev.Searching(), ev.Joined(host="127.0.5.3", users=(BOB,)))
    assert (joined.state, joined.host_nick) == (State.CONNECTED, "bob")
    assert _run(ev.Searching(), ev.Joined(host="127.0.5.3"), ev.Reconnecting(reason="x")).state is State.RECONNECTING
    assert _run(ev.Searching(), ev.Hosting(host="127.0.5.2"), ev.Left()).state is State.OFFLINE


def test_fatal_error_stays_after_left_but_warnings_do_not_change_state():
    status = _run(ev.Searching(), ev.Error(code="no_host", detail="still trying"))
    assert status.state is State.SEARCHING
    status = _run(ev.Searching(), ev.Error(code="nick_in_use", detail="taken", fatal=True), ev.Left())
    assert (status.state, status.error_code) == (State.ERROR, "nick_in_use")


def test_badge_words(qtbot):
    badge = StatusBadge()
    qtbot.addWidget(badge)
    badge.set_status(_run(ev.Joined(host="127.0.5.3", users=(BOB,))))
    assert badge.text == "Connected to bob (127.0.5.3)"
    badge.set_status(_run(ev.Error(code="nick_in_use", detail="taken", fatal=True)))
    assert badge.text == "Nick already in use"
    badge.set_status(_run(ev.Error(code="odd", detail="something odd", fatal=True)))
    assert badge.text == "Error: something odd"


def test_refusals_name_the_room_and_keep_the_detail_in_the_tooltip(qtbot):
    badge = StatusBadge()
    qtbot.addWidget(badge)
    badge.set_room("team", private=True)
    detail = "room 'team' on this network has no passphrase; not joining it unencrypted"
    refused = _run(ev.Searching(), ev.Error(code="room_not_private", detail=detail, fatal=True))
    badge.set_status(refused)
    assert badge.text == "Room team on this network has no passphrase; not joining it unencrypted"
    assert badge.toolTip() == detail
    assert not badge.private_shown  # an error is not a private room


def test_lock_only_while_a_private_room_is_on(qtbot):
    badge = StatusBadge()
    qtbot.addWidget(badge)
    hosting = _run(ev.Searching(), ev.Hosting(host="127.0.5.2"))
    badge.set_room("team", private=False)
    badge.set_status(hosting)
    assert not badge.private_shown
    badge.set_room("team", private=True)
    assert badge.private_shown and "private room" in badge.accessibleName()
    badge.set_status(Status())
    assert not badge.private_shown
