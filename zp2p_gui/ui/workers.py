"""One QThread per engine role. The engine asks for its threads through `spawn`; handing it
QThreads lets Qt tooling see them and lets the window wait for them at shutdown."""

from __future__ import annotations

import logging
import threading
from typing import Callable

from PySide6.QtCore import QDeadlineTimer, QThread

log = logging.getLogger(__name__)


class RoleThread(QThread):
    """Runs one role's loop (a net/ actor or the engine) in QThread.run.

    The role creates, polls and closes its own socket inside `target`, so the socket never
    leaves this thread. Exceptions are logged here; the engine reports them as events."""

    def __init__(self, name: str, target: Callable[[], None]) -> None:
        super().__init__()
        self.setObjectName(f"zp2p-{name}")
        self._target = target

    def run(self) -> None:
        try:
            self._target()
        except Exception:
            log.exception("%s ended with an exception", self.objectName())

    def join(self, timeout: float | None = None) -> None:
        """threading.Thread-style wait, which is what the engine expects of a worker."""
        if timeout is None:
            self.wait()
        else:
            self.wait(QDeadlineTimer(max(0, int(timeout * 1000))))

    def is_alive(self) -> bool:
        return self.isRunning()


class QtSpawner:
    """The `spawn` callable for Node: starts a RoleThread per role and keeps it referenced.

    A QThread garbage-collected while running aborts the process ("QThread: Destroyed while
    thread is still running"), so every thread stays referenced here until it has finished."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._threads: list[RoleThread] = []

    def __call__(self, name: str, target: Callable[[], None]) -> RoleThread:
        thread = RoleThread(name, target)
        with self._lock:
            self._threads = [t for t in self._threads if t.isRunning()]
            self._threads.append(thread)
        thread.start()
        return thread

    def running(self) -> list[str]:
        """Names of the role threads still running (for shutdown checks and tests)."""
        with self._lock:
            return [t.objectName() for t in self._threads if t.isRunning()]

    def wait_all(self, timeout: float) -> bool:
        """Wait for every spawned thread within one shared deadline; True if all ended."""
        deadline = QDeadlineTimer(max(0, int(timeout * 1000)))
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.wait(deadline)
        return not any(t.isRunning() for t in threads)
