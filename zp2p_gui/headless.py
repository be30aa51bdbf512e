"""JSON-lines front end: events on stdout, chat lines and commands on stdin, logs on stderr."""

from __future__ import annotations

import json
import logging
import signal
import sys
import threading
from typing import Any, Callable, Iterable, TextIO

from .core import events as ev
from .core.config import Config
from .node import Node

log = logging.getLogger(__name__)

QUIET_EVENTS = {"rtt"}
BULK = 8  # events shown together that make orjson worth its import (JsonPrinter)
_json_line = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # orjson's layout, before it loads


def _orjson_line() -> Callable[[dict[str, Any]], bytes]:
    """orjson's dumps for one line: UTF-8, non-ASCII text as it is (not escaped), a tenth of the
    json module's cost, and every node prints every message. Its import loads dataclasses and
    inspect (~10 ms), which the start-up keeps off its way to `joined`
    (tests/unit/test_start_imports.py), so the printer loads it only for a burst."""
    from orjson import OPT_APPEND_NEWLINE, dumps
    return lambda body: dumps(body, option=OPT_APPEND_NEWLINE)


class JsonPrinter:
    """Serialises events from the engine thread; a closed stdout ends the node instead of raising.
    Lines come from json in orjson's layout until the first burst (BULK events shown together);
    that starts orjson's import in a thread of its own, and its lines from then on. Importing it
    at start, even beside the engine, slowed launch -> joined by 10-50 ms in A/B runs."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self._binary = getattr(out, "buffer", None)  # stdout's bytes: the lines are UTF-8 already
        self._line: Callable[[dict[str, Any]], bytes] = lambda body: (_json_line(body) + "\n").encode()
        self._loading = False
        self.lock = threading.Lock()
        self.fatal = threading.Event()
        self.broken = threading.Event()

    def __call__(self, event: ev.Event) -> None:
        self.many((event,))

    def many(self, events: Iterable[ev.Event]) -> None:
        """Several events, one JSON line each, in one write and one flush: a batch of messages
        costs one system call, not one per message (the engine calls this for what it shows together)."""
        line = self._line
        lines = []
        for event in events:
            if event.name in QUIET_EVENTS:
                continue
            if isinstance(event, ev.Error) and event.fatal:
                self.fatal.set()
            body = event.to_json()
            try:
                lines.append(line(body))
            except (TypeError, UnicodeEncodeError):  # a lone surrogate: a file name that is not UTF-8
                lines.append((json.dumps(body) + "\n").encode())  # escaped, so the line stays valid
        if not lines:
            return
        if len(lines) >= BULK and not self._loading:
            self._loading = True
            threading.Thread(target=self._load_orjson, name="zp2p-orjson", daemon=True).start()
        with self.lock:
            try:
                self._write(b"".join(lines))
            except (BrokenPipeError, ValueError):
                self.broken.set()

    def _load_orjson(self) -> None:
        self._line = _orjson_line()

    def _write(self, data: bytes) -> None:
        """Bytes to the stream's binary layer (after anything its text layer still holds), or as
        text to a stream that has none."""
        if self._binary is None:
            self.out.write(data.decode("utf-8"))
            self.out.flush()
            return
        self.out.flush()
        view = memoryview(data)
        while view:  # an unbuffered stdout (python -u) is a raw file: a signal can cut a write short
            view = view[self._binary.write(view):]
        self._binary.flush()


TRANSFER_COMMANDS = {"/accept": Node.accept_offer, "/decline": Node.decline_offer, "/cancel": Node.cancel_transfer}


def read_commands(node: Node, stdin: TextIO) -> None:
    """Each line is a message; /users, /msg NICK TEXT, /send NICK PATH, /accept ID, /decline ID,
    /cancel ID and /quit are commands; EOF quits."""
    for raw in stdin:
        line = raw.rstrip("\r\n")
        if line == "/quit":
            break
        command, spaced, rest = line.partition(" ")
        if line == "/users":
            node.request_users()
        elif spaced and command == "/msg":
            nick, _, text = rest.strip().partition(" ")
            node.send_direct(text, nick=nick)
        elif spaced and command == "/send":
            nick, _, path = rest.strip().partition(" ")
            node.send_files(path, nick=nick)
        elif spaced and command in TRANSFER_COMMANDS:
            TRANSFER_COMMANDS[command](node, rest.strip())
        elif line.strip():
            if not wait_for_room(node):
                return
            node.say(line)
    node.stop(timeout=0)


def wait_for_room(node: Node) -> bool:
    """Backpressure: stop reading stdin while the outbox is full, so `cat big.txt | zp2p
    --headless` delivers every line instead of refusing the ones that do not fit. False when
    the node ended meanwhile."""
    while not node.room_for_more(timeout=0.5):
        if node.wait(0):
            return False
    return True


def run(config: Config, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    """Exit 0 after /quit or EOF, 2 after a fatal error (the error event says why)."""
    printer = JsonPrinter(stdout)
    node = Node(config, printer)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: node.stop(timeout=0))
    node.start()
    threading.Thread(target=read_commands, args=(node, stdin), name="zp2p-stdin", daemon=True).start()
    while not node.wait(0.2):
        if printer.broken.is_set():
            node.stop(timeout=0)
    return 2 if printer.fatal.is_set() else 0
