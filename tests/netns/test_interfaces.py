"""Choosing the interface, on real interfaces: two network namespaces this test creates, joined by
a veth pair, with addresses from 198.18.0.0/15 (RFC 2544) that exist only inside them.
Node A runs with no --bind and no --scan, as a user would: it must pick the default-route
interface among two and scan that interface's /24 only; B picks its interface by name."""

from __future__ import annotations

import os
import tempfile
from typing import Iterator

import pytest

from ..harness import HeadlessNode
from .lab import in_ns, ip, namespaces, veth

NET = "198.18.0"  # the veth link
OTHER = "198.18.2.1/24"  # a second interface in A's namespace, without the default route


@pytest.fixture
def two_hosts() -> Iterator[tuple[str, str, str]]:
    with namespaces(2) as (tag, (a, b)):
        va, vb = veth(tag, a, b)
        for ns, dev, addr in ((a, va, f"{NET}.1/24"), (b, vb, f"{NET}.2/24")):
            ip("-n", ns, "addr", "add", addr, "dev", dev)
            ip("-n", ns, "link", "set", dev, "up")
        ip("-n", a, "link", "add", "other0", "type", "veth", "peer", "name", "other1")
        ip("-n", a, "addr", "add", OTHER, "dev", "other0")
        ip("-n", a, "link", "set", "other0", "up")
        ip("-n", a, "link", "set", "other1", "up")
        ip("-n", a, "route", "add", "default", "via", f"{NET}.2", "dev", va)
        yield a, b, vb


def test_default_interface_and_its_slash24_are_chosen_and_a_host_with_two_interfaces_appears_once(
        two_hosts: tuple[str, str, str]) -> None:
    a, b, vb = two_hosts
    env = {**os.environ, "ZP2P_ALLOWED_NETS": f"{NET}.0/24", "PYTHONUNBUFFERED": "1"}
    with tempfile.TemporaryDirectory() as data:
        nodes = [
            HeadlessNode("amy", None, ["--discovery-window", "0.5", "--data-dir", f"{data}/a"], env,
                         wrapper=in_ns(a)),
        ]
        try:
            amy = nodes[0]
            assert amy.wait_event("searching")["ranges"] == [f"{NET}.0/24"]
            assert amy.wait_event("hosting")["host"] == f"{NET}.1"
            nodes.append(HeadlessNode("ben", None, ["--interface", vb, "--data-dir", f"{data}/b"], env,
                                      wrapper=in_ns(b)))
            ben = nodes[1]
            joined = ben.wait_event("joined")
            assert joined["host"] == f"{NET}.1"
            assert sorted((u["nick"], u["addr"]) for u in joined["users"]) == [("amy", f"{NET}.1"), ("ben", f"{NET}.2")]
            ben.say("across the veth")
            assert amy.wait_event("message", text="across the veth")["from"] == "ben"
        finally:
            for node in nodes:
                node.close()


def test_an_unknown_interface_is_a_clear_error(two_hosts: tuple[str, str, str]) -> None:
    _, b, _ = two_hosts
    env = {**os.environ, "ZP2P_ALLOWED_NETS": f"{NET}.0/24", "PYTHONUNBUFFERED": "1"}
    with tempfile.TemporaryDirectory() as data:
        node = HeadlessNode("cat", None, ["--interface", "nosuch0", "--data-dir", data], env,
                            wrapper=in_ns(b))
        try:
            err = node.wait_event("error", code="no_interface")
            assert "nosuch0" in err["detail"]
            assert node.proc.wait(10) == 2
        finally:
            node.close()
