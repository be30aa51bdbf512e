"""All day in a window means many Connects and Disconnects, each with an engine of its own: the
engine sleeps in a poll on a wake-up descriptor (an eventfd, engine/inbox.py) and drives the
member's relay socket and its monitor itself. A member that joins a live room and leaves it again,
over and over in one process, must end each run holding no more descriptors or threads than it
started with. Real sockets: the host is a headless process, the member an engine in this one."""

from __future__ import annotations

import gc
import os
import queue
import threading
from pathlib import Path

from zp2p_gui.core.config import Config
from zp2p_gui.core.events import Event, Joined
from zp2p_gui.node import Node

WARM_UP = 3  # runs before counting: libzmq's context threads and caches settle in the first ones
RUNS = 20
JOIN_TIMEOUT_S = 20.0
SLACK_FDS = 2  # a descriptor libzmq may still be closing in its I/O thread as the count is taken


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def join_and_leave(config: Config) -> None:
    """One Connect -> joined -> Disconnect, waiting for the engine's threads to end."""
    events: queue.Queue[Event] = queue.Queue()
    node = Node(config, events.put)
    node.start()
    try:
        while not isinstance(events.get(timeout=JOIN_TIMEOUT_S), Joined):
            pass
    finally:
        assert node.stop(timeout=10), "the engine did not stop"
    del node
    gc.collect()  # the inbox closes its descriptor when collected, as the window's old engines are


def test_joining_and_leaving_twenty_times_leaks_no_descriptor_or_thread(room, tmp_path: Path) -> None:
    room.start("alice", 2).wait_event("hosting")
    config = Config(nick="bob", bind=room.ip(3), scan=(room.scan,), port=room.port,
                    allowed_nets=("127.0.0.0/8",), data_dir=tmp_path)
    for _ in range(WARM_UP):
        join_and_leave(config)
    fds, threads = open_descriptors(), threading.active_count()
    for _ in range(RUNS):
        join_and_leave(config)
    assert open_descriptors() <= fds + SLACK_FDS
    assert threading.active_count() <= threads
