"""Issue 13 item 8: 20,000 lines piped at once into a member's stdin are all delivered, once
each and in order: the headless front end stops reading while the outbox is full instead of
refusing what does not fit. Issue 16 item 2: such lines queue up, so they travel in batches
(one signature, one frame for many); every receiver, and the sender's own echo, shows each once."""

from __future__ import annotations

import threading

from ..harness import Room
from ..integration.test_failover import _assert_exactly_once_in_order

COUNT = 20_000


def test_20000_piped_lines_all_arrive_once_without_queue_full(room: Room) -> None:
    host = room.start("host", 1)
    host.wait_event("hosting", timeout=15)
    alice = room.start("alice", 2)
    alice.wait_event("joined", timeout=15)
    bob = room.start("bob", 3)
    bob.wait_event("joined", timeout=15)
    for node in (host, alice, bob):
        node.wait_users(["alice", "bob", "host"], timeout=15)
    lines = "".join(f"pipe-{i:04d}\n" for i in range(COUNT))
    assert alice.proc.stdin is not None
    writer = threading.Thread(target=lambda: (alice.proc.stdin.write(lines), alice.proc.stdin.flush()), daemon=True)
    writer.start()  # one write of everything: it blocks while alice holds stdin back
    for node in (host, bob, alice):
        _assert_exactly_once_in_order(node, "pipe", COUNT, timeout=120)
    writer.join(10)
    assert not [e for n in (host, bob) for e in n.events if e["event"] in ("gap", "error")], host.log() + bob.log()
    assert not [e for e in alice.events if e["event"] == "error" and e["code"] == "queue_full"], alice.log()
