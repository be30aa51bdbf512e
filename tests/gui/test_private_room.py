"""Private rooms from the window: the passphrase stays in memory, the window joins a room a
headless peer hosts with --passphrase-file, a wrong passphrase shows nothing from the room, and
members show their key fingerprints."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from zp2p_gui.core.crypto import fingerprint
from zp2p_gui.ui.paths import AppPaths
from zp2p_gui.ui.status import State

from ..hostile.fakes import FakeHost, open_desc
from .conftest import WAIT_MS

SECRET = "correct horse battery staple"


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "room.pass"
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


def _settle(window, passphrase: str = "", passphrase_file: str = "") -> None:
    """What a user does in Settings: type a passphrase or choose a file, then OK."""
    dialog = window.settings_dialog()
    dialog.passphrase_edit.setText(passphrase)
    dialog.passphrase_file.setText(passphrase_file)
    assert dialog.errors() == {}
    window.take_settings(dialog)
    dialog.deleteLater()


def test_passphrase_is_never_written_to_settings_or_logs(qtbot, lan, make_window, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    window = make_window(["--nick", "alice", *lan.options(2)])
    _settle(window, passphrase=SECRET)
    assert window.passphrase == SECRET
    window.connect_now()
    qtbot.waitUntil(lambda: window.status.state is State.HOSTING, timeout=WAIT_MS)
    assert window.badge.private_shown
    window.close()
    settings_file = AppPaths.resolve(tmp_path / "gui").settings_file
    assert settings_file.is_file()
    for path in (tmp_path / "gui").rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    assert SECRET not in caplog.text


@pytest.mark.parametrize("how", ["typed", "file"])
def test_window_joins_a_passphrase_room_and_chats(qtbot, lan, make_window, secret_file, how):
    bob = lan.peer("bob", 3, "--passphrase-file", str(secret_file))
    bob.wait_event("hosting", timeout=WAIT_MS / 1000)
    window = make_window(["--nick", "alice", *lan.options(2)])
    _settle(window, **({"passphrase": SECRET} if how == "typed" else {"passphrase_file": str(secret_file)}))
    window.connect_now()
    qtbot.waitUntil(lambda: window.status.state is State.CONNECTED, timeout=WAIT_MS)
    assert window.badge.private_shown
    qtbot.waitUntil(lambda: sorted(window.members.nicks()) == ["alice", "bob"], timeout=WAIT_MS)

    bob.say("only for us")
    qtbot.waitUntil(lambda: "only for us" in window.chat.toPlainText(), timeout=WAIT_MS)
    window.send("hello bob")
    assert bob.wait_event("message", timeout=WAIT_MS / 1000, text="hello bob")["from"] == "alice"

    bob_key = next(u["key"] for u in bob.wait_event("presence", timeout=WAIT_MS / 1000)["users"]
                   if u["nick"] == "bob")
    row = next(window.members.item(i) for i in range(window.members.count())
               if window.members.item(i).text() == "bob")
    assert f"Fingerprint: {fingerprint(bob_key)}" in row.toolTip()


def test_wrong_passphrase_finds_no_room_and_shows_nothing(qtbot, lan, make_window, secret_file):
    """A private room's beacon names no room, so a wrong passphrase cannot even tell it is there:
    the window starts a private room of its own, and sees nothing of bob's."""
    bob = lan.peer("bob", 3, "--passphrase-file", str(secret_file))
    bob.wait_event("hosting", timeout=WAIT_MS / 1000)
    bob.say("before you came")
    window = make_window(["--nick", "alice", *lan.options(2)])
    _settle(window, passphrase="not the passphrase")
    window.connect_now()
    qtbot.waitUntil(lambda: window.status.state is State.HOSTING, timeout=WAIT_MS)
    bob.say("while you knock")
    bob.wait_event("message", text="while you knock", timeout=WAIT_MS / 1000)
    bob.wait_users(["bob"], timeout=WAIT_MS / 1000)
    text = window.chat.toPlainText()
    assert "before you came" not in text and "while you knock" not in text
    assert "If you expect others here, check that everyone uses the same passphrase." in text
    qtbot.waitUntil(lambda: window.members.nicks() == ["alice"], timeout=WAIT_MS)


def test_unreadable_passphrase_file_is_refused_at_connect(qtbot, lan, make_window, secret_file):
    window = make_window(["--nick", "alice", *lan.options(2)])
    _settle(window, passphrase_file=str(secret_file))
    secret_file.unlink()
    window.connect_now()
    assert not window.session.active
    assert window.status.state is State.ERROR
    assert window.badge.text == "Cannot read the passphrase file, or it is empty"
    assert "cannot read passphrase file" in window.badge.toolTip()


def test_an_open_decoy_is_named_and_the_window_hosts_its_private_room(qtbot, lan, make_window, secret_file):
    """Issue 13 item 6: a beacon the window cannot join (here an open room of the same name) is
    said once, and the window hosts the private room instead of stopping."""
    window = make_window(["--nick", "alice", *lan.options(2)])
    _settle(window, passphrase_file=str(secret_file))
    room = window.prefs.room
    with FakeHost(lan.ip(9), lan.port, open_desc(room=room, room_id=room)):
        window.connect_now()
        qtbot.waitUntil(lambda: window.status.state is State.HOSTING, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: f"Room {room} on this network has no passphrase" in window.chat.toPlainText(),
                        timeout=WAIT_MS)
