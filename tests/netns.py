"""Network namespaces a test creates and always removes: real interfaces and routes for what
loopback cannot show (interface choice, a partition that heals). Addresses are documentation
ranges (RFC 5737) that exist only inside these namespaces."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from contextlib import contextmanager
from typing import Iterator

import pytest


def ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=10)


@contextmanager
def namespaces(count: int) -> Iterator[tuple[str, list[str]]]:
    """(tag, names) of `count` fresh namespaces with lo up; deleted on exit, whatever happened."""
    if os.geteuid() != 0 or shutil.which("ip") is None:
        pytest.fail("this test builds network namespaces: run it as root with iproute2 (CI does)")
    tag = secrets.token_hex(3)
    names = [f"zp2p-{tag}-{i}" for i in range(count)]
    try:
        for ns in names:
            ip("netns", "add", ns)
            ip("-n", ns, "link", "set", "lo", "up")
        yield tag, names
    finally:
        for ns in names:
            subprocess.run(["ip", "netns", "del", ns], capture_output=True, timeout=10)


def veth(tag: str, a: str, b: str) -> tuple[str, str]:
    """A cable between namespaces a and b; returns the two interface names."""
    va, vb = f"va{tag}", f"vb{tag}"
    ip("link", "add", va, "type", "veth", "peer", "name", vb)
    ip("link", "set", va, "netns", a)
    ip("link", "set", vb, "netns", b)
    return va, vb


def in_ns(ns: str) -> tuple[str, ...]:
    return ("ip", "netns", "exec", ns)
