"""The benchmark's namespace helpers (zp2p_gui/bench/netns.py) for tests: without root they are
skipped with the reason; as root (CI) a missing iproute2 or a failed set-up is a failure."""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator

import pytest

from zp2p_gui.bench import netns
from zp2p_gui.bench.netns import in_ns, ip, veth

__all__ = ["in_ns", "ip", "namespaces", "veth"]


@contextmanager
def namespaces(count: int) -> Iterator[tuple[str, list[str]]]:
    """(tag, names) of `count` fresh namespaces; fails the test when root cannot build them."""
    if os.geteuid() != 0:
        pytest.skip("builds network namespaces, which needs root (CI runs as root)")
    try:
        netns.check()
    except netns.NetnsUnavailable as exc:
        pytest.fail(f"this test builds network namespaces: {exc} (CI runs it as root)")
    with netns.namespaces(count) as made:
        yield made
