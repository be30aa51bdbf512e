"""A member that gets little CPU while another floods the room (an old laptop, a loaded VM) reads
the relay in its engine thread, between its timers, and its heartbeat leaves from the same
thread: a turn of reading that outlasted the host's patience would get it dropped from the room,
and a host it could not hear for long enough would start a failover. Neither may happen: it
stays in the room, keeps its host, and shows the whole flood once and in order.

The starving is a duty cycle of SIGSTOP and SIGCONT (a quarter of the wall clock to run in,
pauses well under the host's member timeout of 2 s and the member's host timeout of 1.5 s), so
every silence the host sees is the member's own work, not the pause. The flood is long enough
(100,000 lines, ~5 s of the relay) for the member to fall behind and find hundreds of relay
frames queued at each turn: with 512 of them read in a turn (32,768 messages) the host dropped it
in 3 runs of 3; with net/receiver.py's TURN_FRAMES it stayed in 3 of 3."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from ..harness import HeadlessNode, Room
from ..integration.test_failover import _assert_exactly_once_in_order
from .test_frozen_receiver import _room

FLOOD = 100_000
RUN_S, STOP_S = 0.1, 0.3  # bob runs a quarter of the time
STARVE_MAX_S = 120.0  # the duty cycle ends by itself


def _starve(node: HeadlessNode, until: threading.Event) -> threading.Thread:
    """SIGSTOP/SIGCONT in turns until `until` is set or STARVE_MAX_S; always leaves it running."""

    def run() -> None:
        end = time.monotonic() + STARVE_MAX_S
        try:
            while not until.is_set() and time.monotonic() < end:
                node.kill(signal.SIGSTOP)
                time.sleep(STOP_S)
                node.kill(signal.SIGCONT)
                until.wait(RUN_S)
        finally:
            node.kill(signal.SIGCONT)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _shown(node: HeadlessNode, prefix: str) -> int:
    return sum(1 for text in node.texts() if text.startswith(prefix))


@pytest.mark.parametrize("starved", ["bob", "host"])
def test_a_starved_node_under_a_flood_keeps_the_room_whole(room: Room, starved: str) -> None:
    """Starving the host instead (its relay and its display share the quarter) must not cost a
    member either: no mutation of the relay's turn tried so far breaks this case, it guards it."""
    host, alice, bob = _room(room)
    seen = {node.nick: len(node.events) for node in (host, alice, bob)}

    done = threading.Event()
    starver = _starve(bob if starved == "bob" else host, done)
    try:
        assert alice.proc.stdin is not None
        alice.proc.stdin.write("".join(f"flood-{i:04d}\n" for i in range(FLOOD)))
        alice.proc.stdin.flush()
        end = time.monotonic() + STARVE_MAX_S
        while _shown(bob, "flood-") < FLOOD and time.monotonic() < end and bob.proc.poll() is None:
            time.sleep(0.2)
    finally:
        done.set()
        starver.join(5)

    dropped = [e for e in host.events[seen["host"]:]
               if e["event"] == "presence" and not {"alice", "bob"} <= {u["nick"] for u in e["users"]}]
    assert not dropped, f"the host dropped a member ({starved} starved): {dropped[0]}\n{host.log()}\n{bob.log()}"
    for member in (alice, bob):
        lost = [e for e in member.events[seen[member.nick]:] if e["event"] in ("reconnecting", "host_changed", "hosting")]
        assert not lost, f"{member.nick} took the host for lost ({starved} starved): {lost[0]}\n{member.log()}"
    _assert_exactly_once_in_order(bob, "flood", FLOOD, timeout=60)
    assert not [e for e in bob.events if e["event"] in ("gap", "error")], bob.log()
