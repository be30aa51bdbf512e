"""A window in the background of a busy room must not pile up objects per event.

Measured on PySide6 6.11.3 before the workarounds, per round of tests/gui/churn_load.py (a member
leaves and returns, a message arrives unread): the refcount of None rose by about 11 (six from a
QPainter opened on each new tray count icon, one per member from QListWidgetItem.setToolTip at
every rebuild) and one QTimer per departure stayed alive waiting for a deleteLater that a
processEvents loop never ran. Each is small, but a day in a busy room is millions of events."""

from __future__ import annotations

from pathlib import Path

from .child import assert_no_new_objects, measured_load

ROUNDS = 2000  # 6,000 events: 4,000 presence changes and 2,000 unread messages
TIMEOUT_S = 120  # a few seconds unloaded
NONE_SLACK = 20  # measured after the fixes on 6.11.3: unchanged; before them: +22,400
QOBJECT_SLACK = 2  # after: unchanged; before: +2,000 (one QTimer per departure)


def test_a_churning_room_in_the_background_keeps_object_counts_bounded(tmp_path: Path) -> None:
    before, after, report = measured_load("churn_load", ROUNDS, tmp_path, TIMEOUT_S)
    assert after["unread"] > before["unread"] > 0, "the messages must count as unread (the tray path): " + report
    assert abs(after["none"] - before["none"]) <= NONE_SLACK, report
    assert_no_new_objects(before, after, report, QOBJECT_SLACK)
