"""Issue 13 item 1: libzmq keeps every subscription an XPUB receives. Before the whitelist, 20,000
distinct 1,000-byte subscriptions took the host from 33 MB to ~1 GB, held after the sender left;
100 subscriptions of 60 KB on the relay added 276 MB."""

from __future__ import annotations

from pathlib import Path

import pytest
import zmq

from zp2p_gui.core.codec import LEGACY_PREFIX
from zp2p_gui.net.beacon import MAX_INBOUND

from ..harness import Room
from .support import MAX_GROWTH_MB, attack, room_still_works, rss_mb, settled_rss


def host(room: Room, tmp_path: Path, private: bool):
    extra: list[str] = []
    if private:
        secret = tmp_path / "passphrase"
        secret.write_text("four random words here\n", encoding="utf-8")
        extra = ["--passphrase-file", str(secret)]
    node = room.start("host", 2, *extra)
    node.wait_event("hosting")
    return node, extra


@pytest.mark.parametrize("private", [False, True], ids=["open", "passphrase"])
@pytest.mark.parametrize("size", [1000, 40], ids=["1000B", "40B"])
def test_subscription_storm_on_the_beacon(room: Room, tmp_path: Path, private: bool, size: int) -> None:
    """1,000 bytes is over the beacon's inbound limit (hung up at once); 40 bytes fits, so it is the
    whitelist and the hang-up after a few unknown topics that keep the host small."""
    node, extra = host(room, tmp_path, private)
    before = rss_mb(node)
    attack(room, "subscriptions", room.port, 20_000, size)
    grown = settled_rss(node) - before
    print(f"\nbeacon storm 20,000 x {size} B ({'passphrase' if private else 'open'}): host RSS +{grown:.1f} MB")
    assert grown < MAX_GROWTH_MB
    if size < MAX_INBOUND:
        assert any("subscriptions the protocol does not use" in line for line in node.stderr), node.log()
    late = room.start("late", 5, *extra)
    late.wait_event("joined", timeout=15)
    node.say("still here")
    late.wait_event("message", text="still here", timeout=10)


@pytest.mark.parametrize("count,size", [(100, 60_000), (20_000, 40)], ids=["100x60KB", "20000x40B"])
def test_subscription_storm_on_the_relay(room: Room, tmp_path: Path, count: int, size: int) -> None:
    node, _ = host(room, tmp_path, private=False)
    before = rss_mb(node)
    attack(room, "subscriptions", room.port + 3, count, size)
    grown = settled_rss(node) - before
    print(f"\nrelay storm {count} x {size} B: host RSS +{grown:.1f} MB")
    assert grown < MAX_GROWTH_MB
    room_still_works(room, node, 5, "after the relay storm")


def test_many_searchers_from_one_address_all_hear_the_beacon(room: Room, tmp_path: Path) -> None:
    """Searching nodes connect without a source address: every node of one machine (all of them on
    loopback) reaches the beacon from one address, so its connection cap must not cut them off."""
    host(room, tmp_path, private=False)
    ctx = zmq.Context()
    subs = []
    try:
        for _ in range(40):
            sub = ctx.socket(zmq.SUB)
            sub.setsockopt(zmq.LINGER, 0)
            sub.setsockopt(zmq.SUBSCRIBE, LEGACY_PREFIX)
            sub.connect(f"tcp://{room.ip(2)}:{room.port}")
            subs.append(sub)
        assert all(sub.poll(5000) for sub in subs)
    finally:
        for sub in subs:
            sub.close(0)
        ctx.term()
