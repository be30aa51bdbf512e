"""Headless nodes as child processes on private loopback rooms (and, for --peers, in namespaces).

The benchmark measures what a user gets, so it drives the real `zp2p --headless` front end
through its JSON-lines contract. Every child lives on 127.0.2.x / 127.0.20-29.x and ports
26000-26999, with ZP2P_ALLOWED_NETS set, and every child is killed when its Room exits,
even when a measurement fails half way.
"""

from __future__ import annotations

import itertools
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any, Callable, Iterator

import orjson

from ..core.config import PORTS_PER_ROOM

Event = dict[str, Any]

SUBNETS = ("127.0.2", *(f"127.0.{n}" for n in range(20, 30)))
PORT_FIRST, PORT_LAST = 26000, 26999
DISCOVERY_WINDOW_S = 1.0


READ_BYTES = 1 << 16  # what a reader takes from a child's stdout at once


def _event(line: bytes) -> Event | None:
    """One printed line as an event; None for anything that is not a JSON object."""
    try:
        event = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    return event if isinstance(event, dict) else None


class BenchError(RuntimeError):
    """A measurement could not complete (a node never reached the expected state)."""


class Child:
    """A child process speaking JSON lines on stdout (`event`, `t`), one per line; a reader
    thread keeps its events so waits never block on a pipe."""

    def __init__(self, nick: str, ip: str | None, argv: list[str], env: dict[str, str],
                 capture_stderr: bool = False) -> None:
        self.nick = nick
        self.ip = ip
        self.stderr: list[str] = []
        self._new = threading.Condition()
        self._chunks: list[bytes] = []  # whole lines as printed, a block of them each, not parsed yet
        self._parsed_chunks = 0  # how many of _chunks are in _events
        self._events: list[Event] = []
        self._messages: list[Event] = []  # the `message` events of _events[:_messages_scanned]
        self._messages_scanned = 0
        self._eof = False
        self.started = time.time()
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE if capture_stderr else subprocess.DEVNULL, env=env,
            text=True, encoding="utf-8", bufsize=1,
        )
        self._readers = [threading.Thread(target=self._read, name=f"node-{nick}", daemon=True)]
        if capture_stderr:
            self._readers.append(threading.Thread(target=self._read_stderr, name=f"node-{nick}-log", daemon=True))
        for reader in self._readers:
            reader.start()

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr.append(line)

    def _read(self) -> None:
        """Whole blocks of what the child printed, kept as they came; lines are parsed only when
        someone looks at the events (`events`, `wait_for`, `messages`). At 10,000 messages/s a
        node prints as fast as the bench can read, and parsing every line of every node here cost
        about 12 us a line, a tenth of a message's CPU in the whole room, spent on lines (a
        sender's echo, the host's display) that no measure reads. A child blocked on a full pipe
        measures the bench, not itself."""
        assert self.proc.stdout is not None
        stdout = self.proc.stdout.buffer  # the text layer is never read, so nothing waits in it
        tail = b""
        while block := stdout.read1(READ_BYTES):
            cut = block.rfind(b"\n") + 1
            if not cut:
                tail += block
                continue
            lines, tail = tail + block[:cut], block[cut:]
            with self._new:
                self._chunks.append(lines)
                self._new.notify_all()
        with self._new:
            self._eof = True
            self._new.notify_all()

    @property
    def events(self) -> list[Event]:
        """Every JSON object the child printed so far, in order (one list, growing: an index into
        it stays valid). Parsed here, each line once."""
        with self._new:
            while self._parsed_chunks < len(self._chunks):
                chunk = self._chunks[self._parsed_chunks]
                self._chunks[self._parsed_chunks] = b""  # parsed: only the events are kept
                self._parsed_chunks += 1
                self._events.extend(event for event in map(_event, chunk.split(b"\n")[:-1]) if event is not None)
            return self._events

    def wait_for(self, pred: Callable[[Event], bool], timeout: float, after: int = 0) -> Event:
        """The first event from index `after` matching pred; BenchError after timeout."""
        end = time.monotonic() + timeout
        with self._new:
            while True:
                events = self.events
                for event in events[after:]:  # each event is tried once: only new ones on every wake
                    if pred(event):
                        return event
                after = max(after, len(events))
                left = end - time.monotonic()
                if left <= 0 or self._eof:
                    raise BenchError(f"{self.nick}@{self.ip}: no expected event within {timeout:.1f}s; "
                                     f"last: {[e['event'] for e in events[-5:]]}")
                self._new.wait(min(left, 0.05))

    def wait_event(self, *names: str, timeout: float = 10.0, after: int = 0) -> Event:
        return self.wait_for(lambda e: e["event"] in names, timeout, after)

    def say(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def messages(self) -> list[Event]:
        """The `message` events so far (a copy); each event is looked at once over all calls, as a
        burst's measure asks for them ten times a second."""
        with self._new:
            events = self.events
            self._messages.extend(e for e in events[self._messages_scanned:] if e["event"] == "message")
            self._messages_scanned = len(events)
            return list(self._messages)

    def signal(self, sig: int) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)

    def close(self) -> None:
        """Kill (a stopped child too) and reap; never raises."""
        if self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.send_signal(signal.SIGCONT)
            except ProcessLookupError:
                pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
        for reader in self._readers:  # they end at the pipes' EOF; closing a pipe under one raises there
            reader.join(2)
        readers = dict(zip((self.proc.stdout, self.proc.stderr), self._readers))
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            reader = readers.get(stream)
            if stream is None or (reader is not None and reader.is_alive()):
                continue  # no EOF yet (seen once: the pipe's write end still open in this process); closing
                # would wait for ever on the lock its blocked reader holds, so the pipe is left to it
            try:
                stream.close()
            except OSError:
                pass


