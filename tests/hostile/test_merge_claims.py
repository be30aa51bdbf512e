"""Issue 13 item 2: one beacon moved the whole room. A beacon that claims to outrank the host
(a huge term, the oldest epoch, and that it followed our host) must move no one unless its host
welcomes ours first; the room goes on undisturbed while the claim is heard."""

from __future__ import annotations

import threading
from pathlib import Path

from zp2p_gui.core.crypto import room_keys

from ..harness import HeadlessNode, Room
from ..integration.test_failover import _assert_exactly_once_in_order, _room_of_three, _send_paced
from .fakes import FakeHost, open_desc

COUNT = 30
PASSPHRASE = "correct horse battery staple"
NAMES = (("host", 2), ("bob", 3), ("carol", 4))


def _host_id(node: HeadlessNode, host_ip: str) -> str:
    users = node.wait_event("presence")["users"]
    return next(u["node_id"] for u in users if u["addr"] == host_ip)


def _chat_through(sender: HeadlessNode, receivers: list[HeadlessNode], prefix: str) -> None:
    thread: threading.Thread = _send_paced(sender, prefix, COUNT, 10.0)
    thread.join(30)
    for node in receivers:
        _assert_exactly_once_in_order(node, prefix, COUNT, timeout=15)


def test_a_beacon_claiming_to_outrank_the_host_moves_no_one_without_a_welcome(room: Room) -> None:
    host, bob, carol = _room_of_three(room)
    claim = open_desc(term=2**53, epoch=0.0, after=[_host_id(bob, host.ip)])  # wins every rank but the proof
    with FakeHost(room.ip(9), room.port, claim, registry=True):
        host.wait_log("did not welcome us", timeout=20)  # the host heard it, asked, and stayed
        _chat_through(bob, [carol, host], "bob")
    for node in (host, bob, carol):
        assert not [e for e in node.events if e["event"] in ("reconnecting", "host_changed")], node.log()
    assert not [e for e in host.events if e["event"] == "error"], host.log()


def test_an_outsider_who_copies_a_private_rooms_beacon_moves_no_one(room: Room, tmp_path: Path) -> None:
    """Without the passphrase the outsider's host cannot complete CURVE with the room's key, so
    it can never welcome the real host: copying room_id and outbidding the rank is not enough."""
    secret = tmp_path / "passphrase"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    host = room.start("host", 2, "--passphrase-file", str(secret))
    host.wait_event("hosting", timeout=20)
    bob, carol = (room.start(nick, n, "--passphrase-file", str(secret)) for nick, n in NAMES[1:])
    for node in (bob, carol):
        assert node.wait_event("joined", timeout=20)["host"] == host.ip
    host.wait_users([nick for nick, _ in NAMES], timeout=15)
    copied = open_desc(secure=True, room_id=room_keys(PASSPHRASE, "lobby").room_id, term=2**53, epoch=0.0,
                       after=[_host_id(bob, host.ip)])
    with FakeHost(room.ip(9), room.port, copied, registry=True):
        host.wait_log("did not welcome us", timeout=20)
        _chat_through(carol, [bob, host], "carol")
    for node in (host, bob, carol):
        assert not [e for e in node.events if e["event"] in ("reconnecting", "host_changed")], node.log()
