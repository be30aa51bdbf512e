"""The history store alone (schema, WAL, dedupe, per-room order) and in the window (the last
conversation comes back on start, marked as history)."""

from __future__ import annotations

import sqlite3

from zp2p_gui.history import FILE_NAME, SCHEMA_VERSION, HistoryStore, StoredMessage

from .conftest import WAIT_MS


def _msg(n: int, room: str = "lobby", ts: float | None = None) -> StoredMessage:
    return StoredMessage(id=f"s:{n}", room=room, sender="s", nick="bob", addr="127.0.5.3", text=f"m{n}",
                         ts=1000.0 + n if ts is None else ts, own=False)


def test_store_dedupes_orders_and_keeps_rooms_apart(tmp_path):
    store = HistoryStore(tmp_path / FILE_NAME)
    try:
        assert store.add_many([_msg(2), _msg(1), _msg(3, room="other")]) == 3
        assert not store.add(_msg(1))
        assert [m.text for m in store.last("lobby")] == ["m1", "m2"]
        assert [m.text for m in store.last("lobby", limit=1)] == ["m2"]
        assert store.schema_version == SCHEMA_VERSION
    finally:
        store.close()
    with sqlite3.connect(tmp_path / FILE_NAME) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_newer_schema_is_refused(tmp_path):
    db = sqlite3.connect(tmp_path / FILE_NAME)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    try:
        HistoryStore(tmp_path / FILE_NAME)
    except RuntimeError as exc:
        assert "schema" in str(exc)
    else:
        raise AssertionError("a newer schema must not be opened")


def test_window_shows_last_conversation_as_history(qtbot, lan, make_window, hosting_with_bob):
    first, bob = hosting_with_bob
    bob.say("remember me")
    qtbot.waitUntil(lambda: "remember me" in first.chat.toPlainText(), timeout=WAIT_MS)
    first.session.say("and me")
    qtbot.waitUntil(lambda: "and me" in first.chat.toPlainText(), timeout=WAIT_MS)
    first.close()
    first.history.close()

    second = make_window(["--nick", "alice", *lan.options(4)])  # same data folder
    text = second.chat.toPlainText()
    assert "Earlier conversation in lobby" in text
    assert text.index("Earlier conversation") < text.index("remember me") < text.index("and me")
    assert second.chat.line_count == 3
