"""The member's SUB on the host's relay. It notices a lost host: a dropped TCP connection
(instant on a crash) or no traffic for host_timeout (a frozen host, a pulled cable).

It runs in the engine thread (`Actor.run_inline`, engine/inbox.py): the engine's one poll
includes its sockets, so a relayed message wakes one thread, not this one and then the engine.

On a host, for its own relay (`Connect.own`), the host actor hands what it publishes to the
engine itself (net/host.py); the receiver only keeps the silence clock. Its SUB then keeps just
the newest frame (CONFLATE) and is not polled: the receiver looks at it OWN_LOOKS times per
host_timeout, so the relay's traffic wakes no thread here and a silent relay is still noticed,
within 1 + 1/OWN_LOOKS host_timeouts."""

from __future__ import annotations

import time

import zmq

from ..core.codec import CodecError, decode
from ..core.config import Limits, Timings
from ..core.crypto import SocketKeys
from ..core.dispatch import Handlers
from ..core.lazylog import Log
from .actor import Emit, drain, until
from .hostlink import HostLink
from .malformed import MalformedCounter
from .messages import Alive, Connect, Disconnect, HostLost, Packets

log = Log(__name__)

OWN_LOOKS = 4
# Relay frames read in one turn of the engine. A frame carries up to BATCH_MAX (64) messages, so
# this is up to 2,048 messages, ~40 ms of the engine's work, after which its timers run: the
# member's heartbeat leaves from this thread. 512 frames (32,768 messages) took a member given a
# quarter of a core longer than the host's member_timeout, and the host dropped it from the room
# in the middle of a flood (tests/hostile/test_starved_member.py).
TURN_FRAMES = 32
KINDS = ("chat", "chats", "roster", "roster_delta", "beat", "handover", "redirect", "notice", "sealed_to")


class Receiver(HostLink):
    """Commands: Connect, Disconnect, Alive. Emits Packets and HostLost."""

    name = "receiver"
    commands: Handlers[type] = Handlers(name)

    def __init__(self, ctx: zmq.Context, emit: Emit, source: str, port: int, timings: Timings, limits: Limits,
                 curve: SocketKeys | None = None) -> None:
        super().__init__(ctx, emit, source, port, timings, limits, curve)
        self.sub: zmq.Socket | None = None
        self.monitor: zmq.Socket | None = None
        self.last_rx = 0.0
        self.lost = False
        self.own = False
        self._next_look = 0.0
        self.malformed = MalformedCounter(log, "receiver")

    @commands.on(Connect)
    def _connect(self, command: Connect) -> None:
        self._close()
        self.own = command.own
        self.sub = self.open_to(zmq.SUB, command.host, self.limits.max_frame_bytes * 64, poll=not self.own,
                                prepare=self._watch)
        self.last_rx = self._next_look = command.since
        self.lost = False

    @commands.on(Disconnect)
    def _disconnect(self, command: Disconnect) -> None:
        self._close()

    @commands.on(Alive)
    def _alive(self, command: Alive) -> None:
        """The engine's probe says the host is slow, not gone."""
        self.last_rx = command.at
        self.lost = False

    def _watch(self, sub: zmq.Socket) -> None:
        """Subscribe to everything and watch the connection: a crashed host drops it at once."""
        sub.setsockopt(zmq.SUBSCRIBE, b"")
        if self.own:
            sub.setsockopt(zmq.CONFLATE, 1)
        self.monitor = self.add_monitor(sub, zmq.EVENT_DISCONNECTED)

    def _close(self) -> None:
        if self.sub is not None:
            self.drop_socket(self.sub)  # and its monitor
        self.sub = self.monitor = self.host = None

    def on_readable(self, sock: zmq.Socket) -> None:
        if sock is self.monitor:
            for _ in drain(sock, multipart=True):
                self._lose("disconnected")
            return
        batch = []
        for frame in drain(sock, limit=TURN_FRAMES):
            try:
                batch.append(decode(frame.bytes, expect=KINDS, max_bytes=self.limits.max_frame_bytes * 64))
            except CodecError as exc:
                self.malformed.count(self.host or "?", exc)
        if batch:
            self.last_rx = time.monotonic()
            self.emit(Packets(self.host, tuple(batch)))

    def on_tick(self, now: float) -> None:
        if self.sub is None or self.lost:
            return
        if self.own and now >= self._next_look:
            self._next_look = now + self.timings.host_timeout / OWN_LOOKS
            if any(True for _ in drain(self.sub)):
                self.last_rx = now
        if now - self.last_rx > self.timings.host_timeout:
            self._lose("silent")

    def _lose(self, reason: str) -> None:
        if not self.lost and self.host is not None:
            self.lost = True
            self.emit(HostLost(self.host, reason))

    def poll_timeout_ms(self) -> int | None:
        """Sleep until the host would count as silent: every packet pushes that moment back, so
        an idle room wakes the engine only for the host's beats (checking every host_timeout/8,
        as before, woke it five times a second more for nothing)."""
        if self.sub is None or self.lost:
            return super().poll_timeout_ms()
        silent_at = self.last_rx + self.timings.host_timeout
        return until(min(silent_at, self._next_look) if self.own else silent_at)
