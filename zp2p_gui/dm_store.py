"""Direct messages that must survive a restart, in SQLite in the data folder (dm.sqlite3, WAL).

- `outgoing`: every direct message and read receipt this node sent, kept until the recipient's
  node confirms it (`delivered`), so a recipient away or a sender restarted loses nothing.
- `seen`: ids of direct messages this node received, so each is reported once per data folder.
- `nicks`: the first identity key seen with each nick (trust on first use): a DM addressed by
  nick never goes to someone who took the nick later with another key.
- `peers`: each key's latest nick, for naming a recipient who is away.

`nicks` and `peers` learn every member that passes through the room. A node left open all day
in a room where someone keeps joining with new identities (the host lets an address register
again once a second) would keep them all, on disk and in the engine. So they keep the
KEEP_STRANGERS members seen last who never traded a direct message with this node, and every
member who did (a row of theirs in `outgoing` or `seen`): a contact's nick keeps its key however
many strangers come by; a stranger's nick may be taken by another key once it is forgotten.
`seen` keeps the KEEP_SEEN newest ids, pruned while the node runs too: someone who only wrote to
us stays a contact as long as one of its ids is kept, so identities that each write once do not
pile up either.

Opened and used by the engine thread only (sqlite3 refuses other threads)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .core.records import record, replace
from .core.validation import ValidationError

if TYPE_CHECKING:
    import sqlite3

STORE_FILE = "dm.sqlite3"
SCHEMA_VERSION = 1
KEEP_SEEN = 100_000  # ids remembered for duplicate detection; the oldest go first
KEEP_SENT = 10_000  # delivered messages remembered for their read marks
KEEP_STRANGERS = 10_000  # members without a direct message either way, the ones seen last
PRUNE_EVERY = 1_000  # members remembered between two prunings of the strangers
RECEIPTS_WAITING = 1_000  # read receipts waiting for their recipients, one per key; the oldest go first

SCHEMA = """
CREATE TABLE IF NOT EXISTS outgoing (
    id TEXT PRIMARY KEY, key TEXT NOT NULL, nick TEXT NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL,
    ts REAL NOT NULL, delivered INTEGER NOT NULL DEFAULT 0, read INTEGER NOT NULL DEFAULT 0,
    n INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS outgoing_pending ON outgoing (delivered, key);
CREATE TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY, key TEXT NOT NULL, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS nicks (nick TEXT PRIMARY KEY, key TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS peers (key TEXT PRIMARY KEY, nick TEXT NOT NULL);
"""


@record(frozen=True)
class Outgoing:
    """One direct frame to send until confirmed: kind "dm" (body is the text) or "dm_read"
    (body is the JSON list of the ids read)."""

    id: str
    key: str
    nick: str
    kind: str
    body: str
    ts: float

    @property
    def ids(self) -> list[str]:
        return json.loads(self.body) if self.kind == "dm_read" else []


class DmStore:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self._n = db.execute("SELECT COALESCE(MAX(n), 0) FROM (SELECT n FROM outgoing UNION ALL "
                             "SELECT n FROM seen)").fetchone()[0]
        self._remembered = 0  # since the last pruning

    @classmethod
    def open(cls, folder: Path) -> "DmStore":
        """Open or create the store; raises ValidationError("bad_data_dir") when it cannot."""
        import sqlite3  # here: a node opens its store after it started searching (3 ms of imports)

        path = folder / STORE_FILE
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            db = sqlite3.connect(path, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # WAL: a power cut may lose the last commit, never corrupt
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise sqlite3.DatabaseError(f"schema version {version} is newer than this program's")
            db.executescript(SCHEMA)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            path.chmod(0o600)
        except (OSError, sqlite3.Error) as exc:
            raise ValidationError("bad_data_dir", f"cannot use the message store {path}: {exc}") from None
        store = cls(db)
        store._prune()
        return store

    def close(self) -> None:
        self.db.close()

    def _next(self) -> int:
        self._n += 1
        return self._n

    def _prune(self) -> None:
        """At open and every PRUNE_EVERY members remembered: a node left open all day while new
        identities write to it stays bounded on disk, not only across restarts."""
        self._remembered = 0
        self.db.execute("DELETE FROM seen WHERE n <= (SELECT n FROM seen ORDER BY n DESC LIMIT 1 OFFSET ?)",
                        (KEEP_SEEN,))
        self.db.execute("DELETE FROM outgoing WHERE delivered = 1 AND n <= (SELECT n FROM outgoing "
                        "WHERE delivered = 1 ORDER BY n DESC LIMIT 1 OFFSET ?)", (KEEP_SENT,))
        self._forget_strangers()

    def _forget_strangers(self) -> None:
        """Keep the KEEP_STRANGERS strangers remembered last (rowid order: `remember` moves a
        member seen again to the end), and every contact. Only past the bound: with a full store
        (100,000 ids seen) the pruning takes ~40 ms, the count ~0.1 ms."""
        for table in ("nicks", "peers"):
            if self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] <= KEEP_STRANGERS:
                continue
            self.db.execute(f"DELETE FROM {table} WHERE rowid IN (SELECT rowid FROM {table} WHERE key NOT IN "
                            "(SELECT key FROM outgoing) AND key NOT IN (SELECT key FROM seen) "
                            "ORDER BY rowid DESC LIMIT -1 OFFSET ?)", (KEEP_STRANGERS,))

    # -- sending
    def add(self, item: Outgoing) -> None:
        self.db.execute("INSERT INTO outgoing (id, key, nick, kind, body, ts, n) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (item.id, item.key, item.nick, item.kind, item.body, item.ts, self._next()))

    def add_receipt(self, receipt: Outgoing, max_ids: int) -> tuple[Outgoing, list[str]]:
        """Keep a read receipt merged with the one still waiting for the same key (the newest
        max_ids ids): receipts are advisory, and to someone who never comes back one per read
        would pile up. Past RECEIPTS_WAITING waiting receipts the oldest go. Returns the receipt
        kept and the ids of the ones it replaced."""
        with self.db:
            same = self.db.execute("SELECT id, body FROM outgoing WHERE kind = 'dm_read' AND delivered = 0 "
                                   "AND key = ?", (receipt.key,)).fetchall()
            ids = [i for _, body in same for i in json.loads(body)] + receipt.ids
            receipt = replace(receipt, body=json.dumps(list(dict.fromkeys(ids))[-max_ids:]))
            oldest = self.db.execute("SELECT id FROM outgoing WHERE kind = 'dm_read' AND delivered = 0 AND key != ? "
                                     "ORDER BY n DESC LIMIT -1 OFFSET ?", (receipt.key, RECEIPTS_WAITING - 1))
            gone = [row[0] for row in same] + [row[0] for row in oldest]
            self.db.executemany("DELETE FROM outgoing WHERE id = ?", [(id_,) for id_ in gone])
            self.add(receipt)
        return receipt, gone

    def pending(self) -> list[Outgoing]:
        """Everything not yet confirmed, oldest first."""
        rows = self.db.execute("SELECT id, key, nick, kind, body, ts FROM outgoing WHERE delivered = 0 ORDER BY n")
        return [Outgoing(*row) for row in rows]

    def pending_count(self, key: str) -> int:
        return self.db.execute("SELECT COUNT(*) FROM outgoing WHERE delivered = 0 AND key = ?", (key,)).fetchone()[0]

    def confirm(self, key: str, ids: Iterable[str]) -> list[Outgoing]:
        """Mark what the node of `key` confirmed; returns the rows that were pending until now."""
        return self._mark(key, ids, "delivered = 0", "delivered = 1")

    def read(self, key: str, ids: Iterable[str]) -> list[Outgoing]:
        """Mark our messages to `key` as read by it; returns those not marked read before."""
        return self._mark(key, ids, "kind = 'dm' AND read = 0", "read = 1, delivered = 1")

    def _mark(self, key: str, ids: Iterable[str], unless: str, mark: str) -> list[Outgoing]:
        """Set `mark` on our rows to `key` among ids that still match `unless`; returns them."""
        newly = []
        with self.db:
            for id_ in ids:
                row = self.db.execute("SELECT id, key, nick, kind, body, ts FROM outgoing "
                                      f"WHERE id = ? AND key = ? AND {unless}", (id_, key)).fetchone()
                if row is not None:
                    self.db.execute(f"UPDATE outgoing SET {mark} WHERE id = ?", (id_,))
                    newly.append(Outgoing(*row))
        return newly

    # -- receiving
    def first_sight(self, id_: str, key: str) -> bool:
        """Remember a received id; True only the first time it arrives."""
        cur = self.db.execute("INSERT OR IGNORE INTO seen (id, key, n) VALUES (?, ?, ?)", (id_, key, self._next()))
        return cur.rowcount == 1

    def received_from(self, key: str, ids: Iterable[str]) -> list[str]:
        """Those of ids that this node received from `key` (a read receipt names nothing else)."""
        return [id_ for id_ in ids
                if self.db.execute("SELECT 1 FROM seen WHERE id = ? AND key = ?", (id_, key)).fetchone()]

    # -- who is who
    def remember(self, key: str, nick: str) -> None:
        """A member in the room: its nick names its key unless the nick names another already,
        and both rows move to the end that is forgotten last."""
        with self.db:
            self.db.execute("DELETE FROM nicks WHERE nick = ? AND key = ?", (nick.casefold(), key))
            self.db.execute("INSERT OR IGNORE INTO nicks (nick, key) VALUES (?, ?)", (nick.casefold(), key))
            self.db.execute("DELETE FROM peers WHERE key = ?", (key,))
            self.db.execute("INSERT INTO peers (key, nick) VALUES (?, ?)", (key, nick))
            self._remembered += 1
            if self._remembered >= PRUNE_EVERY:
                self._prune()

    def key_for(self, nick: str) -> str | None:
        """The key first seen with this nick, or None for a nick never seen."""
        row = self.db.execute("SELECT key FROM nicks WHERE nick = ?", (nick.casefold(),)).fetchone()
        return row[0] if row else None

    def nick_for(self, key: str) -> str:
        row = self.db.execute("SELECT nick FROM peers WHERE key = ?", (key,)).fetchone()
        return row[0] if row else ""
