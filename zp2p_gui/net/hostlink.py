"""The member side's common shape: receiver and registration client (and the engine's own
sender, net/sender.py) each keep one socket to the current host, connected from this node's own address (so the host's
Peer-Address check sees who we are) and, in a private room, as a CURVE client."""

from __future__ import annotations

from typing import Callable

import zmq

from ..core.config import Limits, Timings
from ..core.crypto import SocketKeys
from .actor import Actor, Emit, tune
from .endpoints import tcp


class HostLink(Actor):
    def __init__(self, ctx: zmq.Context, emit: Emit, source: str, port: int, timings: Timings, limits: Limits,
                 curve: SocketKeys | None = None) -> None:
        super().__init__(ctx, emit)
        self.source = source
        self.port = port
        self.timings = timings
        self.limits = limits
        self.curve = curve
        self.host: str | None = None

    def open_to(self, kind: int, host: str, max_frame: int, poll: bool = True,
                prepare: Callable[[zmq.Socket], None] | None = None) -> zmq.Socket:
        """A tuned socket connected to host; `prepare` sets what must be in place before connecting."""
        sock = host_socket(self.ctx, kind, self.limits, self.curve, max_frame, host, self.port, self.source, prepare)
        self.host = host
        return self.add_socket(sock, poll)


def host_socket(ctx: zmq.Context, kind: int, limits: Limits, curve: SocketKeys | None, max_frame: int, host: str,
                port: int, source: str, prepare: Callable[[zmq.Socket], None] | None = None) -> zmq.Socket:
    """A tuned socket connected from our address to host's port (the sender's, in the engine
    thread, and every HostLink role's); `prepare` sets what must be in place before connecting."""
    sock = tune(ctx.socket(kind), limits, bound=False, reconnect_ms=100, reconnect_max_ms=1000, curve=curve)
    sock.setsockopt(zmq.MAXMSGSIZE, max_frame)
    if prepare is not None:
        prepare(sock)
    sock.connect(tcp(host, port, source))
    return sock
