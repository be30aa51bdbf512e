"""Every test keeps its traffic on loopback and fails on warnings. Each folder is one kind of
test with its own marker: `-m unit` is the fast run (no sockets, seconds)."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

os.environ["ZP2P_ALLOWED_NETS"] = "127.0.0.0/8"
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from .harness import Room  # noqa: E402

KINDS = {"unit", "integration", "gui", "netns", "hostile", "soak"}
HERE = Path(__file__).resolve().parent


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
    port = 20000 + 5 * rng.randrange(0, 2000)  # P..P+4
    with Room(subnet, port, request.node.name) as r:
        yield r
