"""The node's conversation bookkeeping, without sockets: outbox, exactly-once display, backlog replica."""

from __future__ import annotations

from zp2p_gui.core.backlog import chat_size
from zp2p_gui.core.codec import decode
from zp2p_gui.core.conversation import SEND_WINDOW, Conversation
from zp2p_gui.core.events import Event, Forged, Member, Message
from zp2p_gui.core.signing import Sealer, key_text, new_node_id
from zp2p_gui.core.sodium import SigningKey

ROOM = "lobby"
SECRETS = {name: SigningKey.generate() for name in ("me", "bob", "eve", "alice", "zoe")}
IDS = {name: new_node_id(key_text(secret.public)) for name, secret in SECRETS.items()}
NAMES = {node_id: name for name, node_id in IDS.items()}


def chat(sender: str, seq: int, text: str = "hi") -> dict:
    """A relayed chat of `sender` (a name above), signed by that sender."""
    secret, node_id, nick = SECRETS[sender], IDS[sender], sender.upper()
    return {"sender": node_id, "nick": nick, "addr": "127.0.0.2", "seq": seq, "text": text, "ts": 1.0,
            "key": key_text(secret.public), "sig": Sealer(secret, ROOM, node_id, nick).sign(seq, text)}


def ids(shown: list[Event]) -> list[str]:
    """"bob:4" for bob's message 4: message ids with names instead of node ids."""
    return [NAMES[m.sender] + m.id[len(m.sender):] for m in shown if isinstance(m, Message)]


def gaps(events: list[Event]) -> list[tuple[str, str, int, int, int]]:
    return [(NAMES.get(e.sender, e.sender), e.nick, e.count, e.first, e.last) for e in events if e.name == "gap"]


def conv() -> Conversation:
    return Conversation(Sealer(SECRETS["me"], ROOM, IDS["me"], "ME"), backlog_bytes=3 * chat_size(chat("bob", 1)),
                        resend_after=2.0, unconfirmed=1000)


def test_a_message_said_while_offline_waits_and_goes_after_a_host_change() -> None:
    c = conv()
    assert c.say("early", now=0.0, connected=False) is None
    assert [decode(f)["text"] for f in c.outbox.due(1.0, everything=True)] == ["early"]


def test_own_echo_confirms_and_is_shown_once_as_own() -> None:
    c = conv()
    frame = c.say("hello", now=0.0, connected=True)
    assert decode(frame)["seq"] == 1
    shown = c.receive([chat("me", 1, "hello")], now=0.1)
    assert [(m.text, m.own) for m in shown] == [("hello", True)] and ids(shown) == ["me:1"]
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
    shown = c.welcome([chat("bob", 4), chat("bob", 5)], {IDS["bob"]: 5}, now=0.0, first=True)
    assert ids(shown) == ["bob:4", "bob:5"] and all(m.history for m in shown)
    shown = c.welcome([chat("bob", 5), chat("bob", 6)], {IDS["bob"]: 6}, now=1.0, first=False)
    assert ids(shown) == ["bob:6"] and not shown[0].history


def test_a_hole_is_fetched_then_given_up_and_the_replica_stays_bounded() -> None:
    c = conv()
    c.welcome([], {IDS["bob"]: 0}, now=0.0, first=True)
    assert ids(c.receive([chat("bob", 1), chat("bob", 3)], now=0.0)) == ["bob:1"]
    assert c.pending()
    gap = c.gaps(now=0.5)[0]
    assert (gap.sender, gap.first, gap.last) == (IDS["bob"], 2, 2)
    shown = c.give_up(now=5.0, wait=3.0)
    assert gaps(shown) == [("bob", "BOB", 1, 2, 2)] and shown[0].name == "gap" and ids(shown) == ["bob:3"]
    c.receive([chat("bob", 4), chat("bob", 5)], now=5.1)
    assert [x["seq"] for x in c.recent] == [3, 4, 5]


