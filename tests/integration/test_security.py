"""Issue 7: passphrase rooms, identities, forged senders and limits, with real processes and sockets."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from pathlib import Path

import pytest
import zmq

from zp2p_gui.core import crypto
from zp2p_gui.core.codec import decode, encode
from zp2p_gui.core.config import Limits, Timings
from zp2p_gui.core.room import HostState
from zp2p_gui.identity import Identity
from zp2p_gui.net.host import Host
from zp2p_gui.net.messages import Stop

from ..harness import HeadlessNode, Room, hosts_followed, registration

PASSPHRASE = "correct horse battery staple"
SECRET_TEXT = "the eagle lands at noon"


@pytest.fixture
def secrets(tmp_path: Path) -> dict[str, str]:
    """Passphrase files and one data folder per nick, so identities are separate and private."""
    (tmp_path / "right").write_text(PASSPHRASE + "\n", encoding="utf-8")
    (tmp_path / "wrong").write_text("correct horse battery stapler\n", encoding="utf-8")
    return {"right": str(tmp_path / "right"), "wrong": str(tmp_path / "wrong"), "dir": str(tmp_path)}


def start(room: Room, secrets: dict[str, str], nick: str, n: int, passphrase: str | None = "right",
          data: str | None = None, *extra: str) -> HeadlessNode:
    args = ["--data-dir", os.path.join(secrets["dir"], data or nick), *extra]
    if passphrase:
        args += ["--passphrase-file", secrets[passphrase]]
    return room.start(nick, n, *args)


def secure_pair(room: Room, secrets: dict[str, str], *host_options: str) -> tuple[HeadlessNode, HeadlessNode]:
    alice = start(room, secrets, "alice", 2, "right", None, *host_options)
    alice.wait_event("hosting")
    bob = start(room, secrets, "bob", 3)
    bob.wait_event("joined")
    alice.wait_users(["alice", "bob"])
    return alice, bob


def users_with(node: HeadlessNode, nick: str) -> dict[str, dict]:
    """The first member list that node printed which includes nick, by nick."""
    event = node.wait_for(lambda e: e["event"] == "presence" and any(u["nick"] == nick for u in e["users"]))
    return {u["nick"]: u for u in event["users"]}


def client_keys() -> crypto.SocketKeys:
    """What an insider (someone who knows the passphrase) can build: the room's server key and a keypair."""
    keys = crypto.room_keys(PASSPHRASE, "lobby")
    public, secret = zmq.curve_keypair()
    return crypto.SocketKeys(keys.server_public, keys.server_secret, public, secret)


def curve_socket(kind: int, keys: crypto.SocketKeys | None) -> zmq.Socket:
    sock = zmq.Context.instance().socket(kind)
    sock.setsockopt(zmq.LINGER, 0)
    if keys is not None:
        sock.curve_serverkey = keys.server_public
        sock.curve_publickey = keys.public
        sock.curve_secretkey = keys.secret
    return sock


# ------------------------------------------------------------------------------ passphrase rooms


def test_right_passphrase_joins_and_chats(room: Room, secrets: dict[str, str]) -> None:
    alice, bob = secure_pair(room, secrets)
    bob.say(SECRET_TEXT)
    assert alice.wait_event("message", text=SECRET_TEXT)["from"] == "bob"
    alice.say("received")
    bob.wait_event("message", text="received")


def test_wrong_and_missing_passphrase_find_no_room_and_read_nothing(room: Room, secrets: dict[str, str]) -> None:
    """A private room's beacon names no room: without its passphrase a node cannot even tell it is
    the room it wants, so it starts a room of its own (which nobody with the passphrase joins)."""
    alice, bob = secure_pair(room, secrets)
    bob.say(SECRET_TEXT)
    alice.wait_event("message", text=SECRET_TEXT)
    eve = start(room, secrets, "eve", 4, passphrase="wrong")
    eve.wait_event("hosting")
    mallory = start(room, secrets, "mallory", 5, passphrase=None)
    mallory.wait_event("hosting")
    bob.say("after they came")
    alice.wait_event("message", text="after they came")
    alice.wait_users(["alice", "bob"])
    for node in (eve, mallory):
        node.wait_users([node.nick])
        assert not node.messages(), node.log()


def test_open_node_does_not_join_a_room_of_the_same_name_unencrypted(room: Room, secrets: dict[str, str]) -> None:
    start(room, secrets, "open", 2, passphrase=None).wait_event("hosting")
    private = start(room, secrets, "private", 3)
    assert not private.wait_event("error", code="room_not_private")["fatal"]
    private.wait_event("hosting")
    assert not [e for e in private.events if e["event"] == "joined"], private.log()


