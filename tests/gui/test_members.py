"""The member list shows key fingerprints and flags a nick the engine saw with another key,
from the very warning the engine's identity module writes."""

from __future__ import annotations

from pathlib import Path

import zmq

from zp2p_gui.core import events as ev
from zp2p_gui.core.crypto import fingerprint
from zp2p_gui.identity import KnownKeys, Security
from zp2p_gui.ui.members import FINGERPRINT_ROLE, FLAGS_KEPT, MemberList


def _member(nick: str, key: str, node_id: str = "n1") -> ev.Member:
    return ev.Member(node_id=node_id, nick=nick, addr="127.0.5.3", host=False, joined=0.0, key=key)


def _key() -> str:
    return zmq.curve_keypair()[0].decode()


def _warnings(tmp_path: Path, *rosters: tuple[ev.Member, ...]) -> list[ev.Error]:
    """The engine's nick_key_changed errors for rosters seen one after another."""
    security = Security(identity=None, known=KnownKeys(tmp_path / "known.json"), room="lobby", room_keys=None)
    found: list[ev.Error] = []
    for roster in rosters:
        found += security.key_warnings(roster)
    return found


def test_fingerprint_in_tooltip_and_row(qtbot):
    members = MemberList()
    qtbot.addWidget(members)
    key = _key()
    members.set_members((_member("bob", key), _member("old-client", "", "n2")), own_id="")
    bob, old = members.item(0), members.item(1)
    assert f"Fingerprint: {fingerprint(key)}" in bob.toolTip()
    assert bob.data(FINGERPRINT_ROLE) == fingerprint(key)
    assert "No identity key" in old.toolTip() and old.data(FINGERPRINT_ROLE) == ""


def test_nick_with_another_key_is_flagged(qtbot, tmp_path, make_window, lan):
    first, second = _key(), _key()
    warnings = _warnings(tmp_path, (_member("Bob", first),), (_member("bob", second),))
    assert [w.code for w in warnings] == ["nick_key_changed"]
    change = warnings[0]
    assert (change.nick, change.new, change.old) == ("bob", fingerprint(second), fingerprint(first))

    window = make_window(["--nick", "alice", *lan.options(2)])
    window.on_event(warnings[0])
    window.on_event(ev.Presence(users=(_member("bob", second),)))
    row = window.members.item(0)
    assert "seen with another key before" in row.toolTip()
    assert "bob was seen with another key before" in window.chat.toPlainText()
    assert not window.members.is_flagged(_member("bob", first))  # the old key is not the one flagged


def test_flags_keep_the_newest_when_a_nick_comes_back_with_a_new_key_all_day(qtbot):
    """Someone rejoins as "bob" with a new key every second: each is flagged while the newest
    FLAGS_KEPT are kept, not one entry per identity for the rest of the session."""
    members = MemberList()
    qtbot.addWidget(members)
    keys = [_key() for _ in range(FLAGS_KEPT + 5)]
    for key in keys:
        members.flag_key_change(ev.KeyChanged(detail="", nick="bob", old="", new=fingerprint(key)))
    assert members.is_flagged(_member("bob", keys[-1])) and members.is_flagged(_member("Bob", keys[5]))
    assert not any(members.is_flagged(_member("bob", key)) for key in keys[:5])
