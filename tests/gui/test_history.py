"""The history store alone (schema, WAL, dedupe, per-room order) and in the window (the last
conversation comes back on start, marked as history)."""

from __future__ import annotations

import sqlite3

from zp2p_gui.history import FILE_NAME, SCHEMA_VERSION, HistoryStore, Status, StoredMessage, Thread, advances

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


# The version 1 schema and a row as zp2p 1 wrote them, so the migration is tested on a real v1 file.
V1_SCHEMA = """
    CREATE TABLE messages (id TEXT NOT NULL, room TEXT NOT NULL, sender TEXT NOT NULL, nick TEXT NOT NULL,
                           addr TEXT NOT NULL, text TEXT NOT NULL, ts REAL NOT NULL, own INTEGER NOT NULL,
                           PRIMARY KEY (room, id));
    CREATE INDEX messages_room_ts ON messages (room, ts);
    INSERT INTO messages VALUES ('s:1', 'lobby', 's', 'bob', '127.0.5.3', 'from before', 1000.0, 0);
    INSERT INTO messages VALUES ('a:1', 'lobby', 'a', 'alice', '127.0.5.2', 'mine', 1001.0, 1);
    PRAGMA user_version = 1;
"""


def _dm(message_id: str, ts: float, own: bool, status: Status, key: str = "K1", peer: str = "bob") -> StoredMessage:
    return StoredMessage(id=message_id, room="", sender="", nick="alice" if own else peer, addr="", text=message_id,
                         ts=ts, own=own, conversation=key, peer=peer, status=status.value)


def test_version_1_file_migrates_and_keeps_its_room_history(tmp_path):
    db = sqlite3.connect(tmp_path / FILE_NAME)
    db.executescript(V1_SCHEMA)
    db.close()
    store = HistoryStore(tmp_path / FILE_NAME)
    try:
        assert store.schema_version == SCHEMA_VERSION == 2
        assert [(m.text, m.own, m.conversation, m.status) for m in store.last("lobby")] == [
            ("from before", False, "", ""), ("mine", True, "", "")]
        assert store.threads() == []
        store.add(_dm("d1", 1002.0, own=False, status=Status.NEW))
        assert [m.text for m in store.last("lobby")] == ["from before", "mine"]  # DMs stay out of the room
        assert [m.text for m in store.last_direct("K1")] == ["d1"]
    finally:
        store.close()


def test_direct_threads_unread_and_status(tmp_path):
    store = HistoryStore(tmp_path / FILE_NAME)
    try:
        store.add_many([_dm("b1", 1.0, own=False, status=Status.NEW), _dm("b2", 2.0, own=False, status=Status.NEW),
                        _dm("a1", 3.0, own=True, status=Status.SENT),
                        _dm("c1", 4.0, own=False, status=Status.READ, key="K2", peer="carol")])
        assert not store.add(_dm("b1", 1.0, own=False, status=Status.NEW))  # a DM is stored once
        assert store.threads() == [Thread("K2", "carol", 4.0, 0, wrote=False), Thread("K1", "bob", 3.0, 2, wrote=True)]
        assert store.with_status("K1", Status.NEW, Status.SEEN) == ["b1", "b2"]
        store.set_status(["b1"], Status.SEEN)
        store.set_status(["a1"], Status.DELIVERED)
        assert (store.status("b1"), store.status("a1"), store.status("nope")) == ("seen", "delivered", "")
        assert store.threads()[1].unread == 1
    finally:
        store.close()


def test_own_status_only_moves_forward():
    assert advances("sent", Status.QUEUED) and advances("queued", Status.DELIVERED)
    assert advances("delivered", Status.READ) and advances("sent", Status.READ)
    assert not advances("delivered", Status.QUEUED) and not advances("read", Status.DELIVERED)
    assert advances("sent", Status.FAILED) and not advances("delivered", Status.FAILED)
    assert not advances("new", Status.DELIVERED)  # a received DM is never marked as if sent


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
