"""Runs a window load (tests/gui/*_load.py) in a child process and returns its JSON figures:
an interpreter abort is then a failure with its stderr, and the figures are that load's alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from ..harness import ROOT


def run_load(module: str, rounds: int, data_dir: Path, timeout: float) -> dict[str, Any]:
    """`python -m tests.gui.<module> ROUNDS DATA_DIR` offscreen; its last stdout line."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ZP2P_ALLOWED_NETS": "127.0.0.0/8"}
    proc = subprocess.run([sys.executable, "-m", f"tests.gui.{module}", str(rounds), str(data_dir)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"window process died ({proc.returncode}):\n{proc.stderr[-4000:]}"
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measured_load(module: str, rounds: int, data_dir: Path, timeout: float) -> tuple[dict[str, Any], dict[str, Any], str]:
    """run_load's figures after the warm-up and after the load, and what a failed assert prints."""
    result = run_load(module, rounds, data_dir, timeout)
    return result["before"], result["after"], f"PySide6 {result['pyside']}, {rounds} rounds: {result}"


def assert_no_new_objects(before: dict[str, Any], after: dict[str, Any], report: str, qobject_slack: int) -> None:
    assert abs(after["qobjects"] - before["qobjects"]) <= qobject_slack, report
    assert after["widgets"] == before["widgets"], report
