"""zp2p and Pyre side by side, measured alike: two network namespaces joined by a veth cable
(198.18.0.1 and 198.18.0.2, from the RFC 2544 range, existing only inside them), one process per namespace.

Pyre must live there: it beacons by UDP broadcast on port 5670 and would otherwise announce
itself on the real network. zp2p is measured in the same set-up (`--bind` to the namespace
address, `--scan` the /24), so both cross the same kind of interface.

- join: process start -> the newcomer (namespace b) sees the peer already running in a:
  zp2p's `joined`, Pyre's JOIN of the group by that peer; one newcomer at a time.
- latency: a fresh pair; b sends paced 100 B messages, stamped when the benchmark writes them
  to b's stdin; latency is that stamp -> a's `message` event (the fan-out definition, 2 nodes).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from typing import Callable, Iterator

from .measures import Tick, arrivals, leave, paced, percentile
from .netns import in_ns, ip, namespaces, veth
from .plan import Plan
from .runner import DISCOVERY_WINDOW_S, BenchError, Child, Event, Node

NET = "198.18.0"
PEER_LIFETIME_S = 120  # a Pyre child exits by itself after this, even if the benchmark is lost


@dataclass(frozen=True)
class Kind:
    """How to start one side of a pair, and which events mean `up` and `sees the other`."""

    name: str
    start: Callable[[str, int, str], Child]  # (namespace, host number in NET, scratch dir)
    up: Callable[[Event], bool]
    sees_other: Callable[[Event], bool]
    leave: Callable[[Child], None]
    version: str


def _env() -> dict[str, str]:
    return {**os.environ, "ZP2P_ALLOWED_NETS": f"{NET}.0/24", "PYTHONUNBUFFERED": "1"}


def _start_pyre(ns: str, n: int, _scratch: str) -> Child:
    return Child(f"pyre{n}", f"{NET}.{n}", [*in_ns(ns), sys.executable, "-m", "zp2p_gui.bench.pyre_peer",
                                           "--netns", ns, "--name", f"pyre{n}", "--seconds",
                                           str(PEER_LIFETIME_S)], _env())


def _start_zp2p(ns: str, n: int, scratch: str) -> Node:
    data = tempfile.mkdtemp(dir=scratch)
    return Node(f"z{n}x{os.path.basename(data)[-4:]}", f"{NET}.{n}",
                ["--scan", f"{NET}.0/24", "--discovery-window", str(DISCOVERY_WINDOW_S), "--data-dir", data],
                _env(), wrapper=in_ns(ns))


def _close_stdin(child: Child) -> None:
    """pyre_peer stops (Pyre's polite STOP) at the end of its input."""
    assert child.proc.stdin is not None
    child.proc.stdin.close()


def kinds() -> dict[str, Kind]:
    """The two sides, with their installed versions (read here: Pyre is an optional extra)."""
    return {
        "pyre": Kind("pyre", _start_pyre, lambda e: e["event"] == "ready", lambda e: e["event"] == "join",
                     _close_stdin, version("colmena-zeromq-pyre")),
        "zp2p_netns": Kind("zp2p_netns", _start_zp2p, lambda e: e["event"] == "hosting",
                           lambda e: e["event"] == "joined", lambda c: c.say("/quit"), version("zp2p")),
    }


@contextmanager
def pair() -> Iterator[tuple[str, str]]:
    """Namespaces a (NET.1) and b (NET.2) joined by a veth cable; removed on exit."""
    with namespaces(2) as (tag, (a, b)):
        va, vb = veth(tag, a, b)
        for ns, dev, n in ((a, va, 1), (b, vb, 2)):
            ip("-n", ns, "addr", "add", f"{NET}.{n}/24", "dev", dev)
            ip("-n", ns, "link", "set", dev, "up")
        yield a, b


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


def join(kind: Kind, runs: int, tick: Tick) -> list[float]:
    """ms from each newcomer's process start to its seeing the peer already up in namespace a."""
    out: list[float] = []
    with pair() as (a, b), _children() as (started, scratch):
        first = kind.start(a, 1, scratch)
        started.append(first)
        first.wait_for(kind.up, timeout=15)
        for i in range(runs):
            node = kind.start(b, 2, scratch)
            started.append(node)
            seen = node.wait_for(kind.sees_other, timeout=15)
            out.append((seen["t"] - node.started) * 1000)
            leave(node, kind.leave)
            tick(f"{kind.name} join {i + 1}/{runs}")
    return out


def latency(kind: Kind, msgs: int, rate: float, tick: Tick) -> list[float]:
    """ms from the benchmark writing each message to b's stdin to a's `message` event."""
    with pair() as (a, b), _children() as (started, scratch):
        receiver = kind.start(a, 1, scratch)
        started.append(receiver)
        receiver.wait_for(kind.up, timeout=15)
        sender = kind.start(b, 2, scratch)
        started.append(sender)
        sender.wait_for(kind.sees_other, timeout=15)
        time.sleep(0.5)  # let the pair settle, as fan-out does
        sent = paced(sender, "p", msgs, rate)
        (arrived,) = arrivals([receiver], sent)
        tick(f"{kind.name} latency")
        if len(arrived) < msgs:
            raise BenchError(f"{kind.name}: {msgs - len(arrived)} of {msgs} messages never arrived")
        return [(t - sent[key]) * 1000 for key, t in arrived.items()]


def measure(kind: Kind, plan: Plan, tick: Tick) -> tuple[dict[str, float | int | str], dict[str, list[float]]]:
    """bench.json's numbers for one side, and its raw samples."""
    joins = join(kind, plan.peer_join_runs, tick)
    lat = latency(kind, plan.peer_msgs, plan.fanout_rate, tick)
    row = {"join_ms_p50": percentile(joins, 50), "join_ms_p90": percentile(joins, 90), "join_runs": len(joins),
           "p50_ms": percentile(lat, 50), "p99_ms": percentile(lat, 99), "msgs": len(lat), "version": kind.version}
    return row, {"join_ms": joins, "latency_ms": lat}
