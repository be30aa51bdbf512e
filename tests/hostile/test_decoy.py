"""Issue 13 item 6: a decoy beacon stopped a room from ever starting (every new node exited with
code 2). Now a node that cannot join what it found says so and hosts the room itself, and the
next node with the same settings joins it, not the decoy."""

from __future__ import annotations

from pathlib import Path

from ..harness import Room
from .fakes import FakeHost, open_desc


def test_an_open_decoy_does_not_keep_a_passphrase_room_from_starting(room: Room, tmp_path: Path) -> None:
    secret = tmp_path / "passphrase"
    secret.write_text("correct horse battery staple\n", encoding="utf-8")
    with FakeHost(room.ip(9), room.port, open_desc()):
        alice = room.start("alice", 2, "--passphrase-file", str(secret))
        notice = alice.wait_event("error", code="room_not_private", timeout=20)
        assert not notice["fatal"] and "hosting the room here" in notice["detail"]
        alice.wait_event("hosting", timeout=20)
        bob = room.start("bob", 3, "--passphrase-file", str(secret))
        assert bob.wait_event("joined", timeout=20)["host"] == alice.ip
        bob.say("through the real room")
        alice.wait_event("message", text="through the real room", timeout=10)
        assert alice.proc.poll() is None and bob.proc.poll() is None


def test_a_private_decoy_does_not_keep_an_open_room_from_starting(room: Room) -> None:
    decoy = open_desc(secure=True, room_id="0123456789abcdef0123456789abcdef")
    with FakeHost(room.ip(9), room.port, decoy):
        alice = room.start("alice", 2)
        alice.wait_event("hosting", timeout=20)
        bob = room.start("bob", 3)
        assert bob.wait_event("joined", timeout=20)["host"] == alice.ip
        bob.say("open and running")
        alice.wait_event("message", text="open and running", timeout=10)
        assert not [e for n in (alice, bob) for e in n.events if e["event"] == "error" and e["fatal"]]
