"""beaconNameserver: an XPUB that answers each new subscriber at once and beacons every period."""

from __future__ import annotations

import logging
from typing import Any

import zmq

from ..core.codec import beacon_frames
from ..core.config import Limits
from ..core.dispatch import Handlers
from .actor import Actor, Emit, bind_with_retry, drain, tune, until
from .messages import UpdateBeacon

log = logging.getLogger(__name__)


class Beacon(Actor):
    """Commands: UpdateBeacon."""

    name = "beacon"
    commands: Handlers[type] = Handlers(name)

    def __init__(self, ctx: zmq.Context, emit: Emit, ip: str, port: int, desc: dict[str, Any],
                 period: float, limits: Limits) -> None:
        super().__init__(ctx, emit)
        self.ip = ip
        self.port = port
        self.frames = beacon_frames(ip, **desc)
        self.period = period
        self.limits = limits
        self._next = 0.0

    def setup(self) -> None:
        pub = tune(self.ctx.socket(zmq.XPUB), self.limits, bound=True)
        pub.setsockopt(zmq.XPUB_VERBOSE, 1)
        pub.setsockopt(zmq.SNDHWM, 100)
        pub.setsockopt(zmq.MAXMSGSIZE, 1024)
        self.add_socket(pub)  # before binding: a failed bind must still close it
        bind_with_retry(pub, f"tcp://{self.ip}:{self.port}")

    def on_readable(self, sock: zmq.Socket) -> None:
        answer = False
        for frame in drain(sock):
            answer = answer or frame.bytes[:1] == b"\x01"
        if answer:
            self._send(sock)

    @commands.on(UpdateBeacon)
    def _update(self, command: UpdateBeacon) -> None:
        self.frames = beacon_frames(self.ip, **command.desc)
        self._send(self.sockets[0])

    def on_tick(self, now: float) -> None:
        if now >= self._next:
            self._next = now + self.period
            self._send(self.sockets[0])

    def poll_timeout_ms(self) -> int:
        return until(self._next)

    def _send(self, sock: zmq.Socket) -> None:
        try:
            sock.send_multipart(self.frames, zmq.NOBLOCK)
        except zmq.Again:
            log.debug("beacon queue full; next period")
