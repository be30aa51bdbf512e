"""The node's conversation bookkeeping, without sockets: outbox, exactly-once display, backlog replica."""

from __future__ import annotations

from zp2p_gui.core.backlog import chat_size
from zp2p_gui.core.codec import decode
from zp2p_gui.core.conversation import SEND_WINDOW, Conversation


def chat(sender: str, seq: int, text: str = "hi") -> dict:
    return {"sender": sender, "nick": sender.upper(), "addr": "127.0.0.2", "seq": seq, "text": text, "ts": 1.0}


def conv() -> Conversation:
    return Conversation("me", backlog_bytes=3 * chat_size(chat("bob", 1)), resend_after=2.0, unconfirmed=1000)


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
    lost, shown = c.give_up(now=5.0, wait=3.0)
    assert (lost.name, lost.sender, lost.nick, lost.count, lost.first, lost.last) == ("gap", "bob", "BOB", 1, 2, 2)
    assert shown.id == "bob:3"
    c.receive([chat("bob", 4), chat("bob", 5)], now=5.1)
    assert [x["seq"] for x in c.recent] == [3, 4, 5]


# ------------------------------------------------------------------ a frozen receiver catches up


def ids(events: list) -> list[str]:
    return [e.id for e in events if e.name == "message"]


def gaps(events: list) -> list[tuple[str, str, int, int, int]]:
    return [(e.sender, e.nick, e.count, e.first, e.last) for e in events if e.name == "gap"]


def big() -> Conversation:
    return Conversation("me", backlog_bytes=1 << 24, resend_after=2.0, unconfirmed=1000)


def test_a_welcome_after_a_freeze_keeps_the_messages_queued_for_us() -> None:
    """We joined, then froze; alice started talking meanwhile (3,000 messages) and the host
    expired us. Its re-welcome carries the newest 200: the 2,800 older ones still queued in our
    socket must be shown, not dropped as older than the welcome's page."""
    c = big()
    c.welcome([], {}, now=0.0, first=True)
    shown = c.welcome([chat("alice", s) for s in range(2801, 3001)], {"alice": 3000}, now=10.0, first=False)
    shown += c.receive([chat("alice", s) for s in range(1, 3001)], now=10.1)
    assert ids(shown) == [f"alice:{s}" for s in range(1, 3001)]
    assert gaps(shown) == [] and c.give_up(now=99.0, wait=3.0) == []


def test_queued_messages_read_before_the_welcome_are_not_shown_twice() -> None:
    c = big()
    c.welcome([], {}, now=0.0, first=True)
    shown = c.receive([chat("alice", s) for s in range(1, 1001)], now=10.0)
    shown += c.welcome([chat("alice", s) for s in range(2801, 3001)], {"alice": 3000}, now=10.0, first=False)
    shown += c.receive([chat("alice", s) for s in range(1001, 3001)], now=10.1)
    assert ids(shown) == [f"alice:{s}" for s in range(1, 3001)]


def test_a_first_welcome_still_starts_at_the_backlog() -> None:
    c = big()
    shown = c.welcome([chat("alice", s) for s in range(2801, 3001)], {"alice": 3000, "bob": 7}, now=0.0, first=True)
    assert ids(shown) == [f"alice:{s}" for s in range(2801, 3001)]
    assert c.receive([chat("alice", 5), chat("bob", 7)], now=0.1) == [] and c.gaps(now=5.0) == []


def test_what_the_host_no_longer_holds_becomes_one_gap_event_before_the_rest() -> None:
    c = big()
    c.welcome([], {}, now=0.0, first=True)
    c.receive([chat("alice", 1)], now=1.0)
    shown = c.welcome([chat("alice", s) for s in range(2801, 3001)], {"alice": 3000}, now=10.0, first=False)
    assert ids(shown) == [] and c.gaps(now=10.5)[0].first == 2
    shown = c.give_up(now=13.0, wait=3.0)
    assert gaps(shown[:1]) == [("alice", "ALICE", 2799, 2, 2800)]
    assert ids(shown[1:]) == [f"alice:{s}" for s in range(2801, 3001)]


def test_a_trailing_loss_from_a_sender_never_heard_is_named_from_the_roster() -> None:
    from zp2p_gui.core.events import Member

    c = big()
    c.welcome([], {}, now=0.0, first=True)
    c.announce({"carol": 4}, now=1.0)
    roster = (Member("carol", "Carol", "127.0.0.9", False, 0.0),)
    assert gaps(c.give_up(now=4.0, wait=3.0, roster=roster)) == [("carol", "Carol", 4, 1, 4)]
    assert gaps(c.give_up(now=9.0, wait=3.0, roster=roster)) == []


def test_a_capped_welcome_and_paged_fetches_repair_a_freeze_exactly_once() -> None:
    """The host's welcome carries one page; the member fetches the rest a page at a time, each
    page asked for as soon as the last one arrived, and shows every message once, in order."""
    from zp2p_gui.core.backlog import PAGE_BYTES, PAGE_ITEMS
    from zp2p_gui.core.codec import encode
    from zp2p_gui.core.config import Limits
    from zp2p_gui.core.room import HostState

    host = HostState("lobby", "h", 0, 1.0, Limits(rate_per_s=0), now=0.0)
    host.register("a", "alice", "127.0.0.2", "", now=0.0)
    host.register("me", "me", "127.0.0.3", "", now=0.0)
    for seq in range(1, 3001):
        host.accept("a", "127.0.0.2", seq, f"line {seq} " + "x" * 300, 0.0, now=1.0)
    c = big()
    c.welcome([], {}, now=0.0, first=True)
    welcome = host.welcome()
    assert len(welcome["backlog"]) <= PAGE_ITEMS and len(encode("welcome", **welcome)) <= PAGE_BYTES + 100_000
    shown = c.welcome(welcome["backlog"], welcome["marks"], now=10.0, first=False)
    now, replies = 10.0, 0
    while c.pending() and replies < 50:
        now += 0.02
        for gap in c.gaps(now):
            page = host.history(gap.sender, gap.first, gap.last)
            assert page and len(encode("history", messages=page)) <= PAGE_BYTES
            replies += 1
            shown += c.fetched(page, now)
    assert ids(shown) == [f"a:{s}" for s in range(1, 3001)] and gaps(shown) == []
    assert 3 <= replies <= 10 and now < 11.0, (replies, now)


def test_a_foreign_hosts_welcome_after_a_merge_starts_its_senders_at_its_backlog() -> None:
    """Merging with another room's host: its senders talked in another room, so their older
    messages are not ours to fetch, nor a loss to report."""
    c = big()
    c.welcome([], {}, now=0.0, first=True)
    shown = c.welcome([chat("zoe", s) for s in range(41, 51)], {"zoe": 50}, now=5.0, first=False, same_room=False)
    assert ids(shown) == [f"zoe:{s}" for s in range(41, 51)] and not c.pending()
    assert c.give_up(now=99.0, wait=3.0) == []


def test_the_gap_event_reads_like_a_message_on_the_headless_cli() -> None:
    from zp2p_gui.core.events import Gap

    body = Gap(sender="a1", nick="Bob", count=3, first=5, last=7, t=1.0).to_json()
    assert body == {"event": "gap", "t": 1.0, "sender": "a1", "from": "Bob", "count": 3, "first": 5, "last": 7}
