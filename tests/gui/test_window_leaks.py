"""A window in the background of a busy room must not pile up objects per event.

Measured on PySide6 6.11.3 before the workarounds, per round of tests/gui/churn_load.py (a member
leaves and returns, a message arrives unread): the refcount of None rose by about 11 (six from a
QPainter opened on each new tray count icon, one per member from QListWidgetItem.setToolTip at
every rebuild) and one QTimer per departure stayed alive waiting for a deleteLater that a
processEvents loop never ran. Each is small, but a day in a busy room is millions of events."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ..harness import ROOT

ROUNDS = 2000  # 6,000 events: 4,000 presence changes and 2,000 unread messages
TIMEOUT_S = 120  # a few seconds unloaded
NONE_SLACK = 20  # measured after the fixes on 6.11.3: unchanged; before them: +22,400
QOBJECT_SLACK = 2  # after: unchanged; before: +2,000 (one QTimer per departure)


def test_a_churning_room_in_the_background_keeps_object_counts_bounded(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ZP2P_ALLOWED_NETS": "127.0.0.0/8"}
    proc = subprocess.run([sys.executable, "-m", "tests.gui.churn_load", str(ROUNDS), str(tmp_path)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT_S)
    assert proc.returncode == 0, f"window process died ({proc.returncode}):\n{proc.stderr[-4000:]}"
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    before, after = result["before"], result["after"]
    report = f"PySide6 {result['pyside']}, {ROUNDS} rounds: {result}"
    assert after["unread"] > before["unread"] > 0, "the messages must count as unread (the tray path): " + report
    assert abs(after["none"] - before["none"]) <= NONE_SLACK, report
    assert abs(after["qobjects"] - before["qobjects"]) <= QOBJECT_SLACK, report
    assert after["widgets"] == before["widgets"], report
