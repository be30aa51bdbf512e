"""Network namespaces the caller creates and always removes: real interfaces and routes for what
loopback cannot show (interface choice, a partition, Pyre's UDP broadcast beacon). Addresses
come from 198.18.0.0/15 (RFC 2544, for benchmarks; not RFC 5737, which a machine may really use
for its LAN, as this one does) and exist only inside these namespaces, so nothing run
in them can reach, or be reached from, the real network."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from contextlib import contextmanager
from typing import Iterator


NETNS_PREFIX = "zp2p-"  # every namespace made here; pyre_peer runs only in one of these


class NetnsUnavailable(RuntimeError):
    """Namespaces need root and iproute2; the message says what is missing."""


def check() -> None:
    """Raise NetnsUnavailable unless this process may build namespaces."""
    if os.geteuid() != 0:
        raise NetnsUnavailable("network namespaces need root (run with sudo)")
    if shutil.which("ip") is None:
        raise NetnsUnavailable("network namespaces need the `ip` command (iproute2)")


def ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=10)


@contextmanager
def namespaces(count: int) -> Iterator[tuple[str, list[str]]]:
    """(tag, names) of `count` fresh namespaces with lo up; deleted on exit, whatever happened.
    Deleting a namespace also deletes the veth ends inside it."""
    check()
    tag = secrets.token_hex(3)
    names = [f"{NETNS_PREFIX}{tag}-{i}" for i in range(count)]
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


def bridge(tag: str, hub: str, members: list[str]) -> list[str]:
    """A switch: a bridge in namespace hub and one veth from each member to it, each created
    inside the namespaces (never in the root one); returns the member-side interface names."""
    ip("-n", hub, "link", "add", "br0", "type", "bridge")
    ip("-n", hub, "link", "set", "br0", "up")
    devs = []
    for i, ns in enumerate(members):
        port, dev = f"h{tag}x{i}", f"v{tag}x{i}"
        ip("-n", hub, "link", "add", port, "type", "veth", "peer", "name", dev, "netns", ns)
        ip("-n", hub, "link", "set", port, "master", "br0", "up")
        devs.append(dev)
    return devs


def in_ns(ns: str) -> tuple[str, ...]:
    """Command prefix that runs a program inside namespace ns."""
    return ("ip", "netns", "exec", ns)
