"""The node's conversation bookkeeping, without sockets: outbox, exactly-once display, backlog replica."""

from __future__ import annotations

from zp2p_gui.core.codec import decode
from zp2p_gui.core.conversation import SEND_WINDOW, Conversation


def chat(sender: str, seq: int, text: str = "hi") -> dict:
    return {"sender": sender, "nick": sender.upper(), "addr": "127.0.0.2", "seq": seq, "text": text, "ts": 1.0}


def conv() -> Conversation:
    return Conversation("me", backlog=3, resend_after=2.0, unconfirmed=1000)


def test_a_message_said_while_offline_waits_and_goes_after_a_host_change() -> None:
    c = conv()
    assert c.say("early", now=0.0, connected=False) is None
    assert [decode(f)["text"] for f in c.outbox.due(1.0, everything=True)] == ["early"]


def test_own_echo_confirms_and_is_shown_once_as_own() -> None:
    c = conv()
    frame = c.say("hello", now=0.0, connected=True)
    assert decode(frame)["seq"] == 1
    shown = c.receive([chat("me", 1, "hello")], now=0.1)
    assert [(m.text, m.own, m.id) for m in shown] == [("hello", True, "me:1")]
    assert len(c.outbox) == 0 and not c.pending()
    assert c.receive([chat("me", 1, "hello")], now=0.2) == []


def test_the_send_window_holds_back_the_rest_until_due() -> None:
    c = conv()
    sent = [c.say(f"m{i}", now=0.0, connected=True) for i in range(SEND_WINDOW + 5)]
    assert sent.count(None) == 5
    for seq in range(1, 6):
        c.receive([chat("me", seq)], now=0.1)
    due = c.outbox.due(0.2)
    assert [decode(f)["seq"] for f in due] == list(range(SEND_WINDOW + 1, SEND_WINDOW + 6))


def test_first_welcome_shows_the_backlog_as_history_and_later_ones_do_not() -> None:
    c = conv()
    shown = c.welcome([chat("bob", 4), chat("bob", 5)], {"bob": 5}, now=0.0, first=True)
    assert [(m.id, m.history) for m in shown] == [("bob:4", True), ("bob:5", True)]
    shown = c.welcome([chat("bob", 5), chat("bob", 6)], {"bob": 6}, now=1.0, first=False)
    assert [(m.id, m.history) for m in shown] == [("bob:6", False)]


def test_a_hole_is_fetched_then_given_up_and_the_replica_stays_bounded() -> None:
    c = conv()
    c.welcome([], {"bob": 0}, now=0.0, first=True)
    assert [m.id for m in c.receive([chat("bob", 1), chat("bob", 3)], now=0.0)] == ["bob:1"]
    assert c.pending()
    gap = c.gaps(now=0.5)[0]
    assert (gap.sender, gap.first, gap.last) == ("bob", 2, 2)
    assert [m.id for m in c.give_up(now=5.0, wait=3.0)] == ["bob:3"]
    c.receive([chat("bob", 4), chat("bob", 5)], now=5.1)
    assert [x["seq"] for x in c.recent] == [3, 4, 5]
