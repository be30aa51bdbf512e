"""Issue 13 item 9: with the usual soft limit of 1024 open files, 8,000 raw TCP connections left
the host at 100 % CPU and a newcomer, unable to reach it, hosted a second room."""

from __future__ import annotations

import json
import resource

from ..harness import Room
from .support import finish, room_still_works, soft_fd_limit, start_attack

FLOOD = 3000
HOLD_S = 10.0


def test_raw_connection_flood_leaves_the_room_reachable(room: Room) -> None:
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    host = room.start("host", 2, wrapper=("prlimit", f"--nofile=1024:{hard}"))
    host.wait_event("hosting")
    assert soft_fd_limit(host) == hard, "the node raises its soft limit to the hard one"
    flood = start_attack(room, "connections", room.port, FLOOD, HOLD_S)
    try:
        assert flood.stdout is not None
        opened = json.loads(flood.stdout.readline())["opened"]
        print(f"\nraw connections opened to the host's four ports: {opened}")
        room_still_works(room, host, 5, "during the flood")
    finally:
        finish(flood, timeout=HOLD_S + 60)
    room_still_works(room, host, 6, "after the flood")
    assert any("hanging up" in line and "connections)" in line for line in host.stderr), host.log()
