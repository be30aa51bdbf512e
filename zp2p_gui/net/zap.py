"""The ZAP handler that makes libzmq tell a CURVE server who its peer is (the frame's User-Id).

Only one handler may exist per context and every CURVE server socket of the context uses it,
so the roles that need it share one, counted: the first role that needs it starts it, the last
stops it (a running handler's socket would make `ctx.term()` hang). It tells sockets apart by
their ZAP domain: the room's sockets set none and admit any client that completes the CURVE
handshake (knowing the room's server key is the proof of the passphrase); each node's direct
port has its own domain, which admits only the CURVE keys of that node's current room members;
each file data port (no CURVE: its frames are sealed, core/file_seal.py) has one that admits only
connections from the addresses of current room members."""

from __future__ import annotations

import itertools
import threading

import zmq
from zmq.utils import z85

from ..core.crypto import SocketKeys
from .actor import Actor, Emit, bind_with_retry

DIRECT_DOMAIN = "zp2p-direct-"  # + a number per direct port in this process
FILES_DOMAIN = "zp2p-files-"  # + a number per file data port in this process
ZAP_ENDPOINT = "inproc://zeromq.zap.01"  # where libzmq sends its requests (RFC 27)
ZAP_VERSION = b"1.0"
REBIND_PATIENCE = 3.0  # a restarted handler waits for its predecessor's endpoint (taken in 17 of 300 quick restarts)

_lock = threading.Lock()
_handlers: dict[int, tuple["ZapHandler", int]] = {}
_pipes = itertools.count(1)


class Admission:
    """Who may connect. Each direct domain's set is replaced whole, never changed in place, so
    the handler's thread sees one set or the next."""

    def __init__(self) -> None:
        self.direct: dict[str, frozenset[bytes]] = {}
        self.addresses: dict[str, frozenset[str]] = {}  # a file data port's domain -> member addresses

    def callback(self, domain: str, key: bytes) -> bool:
        """key: the client's CURVE public key, Z85. The room's sockets set no domain and admit any
        client that completed the handshake; a direct port admits its current members only."""
        if domain.startswith(DIRECT_DOMAIN):
            return key in self.direct.get(domain, frozenset())
        return domain == ""

    def null_callback(self, domain: str, address: str) -> bool:
        """A NULL connection: a file data port admits its current members' addresses only."""
        if domain.startswith(FILES_DOMAIN):
            return address in self.addresses.get(domain, frozenset())
        return True


_admission = Admission()


def answer(request: list[bytes]) -> list[bytes] | None:
    """The reply to one ZAP request, or None when it is too short to answer at all. A CURVE
    client admitted gets its public key (Z85) as User-Id; NULL is admitted as zmq.auth did."""
    if len(request) < 6:
        return None if len(request) < 2 else [ZAP_VERSION, request[1], b"400", b"Not enough frames", b"", b""]
    version, request_id, domain, _address, _identity, mechanism = request[:6]
    credentials = request[6:]
    if version != ZAP_VERSION:
        return [ZAP_VERSION, request_id, b"400", b"Invalid version", b"", b""]
    if mechanism == b"NULL":
        if _admission.null_callback(domain.decode("utf-8", "replace"), _address.decode("utf-8", "replace")):
            return [ZAP_VERSION, request_id, b"200", b"OK", b"anonymous", b""]
        return [ZAP_VERSION, request_id, b"400", b"Unknown address", b"", b""]
    if mechanism == b"CURVE" and len(credentials) == 1 and len(credentials[0]) == 32:
        key = z85.encode(credentials[0])
        if _admission.callback(domain.decode("utf-8", "replace"), key):
            return [ZAP_VERSION, request_id, b"200", b"OK", key, b""]
        return [ZAP_VERSION, request_id, b"400", b"Unknown key", b"", b""]
    return [ZAP_VERSION, request_id, b"400", b"NO ACCESS", b"", b""]


