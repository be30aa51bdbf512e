"""The chat keeps following new lines across resizes and language switches while the user is
at the bottom; a user who scrolled up gets a "↓ N new messages" button that takes them down."""

from __future__ import annotations

from PySide6.QtCore import Qt

from zp2p_gui.ui.i18n import Translations
from zp2p_gui.ui.settings import Preferences


def _fill(chat, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        chat.add_message(f"id{n}", "bob", f"line {n} " + "words that wrap when the view narrows " * 3,
                         1_700_000_000.0 + n, own=False, history=False)


def test_follows_across_resize_and_shows_new_lines_button_when_scrolled_up(qtbot, qapp, lan, make_window):
    Translations(qapp).apply("en")  # English plurals come from the English catalog, as in the app
    window = make_window(["--nick", "alice", *lan.options(2)])
    window.resize(900, 600)
    chat = window.chat
    _fill(chat, 80)
    qtbot.waitUntil(lambda: chat.at_bottom, timeout=2000)

    window.resize(window.minimumWidth(), 600)  # narrower: the text re-wraps and grows taller
    _fill(chat, 1, start=80)
    qtbot.waitUntil(lambda: chat.at_bottom, timeout=2000)
    window.resize(1000, 600)
    _fill(chat, 1, start=81)
    qtbot.waitUntil(lambda: chat.at_bottom, timeout=2000)
    assert chat.new_lines_button.isHidden()

    chat.verticalScrollBar().setValue(0)  # the user scrolls up to read
    _fill(chat, 3, start=82)
    assert chat.verticalScrollBar().value() == 0
    assert chat.unseen == 3 and chat.new_lines_button.isVisible()
    assert chat.new_lines_button.text() == "↓ 3 new messages"
    button = chat.new_lines_button.geometry()
    assert chat.viewport().geometry().contains(button)
    qtbot.mouseClick(chat.new_lines_button, Qt.MouseButton.LeftButton)
    assert chat.at_bottom and chat.new_lines_button.isHidden() and chat.unseen == 0


def test_follows_across_a_language_switch(qtbot, lan, make_window, qapp):
    translations = Translations(qapp)
    window = make_window(["--nick", "alice", *lan.options(2)])
    window.translations = translations
    window.resize(700, 500)
    _fill(window.chat, 60)
    qtbot.waitUntil(lambda: window.chat.at_bottom, timeout=2000)
    try:
        window.apply_preferences(Preferences(nick="alice", language="ko"))
        qtbot.waitUntil(lambda: window.connect_button.text() == "연결(&C)", timeout=2000)
        _fill(window.chat, 1, start=60)
        qtbot.waitUntil(lambda: window.chat.at_bottom, timeout=2000)
        assert window.chat.new_lines_button.isHidden()
    finally:
        translations.apply("en")
