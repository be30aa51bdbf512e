"""Issue 14 (direct messages): a node that is not a member of the room cannot open a direct
channel to a member, a member cannot speak for another one on it, and a member flooding the
host's sealed fallback is held to its direct-message rate. Real sockets on loopback."""

from __future__ import annotations

import base64
import os
import threading
import time

import zmq
import zmq.utils.monitor

from zp2p_gui.core.codec import decode, encode
from zp2p_gui.core.config import Limits
from zp2p_gui.core.crypto import z85_text
from zp2p_gui.core.signing import curve_public, key_text
from zp2p_gui.core.sodium import SigningKey

from ..harness import HeadlessNode, Room, registration

DM_ID = "d" * 32


def curve_pair(secret: SigningKey) -> tuple[bytes, bytes]:
    """The CURVE keypair a node derives from its identity, as libzmq wants it (Z85)."""
    public = curve_public(key_text(secret.public)).encode("ascii")
    return public, z85_text(secret.curve_secret()).encode("ascii")


def key_of(node: HeadlessNode, nick: str) -> str:
    event = node.wait_for(lambda e: e["event"] == "presence" and any(u["nick"] == nick for u in e["users"]))
    return next(u["key"] for u in event["users"] if u["nick"] == nick)


def direct_dealer(ctx: zmq.Context, secret: SigningKey, source: str, target: str, target_key: str,
                  port: int) -> zmq.Socket:
    """A DEALER to a member's direct port with a correct handshake for `secret`'s identity."""
    dealer = ctx.socket(zmq.DEALER)
    dealer.setsockopt(zmq.LINGER, 0)
    dealer.curve_serverkey = curve_public(target_key).encode("ascii")
    dealer.curve_publickey, dealer.curve_secretkey = curve_pair(secret)
    dealer.connect(f"tcp://{source}:0;{target}:{port}")
    return dealer


def handshake_outcome(dealer: zmq.Socket, timeout: float = 5.0) -> int:
    """The first handshake event the dealer's monitor reports (succeeded or failed)."""
    monitor = dealer.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED | zmq.EVENT_HANDSHAKE_FAILED_AUTH |
                                        zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL)
    try:
        assert monitor.poll(int(timeout * 1000)), "no handshake outcome"
        return zmq.utils.monitor.recv_monitor_message(monitor)["event"]
    finally:
        dealer.disable_monitor()
        monitor.close(0)


class Heartbeat:
    """Keeps a raw registrant listed: an `hb` on the relay every 0.3 s from its address, until closed."""

    def __init__(self, room: Room, n: int, node_id: str) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(room, n, node_id), daemon=True)
        self._thread.start()

    def _run(self, room: Room, n: int, node_id: str) -> None:
        push = zmq.Context.instance().socket(zmq.PUSH)
        push.setsockopt(zmq.LINGER, 0)
        push.connect(f"tcp://{room.ip(n)}:0;{room.ip(2)}:{room.port + 2}")
        try:
            while not self._stop.wait(0.3):
                push.send(encode("hb", node_id=node_id), zmq.NOBLOCK)
        except zmq.Again:
            pass
        finally:
            push.close(0)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)


def pair(room: Room) -> tuple[HeadlessNode, HeadlessNode]:
    alice = room.start("alice", 2)
    alice.wait_event("hosting")
    bob = room.start("bob", 3)
    bob.wait_event("joined")
    bob.wait_users(["alice", "bob"])
    return alice, bob


def test_a_non_member_cannot_open_a_direct_channel(room: Room) -> None:
    alice, bob = pair(room)
    eve = SigningKey.generate()
    eve_key = key_text(eve.public)
    dealer = direct_dealer(zmq.Context.instance(), eve, room.ip(9), room.ip(3), key_of(bob, "bob"), room.port + 4)
    try:
        assert handshake_outcome(dealer) == zmq.EVENT_HANDSHAKE_FAILED_AUTH
        dealer.send(encode("dm", id=DM_ID, key=eve_key, nick="eve", text="let me in", ts=time.time()), zmq.NOBLOCK)
    except zmq.Again:
        pass  # refused connections take no messages: also a pass
    finally:
        dealer.close(0)
    alice.say("/msg bob control")  # a member's DM after eve's: once it is there, eve's had its chance
    bob.wait_event("direct", text="control")
    assert [e["text"] for e in bob.events if e["event"] == "direct"] == ["control"]


