"""What every hostile test needs: the host's resident memory, an attack in its own process with a
time limit, and proof afterwards that the room still works."""

from __future__ import annotations

import subprocess
import sys
import time

from ..harness import ROOT, HeadlessNode, Room

ATTACKER = 250  # the attacker's address in the room's /24
MAX_GROWTH_MB = 100


def rss_mb(node: HeadlessNode) -> float:
    """VmRSS of the node's process, from /proc."""
    with open(f"/proc/{node.proc.pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for {node.nick}")


def start_attack(room: Room, kind: str, port: int, *args: object) -> subprocess.Popen:
    """Start tests/hostile/attacker.py against the room's .2 host from the room's .250."""
    argv = [sys.executable, "-m", "tests.hostile.attacker", kind, room.ip(ATTACKER), room.ip(2), str(port),
            *map(str, args)]
    return subprocess.Popen(argv, cwd=ROOT, env=room.env, stdout=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen, timeout: float = 90.0) -> str:
    """The attacker's output once it ended by itself; killed (and the test failed) past timeout."""
    try:
        out, _ = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=5)
    assert proc.returncode == 0, f"the attacker failed (exit {proc.returncode})"
    return out


def attack(room: Room, kind: str, port: int, *args: object, timeout: float = 90.0) -> str:
    return finish(start_attack(room, kind, port, *args), timeout)


def settled_rss(node: HeadlessNode, seconds: float = 1.0) -> float:
    """RSS after the host had a moment to process what it was sent (queues drained or dropped)."""
    time.sleep(seconds)
    return rss_mb(node)


def room_still_works(room: Room, host: HeadlessNode, n: int, text: str) -> HeadlessNode:
    """A newcomer joins the existing room (it does not host its own) and the two chat both ways."""
    late = room.start(f"late{n}", n)
    joined = late.wait_event("joined", timeout=15)
    assert joined["host"] == host.ip, late.log()
    host.say(text)
    late.wait_event("message", text=text, timeout=10)
    late.say(text + " back")
    host.wait_event("message", text=text + " back", timeout=10)
    return late
