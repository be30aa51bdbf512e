"""A member swarm (zp2p_gui/bench/swarm.py) in a real room: N members, each on its own loopback
address with its own key, join one real headless host; a real headless member's roster lists
them all and stays exact through bursts of joins and leaves (carried by roster deltas); when the
host is killed, the real member takes over and the swarm's members register with it."""

from __future__ import annotations

from typing import Iterator

import pytest

from tests.harness import Room
from zp2p_gui.bench.room500 import SwarmProcess

N = 40
BURST = 15


def swarm_net(room: Room) -> str:
    """A /24 beside the room's own: the swarm only connects from it, it binds nothing."""
    first, second, third = room.subnet.split(".")
    return f"{first}.{second}.{(int(third) + 1) % 250 + 1}.0/24"


@pytest.fixture
def swarm(room: Room) -> Iterator[SwarmProcess]:
    process = SwarmProcess(swarm_net(room), [room.ip(1), room.ip(2)], room.port, room.env, N, max_seconds=240)
    try:
        process.wait_event("ready", timeout=60)
        yield process
    finally:
        process.close()


def nicks(count: int, first: int = 0) -> list[str]:
    return [f"sw{i}" for i in range(first, first + count)]


def test_a_swarm_joins_stays_exact_through_bursts_and_follows_a_failover(room: Room, swarm: SwarmProcess) -> None:
    host = room.start("hal", 1)
    host.wait_event("hosting")
    bob = room.start("bob", 2)  # joined before the swarm: successor 0
    bob.wait_event("joined")
    swarm.say(f"join {N} {N}")  # all of them within a second
    swarm.until_joined(N, timeout=60)
    bob.wait_users(["hal", "bob", *nicks(N)], timeout=30)

    swarm.say(f"leave {BURST} 50")  # the newest BURST leave, 50 a second
    bob.wait_users(["hal", "bob", *nicks(N - BURST)], timeout=30)
    swarm.say(f"join {BURST} 50")
    swarm.until_joined(N, timeout=60)
    bob.wait_users(["hal", "bob", *nicks(N)], timeout=30)
    status = swarm.ask("status", "status")
    assert status["deltas"] > 0, status  # the bursts travelled as deltas, and bob's list is exact

    mark, swarm_mark = len(bob.events), len(swarm.events)
    host.kill()
    bob.wait_event("hosting", timeout=30, after=mark)
    swarm.wait_for(lambda e: e["event"] == "host" and e["addr"] == bob.ip, timeout=30, after=swarm_mark)
    swarm.until_joined(N, timeout=60)  # each registered with bob
    assert len(swarm.ask("status", "status")["hosts_seen"]) == 2
    bob.wait_users(["bob", *nicks(N)], timeout=30)
