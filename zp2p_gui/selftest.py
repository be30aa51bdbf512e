"""`zp2p --self-test`: two real nodes in this process chat over loopback, so a user (or CI, or a
support thread) can tell in seconds whether this build's Python, pyzmq and engine work here.

Only loopback is used (127.0.3.x), the scan is a /29, and every wait is bounded: the whole run
ends within about ten seconds whatever happens.
"""

from __future__ import annotations

import os
import queue
import random
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, TextIO

from .cli import ALLOWED_NETS_ENV
from .core import events as ev
from .core.config import PORTS_PER_ROOM, Config, Timings
from .core.records import replace
from .core.validation import ValidationError, is_allowed, parse_allowed_nets
from .node import Node

HOST_IP = "127.0.3.1"
MEMBER_IP = "127.0.3.2"
SCAN = "127.0.3.0/29"
ROOM = "zp2p-self-test"
# Below every OS's ephemeral range: the scan's own outgoing connections could grab P..P+5 there.
PORT_RANGE = (20000, 32000)
PORT_TRIES = 50
STEP_TIMEOUT = 4.0
STOP_TIMEOUT = 3.0


class StepFailed(Exception):
    """One step did not happen in time; the message says what was expected."""


class Probe:
    """Collects one node's events from its engine thread so the test thread can wait on them."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.events: queue.Queue[ev.Event] = queue.Queue()
        self.seen: list[ev.Event] = []

    def __call__(self, event: ev.Event) -> None:
        self.events.put(event)

    def wait(self, what: str, match: Callable[[ev.Event], bool], timeout: float = STEP_TIMEOUT) -> ev.Event:
        """The first matching event within timeout; a fatal error event ends the wait early."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise StepFailed(f"{self.label}: no {what} within {timeout:.0f} s")
            try:
                event = self.events.get(timeout=left)
            except queue.Empty:
                continue
            self.seen.append(event)
            if match(event):
                return event
            if isinstance(event, ev.Error) and event.fatal:
                raise StepFailed(f"{self.label}: {event.code}: {event.detail}")


def _ports_free(ips: tuple[str, ...], base: int) -> bool:
    """True when P..P+5 can be bound on every address (closed again at once): every node binds its
    direct port P+4 and file data port P+5, the host also P..P+3."""
    socks: list[socket.socket] = []
    try:
        for ip in ips:
            for port in range(base, base + PORTS_PER_ROOM):
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                socks.append(sock)
                sock.bind((ip, port))
        return True
    except OSError:
        return False
    finally:
        for sock in socks:
            sock.close()


def find_free_port(ips: tuple[str, ...], rng: random.Random | None = None) -> int:
    """A base port whose six ports are free on all addresses; random so parallel runs rarely collide."""
    rng = rng or random.Random()
    for _ in range(PORT_TRIES):
        base = rng.randrange(PORT_RANGE[0], PORT_RANGE[1], PORTS_PER_ROOM)
        if _ports_free(ips, base):
            return base
    raise StepFailed(f"no five free ports in a row on {', '.join(ips)} after {PORT_TRIES} tries")


def _check_loopback(ips: tuple[str, ...]) -> None:
    """Binding 127.0.3.x needs the whole 127/8 on loopback (Linux, Windows; not stock macOS)."""
    for ip in ips:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((ip, 0))
            except OSError as exc:
                raise StepFailed(f"cannot use loopback address {ip}: {exc.strerror or exc}") from None


def run_self_test(out: TextIO | None = None, environ: dict[str, str] | None = None) -> int:
    """Run every step, print one line per step and a verdict; 0 when the two nodes chatted both ways."""
    out = out or sys.stdout
    environ = os.environ if environ is None else environ
    started = time.monotonic()
    nodes: list[Node] = []

    def say(line: str) -> None:
        print(line, file=out, flush=True)

    # Throwaway data folders: each node gets its own identity, and the user's keys stay untouched.
    with tempfile.TemporaryDirectory(prefix="zp2p-self-test-", ignore_cleanup_errors=True) as scratch:
        try:
            _steps(say, environ, Path(scratch), nodes)
        except (StepFailed, ValidationError) as exc:
            say(f"[FAIL] {exc.detail if isinstance(exc, ValidationError) else exc}")
            say(f"self-test FAILED after {time.monotonic() - started:.1f} s")
            return 1
        finally:
            _stop_all(nodes)
    say(f"self-test passed in {time.monotonic() - started:.1f} s")
    return 0


