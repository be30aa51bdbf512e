"""The figures of a transfer row: units, a steady speed, time left, the bar's scale."""

from __future__ import annotations

import pytest

from zp2p_gui.core.transfer_figures import human_size, progress_permille, seconds_left, smooth_rate


@pytest.mark.parametrize("count, text", [(0, "0 B"), (1, "1 B"), (1023, "1023 B"), (1536, "1.5 KiB"),
                                         (10 * 1024, "10 KiB"), (5 * 1024**3 // 2, "2.5 GiB"),
                                         (3 * 1024**5, "3072 TiB"), (-5, "0 B")])
def test_human_size(count, text):
    assert human_size(count) == text


def test_the_speed_follows_readings_without_jumping():
    shown = smooth_rate(0.0, 100.0)
    assert shown == 100.0
    shown = smooth_rate(shown, 200.0)
    assert 100.0 < shown < 200.0
    for _ in range(50):
        shown = smooth_rate(shown, 200.0)
    assert shown == pytest.approx(200.0)


def test_seconds_left():
    assert seconds_left(50, 150, 10.0) == 10.0
    assert seconds_left(200, 150, 10.0) == 0
    assert seconds_left(0, 150, 0.0) is None


def test_progress_permille_handles_huge_and_empty_files():
    assert progress_permille(0, 0) == 1000
    assert progress_permille(2**40, 2**41) == 500
    assert progress_permille(10, 5) == 1000
