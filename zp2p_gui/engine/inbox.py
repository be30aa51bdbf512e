"""The engine's inbox: what the front end and the roles hand the engine thread, and the one
place that thread sleeps. It sleeps in a zmq poll, not on a queue, so that the sockets the engine
owns (a member's SUB on the host's relay, net/receiver.py) wake it directly: a relayed message is
read, decoded, checked and shown by one thread on one wake-up, where a receiver thread of its own
had to wake the engine in turn (at 10 nodes on 2 cores that second wake-up waited ~2 ms for a core).

A put from another thread wakes the poll through a socket pair, written only while the engine
sleeps: a put while it works costs no system call."""

from __future__ import annotations

import math
import queue
import socket
import weakref
from typing import Any

import zmq


class Inbox:
    """put: any thread; get_nowait, wait and close: the engine thread."""

    def __init__(self) -> None:
        self._items: queue.SimpleQueue[Any] = queue.SimpleQueue()  # put and get in C, no Condition in Python
        self.poller = zmq.Poller()
        self._asleep = False
        self._wake: tuple[socket.socket, socket.socket] | None = None
        self._wake_fd = -1

    def put(self, item: Any) -> None:
        self._items.put(item)
        if self._asleep:  # set before the sleeper looked at the queue: it sees the item or the byte
            wake = self._wake
            if wake is not None:
                try:
                    wake[1].send(b"\0")
                except OSError:  # a full pair already holds a wake-up; a closed one has no sleeper
                    pass

    def get_nowait(self) -> Any:
        return self._items.get_nowait()

    def qsize(self) -> int:
        return self._items.qsize()

    def wait(self, timeout: float) -> list[Any]:
        """Sleep until an item is put, a socket registered in `poller` is readable, or timeout
        (seconds) passes; the readable sockets. With items waiting, only a look (a flood in the
        inbox still lets the sockets be read)."""
        reader = self._open()
        self._asleep = True
        try:
            ms = 0 if not self._items.empty() else math.ceil(max(0.0, timeout) * 1000)
            ready = [sock for sock, _ in self.poller.poll(ms)]
        finally:
            self._asleep = False
        if self._wake_fd in ready:  # a native socket comes back as its descriptor
            ready.remove(self._wake_fd)
            _drain(reader)
        return ready

    def _open(self) -> socket.socket:
        """The wake-up pair, made in the engine thread at its first sleep and closed with the
        engine (or with this inbox, for one no engine ever ran)."""
        if self._wake is None:
            reader, writer = socket.socketpair()
            reader.setblocking(False)
            writer.setblocking(False)
            self._wake = (reader, writer)
            self._wake_fd = reader.fileno()
            self.poller.register(reader, zmq.POLLIN)
            self._finalizer = weakref.finalize(self, _close, reader, writer)
        return self._wake[0]

    def close(self) -> None:
        wake, self._wake = self._wake, None
        if wake is not None:
            self.poller.unregister(wake[0])
            self._finalizer()


def _drain(reader: socket.socket) -> None:
    """One read takes the wake-ups of every put meanwhile (a byte each); any left over only make
    the next poll return at once."""
    try:
        reader.recv(4096)
    except OSError:  # BlockingIOError: a spurious wake-up
        pass


def _close(reader: socket.socket, writer: socket.socket) -> None:
    reader.close()
    writer.close()
