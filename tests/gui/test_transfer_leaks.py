"""Many transfers must not pile up objects: each leaves a row, and finished rows beyond the
kept number are cleared with everything they own (labels, buttons, bar, connections)."""

from __future__ import annotations

from pathlib import Path

from zp2p_gui.ui.transfers import KEEP_FINISHED

from .child import assert_no_new_objects, measured_load

ROUNDS = 500  # 1,000 transfers to one person, 3,500 events
TIMEOUT_S = 120  # a few seconds unloaded
NONE_SLACK = 20  # as the churn test: lazy PySide types, not growth
QOBJECT_SLACK = 2


def test_many_transfers_keep_object_counts_bounded(tmp_path: Path) -> None:
    before, after, report = measured_load("transfers_load", ROUNDS, tmp_path, TIMEOUT_S)
    assert after["rows"] == KEEP_FINISHED, report
    assert abs(after["none"] - before["none"]) <= NONE_SLACK, report
    assert_no_new_objects(before, after, report, QOBJECT_SLACK)
