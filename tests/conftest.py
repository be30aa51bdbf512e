"""Every test keeps its traffic on loopback and fails on warnings."""

from __future__ import annotations

import os
import random

import pytest

os.environ["ZP2P_ALLOWED_NETS"] = "127.0.0.0/8"
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from .harness import Room  # noqa: E402


@pytest.fixture
def room(request: pytest.FixtureRequest):
    """A private loopback /24 and base port for one test, so concurrent tests never meet."""
    rng = random.Random()
    subnet = f"127.{rng.randrange(10, 250)}.{rng.randrange(1, 250)}"
    port = 20000 + 4 * rng.randrange(0, 2000)
    with Room(subnet, port, request.node.name) as r:
        yield r
