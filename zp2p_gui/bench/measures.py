"""Each measurement starts its own room(s), returns plain numbers and raw samples, and leaves
no process behind. Times come from the nodes' own event stamps (`t`, wall clock): every
process runs on this machine, so clocks agree and the bench's reading lag does not count."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

from . import rawchain
from .plan import MSG_BYTES
from .runner import BenchError, Child, Rooms

Tick = Callable[[str], None]
QUIT_WAIT_S = 5.0


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100) of a non-empty list."""
    if not values:
        raise BenchError("no samples")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


@dataclass
class Samples:
    """Raw values in ms per measurement, kept for the plots and the record."""

    join_ms: list[float] = field(default_factory=list)
    join_engine_ms: list[float] = field(default_factory=list)
    start_ms: list[float] = field(default_factory=list)  # process start -> searching: imports and set-up
    import_ms: list[float] = field(default_factory=list)  # zp2p's first line -> searching (the node's own stamp)
    import_cpu_ms: list[float] = field(default_factory=list)  # same, the process's CPU
    host_alone_ms: list[float] = field(default_factory=list)
    fanout_ms: dict[int, list[float]] = field(default_factory=dict)
    failover_ms: dict[str, list[float]] = field(default_factory=dict)
    direct_ms: list[float] = field(default_factory=list)
    peers: dict[str, dict[str, list[float]]] = field(default_factory=dict)  # --peers: side -> join/latency


def leave(node: Child, polite: Callable[[Child], None] = lambda c: c.say("/quit")) -> None:
    """Leave politely (zp2p: /quit) so the other side drops the node at once; kill if it dawdles."""
    try:
        polite(node)
        node.proc.wait(QUIT_WAIT_S)
    except (OSError, ValueError, subprocess.TimeoutExpired):
        pass
    finally:
        node.close()


def join(rooms: Rooms, runs: int, samples: Samples, tick: Tick) -> None:
    """Process start -> `joined` into a live room (a host and two members), one newcomer at a time."""
    with rooms.new() as room:
        room.start_room(3)
        for i in range(runs):
            node = room.start(10 + i)
            joined = node.wait_event("joined", timeout=15)
            searching = node.wait_event("searching", timeout=1)
            samples.join_ms.append((joined["t"] - node.started) * 1000)
            samples.join_engine_ms.append((joined["t"] - searching["t"]) * 1000)
            samples.start_ms.append((searching["t"] - node.started) * 1000)
            samples.import_ms.append(searching["import_ms"])
            samples.import_cpu_ms.append(searching["import_cpu_ms"])
            leave(node)
            tick(f"join {i + 1}/{runs}")


IMPORT_KEYS = ("import_ms_p50", "import_ms_min", "import_cpu_ms_p50", "import_cpu_ms_min")


def join_figures(samples: Samples) -> dict[str, float]:
    """bench.json's join keys. `import_*` is issue 16's import-to-search (target < 40 ms): zp2p's
    first line -> `searching`, as each newcomer stamped it itself (wall clock and its process's
    CPU); unlike `start`, it leaves out the interpreter's own start-up and `site`."""
    return {"join_ms_p50": percentile(samples.join_ms, 50), "join_ms_p90": percentile(samples.join_ms, 90),
            "join_runs": len(samples.join_ms), "join_engine_ms_p50": percentile(samples.join_engine_ms, 50),
            "start_ms_p50": percentile(samples.start_ms, 50),
            "import_ms_p50": percentile(samples.import_ms, 50), "import_ms_min": min(samples.import_ms),
            "import_cpu_ms_p50": percentile(samples.import_cpu_ms, 50), "import_cpu_ms_min": min(samples.import_cpu_ms)}


def host_alone(rooms: Rooms, runs: int, samples: Samples, tick: Tick) -> None:
    """Process start -> `hosting` with nobody around: the discovery window plus start-up."""
    for i in range(runs):
        with rooms.new() as room:
            node = room.start(1)
            hosting = node.wait_event("hosting", timeout=15)
            samples.host_alone_ms.append((hosting["t"] - node.started) * 1000)
        tick(f"host alone {i + 1}/{runs}")


