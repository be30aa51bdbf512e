"""Automatic resume, the sender's memory: the outgoing transfers a peer dying or the room changing
hosts broke (beyond the away grace), kept so that they are offered again, with the same transfer
id and content, once their recipient is a member again, even after this node restarted.

What is kept, in `outgoing-transfers.json` in the node's data folder (0600, written atomically):
per transfer its id, the recipient's identity key, the source path, the content fingerprint and
size, and when it was first accepted. Nothing of the content and no secret. Bounded: at most
MAX_BROKEN transfers (the oldest go first), none older than MAX_AGE_S; a transfer leaves as soon as
it is done or ends for any reason other than a lost peer (declined, cancelled, expired,
unreadable, a full disk or a hash mismatch). The recipient decides for itself whether to take a
resume: only from the same sender, for the same content, into the partial download it kept."""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Container
from dataclasses import asdict, dataclass
from pathlib import Path

from ..core.errors import Code
from .file_transfers import Refusal, Sending

from ..core.lazylog import Log

log = Log(__name__)

FILE_NAME = "outgoing-transfers.json"
MAX_BROKEN = 16  # outgoing transfers kept for an automatic resume
MAX_AGE_S = 6 * 3600.0  # ... for this long after they were accepted
RESUME_EVERY_S = 5.0  # a recipient takes one resume of a (sender, content) without asking at most this often
MAX_REMEMBERED = 64  # entries of each table a recipient keeps: folders, last resumes, completed transfers


@dataclass(frozen=True)
class Outgoing:
    id: str
    key: str  # the recipient's identity key
    path: str  # what is sent, as offered
    fp: str
    size: int
    since: float  # wall clock: when the recipient first accepted it


def _valid(raw: object) -> Outgoing | None:
    """One stored entry, or None if the file was edited into something else."""
    if not isinstance(raw, dict):
        return None
    try:
        entry = Outgoing(**raw)
    except TypeError:
        return None
    texts = all(isinstance(getattr(entry, name), str) and getattr(entry, name) for name in ("id", "key", "path", "fp"))
    numbers = isinstance(entry.size, int) and isinstance(entry.since, (int, float))
    return entry if texts and numbers else None


class ResumeBook:
    """The outgoing transfers this node resumes by itself; saved at every change. `path` None
    keeps them in memory only (a node without a data folder, the tests of this module)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._entries: dict[str, Outgoing] = {}
        if path is not None:
            self._load(path)

    def _load(self, path: Path) -> None:
        try:
            raw = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            log.warning("files: cannot read %s (%s); no transfer resumes by itself", path, exc)
            return
        for item in raw if isinstance(raw, list) else []:
            entry = _valid(item)
            if entry is not None:
                self._entries[entry.id] = entry
        self._prune(time.time())

    def accepted(self, id: str, key: str, path: Path, fp: str, size: int) -> None:
        """The recipient asked for the first chunk: from now on a lost peer does not lose it."""
        known = self._entries.get(id)
        if known is not None and (known.key, known.fp) == (key, fp):
            return
        self._entries[id] = Outgoing(id, key, str(path), fp, size, time.time())
        self._prune(time.time())
        self._save()

    def has(self, id: str) -> bool:
        return id in self._entries

    def forget(self, id: str) -> None:
        """Done, or ended for good (not by a lost peer)."""
        if self._entries.pop(id, None) is not None:
            self._save()

    def supersede(self, key: str, fp: str) -> None:
        """The user offered the same content to the same member again: that offer replaces any
        broken one (two offers of one content would take turns at the recipient's part)."""
        for entry in [e for e in self._entries.values() if (e.key, e.fp) == (key, fp)]:
            self.forget(entry.id)

    def due(self, present: Container[str], busy: Container[str]) -> list[Outgoing]:
        """The broken transfers to offer again now: their recipient is here and they are not
        already going (busy: the ids in flight)."""
        if self._prune(time.time()):
            self._save()
        return [e for e in self._entries.values() if e.key in present and e.id not in busy]

    def _prune(self, now: float) -> bool:
        """Drop what is too old, then the oldest beyond MAX_BROKEN; True if anything went."""
        keep = sorted((e for e in self._entries.values() if now - e.since < MAX_AGE_S), key=lambda e: e.since)
        keep = keep[-MAX_BROKEN:]
        if len(keep) == len(self._entries):
            return False
        self._entries = {e.id: e for e in keep}
        return True

    def _save(self) -> None:
        if self.path is None:
            return
        tmp = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")  # 0600
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump([asdict(e) for e in self._entries.values()], out, ensure_ascii=False)
            os.replace(tmp, self.path)
        except OSError as exc:
            log.warning("files: cannot save %s (%s); a restart forgets the transfers to resume", self.path, exc)
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)


def offer_again(broken: Outgoing, nick: str, my_key: str, my_nick: str) -> Sending:
    """The broken transfer as a new offer with its id; Refusal(unreadable) if its source cannot
    be read or changed since (another fingerprint: not the content the recipient holds part of)."""
    sending = Sending.prepare(broken.id, broken.key, nick, Path(broken.path), my_key, my_nick)
    if sending.fp != broken.fp or sending.size != broken.size:
        sending.close()
        raise Refusal(Code.UNREADABLE, f"{broken.path} changed since it was offered")
    sending.resume = True
    return sending


class Accepted:
    """The recipient's side: the folder it accepted each (sender key, content fingerprint) into,
    where a resume goes, and when it last took a resume of one without asking. At most one such
    resume per RESUME_EVERY_S each, so a sender cannot make it hash its partial download again
    in a loop; an honest sender offers again every second until answered. Memory only: after a
    restart, resumes go to the downloads folder."""

    def __init__(self, downloads: Path) -> None:
        self.downloads = downloads
        self._folders: dict[tuple[str, str], Path] = {}
        self._resumed: dict[tuple[str, str], float] = {}
        self._done: dict[tuple[str, str], tuple[str, float]] = {}  # (sender key, id) -> (hash, when)

    def completed(self, key: str, id: str, hash: str, now: float) -> None:
        """A transfer verified and in place: if its `file_done` is lost, its sender offers it
        again (same id) and gets the `file_done` again instead of a second copy."""
        _put(self._done, (key, id), (hash, now))

    def done_hash(self, key: str, id: str, now: float) -> str | None:
        """The hash of transfer id from this sender, if it completed here within MAX_AGE_S."""
        done = self._done.get((key, id))
        return done[0] if done is not None and now - done[1] < MAX_AGE_S else None

    def folder(self, key: str, fp: str) -> Path:
        return self._folders.get((key, fp), self.downloads)

    def note(self, key: str, fp: str, folder: Path) -> None:
        _put(self._folders, (key, fp), folder)

    def too_soon(self, key: str, fp: str, now: float) -> bool:
        last = self._resumed.get((key, fp))
        return last is not None and now - last < RESUME_EVERY_S

    def resumed(self, key: str, fp: str, now: float) -> None:
        _put(self._resumed, (key, fp), now)


def _put(table: dict, key: tuple[str, str], value: object) -> None:
    """Insert, dropping the oldest entry beyond MAX_REMEMBERED."""
    table.pop(key, None)
    if len(table) >= MAX_REMEMBERED:
        table.pop(next(iter(table)))
    table[key] = value
