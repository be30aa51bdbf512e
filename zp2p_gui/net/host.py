"""The host role: one actor thread that owns the room's HostState and runs the registry (ROUTER)
and the relay (PULL -> PUB) on it. One owner means no lock and no torn read: a register and a
chat are handled one after the other, and a join is published without a round trip through the
engine. The beacon stays its own actor: it only needs the description the engine gives it.

What the relay publishes also goes straight to this node's own engine, as the receiver would
have handed it over (decoded, in publish order, one Packets per poll round), so the host does not
hear its own room through TCP and its SUB (a lone chat is only parsed: codec.decode_own); the
receiver only watches that the relay still publishes (net/receiver.py, `own`)."""

from __future__ import annotations

import zmq

from ..core.codec import decode_own, encode
from ..core.config import Limits, Timings
from ..core.crypto import SocketKeys
from ..core.dispatch import Handlers
from ..core.room import HostState
from .actor import Emit
from .messages import Handover, Packets, Redirect, Serve
from .registry import Registry
from .relay import Relay
from .zap import CurveServer


class Host(CurveServer):
    """Commands: Handover, Redirect, Serve. `state` is touched only in this actor's thread once it runs."""

    name = "host"
    commands: Handlers[type] = Handlers(name)

    def __init__(self, ctx: zmq.Context, emit: Emit, ip: str, ports: tuple[int, int, int], state: HostState,
                 timings: Timings, limits: Limits, curve: SocketKeys | None = None) -> None:
        super().__init__(ctx, emit, curve)
        self.ip = ip
        self.limits = limits
        self._own: list[bytes] = []  # published since the last poll round, for our own engine
        self.relay = Relay(ip, ports[1], ports[2], state, timings, limits, curve, tap=self._own.append)
        self.registry = Registry(ip, ports[0], state, limits, curve, on_join=self.relay.publish_roster)

    def setup(self) -> None:
        super().setup()
        self.registry.setup(self)
        self.relay.setup(self)

    def on_readable(self, sock: zmq.Socket) -> None:
        if self.registry.guards.handle(sock) or self.relay.guards.handle(sock):
            return  # a connection guard's monitor (net/admission.py)
        if sock is self.registry.router:
            self.registry.on_readable(sock)
        else:
            self.relay.on_readable(sock)

    def on_tick(self, now: float) -> None:
        self.registry.resend(now)
        self.relay.on_tick(now)
        self._hand_own()

    def _hand_own(self) -> None:
        """This round's published frames to our engine in one Packets, decoded as a receiver
        decodes them (the engine takes them only while our address is its host)."""
        if not self._own:
            return
        batch = tuple(decode_own(frame, max_bytes=self.limits.max_frame_bytes * 64) for frame in self._own)
        self._own.clear()
        self.emit(Packets(self.ip, batch))

    def poll_timeout_ms(self) -> int:
        return min(self.relay.poll_timeout_ms(), self.registry.poll_timeout_ms() or 1000)

    @commands.on(Serve)
    def _serve(self, command: Serve) -> None:
        """Our display caught up with the relay's credit. The command's arrival is the point: it
        woke the poll, and on_tick, which runs next, publishes what waits."""

    @commands.on(Handover)
    def _handover(self, command: Handover) -> None:
        self.relay.farewell(encode("handover", successor=command.successor, addr=command.addr))

    @commands.on(Redirect)
    def _redirect(self, command: Redirect) -> None:
        self.relay.farewell(encode("redirect", addr=command.addr))