def fanout(rooms: Rooms, size: int, msgs: int, rate: float, samples: Samples, tick: Tick) -> None:
    """One member sends `msgs` paced messages stamped with their send time; latency is taken at
    every other node of the room (host included), send -> receiver's `message` event."""
    with rooms.new() as room:
        nodes = room.start_room(size, timeout=60)
        sender, receivers = nodes[1], [n for n in nodes if n is not nodes[1]]
        time.sleep(0.5)  # let the last joiner's presence settle
        tick(f"fan-out {size} nodes: room up")
        sent = paced(sender, "f", msgs, rate)
        latencies = [(t - sent[key]) * 1000 for got in arrivals(receivers, sent) for key, t in got.items()]
        samples.fanout_ms[size] = latencies
        if len(latencies) < msgs * len(receivers):
            raise BenchError(f"fan-out {size}: {msgs * len(receivers) - len(latencies)} messages never arrived")
        tick(f"fan-out {size} nodes")


def paced(sender: Child, prefix: str, msgs: int, rate: float, command: str = "") -> dict[str, float]:
    """Write `msgs` messages of MSG_BYTES to sender's stdin at `rate`/s, each after `command`
    (e.g. "/msg bob "); key -> time written."""
    sent: dict[str, float] = {}
    for i in range(msgs):
        key = f"{prefix}{i}"
        sent[key] = time.time()
        sender.say(command + f"{key} ".ljust(MSG_BYTES, "."))
        time.sleep(1 / rate)
    return sent


def arrivals(receivers: Sequence[Child], sent: dict[str, float], wait_s: float = 10.0,
             event: str = "message") -> list[dict[str, float]]:
    """Per receiver, key -> first display time of each sent message (as `event`), once all
    arrived or after wait_s."""
    deadline = time.monotonic() + wait_s
    for node in receivers:
        while len(_received(node, sent, event)) < len(sent) and time.monotonic() < deadline:
            time.sleep(0.05)
    return [_received(node, sent, event) for node in receivers]


def _received(node: Child, sent: dict[str, float], event: str = "message") -> dict[str, float]:
    """First display time per benchmark message at node."""
    seen: dict[str, float] = {}
    for item in list(node.events):
        key = item["text"].split(" ", 1)[0] if item["event"] == event else ""
        if key in sent and key not in seen:
            seen[key] = item["t"]
    return seen


def relay(rooms: Rooms, count: int, timeout_s: float, tick: Tick, host_args: tuple[str, ...] = ()) -> float:
    """Messages/s at one receiver while one member writes `count` messages to its stdin at once;
    rate over the receiver's first to last delivery, bounded by timeout_s."""
    with rooms.new() as room:
        _host, sender, receiver = room.start_room(3, host_args=host_args)
        time.sleep(0.5)
        assert sender.proc.stdin is not None
        sender.proc.stdin.write("".join(f"r{i} ".ljust(MSG_BYTES, ".") + "\n" for i in range(count)))
        sender.proc.stdin.flush()
        deadline = time.monotonic() + timeout_s
        while len(receiver.messages()) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        times = [e["t"] for e in receiver.messages() if e["text"].startswith("r")]
        tick(f"relay: {len(times)}/{count} delivered")
        if len(times) < 2 or times[-1] <= times[0]:
            raise BenchError("relay: fewer than two messages arrived")
        return (len(times) - 1) / (times[-1] - times[0])


FLOOD_HEAD_S = 0.1  # how long a flood runs before the quiet member speaks


