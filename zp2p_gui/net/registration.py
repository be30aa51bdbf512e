"""The member's REQ to the host's registry, one request at a time (lazy pirate: a request that
times out closes the socket, since a REQ cannot send again before it hears back)."""

from __future__ import annotations

import time
from collections import deque

import zmq

from ..core.codec import CodecError, decode
from ..core.config import Limits, Timings
from ..core.crypto import SocketKeys
from ..core.dispatch import Handlers
from ..core.lazylog import Log
from .actor import Emit, drain, until
from .hostlink import HostLink
from .messages import Connect, Purpose, Reply, Request

log = Log(__name__)

REPLIES = ("welcome", "refused", "history", "pong")


class RegistrationClient(HostLink):
    """Commands: Connect, Request. Emits a Reply per request, with the request's purpose; its msg
    None means no valid answer within request_timeout."""

    name = "registration"
    commands: Handlers[type] = Handlers(name)

    def __init__(self, ctx: zmq.Context, emit: Emit, source: str, port: int, timings: Timings, limits: Limits,
                 curve: SocketKeys | None = None) -> None:
        super().__init__(ctx, emit, source, port, timings, limits, curve)
        self.req: zmq.Socket | None = None
        self.queue: deque[Request] = deque(maxlen=1000)
        self.pending: tuple[Purpose, float] | None = None

    @commands.on(Connect)
    def _connect(self, command: Connect) -> None:
        self.host = command.host
        self.queue.clear()
        self._reopen()
        self._next()

    @commands.on(Request)
    def _request(self, command: Request) -> None:
        self.queue.append(command)
        self._next()

    def _reopen(self) -> None:
        if self.req is not None:
            self.drop_socket(self.req)
        self.pending = None
        self.req = self.open_to(zmq.REQ, self.host, self.limits.max_frame_bytes * 256)

    def _next(self) -> None:
        if self.pending is not None or not self.queue or self.req is None:
            return
        request = self.queue.popleft()
        self.req.send(request.frame)
        self.pending = (request.purpose, time.monotonic() + self.timings.request_timeout)

    def on_readable(self, sock: zmq.Socket) -> None:
        frames = list(drain(sock, limit=1))
        if not frames or self.pending is None:
            return
        frame = frames[0].bytes
        tag = self.pending[0]
        self.pending = None
        try:
            msg = decode(frame, expect=REPLIES, max_bytes=self.limits.max_frame_bytes * 256)
        except CodecError as exc:
            log.warning("host sent an invalid reply: %s", exc)
            msg = None
        self.emit(Reply(tag, msg))
        self._next()

    def on_tick(self, now: float) -> None:
        if self.pending is not None and now > self.pending[1]:
            tag = self.pending[0]
            self._reopen()
            self.emit(Reply(tag, None))
            self._next()

    def poll_timeout_ms(self) -> int | None:
        return until(self.pending[1]) if self.pending is not None else super().poll_timeout_ms()


class MergeChecker(RegistrationClient):
    """A second registration client, started only while a host asks another host of its room to
    welcome it (MergeCheck), so the engine's own registration stays pointed at its own host."""

    name = "merge"
