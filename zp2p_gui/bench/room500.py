"""A room of 500 (issue 16): a real headless host, two real headless members (a sender and a
listener) and a member swarm (bench/swarm.py) for everyone else, each swarm member on its own
loopback address.

Measured: a join storm (STORM members registering within 1 s: how many hosts, time until all
are welcomed and until the real member's roster lists them all, roster bytes the swarm read);
the host's CPU (% of one core) and RSS with the room idle; fan-out latency from the real member
to every swarm member (the swarm stamps arrivals; the text carries the send time) and to the
real listener; presence
churn (members leaving and joining at a bounded rate: host CPU, and the real member's roster
exact at the end). Figures only: nothing here asserts a timing.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from .measures import Tick, _cpu_s, _rss_mb, arrivals, percentile
from .plan import MSG_BYTES
from .runner import BenchError, Child, Node, Rooms

SWARM_NET = "127.0.40.0/22"  # 1,016 usable addresses, none in the runner's SUBNETS
MIN_MEMBERS = 4  # the host, the two real members and one swarm member
MAX_MEMBERS = 512  # the host's Limits.max_members
STORM = 100  # members asked to register within one second
JOIN_RATE = 400  # members per second joining after the storm, up to the room's size
CHURN_RATE = 5.0  # leaves per second, and as many joins
Result = dict[str, Any]


class SwarmProcess(Child):
    """The swarm as a child process, driven by its stdin commands and read by its JSON lines."""

    def __init__(self, net: str, watch: list[str], port: int, env: dict[str, str], members: int,
                 max_seconds: float) -> None:
        """Members on `net`, following the room's host among the `watch` addresses."""
        argv = [sys.executable, "-m", "zp2p_gui.bench.swarm", "--net", net, "--members", str(members),
                "--port", str(port), "--max-seconds", str(max_seconds), *(f"--watch={ip}" for ip in watch)]
        super().__init__("swarm", None, argv, env, capture_stderr=True)

    def ask(self, command: str, event: str, timeout: float = 30.0) -> dict[str, Any]:
        """Send a command and wait for its answer (the next `event` line)."""
        mark = len(self.events)
        self.say(command)
        return self.wait_event(event, timeout=timeout, after=mark)

    def until_joined(self, count: int, timeout: float) -> dict[str, Any]:
        """Poll `status` until `count` members are welcomed and listed; BenchError after timeout."""
        end = time.monotonic() + timeout
        while True:
            status = self.ask("status", "status")
            if status["joined"] >= count and status["listed"] >= count:
                return status
            if time.monotonic() > end:
                raise BenchError(f"swarm: {status['joined']}/{count} joined, {status['listed']} listed "
                                 f"after {timeout:.0f}s; refused {status['refused']}")
            time.sleep(0.2)


def roster_size(node: Node, size: int, timeout: float, after: int = 0) -> float:
    """Wall time of the first `presence`/`joined` event at node listing exactly `size` members."""
    event = node.wait_for(lambda e: e["event"] in ("joined", "presence") and len(e.get("users", ())) == size,
                          timeout, after)
    return float(event["t"])


def measure(rooms: Rooms, members: int, idle_s: float, msgs: int, churn_s: float, tick: Tick,
            join_rate: float = JOIN_RATE) -> Result:
    """Every room-of-N figure; `members` counts the host and the two real members too."""
    swarm_size = members - 3
    storm = min(STORM, swarm_size)
    with rooms.new() as room:
        host = room.start(1)
        host.wait_event("hosting", timeout=30)
        real, listener = room.start(2), room.start(3)
        real.wait_event("joined", timeout=30)
        listener.wait_event("joined", timeout=30)
        swarm = SwarmProcess(SWARM_NET, [host.ip, real.ip], room.port, room.env, swarm_size,
                             max_seconds=240 + idle_s + churn_s + msgs)
        try:
            swarm.wait_event("ready", timeout=60)
            result = _storm(swarm, real, storm, tick)
            started = time.time()
            swarm.say(f"join {swarm_size - storm} {join_rate}")
            status = swarm.until_joined(swarm_size, timeout=120)
            result["all_listed_s"] = roster_size(real, members, timeout=60) - started
            result["all_welcomed_s"] = status["batch"]["last_welcome"] - started
            tick(f"room of {members}: all joined: {json.dumps(result)}")
            result |= _idle(host, real, idle_s, tick) | {"room_members": members, "refused": status["refused"],
                                                          "welcome_kb_max": status["welcome_bytes"] / 1e3}
            result |= _fanout(swarm, real, listener, msgs, swarm_size, tick)
            result |= _churn(swarm, host, real, members, churn_s, tick)
            hosts = swarm.ask("status", "status")["hosts_seen"]
            result["hosts"] = len(hosts)
            return result
        except BenchError as exc:
            raise BenchError(f"{exc}; swarm said: {''.join(swarm.stderr[-20:])}") from None
        finally:
            swarm.close()


