"""The window has a minimum size at which the top bar's widgets do not overlap (the badge
shortens its words instead), Settings has Ctrl+, and a host shows no round trip to itself."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtGui import QKeySequence

from zp2p_gui.core import events as ev
from zp2p_gui.ui.i18n import Translations
from zp2p_gui.ui.main_window import MIN_SIZE

TOP_BAR = ("nick_label", "nick_edit", "connect_button", "badge", "settings_button", "about_button")


@pytest.mark.parametrize("language", ["en", "ko"])
def test_top_bar_does_not_overlap_at_the_minimum_size(qtbot, qapp, lan, make_window, language):
    translations = Translations(qapp)
    window = make_window(["--nick", "alice", *lan.options(2)])
    try:
        translations.apply(language)
        window.on_event(ev.Joined(host=lan.ip(3), users=(
            ev.Member("n3", "a-very-long-host-nickname-xyz", lan.ip(3), True, 0.0),)))
        window.resize(100, 100)  # smaller than allowed: the window stops at its minimum
        qtbot.waitUntil(lambda: (window.width(), window.height()) == MIN_SIZE, timeout=2000)
        widgets = [getattr(window, name) for name in TOP_BAR]
        qtbot.waitUntil(lambda: window.badge.shown_text != window.badge.text, timeout=2000)
        boxes = {w.objectName() or type(w).__name__: w.geometry() for w in widgets}
        for (a, box_a), (b, box_b) in itertools.combinations(boxes.items(), 2):
            assert not box_a.intersects(box_b), f"{a} {box_a} overlaps {b} {box_b}"
        inside = window.centralWidget().rect()
        assert all(inside.contains(box) for box in boxes.values())
        assert window.badge.shown_text.endswith("…") and window.badge.toolTip() == window.badge.text
    finally:
        translations.apply("en")


def test_settings_has_ctrl_comma_and_says_so(make_window, lan):
    window = make_window(["--nick", "alice", *lan.options(2)])
    assert window.settings_action.shortcut() == QKeySequence("Ctrl+,")
    assert window.settings_button.toolTip() == f"Settings ({QKeySequence('Ctrl+,').toString(QKeySequence.SequenceFormat.NativeText)})"


def test_host_shows_no_round_trip_to_itself(make_window, lan):
    window = make_window(["--nick", "alice", *lan.options(2)])
    window.on_event(ev.Hosting(host=lan.ip(2)))
    window.on_event(ev.Rtt(ms=0.2))
    assert window.rtt_info.text() == ""
    window.on_event(ev.HostChanged(host=lan.ip(3)))
    window.on_event(ev.Rtt(ms=1.5))
    assert window.rtt_info.text() == "RTT 1.5 ms"
