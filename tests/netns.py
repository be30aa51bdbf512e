"""The benchmark's namespace helpers (zp2p_gui/bench/netns.py), with a missing root or iproute2
turned into a test failure that says how to run these tests."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import pytest

from zp2p_gui.bench import netns
from zp2p_gui.bench.netns import in_ns, ip, veth

__all__ = ["in_ns", "ip", "namespaces", "veth"]


@contextmanager
def namespaces(count: int) -> Iterator[tuple[str, list[str]]]:
    """(tag, names) of `count` fresh namespaces; fails the test when they cannot be built."""
    try:
        netns.check()
    except netns.NetnsUnavailable as exc:
        pytest.fail(f"this test builds network namespaces: {exc} (CI runs it as root)")
    with netns.namespaces(count) as made:
        yield made
