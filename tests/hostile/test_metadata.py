"""Issue 13 item 11: a listener without the passphrase read a private room's name, its host's nick
and a live member count from the beacon. Here the listener is a plain TCP socket speaking just
enough ZMTP 3.0 (NULL mechanism) to subscribe, as any script on the LAN can."""

from __future__ import annotations

import json
import socket
import struct
import time
from pathlib import Path

from ..harness import Room
from .attacker import read_exact, zmtp_connect, zmtp_frame

LISTENER = 9  # the listener's address in the room's /24


def _frame(conn: socket.socket) -> tuple[int, bytes]:
    flags = read_exact(conn, 1)[0]
    size = struct.unpack(">Q", read_exact(conn, 8))[0] if flags & 0x02 else read_exact(conn, 1)[0]
    return flags, read_exact(conn, size)


def listen_to_beacon(room: Room, timeout: float = 5.0) -> list[bytes]:
    """Subscribe to the .2 host's `NAMESERVER:` by hand and return the first beacon's frames."""
    with zmtp_connect(room.ip(LISTENER), room.ip(2), room.port, b"SUB", timeout) as conn:
        conn.sendall(zmtp_frame(b"\x01NAMESERVER:"))
        end = time.monotonic() + timeout
        frames: list[bytes] = []
        while time.monotonic() < end:
            flags, body = _frame(conn)
            if flags & 0x04:  # a command (the host's READY)
                continue
            frames.append(body)
            if not flags & 0x01:  # the last frame of the message
                return frames
    raise AssertionError("no beacon")


def test_a_private_beacon_tells_a_raw_listener_only_that_it_is_private(room: Room, tmp_path: Path) -> None:
    secret = tmp_path / "passphrase"
    secret.write_text("velvet orbit tundra maple\n", encoding="utf-8")
    host = room.start("alice-the-host", 2, "--room", "board-meeting", "--passphrase-file", str(secret))
    host.wait_event("hosting")
    room.start("bob", 3, "--room", "board-meeting", "--passphrase-file", str(secret)).wait_event("joined")
    frames = listen_to_beacon(room)
    desc = json.loads(frames[1])
    assert frames[0] == f"NAMESERVER:{room.ip(2)}".encode()
    assert desc["secure"] is True and len(desc["room_id"]) == 32
    assert (desc["room"], desc["nick"], desc["members"]) == ("", "", 0)
    assert b"board" not in frames[1] and b"alice" not in frames[1] and b"velvet" not in frames[1]


def test_an_open_beacon_still_names_its_room_and_host(room: Room) -> None:
    room.start("carol", 2, "--room", "open-chat").wait_event("hosting")
    desc = json.loads(listen_to_beacon(room)[1])
    assert (desc["room"], desc["nick"], desc["secure"]) == ("open-chat", "carol", False)