def fair_share(rooms: Rooms, flood: int, quiet: int, rate: float, tick: Tick) -> dict[str, float]:
    """A member pipes `flood` lines at once; another sends `quiet` paced messages from FLOOD_HEAD_S
    later. The flood is written from a thread: a pipe takes 64 KiB at a time, so writing it all
    returns only once the flooder has read nearly all of it, at the flood's end. A quiet message's delay is its send -> shown at that
    receiver (a few ms with no flood); only those shown before the flood's last line count, so a
    figure taken after the flood cannot pass for one taken through it (`during`: how many)."""
    with rooms.new() as room:
        _host, flooder, talker, receiver = room.start_room(4)
        time.sleep(0.5)
        stdin = flooder.proc.stdin
        assert stdin is not None
        lines = "".join(f"x{i} ".ljust(MSG_BYTES, ".") + "\n" for i in range(flood))
        writer = threading.Thread(target=lambda: (stdin.write(lines), stdin.flush()), daemon=True)
        writer.start()
        time.sleep(FLOOD_HEAD_S)
        sent = paced(talker, "q", quiet, rate)
        writer.join(60)
        got = arrivals([receiver], sent, wait_s=60)[0]
        tick(f"fair share: {len(got)}/{quiet} quiet messages through a flood of {flood}")
        if len(got) < quiet:
            raise BenchError(f"fair share: {quiet - len(got)} quiet messages never arrived")
        flood_end = max(arrivals([receiver], {f"x{i}": 0.0 for i in range(flood)}, wait_s=60)[0].values())
        delays = [(t - sent[key]) * 1000 for key, t in got.items() if t < flood_end]
        if not delays:
            raise BenchError("fair share: the flood was over before a quiet message was shown")
        return {"fair_share_p50_ms": percentile(delays, 50), "fair_share_max_ms": max(delays),
                "fair_share_during": len(delays)}


def raw_chain(rooms: Rooms, count: int, tick: Tick) -> float:
    """The bare pyzmq chain on a fresh loopback address and port pair."""
    room = rooms.new()
    rate = rawchain.measure(f"{room.subnet}.1", room.port, count, MSG_BYTES, timeout_s=30)
    tick("raw chain")
    return rate


def failover(rooms: Rooms, mode: str, runs: int, samples: Samples, tick: Tick) -> None:
    """Host killed (crash: SIGKILL) or frozen (silent: SIGSTOP) in a room of three; time until
    both survivors are back in a room: the successor's `hosting`, the other's `host_changed`."""
    sig = signal.SIGKILL if mode == "crash" else signal.SIGSTOP
    out = samples.failover_ms.setdefault(mode, [])
    for i in range(runs):
        with rooms.new() as room:
            host, *members = room.start_room(3)
            for node in members:
                node.wait_for(lambda e: e["event"] in ("joined", "presence") and len(e["users"]) == 3, timeout=10)
            time.sleep(0.6)  # a roster heartbeat, so every member knows the successor order
            marks = [len(node.events) for node in members]
            t0 = time.time()
            host.signal(sig)
            back = [node.wait_event("hosting", "host_changed", timeout=20, after=mark)["t"]
                    for node, mark in zip(members, marks)]
            out.append((max(back) - t0) * 1000)
        tick(f"failover {mode} {i + 1}/{runs}")


def idle(rooms: Rooms, seconds: float, tick: Tick) -> list[dict[str, float]]:
    """CPU % of one core and RSS per node of an idle room of three, over `seconds`."""
    with rooms.new() as room:
        nodes = room.start_room(3)
        time.sleep(1.0)
        before = [_cpu_s(n.proc.pid) for n in nodes]
        time.sleep(seconds)
        after = [_cpu_s(n.proc.pid) for n in nodes]
        tick(f"idle {seconds:.0f} s")
        return [{"cpu_pct": (a - b) / seconds * 100, "rss_mb": _rss_mb(n.proc.pid), "host": float(i == 0)}
                for i, (n, b, a) in enumerate(zip(nodes, before, after))]


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of pid, from /proc (Linux: the bench needs 127/8 loopback anyway)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise BenchError(f"no VmRSS for {pid}")
