"""relayServerNameServer: members PUSH to the host's PULL; the host checks who sent it,
stamps the registered nick and publishes on its PUB. A small beat every heartbeat says the host is
alive; a roster delta (core/rosters.py) goes out when the member list changes, the full roster
every FULL_ROSTER_EVERY beats (and when a change is too large for a delta). A part of the
host actor (net/host.py), which owns the room's HostState; this runs only in that actor's thread."""

from __future__ import annotations

import time
from typing import Any, Callable

import zmq

from ..core.batches import chats_fields
from ..core.codec import CodecError, decode, encode
from ..core.config import Limits, Timings
from ..core.crypto import SocketKeys
from ..core.errors import Code
from ..core.lazylog import Log
from ..core.ratelimit import TokenBucket
from ..core.room import HostState
from ..core.signing import curve_public
from ..core.validation import ValidationError
from .actor import Actor, bind_with_retry, drain, peer_address, peer_key, tune, until
from .admission import Guards, admit_subscriptions, manual_xpub
from .malformed import MalformedCounter

log = Log(__name__)

FULL_ROSTER_EVERY = 10
TOPICS = frozenset({b""})  # members subscribe to everything; no other topic is kept
MAX_SUBSCRIBER_INBOUND = 1024  # a CURVE handshake fits (its largest command is about 300 bytes)
MEMBERS_PER_ADDRESS = 64  # nodes sharing one machine each hold one connection per relay socket
DELTA_GAP_S = 0.05  # a change goes out at once, later ones at most this often: a join storm of 400/s
# sends 20 deltas a second, not 400 (each reaches every member: a room of 500 read 200,000 frames/s)
_QUEUE_FULL = ValidationError(Code.RATE_LIMITED, "too many messages from your address are waiting at the relay; "
                                                 "slowing down")


