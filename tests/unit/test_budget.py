"""Byte caps on what the registry copies from its backlog into one reply, and that a member fed a
capped welcome still shows every message exactly once."""

from __future__ import annotations

from zp2p_gui.core.budget import CHAT_OVERHEAD, chat_bytes, newest_within, oldest_within
from zp2p_gui.core.conversation import Conversation


def chat(sender: str, seq: int, size: int = 1000) -> dict:
    return {"sender": sender, "nick": sender, "addr": "127.0.0.2", "seq": seq, "text": "x" * size, "ts": 1.0}


def test_newest_within_keeps_the_newest_that_fit_oldest_first() -> None:
    chats = [chat("a", seq) for seq in range(1, 11)]
    kept = newest_within(chats, 3 * chat_bytes(chats[0]))
    assert [c["seq"] for c in kept] == [8, 9, 10]
    assert newest_within(chats, 10**9) == chats
    assert newest_within(chats, 10) == []
    assert newest_within([], 100) == []


def test_oldest_within_keeps_a_prefix_and_always_one() -> None:
    chats = [chat("a", seq) for seq in range(1, 11)]
    assert [c["seq"] for c in oldest_within(chats, 2 * chat_bytes(chats[0]))] == [1, 2]
    assert [c["seq"] for c in oldest_within(chats, 1)] == [1]
    assert oldest_within([], 100) == []


def test_size_counts_utf8_bytes() -> None:
    assert chat_bytes(chat("a", 1, 0) | {"text": "한"}) == 3 + CHAT_OVERHEAD


def test_a_capped_welcome_then_fetches_deliver_each_message_once() -> None:
    """A member that knew sender a up to 5 reconnects; the welcome carries only 8..10 (capped), the
    marks say 10. 6..7 become a gap, fetched in two capped history replies; nothing repeats."""
    member = Conversation("me", backlog=100, resend_after=2.0, unconfirmed=100)
    shown = member.receive([chat("a", seq) for seq in range(1, 6)], now=0.0)
    backlog = [chat("a", seq) for seq in range(1, 11)]
    capped = newest_within(backlog, 3 * chat_bytes(backlog[0]))
    shown += member.welcome(capped, {"a": 10}, now=1.0, first=False)
    gap = member.gaps(now=2.0)[0]
    assert (gap.first, gap.last) == (6, 7)
    for _ in range(2):
        wanted = [c for c in backlog if gap.first <= c["seq"] <= gap.last]
        shown += member.receive(oldest_within(wanted, chat_bytes(backlog[0])), now=2.0, history=True)
        gaps = member.gaps(now=3.0)
        gap = gaps[0] if gaps else gap
    assert [m.id for m in shown] == [f"a:{seq}" for seq in range(1, 11)]