def test_raw_sockets_on_the_relay_read_no_plaintext(room: Room, secrets: dict[str, str]) -> None:
    alice, bob = secure_pair(room, secrets)
    wrong_key = client_keys()
    wrong_key = crypto.SocketKeys(zmq.curve_keypair()[0], b"", wrong_key.public, wrong_key.secret)
    plain_sub = curve_socket(zmq.SUB, None)
    guess_sub = curve_socket(zmq.SUB, wrong_key)
    for sub in (plain_sub, guess_sub):
        sub.setsockopt(zmq.SUBSCRIBE, b"")
        sub.connect(f"tcp://{room.ip(2)}:{room.port + 3}")
    raw_bytes: list[bytes] = []

    answered = [threading.Event() for _ in range(3)]

    def raw_reader(port: int, heard: threading.Event) -> None:
        """Speak ZMTP 3.0 with the NULL mechanism, as a peer without the passphrase would, and keep all bytes."""
        with socket.create_connection((room.ip(2), port), timeout=3) as raw:
            raw.sendall(b"\xff" + b"\x00" * 8 + b"\x7f\x03\x00NULL" + b"\x00" * 16 + b"\x00" + b"\x00" * 31)
            raw.settimeout(0.5)
            end = time.monotonic() + 3
            while time.monotonic() < end:
                try:
                    data = raw.recv(65536)
                except socket.timeout:
                    continue
                heard.set()  # the host has answered the handshake (or hung up on it)
                if not data:
                    break
                raw_bytes.append(data)
        heard.set()

    readers = [threading.Thread(target=raw_reader, args=(room.port + k, heard)) for k, heard in zip((1, 2, 3), answered)]
    for reader in readers:
        reader.start()
    try:
        for heard in answered:  # every eavesdropper has tried its handshake before the secret is said
            assert heard.wait(5)
        for i in range(5):
            bob.say(f"{SECRET_TEXT} {i}")
        alice.wait_event("message", text=f"{SECRET_TEXT} 4")
        for sub in (plain_sub, guess_sub):
            assert sub.poll(1000) == 0, "an outsider's SUB received something from the relay"
    finally:
        for reader in readers:
            reader.join(5)
        plain_sub.close(0)
        guess_sub.close(0)
    seen = b"".join(raw_bytes)
    assert b"eagle" not in seen and b"bob" not in seen and b"alice" not in seen
    assert len(seen) <= 3 * 64, seen  # at most a greeting each: the host hangs up on a NULL handshake


def test_beacon_says_secure_and_room_id_but_not_the_passphrase(room: Room, secrets: dict[str, str]) -> None:
    start(room, secrets, "alice", 2).wait_event("hosting")
    sub = curve_socket(zmq.SUB, None)
    sub.setsockopt(zmq.SUBSCRIBE, b"NAMESERVER:")
    sub.connect(f"tcp://{room.ip(2)}:{room.port}")
    try:
        assert sub.poll(3000)
        frames = sub.recv_multipart()
    finally:
        sub.close(0)
    desc = json.loads(frames[1])
    assert desc["secure"] is True and desc["room_id"] == crypto.room_keys(PASSPHRASE, "lobby").room_id
    assert PASSPHRASE.encode() not in b"".join(frames) and b"horse" not in b"".join(frames)
    assert (desc["room"], desc["nick"], desc["members"]) == ("", "", 0)  # no name, host or size either
    assert b"lobby" not in b"".join(frames) and b"alice" not in b"".join(frames)


# ------------------------------------------------------------------------------ senders and identities


def test_forged_sender_and_unregistered_messages_never_show(room: Room, secrets: dict[str, str]) -> None:
    alice, bob = secure_pair(room, secrets)
    bob_id = users_with(alice, "bob")["bob"]["node_id"]
    insider = client_keys()
    # An insider who knows the passphrase, connecting from bob's own address, claims to be bob ...
    forger = curve_socket(zmq.PUSH, insider)
    forger.connect(f"tcp://{room.ip(3)}:0;{room.ip(2)}:{room.port + 2}")
    # ... and one who never registered sends under a made-up id from elsewhere.
    stranger = curve_socket(zmq.PUSH, client_keys())
    stranger.connect(f"tcp://{room.ip(9)}:0;{room.ip(2)}:{room.port + 2}")
    try:
        for seq in range(1, 11):  # bob's next numbers, so a forgery would show at once, not wait for a gap
            forger.send(encode("say", node_id=bob_id, seq=seq, text="forged as bob", sig="0" * 88))
            stranger.send(encode("say", node_id="f" * 16, seq=seq, text="from nobody", sig="0" * 88))
        for ip in (room.ip(3), room.ip(9)):  # the relay has seen and dropped both senders' frames
            alice.wait_log(f"relay: dropping malformed input from {ip} ")
        bob.say("the real bob")
        alice.wait_event("message", text="the real bob")
    finally:
        forger.close(0)
        stranger.close(0)
    for node in (alice, bob):
        assert not {"forged as bob", "from nobody"} & set(node.texts()), node.log()


def test_registration_must_carry_the_authenticated_key(room: Room, secrets: dict[str, str]) -> None:
    secure_pair(room, secrets)
    insider = client_keys()
    req = curve_socket(zmq.REQ, insider)
    req.connect(f"tcp://{room.ip(7)}:0;{room.ip(2)}:{room.port + 1}")
    try:  # a properly signed registration of an identity other than the one the connection proved
        req.send(registration("eve", room.ip(2), room.ip(7)))
        assert req.poll(3000)
        reply = decode(req.recv())
    finally:
        req.close(0)
    assert reply["k"] == "refused" and reply["code"] == "key_mismatch"


