"""The actor shape every role shares: its sockets are created, polled and closed in its own
thread; the engine sends commands over an inproc PAIR whose other end lives in the engine thread."""

from __future__ import annotations

import itertools
import threading
import time
from typing import Any, Callable, Iterator

import zmq

from ..core.config import Limits
from ..core.crypto import SocketKeys
from ..core.dispatch import Handlers
from ..core.lazylog import Log
from .messages import RoleFailed, Stop

log = Log(__name__)

_ids = itertools.count(1)
Emit = Callable[[Any], None]  # puts a net/messages.py event into the engine's inbox


def tune(sock: zmq.Socket, limits: Limits, bound: bool, reconnect_ms: int = 200, reconnect_max_ms: int = 2000,
         curve: SocketKeys | None = None) -> zmq.Socket:
    """The socket options docs/architecture.md asks of every socket: no linger, bounded queues and reconnects.
    With curve, a bound socket is the room's CURVE server and a connecting one its client."""
    sock.setsockopt(zmq.LINGER, 0)
    sock.setsockopt(zmq.SNDHWM, limits.hwm)
    sock.setsockopt(zmq.RCVHWM, limits.hwm)
    sock.setsockopt(zmq.RECONNECT_IVL, reconnect_ms)
    sock.setsockopt(zmq.RECONNECT_IVL_MAX, reconnect_max_ms)
    sock.setsockopt(zmq.CONNECT_TIMEOUT, 1000)
    if bound:
        sock.setsockopt(zmq.MAXMSGSIZE, limits.max_frame_bytes)
    if curve is not None and bound:
        sock.setsockopt(zmq.CURVE_SERVER, 1)
        sock.setsockopt(zmq.CURVE_SECRETKEY, curve.server_secret)
    elif curve is not None:
        sock.setsockopt(zmq.CURVE_SERVERKEY, curve.server_public)
        sock.setsockopt(zmq.CURVE_PUBLICKEY, curve.public)
        sock.setsockopt(zmq.CURVE_SECRETKEY, curve.secret)
    return sock


BIND_PATIENCE = 1.5  # a first start: a port still taken after this belongs to another program


def bind_with_retry(sock: zmq.Socket, endpoint: str, deadline_s: float = BIND_PATIENCE) -> None:
    """Re-binding right after a close fails about half the time while teardown finishes; retry briefly."""
    end = time.monotonic() + deadline_s
    while True:
        try:
            sock.bind(endpoint)
            return
        except zmq.ZMQError as exc:
            if exc.errno != zmq.EADDRINUSE or time.monotonic() > end:
                raise
            time.sleep(0.05)


def drain(sock: zmq.Socket, limit: int = 512, multipart: bool = False) -> Iterator[Any]:
    """Everything readable now, bounded per call so one busy socket cannot starve the loop.
    POLLIN can be set while recv still says EAGAIN (REP drops a malformed envelope), so ask recv."""
    for _ in range(limit):
        try:
            if multipart:
                yield sock.recv_multipart(zmq.NOBLOCK, copy=False)
            else:
                yield sock.recv(zmq.NOBLOCK, copy=False)
        except zmq.Again:
            return


def until(deadline: float) -> int:
    """Milliseconds from now to a monotonic deadline, for a poll timeout."""
    return max(1, int((deadline - time.monotonic()) * 1000) + 1)


def peer_address(frame: zmq.Frame) -> str:
    """The transport's idea of who sent a frame; never the packet's own claim."""
    try:
        return frame.get("Peer-Address")
    except zmq.ZMQError:
        return ""


def peer_key(frame: zmq.Frame) -> str | None:
    """The CURVE public key the ZAP handler authenticated for this frame; None on a plaintext socket.
    Plaintext roles skip the call: the lookup fails by raising, about 2 µs per frame."""
    try:
        return frame.get("User-Id")
    except zmq.ZMQError:
        return None


