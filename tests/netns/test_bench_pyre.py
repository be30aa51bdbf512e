"""`zp2p-bench --peers pyre`: Pyre and zp2p side by side in namespaces the benchmark builds.
Runs as root (CI does); no timing asserts, only that every number is there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from numbers import Real
from pathlib import Path

import pytest

from zp2p_gui.bench import __main__ as bench
from zp2p_gui.bench import peers
from zp2p_gui.bench.netns import in_ns
from zp2p_gui.bench.peers import FIGURES


@pytest.mark.timeout(120)
def test_peers_pyre_writes_every_figure_for_both_sides_and_a_ratio(tmp_path: Path) -> None:
    """The side by side alone, smallest counts (2 join runs, 4 nodes, bursts of 300, Pyre's
    silence limit cut to 3 s): about 30 s here when idle."""
    if os.geteuid() != 0:
        pytest.skip("builds network namespaces, which needs root (CI runs as root)")
    out = tmp_path / "bench"
    proc = subprocess.run([sys.executable, "-m", "zp2p_gui.bench", "--smoke", "--peers", "pyre", "--peers-only",
                           "--out", str(out)], capture_output=True, text=True, timeout=100)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads((out / "bench.json").read_text())
    sides = result["peers"]
    for key in FIGURES:
        for name in ("pyre", "zp2p_netns", "ratio"):
            assert isinstance(sides[name][key], Real), (name, key)
    assert sides["pyre"]["version"].startswith("0.")
    assert sides["pyre"]["room_nodes"] == sides["zp2p_netns"]["room_nodes"] > 2
    assert "| Measure | Pyre 0." in (out / "bench.md").read_text()


def test_peers_without_root_is_a_clear_error(monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("os.geteuid", lambda: 1000)
    with pytest.raises(SystemExit) as exit_:
        bench.main(["--peers", "pyre", "--smoke"])
    assert exit_.value.code == 2
    assert "need root" in capsys.readouterr().err


RECEIVE_BROADCAST = """
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("", 5999))
s.settimeout(20)
print(s.recvfrom(100)[0].decode(), flush=True)
"""
SEND_BROADCAST = """
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
for _ in range(100):
    s.sendto(b"hello", ("198.18.0.255", 5999))
    time.sleep(0.1)
"""


@pytest.mark.timeout(60)
def test_the_switch_carries_a_broadcast_to_every_node_and_is_gone_afterwards() -> None:
    """What Pyre's beacon needs: a UDP broadcast from node 1 reaches node 3 through the bridge;
    every namespace the LAN made is deleted on exit."""
    if os.geteuid() != 0:
        pytest.skip("builds network namespaces, which needs root (CI runs as root)")
    with peers.lan(3) as spaces:
        receiver = subprocess.Popen([*in_ns(spaces[2]), sys.executable, "-c", RECEIVE_BROADCAST],
                                    stdout=subprocess.PIPE, text=True)
        sender = subprocess.Popen([*in_ns(spaces[0]), sys.executable, "-c", SEND_BROADCAST])
        try:
            out, _ = receiver.communicate(timeout=30)
        finally:
            sender.kill()
            sender.wait(5)
            receiver.kill()
    assert out.strip() == "hello"
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, timeout=10).stdout
    assert not any(ns in listed for ns in spaces)
