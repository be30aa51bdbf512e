"""Issue 13 (no forging): a host relays members' messages but cannot alter or invent them, and a
public key copied off the open relay cannot register. Real processes and sockets on loopback."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import zmq

from zp2p_gui import PROTOCOL_VERSION
from zp2p_gui.bench.runner import BenchError, Child
from zp2p_gui.core import signing
from zp2p_gui.core.codec import decode, encode
from zp2p_gui.core.nickholds import HOLD_MIN
from zp2p_gui.identity import Identity

from ..harness import ROOT, HeadlessNode, Room, registration


def start_evil_host(room: Room, n: int) -> Child:
    """tests/hostile/evil_host.py as a child process; it stops by itself within 60 s."""
    env = {**room.env, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "tests.hostile.evil_host", room.ip(n), str(room.port), "60"]
    return Child("mallory", room.ip(n), argv, env, capture_stderr=True)


def forged_reports(node: HeadlessNode) -> list[str]:
    return [e["nick"] for e in node.events if e["event"] == "error" and e["code"] == "forged_message"]


def wait_reports(node: HeadlessNode, count: int, timeout: float = 15.0) -> None:
    end = time.monotonic() + timeout
    while len(forged_reports(node)) < count:
        if time.monotonic() > end:
            raise AssertionError(f"{node.nick}: {forged_reports(node)} forgeries reported, expected {count}\n"
                                 f"{node.log()}")
        node.wait_for(lambda e: e["event"] == "error", timeout=max(0.1, end - time.monotonic()),
                      after=len(node.events))


def join_evil_host(room: Room, mallory: Child) -> tuple[HeadlessNode, HeadlessNode]:
    """alice and bob, joined to the hostile host once it is up."""
    try:
        mallory.wait_event("ready")
    except BenchError:
        raise AssertionError("".join(mallory.stderr)) from None
    alice = room.start("alice", 2, window=3.0)
    bob = room.start("bob", 3, window=3.0)
    for node in (alice, bob):
        assert node.wait_event("joined")["host"] == room.ip(1)
        node.wait_users(["alice", "bob"])
    return alice, bob


def test_a_hostile_host_can_neither_alter_nor_invent_a_members_message(room: Room) -> None:
    mallory = start_evil_host(room, 1)
    try:
        alice, bob = join_evil_host(room, mallory)
        alice.say("I say yes")  # published as "I say NO"
        alice.say("bait")  # followed by two messages the host makes up under alice's node id
        mallory.wait_event("injected")
        alice.say("after the bait")  # the seq the host tried to take: must still arrive
        bob.say("so do I, yes")
        for node in (alice, bob):
            node.wait_event("message", text="after the bait")
            node.wait_event("message", text="bait")
            wait_reports(node, 4)  # alice's altered one, the two inventions, bob's altered one
        alice.say("done")
        bob.wait_event("message", text="done")
        alice.wait_event("message", text="done")
    finally:
        mallory.close()
    for node in (alice, bob):
        texts = node.texts()
        assert not [t for t in texts if "NO" in t or "forged" in t], node.log()
        assert sorted(forged_reports(node)) == ["alice", "alice", "alice", "bob"], node.log()  # each once


def test_a_hostile_host_altering_one_message_of_a_batch_is_caught_and_the_rest_repaired(room: Room) -> None:
    """alice pipes 300 lines at once, so they go in batches. The host alters one message of a
    batch on the wire (its backlog keeps the real one) and another in its backlog too. Each
    receiver refuses the altered batch whole, reports it once, fetches its messages from the
    backlog (each checked through its path), shows every real one once and in order, and tells
    the one no honest copy of exists as a gap of one."""
    mallory = start_evil_host(room, 1)
    try:
        alice, bob = join_evil_host(room, mallory)
        lines = [f"burst-{i:04d}" + (" yes" if i == 150 else " never" if i == 250 else "") for i in range(300)]
        assert alice.proc.stdin is not None
        alice.proc.stdin.write("".join(line + "\n" for line in lines))
        alice.proc.stdin.flush()
        for node in (alice, bob):
            node.wait_event("gap", timeout=30)
            node.wait_event("message", text=lines[-1], timeout=30)
        altered = [e for e in mallory.events if e["event"] == "altered"]
    finally:
        mallory.close()
    assert {e["seq"] for e in altered if e["size"] > 1}, f"no batch was altered: {altered}"
    for node in (alice, bob):
        got = [t for t in node.texts() if t.startswith("burst-")]
        assert got == lines[:250] + lines[251:], node.log()
        gaps = [e for e in node.events if e["event"] == "gap"]
        assert [(g["from"], g["count"]) for g in gaps] == [("alice", 1)], node.log()
        # once per claimed (sender, seq): the two altered batches, and the kept-altered message if a
        # gap fetch met it alone before its batch was published
        assert 2 <= len(forged_reports(node)) <= 3, node.log()


def sniff_member(room: Room, nick: str, timeout: float = 10.0) -> dict:
    """What anyone on the LAN reads off an open room's relay: the member entry of nick."""
    sub = zmq.Context.instance().socket(zmq.SUB)
    sub.setsockopt(zmq.LINGER, 0)
    sub.setsockopt(zmq.SUBSCRIBE, b"")
    sub.connect(f"tcp://{room.ip(9)}:0;{room.ip(2)}:{room.port + 3}")
    end = time.monotonic() + timeout
    try:
        while time.monotonic() < end:
            if sub.poll(500):
                msg = decode(sub.recv())
                for member in msg.get("members", []):
                    if member["nick"] == nick:
                        return member
    finally:
        sub.close(0)
    raise AssertionError(f"no roster with {nick} on the relay")