class Actor:
    """Subclasses open sockets in `setup`, react in `on_readable`, `on_tick` and the handlers of
    their `commands` table (net/messages.py types; each role class has its own table)."""

    name = "actor"
    # How long a bind may wait for its port: the engine raises it when it hosts again on ports its
    # own previous host roles may still be releasing (slow under load), see engine/hosting.py.
    bind_patience = BIND_PATIENCE
    commands: Handlers[type] = Handlers("actor")

    def __init__(self, ctx: zmq.Context, emit: Emit) -> None:
        self.ctx = ctx
        self.emit = emit
        self.endpoint = f"inproc://zp2p-{self.name}-{next(_ids)}"
        self.ready = threading.Event()
        self.failure: str | None = None
        self.sockets: list[zmq.Socket] = []
        self._watched: dict[zmq.Socket, zmq.Socket] = {}  # a monitor's reader -> the socket it watches
        self._poller = zmq.Poller()
        self._pipe_ready = threading.Event()

    # -- engine-thread side -------------------------------------------------
    def connect_pipe(self) -> zmq.Socket:
        """Engine end of the command pipe; call from the engine thread once the actor runs."""
        self._pipe_ready.wait(2.0)
        pipe = self.ctx.socket(zmq.PAIR)
        pipe.setsockopt(zmq.LINGER, 0)
        pipe.setsockopt(zmq.SNDHWM, 0)
        pipe.connect(self.endpoint)
        return pipe

    # -- actor-thread side --------------------------------------------------
    def run(self) -> None:
        """Thread target. Never raises: a failure becomes a RoleFailed event."""
        pipe = self.ctx.socket(zmq.PAIR)
        pipe.setsockopt(zmq.LINGER, 0)
        pipe.setsockopt(zmq.RCVHWM, 0)
        pipe.bind(self.endpoint)
        self._pipe_ready.set()
        self._poller.register(pipe, zmq.POLLIN)
        try:
            self.setup()
            self.ready.set()
            self._loop(pipe)
        except Exception as exc:  # the loop must end cleanly and say why
            log.exception("%s failed", self.name)
            self.failure = f"{exc.__class__.__name__}: {exc}"
            self.emit(RoleFailed(self.name, self.failure))
        finally:
            self.ready.set()
            self.close_all()
            pipe.close(0)

    def _loop(self, pipe: zmq.Socket) -> None:
        while True:
            timeout = self.poll_timeout_ms()
            for sock, _ in self._poller.poll(timeout):
                if sock is pipe:
                    command = pipe.recv_pyobj()
                    if isinstance(command, Stop):
                        return
                    self.on_command(command)
                elif not sock.closed:  # an earlier command in this batch may have replaced it
                    self.on_readable(sock)
            self.on_tick(time.monotonic())

    # -- driven by another thread's loop --------------------------------------
    def run_inline(self, poller: zmq.Poller) -> None:
        """Run in the calling thread instead of a thread of its own (the engine drives its
        receiver, engine/inbox.py): the sockets join `poller`, which the caller polls and hands
        to `step`; commands are calls of `on_command`, `close_all` ends it. No command pipe."""
        self._poller = poller
        self.setup()
        self.ready.set()

    def step(self, ready: list[Any]) -> None:
        """One round of `_loop` for an inline actor: what the caller's poll found readable
        (entries that are not this actor's are skipped), then the timers."""
        for sock in ready:
            if any(sock is own for own in self.sockets) and not sock.closed:
                self.on_readable(sock)
        self.on_tick(time.monotonic())

    def close_all(self) -> None:
        """Release what the actor holds: its monitors stopped first, then its sockets."""
        self.on_close()
        for watched in self._watched.values():
            _stop_monitor(watched)
        self._watched.clear()
        for sock in self.sockets:
            try:
                self._poller.unregister(sock)
            except KeyError:
                pass
            sock.close(0)
        self.sockets.clear()

    def add_socket(self, sock: zmq.Socket, poll: bool = True) -> zmq.Socket:
        self.sockets.append(sock)
        if poll:
            self._poller.register(sock, zmq.POLLIN)
        return sock

    def add_monitor(self, sock: zmq.Socket, events: int) -> zmq.Socket:
        """A reader of sock's monitor events, polled like the actor's other sockets.

        libzmq sends monitor events from its I/O thread and blocks there, for good, when the
        reader's pipe is full or the reader is gone: every socket of the context then stops (a
        SUB whose reader closed first, then its host hung up, left a test process with no
        working zmq). So the pipe has no limit, and the actor stops each monitor before it
        closes the reader or the socket (`drop_socket`, and at the end of `run`)."""
        endpoint = f"inproc://zp2p-monitor-{next(_ids)}"  # not pyzmq's per-descriptor name: descriptors are reused
        sock.monitor(endpoint, events)
        reader = self.ctx.socket(zmq.PAIR)
        reader.setsockopt(zmq.LINGER, 0)
        reader.setsockopt(zmq.RCVHWM, 0)  # before connecting: an inproc pipe takes its limit then
        reader.connect(endpoint)
        self._watched[reader] = sock
        return self.add_socket(reader)

    def drop_socket(self, sock: zmq.Socket) -> None:
        """Close sock; a monitor that reads it or that it feeds is stopped first (add_monitor)."""
        _stop_monitor(self._watched.pop(sock, sock))
        for reader in [r for r, watched in self._watched.items() if watched is sock]:
            self.drop_socket(reader)
        if sock in self.sockets:
            self.sockets.remove(sock)
        try:
            self._poller.unregister(sock)
        except KeyError:
            pass
        sock.close(0)

    def poll_timeout_ms(self) -> int | None:
        """How long to sleep when nothing arrives: None (until something does) for a role with no
        timer pending; commands wake the loop at once. A role with timers says when the next is due."""
        return None

    def setup(self) -> None:
        """Create sockets here: this runs in the actor's own thread."""

    def on_readable(self, sock: zmq.Socket) -> None:
        """Drain sock."""

    def on_command(self, command: Any) -> None:
        """Run the handler this role's table has for the command's type."""
        if not self.commands.handle(self, type(command), command):
            log.warning("%s has no handler for %s", self.name, type(command).__name__)

    def on_tick(self, now: float) -> None:
        """Timers; called after every poll."""

    def on_close(self) -> None:
        """Release what setup took besides sockets; runs in the actor's thread, also after a failure."""


def _stop_monitor(sock: zmq.Socket) -> None:
    """No more monitor events from sock (a no-op for a socket nobody monitors)."""
    if not sock.closed:
        sock.monitor(None, 0)
