"""The member's PUSH to the host's relay; also carries the member's heartbeat."""

from __future__ import annotations


import zmq

from ..core.codec import encode
from ..core.config import Limits, Timings
from ..core.crypto import SocketKeys
from ..core.dispatch import Handlers
from ..core.lazylog import Log
from .actor import Emit, until
from .hostlink import HostLink
from .messages import Connect, Send

log = Log(__name__)


class Sender(HostLink):
    """Commands: Connect, Send. A frame that cannot go now is dropped: the engine keeps every
    unconfirmed message and resends it."""

    name = "sender"
    commands: Handlers[type] = Handlers(name)

    def __init__(self, ctx: zmq.Context, emit: Emit, node_id: str, source: str, port: int,
                 timings: Timings, limits: Limits, curve: SocketKeys | None = None) -> None:
        super().__init__(ctx, emit, source, port, timings, limits, curve)
        self.hb = encode("hb", node_id=node_id)
        self.push: zmq.Socket | None = None
        self._next_hb = 0.0
        self._beating = False  # heartbeats go to another node's relay; our own needs none

    @commands.on(Connect)
    def _connect(self, command: Connect) -> None:
        if self.push is not None:
            self.drop_socket(self.push)
        self.push = self.open_to(zmq.PUSH, command.host, self.limits.max_frame_bytes, poll=False,
                                 prepare=lambda s: s.setsockopt(zmq.IMMEDIATE, 1))
        self._next_hb = 0.0
        self._beating = not command.own

    @commands.on(Send)
    def _on_send(self, command: Send) -> None:
        self._send(command.frame)

    def _send(self, frame: bytes) -> None:
        if self.push is None:
            return
        try:
            self.push.send(frame, zmq.NOBLOCK)
        except zmq.Again:
            log.debug("no connection to the host yet; the engine will resend")

    def on_tick(self, now: float) -> None:
        if self._beating and now >= self._next_hb:
            self._next_hb = now + self.timings.heartbeat
            self._send(self.hb)

    def poll_timeout_ms(self) -> int | None:
        return until(self._next_hb) if self._beating else super().poll_timeout_ms()
