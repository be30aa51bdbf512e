"""The direct channel: every node's own ROUTER on P+4 for incoming direct frames, and one DEALER
per room member for outgoing ones, all in this actor's thread.

Both ends are CURVE with identity keys: our ROUTER is a CURVE server whose key is the CURVE form
of our Ed25519 identity, each DEALER a client with our identity's CURVE keypair and the peer's
derived key as server key. So a connection is encrypted to exactly the member we meant, and the
ZAP handler (net/zap.py, a domain of our own) admits only the CURVE keys of current room members
and names the peer in each frame's User-Id. A frame's `key` must be the identity key behind that
User-Id, so no member can speak for another. Frames only ever flow DEALER -> ROUTER: answers
(acknowledgements, read receipts) go back over the answering node's own DEALER (net/dealers.py).

File-transfer control frames (offers, waits, ends, dones, stops) arrive on the same ROUTER: once
decoded and checked like any other, they are passed on, with the sender's key, to the file actor
(net/files.py) over an inproc PUSH, so disk work never runs here; the inproc queue is bounded and
drops. Gets and chunks never come here: they travel sealed on the file actor's own data port."""

from __future__ import annotations

import itertools
import time

import zmq

from ..core.codec import DIRECT_KINDS, FILE_KINDS, CodecError, decode
from ..core.config import Limits
from ..core.dispatch import Handlers
from ..core.errors import Code
from ..core.file_limits import CREDIT, MAX_OFFER_BYTES
from ..core.lazylog import Log
from ..core.ratelimit import TokenBucket
from ..core.signing import curve_public
from ..core.validation import ValidationError
from . import zap
from .actor import BIND_PATIENCE, Actor, Emit, bind_with_retry, drain, peer_address, peer_key, tune
from .dealers import Dealers, io_affinity
from .malformed import MalformedCounter
from .messages import DirectIn, DirectPeers, DirectRefused, DirectSend, PortTaken

log = Log(__name__)

_domains = itertools.count(1)
MAX_BUCKETS = 1024
MAX_FILE_CONTROL = 1024
UNRATED_FILE_KINDS = tuple(k for k in FILE_KINDS if k != "file_offer")
FORWARD_HWM = 4 * CREDIT  # file frames queued for the file actor before more are dropped
ROUTER_IO_THREAD = 1  # the first libzmq I/O thread decrypts what reaches our direct port (net/files.py: why)


