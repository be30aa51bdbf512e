"""userManagerNameserver: the host's registry for register, fetch and ping. (A member leaves on
its PUSH stream, so the leave is ordered after its last messages.) A part of the host actor
(net/host.py), which owns the room's HostState; this runs only in that actor's thread.

A peer that asks and never reads must not make the host queue replies: each source address has a
request budget (beyond it the answer is a short `refused{rate_limited}`), the send queue per
connection is short, and a `welcome` or `history` carries one page of the backlog at most
(core/backlog.py).

The socket is a ROUTER speaking REP's envelope, not a REP: with a send queue this short, libzmq
sometimes counts a connection's queue as full although its peer has read everything (the peer's
read count reaches the writer late), and a REP then drops the reply without a word; the member's
REQ waited for it in vain (1 registration in ~50 when one address asked as fast as it was
answered). With ROUTER_MANDATORY the full queue is an error we see: the reply waits here and is
sent again within milliseconds, one per connection, for a few seconds at most."""

from __future__ import annotations

import time
from typing import Any, Callable

import zmq

from .. import PROTOCOL_VERSION
from ..core.codec import CodecError, VersionError, decode, encode
from ..core.config import Limits
from ..core.crypto import SocketKeys
from ..core.errors import Code
from ..core.lazylog import Log
from ..core.ratelimit import AddressBuckets
from ..core.room import HostState
from ..core.signing import curve_public, registration_proven
from ..core.validation import ValidationError
from .actor import Actor, bind_with_retry, drain, peer_address, peer_key, tune
from .admission import Guards
from .malformed import MalformedCounter

log = Log(__name__)

REQUESTS_PER_S = 20.0  # per source address; a member pings every 2 s and fetches gaps at most every 0.5 s per sender
REQUEST_BURST = 50
SEND_QUEUE = 4  # replies queued per connection; a REQ never has more than one outstanding
RESEND_MS = 5  # how soon a reply the socket refused is offered again
RESEND_FOR_S = 3.0  # then it is dropped: a peer that reads nothing for this long is not a REQ waiting
MAX_UNSENT = 1024  # replies waiting at once, all connections together


