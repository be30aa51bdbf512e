"""userManagerNameserver: the host's REP socket for register, fetch and ping. (A member leaves on
its PUSH stream, so the leave is ordered after its last messages.) A part of the host actor
(net/host.py), which owns the room's HostState; this runs only in that actor's thread.

A peer that asks and never reads must not make the host queue replies: each source address has a
request budget (beyond it the answer is a short `refused{rate_limited}`), the send queue per
connection is short (replies beyond it are dropped by zmq), and a `welcome` or `history` carries
one page of the backlog at most (core/backlog.py)."""

from __future__ import annotations

import logging
import time
from typing import Any, Callable

import zmq

from .. import PROTOCOL_VERSION
from ..core.codec import CodecError, VersionError, decode, encode
from ..core.config import Limits
from ..core.crypto import SocketKeys
from ..core.errors import Code
from ..core.ratelimit import AddressBuckets
from ..core.room import HostState
from ..core.signing import curve_public, registration_proven
from ..core.validation import ValidationError
from .actor import Actor, bind_with_retry, drain, peer_address, peer_key, tune
from .admission import Guards
from .malformed import MalformedCounter

log = logging.getLogger(__name__)

REQUESTS_PER_S = 20.0  # per source address; a member pings every 2 s and fetches gaps at most every 0.5 s per sender
REQUEST_BURST = 50
SEND_QUEUE = 4  # replies queued per connection; a REQ never has more than one outstanding


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
        self.rep: zmq.Socket | None = None
        self.malformed = MalformedCounter(log, "registry")
        self.budgets = AddressBuckets(REQUESTS_PER_S, REQUEST_BURST)
        self.guards = Guards()

    def setup(self, actor: Actor) -> None:
        """Bind the REP socket in the host actor's thread, as one of its sockets, its guard's
        monitor polled by that actor too."""
        rep = tune(actor.ctx.socket(zmq.REP), self.limits, bound=True, curve=self.curve)
        rep.setsockopt(zmq.SNDHWM, SEND_QUEUE)
        self.rep = actor.add_socket(rep)  # before binding: a failed bind must still close it
        self.guards.watch(actor, rep, "registry")
        bind_with_retry(rep, f"tcp://{self.ip}:{self.port}")

    def on_readable(self, sock: zmq.Socket) -> None:
        for frames in drain(sock, multipart=True):
            addr = peer_address(frames[0])
            if self.budgets.take(addr, time.monotonic()):
                reply = self.answer(frames, addr, peer_key(frames[0]) if self.curve else None)
            else:
                reply = encode("refused", code=Code.RATE_LIMITED, detail="too many requests from this address")
            sock.send(reply)

    def answer(self, frames: list[zmq.Frame], addr: str, key: str | None = None) -> bytes:
        """Every request gets a reply, or the REP socket would wedge on a hostile peer.
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
