"""The engine's side of its roles: each role runs in a thread the front end provides (a plain
thread headless, a QThread in the window); the engine reaches it only through its command pipe,
whose engine end lives and dies in the engine thread."""

from __future__ import annotations

import threading
from typing import Any, Callable, Protocol

import zmq

from ..core.lazylog import Log
from ..core.records import record
from .actor import Actor
from .messages import Stop

log = Log(__name__)


class Worker(Protocol):
    def join(self, timeout: float | None = None) -> None: ...
    def is_alive(self) -> bool: ...


Spawn = Callable[[str, Callable[[], None]], Worker]


def spawn_thread(name: str, target: Callable[[], None]) -> Worker:
    """Default runner: a daemon thread. The GUI passes one that makes a QThread per role."""
    thread = threading.Thread(target=target, name=f"zp2p-{name}", daemon=True)
    thread.start()
    return thread


@record
class _Running:
    actor: Actor
    worker: Worker
    pipe: zmq.Socket


class Roles:
    """At most one running role per name; every stop is bounded."""

    def __init__(self, spawn: Spawn) -> None:
        self.spawn = spawn
        self._running: dict[str, _Running] = {}
        self._unheard: set[tuple[str, type]] = set()

    def __contains__(self, name: str) -> bool:
        return name in self._running

    def start(self, actor: Actor) -> Actor:
        self.stop(actor.name)  # e.g. a relay still retiring when this node is promoted again
        worker = self.spawn(actor.name, actor.run)
        self._running[actor.name] = _Running(actor, worker, actor.connect_pipe())
        return actor

    def stop(self, name: str) -> None:
        running = self._running.pop(name, None)
        if running is None:
            return
        self._send(running, Stop())
        running.worker.join(1.0)
        if running.worker.is_alive():
            log.error("%s did not stop within 1 s", name)
        running.pipe.close(0)

    def stop_all(self) -> None:
        for name in list(self._running):
            self.stop(name)

    def tell(self, name: str, command: Any) -> None:
        """Send a net/messages.py command. One for a role that is not running is dropped (a member
        has no relay, a retired host no beacon), logged once per role and command type."""
        running = self._running.get(name)
        if running is not None:
            self._send(running, command)
        elif (name, type(command)) not in self._unheard:
            self._unheard.add((name, type(command)))
            log.info("%s is not running; dropped %s (said once per role and type)", name, type(command).__name__)

    @staticmethod
    def _send(running: _Running, command: Any) -> None:
        """A PAIR whose peer is gone (the role failed and closed) would block the engine forever."""
        try:
            running.pipe.send_pyobj(command, zmq.NOBLOCK)
        except zmq.Again:
            log.debug("%s is gone; dropped %s", running.actor.name, type(command).__name__)
