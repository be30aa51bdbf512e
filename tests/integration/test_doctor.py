"""`zp2p --doctor` and interface choice, against real loopback hosts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ..harness import ROOT, Room


def doctor(room: Room, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    proc = subprocess.run([sys.executable, "-m", "zp2p_gui", "--doctor", "--port", str(room.port), *args],
                          capture_output=True, text=True, timeout=30, cwd=ROOT, env=env or room.env)
    return proc.returncode, proc.stdout


def test_doctor_reports_address_ports_and_the_answering_host(room: Room, tmp_path: Path) -> None:
    (tmp_path / "pass").write_text("open sesame\n", encoding="utf-8")
    host = room.start("alice", 2, "--passphrase-file", str(tmp_path / "pass"))
    host.wait_event("hosting")
    code, out = doctor(room, "--bind", room.ip(5), "--scan", room.scan, "--passphrase-file", str(tmp_path / "pass"),
                       "--data-dir", str(tmp_path / "d"))
    print(out)
    assert code == 0
    assert f"address:     {room.ip(5)} (--bind)" in out
    assert "CURVE available" in out
    for offset in range(5):
        assert f"port {room.port + offset}:" in out and "in use" not in out
    assert f"{room.ip(2)} answers: a private room" in out and "your passphrase opens it: you can join" in out
    assert "lobby" not in out.split("answers:")[1].splitlines()[0]  # a private beacon names no room
    assert "key derivation" in out and f"ufw allow {room.port}:{room.port + 5}/tcp" in out

    code, out = doctor(room, "--bind", room.ip(2), "--host", room.ip(2), "--data-dir", str(tmp_path / "d"))
    assert out.count(": in use (") == 5, out
    assert "a private room" in out and "not yours, or your passphrase or room name differs" in out


def test_doctor_scans_only_what_it_is_allowed_to(room: Room, tmp_path: Path) -> None:
    env = {k: v for k, v in room.env.items() if k != "ZP2P_ALLOWED_NETS"}
    code, out = doctor(room, "--bind", room.ip(5), "--data-dir", str(tmp_path), env=env)
    assert code == 0 and "discovery:   skipped: pass --scan CIDR or --host IP" in out
    code, out = doctor(room, "--bind", room.ip(5), "--data-dir", str(tmp_path))
    assert f"{room.scan} (allowed by ZP2P_ALLOWED_NETS)" in out and "none answered" in out
    code, out = doctor(room, "--bind", room.ip(5), "--host", "10.9.8.7", "--data-dir", str(tmp_path))  # outside the allowed nets: doctor must refuse it without connecting
    assert "skipped: 10.9.8.7 is outside ZP2P_ALLOWED_NETS" in out  # refused before any connection


def test_doctor_with_a_named_interface_and_bad_options(room: Room, tmp_path: Path) -> None:
    code, out = doctor(room, "--interface", "lo", "--data-dir", str(tmp_path), "--host", "127.0.0.1")
    assert code == 0 and "address:     127.0.0.1 on lo" in out
    code, out = doctor(room, "--interface", "no-such-if0", "--data-dir", str(tmp_path))
    assert code == 1 and "no IPv4 address on no-such-if0" in out
    code, out = doctor(room, "--scan", "not-a-range")
    assert code == 2 and "not an IPv4 CIDR range" in out


def headless(room: Room, tmp_path: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "zp2p_gui", "--headless", "--nick", "x", "--port", str(room.port),
                             "--data-dir", str(tmp_path), "--discovery-window", "0.3", *args],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT, env=room.env)


def test_interface_option_picks_its_address_and_a_bad_name_is_an_error(room: Room, tmp_path: Path) -> None:
    node = headless(room, tmp_path, "--interface", "lo", "--host", "127.0.0.1")
    try:
        hosting = next(event for event in map(json.loads, node.stdout) if event["event"] == "hosting")
        assert hosting["host"] == "127.0.0.1"
        node.stdin.write("/quit\n")
        node.stdin.flush()
        assert node.wait(10) == 0
    finally:
        node.kill()
        node.communicate(timeout=10)
    bad = headless(room, tmp_path, "--interface", "no-such-if0", "--host", room.ip(2))
    out, _ = bad.communicate(timeout=20)
    assert bad.returncode == 2 and {"event": "error", "code": "no_interface"}.items() <= json.loads(out.splitlines()[0]).items()