def _steps(say: Callable[[str], None], environ: dict[str, str], scratch: Path, nodes: list[Node]) -> None:
    """The steps in order; raises StepFailed at the first that does not happen. Started nodes go into
    `nodes` at once, so the caller can stop them whatever happens."""

    def step(name: str, since: float) -> None:
        say(f"[ ok ] {name} ({(time.monotonic() - since) * 1000:.0f} ms)")

    t0 = time.monotonic()
    try:
        allowed = parse_allowed_nets(environ.get(ALLOWED_NETS_ENV))
    except ValidationError as exc:
        raise StepFailed(f"{ALLOWED_NETS_ENV} is not valid: {exc.detail}") from None
    ips = (HOST_IP, MEMBER_IP)
    outside = [ip for ip in ips if not is_allowed(ip, allowed)]
    if outside:
        raise StepFailed(f"{ALLOWED_NETS_ENV}={environ.get(ALLOWED_NETS_ENV)} forbids loopback {outside[0]}; "
                         "add 127.0.0.0/8 to run the self-test")
    _check_loopback(ips)
    port = find_free_port(ips)
    step(f"loopback {HOST_IP} and {MEMBER_IP}, ports {port}-{port + 3} free", t0)

    fast = Timings().scaled(0.3)
    host_cfg = Config(nick="self-test-a", bind=HOST_IP, scan=(SCAN,), port=port, room=ROOM,
                      data_dir=scratch / "a", allowed_nets=allowed, timings=fast)
    # The member must find the running host, never time out and host a second room itself.
    member_cfg = replace(host_cfg, nick="self-test-b", bind=MEMBER_IP, data_dir=scratch / "b",
                          timings=replace(fast, discovery_window=STEP_TIMEOUT * 2))

    t0 = time.monotonic()
    a = Probe("host node")
    nodes.append(Node(host_cfg, a))
    nodes[-1].start()
    a.wait("hosting event", lambda e: isinstance(e, ev.Hosting))
    step(f"node A found no host on {SCAN} and hosts the room on {HOST_IP}", t0)

    t0 = time.monotonic()
    b = Probe("joining node")
    nodes.append(Node(member_cfg, b))
    nodes[-1].start()
    joined = b.wait("joined event", lambda e: isinstance(e, ev.Joined))
    if joined.host != HOST_IP:
        raise StepFailed(f"joining node joined {joined.host}, expected {HOST_IP}")
    step(f"node B discovered {HOST_IP} by scanning and joined", t0)

    for sender, receiver, name in ((nodes[0], b, "A -> B"), (nodes[1], a, "B -> A")):
        t0 = time.monotonic()
        text = f"self-test {name} {random.randrange(1 << 30)}"
        sender.say(text)
        receiver.wait(f"message {text!r}", lambda e, text=text: isinstance(e, ev.Message) and e.text == text)
        step(f"message {name} delivered", t0)

    t0 = time.monotonic()
    stuck = _stop_all(nodes)
    if stuck:
        raise StepFailed(f"{stuck} node(s) did not stop within {STOP_TIMEOUT:.0f} s")
    step("both nodes left and stopped", t0)


def _stop_all(nodes: list[Node]) -> int:
    """Members leave before the host (no pointless handover), all within one bound; count stragglers.
    Empties the list, so calling it twice costs nothing."""
    end = time.monotonic() + STOP_TIMEOUT
    stuck = 0
    while nodes:
        stuck += not nodes.pop().stop(timeout=max(0.0, end - time.monotonic()))
    return stuck
