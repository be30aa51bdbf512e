"""The short CI run of scripts/soak_window.py: the window in a chatty room with joins, leaves
and host failovers for ZP2P_SOAK_MINUTES (default 2); the script's exit code is the verdict."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from ..harness import ROOT

MINUTES = float(os.environ.get("ZP2P_SOAK_MINUTES", "2"))
SLACK_S = 180  # start-up, the final recovery wait (30 s) and closing, on a loaded machine
TIMEOUT_S = MINUTES * 60 + SLACK_S


@pytest.mark.timeout(TIMEOUT_S + 30)  # the subprocess timeout below fires first, with the output
def test_window_survives_a_compressed_day(tmp_path) -> None:
    env = {**os.environ, "ZP2P_ALLOWED_NETS": "127.0.0.0/8", "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(tmp_path)}
    # Its own process group: if it hangs, the group takes its peers along (they are its children).
    proc = subprocess.Popen([sys.executable, str(ROOT / "scripts" / "soak_window.py"), "--minutes", str(MINUTES)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate(timeout=30)
        raise AssertionError(f"soak did not end within {TIMEOUT_S:.0f} s:\n{out[-6000:]}\n{err[-4000:]}") from None
    assert proc.returncode == 0, f"soak failed ({proc.returncode}):\n{out[-6000:]}\n{err[-4000:]}"
