"""The window started where there is no screen: a process, so not a unit test."""

from __future__ import annotations

import os
import subprocess
import sys


def test_the_window_without_a_screen_says_what_to_do_instead_of_aborting() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, "-m", "zp2p_gui", "--nick", "amy"], env=env, capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 2
    assert "--headless" in done.stderr and "xvfb-run" in done.stderr
