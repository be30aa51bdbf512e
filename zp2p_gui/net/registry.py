"""userManagerNameserver: the host's REP socket for register, leave, fetch and ping."""

from __future__ import annotations

import logging
import time
from typing import Any

import zmq

from .. import PROTOCOL_VERSION
from ..core.codec import CodecError, VersionError, decode, encode
from ..core.config import Limits
from ..core.room import HostState
from ..core.validation import ValidationError
from .actor import Actor, Emit, bind_with_retry, drain, peer_address, tune
from .malformed import MalformedCounter

log = logging.getLogger(__name__)


class Registry(Actor):
    """Emits ("roster_changed",) after a join or leave so the engine can publish at once."""

    name = "registry"

    def __init__(self, ctx: zmq.Context, emit: Emit, ip: str, port: int, state: HostState, limits: Limits) -> None:
        super().__init__(ctx, emit)
        self.ip = ip
        self.port = port
        self.state = state
        self.limits = limits
        self.malformed = MalformedCounter(log, "registry")

    def setup(self) -> None:
        rep = tune(self.ctx.socket(zmq.REP), self.limits, bound=True)
        bind_with_retry(rep, f"tcp://{self.ip}:{self.port}")
        self.add_socket(rep)

    def on_readable(self, sock: zmq.Socket) -> None:
        for frames in drain(sock, multipart=True):
            addr = peer_address(frames[0])
            reply = self.answer(frames, addr)
            sock.send(reply)

    def answer(self, frames: list[zmq.Frame], addr: str) -> bytes:
        """Every request gets a reply, or the REP socket would wedge on a hostile peer."""
        try:
            if len(frames) != 1:
                raise CodecError("expected one frame")
            req = decode(frames[0].bytes, expect=("register", "leave", "fetch", "ping"))
        except VersionError as exc:
            return encode("refused", code="incompatible_version", detail=str(exc))
        except CodecError as exc:
            self.malformed.count(addr, exc)
            return encode("refused", code="bad_request", detail=str(exc)[:200])
        handler = getattr(self, f"_on_{req['k']}")
        return handler(req, addr)

    def _on_register(self, req: dict[str, Any], addr: str) -> bytes:
        if req["proto"] != PROTOCOL_VERSION:
            return encode("refused", code="incompatible_version",
                          detail=f"protocol {req['proto']}, the host speaks {PROTOCOL_VERSION}")
        if req["room"] != self.state.room:
            return encode("refused", code="wrong_room", detail=f"this host serves room {self.state.room!r}")
        try:
            before = self.state.version
            self.state.register(req["node_id"], req["nick"], addr, req["key"], time.monotonic())
        except ValidationError as exc:
            return encode("refused", code=exc.code, detail=exc.detail)
        if self.state.version != before:
            self.emit(("roster_changed",))
        return encode("welcome", **self.state.welcome())

    def _on_leave(self, req: dict[str, Any], addr: str) -> bytes:
        member = self.state.member(req["node_id"])
        if member is not None and member.addr == addr and self.state.leave(req["node_id"]):
            self.emit(("roster_changed",))
        return encode("ok")

    def _on_fetch(self, req: dict[str, Any], addr: str) -> bytes:
        if not self.state.touch(req["node_id"], addr, time.monotonic()):
            return encode("refused", code="not_registered", detail="register first")
        return encode("history", messages=self.state.history(req["sender"], req["first"], req["last"]))

    def _on_ping(self, req: dict[str, Any], addr: str) -> bytes:
        if not self.state.touch(req["node_id"], addr, time.monotonic()):
            return encode("refused", code="not_registered", detail="register first")
        return encode("pong", t=time.time())
