"""Who may hold a connection to the host's bound sockets, and what a beacon or relay subscriber
may subscribe to.

libzmq keeps every subscription an XPUB receives, per connection, for as long as the connection
lives, and XPUB_MANUAL does not change that (it keeps them for the unsubscribe at hang-up). zmq
also offers no way to close one peer's connection. So each bound socket gets a monitor: its
`accepted` events carry the connection's file descriptor, from which the guard learns the peer
address, counts connections per address and, when an address holds too many or misbehaved,
shuts those connections down (shutdown(2) on a duplicate of the descriptor: libzmq sees the
hang-up, frees the connection with everything it held and closes the descriptor itself).

The monitors are the actor's (`Actor.add_monitor`), which stops each before its reader or its
socket closes: a monitor event that finds no reader freezes every socket of the context."""

from __future__ import annotations

import socket
import struct
from collections import Counter

import zmq

from ..core.lazylog import Log
from .actor import Actor, peer_address

log = Log(__name__)

CONNECTIONS_PER_ADDRESS = 16  # the registry's; the beacon and relay allow more (see there)
BAD_SUBSCRIPTIONS_PER_ADDRESS = 8
SUBSCRIPTIONS_IN_FLIGHT = 64  # per connection: beyond it libzmq stops reading the peer until we catch up
MAX_TRACKED = 4096
_EVENTS = zmq.EVENT_ACCEPTED | zmq.EVENT_DISCONNECTED | zmq.EVENT_CLOSED


Ends = tuple[tuple[str, int], tuple[str, int]]  # (local, peer) address of one TCP connection


def _ends(fd: int) -> Ends | None:
    """The connection a descriptor is now, or None: closed, a listener, not TCP."""
    try:
        with socket.fromfd(fd, socket.AF_INET, socket.SOCK_STREAM) as dup:
            return dup.getsockname(), dup.getpeername()
    except OSError:
        return None


def _bound_port(endpoint: bytes) -> int | None:
    """The port of a monitor event's endpoint (b"tcp://ip:port")."""
    try:
        return int(endpoint.rsplit(b":", 1)[1])
    except (IndexError, ValueError):
        return None


def _monitor_event(frames: list[bytes]) -> tuple[int, int]:
    """(event id, value) of a monitor message: a 16-bit id and a 32-bit value, then the endpoint.
    Parsed here because zmq.utils.monitor imports asyncio, 25 ms on every start of a node."""
    event, value = struct.unpack("=hi", frames[0])
    return event, value


def hang_up(fd: int, ends: Ends) -> bool:
    """Shut down the connection `ends` if descriptor fd still is it. Monitor events arrive late:
    by then a closed connection's descriptor may have been reused by any socket of the process,
    and a shutdown(2) of a libzmq listener makes its next accept fail, which libzmq answers with
    an assertion that aborts the whole process (tcp_listener.cpp)."""
    try:
        with socket.fromfd(fd, socket.AF_INET, socket.SOCK_STREAM) as dup:
            if (dup.getsockname(), dup.getpeername()) != ends:
                return False
            dup.shutdown(socket.SHUT_RDWR)
            return True
    except OSError:
        return False


