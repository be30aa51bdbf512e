"""The benchmark must not rot: its smallest run completes and writes every key and file.
No timing asserts: CI boxes are shared and slow, numbers there mean nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from numbers import Real
from pathlib import Path

import pytest

KEYS = ("join_ms_p50", "join_ms_p90", "start_ms_p50", "import_ms_p50", "import_ms_min", "import_cpu_ms_p50",
        "import_cpu_ms_min", "host_alone_ms_p50", "relay_msgs_per_s", "raw_chain_msgs_per_s",
        "failover_crash_ms_p50", "failover_silent_ms_p50", "idle_cpu_pct", "rss_mb", "direct_p50_ms", "direct_p99_ms",
        "direct_cold_ms", "files_raw_mb_s", "files_mb_s", "files_ratio", "files_rss_sender_mb", "files_rss_receiver_mb",
        "files_small_s", "files_copytree_s", "files_resumed_from", "files_resent_bytes", "fair_share_p50_ms",
        "fair_share_max_ms", "fair_share_during")


@pytest.mark.timeout(240)  # the file measurements add ~10 s; a load average of 10 doubles the run
def test_smoke_run_writes_every_key_and_plot(tmp_path: Path) -> None:
    out = tmp_path / "bench"
    proc = subprocess.run([sys.executable, "-m", "zp2p_gui.bench", "--smoke", "--quick", "--nodes-max", "3",
                           "--out", str(out)], capture_output=True, text=True, timeout=230)  # 50-81 s here at loads of 8-10
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads((out / "bench.json").read_text())
    for key in KEYS:
        assert isinstance(result[key], Real), key
    assert len(result["files_samples"]) == len(result["files_raw_samples"]) == result["files_rounds"] >= 1
    assert [row["nodes"] for row in result["fanout"]] == [2, 3]
    for row in result["fanout"]:
        assert isinstance(row["p50_ms"], Real) and isinstance(row["p99_ms"], Real)
    assert {"cores", "python", "pyzmq", "libzmq"} <= set(result["machine"])
    assert result["errors"] == []
    assert "| join p50" in (out / "bench.md").read_text()
    for png in ("join.png", "fanout.png", "failover.png", "throughput.png", "files.png"):
        assert (out / png).stat().st_size > 1000, png
