"""`zp2p-bench --peers pyre`: Pyre and zp2p side by side in namespaces the benchmark builds.
Runs as root (CI does); no timing asserts, only that every number is there."""

from __future__ import annotations

import json
import subprocess
import sys
from numbers import Real
from pathlib import Path

import pytest

from zp2p_gui.bench import __main__ as bench

PEER_KEYS = ("join_ms_p50", "join_ms_p90", "p50_ms", "p99_ms")


@pytest.mark.timeout(200)
def test_peers_pyre_writes_both_sides(tmp_path: Path) -> None:
    out = tmp_path / "bench"
    proc = subprocess.run([sys.executable, "-m", "zp2p_gui.bench", "--smoke", "--nodes-max", "2", "--peers", "pyre",
                           "--out", str(out)], capture_output=True, text=True, timeout=180)  # 40 s here when idle
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads((out / "bench.json").read_text())
    for side in ("pyre", "zp2p_netns"):
        for key in PEER_KEYS:
            assert isinstance(result["peers"][side][key], Real), (side, key)
    assert result["peers"]["pyre"]["version"].startswith("0.")
    assert "| Measure | zp2p" in (out / "bench.md").read_text()


def test_peers_without_root_is_a_clear_error(monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("os.geteuid", lambda: 1000)
    with pytest.raises(SystemExit) as exit_:
        bench.main(["--peers", "pyre", "--smoke"])
    assert exit_.value.code == 2
    assert "need root" in capsys.readouterr().err