def test_what_we_say_is_signed_so_our_own_echo_verifies() -> None:
    c = conv()
    say = decode(c.say("signed", now=0.0, connected=True))
    echo = {**chat("me", 1, "signed"), "sig": say["sig"]}
    assert ids(c.receive([echo], now=0.1)) == ["me:1"]


def forgeries(shown: list[Event]) -> list[tuple[str, str]]:
    return [(NAMES.get(e.sender, e.sender), e.code) for e in shown if isinstance(e, Forged)]


def test_an_altered_or_invented_message_is_dropped_and_reported_once() -> None:
    c = conv()
    altered = {**chat("bob", 1, "yes"), "text": "NO"}
    shown = c.receive([altered, altered], now=0.0)
    assert forgeries(shown) == [("bob", "forged_message")] and "bob" in shown[0].nick.lower()
    assert c.receive([altered], now=0.1) == []  # the host sending it again is not news
    invented = {**chat("eve", 2, "I am bob"), "sender": IDS["bob"]}  # bob's node id, eve's key
    assert forgeries(c.receive([invented], now=0.2)) == [("bob", "forged_message")]
    assert ids(c.receive([chat("bob", 1, "yes")], now=0.3)) == ["bob:1"]  # bob's real message still shows


def test_a_message_under_a_members_nick_needs_that_members_key() -> None:
    c = conv()
    c.pin([Member(node_id=IDS["bob"], nick="BOB", addr="127.0.0.2", host=False, joined=0.0,
                  key=chat("bob", 1)["key"])])
    posing = {**chat("eve", 1, "hi"), "nick": "Bob"}  # eve's own id and key, bob's nick
    posing["sig"] = Sealer(SECRETS["eve"], ROOM, IDS["eve"], "Bob").sign(1, "hi")
    assert forgeries(c.receive([posing], now=0.0)) == [("eve", "forged_message")]
    assert ids(c.receive([chat("bob", 1)], now=0.1)) == ["bob:1"]


def test_our_own_echo_altered_by_the_host_is_reported() -> None:
    c = conv()
    say = decode(c.say("yes", now=0.0, connected=True))
    altered = {**chat("me", 1, "NO"), "sig": say["sig"]}  # our signature, another text
    assert forgeries(c.receive([altered], now=0.1)) == [("me", "forged_message")]
    assert len(c.outbox) == 1  # not confirmed: the real one is still to be relayed


# ------------------------------------------------------------------ a frozen receiver catches up


def big() -> Conversation:
    return Conversation(Sealer(SECRETS["me"], ROOM, IDS["me"], "ME"), backlog_bytes=1 << 24, resend_after=2.0,
                        unconfirmed=1000)


def test_a_welcome_after_a_freeze_keeps_the_messages_queued_for_us() -> None:
    """We joined, then froze; alice started talking meanwhile (3,000 messages) and the host
    expired us. Its re-welcome carries the newest 200: the 2,800 older ones still queued in our
    socket must be shown, not dropped as older than the welcome's page."""
    c = big()
    c.welcome([], {}, now=0.0, first=True)
    shown = c.welcome([chat("alice", s) for s in range(2801, 3001)], {IDS["alice"]: 3000}, now=10.0, first=False)
    shown += c.receive([chat("alice", s) for s in range(1, 3001)], now=10.1)
    assert ids(shown) == [f"alice:{s}" for s in range(1, 3001)]
    assert gaps(shown) == [] and c.give_up(now=99.0, wait=3.0) == []


def test_queued_messages_read_before_the_welcome_are_not_shown_twice() -> None:
    c = big()
    c.welcome([], {}, now=0.0, first=True)
    shown = c.receive([chat("alice", s) for s in range(1, 1001)], now=10.0)
    shown += c.welcome([chat("alice", s) for s in range(2801, 3001)], {IDS["alice"]: 3000}, now=10.0, first=False)
    shown += c.receive([chat("alice", s) for s in range(1001, 3001)], now=10.1)
    assert ids(shown) == [f"alice:{s}" for s in range(1, 3001)]


