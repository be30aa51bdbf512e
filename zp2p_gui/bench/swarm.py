"""A member swarm: one process that speaks the member side of the real protocol for many
members, so a room of 500 fits on a 2-core machine (500 headless nodes would not).

Each member has its own identity key (registration proves possession with the same signed
proof real members send), its own REQ to the registry, PUSH to the relay and SUB from it, all
connected from its OWN loopback address (`tcp://SRC:0;HOST:PORT`), so the host's per-address
limits see as many addresses as members. Members register, heartbeat, count the chats they
receive (a chat whose text is "KEY T ..." with T the sender's `time.time()` gives a latency,
taken at arrival: one process, one clock) and can send. A beacon watch over the given host
addresses follows the room to a new host after a failover: every member registers there.

What the swarm does not do: it checks no chat signatures, fetches no gaps and never hosts.

Driven by plain lines on stdin, answering JSON lines on stdout (like `zp2p --headless`):
`join N RATE`, `leave N RATE`, `churn N RATE` (leave, then join again a second later),
`say I TEXT`, `status`, `latency`, `quit`. It stops by itself after --max-seconds, and at
stdin's end. Every address lies in the one loopback --net range.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter, deque
from typing import Any

import zmq

from .. import PROTOCOL_VERSION
from ..core.codec import CodecError, decode, encode, parse_beacon
from ..core.config import DEFAULT_ROOM, Limits, Timings
from ..core.signing import sign_registration
from ..fdlimit import raise_fd_limit
from ..net.actor import tune
from ..net.endpoints import tcp
from .swarm_member import DRAIN, Batch, Member, Stats, addresses, make_member, read_relay

REGISTER_TIMEOUT_S = 3.0  # a registry busy with a storm answers late; then the REQ is reopened (lazy pirate)
MAX_TRIES = 20  # registrations per member per join before it gives up
RETRY_AFTER_S = 1.0  # after a refusal (rate_limited, room_full, ...)
REJOIN_AFTER_S = 1.0  # churn: a member that left registers again this much later
LEAVE_LINGER_MS = 500  # a leaving member's PUSH keeps its `leave` this long after closing
MAX_SOCKETS = 8192  # libzmq's default (1023) is two members short of 340


class Swarm:
    def __init__(self, members: list[Member], watch: list[str], port: int, room: str, timings: Timings) -> None:
        self.members = members
        self.by_sub: dict[zmq.Socket, Member] = {}
        self.by_req: dict[zmq.Socket, Member] = {}
        self.port = port
        self.room = room
        self.timings = timings
        self.limits = Limits()
        self.ctx = zmq.Context(io_threads=2)
        self.ctx.set(zmq.MAX_SOCKETS, MAX_SOCKETS)
        self.poller = zmq.Poller()
        self.host: str | None = None
        self.host_id: str | None = None
        self.hosts_seen: set[str] = set()
        self.batch = Batch()
        self.stats = Stats()
        self.pending_leaves: deque[tuple[float, Member, bool]] = deque()
        self.stdin_buf = b""
        self.done = False
        self.beacon = self._socket(zmq.SUB)
        self.beacon.setsockopt(zmq.SUBSCRIBE, b"NAMESERVER:")
        for ip in watch:
            self.beacon.connect(tcp(ip, port, members[0].addr))
        self.poller.register(self.beacon, zmq.POLLIN)
        self.poller.register(sys.stdin.fileno(), zmq.POLLIN)

    def _socket(self, kind: int) -> zmq.Socket:
        sock = tune(self.ctx.socket(kind), self.limits, bound=False, reconnect_ms=100, reconnect_max_ms=1000)
        sock.setsockopt(zmq.MAXMSGSIZE, self.limits.max_frame_bytes * 256)
        return sock

    # -- output ------------------------------------------------------------------------------
    @staticmethod
    def emit(event: str, **fields: Any) -> None:
        print(json.dumps({"event": event, "t": time.time(), **fields}), flush=True)

    def status(self) -> dict[str, Any]:
        states = Counter(m.state for m in self.members)
        return {"joined": states["joined"], "asking": states["asking"] + states["waiting"],
                "listed": sum(m.listed for m in self.members if m.state == "joined"),
                "hosts_seen": sorted(self.hosts_seen), "host": self.host,
                "batch": vars(self.batch), "refused": dict(self.stats.refused), "chats": self.stats.chats,
                "rosters": self.stats.rosters, "deltas": self.stats.deltas,
                "welcome_bytes": self.stats.welcome_bytes, "roster_bytes": self.stats.roster_bytes}

    # -- members -----------------------------------------------------------------------------
    def _connect(self, m: Member) -> None:
        """Open the member's three sockets to the current host, from its own address."""
        assert self.host is not None
        self._close(m)
        m.sub = self._socket(zmq.SUB)
        m.sub.setsockopt(zmq.SUBSCRIBE, b"")
        m.sub.connect(tcp(self.host, self.port + 3, m.addr))
        m.push = self._socket(zmq.PUSH)
        m.push.setsockopt(zmq.IMMEDIATE, 1)
        m.push.connect(tcp(self.host, self.port + 2, m.addr))
        self.poller.register(m.sub, zmq.POLLIN)
        self.by_sub[m.sub] = m
        self._reopen_req(m)

    def _reopen_req(self, m: Member) -> None:
        if m.req is not None:
            self.poller.unregister(m.req)
            self.by_req.pop(m.req, None)
            m.req.close(0)
        assert self.host is not None
        m.req = self._socket(zmq.REQ)
        m.req.connect(tcp(self.host, self.port + 1, m.addr))
        self.poller.register(m.req, zmq.POLLIN)
        self.by_req[m.req] = m

    def _close(self, m: Member, linger_ms: int = 0) -> None:
        for sock in (m.sub, m.req):
            if sock is not None:
                self.poller.unregister(sock)
                self.by_sub.pop(sock, None)
                self.by_req.pop(sock, None)
                sock.close(0)
        if m.push is not None:
            m.push.close(linger_ms)
        m.sub = m.req = m.push = None
        m.listed = False

    def _ask(self, m: Member, now: float) -> None:
        """Send the member's signed registration, as a real member does (engine/joining.py)."""
        assert m.req is not None and self.host is not None
        proof = sign_registration(m.secret, self.room, self.host, m.node_id, m.nick, m.addr)
        m.req.send(encode("register", node_id=m.node_id, nick=m.nick, room=self.room, proto=PROTOCOL_VERSION,
                          key=m.key, proof=proof))
        m.state, m.deadline = "asking", now + REGISTER_TIMEOUT_S
        m.tries += 1
        if self.batch.first_ask is None:
            self.batch.first_ask = time.time()

    def _on_reply(self, m: Member, now: float) -> None:
        assert m.req is not None
        try:
            frame = m.req.recv(zmq.NOBLOCK)
            msg = decode(frame, expect=("welcome", "refused"), max_bytes=self.limits.max_frame_bytes * 256)
        except (zmq.Again, CodecError):
            return
        if m.state != "asking":
            return
        if msg["k"] == "refused":
            self.stats.refused[msg["code"]] += 1
            m.state, m.start_at = "waiting", now + RETRY_AFTER_S
            return
        m.state, m.next_hb, m.joined_at = "joined", now, now
        m.listed = any(x["node_id"] == m.node_id for x in msg["members"])
        m.version = msg["version"]
        self.stats.welcome_bytes = max(self.stats.welcome_bytes, len(frame))
        self.batch.joined += 1
        self.batch.last_welcome = time.time()

    def say(self, index: int, text: str) -> None:
        m = self.members[index]
        if m.state != "joined" or m.push is None:
            return
        m.seq += 1
        frame = encode("say", node_id=m.node_id, seq=m.seq, text=text, sig=m.sealer.sign(m.seq, text))
        try:
            m.push.send(frame, zmq.NOBLOCK)
        except zmq.Again:
            pass

    def leave(self, m: Member) -> None:
        if m.push is not None and m.state == "joined":
            try:
                m.push.send(encode("leave", node_id=m.node_id), zmq.NOBLOCK)
            except zmq.Again:
                pass
        self._close(m, LEAVE_LINGER_MS)
        m.state = "out"

    # -- commands ----------------------------------------------------------------------------
    def command(self, line: str) -> None:
        words = line.split(" ", 2)
        now = time.monotonic()
        if words[0] == "join" and len(words) == 3:
            self._schedule_join(int(words[1]), float(words[2]), now)
        elif words[0] in ("leave", "churn") and len(words) == 3:
            self._schedule_leaves(int(words[1]), float(words[2]), words[0] == "churn", now)
        elif words[0] == "say" and len(words) == 3:
            self.say(int(words[1]), words[2])
        elif words[0] == "status":
            self.emit("status", **self.status())
        elif words[0] == "latency":
            self.emit("latency", **self.stats.latency())
        elif words[0] == "quit":
            self.done = True

    def _schedule_join(self, count: int, rate: float, now: float) -> None:
        out = [m for m in self.members if m.state == "out"][:count]
        self.batch = Batch(size=len(out))
        for i, m in enumerate(out):
            m.state, m.start_at, m.tries = "waiting", now + i / rate, 0

    def _schedule_leaves(self, count: int, rate: float, rejoin: bool, now: float) -> None:
        """The newest `count` joined members leave, one every 1/rate s; with `rejoin` (churn)
        each registers again REJOIN_AFTER_S after its leave, so the room's size comes back."""
        joined = [m for m in self.members if m.state == "joined"][-count:] if count else []
        self.pending_leaves.extend((now + i / rate, m, rejoin) for i, m in enumerate(joined))

    def _read_stdin(self) -> None:
        chunk = os.read(sys.stdin.fileno(), 65536)
        if not chunk:
            self.done = True
            return
        self.stdin_buf += chunk
        *lines, self.stdin_buf = self.stdin_buf.split(b"\n")
        for line in lines:
            self.command(line.decode("utf-8", "replace").strip())

    # -- the loop ----------------------------------------------------------------------------
    def _on_beacon(self) -> None:
        for _ in range(DRAIN):
            try:
                frames = self.beacon.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                return
            try:
                ip, desc = parse_beacon(frames)
            except CodecError:
                continue
            if desc is None or desc["room"] != self.room:
                continue
            self.hosts_seen.add(desc["host_id"])
            if desc["host_id"] != self.host_id:
                self._follow(ip, desc["host_id"])

    def _follow(self, ip: str, host_id: str) -> None:
        """A new host of the room (the first, or a successor): every member in the room goes there."""
        first = self.host is None
        self.host, self.host_id = ip, host_id
        self.emit("host", addr=ip, host_id=host_id)
        now = time.monotonic()
        for m in self.members:
            if m.state == "out" or (first and m.state == "waiting"):
                continue
            self._connect(m)
            m.state, m.start_at, m.tries = "waiting", now, 0

    def tick(self, now: float) -> None:
        while self.pending_leaves and self.pending_leaves[0][0] <= now:
            _, m, rejoin = self.pending_leaves.popleft()
            self.leave(m)
            if rejoin:
                m.state, m.start_at, m.tries = "waiting", now + REJOIN_AFTER_S, 0
        if self.host is None:
            return
        for m in self.members:
            if m.state == "waiting" and now >= m.start_at:
                if m.tries >= MAX_TRIES:
                    m.state = "out"
                    continue
                if m.req is None:
                    self._connect(m)
                self._ask(m, now)
            elif m.state == "asking" and now > m.deadline:
                self._reopen_req(m)
                m.state, m.start_at = "waiting", now
            elif m.state == "joined" and now >= m.next_hb and m.push is not None:
                m.next_hb = now + self.timings.heartbeat
                try:
                    m.push.send(encode("hb", node_id=m.node_id), zmq.NOBLOCK)
                except zmq.Again:
                    pass

    def run(self, max_seconds: float) -> None:
        end = time.monotonic() + max_seconds
        self.emit("ready", members=len(self.members))
        while not self.done and time.monotonic() < end:
            ready = self.poller.poll(20)
            readable_at = time.time()  # every socket of this poll was readable by now
            for sock, _ in ready:
                if sock is self.beacon:
                    self._on_beacon()
                elif isinstance(sock, int):
                    self._read_stdin()
                elif sock in self.by_sub:
                    read_relay(self.by_sub[sock], self.stats, readable_at, self.timings.heartbeat)
                elif sock in self.by_req:
                    self._on_reply(self.by_req[sock], time.monotonic())
            self.tick(time.monotonic())
        for m in self.members:
            self._close(m)
        self.beacon.close(0)
        self.ctx.term()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zp2p_gui.bench.swarm", description=__doc__.split("\n\n")[0])
    parser.add_argument("--net", required=True, help="loopback range the members' addresses come from, e.g. 127.0.30.0/23")
    parser.add_argument("--members", type=int, required=True)
    parser.add_argument("--watch", action="append", required=True, help="address whose beacon port to watch (repeatable)")
    parser.add_argument("--port", type=int, required=True, help="the room's base port P")
    parser.add_argument("--room", default=DEFAULT_ROOM)
    parser.add_argument("--max-seconds", type=float, default=600.0)
    args = parser.parse_args(argv)
    raise_fd_limit()
    room = args.room
    members = [make_member(i, addr, room) for i, addr in enumerate(addresses(args.net, args.members))]
    Swarm(members, args.watch, args.port, room, Timings()).run(args.max_seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