def test_member_list_shows_the_persistent_identity_key(room: Room, secrets: dict[str, str]) -> None:
    alice, bob = secure_pair(room, secrets)
    users = users_with(alice, "bob")
    own = Identity.load(Path(secrets["dir"]) / "bob")
    assert users["bob"]["key"] == own.key
    assert len(crypto.fingerprint(own.key)) == 19
    assert bob.quit() == 0
    bob_again = start(room, secrets, "bob", 3)
    bob_again.wait_event("joined")
    assert users_with(bob_again, "bob")["bob"]["key"] == own.key


def test_nick_that_returns_with_another_key_is_flagged(room: Room, secrets: dict[str, str]) -> None:
    alice, bob = secure_pair(room, secrets)
    carol = start(room, secrets, "carol", 4)
    carol.wait_event("joined")
    assert bob.quit() == 0
    alice.wait_users(["alice", "carol"])
    impostor = start(room, secrets, "bob", 5, "right", "not-bob")
    impostor.wait_event("joined")
    for node in (alice, carol):
        err = node.wait_event("error", code="nick_key_changed")
        assert err["detail"].startswith("bob has a new identity key") and not err["fatal"]
    assert alice.proc.poll() is None and carol.proc.poll() is None


# ------------------------------------------------------------------------------ limits


def test_too_long_message_is_an_error_and_the_room_goes_on(room: Room, secrets: dict[str, str]) -> None:
    alice, bob = secure_pair(room, secrets)
    bob.say("y" * (16 * 1024 + 1))
    assert "limit is 16384" in bob.wait_event("error", code="message_too_long")["detail"]
    bob.say("short one")
    alice.wait_event("message", text="short one")


def test_flooding_member_gets_an_error_and_does_not_delay_the_others(room: Room, secrets: dict[str, str]) -> None:
    """The host's limit is set low (100/s, burst 200): with the default 1,000/s, a flooder on a
    loaded machine, held to 256 messages in flight, sometimes could not reach the limit at all."""
    alice, bob = secure_pair(room, secrets, "--rate-limit", "100")
    carol = start(room, secrets, "carol", 4)
    carol.wait_event("joined")
    alice.wait_users(["alice", "bob", "carol"])
    bob.proc.stdin.write("".join(f"flood {i}\n" for i in range(5000)))
    bob.proc.stdin.flush()
    bob.wait_event("error", code="rate_limited")
    delays = []
    for i in range(3):
        sent = time.time()
        carol.say(f"carol {i}")
        got = alice.wait_event("message", text=f"carol {i}", timeout=10)
        delays.append(got["t"] - sent)
        time.sleep(0.3)
    print(f"\nflood: carol's delay at the host while bob floods 5000 messages: "
          f"{', '.join(f'{d * 1000:.0f} ms' for d in delays)}; bob's messages relayed so far: "
          f"{sum(1 for t in alice.texts() if t.startswith('flood'))}")  # each arrived within the 10 s limit
    alice.say("room still fine")
    carol.wait_event("message", text="room still fine")


def test_full_room_refuses_with_room_full_and_keeps_serving(room: Room) -> None:
    """The host actor's registry itself, with a room of two, over real REQ sockets."""
    ctx = zmq.Context.instance()
    state = HostState("lobby", "h" * 16, 0, time.time(), Limits(max_members=2))
    host = Host(ctx, lambda _: None, room.ip(2), (room.port + 1, room.port + 2, room.port + 3), state, Timings(),
                Limits(max_members=2))
    thread = threading.Thread(target=host.run, daemon=True)
    thread.start()
    pipe = host.connect_pipe()
    assert host.ready.wait(3) and host.failure is None
    replies = []
    try:
        for n, nick in enumerate(["a", "b", "c", "a"], start=3):
            req = curve_socket(zmq.REQ, None)
            req.connect(f"tcp://{room.ip(n)}:0;{room.ip(2)}:{room.port + 1}")
            req.send(registration(nick, room.ip(2), room.ip(n)))
            assert req.poll(3000)
            replies.append(decode(req.recv()))
            req.close(0)
    finally:
        pipe.send_pyobj(Stop())
        thread.join(3)
        pipe.close(0)
    assert [r["k"] for r in replies[:2]] == ["welcome", "welcome"]
    assert replies[2]["k"] == "refused" and replies[2]["code"] == "room_full"


def test_two_private_hosts_started_together_merge_after_the_curve_check(room: Room, secrets: dict[str, str]) -> None:
    """The merge asks the other host to welcome us over CURVE first: with the same passphrase
    that succeeds, so two rooms that formed at once still end as one."""
    nodes = [start(room, secrets, nick, n) for nick, n in (("alice", 2), ("bob", 3), ("carol", 4))]
    end = time.monotonic() + 30
    while len(hosts_followed(nodes)) != 1 or any(len(n.users()) != 3 for n in nodes):
        assert time.monotonic() < end, "\n".join(n.log() for n in nodes)
        time.sleep(0.1)
    nodes[0].say("one room")
    for node in nodes[1:]:
        node.wait_event("message", text="one room", timeout=10)