class ConnectionGuard:
    """Watches one bound socket through `monitor`, the reader of its connection events, polled in
    the socket's own thread, which calls `on_events`."""

    def __init__(self, monitor: zmq.Socket, where: str, per_address: int = CONNECTIONS_PER_ADDRESS) -> None:
        self.where = where
        self.per_address = per_address
        self.monitor = monitor
        self.refused = 0
        self._peers: dict[int, tuple[str, Ends]] = {}  # descriptor -> peer address, the connection it was
        self._count: Counter[str] = Counter()
        self._bad: Counter[str] = Counter()
        self._warned: set[str] = set()

    def on_events(self) -> None:
        """Drain the monitor (bounded per call, like every other socket)."""
        for _ in range(512):
            try:
                frames = self.monitor.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                return
            event, fd = _monitor_event(frames)
            if event == zmq.EVENT_ACCEPTED:
                self._accepted(fd, _bound_port(frames[1]) if len(frames) > 1 else None)
            else:
                self._gone(fd)

    def _accepted(self, fd: int, port: int | None) -> None:
        self._gone(fd)  # a reused descriptor whose hang-up we have not heard yet
        ends = _ends(fd)
        if ends is None or ends[0][1] != port or len(self._peers) >= MAX_TRACKED:
            return  # closed already, or reused by another socket of the process: not ours to count
        ip = ends[1][0]
        self._peers[fd] = (ip, ends)
        self._count[ip] += 1
        if self._count[ip] > self.per_address:
            self.refused += 1
            self._warn(ip, f"more than {self.per_address} connections")
            hang_up(fd, ends)

    def _gone(self, fd: int) -> None:
        ip = self._peers.pop(fd, (None, None))[0]
        if ip is not None:
            self._count[ip] -= 1
            if self._count[ip] <= 0:
                del self._count[ip]

    def misbehaved(self, ip: str, reason: str, allowance: int = BAD_SUBSCRIPTIONS_PER_ADDRESS) -> None:
        """Count one offence of `ip`; beyond the allowance, hang up every connection it holds."""
        if len(self._bad) >= MAX_TRACKED:
            self._bad.clear()
        self._bad[ip] += 1
        if self._bad[ip] > allowance:
            self._bad[ip] = 0
            self._warn(ip, reason)
            self.kick(ip)

    def kick(self, ip: str) -> None:
        for fd, (peer, ends) in list(self._peers.items()):
            if peer == ip:
                self.refused += 1
                hang_up(fd, ends)

    def connections(self, ip: str) -> int:
        return self._count.get(ip, 0)

    def _warn(self, ip: str, reason: str) -> None:
        if ip not in self._warned and len(self._warned) < MAX_TRACKED:
            self._warned.add(ip)
            log.warning("%s: hanging up on %s (%s); further hang-ups of it are counted silently",
                        self.where, ip, reason)


def admit_subscriptions(sock: zmq.Socket, allowed: frozenset[bytes], guard: ConnectionGuard | None) -> bool:
    """Read the subscription messages of an XPUB_MANUAL socket; subscribe the sender to a topic only
    if the protocol uses it. True when a new allowed subscription arrived (the beacon answers it)."""
    fresh = False
    for _ in range(512):
        try:
            frame = sock.recv(zmq.NOBLOCK, copy=False)
        except zmq.Again:
            break
        data = frame.bytes
        if data[:1] != b"\x01":
            continue  # an unsubscribe (also sent for every hang-up): libzmq forgets the pipe by itself
        if data[1:] in allowed:
            sock.setsockopt(zmq.SUBSCRIBE, data[1:])  # XPUB_MANUAL: applies to the sender of this message
            fresh = True
        elif guard is not None:
            guard.misbehaved(peer_address(frame), "subscriptions the protocol does not use")
    return fresh


def manual_xpub(sock: zmq.Socket, max_inbound: int) -> zmq.Socket:
    """Make a tuned XPUB keep no subscription unless we confirm it, and hang up on any peer that
    sends more than max_inbound bytes at once (a subscription, or a handshake command)."""
    sock.setsockopt(zmq.XPUB_MANUAL, 1)
    sock.setsockopt(zmq.MAXMSGSIZE, max_inbound)
    sock.setsockopt(zmq.RCVHWM, SUBSCRIPTIONS_IN_FLIGHT)
    return sock


class Guards:
    """The guards of one role's bound sockets, their monitors polled by the thread of the actor
    that owns those sockets (the beacon, or the host actor for the registry and relay parts)."""

    def __init__(self) -> None:
        self._by_monitor: dict[zmq.Socket, ConnectionGuard] = {}

    def watch(self, actor: Actor, sock: zmq.Socket, where: str,
              per_address: int = CONNECTIONS_PER_ADDRESS) -> ConnectionGuard:
        """Guard a bound socket of `actor`; call before binding, so no connection is accepted unseen."""
        guard = ConnectionGuard(actor.add_monitor(sock, _EVENTS), where, per_address)
        self._by_monitor[guard.monitor] = guard
        return guard

    def handle(self, sock: zmq.Socket) -> bool:
        """True when sock was one of the monitors (and its events are handled)."""
        guard = self._by_monitor.get(sock)
        if guard is not None:
            guard.on_events()
        return guard is not None