class Node(Child):
    """One `zp2p --headless` node, optionally inside a namespace (wrapper: `ip netns exec NS`)."""

    def __init__(self, nick: str, ip: str | None, args: list[str], env: dict[str, str], capture_stderr: bool = False,
                 wrapper: tuple[str, ...] = ()) -> None:
        super().__init__(nick, ip, [*wrapper, sys.executable, "-m", "zp2p_gui", "--headless", "--nick", nick,
                                    *(["--bind", ip] if ip else []), *args], env, capture_stderr)


class Room:
    """Nodes sharing one subnet and base port; a context manager that kills them all on exit."""

    def __init__(self, subnet: str, port: int) -> None:
        self.subnet = subnet
        self.port = port
        self.nodes: list[Node] = []
        self.env = {**os.environ, "ZP2P_ALLOWED_NETS": "127.0.0.0/8", "PYTHONUNBUFFERED": "1"}
        self._names = itertools.count(1)
        self._data = tempfile.TemporaryDirectory(prefix="zp2p-bench-")

    def start(self, n: int, window: float = DISCOVERY_WINDOW_S, extra: tuple[str, ...] = (),
              data_dir: str | None = None) -> Node:
        """Start node number n (its address is subnet.n), scanning the room's /24; a new data
        folder unless data_dir names one (a node that comes back as itself)."""
        args = ["--scan", f"{self.subnet}.0/24", "--port", str(self.port), "--discovery-window", str(window),
                "--data-dir", data_dir or self.folder(), *extra]
        node = Node(f"b{n}x{next(self._names)}", f"{self.subnet}.{n}", args, self.env)
        self.nodes.append(node)
        return node

    def folder(self) -> str:
        """A new data folder, removed with the room."""
        return tempfile.mkdtemp(dir=self._data.name)

    def start_room(self, size: int, timeout: float = 30.0, host_args: tuple[str, ...] = ()) -> list[Node]:
        """A host on .1 and size-1 members that have all joined; started in small waves
        so 50 Python start-ups do not starve the host on two cores."""
        host = self.start(1, extra=host_args)
        host.wait_event("hosting", timeout=timeout)
        members: list[Node] = []
        for first in range(2, size + 1, 8):
            wave = [self.start(n) for n in range(first, min(first + 8, size + 1))]
            for node in wave:
                node.wait_event("joined", timeout=timeout)
            members.extend(wave)
        return [host, *members]

    def __enter__(self) -> "Room":
        return self

    def __exit__(self, *exc: object) -> None:
        for node in self.nodes:
            node.close()
        self._data.cleanup()


class Rooms:
    """Hands out (subnet, port) pairs so no two rooms of one run ever share both; starts at a
    random block so a concurrent run (CI and a developer) rarely meets this one."""

    def __init__(self) -> None:
        blocks = (PORT_LAST - PORT_FIRST + 1) // PORTS_PER_ROOM
        start = random.randrange(blocks)
        self._ports: Iterator[int] = (PORT_FIRST + PORTS_PER_ROOM * ((start + i) % blocks) for i in itertools.count())
        self._subnets = itertools.cycle(SUBNETS)

    def new(self) -> Room:
        return Room(next(self._subnets), next(self._ports))
