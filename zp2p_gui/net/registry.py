"""userManagerNameserver: the host's REP socket for register, fetch and ping. (A member leaves on
its PUSH stream, so the leave is ordered after its last messages.)

A peer that asks and never reads must not make the host queue replies: each source address has a
request budget (beyond it the answer is a short `refused{rate_limited}`), the send queue per
connection is short (replies beyond it are dropped by zmq), and a `welcome` or `history` carries
at most a fixed number of bytes of chat."""

from __future__ import annotations

import logging
import time
from typing import Any

import zmq

from .. import PROTOCOL_VERSION
from ..core.budget import HISTORY_BYTES, WELCOME_BACKLOG_BYTES, newest_within, oldest_within
from ..core.codec import CodecError, VersionError, decode, encode
from ..core.config import Limits
from ..core.crypto import SocketKeys, check_public_key
from ..core.ratelimit import AddressBuckets
from ..core.room import HostState
from ..core.validation import ValidationError
from .actor import Emit, bind_with_retry, drain, peer_address, peer_key, tune
from .admission import Guards
from .malformed import MalformedCounter
from .zap import CurveServer

log = logging.getLogger(__name__)

REQUESTS_PER_S = 20.0  # per source address; a member pings every 2 s and fetches gaps at most every 0.5 s per sender
REQUEST_BURST = 50
SEND_QUEUE = 4  # replies queued per connection; a REQ never has more than one outstanding


class Registry(CurveServer):
    """Emits ("roster_changed",) after a join so the engine can publish at once."""

    name = "registry"

    def __init__(self, ctx: zmq.Context, emit: Emit, ip: str, port: int, state: HostState, limits: Limits,
                 curve: SocketKeys | None = None) -> None:
        super().__init__(ctx, emit, curve)
        self.ip = ip
        self.port = port
        self.state = state
        self.limits = limits
        self.malformed = MalformedCounter(log, "registry")
        self.budgets = AddressBuckets(REQUESTS_PER_S, REQUEST_BURST)
        self.guards = Guards(self)

    def setup(self) -> None:
        super().setup()
        rep = tune(self.ctx.socket(zmq.REP), self.limits, bound=True, curve=self.curve)
        rep.setsockopt(zmq.SNDHWM, SEND_QUEUE)
        self.add_socket(rep)  # before binding: a failed bind must still close it
        self.guards.watch(rep, "registry")
        bind_with_retry(rep, f"tcp://{self.ip}:{self.port}")

    def on_readable(self, sock: zmq.Socket) -> None:
        if self.guards.handle(sock):
            return
        for frames in drain(sock, multipart=True):
            addr = peer_address(frames[0])
            if self.budgets.take(addr, time.monotonic()):
                reply = self.answer(frames, addr, peer_key(frames[0]) if self.curve else None)
            else:
                reply = encode("refused", code="rate_limited", detail="too many requests from this address")
            sock.send(reply)

    def on_close(self) -> None:
        self.guards.close()
        super().on_close()

    def answer(self, frames: list[zmq.Frame], addr: str, key: str | None = None) -> bytes:
        """Every request gets a reply, or the REP socket would wedge on a hostile peer.
        key is the CURVE-authenticated identity of the peer (None in an open room)."""
        try:
            if len(frames) != 1:
                raise CodecError("expected one frame")
            req = decode(frames[0].bytes, expect=("register", "fetch", "ping"))
        except VersionError as exc:
            return encode("refused", code="incompatible_version", detail=str(exc))
        except CodecError as exc:
            self.malformed.count(addr, exc)
            return encode("refused", code="bad_request", detail=str(exc)[:200])
        if req["k"] == "register":
            return self._on_register(req, addr, key)
        handler = getattr(self, f"_on_{req['k']}")
        return handler(req, addr)

    def _on_register(self, req: dict[str, Any], addr: str, key: str | None) -> bytes:
        if req["proto"] != PROTOCOL_VERSION:
            return encode("refused", code="incompatible_version",
                          detail=f"protocol {req['proto']}, the host speaks {PROTOCOL_VERSION}")
        if req["room"] != self.state.room:
            return encode("refused", code="wrong_room", detail=f"this host serves room {self.state.room!r}")
        if key is not None and req["key"] != key:
            return encode("refused", code="key_mismatch", detail="the registered key is not the one you connected with")
        try:
            check_public_key(req["key"])
            before = self.state.version
            self.state.register(req["node_id"], req["nick"], addr, req["key"], time.monotonic())
        except ValidationError as exc:
            return encode("refused", code=exc.code, detail=exc.detail)
        if self.state.version != before:
            self.emit(("roster_changed",))
        welcome = self.state.welcome()
        welcome["backlog"] = newest_within(welcome["backlog"], WELCOME_BACKLOG_BYTES)
        return encode("welcome", **welcome)

    def _on_fetch(self, req: dict[str, Any], addr: str) -> bytes:
        if not self.state.touch(req["node_id"], addr, time.monotonic()):
            return encode("refused", code="not_registered", detail="register first")
        messages = self.state.history(req["sender"], req["first"], req["last"])
        return encode("history", messages=oldest_within(messages, HISTORY_BYTES))

    def _on_ping(self, req: dict[str, Any], addr: str) -> bytes:
        if not self.state.touch(req["node_id"], addr, time.monotonic()):
            return encode("refused", code="not_registered", detail="register first")
        return encode("pong", t=time.time())
