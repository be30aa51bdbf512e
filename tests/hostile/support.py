"""What every hostile test needs: the host's resident memory, an attack in its own process with a
time limit, and proof afterwards that the room still works."""

from __future__ import annotations

import subprocess
import sys
import time

from ..harness import ROOT, HeadlessNode, Room

ATTACKER = 250  # the attacker's address in the room's /24
MAX_GROWTH_MB = 100


def proc_fields(pid: int, file: str, prefix: str) -> list[str]:
    """The words of the first line of /proc/<pid>/<file> that starts with prefix."""
    with open(f"/proc/{pid}/{file}", encoding="ascii") as lines:
        for line in lines:
            if line.startswith(prefix):
                return line[len(prefix):].split()
    raise AssertionError(f"no {prefix!r} in /proc/{pid}/{file}")


def rss_mb(node: HeadlessNode) -> float:
    """VmRSS of the node's process."""
    return int(proc_fields(node.proc.pid, "status", "VmRSS:")[0]) / 1024


def soft_fd_limit(node: HeadlessNode) -> int:
    return int(proc_fields(node.proc.pid, "limits", "Max open files")[0])


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