def test_a_first_welcome_still_starts_at_the_backlog() -> None:
    c = big()
    shown = c.welcome([chat("alice", s) for s in range(2801, 3001)], {IDS["alice"]: 3000, IDS["bob"]: 7}, now=0.0,
                      first=True)
    assert ids(shown) == [f"alice:{s}" for s in range(2801, 3001)]
    assert c.receive([chat("alice", 5), chat("bob", 7)], now=0.1) == [] and c.gaps(now=5.0) == []


def test_what_the_host_no_longer_holds_becomes_one_gap_event_before_the_rest() -> None:
    c = big()
    c.welcome([], {}, now=0.0, first=True)
    c.receive([chat("alice", 1)], now=1.0)
    shown = c.welcome([chat("alice", s) for s in range(2801, 3001)], {IDS["alice"]: 3000}, now=10.0, first=False)
    assert ids(shown) == [] and c.gaps(now=10.5)[0].first == 2
    shown = c.give_up(now=13.0, wait=3.0)
    assert gaps(shown[:1]) == [("alice", "ALICE", 2799, 2, 2800)]
    assert ids(shown[1:]) == [f"alice:{s}" for s in range(2801, 3001)]


def test_a_trailing_loss_from_a_sender_never_heard_is_named_from_the_roster() -> None:
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
    alice = Sealer(SECRETS["alice"], ROOM, IDS["alice"], "ALICE")
    host.register(IDS["alice"], "ALICE", "127.0.0.2", alice.key, now=0.0)
    host.register(IDS["me"], "ME", "127.0.0.3", key_text(SECRETS["me"].public), now=0.0)
    for seq in range(1, 3001):
        text = f"line {seq} " + "x" * 300
        host.accept(IDS["alice"], "127.0.0.2", seq, text, 0.0, now=1.0, sig=alice.sign(seq, text))
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
    assert ids(shown) == [f"alice:{s}" for s in range(1, 3001)] and gaps(shown) == []
    assert 3 <= replies <= 10 and now < 11.0, (replies, now)


def test_a_foreign_hosts_welcome_after_a_merge_starts_its_senders_at_its_backlog() -> None:
    """Merging with another room's host: its senders talked in another room, so their older
    messages are not ours to fetch, nor a loss to report."""
    c = big()
    c.welcome([], {}, now=0.0, first=True)
    shown = c.welcome([chat("zoe", s) for s in range(41, 51)], {IDS["zoe"]: 50}, now=5.0, first=False, same_room=False)
    assert ids(shown) == [f"zoe:{s}" for s in range(41, 51)] and not c.pending()
    assert c.give_up(now=99.0, wait=3.0) == []


def test_the_gap_event_reads_like_a_message_on_the_headless_cli() -> None:
    from zp2p_gui.core.events import Gap

    body = Gap(sender="a1", nick="Bob", count=3, first=5, last=7, t=1.0).to_json()
    assert body == {"event": "gap", "t": 1.0, "sender": "a1", "from": "Bob", "count": 3, "first": 5, "last": 7}


def test_a_sender_gone_from_the_roster_is_not_shown_again_when_a_host_replays_it() -> None:
    """bob spoke and left, so our ordering keeps only where he stopped; a later welcome (a
    successor host, or ours after a freeze) still carries his messages: not shown twice, and his
    next message, should he come back under the same node id, follows on without a gap."""
    c = big()
    bob = Member(IDS["bob"], "BOB", "127.0.0.3", False, 1.0, key_text(SECRETS["bob"].public))
    c.pin([bob])
    c.welcome([], {}, now=0.0, first=True)
    assert ids(c.receive([chat("bob", 1), chat("bob", 2)], now=0.1)) == ["bob:1", "bob:2"]
    c.pin([])
    shown = c.welcome([chat("bob", 1), chat("bob", 2)], {IDS["bob"]: 2}, now=5.0, first=False)
    assert shown == [] and not c.pending()
    c.pin([bob])
    assert ids(c.receive([chat("bob", 3)], now=6.0)) == ["bob:3"] and not c.pending()
