"""First run: the nick is prefilled from the OS user name, the welcome panel names the network
Connect will search, hosting alone is explained in the chat, and the nick is remembered."""

from __future__ import annotations

import getpass

import pytest
from PySide6.QtCore import Qt

from zp2p_gui.core import events as ev
from zp2p_gui.ui.narrator import Narrator
from zp2p_gui.ui.scope import SearchScope, search_scope
from zp2p_gui.ui.status import State
from zp2p_gui.ui.welcome import default_nick

from .conftest import WAIT_MS


@pytest.fixture
def os_user(monkeypatch):
    monkeypatch.setattr(getpass, "getuser", lambda: "minji")
    return "minji"


def test_first_run_prefills_os_user_and_names_the_network(qtbot, lan, make_window, os_user):
    window = make_window(lan.options(2))
    assert window.first_run
    assert window.nick_edit.text() == os_user
    assert window.welcome.isVisible()
    assert f"Connect looks for a zp2p host on {lan.scan};" in window.welcome.text
    assert "within 0.3 seconds" in window.welcome.text


def test_invalid_os_user_leaves_the_nick_empty(monkeypatch):
    monkeypatch.setattr(getpass, "getuser", lambda: "bad\u202enick")
    assert default_nick() == ""

    def no_user() -> str:
        raise KeyError("uid not found")
    monkeypatch.setattr(getpass, "getuser", no_user)
    assert default_nick() == ""


def test_first_connect_alone_explains_hosting_and_remembers_the_nick(qtbot, lan, make_window, os_user):
    window = make_window(lan.options(2))
    qtbot.mouseClick(window.connect_button, Qt.MouseButton.LeftButton)
    assert not window.welcome.isVisible()
    qtbot.waitUntil(lambda: window.status.state is State.HOSTING, timeout=WAIT_MS)
    text = window.chat.toPlainText()
    assert f"Looking for a zp2p host on {lan.scan}…" in text
    assert (f"No one else was found on {lan.scan}, so this computer is now hosting the room. "
            "Others on the network will find it.") in text
    window.close()

    again = make_window(lan.options(2))
    assert not again.first_run
    assert not again.welcome.isVisible()
    assert again.nick_edit.text() == os_user


def test_hosting_after_a_lost_host_is_a_takeover(qapp):
    narrator = Narrator()
    narrator.scope = SearchScope(("127.0.5.0/24",))
    line = narrator.for_event(ev.Hosting(host="127.0.5.2"), State.RECONNECTING)
    assert line == "This computer took over hosting the room."


def test_hosting_alone_with_a_passphrase_says_to_check_it(qapp):
    """A wrong passphrase finds no room (the beacon names none), so the line says what it may mean."""
    narrator = Narrator()
    narrator.scope, narrator.private = SearchScope(("127.0.5.0/24",)), True
    line = narrator.for_event(ev.Hosting(host="127.0.5.2"), State.SEARCHING)
    assert line == ("No one with this passphrase was found on 127.0.5.0/24, so this computer is now hosting the "
                    "room. If you expect others here, check that everyone uses the same passphrase.")
    narrator.scope = SearchScope((), "127.0.5.9")
    assert narrator.for_event(ev.Hosting(host="127.0.5.2"), State.SEARCHING).startswith(
        "No one with this passphrase answered")


def test_scope_follows_the_engine_rules():
    assert search_scope(["127.0.6.0/28"], None, "127.0.6.2", None) == SearchScope(("127.0.6.0/28",))
    assert search_scope([], "127.0.6.9", "127.0.6.2", None) == SearchScope((), "127.0.6.9")
    assert search_scope([], None, "127.0.6.2", None) == SearchScope(("127.0.6.0/24",))


def test_settings_show_the_nick_the_window_shows(qtbot, lan, make_window, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "dana")
    window = make_window(lan.options(2))
    dialog = window.settings_dialog()
    qtbot.addWidget(dialog)
    assert dialog.preferences().nick == window.nick_edit.text() == "dana"
