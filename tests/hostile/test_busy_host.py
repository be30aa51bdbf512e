"""Issue 13 item 9 (engine part): a reachable but busy host is not "no host". A host whose
beacon is heard but whose registry does not answer in time must not make a newcomer start a
second room; once that host is really gone, the newcomer hosts."""

from __future__ import annotations

import time

from ..harness import HeadlessNode, Room
from .fakes import FakeHost, open_desc

LOOKED_AGAIN = "has not welcomed us; looking for its beacon again"


def _wait_log_count(node: HeadlessNode, text: str, count: int, timeout: float) -> None:
    end = time.monotonic() + timeout
    while sum(text in line for line in list(node.stderr)) < count:
        assert time.monotonic() < end, f"{node.nick}: fewer than {count} lines with {text!r}\n{node.log()}"
        time.sleep(0.1)


def test_a_newcomer_keeps_joining_a_host_that_beacons_but_does_not_register_it(room: Room) -> None:
    busy = FakeHost(room.ip(9), room.port, open_desc(), registry=True)
    with busy:
        alice = room.start("alice", 2)
        _wait_log_count(alice, LOOKED_AGAIN, 2, timeout=30)  # two rounds of unanswered registrations
        assert not [e for e in alice.events if e["event"] == "hosting"], alice.log()
    alice.wait_event("hosting", timeout=20)  # the beacon is gone: now there is no host, and alice is it