def register_from(room: Room, n: int, frame: bytes) -> dict:
    req = zmq.Context.instance().socket(zmq.REQ)
    req.setsockopt(zmq.LINGER, 0)
    req.connect(f"tcp://{room.ip(n)}:0;{room.ip(2)}:{room.port + 1}")
    try:
        req.send(frame)
        assert req.poll(3000), "the registry did not answer"
        return decode(req.recv())
    finally:
        req.close(0)


def test_a_copied_key_or_a_replayed_registration_cannot_take_a_nick(room: Room, tmp_path: Path) -> None:
    alice = room.start("alice", 2)
    alice.wait_event("hosting")
    carol = room.start("carol", 3, "--data-dir", str(tmp_path / "carol"))
    carol.wait_event("joined")
    sniffed = sniff_member(room, "carol")
    carol.kill()
    alice.wait_users(["alice"])
    # 1. her public key, a node id bound to it, and a proof the outsider signed itself
    outsider = Identity.load(tmp_path / "outsider").signing_key
    node_id = signing.new_node_id(sniffed["key"])
    copied = encode("register", node_id=node_id, nick="carol", room="lobby", proto=PROTOCOL_VERSION,
                    key=sniffed["key"], proof=signing.sign_registration(outsider, "lobby", room.ip(2), node_id,
                                                                        "carol", room.ip(9)))
    # 2. her own signed registration for this host (as a recording would hold it), sent from elsewhere
    replayed = registration("carol", room.ip(2), room.ip(3), Identity.load(tmp_path / "carol").signing_key)
    for frame in (copied, replayed):
        reply = register_from(room, 9, frame)
        assert reply["k"] == "refused" and reply["code"] == "unproven_key", reply
    keyless = encode("register", node_id=node_id, nick="carol", room="lobby", proto=PROTOCOL_VERSION, key="",
                     proof="0" * 88)  # what clients from before signing sent
    assert register_from(room, 9, keyless)["code"] == "bad_key"
    assert register_from(room, 3, replayed)["k"] == "welcome"  # the same frame from carol's own address
    alice.wait_users(["alice", "carol"])
    alice.wait_users(["alice"])  # that carol never sends a heartbeat: she expires again
    # 3. the outsider under its own key: refused while the host holds the nick for carol's key
    #    (core/nickholds.py), then it can take the free nick, and the room is warned
    taking = registration("carol", room.ip(2), room.ip(9), outsider)
    deadline = time.monotonic() + HOLD_MIN + 10
    assert register_from(room, 9, taking)["code"] == "nick_in_use"
    while (reply := register_from(room, 9, taking))["k"] != "welcome":
        assert reply["code"] == "nick_in_use" and time.monotonic() < deadline, reply
        time.sleep(0.5)  # the hold ends on the host's clock; nothing announces it
    assert alice.wait_event("error", code="nick_key_changed")["nick"] == "carol"
