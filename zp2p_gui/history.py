"""Chat history on disk: one SQLite file per user, written from a single thread.

No Qt here, so the store is testable alone and a future headless `--data-dir` could share it.
WAL keeps a crash from corrupting the file; `user_version` carries the schema version so a
newer app can migrate an older file instead of failing on it.

Schema 2 adds direct messages: `conversation` is the peer's identity key ('' for the room's
messages), `peer` the peer's nick as it was, and `status` the progress of a DM (`Status`).
DMs are kept under room '' (a person is the same person in every room), so their random ids
are unique across the file."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Iterable

from .core.lazylog import Log

log = Log(__name__)

SCHEMA_VERSION = 2
FILE_NAME = "history.sqlite3"

_MIGRATIONS: dict[int, str] = {
    1: """
        CREATE TABLE messages (
            id     TEXT NOT NULL,
            room   TEXT NOT NULL,
            sender TEXT NOT NULL,
            nick   TEXT NOT NULL,
            addr   TEXT NOT NULL,
            text   TEXT NOT NULL,
            ts     REAL NOT NULL,
            own    INTEGER NOT NULL,
            PRIMARY KEY (room, id)
        );
        CREATE INDEX messages_room_ts ON messages (room, ts);
    """,
    2: """
        ALTER TABLE messages ADD COLUMN conversation TEXT NOT NULL DEFAULT '';
        ALTER TABLE messages ADD COLUMN peer TEXT NOT NULL DEFAULT '';
        ALTER TABLE messages ADD COLUMN status TEXT NOT NULL DEFAULT '';
        CREATE INDEX messages_conversation_ts ON messages (conversation, ts);
    """,
}
COLUMNS = "id, room, sender, nick, addr, text, ts, own, conversation, peer, status"


class Status(str, Enum):
    """Where a DM stands. Own DMs move forward only (sent, queued, delivered, read) or fail;
    received ones are new until shown, seen when shown offline (the read receipt still owed),
    read once the receipt went to the engine."""

    SENT = "sent"
    QUEUED = "queued"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"
    NEW = "new"
    SEEN = "seen"


_OWN_ORDER = (Status.SENT, Status.QUEUED, Status.DELIVERED, Status.READ)


def advances(old: str, new: Status) -> bool:
    """Whether an own DM's status may change from `old` to `new`: late or repeated events
    (a Queued after Delivered) never move it back, and only a DM not yet confirmed can fail."""
    if new is Status.FAILED:
        return old == Status.SENT
    return old in _OWN_ORDER and _OWN_ORDER.index(Status(old)) < _OWN_ORDER.index(new)


@dataclass(frozen=True)
class Thread:
    """One person this user has direct messages with, as the conversation list starts."""

    key: str
    nick: str
    last_ts: float
    unread: int
    wrote: bool = False  # this user sent them a DM: a contact, whose row always stays


@dataclass(frozen=True)
class StoredMessage:
    """A chat line as kept on disk; `id` is the engine's `sender:seq`, unique per message."""

    id: str
    room: str
    sender: str
    nick: str
    addr: str
    text: str
    ts: float
    own: bool
    conversation: str = ""
    peer: str = ""
    status: str = ""


class HistoryStore:
    """Append-only message log per room with de-duplication on the message id."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._migrate()

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise RuntimeError(f"{self.path} has schema {version}; this zp2p knows up to {SCHEMA_VERSION}")
        for step in range(version + 1, SCHEMA_VERSION + 1):
            with self._db:
                self._db.executescript(_MIGRATIONS[step])
                self._db.execute(f"PRAGMA user_version = {step}")
            log.info("history %s migrated to schema %d", self.path, step)

    @property
    def schema_version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    def add(self, message: StoredMessage) -> bool:
        """Store one message; False when that id was already stored for the room."""
        return self.add_many([message]) == 1

    def add_many(self, messages: Iterable[StoredMessage]) -> int:
        """Store messages, skipping ids already present; returns how many were new."""
        rows = [(m.id, m.room, m.sender, m.nick, m.addr, m.text, m.ts, int(m.own), m.conversation, m.peer,
                 m.status) for m in messages]
        with self._db:
            before = self._db.total_changes
            self._db.executemany(f"INSERT OR IGNORE INTO messages ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                 rows)
            return self._db.total_changes - before

    def last(self, room: str, limit: int = 100) -> list[StoredMessage]:
        """The newest `limit` messages of the room, oldest first (the order a chat view shows)."""
        return self._newest("room = ? AND conversation = ''", (room,), limit)

    def last_direct(self, key: str, limit: int = 100) -> list[StoredMessage]:
        """The newest `limit` direct messages with the person of identity key `key`, oldest first."""
        return self._newest("conversation = ?", (key,), limit)

    def threads(self) -> list[Thread]:
        """Everyone with direct messages, most recent first, with the peer's latest nick, the
        count of received DMs not yet shown and whether this user wrote to them."""
        rows = self._db.execute(
            "SELECT conversation, peer, max(ts), sum(status = ?), max(own) FROM messages WHERE conversation != '' "
            "GROUP BY conversation ORDER BY max(ts) DESC", (Status.NEW.value,)).fetchall()
        return [Thread(key, nick, ts, unread, bool(wrote)) for key, nick, ts, unread, wrote in rows]

    def status(self, message_id: str) -> str:
        """A DM's status, '' when the id is not a stored DM."""
        row = self._db.execute("SELECT status FROM messages WHERE room = '' AND id = ?", (message_id,)).fetchone()
        return row[0] if row else ""

    def set_status(self, ids: Iterable[str], status: Status) -> None:
        with self._db:
            self._db.executemany("UPDATE messages SET status = ? WHERE room = '' AND id = ?",
                                 [(status.value, i) for i in ids])

    def with_status(self, key: str, *statuses: Status) -> list[str]:
        """Ids of the DMs with `key` in one of `statuses`, oldest first."""
        marks = ", ".join("?" * len(statuses))
        rows = self._db.execute(
            f"SELECT id FROM messages WHERE conversation = ? AND status IN ({marks}) ORDER BY ts, rowid",
            (key, *(s.value for s in statuses))).fetchall()
        return [row[0] for row in rows]

    def _newest(self, where: str, values: tuple[str, ...], limit: int) -> list[StoredMessage]:
        rows = self._db.execute(f"SELECT {COLUMNS} FROM messages WHERE {where} ORDER BY ts DESC, rowid DESC LIMIT ?",
                                (*values, limit)).fetchall()
        return [StoredMessage(*row[:7], own=bool(row[7]), conversation=row[8], peer=row[9], status=row[10])
                for row in reversed(rows)]

    def close(self) -> None:
        self._db.close()