def register(room: Room, n: int, secret: SigningKey) -> str:
    """Register `secret`'s identity as "eve" from room.ip(n) with the host at room.ip(2); its node id."""
    req = zmq.Context.instance().socket(zmq.REQ)
    req.setsockopt(zmq.LINGER, 0)
    req.connect(f"tcp://{room.ip(n)}:0;{room.ip(2)}:{room.port + 1}")
    try:
        frame = registration("eve", room.ip(2), room.ip(n), secret)
        req.send(frame)
        assert req.poll(3000) and decode(req.recv())["k"] == "welcome"
        return decode(frame)["node_id"]
    finally:
        req.close(0)


def test_a_member_cannot_speak_for_another_on_the_direct_channel(room: Room) -> None:
    alice, bob = pair(room)
    eve = SigningKey.generate()
    eve_key = key_text(eve.public)
    ctx = zmq.Context.instance()
    alive = Heartbeat(room, 9, register(room, 9, eve))
    dealer = None
    try:
        bob.wait_users(["alice", "bob", "eve"])
        # Only now: a handshake bob's ZAP refuses (eve not yet a member) is never retried by libzmq.
        dealer = direct_dealer(ctx, eve, room.ip(9), room.ip(3), key_of(bob, "bob"), room.port + 4)
        alice_key = key_of(bob, "alice")
        dealer.send(encode("dm", id=DM_ID, key=alice_key, nick="alice", text="forged", ts=time.time()))
        dealer.send(encode("dm", id="e" * 32, key=eve_key, nick="eve", text="honest", ts=time.time()))
        got = bob.wait_event("direct", text="honest")
        assert got["from"] == "eve" and got["key"] == eve_key
        assert "forged" not in [e["text"] for e in bob.events if e["event"] == "direct"]
        bob.wait_log("direct: dropping malformed input")
    finally:
        alive.close()
        if dealer is not None:
            dealer.close(0)


def count_sealed(sub: zmq.Socket, quiet: float) -> int:
    """`sealed_to` frames on the relay until none came for `quiet` seconds (beats and rosters
    go on; dropped frames never come later)."""
    count, last = 0, time.monotonic()
    while (left := last + quiet - time.monotonic()) > 0:
        if sub.poll(int(left * 1000)) and decode(sub.recv())["k"] == "sealed_to":
            count, last = count + 1, time.monotonic()
    return count


def test_a_member_flooding_the_sealed_fallback_is_held_to_its_rate(room: Room) -> None:
    limits = Limits()  # what a headless host runs with
    alice = room.start("alice", 2)
    alice.wait_event("hosting")
    eve = SigningKey.generate()
    ctx = zmq.Context.instance()
    sub = ctx.socket(zmq.SUB)
    sub.setsockopt(zmq.LINGER, 0)
    sub.setsockopt(zmq.RCVHWM, 0)  # keep all the host publishes: a drop here would hide a broken limit
    sub.setsockopt(zmq.SUBSCRIBE, b"")
    sub.connect(f"tcp://{room.ip(8)}:0;{room.ip(2)}:{room.port + 3}")
    push = ctx.socket(zmq.PUSH)
    push.setsockopt(zmq.LINGER, 0)
    push.setsockopt(zmq.SNDHWM, 0)
    push.connect(f"tcp://{room.ip(9)}:0;{room.ip(2)}:{room.port + 2}")
    node_id = register(room, 9, eve)
    alive = Heartbeat(room, 9, node_id)
    try:
        alice.wait_users(["alice", "eve"])
        assert sub.poll(5000), "the relay never published to the eavesdropper"  # our SUB is connected
        box = base64.b64encode(os.urandom(200)).decode("ascii")  # the host forwards boxes unopened
        sealed = encode("sealed", node_id=node_id, to=key_of(alice, "alice"), box=box)
        flood = 3 * limits.dm_burst
        start = time.monotonic()  # eve's sealed bucket starts no earlier than this
        for _ in range(flood):
            push.send(sealed)
        got = count_sealed(sub, quiet=1.5)
        allowed = limits.dm_burst + limits.dm_rate_per_s * (time.monotonic() - start) + 1
        assert got <= allowed, f"the host published {got} of {flood} sealed frames; its bucket allows {allowed:.0f}"
        assert allowed < flood, "too slow a run to tell a limit from none; rerun"
        assert got >= limits.dm_burst, "the host held back sealed frames within the burst"
    finally:
        alive.close()
        push.close(0)
        sub.close(0)
