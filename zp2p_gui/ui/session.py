"""The window's handle on one engine run: starts a Node on QThreads, turns its callbacks into
a Qt signal, and stops it in order. The UI adds no network logic; it only drives Node."""

from __future__ import annotations

import logging
import time
from typing import Callable

from PySide6.QtCore import QObject, Signal

from ..core import events as ev
from ..core.config import Config
from ..node import Node
from .workers import QtSpawner

log = logging.getLogger(__name__)


class EventBridge(QObject):
    """Thin adapter (Electrum's QtEventListener shape): the engine calls it from its own thread,
    the signal delivers the immutable event on the thread the receivers live in (the UI's)."""

    received = Signal(int, object)

    def publisher(self, generation: int) -> Callable[[ev.Event], None]:
        """A callback for one Node; the generation lets late events of an old run be ignored."""
        return lambda event: self.received.emit(generation, event)


class Session(QObject):
    """Connect, say, send DMs, disconnect, shut down. `event` carries only the current run's events."""

    event = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge = EventBridge(self)
        self._bridge.received.connect(self._relay)
        self._generation = 0
        self._node: Node | None = None
        self._spawner: QtSpawner | None = None
        self._retired: list[tuple[Node, QtSpawner]] = []

    @property
    def active(self) -> bool:
        """True from connect until Disconnect is asked for or the engine reports Left."""
        return self._node is not None

    @property
    def node_id(self) -> str:
        return self._node.node_id if self._node else ""

    def connect_to(self, config: Config) -> None:
        self._prune()
        if self._node is not None:
            self.disconnect_from()
        self._generation += 1
        self._spawner = QtSpawner()
        self._node = Node(config, self._bridge.publisher(self._generation), spawn=self._spawner)
        log.info("connecting as %r (room %r, port %d)", config.nick, config.room, config.port)
        self._node.start()

    def say(self, text: str) -> None:
        if self._node is not None:
            self._node.say(text)

    def has_room(self) -> bool:
        """False while the engine's outbox is full: the window keeps the text instead of losing it."""
        return self._node is None or self._node.room_for_more(0)

    def send_direct(self, text: str, nick: str | None = None, key: str | None = None) -> str:
        """A DM to the member with identity key `key`; its id, or '' when no run is going.
        Outcomes come back as Delivered/Queued/Error events."""
        return self._node.send_direct(text, nick=nick, key=key) if self._node is not None else ""

    def mark_read(self, key: str, ids: tuple[str, ...]) -> None:
        """Tell the sender of these DMs that they were shown (the engine queues it if they are away)."""
        if self._node is not None:
            self._node.mark_read(key, ids)

    def send_files(self, path: str, nick: str | None = None, key: str | None = None) -> str:
        """Offer a file or a folder to the member with identity key `key`; the transfer's id, or ''
        when no run is going. What follows comes back as OfferSent/Progress/TransferDone/TransferFailed."""
        return self._node.send_files(path, nick=nick, key=key) if self._node is not None else ""

    def accept_offer(self, transfer_id: str, folder: str | None = None) -> None:
        """Take an offered file into `folder` (None: the downloads folder of the settings)."""
        if self._node is not None:
            self._node.accept_offer(transfer_id, folder)

    def decline_offer(self, transfer_id: str) -> None:
        if self._node is not None:
            self._node.decline_offer(transfer_id)

    def cancel_transfer(self, transfer_id: str) -> None:
        """Stop a transfer either way; the engine answers with TransferFailed (cancelled)."""
        if self._node is not None:
            self._node.cancel_transfer(transfer_id)

    def disconnect_from(self) -> None:
        """Ask the engine to leave politely without blocking the UI; its Left event follows."""
        if self._node is None or self._spawner is None:
            return
        self._node.stop(timeout=0)
        self._retire()

    def shutdown(self, timeout: float = 1.0) -> bool:
        """Leave and wait for every thread of every run within one deadline; True if all ended."""
        self.disconnect_from()
        deadline = time.monotonic() + timeout
        ok = True
        for node, spawner in self._retired:
            ok &= node.wait(max(0.0, deadline - time.monotonic()))
            ok &= spawner.wait_all(max(0.0, deadline - time.monotonic()))
            if not ok:
                log.error("threads still running after shutdown: %s", ", ".join(spawner.running()))
        self._prune()
        return ok

    def running_threads(self) -> list[str]:
        threads = [] if self._spawner is None else self._spawner.running()
        for _, spawner in self._retired:
            threads.extend(spawner.running())
        return threads

    def _prune(self) -> None:
        self._retired = [(n, s) for n, s in self._retired if s.running()]

    def _relay(self, generation: int, event: ev.Event) -> None:
        if generation != self._generation:
            return
        if isinstance(event, ev.Left):
            self._retire()
        self.event.emit(event)

    def _retire(self) -> None:
        """Keep a stopping run's threads referenced until they end; its Left still gets through."""
        if self._node is not None and self._spawner is not None:
            self._retired.append((self._node, self._spawner))
        self._node = self._spawner = None
