"""Every test keeps its traffic on loopback and fails on warnings. Each folder is one kind of
test with its own marker: `-m unit` is the fast run (no sockets, seconds)."""

from __future__ import annotations

import os
import random
import sys
import threading
import traceback
from pathlib import Path

import pytest

os.environ["ZP2P_ALLOWED_NETS"] = "127.0.0.0/8"
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from zp2p_gui.core.config import PORTS_PER_ROOM  # noqa: E402

from .harness import Room  # noqa: E402

KINDS = {"unit", "integration", "gui", "netns", "hostile", "soak"}
HERE = Path(__file__).resolve().parent
STACKS_SHOWN = 3  # failures whose report carries every thread's stack; a cascade's first ones tell its cause
_stacks_left = [STACKS_SHOWN]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The folder a test lives in is its marker, so `-m unit` needs no per-file decoration."""
    for item in items:
        folder = Path(str(item.path)).resolve().relative_to(HERE).parts[0]
        if folder in KINDS:
            item.add_marker(getattr(pytest.mark, folder))


@pytest.fixture
def room(request: pytest.FixtureRequest):
    """A private loopback /24 and base port for one test, so concurrent tests never meet."""
    rng = random.Random()
    subnet = f"127.{rng.randrange(10, 250)}.{rng.randrange(1, 250)}"
    port = 20000 + PORTS_PER_ROOM * rng.randrange(0, 1600)  # P..P+5
    with Room(subnet, port, request.node.name) as r:
        yield r


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A failing test's report shows where every thread of the pytest process stood: tests that
    run windows and nodes in this process once failed in a cascade that never reproduced on
    demand, and their threads (actors, ZAP handler) are what such a run leaves behind."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and call.when == "call" and _stacks_left[0] > 0:
        _stacks_left[0] -= 1
        report.sections.append(("threads of the pytest process", _thread_stacks()))


def _thread_stacks() -> str:
    names = {thread.ident: thread.name for thread in threading.enumerate()}
    return "\n".join(f"--- {names.get(ident, ident)}\n" + "".join(traceback.format_stack(frame))
                     for ident, frame in sys._current_frames().items())