class ZapHandler:
    """The context's ZAP handler, in a thread of its own. zmq.auth's ThreadAuthenticator runs an
    asyncio loop, and importing asyncio costs 25-30 ms at every node start (each node's direct port
    starts one); this answers the same requests with a plain poll loop."""

    def __init__(self, ctx: zmq.Context) -> None:
        self.ctx = ctx
        self._pipe_endpoint = f"inproc://zp2p-zap-{next(_pipes)}"
        self._ready = threading.Event()
        self.failure = ""
        self._thread = threading.Thread(target=self._run, name="zp2p-zap", daemon=True)

    def start(self) -> None:
        """Raises if the handler could not bind: a CURVE server without one would admit anyone
        and name no one (no User-Id), so the role must fail instead of running so."""
        self._thread.start()
        if not self._ready.wait(10) or self.failure:
            raise RuntimeError(f"the ZAP handler did not start: {self.failure or 'no answer within 10 s'}")

    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self) -> None:
        pipe = self.ctx.socket(zmq.PAIR)
        pipe.setsockopt(zmq.LINGER, 1000)
        pipe.connect(self._pipe_endpoint)
        try:
            pipe.send(b"", zmq.NOBLOCK)
        except zmq.Again:
            pass  # the thread has already ended
        pipe.close()
        self._thread.join(5)

    def _run(self) -> None:
        zap = self.ctx.socket(zmq.REP)
        zap.setsockopt(zmq.LINGER, 1)
        pipe = self.ctx.socket(zmq.PAIR)
        pipe.setsockopt(zmq.LINGER, 0)
        try:
            try:  # the previous handler's endpoint is released asynchronously after it closed
                bind_with_retry(zap, ZAP_ENDPOINT, REBIND_PATIENCE)
                pipe.bind(self._pipe_endpoint)
            except zmq.ZMQError as exc:
                self.failure = str(exc)
                return
            self._ready.set()
            poller = zmq.Poller()
            poller.register(zap, zmq.POLLIN)
            poller.register(pipe, zmq.POLLIN)
            while True:
                ready = dict(poller.poll())
                if pipe in ready:
                    return
                reply = answer(zap.recv_multipart())
                zap.send_multipart(reply if reply is not None else [ZAP_VERSION, b"", b"400", b"", b"", b""])
        finally:
            self._ready.set()
            zap.close()
            pipe.close()


def acquire(ctx: zmq.Context) -> None:
    """Start (or count one more user of) the context's handler; a client's public key becomes
    the User-Id of its frames."""
    with _lock:
        handler, users = _handlers.get(id(ctx), (None, 0))
        if handler is not None and (handler.ctx is not ctx or not handler.running()):
            handler, users = None, 0  # left by a context that is gone (same id) or a role that never closed
        if handler is None:
            handler = ZapHandler(ctx)
            handler.start()
        _handlers[id(ctx)] = (handler, users + 1)


def admit(ctx: zmq.Context, domain: str, curve_keys: frozenset[bytes]) -> None:
    """Let exactly these CURVE public keys (Z85) connect to the socket with this ZAP domain."""
    with _lock:
        _admission.direct = {**_admission.direct, domain: curve_keys}


def admit_addresses(ctx: zmq.Context, domain: str, addresses: frozenset[str]) -> None:
    """Let NULL connections from exactly these addresses reach the socket with this ZAP domain."""
    with _lock:
        _admission.addresses = {**_admission.addresses, domain: addresses}


def forget(domain: str) -> None:
    """Admit no one to this domain any more."""
    with _lock:
        _admission.direct = {d: keys for d, keys in _admission.direct.items() if d != domain}
        _admission.addresses = {d: a for d, a in _admission.addresses.items() if d != domain}


def release(ctx: zmq.Context) -> None:
    with _lock:
        handler, users = _handlers.pop(id(ctx), (None, 0))
        if handler is None:
            return
        if users > 1:
            _handlers[id(ctx)] = (handler, users - 1)
        else:
            handler.stop()


class CurveServer(Actor):
    """Base of the host roles: with room keys, holds the ZAP handler from setup until close."""

    def __init__(self, ctx: zmq.Context, emit: Emit, curve: SocketKeys | None) -> None:
        super().__init__(ctx, emit)
        self.curve = curve
        self._holds_zap = False

    def setup(self) -> None:
        if self.curve is not None:
            acquire(self.ctx)
            self._holds_zap = True

    def on_close(self) -> None:
        if self._holds_zap:
            self._holds_zap = False
            release(self.ctx)
