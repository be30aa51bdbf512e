"""libzmq sends a socket's monitor events from its I/O thread, and when the monitor's reader is
gone it blocks that thread for good: every socket of the context stops. Two whole-suite runs lost
every later test that ran zmq in the pytest process that way (a receiver's monitor reader was
closed before its SUB, then its host hung up): windows whose own registry never answered, beacons
nobody heard. Actors stop each monitor before its reader or its socket closes
(`Actor.add_monitor`). Real sockets on loopback; every wait is bounded."""

from __future__ import annotations

import queue
import subprocess
import sys
import textwrap
import time
from typing import Any

import zmq

from zp2p_gui.net.actor import Actor
from zp2p_gui.net.roles import Roles, spawn_thread

from ..harness import ROOT

IP = "127.0.93.1"
HANGUP_SETTLE_S = 0.5  # a close or a hang-up reaches libzmq's threads within milliseconds on loopback


def _context_works(ctx: zmq.Context) -> bool:
    """A fresh TCP pair of ctx delivers a message: its I/O threads are not stuck."""
    pull = ctx.socket(zmq.PULL)
    push = ctx.socket(zmq.PUSH)
    try:
        port = pull.bind_to_random_port(f"tcp://{IP}")
        push.connect(f"tcp://{IP}:{port}")
        push.send(b"ping", zmq.NOBLOCK)
        return bool(pull.poll(3000))
    finally:
        push.close(0)
        pull.close(0)


class Watching(Actor):
    """A SUB to a host, its disconnections watched: the shape of net/receiver.py."""

    name = "watching"

    def __init__(self, ctx: zmq.Context, emit: Any, host: str, socket_class: type = zmq.Socket) -> None:
        super().__init__(ctx, emit)
        self.host = host
        self.socket_class = socket_class

    def setup(self) -> None:
        sub = self.ctx.socket(zmq.SUB, socket_class=self.socket_class)
        sub.setsockopt(zmq.LINGER, 0)
        sub.setsockopt(zmq.SUBSCRIBE, b"")
        self.reader = self.add_monitor(sub, zmq.EVENT_HANDSHAKE_SUCCEEDED | zmq.EVENT_DISCONNECTED)
        self.sub = self.add_socket(sub)  # after its reader, as a receiver adds them
        sub.connect(self.host)

    def on_readable(self, sock: zmq.Socket) -> None:
        if sock is self.reader:
            while sock.poll(0):
                sock.recv_multipart()
                self.emit("event")

    def on_command(self, command: Any) -> None:
        self.drop_socket(self.reader)
        self.emit("reader dropped")


def _host() -> tuple[zmq.Context, zmq.Socket, str]:
    ctx = zmq.Context()
    pub = ctx.socket(zmq.PUB)
    pub.setsockopt(zmq.LINGER, 0)
    port = pub.bind_to_random_port(f"tcp://{IP}")
    return ctx, pub, f"tcp://{IP}:{port}"


def test_libzmq_still_blocks_its_io_thread_on_a_monitor_without_reader() -> None:
    """Why add_monitor exists, for the pinned pyzmq/libzmq: run in a child process, which the
    block would poison. If a new libzmq stops blocking, this fails and the rule may be relaxed."""
    child = textwrap.dedent(f"""
        import os, time, zmq
        mine, theirs = zmq.Context(), zmq.Context()
        pub = theirs.socket(zmq.PUB); port = pub.bind_to_random_port("tcp://{IP}")
        sub = mine.socket(zmq.SUB); sub.setsockopt(zmq.SUBSCRIBE, b"")
        reader = sub.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED | zmq.EVENT_DISCONNECTED)
        sub.connect(f"tcp://{IP}:{{port}}")
        assert reader.poll(5000), "no handshake"
        reader.close(0)
        time.sleep({HANGUP_SETTLE_S})  # the reader's end of the pipe is taken apart asynchronously
        pub.close(0)
        time.sleep({HANGUP_SETTLE_S})
        pull = mine.socket(zmq.PULL); p = pull.bind_to_random_port("tcp://{IP}")
        push = mine.socket(zmq.PUSH); push.connect(f"tcp://{IP}:{{p}}"); push.send(b"x")
        print("alive" if pull.poll(3000) else "blocked", flush=True)
        os._exit(0)
    """)
    out = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.stdout.strip() == "blocked", out.stdout + out.stderr


def test_dropping_a_monitor_reader_first_leaves_the_context_working() -> None:
    host_ctx, pub, endpoint = _host()
    ctx = zmq.Context()
    events: queue.Queue[str] = queue.Queue()
    roles = Roles(spawn_thread)
    try:
        roles.start(Watching(ctx, events.put, endpoint))
        assert events.get(timeout=10) == "event", "the SUB never connected"
        roles.tell("watching", "drop the reader")
        assert events.get(timeout=10) == "reader dropped"
        time.sleep(HANGUP_SETTLE_S)  # nothing to await: libzmq takes the reader's pipe apart by itself
        pub.close(0)  # the host hangs up while the SUB lives on without a reader
        assert _context_works(ctx), "a monitor event without a reader blocked the context's I/O thread"
    finally:
        roles.stop_all()
        host_ctx.destroy(0)
    ctx.term()


class Recording(zmq.Socket):
    """Notes when its monitor is stopped and when it closes, in one list shared by every socket."""

    log: list[str] = []

    def monitor(self, addr: str | None, events: int = zmq.EVENT_ALL) -> None:
        if addr is None:
            Recording.log.append(f"stop {self.type}")
        super().monitor(addr, events)

    def close(self, linger: int | None = None) -> None:
        if not self.closed:
            Recording.log.append(f"close {self.type}")
        super().close(linger)


def test_a_role_that_ends_stops_its_monitors_before_closing_any_socket() -> None:
    host_ctx, pub, endpoint = _host()
    ctx = zmq.Context()
    events: queue.Queue[str] = queue.Queue()
    roles = Roles(spawn_thread)
    Recording.log = []
    try:
        roles.start(Watching(ctx, events.put, endpoint, socket_class=Recording))
        assert events.get(timeout=10) == "event", "the SUB never connected"
        roles.stop("watching")
        assert Recording.log and Recording.log[0] == f"stop {zmq.SUB}", Recording.log
        assert f"close {zmq.SUB}" in Recording.log, Recording.log
        pub.close(0)
        assert _context_works(ctx)
    finally:
        roles.stop_all()
        host_ctx.destroy(0)
    ctx.term()
