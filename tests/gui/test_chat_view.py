"""The chat view stays bounded however long the window runs: a day of chat must not grow the
window's memory without limit (the soak in scripts/soak_window.py runs it for real)."""

from __future__ import annotations

import time

from zp2p_gui.ui import chat_view
from zp2p_gui.ui.chat_view import ChatView


def test_view_keeps_a_bounded_number_of_lines_and_ids(qtbot, monkeypatch):
    monkeypatch.setattr(chat_view, "MAX_BLOCKS", 30)
    monkeypatch.setattr(chat_view, "MAX_SHOWN_IDS", 50)
    view = ChatView()
    qtbot.addWidget(view)
    now = time.time()
    for i in range(200):
        assert view.add_message(f"peer:{i}", "bob", f"line {i}", now, own=False, history=False)
    assert view.document().blockCount() <= 30
    assert len(view._shown) == len(view._shown_order) == 50
    assert not view.add_message("peer:199", "bob", "again", now, own=False, history=False)  # recent: still deduped
    assert view.add_message("peer:0", "bob", "line 0", now, own=False, history=False)  # long forgotten
    view.clear_all()
    assert not view._shown and not view._shown_order
