"""One CURVE DEALER per room member, to that member's direct port, for an actor that writes to
members (the direct-message link and the file link each keep their own, so a file's chunks never
queue in front of a direct message).

Each DEALER is a CURVE client with our identity's CURVE key pair and the peer's derived key as
server key, so a connection is encrypted to exactly the member we meant. A DEALER whose handshake
the peer refused (its roster did not list us yet, a few milliseconds behind ours) is dead for
good: libzmq ends such a session instead of reconnecting. Each DEALER's monitor reports that,
and the DEALER is dropped, so the next send opens a fresh one."""

from __future__ import annotations


import zmq

from ..core.config import Limits
from ..core.signing import curve_public
from ..core.validation import ValidationError
from .actor import Actor, drain, tune
from .endpoints import tcp

from ..core.lazylog import Log

log = Log(__name__)

HANDSHAKE_REFUSED = (zmq.EVENT_HANDSHAKE_FAILED_AUTH | zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL
                     | zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL)


def io_affinity(ctx: zmq.Context, thread: int) -> int:
    """ZMQ_AFFINITY for libzmq I/O thread `thread` (from 1), or 0 (any) when the context has fewer:
    a connection whose affinity names no thread of its context fails (EMTHREAD)."""
    return 1 << (thread - 1) if thread and ctx.get(zmq.IO_THREADS) >= thread else 0


class Dealers:
    """The DEALERs of one actor (created, polled and closed in its thread), by identity key."""

    def __init__(self, actor: Actor, limits: Limits, local: str, port: int, public: bytes, secret: bytes,
                 sndhwm: int | None = None, io_thread: int = 0) -> None:
        self.actor = actor
        self.limits = limits
        self.local = local
        self.port = port
        self.public = public
        self.secret = secret
        self.sndhwm = sndhwm
        self.io_thread = io_thread  # the libzmq I/O thread (from 1) of each DEALER's connection; 0 = any
        self._dealers: dict[str, tuple[str, zmq.Socket]] = {}  # identity key -> (address, DEALER)
        self._refusals: dict[zmq.Socket, str] = {}  # a DEALER's handshake monitor -> its peer's key

    def get(self, key: str, addr: str) -> zmq.Socket | None:
        """The DEALER to the member `key` at `addr`, opened if needed; None for a key with no CURVE form."""
        known = self._dealers.get(key)
        if known is not None and known[0] == addr:
            return known[1]
        self.forget(key)
        try:
            server = curve_public(key).encode("ascii")
        except ValidationError:
            return None
        dealer = tune(self.actor.ctx.socket(zmq.DEALER), self.limits, bound=False, reconnect_ms=100,
                      reconnect_max_ms=1000)
        if self.sndhwm is not None:
            dealer.setsockopt(zmq.SNDHWM, self.sndhwm)
        dealer.setsockopt(zmq.AFFINITY, io_affinity(self.actor.ctx, self.io_thread))
        dealer.setsockopt(zmq.CURVE_SERVERKEY, server)
        dealer.setsockopt(zmq.CURVE_PUBLICKEY, self.public)
        dealer.setsockopt(zmq.CURVE_SECRETKEY, self.secret)
        self._refusals[self.actor.add_monitor(dealer, HANDSHAKE_REFUSED)] = key
        dealer.connect(tcp(addr, self.port, self.local))
        self._dealers[key] = (addr, self.actor.add_socket(dealer, poll=False))
        return dealer

    def send(self, key: str, addr: str, frames: list) -> bool:
        """Queue one message to the member; False when it cannot go now (dropped)."""
        dealer = self.get(key, addr)
        if dealer is None:
            return False
        try:
            dealer.send_multipart(frames, zmq.NOBLOCK, copy=False)
        except zmq.Again:
            log.debug("%s: the queue to %s is full; dropped", self.actor.name, addr)
            return False
        return True

    def keep(self, wanted: dict[str, str]) -> None:
        """Close the DEALERs of members that left or moved (wanted: key -> address)."""
        for key, (addr, _) in list(self._dealers.items()):
            if wanted.get(key) != addr:
                self.forget(key)

    def forget(self, key: str) -> None:
        """Close the DEALER to this peer, if any, and its monitor."""
        known = self._dealers.pop(key, None)
        if known is None:
            return
        self._refusals = {monitor: peer for monitor, peer in self._refusals.items() if peer != key}
        self.actor.drop_socket(known[1])  # and its monitor

    def owns(self, sock: zmq.Socket) -> bool:
        return sock in self._refusals

    def on_monitor(self, sock: zmq.Socket) -> str | None:
        """A handshake refusal: drop that DEALER so the next send opens a fresh one. Returns the
        key of the member that refused, whose frames on that DEALER were lost, or None."""
        if not any(True for _ in drain(sock, multipart=True)):
            return None
        log.info("%s: a member refused our handshake (its roster lagged ours); reconnecting on next send",
                 self.actor.name)
        key = self._refusals[sock]
        self.forget(key)
        return key
