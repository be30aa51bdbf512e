"""A gap the engine could not repair is a visible line, and text the engine has no room for stays
in the composer (issue 13 items 4 and 8)."""

from __future__ import annotations

import pytest

from zp2p_gui.core import events as ev
from zp2p_gui.ui.composer import Composer
from zp2p_gui.ui.i18n import Translations
from zp2p_gui.ui.narrator import Narrator
from zp2p_gui.ui.status import State


@pytest.fixture
def translations(qapp):
    installed = Translations(qapp)
    yield installed
    installed.apply("en")


def test_a_gap_is_told_in_english_and_korean(translations) -> None:
    translations.apply("en")
    narrator = Narrator()
    gap = ev.Gap(sender="a1b2c3d4e5f6", nick="Bob", count=3, first=5, last=7)
    assert narrator.for_event(gap, State.CONNECTED) == "3 messages from Bob could not be recovered."
    assert narrator.for_event(ev.Gap(sender="a1b2c3d4e5f6", count=1), State.CONNECTED) == \
        "1 message from a1b2c3d4 could not be recovered."
    translations.apply("ko")
    assert narrator.for_event(gap, State.CONNECTED) == "Bob 님의 메시지 3개를 복구하지 못했습니다."


def test_the_composer_keeps_text_while_the_engine_has_no_room(qtbot) -> None:
    composer = Composer()
    qtbot.addWidget(composer)
    sent: list[str] = []
    composer.submitted.connect(sent.append)
    composer.ready = lambda: False
    composer.setPlainText("hello")
    with qtbot.waitSignal(composer.held, timeout=1000):
        composer.submit()
    assert sent == [] and composer.toPlainText() == "hello"
    composer.ready = lambda: True
    composer.submit()
    assert sent == ["hello"] and composer.toPlainText() == ""
