"""A native crash of the window (segfault, interpreter abort) leaves its stack in crash.log."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CRASH = """
import faulthandler, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from zp2p_gui.ui import logs
app = QApplication([])
logs.setup(Path(sys.argv[1]), verbose=False)
faulthandler._sigsegv()
"""


def test_a_segfault_is_written_to_the_crash_log(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", CRASH, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    crash = (tmp_path / "crash.log").read_text(encoding="utf-8")
    assert "Segmentation fault" in crash and "Current thread" in crash, crash
