"""The benchmark's child reader keeps what a child prints as raw blocks and parses lines only when
asked: the events still come out whole, in order, JSON objects only, however the pipe cut them,
and an index into `events` stays valid as it grows (a child process; no sockets)."""

from __future__ import annotations

import sys

from zp2p_gui.bench.runner import Child

LONG = 200_000  # characters of one line: several reads of the pipe
SCRIPT = f"""
import json, sys
print(json.dumps({{"event": "ready", "t": 1.0}}))
print("a log line that is not JSON")
print("[1, 2]")
print(json.dumps({{"event": "message", "t": 2.0, "text": "x" * {LONG}}}))
sys.stdout.flush()
sys.stdin.readline()
print(json.dumps({{"event": "message", "t": 3.0, "text": "second"}}), flush=True)
sys.stdin.readline()
"""


def test_events_are_the_printed_objects_in_order_parsed_when_asked() -> None:
    child = Child("reader", None, [sys.executable, "-c", SCRIPT], {})
    try:
        first = child.wait_for(lambda e: e["event"] == "message", timeout=30)
        assert len(first["text"]) == LONG
        assert [e["event"] for e in child.events] == ["ready", "message"]
        mark = len(child.events)
        seen = child.messages()
        assert [e["t"] for e in seen] == [2.0]
        child.say("go")
        second = child.wait_for(lambda e: e["event"] == "message", timeout=30, after=mark)
        assert second["text"] == "second"
        assert [e["t"] for e in child.messages()] == [2.0, 3.0]
        assert [e["t"] for e in seen] == [2.0], "messages() hands out a copy"
        assert child.events[mark] is second
    finally:
        child.close()


def test_a_wait_tries_each_event_once() -> None:
    child = Child("reader", None, [sys.executable, "-c", SCRIPT], {})
    tried: list[str] = []
    try:
        child.wait_for(lambda e: e["event"] == "message", timeout=30)
        child.say("go")
        child.wait_for(lambda e: tried.append(e["event"]) or e["t"] == 3.0, timeout=30)
        assert tried == ["ready", "message", "message"]
    finally:
        child.close()
