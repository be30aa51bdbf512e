"""A window left open all day while someone on the LAN joins under a new identity every time,
calls itself "bob" (a changed key to flag), writes a DM, offers a file and leaves: nothing per
identity may pile up in the window.

Before the bounds, each identity left a conversation row, a chat view and a transfer row for
good, and the list found a row by walking them all (each presence change cost O(rows²): 0.26 s
at 1,000 rows, 4.1 s at 4,000, after which the window could not keep up with the room). This
load without the bounds, 1,000 rounds: +162 MB RSS and +30,000 QObjects; with them: +3.5 MB
(the history file's cache and the room's lines) and none.

The refcount of None is not checked here: on PySide6 6.11 building a chat view adds ~10 to it
with no memory behind them (RSS flat over 6,000 views built and freed), and a view is built per
identity that writes."""

from __future__ import annotations

from pathlib import Path

from zp2p_gui.ui.conversations import STRANGER_ROWS
from zp2p_gui.ui.direct import VIEWS_KEPT
from zp2p_gui.ui.transfers import KEEP_FINISHED_ALL

from .child import assert_no_new_objects, measured_load

ROUNDS = 1000  # 6,000 events, each round a new identity
TIMEOUT_S = 180  # ~15 s unloaded
RSS_GROWTH_KB = 16_000  # measured 3,500; unbounded, 162,000
QOBJECT_SLACK = 2


def test_new_identities_all_day_leave_the_window_bounded(tmp_path: Path) -> None:
    before, after, report = measured_load("stranger_load", ROUNDS, tmp_path, TIMEOUT_S)
    assert after["conversations"] == STRANGER_ROWS, report
    assert after["views"] <= 1 + VIEWS_KEPT + 1, report  # the room's, the kept ones, the newest
    assert after["transfers"] == KEEP_FINISHED_ALL, report
    assert_no_new_objects(before, after, report, QOBJECT_SLACK)
    assert after["rss_kb"] - before["rss_kb"] < RSS_GROWTH_KB, report
