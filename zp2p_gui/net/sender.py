"""The member's PUSH to the host's relay; also carries the member's heartbeat.

Not an actor: the engine thread creates, uses and closes this socket itself, so a message it
has just signed goes onto the wire from that thread, without a command over an inproc pipe and
the wake-up of another thread (one of the hops a chat took on its way to the room). The engine
sends the heartbeat from its own loop too, when `next_beat` says it is due."""

from __future__ import annotations

import zmq

from ..core.codec import encode
from ..core.config import Limits, Timings
from ..core.crypto import SocketKeys
from ..core.lazylog import Log
from .hostlink import host_socket

log = Log(__name__)


class Sender:
    """A frame that cannot go now is dropped: the engine keeps every unconfirmed message and
    resends it. Every method runs in the engine thread."""

    def __init__(self, ctx: zmq.Context, node_id: str, source: str, port: int, timings: Timings, limits: Limits,
                 curve: SocketKeys | None = None) -> None:
        self.ctx = ctx
        self.source = source
        self.port = port
        self.timings = timings
        self.limits = limits
        self.curve = curve
        self.hb = encode("hb", node_id=node_id)
        self.push: zmq.Socket | None = None
        self._next_hb = 0.0
        self._beating = False  # heartbeats go to another node's relay; our own needs none

    def connect(self, host: str, own: bool = False) -> None:
        """(Re)connect to the relay of the host at `host`; `own`: that host is this node."""
        self.close()
        self.push = host_socket(self.ctx, zmq.PUSH, self.limits, self.curve, self.limits.max_frame_bytes,
                                host, self.port, self.source, prepare=lambda s: s.setsockopt(zmq.IMMEDIATE, 1))
        self._next_hb = 0.0
        self._beating = not own

    def send(self, frame: bytes) -> None:
        if self.push is None:
            return
        try:
            self.push.send(frame, zmq.NOBLOCK)
        except zmq.Again:
            log.debug("no connection to the host yet; the engine will resend")

    def beat(self, now: float) -> None:
        """The heartbeat, if it is due."""
        if self._beating and now >= self._next_hb:
            self._next_hb = now + self.timings.heartbeat
            self.send(self.hb)

    def next_beat(self) -> float | None:
        """When the next heartbeat is due (monotonic), None while there is none to send."""
        return self._next_hb if self._beating else None

    def close(self) -> None:
        if self.push is not None:
            self.push.close(0)
            self.push = None
        self._beating = False