class Registry:
    """Calls on_join after a register that changed the roster, so the relay publishes at once."""

    def __init__(self, ip: str, port: int, state: HostState, limits: Limits, curve: SocketKeys | None = None,
                 on_join: Callable[[], None] = lambda: None) -> None:
        self.ip = ip
        self.port = port
        self.state = state
        self.limits = limits
        self.curve = curve
        self.on_join = on_join
        self.router: zmq.Socket | None = None
        self.malformed = MalformedCounter(log, "registry")
        self.budgets = AddressBuckets(REQUESTS_PER_S, REQUEST_BURST)
        self.guards = Guards()
        self.unsent: dict[bytes, tuple[bytes, float]] = {}  # routing id -> (reply, give up at)

    def setup(self, actor: Actor) -> None:
        """Bind the ROUTER in the host actor's thread, as one of its sockets, its guard's
        monitor polled by that actor too."""
        router = tune(actor.ctx.socket(zmq.ROUTER), self.limits, bound=True, curve=self.curve)
        router.setsockopt(zmq.SNDHWM, SEND_QUEUE)
        router.setsockopt(zmq.ROUTER_MANDATORY, 1)  # a full queue raises instead of dropping the reply
        self.router = actor.add_socket(router)  # before binding: a failed bind must still close it
        self.guards.watch(actor, router, "registry")
        bind_with_retry(router, f"tcp://{self.ip}:{self.port}", actor.bind_patience)

    def on_readable(self, sock: zmq.Socket) -> None:
        now = time.monotonic()
        for frames in drain(sock, multipart=True):
            routing_id, body = frames[0].bytes, frames[2:]
            if len(frames) < 3 or frames[1].bytes or routing_id in self.unsent:
                continue  # not a REQ's envelope, or a peer asking again before reading its answer
            addr = peer_address(body[0])
            if self.budgets.take(addr, now):
                reply = self.answer(body, addr, peer_key(body[0]) if self.curve else None)
            else:
                reply = encode("refused", code=Code.RATE_LIMITED, detail="too many requests from this address")
            self._send(routing_id, reply, now + RESEND_FOR_S)

    def resend(self, now: float) -> None:
        """Offer the replies the socket refused again; drop those past their time."""
        for routing_id, (reply, until_) in list(self.unsent.items()):
            del self.unsent[routing_id]
            if now < until_:
                self._send(routing_id, reply, until_)

    def poll_timeout_ms(self) -> int | None:
        """RESEND_MS while a reply waits, else None (nothing to time)."""
        return RESEND_MS if self.unsent else None

    def _send(self, routing_id: bytes, reply: bytes, until_: float) -> None:
        assert self.router is not None
        try:
            self.router.send_multipart([routing_id, b"", reply], zmq.NOBLOCK)
        except zmq.Again:  # its queue is full, or looks full for a moment
            if len(self.unsent) < MAX_UNSENT:
                self.unsent[routing_id] = (reply, until_)
        except zmq.ZMQError as exc:
            if exc.errno != zmq.EHOSTUNREACH:  # the peer hung up: nobody waits for the reply
                raise

    def answer(self, frames: list[zmq.Frame], addr: str, key: str | None = None) -> bytes:
        """Every well-formed request gets a reply: a REQ cannot ask again until it hears one.
        key is the CURVE-authenticated identity of the peer (None in an open room)."""
        try:
            if len(frames) != 1:
                raise CodecError("expected one frame")
            req = decode(frames[0].bytes, expect=("register", "fetch", "ping"))
        except VersionError as exc:
            return encode("refused", code=Code.INCOMPATIBLE_VERSION, detail=str(exc))
        except CodecError as exc:
            self.malformed.count(addr, exc)
            return encode("refused", code=Code.BAD_REQUEST, detail=str(exc)[:200])
        if req["k"] == "register":
            return self._on_register(req, addr, key)
        handler = getattr(self, f"_on_{req['k']}")
        return handler(req, addr)

    def _on_register(self, req: dict[str, Any], addr: str, key: str | None) -> bytes:
        if req["proto"] != PROTOCOL_VERSION:
            return encode("refused", code=Code.INCOMPATIBLE_VERSION,
                          detail=f"protocol {req['proto']}, the host speaks {PROTOCOL_VERSION}")
        if req["room"] != self.state.room:
            return encode("refused", code=Code.WRONG_ROOM, detail=f"this host serves room {self.state.room!r}")
        try:
            curve = curve_public(req["key"])  # refuses a key that is no Ed25519 key (bad_key), in any room
            if key is not None and curve != key:
                return encode("refused", code=Code.KEY_MISMATCH, detail="the registered key is not the one you connected with")
            if not registration_proven(req, self.state.room, self.ip, addr):
                return encode("refused", code=Code.UNPROVEN_KEY,
                              detail="the registration is not signed by the holder of its key for this host and address")
            before = self.state.version
            self.state.register(req["node_id"], req["nick"], addr, req["key"], time.monotonic())
        except ValidationError as exc:
            return encode("refused", code=exc.code, detail=exc.detail)
        if self.state.version != before:
            self.on_join()
        return encode("welcome", **self.state.welcome())

    def _on_fetch(self, req: dict[str, Any], addr: str) -> bytes:
        if not self.state.touch(req["node_id"], addr, time.monotonic()):
            return encode("refused", code=Code.NOT_REGISTERED, detail="register first")
        return encode("history", messages=self.state.history(req["sender"], req["first"], req["last"]))

    def _on_ping(self, req: dict[str, Any], addr: str) -> bytes:
        if not self.state.touch(req["node_id"], addr, time.monotonic()):
            return encode("refused", code=Code.NOT_REGISTERED, detail="register first")
        return encode("pong", t=time.time())
