"""The engine's inbox: what the front end and the roles hand the engine thread, and the one
place that thread sleeps. It sleeps in a zmq poll, not on a queue, so that the sockets the engine
owns (a member's SUB on the host's relay, net/receiver.py) wake it directly: a relayed message is
read, decoded, checked and shown by one thread on one wake-up, where a receiver thread of its own
had to wake the engine in turn (at 10 nodes on 2 cores that second wake-up waited ~2 ms for a core).

A put from another thread wakes the poll through a descriptor (an eventfd on Linux, else a
socket pair), written only while the engine sleeps: a put while it works costs no system call."""

from __future__ import annotations

import math
import os
import queue
import weakref
from typing import Any

import zmq


class _EventFd:
    """Linux: a counter in the kernel, C calls both ways; a put's wake-up measured ~25 us less
    than through a socket pair, about what queue.Queue's took."""

    def __init__(self) -> None:
        self.fd = os.eventfd(0, os.EFD_NONBLOCK | os.EFD_CLOEXEC)

    def wake(self) -> None:
        os.eventfd_write(self.fd, 1)

    def take(self) -> None:
        os.eventfd_read(self.fd)  # every wake-up since the last, at once

    def close(self) -> None:
        os.close(self.fd)


class _SocketPair:
    """Elsewhere: a byte per wake-up; one read takes them all (any left only end the next sleep at once)."""

    def __init__(self) -> None:
        import socket  # here, not at the top: Linux never needs it, and it pulls in selectors and array (~3 ms a start)

        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self.fd = self._reader.fileno()

    def wake(self) -> None:
        self._writer.send(b"\0")

    def take(self) -> None:
        self._reader.recv(4096)

    def close(self) -> None:
        self._reader.close()
        self._writer.close()


class Inbox:
    """put: any thread; get_nowait and wait: the engine thread. The wake-up descriptor lives as
    long as the inbox (closed when it is collected): a put that saw the engine asleep may still
    write after the engine has ended, and must never write to a number the process reused."""

    def __init__(self) -> None:
        self._items: queue.SimpleQueue[Any] = queue.SimpleQueue()  # put and get in C, no Condition in Python
        self._asleep = False
        self._waker = _EventFd() if hasattr(os, "eventfd") else _SocketPair()
        weakref.finalize(self, self._waker.close)
        self.poller = zmq.Poller()
        self.poller.register(self._waker.fd, zmq.POLLIN)

    def put(self, item: Any) -> None:
        self._items.put(item)
        if self._asleep:  # set before the sleeper looked at the queue: it sees the item or the wake-up
            try:
                self._waker.wake()
            except OSError:  # a full socket pair already holds a wake-up
                pass

    def get_nowait(self) -> Any:
        return self._items.get_nowait()

    def qsize(self) -> int:
        return self._items.qsize()

    def wait(self, timeout: float) -> list[Any]:
        """Sleep until an item is put, a socket registered in `poller` is readable, or timeout
        (seconds) passes; the readable sockets. With items waiting, only a look (a flood in the
        inbox still lets the sockets be read)."""
        self._asleep = True
        try:
            ms = 0 if not self._items.empty() else math.ceil(max(0.0, timeout) * 1000)
            ready = [sock for sock, _ in self.poller.poll(ms)]
        finally:
            self._asleep = False
        if self._waker.fd in ready:  # a descriptor comes back as its number
            ready.remove(self._waker.fd)
            try:
                self._waker.take()
            except OSError:  # BlockingIOError: a spurious wake-up
                pass
        return ready
