"""What wakes a quiet node, without sockets: a member's engine wakes for its heartbeat, a
host's sends none, the receiver sleeps until its host would count as silent, a role with no
timer sleeps until woken, and a closed stdout still ends a headless node."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any, Callable

import pytest

from zp2p_gui.core.codec import decode
from zp2p_gui.core.config import Config, Limits, Timings
from zp2p_gui.headless import JsonPrinter, stop_when_broken
from zp2p_gui.identity import Security
from zp2p_gui.net import sender as sender_module
from zp2p_gui.net.actor import Actor
from zp2p_gui.net.messages import Alive, Connect
from zp2p_gui.net.receiver import Receiver
from zp2p_gui.net.sender import Sender
from zp2p_gui.node import Node


class FakePush:
    """Stands in for the sender's PUSH: keeps the kinds of what was sent."""

    def __init__(self) -> None:
        self.kinds: list[str] = []
        self.closed = False

    def send(self, data: bytes, flags: int = 0) -> None:
        self.kinds.append(decode(data)["k"])

    def monitor(self, endpoint: str | None, events: int) -> None:
        """Nobody monitors it."""

    def close(self, linger: int | None = None) -> None:
        self.closed = True


def no_socket(*args: Any, **kwargs: Any) -> FakePush:
    return FakePush()


@pytest.fixture
def connected_sender(monkeypatch: pytest.MonkeyPatch) -> Callable[[bool], Sender]:
    monkeypatch.setattr(sender_module, "host_socket", no_socket)

    def connect(own: bool) -> Sender:
        sender = Sender(None, "ab" * 12, "127.0.0.2", 27802, Timings(), Limits())  # type: ignore[arg-type]
        sender.connect("127.0.0.1", own=own)
        return sender
    return connect


def test_a_member_heartbeats_its_host(connected_sender: Callable[[bool], Sender]) -> None:
    sender = connected_sender(False)
    now = time.monotonic()
    sender.beat(now)
    assert sender.push.kinds == ["hb"]  # type: ignore[union-attr]
    assert sender.next_beat() == now + sender.timings.heartbeat  # the engine sleeps until then
    sender.beat(now)
    assert sender.push.kinds == ["hb"]  # type: ignore[union-attr]


def test_a_host_sends_its_own_relay_no_heartbeat(connected_sender: Callable[[bool], Sender]) -> None:
    sender = connected_sender(True)
    sender.beat(time.monotonic())
    assert sender.push.kinds == []  # type: ignore[union-attr]
    assert sender.next_beat() is None


def test_a_host_that_joins_another_heartbeats_again(connected_sender: Callable[[bool], Sender]) -> None:
    sender = connected_sender(True)
    sender.connect("127.0.0.3")
    sender.beat(time.monotonic())
    assert sender.push.kinds == ["hb"]  # type: ignore[union-attr]


def receiver() -> Receiver:
    r = Receiver(None, lambda event: None, "127.0.0.2", 27803, Timings(), Limits())  # type: ignore[arg-type]
    r.open_to = no_socket  # type: ignore[method-assign]
    return r


def test_the_receiver_sleeps_until_the_host_would_be_silent() -> None:
    """The deadline follows the silence clock (here set far ahead), not a fixed fraction of it."""
    r = receiver()
    ahead = 1000.0
    r.on_command(Connect("127.0.0.1", since=time.monotonic() + ahead))
    assert r.poll_timeout_ms() > ahead * 1000
    r.on_command(Alive(at=time.monotonic() + 2 * ahead))
    assert r.poll_timeout_ms() > 2 * ahead * 1000


def test_a_receiver_with_nothing_to_watch_sleeps_until_woken() -> None:
    r = receiver()
    assert r.poll_timeout_ms() is None
    r.on_command(Connect("127.0.0.1", since=time.monotonic()))
    r.lost = True
    assert r.poll_timeout_ms() is None


def test_a_role_without_timers_sleeps_until_woken() -> None:
    assert Actor(None, lambda event: None).poll_timeout_ms() is None  # type: ignore[arg-type]


class StoppingNode:
    def __init__(self) -> None:
        self.stops: list[float] = []

    def stop(self, timeout: float = 3.0) -> bool:
        self.stops.append(timeout)
        return True


def test_a_closed_stdout_stops_the_node() -> None:
    printer = JsonPrinter(io.StringIO())
    node = StoppingNode()
    printer.broken.set()
    stop_when_broken(node, printer)  # type: ignore[arg-type]
    assert node.stops == [0]


def test_the_engine_wakes_for_its_members_heartbeat_and_sends_it(tmp_path: Path,
                                                               connected_sender: Callable[[bool], Sender]) -> None:
    """The heartbeat goes from the engine's own tick (net/sender.py): a quiet engine sleeps no
    longer than until it is due, and a host's engine, which sends none, not for it."""
    node = Node(Config(nick="amy", bind="127.0.0.2", allowed_nets=("127.0.0.0/8",), data_dir=tmp_path),
                lambda event: None)
    node._take_identity(Security.open(node.config))
    node._sender = connected_sender(False)
    now = time.monotonic()
    node._tick(now)
    assert node._sender.push.kinds == ["hb"]  # type: ignore[union-attr]
    assert 0 < node._tick_gap(now) <= node.config.timings.heartbeat
    node._sender = connected_sender(True)
    assert node._tick_gap(now) == node._timers_gap(now)  # only the engine's own timers


def test_a_flood_in_the_inbox_does_not_hold_back_the_next_tick(tmp_path: Path) -> None:
    """A piped burst fills the engine's inbox; the engine still goes back to its tick (and so to
    its heartbeat) when that is due, leaving the rest of the flood for after it."""
    node = Node(Config(nick="amy", bind="127.0.0.2", allowed_nets=("127.0.0.0/8",), data_dir=tmp_path),
                lambda event: None)
    handled: list[object] = []
    node._dispatch = lambda item: (handled.append(item), time.sleep(0.001))  # type: ignore[method-assign]
    for i in range(2000):
        node._inbox.put(i)
    node._next_tick = time.monotonic() + 0.05
    node._handle_inbox()
    assert 0 < len(handled) < 2000 and node._inbox.qsize() == 2000 - len(handled)
    assert time.monotonic() >= node._next_tick  # it stopped because the tick was due, not for want of items
