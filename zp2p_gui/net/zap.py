"""The ZAP handler that makes libzmq tell the host who a CURVE peer is (the frame's User-Id).

Only one handler may exist per context and every CURVE server socket of the context uses it,
so hosting roles share one, counted: the first role that needs it starts it, the last stops it
(a running handler's socket would make `ctx.term()` hang)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import zmq

from ..core.crypto import SocketKeys
from .actor import Actor, Emit

if TYPE_CHECKING:
    from zmq.auth.thread import ThreadAuthenticator

_lock = threading.Lock()
_handlers: dict[int, tuple["ThreadAuthenticator", int]] = {}


def acquire(ctx: zmq.Context) -> None:
    """Any client that completes the CURVE handshake is let in (knowing the room's server key
    is the proof of the passphrase); its public key becomes the User-Id of its frames.
    zmq.auth pulls in asyncio (~30 ms), so open rooms never import it: joining stays fast."""
    from zmq.auth import CURVE_ALLOW_ANY
    from zmq.auth.thread import ThreadAuthenticator

    with _lock:
        auth, users = _handlers.get(id(ctx), (None, 0))
        if auth is None:
            auth = ThreadAuthenticator(ctx)
            auth.start()
            auth.configure_curve(domain="*", location=CURVE_ALLOW_ANY)
        _handlers[id(ctx)] = (auth, users + 1)


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
