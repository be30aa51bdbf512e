"""beaconNameserver: an XPUB that answers each new subscriber at once and beacons every period.

It keeps only the subscription the protocol uses (`NAMESERVER:`): XPUB_MANUAL, a whitelist and
a tiny inbound size, so a listener cannot make the host store arbitrary subscriptions."""

from __future__ import annotations

from typing import Any

import zmq

from ..core.codec import LEGACY_PREFIX, beacon_frames
from ..core.config import Limits
from ..core.dispatch import Handlers
from ..core.lazylog import Log
from .actor import Actor, Emit, bind_with_retry, tune, until
from .admission import Guards, admit_subscriptions, manual_xpub
from .messages import UpdateBeacon

log = Log(__name__)

TOPICS = frozenset({LEGACY_PREFIX})
MAX_INBOUND = 64  # a SUB's handshake (25 bytes) and the `NAMESERVER:` subscription fit; nothing else does
# Searching nodes connect without choosing a source address, so every node of one machine (all of
# them on loopback) arrives from the same address; each connection holds one short subscription.
SEARCHERS_PER_ADDRESS = 256


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
        self.guards = Guards()

    def setup(self) -> None:
        pub = manual_xpub(tune(self.ctx.socket(zmq.XPUB), self.limits, bound=True), MAX_INBOUND)
        pub.setsockopt(zmq.SNDHWM, 100)
        self.add_socket(pub)  # before binding: a failed bind must still close it
        self.guard = self.guards.watch(self, pub, "beacon", per_address=SEARCHERS_PER_ADDRESS)
        bind_with_retry(pub, f"tcp://{self.ip}:{self.port}", self.bind_patience)

    def on_readable(self, sock: zmq.Socket) -> None:
        if not self.guards.handle(sock) and admit_subscriptions(sock, TOPICS, self.guard):
            self._send(sock)  # a new subscriber hears the beacon at once

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
