"""Every error code has an English sentence and a Korean translation, and so has every inline
validation error (option + code); in Korean the window shows no English sentences."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QLabel

from zp2p_gui.core import events as ev
from zp2p_gui.core.errors import Code
from zp2p_gui.core.settings import SAVED, Preferences
from zp2p_gui.ui.i18n import Translations
from zp2p_gui.ui.narrator import Narrator
from zp2p_gui.ui.problems import Problems
from zp2p_gui.ui.settings_dialog import SettingsDialog
from zp2p_gui.ui.status import State

from .test_settings import IFACES

HANGUL = re.compile("[\uac00-\ud7a3]")
DETAIL = "engine detail in English"
# One bad value per checked option; the test below fails when an option is added without one.
BAD_VALUES = {"nick": "a\u202eb", "room": " ", "scan": ("not-a-range",), "host": "300.1.1.1", "port": 0,
              "discovery_window": 0.0, "passphrase_file": "/nonexistent/zp2p.pass", "language": "xx"}


@pytest.fixture
def translations(qapp):
    installed = Translations(qapp)
    yield installed
    installed.apply("en")


@pytest.mark.parametrize("code", list(Code))
def test_every_code_has_an_english_and_a_korean_sentence(qapp, translations, code):
    problems = Problems()
    translations.apply("en")
    english = problems.describe(code, DETAIL, "lobby", "bob")
    assert english and DETAIL not in english and not HANGUL.search(english)
    translations.apply("ko")
    korean = problems.describe(code, DETAIL, "lobby", "bob")
    assert korean and korean != english and HANGUL.search(korean), f"{code} has no Korean sentence"


def test_every_inline_validation_error_has_a_korean_sentence(qapp, translations):
    checked = {option.name for option in SAVED if option.check is not None}
    assert checked == set(BAD_VALUES), "add a bad value for each checked option"
    found = Preferences(**BAD_VALUES).problems()
    assert set(found) == checked
    problems = Problems()
    translations.apply("ko")
    for field, exc in found.items():
        sentence = problems.field_error(field, exc.code, exc.detail)
        assert HANGUL.search(sentence) and exc.detail not in sentence, field


def test_settings_dialog_errors_in_korean(qtbot, translations):
    translations.apply("ko")
    dialog = SettingsDialog(Preferences(nick="alice"), interfaces=IFACES)
    qtbot.addWidget(dialog)
    dialog.host.setText("300.1.1.1")
    assert dialog.error_text("host") == "IPv4 주소가 아닙니다 (예: 192.168.1.20)"  # text of an example in a message; nothing connects
    assert "not an IPv4 address" in dialog.findChild(QLabel, "host_error").toolTip()  # the detail, for logs


def test_reasons_in_system_lines_are_korean(qapp, translations):
    translations.apply("ko")
    narrator = Narrator()
    narrator.room = "lobby"
    roster = (ev.Member("h", "민수", "127.0.5.3", True, 0.0),)
    for cause in (*ev.Cause, None):
        line = narrator.for_event(ev.Reconnecting(reason="host 127.0.5.3 silent", cause=cause, host="127.0.5.3"),
                                  State.CONNECTED, roster)
        assert HANGUL.search(line) and "silent" not in line and "127.0.5.3" not in line, cause