def _storm(swarm: SwarmProcess, real: Node, storm: int, tick: Tick) -> Result:
    before = swarm.ask("status", "status")
    mark = len(real.events)
    swarm.say(f"join {storm} {storm}")
    status = swarm.until_joined(storm, timeout=60)
    listed_at = roster_size(real, storm + 3, timeout=60, after=mark)
    batch = status["batch"]
    tick(f"join storm: {status}")
    return {"storm_members": storm, "storm_welcomed_s": batch["last_welcome"] - batch["first_ask"],
            "storm_listed_s": listed_at - batch["first_ask"], "storm_hosts": len(status["hosts_seen"]),
            "storm_roster_mb": (status["roster_bytes"] - before["roster_bytes"]) / 1e6}


def _idle(host: Node, real: Node, seconds: float, tick: Tick) -> Result:
    """The host's and a real member's CPU and RSS while 500 members only heartbeat."""
    time.sleep(2.0)
    before = _cpu_s(host.proc.pid), _cpu_s(real.proc.pid)
    time.sleep(seconds)
    cpu = (_cpu_s(host.proc.pid) - before[0]) / seconds * 100
    member_cpu = (_cpu_s(real.proc.pid) - before[1]) / seconds * 100
    tick(f"idle {seconds:.0f} s: host {cpu:.1f} %, member {member_cpu:.1f} % of a core")
    return {"idle_host_cpu_pct": cpu, "idle_host_rss_mb": _rss_mb(host.proc.pid), "idle_s": seconds,
            "idle_member_cpu_pct": member_cpu, "idle_member_rss_mb": _rss_mb(real.proc.pid)}


def _fanout(swarm: SwarmProcess, real: Node, listener: Node, msgs: int, receivers: int, tick: Tick) -> Result:
    """The real member sends `msgs` messages at 10/s, each stamped with its send time; the swarm
    times them when its poll finds a member's socket readable (fanout_*), and again when it has
    read them (fanout_read_*: one Python process reading every member's socket in turn, so its
    own pace is part of that figure); the real listener as it shows them."""
    swarm.ask("latency", "latency")  # starts the count afresh
    sent = {}
    for i in range(msgs):
        sent[f"f{i}"] = time.time()
        real.say(f"f{i} {sent[f'f{i}']:.6f} ".ljust(MSG_BYTES, "."))
        time.sleep(0.1)
    heard = arrivals([listener], sent, wait_s=10.0)[0]
    got = swarm.ask("latency", "latency")
    tick(f"fan-out: {got}")
    if not got["count"] or len(heard) < msgs:
        raise BenchError(f"fan-out: {got['count']} arrivals at the swarm, {len(heard)}/{msgs} at the listener")
    at_listener = [(t - sent[key]) * 1000 for key, t in heard.items()]
    return {"fanout_msgs": msgs, "fanout_arrivals": got["count"], "fanout_expected": msgs * receivers,
            "fanout_p50_ms": got["p50"], "fanout_p99_ms": got["p99"], "fanout_max_ms": got["max"],
            "fanout_read_p50_ms": got["read_p50"], "fanout_read_p99_ms": got["read_p99"],
            "fanout_listener_p50_ms": percentile(at_listener, 50), "fanout_listener_p99_ms": percentile(at_listener, 99)}


def _churn(swarm: SwarmProcess, host: Node, real: Node, members: int, seconds: float, tick: Tick) -> Result:
    """CHURN_RATE members leave and as many join, each second, for `seconds`; then the real
    member's roster must come back to exactly `members`."""
    count = int(CHURN_RATE * seconds)
    before_cpu, before = (_cpu_s(host.proc.pid), _cpu_s(real.proc.pid)), swarm.ask("status", "status")
    swarm.say(f"churn {count} {CHURN_RATE}")
    time.sleep(seconds + 1.0)  # the last leave, and its member's return a second later
    cpu = (_cpu_s(host.proc.pid) - before_cpu[0]) / (seconds + 1.0) * 100
    member_cpu = (_cpu_s(real.proc.pid) - before_cpu[1]) / (seconds + 1.0) * 100
    status = swarm.until_joined(members - 3, timeout=60)
    ended = time.time()
    settled = _settled(real, members, timeout=30)
    tick(f"churn: the real member's roster settled {settled - ended:.2f} s after the swarm's last join")
    return {"churn_per_s": CHURN_RATE, "churn_s": seconds, "churn_host_cpu_pct": cpu, "churn_member_cpu_pct": member_cpu,
            "churn_settled_s": settled - ended,
            "churn_roster_mb": (status["roster_bytes"] - before["roster_bytes"]) / 1e6}


def _settled(node: Node, size: int, timeout: float) -> float:
    """When node's newest member list came to exactly `size` (its time, or now if it already had)."""
    end = time.monotonic() + timeout
    while True:
        lists = [e for e in list(node.events) if e["event"] in ("joined", "presence")]
        if lists and len(lists[-1]["users"]) == size:
            return float(lists[-1]["t"])
        if time.monotonic() > end:
            raise BenchError(f"{node.nick}: its roster never came back to {size} members")
        time.sleep(0.1)


def main(members: int, idle_s: float = 30.0, msgs: int = 100, churn_s: float = 20.0) -> int:
    """`zp2p-bench --swarm N`: print the room-of-N figures as one JSON object."""
    def tick(what: str) -> None:
        print(f"[room of {members}] {what}", file=sys.stderr, flush=True)
    result = measure(Rooms(), members, idle_s, msgs, churn_s, tick)
    print(json.dumps(result, indent=1))
    return 0
