"""Korean and English catalogs load and are complete, plurals work, and the window switches language live."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from zp2p_gui.core import events as ev
from zp2p_gui.ui.badge import StatusBadge
from zp2p_gui.ui.i18n import Translations
from zp2p_gui.ui.scope import SearchScope
from zp2p_gui.ui.settings import Preferences
from zp2p_gui.ui.status import Status, advance
from zp2p_gui.ui.welcome import WelcomePanel


@pytest.fixture
def translations(qapp):
    installed = Translations(qapp)
    yield installed
    installed.apply("en")


def test_korean_catalog(qtbot, translations):
    translations.apply("ko")
    badge = StatusBadge()
    qtbot.addWidget(badge)
    assert badge.text == "오프라인"
    assert QApplication.translate("MainWindow", "%n member(s)", "", 3) == "참여자 3명"


def test_english_plurals(translations):
    translations.apply("en")
    assert QApplication.translate("MainWindow", "%n member(s)", "", 1) == "1 member"
    assert QApplication.translate("MainWindow", "%n member(s)", "", 2) == "2 members"


def test_window_switches_language_from_settings(qtbot, lan, make_window, translations):
    window = make_window(["--nick", "alice", *lan.options(2)])
    window.translations = translations
    assert window.connect_button.text() == "&Connect"
    window.apply_preferences(Preferences(nick="alice", language="ko"))
    qtbot.waitUntil(lambda: window.connect_button.text() == "연결(&C)", timeout=2000)  # LanguageChange is posted
    assert window.badge.text == "오프라인"
    window.apply_preferences(Preferences(nick="alice", language="en"))
    qtbot.waitUntil(lambda: window.connect_button.text() == "&Connect", timeout=2000)


def test_every_korean_string_is_translated():
    catalog = Path(__file__).resolve().parents[2] / "resources" / "i18n" / "zp2p_ko.ts"
    assert 'type="unfinished"' not in catalog.read_text(encoding="utf-8")


def test_welcome_panel_in_korean(qtbot, translations):
    translations.apply("ko")
    panel = WelcomePanel()
    qtbot.addWidget(panel)
    panel.set_scope(SearchScope(("127.0.5.0/24",)), 1.0)
    assert "연결을 누르면 127.0.5.0/24에서 zp2p 호스트를 찾습니다. 1초 안에" in panel.text


def test_private_room_refusal_in_korean(qtbot, translations):
    translations.apply("ko")
    badge = StatusBadge()
    qtbot.addWidget(badge)
    badge.set_room("team", private=True)
    badge.set_status(advance(Status(), ev.Error(code="room_not_private", detail="x", fatal=True)))
    assert badge.text == "이 네트워크의 team 방에는 암호가 없어, 암호화되지 않은 방에는 참여하지 않습니다"
