"""The ZAP handler that makes libzmq tell a CURVE server who its peer is (the frame's User-Id).

Only one handler may exist per context and every CURVE server socket of the context uses it,
so the roles that need it share one, counted: the first role that needs it starts it, the last
stops it (a running handler's socket would make `ctx.term()` hang). It tells sockets apart by
their ZAP domain: the room's sockets set none and admit any client that completes the CURVE
handshake (knowing the room's server key is the proof of the passphrase); each node's direct
port has its own domain, which admits only the CURVE keys of that node's current room members."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import zmq

from ..core.crypto import SocketKeys
from .actor import Actor, Emit

if TYPE_CHECKING:
    from zmq.auth.thread import ThreadAuthenticator

DIRECT_DOMAIN = "zp2p-direct-"  # + a number per direct port in this process

_lock = threading.Lock()
_handlers: dict[int, tuple["ThreadAuthenticator", int]] = {}


class Admission:
    """The authenticator's CURVE callback (it runs in the authenticator's thread). Each direct
    domain's set is replaced whole, never changed in place, so a reader sees one set or the next."""

    def __init__(self) -> None:
        self.direct: dict[str, frozenset[bytes]] = {}

    def callback(self, domain: str, key: bytes) -> bool:
        if domain.startswith(DIRECT_DOMAIN):
            return key in self.direct.get(domain, frozenset())
        return True


_admission = Admission()


def acquire(ctx: zmq.Context) -> None:
    """Start (or count one more user of) the context's handler; a client's public key becomes
    the User-Id of its frames. zmq.auth pulls in asyncio (~30 ms), so it is imported here, in
    the thread of the role that needs it, never on the way to joining."""
    from zmq.auth.thread import ThreadAuthenticator

    with _lock:
        auth, users = _handlers.get(id(ctx), (None, 0))
        if auth is None:
            auth = ThreadAuthenticator(ctx)
            auth.start()
            auth.configure_curve_callback(domain="*", credentials_provider=_admission)
        _handlers[id(ctx)] = (auth, users + 1)


def admit(ctx: zmq.Context, domain: str, curve_keys: frozenset[bytes]) -> None:
    """Let exactly these CURVE public keys (Z85) connect to the socket with this ZAP domain."""
    with _lock:
        auth, _ = _handlers[id(ctx)]
        _admission.direct = {**_admission.direct, domain: curve_keys}
        auth.configure_curve_callback(domain=domain, credentials_provider=_admission)


def forget(domain: str) -> None:
    """Admit no one to this domain any more. Its entry in the authenticator's table stays (the
    authenticator thread reads that table unlocked; the callback now refuses every key)."""
    with _lock:
        _admission.direct = {d: keys for d, keys in _admission.direct.items() if d != domain}


def release(ctx: zmq.Context) -> None:
    with _lock:
        auth, users = _handlers.pop(id(ctx), (None, 0))
        if auth is None:
            return
        if users > 1:
            _handlers[id(ctx)] = (auth, users - 1)
        else:
            auth.stop()


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
