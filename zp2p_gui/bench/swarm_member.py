"""The swarm's members (bench/swarm.py): who each is (key, node id, address), what it holds of
the room (its roster version, whether the host lists it), and how it reads what the host
publishes. A roster is searched, not decoded: 500 members read every one."""

from __future__ import annotations

import ipaddress
import json
import re
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

import zmq

from ..core.sodium import SigningKey
from ..core.rosters import delta_applies
from ..core.signing import Sealer, key_text, new_node_id
from .measures import percentile

CHAT_PREFIX = b'{"v":1,"k":"chat"'
ROSTER_PREFIX = b'{"v":1,"k":"roster"'
DELTA_PREFIX = b'{"v":1,"k":"roster_delta"'
VERSION = re.compile(rb'"version":(\d+)')
SINCE = re.compile(rb'"since":(\d+)')
DRAIN = 32  # frames read from one socket per wake-up
LATENCY_KEEP = 1_000_000  # arrival samples kept at most


@dataclass
class Member:
    """One swarm member: its identity, its three sockets to the host, where it stands."""

    index: int
    addr: str
    secret: SigningKey
    key: str
    node_id: str
    nick: str
    sealer: Sealer
    state: str = "out"  # out, waiting (to register at start_at), asking, joined
    req: zmq.Socket | None = None
    push: zmq.Socket | None = None
    sub: zmq.Socket | None = None
    start_at: float = 0.0
    deadline: float = 0.0
    next_hb: float = 0.0
    tries: int = 0
    seq: int = 0
    listed: bool = False
    joined_at: float = 0.0
    version: int = -1  # of the newest member list we hold (welcome or roster)


@dataclass
class Batch:
    """One `join` command's members: when the first asked and the last was welcomed."""

    size: int = 0
    first_ask: float | None = None
    last_welcome: float | None = None
    joined: int = 0


@dataclass
class Stats:
    """What every member received, together (one process, one clock)."""

    chats: int = 0
    rosters: int = 0
    deltas: int = 0
    roster_bytes: int = 0
    welcome_bytes: int = 0  # the largest welcome
    refused: Counter[str] = field(default_factory=Counter)
    latencies_ms: deque[float] = field(default_factory=lambda: deque(maxlen=LATENCY_KEEP))  # until readable
    read_ms: deque[float] = field(default_factory=lambda: deque(maxlen=LATENCY_KEEP))  # until read
    keys: set[str] = field(default_factory=set)

    def latency(self) -> dict[str, Any]:
        """Figures of the chats timed since the last call, which starts the count afresh."""
        ms, read = list(self.latencies_ms), list(self.read_ms)
        figures = {"count": len(ms), "keys": len(self.keys), "p50": percentile(ms, 50) if ms else None,
                   "p99": percentile(ms, 99) if ms else None, "max": max(ms) if ms else None,
                   "read_p50": percentile(read, 50) if read else None, "read_p99": percentile(read, 99) if read else None}
        self.latencies_ms.clear()
        self.read_ms.clear()
        self.keys.clear()
        return figures


def addresses(net: str, count: int) -> list[str]:
    """`count` addresses of the loopback range `net`, skipping .0 and .255 of each /24."""
    network = ipaddress.IPv4Network(net)
    if not network.subnet_of(ipaddress.IPv4Network("127.0.0.0/8")):
        raise ValueError(f"{net} is not loopback: the swarm stays on 127.0.0.0/8")
    usable = [str(a) for a in network.hosts() if a.packed[3] not in (0, 255)]
    if len(usable) < count:
        raise ValueError(f"{net} has {len(usable)} usable addresses, {count} asked")
    return usable[:count]


def make_member(index: int, addr: str, room: str) -> Member:
    secret = SigningKey.generate()
    key = key_text(secret.public)
    node_id = new_node_id(key)
    nick = f"sw{index}"
    return Member(index, addr, secret, key, node_id, nick, Sealer(secret, room, node_id, nick))


def read_relay(m: Member, stats: Stats, arrived: float, heartbeat: float) -> None:
    """What the host published to m: chats counted (and timed), rosters and deltas followed.
    `arrived` is when the swarm's poll saw m's socket readable: the host's part of a chat's
    latency ends there; reading 497 sockets in turn after it is the swarm's own."""
    assert m.sub is not None
    for _ in range(DRAIN):
        try:
            frame = m.sub.recv(zmq.NOBLOCK)
        except zmq.Again:
            return
        if frame.startswith(CHAT_PREFIX):
            _on_chat(stats, frame, arrived)
        elif frame.startswith(ROSTER_PREFIX):
            stats.rosters += 1
            stats.roster_bytes += len(frame)
            _on_roster(m, frame, heartbeat)
        elif frame.startswith(DELTA_PREFIX):
            stats.deltas += 1
            stats.roster_bytes += len(frame)
            _on_delta(m, frame, heartbeat)


def _on_roster(m: Member, frame: bytes, heartbeat: float) -> None:
    """Listed or not (a byte search, not a decode: 500 members read every roster). A member
    the host dropped (expired while this process was busy) registers again, as a real member does."""
    found = VERSION.search(frame, 0, 400)  # the fields before the member list
    version = int(found.group(1)) if found else 0
    if version < m.version:
        return  # published before our welcome (docs/protocol.md): it must not undo it
    m.version = version
    m.listed = m.node_id.encode() in frame
    _check_listed(m, heartbeat)


def _on_delta(m: Member, frame: bytes, heartbeat: float) -> None:
    """As engine/presence.py: a delta that does not cover our version waits for a full roster.
    Decoded only when it names us: every member reads every delta."""
    version, since = VERSION.search(frame), SINCE.search(frame)
    if version is None or since is None or not delta_applies(
            {"version": int(version.group(1)), "since": int(since.group(1))}, m.version):
        return
    m.version = int(version.group(1))
    if m.node_id.encode() in frame:
        delta = json.loads(frame)
        if m.node_id in delta["removed"]:
            m.listed = False
        elif any(x["node_id"] == m.node_id for x in delta["changed"]):
            m.listed = True
    _check_listed(m, heartbeat)


def _check_listed(m: Member, heartbeat: float) -> None:
    now = time.monotonic()
    if not m.listed and m.state == "joined" and now - m.joined_at > 2 * heartbeat:
        m.state, m.start_at, m.tries = "waiting", now, 0


def _on_chat(stats: Stats, frame: bytes, arrived: float) -> None:
    """Count it; a text "KEY T ..." (T the sender's wall clock) also gives a latency."""
    stats.chats += 1
    try:
        words = json.loads(frame)["text"].split(" ", 2)
        sent = float(words[1])
    except (ValueError, KeyError, IndexError, TypeError):
        return
    stats.keys.add(words[0])
    stats.latencies_ms.append((arrived - sent) * 1000)
    stats.read_ms.append((time.time() - sent) * 1000)
