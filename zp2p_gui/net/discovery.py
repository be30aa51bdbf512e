"""searchNameServer: a SUB connected to every address of the scan ranges on the beacon port."""

from __future__ import annotations


import zmq

from ..core.codec import LEGACY_PREFIX, CodecError, parse_beacon
from ..core.config import Limits
from ..core.lazylog import Log
from .actor import Actor, Emit, drain, peer_address, tune
from .malformed import MalformedCounter
from .messages import BeaconHeard

log = Log(__name__)

# Addresses connected per turn of the loop, a turn every TURN_MS: connecting a /24 at once took
# 10-20 ms of the thread (and the I/O thread's 253 refused or unanswered connections) while the
# engine was making its identity and member roles, both before a join can start; paced, a host
# near the start of the range is heard after the first turns and the engine stops the rest.
CONNECTS_PER_TURN = 16
TURN_MS = 1


class Discovery(Actor):
    """Emits BeaconHeard for every valid beacon; an invalid one is counted, never passed on."""

    name = "discovery"

    def __init__(self, ctx: zmq.Context, emit: Emit, targets: list[str], port: int, limits: Limits,
                 reconnect_ms: int = 1000, reconnect_max_ms: int = 5000) -> None:
        super().__init__(ctx, emit)
        self.targets = targets
        self.port = port
        self.limits = limits
        self.reconnect_ms = reconnect_ms
        self.reconnect_max_ms = reconnect_max_ms
        self.malformed = MalformedCounter(log, "discovery")
        self._unconnected: list[str] = []

    def setup(self) -> None:
        sub = tune(self.ctx.socket(zmq.SUB), self.limits, bound=False,
                   reconnect_ms=self.reconnect_ms, reconnect_max_ms=self.reconnect_max_ms)
        sub.setsockopt(zmq.MAXMSGSIZE, 8192)
        sub.setsockopt(zmq.RCVHWM, 1000)
        sub.setsockopt(zmq.SUBSCRIBE, LEGACY_PREFIX)
        self.add_socket(sub)
        self._unconnected = list(self.targets)
        self._connect_turn()

    def _connect_turn(self) -> None:
        """The next addresses of the scan, in order."""
        turn, self._unconnected = self._unconnected[:CONNECTS_PER_TURN], self._unconnected[CONNECTS_PER_TURN:]
        for ip in turn:
            self.sockets[0].connect(f"tcp://{ip}:{self.port}")

    def on_tick(self, now: float) -> None:
        if self._unconnected:
            self._connect_turn()

    def poll_timeout_ms(self) -> int:
        return TURN_MS if self._unconnected else super().poll_timeout_ms()

    def on_readable(self, sock: zmq.Socket) -> None:
        for parts in drain(sock, multipart=True):
            frames = [p.bytes for p in parts]
            try:
                ip, desc = parse_beacon(frames)
            except CodecError as exc:
                self.malformed.count(frames[0][:40].decode("ascii", "replace"), exc)
                continue
            if ip != peer_address(parts[0]):
                self.malformed.count(ip, "beacon names another address than the one it came from")
                continue
            self.emit(BeaconHeard(ip, desc))
