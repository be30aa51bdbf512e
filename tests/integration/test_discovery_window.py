"""The discovery window is the time a host has to answer, so it counts from when the discovery
thread runs: on a loaded machine a thread's start can take a good part of the window, and a
joiner then hosted beside a host it had not had the time to hear."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import zmq

from zp2p_gui.core.config import Config, Limits
from zp2p_gui.net.discovery import CONNECTS_PER_TURN, TURN_MS, Discovery
from zp2p_gui.net.roles import Worker, spawn_thread
from zp2p_gui.node import Node

SLOW_START_S = 0.3
WINDOW_S = 0.5


def slow_spawn(name: str, target: Callable[[], None]) -> Worker:
    """A thread that starts as late as one on a loaded machine."""
    time.sleep(SLOW_START_S)
    return spawn_thread(name, target)


def test_the_window_starts_once_discovery_runs(tmp_path: Path) -> None:
    ctx = zmq.Context()
    config = Config(nick="amy", bind="127.0.31.2", allowed_nets=("127.0.0.0/8",), data_dir=tmp_path)
    node = Node(config, lambda event: None, spawn=slow_spawn, ctx=ctx)
    try:
        asked = time.monotonic()
        node._search(["127.0.31.9"], WINDOW_S)  # nothing listens there: nothing connects
        assert node._deadline - asked >= SLOW_START_S + WINDOW_S
    finally:
        node._roles.stop_all()
        ctx.term()


def test_the_scan_is_connected_a_turn_at_a_time_in_order() -> None:
    """A /24 is connected CONNECTS_PER_TURN addresses per loop turn, first addresses first, so a
    host early in the range answers while the rest of the scan is still to come (and the engine,
    which stops discovery when it joins, saves the rest); once all are connected the loop idles."""
    ctx = zmq.Context()
    targets = [f"127.0.32.{n}" for n in range(1, 41)]
    discovery = Discovery(ctx, lambda heard: None, targets, 29313, Limits())
    try:
        discovery.setup()
        turns = [[ip for ip in targets if ip not in discovery._unconnected]]
        while discovery.poll_timeout_ms() == TURN_MS:
            discovery.on_tick(time.monotonic())
            turns.append([ip for ip in targets if ip not in discovery._unconnected])
        assert [len(t) for t in turns] == [16, 32, 40] and turns[0] == targets[:CONNECTS_PER_TURN]
        assert turns[-1] == targets and discovery.poll_timeout_ms() is None  # sleeps until a beacon or a command
    finally:
        for sock in discovery.sockets:
            sock.close(0)
        ctx.term()
