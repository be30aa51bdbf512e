"""Issue 5: two rooms that formed apart find each other when the network heals and end as one.
Each side lives in its own network namespace; node addresses sit on each namespace's lo and the
sides reach each other only through a veth cable with routes, so pulling the cable (link down)
is a real partition and plugging it back (link up, routes again) a real heal."""

from __future__ import annotations

import os
import tempfile
import time

from ..harness import HeadlessNode, hosts_followed
from .lab import in_ns, ip, namespaces, veth

NET = "198.18.0"  # the nodes
LINK = "198.18.1"  # the cable


def _route(ns: str, dev: str, via: str, others: list[str]) -> None:
    for addr in others:
        ip("-n", ns, "route", "replace", f"{addr}/32", "via", via, "dev", dev)


def test_two_rooms_merge_into_one_when_the_partition_heals() -> None:
    sides = {0: [f"{NET}.1", f"{NET}.11"], 1: [f"{NET}.2", f"{NET}.12"]}
    env = {**os.environ, "ZP2P_ALLOWED_NETS": f"{NET}.0/24", "PYTHONUNBUFFERED": "1"}
    with namespaces(2) as (tag, (a, b)), tempfile.TemporaryDirectory() as data:
        va, vb = veth(tag, a, b)
        for ns, dev, link_addr, side in ((a, va, f"{LINK}.1/24", 0), (b, vb, f"{LINK}.2/24", 1)):
            ip("-n", ns, "addr", "add", link_addr, "dev", dev)
            for addr in sides[side]:
                ip("-n", ns, "addr", "add", f"{addr}/32", "dev", "lo")
        ip("-n", a, "link", "set", va, "up")  # b's end stays down: the cable is pulled

        nodes: list[HeadlessNode] = []

        def start(nick: str, ns: str, addr: str) -> HeadlessNode:
            node = HeadlessNode(nick, addr, ["--scan", f"{NET}.0/24", "--discovery-window", "0.5",
                                             "--data-dir", f"{data}/{nick}"], env, wrapper=in_ns(ns))
            nodes.append(node)
            return node

        try:
            amy = start("amy", a, sides[0][0])
            amy.wait_event("hosting")
            ann = start("ann", a, sides[0][1])
            assert ann.wait_event("joined")["host"] == sides[0][0]
            ben = start("ben", b, sides[1][0])
            ben.wait_event("hosting")
            bea = start("bea", b, sides[1][1])
            assert bea.wait_event("joined")["host"] == sides[1][0]
            assert len(hosts_followed(nodes)) == 2

            ip("-n", b, "link", "set", vb, "up")  # plug the cable back in
            _route(a, va, f"{LINK}.2", sides[1])
            _route(b, vb, f"{LINK}.1", sides[0])
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                if len(hosts_followed(nodes)) == 1 and all(n.users() == ["amy", "ann", "bea", "ben"] for n in nodes):
                    break
                time.sleep(0.1)
            logs = "\n".join(n.log() for n in nodes)
            assert hosts_followed(nodes) == {sides[0][0]}, logs  # the older host keeps the room (same term)
            assert all(n.users() == ["amy", "ann", "bea", "ben"] for n in nodes), logs
            bea.say("one room again")
            for node in (amy, ann, ben):
                node.wait_event("message", text="one room again")
        finally:
            for node in nodes:
                node.close()