class DirectLink(Actor):
    """Commands: DirectPeers, DirectSend. Events: DirectIn, DirectRefused, PortTaken."""

    name = "direct"
    commands: Handlers[type] = Handlers(name)

    def __init__(self, ctx: zmq.Context, emit: Emit, addr: str, port: int, public: bytes, secret: bytes,
                 limits: Limits, files_endpoint: str | None = None) -> None:
        super().__init__(ctx, emit)
        self.addr = addr
        self.port = port
        self.public = public
        self.secret = secret
        self.limits = limits
        self.domain = f"{zap.DIRECT_DOMAIN}{next(_domains)}"
        self.router: zmq.Socket | None = None
        self.files_endpoint = files_endpoint
        self._to_files: zmq.Socket | None = None
        self._dealers = Dealers(self, limits, addr, port, public, secret)
        self._buckets: dict[str, TokenBucket] = {}
        self._holds_zap = False
        self.malformed = MalformedCounter(log, "direct")

    def setup(self) -> None:
        zap.acquire(self.ctx)
        self._holds_zap = True
        zap.admit(self.ctx, self.domain, frozenset())
        router = tune(self.ctx.socket(zmq.ROUTER), self.limits, bound=True)
        router.setsockopt(zmq.AFFINITY, io_affinity(self.ctx, ROUTER_IO_THREAD))
        router.setsockopt(zmq.CURVE_SERVER, 1)
        router.setsockopt(zmq.CURVE_SECRETKEY, self.secret)
        router.setsockopt_string(zmq.ZAP_DOMAIN, self.domain)
        router.setsockopt(zmq.MAXMSGSIZE, max(self.limits.max_frame_bytes, MAX_OFFER_BYTES))
        self.add_socket(router)
        if self.files_endpoint is not None:
            self._to_files = self.add_socket(self.ctx.socket(zmq.PUSH), poll=False)
            self._to_files.setsockopt(zmq.LINGER, 0)
            self._to_files.setsockopt(zmq.SNDHWM, FORWARD_HWM)
            self._to_files.connect(self.files_endpoint)
        try:
            bind_with_retry(router, f"tcp://{self.addr}:{self.port}", BIND_PATIENCE)
        except zmq.ZMQError as exc:  # room chat goes on; DMs to us come through the host
            self.drop_socket(router)
            self.emit(PortTaken(Code.DIRECT_PORT_TAKEN, f"cannot listen on {self.addr}:{self.port}: {exc}; "
                                "direct messages to you come through the host"))
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
        self._dealers.keep(wanted)
        self._buckets = {k: b for k, b in self._buckets.items() if k.encode("ascii") in allowed}

    @commands.on(DirectSend)
    def _on_send(self, command: DirectSend) -> None:
        """Dropped when it cannot go now: the engine sends it again until it is confirmed."""
        self._dealers.send(command.key, command.addr, [command.frame])

    def on_readable(self, sock: zmq.Socket) -> None:
        if self._dealers.owns(sock):
            refused = self._dealers.on_monitor(sock)
            if refused is not None:
                self.emit(DirectRefused(refused))
            return
        now = time.monotonic()
        for frames in drain(sock, multipart=True):
            if len(frames) != 2:
                self.malformed.count(peer_address(frames[0]), "expected one frame")
            else:
                self._handle(frames[1], now)

    def _handle(self, frame: zmq.Frame, now: float) -> None:
        """A frame's kind, peeked at before decoding, sets its budget: file frames that answer
        an offer (waits, ends, dones, stops) are small and unrated; everything else spends a token of
        the sender's direct-message rate first, and only an offer may be larger than a DM."""
        sender = peer_key(frame) or ""
        raw = frame.bytes
        head = raw[:48]
        if self._to_files is not None and b'"k":"file_' in head and b'"k":"file_offer"' not in head:
            expect, limit = UNRATED_FILE_KINDS, MAX_FILE_CONTROL
        else:
            if not self._bucket(sender, now).take(now):
                return  # over its rate: dropped; the sender keeps it and sends it again later
            offer = self._to_files is not None and b'"k":"file_offer"' in head
            expect, limit = (("file_offer",), MAX_OFFER_BYTES) if offer else (DIRECT_KINDS, self.limits.max_frame_bytes)
        try:
            msg = decode(raw, expect=expect, max_bytes=limit)
            if curve_public(msg["key"]) != sender:
                raise CodecError("the frame names another key than the connection's")
        except (CodecError, ValidationError) as exc:
            self.malformed.count(peer_address(frame), exc)
            return
        if msg["k"] in DIRECT_KINDS:
            self.emit(DirectIn(msg["key"], msg, "direct"))
        else:
            self._forward([msg["key"].encode("ascii"), frame])

    def _forward(self, frames: list) -> None:
        assert self._to_files is not None
        try:
            self._to_files.send_multipart(frames, zmq.NOBLOCK, copy=False)
        except zmq.Again:
            log.debug("direct: the file actor is behind; dropped a file frame (its sender asks again)")

    def _bucket(self, sender: str, now: float) -> TokenBucket:
        bucket = self._buckets.get(sender)
        if bucket is None:
            if len(self._buckets) >= MAX_BUCKETS:
                self._buckets.clear()
            bucket = self._buckets[sender] = TokenBucket(self.limits.dm_rate_per_s, self.limits.dm_burst, now)
        return bucket
