"""zp2p and Pyre side by side, measured alike: one network namespace per node, each with one veth
to a bridge in a hub namespace of its own (a switch), addresses 198.18.0.1, .2, ... from the
RFC 2544 range, existing only inside them; one process per namespace.

Pyre must live there: it beacons by UDP broadcast on port 5670 and would otherwise announce
itself on the real network. zp2p is measured in the same set-up (`--bind` to the namespace
address, `--scan` the /24), so both cross the same kind of interface. Every figure is defined
once, here, for both sides:

- join: process start -> the newcomer sees the node already running: zp2p's `joined`, Pyre's
  JOIN of the group by that peer; one newcomer at a time.
- latency, 2 and `room` nodes: node 2 sends paced 100 B messages, stamped when the benchmark
  writes them to its stdin; latency is that stamp -> every other node's `message` event.
- throughput: in a group of three, node 2 gets the whole burst on its stdin at once; shown
  messages / (first write -> the last one shown at node 3).
- stopped receiver: the same burst, node 3 stopped (SIGSTOP) for a few seconds from its first
  shown message; how many it shows in the end, and first write -> its last one.
- death: node 1 (zp2p's host) killed (SIGKILL) in a group of three; kill -> the last of the
  two others noticing: zp2p's `hosting`/`host_changed`/`joined` (the room failed over), Pyre's EXIT.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from typing import Callable, Iterator

from ..core.addresses import CHANGES_PER_S
from .measures import Tick, arrivals, leave, paced, percentile
from .netns import bridge, in_ns, ip, namespaces
from .plan import MSG_BYTES, Plan
from .runner import DISCOVERY_WINDOW_S, BenchError, Child, Event, Node

NET = "198.18.0"
PEER_LIFETIME_S = 120  # a Pyre child exits by itself after this, even if the benchmark is lost
QUIET_S = 5.0  # a burst is over when the receiver has shown nothing new for this long
BURST_TIMEOUT_S = 90.0
# bench.json keys compared between the sides, each with its ratio zp2p ÷ Pyre
FIGURES = ("join_ms_p50", "join_ms_p90", "p50_ms", "p99_ms", "room_p50_ms", "room_p99_ms",
           "throughput_msgs_per_s", "stopped_shown", "stopped_last_s", "death_ms_p50")


@dataclass(frozen=True)
class Kind:
    """How to start one node, which events mean `up`, `sees the other`, `sees a room of n` and
    `noticed that node died`."""

    name: str
    start: Callable[[str, int, str], Child]  # (namespace, host number in NET, scratch dir)
    up: Callable[[Event], bool]
    sees_other: Callable[[Event], bool]
    sees_room: Callable[[int], Callable[[Event], bool]]  # a fresh predicate per node waited on
    noticed_death: Callable[[Child], Callable[[Event], bool]]  # of the dead child
    leave: Callable[[Child], None]
    version: str
    death_timeout_s: float


def _env() -> dict[str, str]:
    return {**os.environ, "ZP2P_ALLOWED_NETS": f"{NET}.0/24", "PYTHONUNBUFFERED": "1"}


def _pyre_starter(expired: float | None) -> Callable[[str, int, str], Child]:
    def start(ns: str, n: int, _scratch: str) -> Child:
        extra = ["--expired", str(expired)] if expired is not None else []
        return Child(f"pyre{n}", f"{NET}.{n}", [*in_ns(ns), sys.executable, "-m", "zp2p_gui.bench.pyre_peer",
                                               "--netns", ns, "--name", f"pyre{n}", "--seconds",
                                               str(PEER_LIFETIME_S), *extra], _env())
    return start


def _start_zp2p(ns: str, n: int, scratch: str) -> Node:
    data = tempfile.mkdtemp(dir=scratch)
    return Node(f"z{n}x{os.path.basename(data)[-4:]}", f"{NET}.{n}",
                ["--scan", f"{NET}.0/24", "--discovery-window", str(DISCOVERY_WINDOW_S), "--data-dir", data],
                _env(), wrapper=in_ns(ns))


def _close_stdin(child: Child) -> None:
    """pyre_peer stops (Pyre's polite STOP) at the end of its input."""
    assert child.proc.stdin is not None
    child.proc.stdin.close()


def _pyre_sees_room(n: int) -> Callable[[Event], bool]:
    """JOINs from n - 1 distinct peers (the predicate remembers the ones seen)."""
    seen: set[str] = set()

    def pred(e: Event) -> bool:
        if e["event"] == "join":
            seen.add(e["peer"])
        return len(seen) >= n - 1
    return pred


def _zp2p_sees_room(n: int) -> Callable[[Event], bool]:
    return lambda e: e["event"] in ("joined", "presence") and len(e.get("users", ())) >= n


def kinds(pyre_expired_s: float | None = None) -> dict[str, Kind]:
    """The two sides, with their installed versions (read here: Pyre is an optional extra)."""
    pyre_limit = PEER_LIFETIME_S / 2 if pyre_expired_s is None else pyre_expired_s * 3
    return {
        "pyre": Kind("pyre", _pyre_starter(pyre_expired_s), lambda e: e["event"] == "ready",
                     lambda e: e["event"] == "join", _pyre_sees_room,
                     lambda dead: lambda e: e["event"] == "exit" and e["peer"] == dead.nick,
                     _close_stdin, version("colmena-zeromq-pyre"), pyre_limit),
        "zp2p_netns": Kind("zp2p_netns", _start_zp2p, lambda e: e["event"] == "hosting",
                           lambda e: e["event"] == "joined", _zp2p_sees_room,
                           lambda _dead: lambda e: e["event"] in ("hosting", "host_changed", "joined"),
                           lambda c: c.say("/quit"), version("zp2p"), 20.0),
    }


@contextmanager
def lan(count: int) -> Iterator[list[str]]:
    """`count` namespaces, NET.1 .. NET.count, on one switch; all removed on exit."""
    with namespaces(count + 1) as (tag, (hub, *nodes)):
        for n, (ns, dev) in enumerate(zip(nodes, bridge(tag, hub, nodes)), 1):
            ip("-n", ns, "addr", "add", f"{NET}.{n}/24", "brd", "+", "dev", dev)
            ip("-n", ns, "link", "set", dev, "up")
        yield nodes


@contextmanager
def _children() -> Iterator[tuple[list[Child], str]]:
    """A list the caller fills with children and a scratch dir; every child is killed on exit."""
    started: list[Child] = []
    with tempfile.TemporaryDirectory(prefix="zp2p-bench-peers-") as scratch:
        try:
            yield started, scratch
        finally:
            for child in started:
                child.close()


@contextmanager
def group(kind: Kind, size: int) -> Iterator[list[Child]]:
    """`size` nodes on their own switch, node 1 first (zp2p's host), each seeing all the others."""
    with lan(size) as spaces, _children() as (started, scratch):
        first = kind.start(spaces[0], 1, scratch)
        started.append(first)
        first.wait_for(kind.up, timeout=15)
        for n, ns in enumerate(spaces[1:], 2):
            started.append(kind.start(ns, n, scratch))
        for node in started:
            node.wait_for(kind.sees_room(size), timeout=30)
        time.sleep(0.6)  # a zp2p roster heartbeat, so every member knows the successor order
        yield started


def join(kind: Kind, runs: int, tick: Tick) -> list[float]:
    """ms from each newcomer's process start to its seeing the node already up in namespace 1.
    Newcomers start at most CHANGES_PER_S a second, for both kinds: they all come from one
    address, and a zp2p host lets an address join 10 times in a burst, then once a second (a
    host's defence against fake members); 20 joins in 6 s measured that limit, not a join."""
    out: list[float] = []
    with lan(2) as (a, b), _children() as (started, scratch):
        first = kind.start(a, 1, scratch)
        started.append(first)
        first.wait_for(kind.up, timeout=15)
        for i in range(runs):
            if i:
                time.sleep(max(0.0, started[-1].started + 1 / CHANGES_PER_S - time.time()))
            node = kind.start(b, 2, scratch)
            started.append(node)
            seen = node.wait_for(kind.sees_other, timeout=15)
            out.append((seen["t"] - node.started) * 1000)
            leave(node, kind.leave)
            tick(f"{kind.name} join {i + 1}/{runs}")
    return out


def latency(kind: Kind, size: int, msgs: int, rate: float, tick: Tick) -> list[float]:
    """ms from the benchmark writing each message to node 2's stdin to every other node's `message`."""
    with group(kind, size) as nodes:
        sender, receivers = nodes[1], [n for n in nodes if n is not nodes[1]]
        sent = paced(sender, "p", msgs, rate)
        got = arrivals(receivers, sent)
        tick(f"{kind.name} latency, {size} nodes")
        missing = msgs * len(receivers) - sum(len(a) for a in got)
        if missing:
            raise BenchError(f"{kind.name}: {missing} of {msgs * len(receivers)} messages never arrived ({size} nodes)")
        return [(t - sent[key]) * 1000 for arrived in got for key, t in arrived.items()]


def _write_all(child: Child, lines: str) -> threading.Thread:
    """Pipe the whole burst into child's stdin from a thread (the pipe holds 64 KB; the child
    takes lines as fast as it accepts them); a child killed meanwhile only ends the thread."""
    def write() -> None:
        try:
            assert child.proc.stdin is not None
            child.proc.stdin.write(lines)
            child.proc.stdin.flush()
        except (OSError, ValueError):
            pass
    writer = threading.Thread(target=write, name=f"burst-{child.nick}", daemon=True)
    writer.start()
    return writer


def shown(child: Child, prefix: str) -> list[float]:
    """Display times of the burst's messages (text starting with prefix) at child, in order."""
    return [e["t"] for e in child.messages() if e["text"].startswith(prefix)]


def _until_quiet(receiver: Child, prefix: str, count: int) -> list[float]:
    """Wait until the receiver has shown all `count`, or nothing new for QUIET_S, or BURST_TIMEOUT_S."""
    deadline, last_n, last_change = time.monotonic() + BURST_TIMEOUT_S, -1, time.monotonic()
    while time.monotonic() < deadline:
        times = shown(receiver, prefix)
        if len(times) >= count:
            break
        if len(times) != last_n:
            last_n, last_change = len(times), time.monotonic()
        elif time.monotonic() - last_change > QUIET_S:
            break
        time.sleep(0.1)
    return shown(receiver, prefix)


def burst(kind: Kind, count: int, stop_s: float, tick: Tick) -> tuple[int, float]:
    """(messages shown at node 3, s from the first write to the last shown) for `count` lines
    piped into node 2 at once; node 3 stopped for stop_s from its first shown one (0: not stopped)."""
    prefix = "s" if stop_s else "t"
    lines = "".join(f"{prefix}{i} ".ljust(MSG_BYTES, ".") + "\n" for i in range(count))
    with group(kind, 3) as (_first, sender, receiver):
        t0 = time.time()
        writer = _write_all(sender, lines)
        if stop_s:
            receiver.wait_for(lambda e: e["event"] == "message" and e["text"].startswith(prefix), timeout=30)
            receiver.signal(signal.SIGSTOP)
            time.sleep(stop_s)
            receiver.signal(signal.SIGCONT)
        times = _until_quiet(receiver, prefix, count)
        writer.join(1)
        tick(f"{kind.name} burst{' with a stopped receiver' if stop_s else ''}: {len(times)}/{count}")
        if not times:
            raise BenchError(f"{kind.name}: no message of the burst arrived")
        return len(times), times[-1] - t0


def death(kind: Kind, runs: int, tick: Tick) -> list[float]:
    """ms from SIGKILL of node 1 to each of the two others noticing, per run the later one."""
    out: list[float] = []
    for i in range(runs):
        with group(kind, 3) as (dead, *others):
            marks = [len(node.events) for node in others]
            t0 = time.time()
            dead.signal(signal.SIGKILL)
            noticed = [node.wait_for(kind.noticed_death(dead), timeout=kind.death_timeout_s, after=mark)["t"]
                       for node, mark in zip(others, marks)]
            out.append((max(noticed) - t0) * 1000)
        tick(f"{kind.name} death {i + 1}/{runs}")
    return out


def measure(kind: Kind, plan: Plan, tick: Tick) -> tuple[dict[str, float | int | str], dict[str, list[float]]]:
    """bench.json's numbers for one side, and its raw samples."""
    joins = join(kind, plan.peer_join_runs, tick)
    lat = latency(kind, 2, plan.peer_msgs, plan.fanout_rate, tick)
    room = latency(kind, plan.peer_room_nodes, plan.peer_msgs, plan.fanout_rate, tick)
    count, span = burst(kind, plan.peer_burst, 0.0, tick)
    stopped, stopped_last = burst(kind, plan.peer_burst, plan.peer_stop_s, tick)
    deaths = death(kind, plan.peer_death_runs, tick)
    row = {"join_ms_p50": percentile(joins, 50), "join_ms_p90": percentile(joins, 90), "join_runs": len(joins),
           "p50_ms": percentile(lat, 50), "p99_ms": percentile(lat, 99), "msgs": plan.peer_msgs,
           "room_nodes": plan.peer_room_nodes, "room_p50_ms": percentile(room, 50),
           "room_p99_ms": percentile(room, 99), "burst_msgs": plan.peer_burst,
           "throughput_msgs_per_s": count / span, "throughput_shown": count,
           "stopped_s": plan.peer_stop_s, "stopped_shown": stopped, "stopped_last_s": stopped_last,
           "death_ms_p50": percentile(deaths, 50), "death_runs": len(deaths), "version": kind.version}
    return row, {"join_ms": joins, "latency_ms": lat, "room_latency_ms": room, "death_ms": deaths}


def ratios(zp2p: dict[str, object], pyre: dict[str, object]) -> dict[str, float | None]:
    """zp2p ÷ Pyre for every figure; None where either side has no number or Pyre's is 0."""
    out: dict[str, float | None] = {}
    for key in FIGURES:
        a, b = zp2p.get(key), pyre.get(key)
        ok = isinstance(a, (int, float)) and isinstance(b, (int, float)) and b != 0
        out[key] = a / b if ok else None  # type: ignore[operator]
    return out
