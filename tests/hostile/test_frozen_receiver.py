"""Issue 13 item 4: a member frozen (SIGSTOP) while the room talks must, once it runs again,
show everything it missed exactly once and in order, or say what could not be recovered."""

from __future__ import annotations

import signal
import time

from ..harness import HeadlessNode, Room
from ..integration.test_failover import _assert_exactly_once_in_order, _send_paced

FREEZE_S = 10.0
COUNT = 3000
RATE = 300.0


def _room(room: Room, *member_args: str) -> tuple[HeadlessNode, HeadlessNode, HeadlessNode]:
    host = room.start("host", 1)
    host.wait_event("hosting", timeout=15)
    alice = room.start("alice", 2, *member_args)
    alice.wait_event("joined", timeout=15)
    bob = room.start("bob", 3)
    bob.wait_event("joined", timeout=15)
    for node in (host, alice, bob):
        node.wait_users(["alice", "bob", "host"], timeout=15)
    return host, alice, bob


def test_a_member_frozen_for_10_s_shows_all_3000_messages_once_and_in_order(room: Room) -> None:
    """bob has never heard alice when he freezes, so the host's re-welcome is the first it tells
    him of her: her 2,800 messages queued in his socket must not be dropped as older than it."""
    _, alice, bob = _room(room)
    bob.kill(signal.SIGSTOP)
    try:
        frozen = time.monotonic()
        _send_paced(alice, "alice", COUNT, RATE).join(60)
        alice.wait_event("message", text=f"alice-{COUNT - 1:04d}", timeout=30)
        time.sleep(max(0.0, frozen + FREEZE_S - time.monotonic()))  # the freeze itself, not a wait for an event
    finally:
        bob.kill(signal.SIGCONT)
    _assert_exactly_once_in_order(bob, "alice", COUNT, timeout=60)
    assert not [e for e in bob.events if e["event"] == "gap"], bob.log()


def test_a_member_frozen_while_3000_piped_lines_go_by_in_batches_shows_each_once(room: Room) -> None:
    """The same freeze, but alice pipes her 3,000 lines at once, so they travel in batches of up to
    64: bob's re-welcome page starts inside a batch and the fetches that fill his holes bring parts
    of batches, each message checked alone through its path; he still shows all once, in order."""
    host, alice, bob = _room(room)
    bob.kill(signal.SIGSTOP)
    try:
        frozen = time.monotonic()
        assert alice.proc.stdin is not None
        alice.proc.stdin.write("".join(f"piped-{i:04d}\n" for i in range(COUNT)))
        alice.proc.stdin.flush()
        for node in (alice, host):
            _assert_exactly_once_in_order(node, "piped", COUNT, timeout=60)
        time.sleep(max(0.0, frozen + FREEZE_S - time.monotonic()))  # the freeze itself, not a wait for an event
    finally:
        bob.kill(signal.SIGCONT)
    _assert_exactly_once_in_order(bob, "piped", COUNT, timeout=60)
    assert not [e for e in bob.events if e["event"] in ("gap", "error")], bob.log()


def test_messages_no_host_holds_any_more_become_a_gap_event_with_the_right_count(room: Room) -> None:
    """bob freezes; alice sends more than socket buffers hold; the host dies, so what was queued
    for bob dies with it, and alice (the new host) keeps only a 64 KiB backlog. bob must show
    what reaches him in order, once, and say exactly how many messages are lost."""
    count, pad = 1500, "x" * 8000
    host, alice, bob = _room(room, "--backlog-bytes", "65536")
    bob.kill(signal.SIGSTOP)
    try:
        _send_paced(alice, pad, count, RATE).join(60)
        alice.wait_event("message", text=f"{pad}-{count - 1:04d}", timeout=30)
        host.kill()
        alice.wait_event("hosting", timeout=15)
    finally:
        bob.kill(signal.SIGCONT)
    bob.wait_event("message", text=f"{pad}-{count - 1:04d}", timeout=60)
    shown = [int(e["text"][len(pad) + 1:]) for e in bob.messages() if e["text"].startswith(pad)]
    lost = [e for e in bob.events if e["event"] == "gap"]
    assert shown == sorted(set(shown)), f"bob shows repeats or disorder\n{bob.log()}"
    sender = alice.messages()[-1]["sender"]
    assert lost and all(e["from"] == "alice" and e["sender"] == sender for e in lost), bob.log()
    missing = {seq for e in lost for seq in range(e["first"] - 1, e["last"])}  # seqs count from 1, texts from 0
    assert sum(e["count"] for e in lost) == len(missing) == count - len(shown), bob.log()
    assert missing.isdisjoint(shown) and missing | set(shown) == set(range(count)), bob.log()
