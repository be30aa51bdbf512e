"""The engine's inbox (engine/inbox.py): the engine sleeps in one poll that both a put from
another thread and its own receiver's sockets wake, and an actor the engine drives inline
(net/actor.py `run_inline`) reads its sockets from that poll. In process only: inproc zmq."""

from __future__ import annotations

import gc
import os
import threading
import time
from typing import Any, Iterator

import pytest
import zmq

from zp2p_gui.engine.inbox import Inbox
from zp2p_gui.net.actor import Actor

LONG = 30.0  # a wait that ends by timeout would fail the generous limits below


@pytest.fixture
def inbox() -> Inbox:
    return Inbox()


@pytest.fixture
def pair() -> Iterator[tuple[zmq.Socket, zmq.Socket]]:
    ctx = zmq.Context()
    a, b = ctx.socket(zmq.PAIR), ctx.socket(zmq.PAIR)
    a.bind("inproc://inbox-test")
    b.connect("inproc://inbox-test")
    yield a, b
    a.close(0)
    b.close(0)
    ctx.term()


def test_a_put_from_another_thread_wakes_the_sleeping_engine(inbox: Inbox) -> None:
    timer = threading.Timer(0.2, inbox.put, args=("hello",))
    timer.start()
    started = time.monotonic()
    assert inbox.wait(LONG) == []
    assert time.monotonic() - started < LONG / 2
    assert inbox.get_nowait() == "hello"
    timer.join()


def test_an_item_already_waiting_only_makes_it_look(inbox: Inbox) -> None:
    inbox.put(1)
    inbox.put(2)
    started = time.monotonic()
    inbox.wait(LONG)
    assert time.monotonic() - started < LONG / 2
    assert [inbox.get_nowait(), inbox.get_nowait()] == [1, 2] and inbox.qsize() == 0


def test_every_wake_up_is_taken_so_the_next_sleep_lasts(inbox: Inbox) -> None:
    """Puts while asleep leave bytes in the wake-up pair; they must not keep the engine spinning."""
    inbox._asleep = True  # as if these came while it slept
    for i in range(5):
        inbox.put(i)
    inbox._asleep = False
    inbox.wait(LONG)
    while inbox.qsize():
        inbox.get_nowait()
    started = time.monotonic()
    inbox.wait(0.05)
    assert time.monotonic() - started >= 0.04


def test_a_readable_socket_in_its_poller_wakes_it(inbox: Inbox, pair: tuple[zmq.Socket, zmq.Socket]) -> None:
    a, b = pair
    inbox.poller.register(a, zmq.POLLIN)
    b.send(b"packet")
    assert inbox.wait(LONG) == [a]
    assert a.recv() == b"packet"


def test_a_socket_pair_wakes_it_where_there_is_no_eventfd(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr("os.eventfd", raising=False)
    box = Inbox()
    timer = threading.Timer(0.2, box.put, args=("hello",))
    timer.start()
    started = time.monotonic()
    box.wait(LONG)
    assert time.monotonic() - started < LONG / 2 and box.get_nowait() == "hello"
    timer.join()
    for i in range(3):  # several wake-ups, one read: the next sleep still lasts
        box._asleep = True
        box.put(i)
    box._asleep = False
    box.wait(LONG)
    assert [box.get_nowait() for _ in range(3)] == [0, 1, 2]
    started = time.monotonic()
    box.wait(0.05)
    assert time.monotonic() - started >= 0.04


def test_an_inbox_no_engine_ran_closes_its_descriptor_when_collected() -> None:
    """filterwarnings = error: an unclosed socket pair would fail this test with a ResourceWarning."""
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(50):
        Inbox()
    gc.collect()
    assert len(os.listdir("/proc/self/fd")) <= before + 2


class Reader(Actor):
    name = "reader"

    def __init__(self, ctx: zmq.Context, sock: zmq.Socket) -> None:
        super().__init__(ctx, lambda event: None)
        self.sock = sock
        self.read: list[bytes] = []
        self.ticks = 0

    def setup(self) -> None:
        self.add_socket(self.sock)

    def on_readable(self, sock: zmq.Socket) -> None:
        self.read.append(sock.recv())

    def on_tick(self, now: float) -> None:
        self.ticks += 1


def test_an_inline_actor_reads_its_sockets_from_the_callers_poll(inbox: Inbox,
                                                                pair: tuple[zmq.Socket, zmq.Socket]) -> None:
    a, b = pair
    reader = Reader(a.context, a)
    reader.run_inline(inbox.poller)
    b.send(b"one")
    inbox.put("item")
    ready: list[Any] = inbox.wait(LONG)
    reader.step(ready + ["not the reader's"])
    assert reader.read == [b"one"] and reader.ticks == 1
    reader.close_all()
    assert a.closed and reader.sockets == []
    b.send(b"two")
    assert inbox.wait(0) == []  # its socket left the poll with it
