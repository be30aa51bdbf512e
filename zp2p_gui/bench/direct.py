"""Direct messages in the benchmark: latency between two members over the direct channel, and
how fast a returning member receives what waited for it while it was away."""

from __future__ import annotations

import time

from .measures import Samples, Tick, arrivals, leave, paced
from .runner import BenchError, Child, Rooms


def _sees(node: Child, nick: str, timeout: float = 10.0) -> None:
    node.wait_for(lambda e: e["event"] in ("joined", "presence") and any(u["nick"] == nick for u in e["users"]),
                  timeout)


def _times(node: Child, event: str, count: int, wait_s: float = 30.0) -> list[float]:
    """The stamps of node's `event` events, once there are `count` of them or after wait_s."""
    deadline = time.monotonic() + wait_s
    while True:
        stamps = [e["t"] for e in list(node.events) if e["event"] == event]
        if len(stamps) >= count or time.monotonic() > deadline:
            return stamps
        time.sleep(0.05)


WARMUP_DMS = 5


def latency(rooms: Rooms, msgs: int, rate: float, samples: Samples, tick: Tick) -> float:
    """One member sends `msgs` paced DMs to another in a room of three; send -> `direct` event.
    The first DMs open the CURVE connection, which the room's relay connections have done before
    fan-out is timed: so WARMUP_DMS go first and only the later ones are samples. Returns the
    first (cold) DM's latency in ms, its own figure."""
    with rooms.new() as room:
        _host, sender, receiver = room.start_room(3)
        _sees(sender, receiver.nick)
        tick("direct latency: room up")
        command = f"/msg {receiver.nick} "
        warm = paced(sender, "w", WARMUP_DMS, rate, command=command)
        warmed = arrivals([receiver], warm, event="direct")[0]
        if "w0" not in warmed:
            raise BenchError("direct latency: the first direct message never arrived")
        sent = paced(sender, "d", msgs, rate, command=command)
        got = arrivals([receiver], sent, event="direct")[0]
        samples.direct_ms = [(t - sent[key]) * 1000 for key, t in got.items()]
        if len(got) < msgs:
            raise BenchError(f"direct latency: {msgs - len(got)} direct messages never arrived")
        tick("direct latency")
        return (warmed["w0"] - warm["w0"]) * 1000


def backlog(rooms: Rooms, count: int, tick: Tick) -> float:
    """`count` DMs queued for a member who is away; ms from its `joined` on return to the last
    `direct`. It comes back with its data folder (its identity), under a new nick."""
    with rooms.new() as room:
        folder = room.folder()
        _host, sender = room.start_room(2)
        away = room.start(3, data_dir=folder)
        away.wait_event("joined", timeout=15)
        _sees(sender, away.nick)
        leave(away)
        for i in range(count):
            sender.say(f"/msg {away.nick} q{i} waiting")
        if len(_times(sender, "queued", count)) < count:
            raise BenchError("direct backlog: the sender did not queue every message")
        back = room.start(3, data_dir=folder)
        joined = back.wait_event("joined", timeout=15)["t"]
        got = _times(back, "direct", count)
        if len(got) < count:
            raise BenchError(f"direct backlog: {len(got)}/{count} arrived")
        tick(f"direct backlog of {count}")
        return (max(got) - joined) * 1000
