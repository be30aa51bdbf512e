"""JSON-lines front end: events on stdout, chat lines and commands on stdin, logs on stderr."""

from __future__ import annotations

import _signal as signal  # signal.py wraps these in enums it builds at import (~70 members, ~1 ms a start)
import codecs
import json
import sys
import threading
from typing import Any, Callable, Iterable, Iterator, TextIO

from .core import events as ev
from .core.batches import BATCH_MAX
from .core.config import Config
from .core.lazylog import Log
from .node import Node

log = Log(__name__)

QUIET_EVENTS = {"rtt"}
BULK = 8  # events shown together that make orjson worth its import (JsonPrinter)
SETTLED = ("joined", "hosting")  # in the room: orjson loads ORJSON_AFTER later, off the way to these events
ORJSON_AFTER = 0.5  # s; a lone message's line cold took ~120 us through json, ~30 through orjson
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
    Lines come from json in orjson's layout until orjson is loaded, in a thread of its own:
    ORJSON_AFTER after the node joined or hosts (a lone message's line then costs a quarter of the
    CPU), or at once for a burst (BULK events shown together) before that. Importing it at start,
    even beside the engine, slowed launch -> joined by 10-50 ms in A/B runs."""

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
            elif event.name in SETTLED and not self._loading:
                self._load_orjson_in(ORJSON_AFTER)
            body = event.to_json()
            try:
                lines.append(line(body))
            except (TypeError, UnicodeEncodeError):  # a lone surrogate: a file name that is not UTF-8
                lines.append((json.dumps(body) + "\n").encode())  # escaped, so the line stays valid
        if not lines:
            return
        if len(lines) >= BULK and not self._loading:
            self._load_orjson_in(0.0)
        with self.lock:
            try:
                self._write(b"".join(lines))
            except (BrokenPipeError, ValueError):
                self.broken.set()

    def _load_orjson_in(self, delay: float) -> None:
        self._loading = True
        loader = threading.Timer(delay, self._load_orjson)
        loader.name, loader.daemon = "zp2p-orjson", True
        loader.start()

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
QUIT = Node.stop  # /quit: the reader stops reading, then stops the node
CHUNK = 1 << 16  # bytes of piped input read at once: a few hundred lines, split into batches
BATCH_LINES = BATCH_MAX  # lines handed to the engine at once (it signs up to BATCH_MAX in one frame)


def read_commands(node: Node, stdin: TextIO) -> None:
    """Each line is a message; /users, /msg NICK TEXT, /send NICK PATH, /accept ID, /decline ID,
    /cancel ID and /quit are commands; EOF quits."""
    if handle_lines(node, stdin):
        node.stop(timeout=0)


def handle_lines(node: Node, stdin: TextIO) -> bool:
    """Messages already read go to the engine together, in order, BATCH_LINES at most, and before
    a command that follows them. True at /quit or EOF; False when the node ended first."""
    for lines in line_batches(stdin):
        said: list[str] = []
        for raw in lines:
            line = raw.rstrip("\r\n")
            run_command = command(line)
            if run_command is None:
                if line.strip():
                    said.append(line)
                continue
            if not say_all(node, said):
                return False
            said = []
            if run_command is QUIT:
                return True
            run_command(node)
        if not say_all(node, said):
            return False
    return True


def command(line: str) -> Callable[[Node], object] | None:
    """What the line asks the node to do, or None for a message."""
    if not line.startswith("/"):
        return None
    if line == "/quit":
        return QUIT
    if line == "/users":
        return lambda node: node.request_users()
    name, spaced, rest = line.partition(" ")
    if not spaced:
        return None
    if name == "/msg":
        nick, _, text = rest.strip().partition(" ")
        return lambda node: node.send_direct(text, nick=nick)
    if name == "/send":
        nick, _, path = rest.strip().partition(" ")
        return lambda node: node.send_files(path, nick=nick)
    if name in TRANSFER_COMMANDS:
        return lambda node: TRANSFER_COMMANDS[name](node, rest.strip())
    return None


def line_batches(stdin: TextIO) -> Iterator[list[str]]:
    """stdin's lines, every line already arrived at once (a batch), without waiting for more: a
    lone line comes alone as soon as it is read. A stream without a binary layer gives one line
    at a time. Line ends: \n, \r\n or \r, as the text layer's universal newlines read them."""
    binary = getattr(stdin, "buffer", None)
    if binary is None or not hasattr(binary, "read1"):
        for raw in stdin:
            yield [raw]
        return
    decoder = codecs.getincrementaldecoder(stdin.encoding or "utf-8")(stdin.errors or "strict")
    tail = ""
    while chunk := binary.read1(CHUNK):
        text = tail + decoder.decode(chunk)
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")  # a \r\n cut in two leaves an empty line: skipped
        *lines, tail = text.split("\n")
        if lines:
            yield lines
    tail += decoder.decode(b"", final=True)
    if tail:
        yield [tail]


def say_all(node: Node, texts: list[str]) -> bool:
    """Hand the messages over in order, BATCH_LINES at a time, each part once the outbox has
    room for it; False when the node ended meanwhile."""
    while texts:
        if not wait_for_room(node):
            return False
        texts = texts[node.say_many(texts[:BATCH_LINES]):]
    return True


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
    threading.Thread(target=stop_when_broken, args=(node, printer), name="zp2p-stdout", daemon=True).start()
    node.wait()
    return 2 if printer.fatal.is_set() else 0


def stop_when_broken(node: Node, printer: JsonPrinter) -> None:
    """A closed stdout ends the node. A thread that blocks on it, rather than the main thread
    looking five times a second: an idle node wakes only for what its room does. The main thread
    blocks in `node.wait()`, which a signal still interrupts to run its handler."""
    printer.broken.wait()
    node.stop(timeout=0)
