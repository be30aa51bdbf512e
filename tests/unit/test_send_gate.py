"""Backpressure: a front end that pipes in more than the outbox holds waits instead of losing text."""

from __future__ import annotations

import io
import threading

from zp2p_gui.core.outbox import Outbox, SendGate
from zp2p_gui.headless import BATCH_LINES, read_commands


def piped(text: str) -> io.TextIOWrapper:
    """stdin as a pipe that already holds all of `text`."""
    return io.TextIOWrapper(io.BytesIO(text.encode()), encoding="utf-8")


def test_the_gate_closes_at_the_limit_and_opens_at_the_low_water_mark() -> None:
    gate = SendGate(limit=4, low=2)
    for _ in range(3):
        gate.take()
    assert gate.wait(0)
    gate.take()
    assert not gate.wait(0)
    gate.done()
    assert not gate.wait(0)   # 3 outstanding: still above the low-water mark
    gate.done()
    assert gate.wait(0)


def test_a_waiter_wakes_when_the_engine_drains_the_outbox() -> None:
    gate = SendGate(limit=1, low=0)
    gate.take()
    woke = threading.Event()
    waiter = threading.Thread(target=lambda: gate.wait(10.0) and woke.set())
    waiter.start()
    gate.done()
    waiter.join(10.0)
    assert woke.is_set()


def test_confirming_a_message_opens_the_gate_and_a_repeat_does_not_count_twice() -> None:
    box = Outbox(window=8, resend_after=1.0, limit=2)
    for seq in (1, 2):
        box.gate.take()
        box.add(seq, b"m", 0.0)
    assert not box.gate.wait(0)
    box.confirm(1)
    box.confirm(1)
    assert box.gate.wait(0) and not box.full()


def test_an_echoed_batch_confirms_its_messages_in_one_call() -> None:
    box = Outbox(window=8, resend_after=1.0, limit=4, gate=SendGate(limit=4, low=0))
    for _ in range(4):
        box.gate.take()
    box.add(1, b"batch", 0.0, last=4)
    assert not box.gate.wait(0)
    box.confirm(1, 2, 3, 2)
    assert not box.gate.wait(0) and len(box) == 1 and box.due(5.0) == [b"batch"]
    box.confirm(4)
    assert box.gate.wait(0) and len(box) == 0


def test_frames_held_by_a_full_window_are_known_until_sent_or_confirmed() -> None:
    """held() tells the engine an echo may have made room: it sends what waits then, not at a tick."""
    box = Outbox(window=4, resend_after=1.0, limit=100)
    assert box.add(1, b"a", 0.0, last=4) == b"a"
    assert box.add(5, b"b", 0.0, last=8) is None and box.add(9, b"c", 0.0, last=12) is None
    assert box.held()
    box.confirm(1, 2, 3, 4)
    assert box.held() and box.due(0.1) == [b"b"], "in the window now, though resend_after has not passed"
    assert box.held(), "c is still outside the window"
    box.confirm(*range(9, 13))  # confirmed without ever being sent (an earlier host relayed it)
    assert not box.held() and box.due(0.2) == []


class FakeNode:
    """Room for `room` messages, then none until the test has seen the reader wait."""

    def __init__(self, room: int) -> None:
        self.room = room
        self.said: list[str] = []
        self.batches: list[list[str]] = []
        self.users = 0
        self.waited = threading.Event()
        self.ended = False

    def room_for_more(self, timeout: float | None = None) -> bool:
        if len(self.said) < self.room:
            return True
        self.waited.set()
        return False

    def wait(self, timeout: float | None = None) -> bool:
        return self.ended

    def say_many(self, texts: list[str]) -> int:
        taken = texts[:max(0, self.room - len(self.said))]
        self.said.extend(taken)
        self.batches.append(list(texts))  # offered
        return len(taken)

    def request_users(self) -> None:
        self.users = len(self.said)

    def stop(self, timeout: float = 3.0) -> bool:
        self.ended = True
        return True


def test_the_headless_reader_stops_reading_while_the_outbox_is_full() -> None:
    node = FakeNode(room=2)
    reader = threading.Thread(target=read_commands, args=(node, io.StringIO("a\nb\nc\nd\n")))
    reader.start()
    assert node.waited.wait(10.0)
    assert node.said == ["a", "b"]     # c is held back, not refused
    node.room = 10
    reader.join(10.0)
    assert node.said == ["a", "b", "c", "d"] and node.ended


def test_the_headless_reader_gives_up_waiting_when_the_node_ends() -> None:
    node = FakeNode(room=0)
    node.ended = True
    read_commands(node, io.StringIO("a\n"))
    assert node.said == []


def test_a_batch_of_messages_is_taken_only_as_far_as_the_limit_has_room() -> None:
    gate = SendGate(limit=4, low=2)
    gate.take()
    assert gate.take_up_to(5) == 3
    assert not gate.wait(0) and gate.take_up_to(1) == 0
    gate.done()
    gate.done()
    assert gate.wait(0) and gate.take_up_to(1) == 1


def test_lines_already_read_go_to_the_engine_together_in_order_and_bounded() -> None:
    count = BATCH_LINES + 3
    node = FakeNode(room=1000)
    read_commands(node, piped("".join(f"m{i}\n" for i in range(count))))
    assert node.said == [f"m{i}" for i in range(count)]
    assert [len(batch) for batch in node.batches] == [BATCH_LINES, 3] and node.ended


def test_messages_before_a_command_are_handed_over_before_it_runs() -> None:
    node = FakeNode(room=1000)
    read_commands(node, piped("a\nb\n/users\nc\n/quit\nd\n"))
    assert node.users == 2 and node.said == ["a", "b", "c"] and node.ended


def test_a_batch_waits_for_room_for_its_rest_instead_of_losing_it() -> None:
    node = FakeNode(room=2)
    reader = threading.Thread(target=read_commands, args=(node, piped("a\nb\nc\nd\n")))
    reader.start()
    assert node.waited.wait(10.0)
    assert node.said == ["a", "b"]
    node.room = 10
    reader.join(10.0)
    assert node.batches == [["a", "b", "c", "d"], ["c", "d"]] and node.ended