class Relay:
    def __init__(self, ip: str, port_in: int, port_out: int, state: HostState, timings: Timings, limits: Limits,
                 curve: SocketKeys | None = None, tap: Callable[[bytes], None] | None = None) -> None:
        self.curve = curve
        self.tap = tap  # sees every frame published, in order (net/host.py hands them to this node's engine)
        self.ip = ip
        self.ports = (port_in, port_out)
        self.state = state
        self.timings = timings
        self.limits = limits
        self.malformed = MalformedCounter(log, "relay")
        self._next_roster = 0.0
        self._beats = 0
        self._roster_version = -1
        self._change_sent = float("-inf")  # when the last roster or delta went out
        self._change_due: float | None = None  # a change waits until then (DELTA_GAP_S)
        self._noticed: dict[tuple[str, str], float] = {}
        self._sealed_rate: dict[str, TokenBucket] = {}
        self.closing = False
        self.guards = Guards()
        self.share = state.share

    def setup(self, actor: Actor) -> None:
        """Bind PULL and XPUB in the host actor's thread, as its sockets. The XPUB is polled too:
        it reads the members' subscriptions and keeps only the one the protocol uses."""
        self.pull = tune(actor.ctx.socket(zmq.PULL), self.limits, bound=True, curve=self.curve)
        self.pub = manual_xpub(tune(actor.ctx.socket(zmq.XPUB), self.limits, bound=True, curve=self.curve),
                               MAX_SUBSCRIBER_INBOUND)
        self.pub.setsockopt(zmq.SNDHWM, self.limits.hwm)
        actor.add_socket(self.pull)  # before binding: a failed bind must still close them
        actor.add_socket(self.pub)
        self.guards.watch(actor, self.pull, "relay in", per_address=MEMBERS_PER_ADDRESS)
        self.guard_out = self.guards.watch(actor, self.pub, "relay out", per_address=MEMBERS_PER_ADDRESS)
        bind_with_retry(self.pull, f"tcp://{self.ip}:{self.ports[0]}", actor.bind_patience)
        bind_with_retry(self.pub, f"tcp://{self.ip}:{self.ports[1]}", actor.bind_patience)

    def on_readable(self, sock: zmq.Socket) -> None:
        if sock is self.pub:
            admit_subscriptions(sock, TOPICS, self.guard_out)
            return
        now = time.monotonic()
        for frame in drain(sock):
            self._handle(frame, peer_address(frame), peer_key(frame) if self.curve else None, now)
        self._serve(now)

    def _serve(self, now: float) -> None:
        """Publish the accepted chats whose turn has come (core/fairshare.py)."""
        for data in self.share.serve(now):
            self._publish(data)

    def _handle(self, frame: zmq.Frame, addr: str, key: str | None, now: float) -> None:
        try:
            msg = decode(frame.bytes, expect=("say", "says", "hb", "leave", "sealed"), max_bytes=self.limits.max_frame_bytes)
        except CodecError as exc:
            self.malformed.count(addr, exc)
            return
        if self.closing:
            return  # after a handover nothing more is confirmed here; senders resend to the successor
        if msg["k"] == "hb":
            self.state.touch(msg["node_id"], addr, now)
            return
        if msg["k"] == "leave":
            member = self.state.member(msg["node_id"])
            if member is not None and member.addr == addr and self.state.leave(msg["node_id"], now):
                self._change_soon(now)
            return
        if msg["k"] == "sealed":
            return self._forward_sealed(msg, addr, key, now)
        try:
            if self.share.full(addr):
                raise _QUEUE_FULL
            if msg["k"] == "says":
                chats = self.state.accept_batch(msg["node_id"], addr, msg["first"], msg["texts"], time.time(), now, key,
                                                msg["sig"])
                self.share.offer(addr, chats[0]["ts"], encode("chats", **chats_fields(chats)), len(chats))
            else:
                chat = self.state.accept(msg["node_id"], addr, msg["seq"], msg["text"], time.time(), now, key,
                                         msg["sig"])
                self.share.offer(addr, chat["ts"], encode("chat", **chat))
        except ValidationError as exc:
            if exc.code == Code.NOT_REGISTERED:  # keyed by address: random node ids must not log once each
                self.malformed.count(addr, exc.detail)
            else:
                self._notice(msg["node_id"], exc, now)

    def _forward_sealed(self, msg: dict[str, Any], addr: str, key: str | None, now: float) -> None:
        """A direct message that found no direct path: from a member, to a member, at the
        member's direct-message rate. It goes out on the PUB like a chat, but sealed: only its
        recipient can open it, every other member drops it unread (docs/protocol.md)."""
        member = self.state.member(msg["node_id"])
        if member is None or member.addr != addr or (key is not None and curve_public(member.key) != key):
            self.malformed.count(addr, "a sealed message from an unregistered sender")
            return
        if not any(m.key == msg["to"] for m in self.state.members()):
            return  # the recipient left; the sender keeps the message and tries again later
        bucket = self._sealed_rate.get(member.node_id)
        if bucket is None:
            if len(self._sealed_rate) >= self.limits.max_members:
                self._sealed_rate.clear()
            bucket = self._sealed_rate[member.node_id] = TokenBucket(self.limits.dm_rate_per_s,
                                                                     self.limits.dm_burst, now)
        if bucket.take(now):
            self.state.touch(member.node_id, addr, now)
            self._publish(encode("sealed_to", to=msg["to"], box=msg["box"]))

    def _notice(self, node_id: str, exc: ValidationError, now: float) -> None:
        """Tell the offender why, at most once a second per (member, reason)."""
        key = (node_id, exc.code)
        if now - self._noticed.get(key, -10.0) >= 1.0:
            if len(self._noticed) > 4 * self.limits.max_members:
                self._noticed.clear()
            self._noticed[key] = now
            self._publish(encode("notice", to=node_id, code=exc.code, detail=exc.detail))

    def _publish(self, data: bytes) -> None:
        if self.tap is not None:
            self.tap(data)
        try:
            self.pub.send(data, zmq.NOBLOCK)
        except zmq.Again:
            log.warning("relay queue full; receivers will fetch the gap from the backlog")

    def publish_roster(self) -> None:
        """Soon, not at the next beat: the members see a newcomer within DELTA_GAP_S."""
        self._change_soon(time.monotonic())

    def _change_soon(self, now: float) -> None:
        """A change goes out at once if none went out within DELTA_GAP_S, else with the others
        that come meanwhile, in one delta when the gap is over."""
        if now - self._change_sent >= DELTA_GAP_S:
            self._publish_change(now)
        elif self._change_due is None:
            self._change_due = self._change_sent + DELTA_GAP_S

    def farewell(self, data: bytes) -> None:
        """Publish what waits for its turn, then a handover or redirect; from now on nothing is
        confirmed here."""
        self.closing = True
        for chat in self.share.flush():
            self._publish(chat)
        self._publish(data)

    def on_tick(self, now: float) -> None:
        if self.share.waiting() and not self.closing:
            self._serve(now)
        if self._change_due is not None and now >= self._change_due and not self.closing:
            self._publish_change(now)
        if self.closing or now < self._next_roster:
            return
        self.state.expire(now, self.timings.member_timeout)
        self._beats += 1
        if self._beats >= FULL_ROSTER_EVERY:
            self._publish_roster(now)
        elif self.state.version != self._roster_version:
            self._publish_change(now)
        else:
            self._next_roster = now + self.timings.heartbeat
            self._publish(encode("beat", **self.state.beat(now, within=2 * self.timings.heartbeat)))

    def _publish_change(self, now: float) -> None:
        """What changed since the last roster or delta we published; the whole roster when a
        delta cannot say it."""
        self._change_due = None
        if self.state.version == self._roster_version:
            return  # a full roster said it already
        delta = self.state.delta(self._roster_version, now, within=2 * self.timings.heartbeat)
        if delta is None:
            return self._publish_roster(now)
        self._change_sent = now  # the beats keep their pace: a room that changes every heartbeat still gets its full roster
        self._roster_version = delta["version"]
        self._publish(encode("roster_delta", **delta))

    def _publish_roster(self, now: float) -> None:
        self._next_roster, self._change_sent, self._change_due = now + self.timings.heartbeat, now, None
        self._beats = 0
        roster = self.state.roster(now)
        self._roster_version = roster["version"]
        self._publish(encode("roster", **roster))

    def poll_timeout_ms(self) -> int:
        """The next beat or roster change; chats held by the credit wait for the display's wake
        (core/fairshare.py), or for its stall."""
        if self.closing:
            return 1000
        held = self.share.due()
        due = self._next_roster if self._change_due is None else min(self._next_roster, self._change_due)
        return until(due if held is None else min(due, held))
