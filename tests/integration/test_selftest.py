"""`zp2p --self-test` and `--version`: in process, and as the console command a user or CI runs."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
from pathlib import Path

from zp2p_gui import __version__
from zp2p_gui.selftest import HOST_IP, MEMBER_IP, find_free_port, run_self_test

ROOT = Path(__file__).resolve().parents[2]
# The self-test bounds itself at ~10 s; the subprocess limit only catches a hang.
PROCESS_TIMEOUT = 30


def run_module(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "zp2p_gui", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=PROCESS_TIMEOUT, env={**os.environ, **(env or {})})


def test_self_test_in_process_passes_and_reports_each_step() -> None:
    out = io.StringIO()
    assert run_self_test(out=out) == 0, out.getvalue()
    lines = out.getvalue().splitlines()
    assert [line for line in lines if line.startswith("[FAIL]")] == []
    assert sum(line.startswith("[ ok ]") for line in lines) == 6
    assert any("A -> B" in line for line in lines) and any("B -> A" in line for line in lines)
    assert lines[-1].startswith("self-test passed")


def test_self_test_refuses_when_allowed_nets_exclude_loopback() -> None:
    out = io.StringIO()
    assert run_self_test(out=out, environ={"ZP2P_ALLOWED_NETS": "10.0.0.0/8"}) == 1  # excludes loopback so the self-test refuses to start; never connects
    text = out.getvalue()
    assert "[FAIL]" in text and "ZP2P_ALLOWED_NETS" in text
    assert text.splitlines()[-1].startswith("self-test FAILED")


def test_self_test_rejects_a_malformed_allowed_nets() -> None:
    out = io.StringIO()
    assert run_self_test(out=out, environ={"ZP2P_ALLOWED_NETS": "not-a-network"}) == 1
    assert "not valid" in out.getvalue()


def test_free_port_is_free_on_both_addresses_and_below_ephemeral_range() -> None:
    port = find_free_port((HOST_IP, MEMBER_IP))
    assert 20000 <= port and port + 3 < 32768
    with socket.socket() as a, socket.socket() as b:
        a.bind((HOST_IP, port + 3))
        b.bind((MEMBER_IP, port))


def test_self_test_command_exits_zero() -> None:
    done = run_module("--self-test")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1].startswith("self-test passed")


def test_self_test_leaves_no_files_in_the_users_folders(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    done = run_module("--self-test", env={"HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
                                          "XDG_CONFIG_HOME": str(home / "config")})
    assert done.returncode == 0, done.stdout + done.stderr
    assert list(home.iterdir()) == []


def test_self_test_command_exits_one_on_failure() -> None:
    done = run_module("--self-test", env={"ZP2P_ALLOWED_NETS": "192.0.2.0/24"})  # makes the self-test refuse loopback; nothing connects
    assert done.returncode == 1
    assert "[FAIL]" in done.stdout


def test_version_command() -> None:
    done = run_module("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"zp2p {__version__}"
