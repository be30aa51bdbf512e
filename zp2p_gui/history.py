"""Chat history on disk: one SQLite file per user, written from a single thread.

No Qt here, so the store is testable alone and a future headless `--data-dir` could share it.
WAL keeps a crash from corrupting the file; `user_version` carries the schema version so a
newer app can migrate an older file instead of failing on it."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
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
}


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
        rows = [(m.id, m.room, m.sender, m.nick, m.addr, m.text, m.ts, int(m.own)) for m in messages]
        with self._db:
            before = self._db.total_changes
            self._db.executemany("INSERT OR IGNORE INTO messages VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
            return self._db.total_changes - before

    def last(self, room: str, limit: int = 100) -> list[StoredMessage]:
        """The newest `limit` messages of the room, oldest first (the order a chat view shows)."""
        rows = self._db.execute(
            "SELECT id, room, sender, nick, addr, text, ts, own FROM messages WHERE room = ? "
            "ORDER BY ts DESC, rowid DESC LIMIT ?", (room, limit)).fetchall()
        return [StoredMessage(*row[:7], own=bool(row[7])) for row in reversed(rows)]

    def close(self) -> None:
        self._db.close()
