"""The direct channel: every node's own ROUTER on P+4 for incoming direct frames, and one DEALER
per room member for outgoing ones, all in this actor's thread.

Both ends are CURVE with identity keys: our ROUTER is a CURVE server whose key is the CURVE form
of our Ed25519 identity, each DEALER a client with our identity's CURVE keypair and the peer's
derived key as server key. So a connection is encrypted to exactly the member we meant, and the
ZAP handler (net/zap.py, a domain of our own) admits only the CURVE keys of current room members
and names the peer in each frame's User-Id. A frame's `key` must be the identity key behind that
User-Id, so no member can speak for another. Frames only ever flow DEALER -> ROUTER: answers
(acknowledgements, read receipts) go back over the answering node's own DEALER.

A DEALER whose handshake the peer refused (its roster did not list us yet, a few milliseconds
behind ours) is dead for good: libzmq ends such a session instead of reconnecting. Each DEALER's
monitor reports that, and the DEALER is dropped, so the next send opens a fresh one."""

from __future__ import annotations

import itertools
import logging
import time

import zmq

from ..core.codec import DIRECT_KINDS, CodecError, decode
from ..core.config import Limits
from ..core.dispatch import Handlers
from ..core.ratelimit import TokenBucket
from ..core.signing import curve_public
from ..core.validation import ValidationError
from . import zap
from .actor import BIND_PATIENCE, Actor, Emit, bind_with_retry, drain, peer_address, peer_key, tune
from .endpoints import tcp
from .malformed import MalformedCounter
from .messages import DirectIn, DirectPeers, DirectPortTaken, DirectSend

log = logging.getLogger(__name__)

_domains = itertools.count(1)
MAX_BUCKETS = 1024
HANDSHAKE_REFUSED = (zmq.EVENT_HANDSHAKE_FAILED_AUTH | zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL
                     | zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL)


class DirectLink(Actor):
    """Commands: DirectPeers, DirectSend. Events: DirectIn, DirectPortTaken."""

    name = "direct"
    commands: Handlers[type] = Handlers(name)

    def __init__(self, ctx: zmq.Context, emit: Emit, addr: str, port: int, public: bytes, secret: bytes,
                 limits: Limits) -> None:
        super().__init__(ctx, emit)
        self.addr = addr
        self.port = port
        self.public = public
        self.secret = secret
        self.limits = limits
        self.domain = f"{zap.DIRECT_DOMAIN}{next(_domains)}"
        self.router: zmq.Socket | None = None
        self._dealers: dict[str, tuple[str, zmq.Socket]] = {}  # identity key -> (address, DEALER)
        self._refusals: dict[zmq.Socket, str] = {}  # a DEALER's handshake monitor -> its peer's key
        self._buckets: dict[str, TokenBucket] = {}
        self._holds_zap = False
        self.malformed = MalformedCounter(log, "direct")

    def setup(self) -> None:
        zap.acquire(self.ctx)
        self._holds_zap = True
        zap.admit(self.ctx, self.domain, frozenset())
        router = tune(self.ctx.socket(zmq.ROUTER), self.limits, bound=True)
        router.setsockopt(zmq.CURVE_SERVER, 1)
        router.setsockopt(zmq.CURVE_SECRETKEY, self.secret)
        router.setsockopt_string(zmq.ZAP_DOMAIN, self.domain)
        self.add_socket(router)
        try:
            bind_with_retry(router, f"tcp://{self.addr}:{self.port}", BIND_PATIENCE)
        except zmq.ZMQError as exc:  # room chat goes on; DMs to us come through the host
            self.drop_socket(router)
            self.emit(DirectPortTaken(f"cannot listen on {self.addr}:{self.port}: {exc}"))
            return
        self.router = router

    def on_close(self) -> None:
        if self._holds_zap:
            self._holds_zap = False
            zap.forget(self.domain)
            zap.release(self.ctx)

    @commands.on(DirectPeers)
    def _on_peers(self, command: DirectPeers) -> None:
        wanted = dict(command.peers)
        allowed = set()
        for key in wanted:
            try:
                allowed.add(curve_public(key).encode("ascii"))
            except ValidationError:
                log.warning("direct: a member's key has no CURVE form; it cannot reach us directly")
        zap.admit(self.ctx, self.domain, frozenset(allowed))
        for key, (addr, _) in list(self._dealers.items()):
            if wanted.get(key) != addr:
                self._forget(key)
        self._buckets = {k: b for k, b in self._buckets.items() if k.encode("ascii") in allowed}

    @commands.on(DirectSend)
    def _on_send(self, command: DirectSend) -> None:
        dealer = self._dealer(command.key, command.addr)
        if dealer is None:
            return
        try:
            dealer.send(command.frame, zmq.NOBLOCK)
        except zmq.Again:
            log.debug("direct: queue to %s is full; the engine sends it again", command.addr)

    def _dealer(self, key: str, addr: str) -> zmq.Socket | None:
        known = self._dealers.get(key)
        if known is not None and known[0] == addr:
            return known[1]
        self._forget(key)
        try:
            server = curve_public(key).encode("ascii")
        except ValidationError:
            return None
        dealer = tune(self.ctx.socket(zmq.DEALER), self.limits, bound=False, reconnect_ms=100,
                      reconnect_max_ms=1000)
        dealer.setsockopt(zmq.CURVE_SERVERKEY, server)
        dealer.setsockopt(zmq.CURVE_PUBLICKEY, self.public)
        dealer.setsockopt(zmq.CURVE_SECRETKEY, self.secret)
        self._refusals[self.add_socket(dealer.get_monitor_socket(HANDSHAKE_REFUSED))] = key
        dealer.connect(tcp(addr, self.port, self.addr))
        self._dealers[key] = (addr, self.add_socket(dealer, poll=False))
        return dealer

    def _forget(self, key: str) -> None:
        """Close the DEALER to this peer, if any, and its monitor."""
        known = self._dealers.pop(key, None)
        if known is None:
            return
        for monitor, peer in list(self._refusals.items()):
            if peer == key:
                del self._refusals[monitor]
                known[1].disable_monitor()
                self.drop_socket(monitor)
        self.drop_socket(known[1])

    def on_readable(self, sock: zmq.Socket) -> None:
        if sock in self._refusals:
            if any(True for _ in drain(sock, multipart=True)):
                log.info("direct: a member refused our handshake (its roster lagged ours); reconnecting on next send")
                self._forget(self._refusals[sock])
            return
        now = time.monotonic()
        for frames in drain(sock, multipart=True):
            if len(frames) != 2:
                self.malformed.count(peer_address(frames[0]), "expected one frame")
                continue
            self._handle(frames[1], now)

    def _handle(self, frame: zmq.Frame, now: float) -> None:
        sender = peer_key(frame) or ""
        if not self._bucket(sender, now).take(now):
            return  # over its rate: dropped; the sender keeps it and sends it again later
        try:
            msg = decode(frame.bytes, expect=DIRECT_KINDS, max_bytes=self.limits.max_frame_bytes)
            if curve_public(msg["key"]) != sender:
                raise CodecError("the frame names another key than the connection's")
        except (CodecError, ValidationError) as exc:
            self.malformed.count(peer_address(frame), exc)
            return
        self.emit(DirectIn(msg["key"], msg, "direct"))

    def _bucket(self, sender: str, now: float) -> TokenBucket:
        bucket = self._buckets.get(sender)
        if bucket is None:
            if len(self._buckets) >= MAX_BUCKETS:
                self._buckets.clear()
            bucket = self._buckets[sender] = TokenBucket(self.limits.dm_rate_per_s, self.limits.dm_burst, now)
        return bucket
