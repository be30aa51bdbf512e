"""File transfer, the disk part: what an offer lists (sender), the stream read across files
(sender), and the partial download the recipient keeps for resume (`<name>.zp2p-part`, a file or
a folder, plus `<name>.zp2p-part.json` naming the sender key, fingerprint and size it belongs to).

Used only by the file actor's thread (net/files.py). The recipient's side never follows or
creates a symlink: folders are made one component at a time and checked, files are opened with
O_NOFOLLOW, and a finished download is moved to a name nothing else holds (never overwritten)."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import platformdirs

from ..core.file_limits import CHUNK, DIR
from ..core.files import PART_SUFFIX, Entry, Layout, Manifest, check_component, new_hash, numbered

MAX_NUMBERED = 1000  # "a (2).txt" ... tried before giving up
PART_MAX_AGE_S = 7 * 24 * 3600.0  # a partial download nothing resumed for this long is removed
FULL_DISK = (errno.ENOSPC, errno.EDQUOT)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
WRITE_BEHIND = 4 * 1024 * 1024  # a large download's writeback starts every this many bytes ...
DROP_LAG = 16 * 1024 * 1024  # ... and its pages leave the page cache this far behind, once on disk
_fadvise = getattr(os, "posix_fadvise", None)  # (Linux and most Unixes; elsewhere the cache fills as before)


def default_downloads() -> Path:
    """The platform's downloads folder (the XDG user folder on Linux, else ~/Downloads)."""
    return Path(platformdirs.user_downloads_dir())


def scan(path: Path) -> tuple[Manifest, list[int]]:
    """The manifest of a file or folder to offer, and the files' modification times. Symlinks
    and special files inside a folder are left out (never followed); OSError if unreadable."""
    path = path.resolve()
    info = path.stat()
    if stat.S_ISREG(info.st_mode):
        return Manifest(path.name, False, (Entry(path.name, info.st_size),)), [info.st_mtime_ns]
    if not stat.S_ISDIR(info.st_mode):
        raise OSError(errno.EINVAL, "not a file or folder", str(path))
    entries: list[Entry] = []
    stamps: list[int] = []
    for top, dirs, names in os.walk(path, followlinks=False):
        dirs.sort()
        rel = Path(top).relative_to(path)
        for d in list(dirs):
            if (Path(top) / d).is_symlink():
                dirs.remove(d)
            else:
                entries.append(Entry((rel / d).as_posix(), DIR))
        for name in sorted(names):
            info = os.lstat(Path(top) / name)
            if stat.S_ISREG(info.st_mode):
                entries.append(Entry((rel / name).as_posix(), info.st_size))
                stamps.append(info.st_mtime_ns)
    return Manifest(path.name, True, _parents_first(entries)), stamps


def _parents_first(entries: list[Entry]) -> tuple[Entry, ...]:
    """os.walk lists a folder's subfolders before their parent's files: sort so every folder
    comes before what it holds, files of one folder together."""
    return tuple(sorted(entries, key=lambda e: e.path.split("/")))


class _OneOpen:
    """Keeps one file of the stream open at a time (the stream visits files in order)."""

    _open: tuple[int, int] | None = None  # (file index, fd)

    def _open_file(self, index: int) -> int:
        raise NotImplementedError

    def _fd(self, index: int) -> int:
        if self._open is not None and self._open[0] == index:
            return self._open[1]
        self.close()
        self._open = (index, self._open_file(index))
        return self._open[1]

    def close(self) -> None:
        if self._open is not None:
            os.close(self._open[1])
            self._open = None


class StreamReader(_OneOpen):
    """Reads stream bytes across the offered files."""

    def __init__(self, root: Path, manifest: Manifest) -> None:
        self.root = root
        self.folder = manifest.folder
        self.layout = Layout(manifest)

    def path_of(self, index: int) -> Path:
        return self.root / self.layout.files[index].path if self.folder else self.root

    def read(self, offset: int, length: int) -> bytes:
        """Exactly `length` bytes, or OSError (a file shrank or vanished since the offer)."""
        parts = []
        for index, at, n in self.layout.pieces(offset, length):
            data = os.pread(self._fd(index), n, at)
            if len(data) != n:
                raise OSError(errno.EIO, "the file changed since it was offered", str(self.path_of(index)))
            parts.append(data)
        return parts[0] if len(parts) == 1 else b"".join(parts)  # one piece: no copy

    def _open_file(self, index: int) -> int:
        where = os.path.join(self.root, self.layout.files[index].path) if self.folder else self.root
        return os.open(where, os.O_RDONLY | os.O_CLOEXEC)  # (no Path per file: a folder may hold thousands)


def hash_prefix(reader: StreamReader, upto: int) -> Any:
    """A running hash of stream bytes [0, upto), read from disk: the resumed part is hashed
    locally instead of being sent again."""
    hasher = new_hash()
    at = 0
    while at < upto:
        n = min(CHUNK * 4, upto - at)
        hasher.update(reader.read(at, n))
        at += n
    return hasher


def _safe_dir(base: Path, parts: tuple[str, ...]) -> Path:
    """base/parts..., each component made if missing and refused if it is not a real folder."""
    here = base
    for part in parts:
        here = here / check_component(part)
        try:
            os.mkdir(here, 0o755)
        except FileExistsError:
            pass
        if not stat.S_ISDIR(os.lstat(here).st_mode):
            raise OSError(errno.ENOTDIR, "not a folder (or a symlink)", str(here))
    return here


class StreamWriter(_OneOpen):
    """Writes stream bytes into the partial download in order; no fsync per chunk (the stream
    hash at the end is the check, and a resume re-hashes what is on disk).

    A large file is written behind: every WRITE_BEHIND bytes its writeback starts, and what was
    written DROP_LAG before (on disk by then, if the disk keeps up) leaves the page cache. So a
    download holds about DROP_LAG of page cache, and each pwrite lands in pages the last ones
    freed a moment before. Filling the cache instead costs several times the CPU where fresh
    memory is expensive to touch (a VM whose host takes back freed pages: 1.5-3.2 s of system time
    per GiB against 0.35-0.55 s, docs/benchmarks.md), and pushes other programs' pages out of it."""

    def __init__(self, part: Path, manifest: Manifest, held: int) -> None:
        self.part = part
        self.manifest = manifest
        self.layout = Layout(manifest)
        self.held = held
        self._behind = (-1, 0)  # (file index, offset where its writeback started last)
        self._folder: tuple[tuple[Path, tuple[str, ...]], str] | None = None  # the last folder made and checked
        if manifest.folder:
            _safe_dir(part.parent, (part.name,))
            for entry in manifest.entries:
                parts = tuple(entry.path.split("/"))
                if entry.is_dir:
                    _safe_dir(part, parts)
                elif entry.size == 0:
                    os.close(self._create(part, parts))
        elif manifest.size == 0:
            os.close(self._create(part.parent, (part.name,)))
        if held < self.layout.total:  # drop whatever a dead run left beyond what is held
            index, at, _ = self.layout.pieces(held, 1)[0]
            os.ftruncate(self._fd(index), at)

    def _create(self, base: Path, parts: tuple[str, ...]) -> int:
        """Open base/parts for writing, made if missing, its folders made and checked; the files
        of one folder come one after another, so their folder is made and checked once."""
        where = (base, parts[:-1])
        if self._folder is None or self._folder[0] != where:
            self._folder = (where, str(_safe_dir(base, parts[:-1])))
        return os.open(os.path.join(self._folder[1], check_component(parts[-1])),
                       os.O_WRONLY | os.O_CREAT | _NOFOLLOW | os.O_CLOEXEC, 0o644)

    def write(self, data: bytes) -> None:
        """Append data at `held`; OSError (ENOSPC for a full disk) leaves `held` at what is written."""
        view = memoryview(data)
        for index, at, n in self.layout.pieces(self.held, len(data)):
            fd = self._fd(index)
            done = 0
            while done < n:
                done += os.pwrite(fd, view[done:n], at + done)
            self._write_behind(index, fd, at, at + n)
            self.held += n
            view = view[n:]

    def _write_behind(self, index: int, fd: int, start: int, end: int) -> None:
        """Start the writeback of [last start, end) every WRITE_BEHIND bytes, and drop the same
        span DROP_LAG earlier (DONTNEED starts writeback of dirty pages and drops only clean ones;
        a file system without writeback, tmpfs, ignores it)."""
        if _fadvise is None:
            return
        if self._behind[0] != index:
            self._behind = (index, start)
        since = self._behind[1]
        if end - since < WRITE_BEHIND:
            return
        self._behind = (index, end)
        with contextlib.suppress(OSError):  # advice only: a file system that refuses it is written as it is
            _fadvise(fd, since, end - since, os.POSIX_FADV_DONTNEED)
            if since >= DROP_LAG:
                _fadvise(fd, since - DROP_LAG, end - since, os.POSIX_FADV_DONTNEED)

    def _open_file(self, index: int) -> int:
        if self.manifest.folder:
            return self._create(self.part, tuple(self.layout.files[index].path.split("/")))
        return self._create(self.part.parent, (self.part.name,))


def held_on_disk(part: Path, manifest: Manifest) -> int:
    """Stream bytes the partial download holds: whole files in order, then the first short one."""
    layout = Layout(manifest)
    held = 0
    for entry in layout.files:
        target = part / entry.path if manifest.folder else part
        try:
            info = os.lstat(target)
        except OSError:
            return held
        if not stat.S_ISREG(info.st_mode):
            return held
        if info.st_size != entry.size:
            return held + min(info.st_size, entry.size)
        held += entry.size
    return held


def _state_of(part: Path) -> Path:
    return part.with_name(part.name + ".json")


def _parts(downloads: Path, manifest: Manifest) -> Iterator[tuple[Path, Any]]:
    """(part name, its state file's content or None) for "name.zp2p-part", "name (2).zp2p-part", ..."""
    for n in range(1, MAX_NUMBERED):
        part = downloads / (numbered(manifest.name, n) + PART_SUFFIX)
        try:
            known = json.loads(_state_of(part).read_text("utf-8"))
        except (OSError, ValueError):
            known = None
        yield part, known if isinstance(known, dict) else None


def _same_offer(known: dict[str, Any] | None, manifest: Manifest, key: str, fp: str) -> bool:
    return known is not None and (known.get("key"), known.get("fp"), known.get("size")) == (key, fp, manifest.size)


def find_part(downloads: Path, manifest: Manifest, key: str, fp: str) -> tuple[Path, int]:
    """The partial download of this offer (same sender key, fingerprint and size) and the bytes
    it holds, or a free part name and 0."""
    free: Path | None = None
    for n, (part, known) in enumerate(_parts(downloads, manifest), 1):
        if _same_offer(known, manifest, key, fp):
            return part, held_on_disk(part, manifest)
        if free is None and not os.path.lexists(part) and not os.path.lexists(_state_of(part)):
            free = part
            if n > 1 and known is None:
                break
    if free is None:
        raise OSError(errno.EEXIST, "no free name for the download", manifest.name)
    return free, 0


def accepted_before(downloads: Path, manifest: Manifest, key: str, fp: str, max_age: float) -> bool:
    """Whether this folder holds the partial download of this offer (same sender key,
    fingerprint and size), accepted less than max_age seconds ago: its sender may resume it
    without the user being asked again."""
    for part, known in _parts(downloads, manifest):
        if known is None and not os.path.lexists(part):
            return False
        if _same_offer(known, manifest, key, fp) and os.path.lexists(part):
            at = known.get("at") if known else None
            return isinstance(at, (int, float)) and 0 <= time.time() - at < max_age
    return False


def write_state(part: Path, key: str, fp: str, size: int) -> None:
    """Name the offer a partial download belongs to, and when it was accepted (`at`, wall clock)."""
    _state_of(part).write_text(json.dumps({"key": key, "fp": fp, "size": size, "at": time.time()}), "utf-8")


def _move_to_free_name(source: Path, downloads: Path, name: str) -> Path:
    """Rename to the first of name, "name (2)", ... that nothing holds; never overwrites: a file
    is linked then unlinked (link fails on an existing name), a folder renamed after a check."""
    for n in range(1, MAX_NUMBERED):
        target = downloads / numbered(name, n)
        if os.path.lexists(target):
            continue
        try:
            if source.is_dir():
                os.rename(source, target)
            else:
                os.link(source, target)
                os.unlink(source)
            return target
        except FileExistsError:
            continue
    raise OSError(errno.EEXIST, "no free name for the download", name)


def finish(part: Path, downloads: Path, name: str) -> Path:
    """The verified download under its own (numbered) name; the state file goes."""
    target = _move_to_free_name(part, downloads, name)
    _state_of(part).unlink(missing_ok=True)
    return target


def set_aside(part: Path, downloads: Path, name: str) -> Path:
    """A download whose hash did not match: kept as "<name>.zp2p-bad" for inspection, never
    under its real name, and no longer offered for resume."""
    target = _move_to_free_name(part, downloads, name + ".zp2p-bad") if os.path.lexists(part) else part
    _state_of(part).unlink(missing_ok=True)
    return target


def free_space(folder: Path) -> int:
    return shutil.disk_usage(folder).free


def remove_part(part: Path) -> None:
    """A partial download and its state file: a folder's whole tree, a file, or a symlink itself
    (never what it points to)."""
    if part.is_dir() and not part.is_symlink():
        shutil.rmtree(part, ignore_errors=True)
    else:
        part.unlink(missing_ok=True)
    _state_of(part).unlink(missing_ok=True)


def sweep_parts(downloads: Path, max_age: float, now: float) -> list[Path]:
    """Remove the partial downloads of this folder that nothing resumed for max_age seconds: those
    whose state file (only ours: it names a key, fingerprint and size) and part were last written
    that long ago. Called when the file actor starts, before any transfer can be writing one."""
    removed = []
    for state in sorted(downloads.glob(f"*{PART_SUFFIX}.json")):
        part = state.with_name(state.name[: -len(".json")])
        try:
            known = json.loads(state.read_text("utf-8"))
            written = max(os.lstat(p).st_mtime for p in (state, part) if os.path.lexists(p))
        except (OSError, ValueError):
            continue
        if isinstance(known, dict) and {"key", "fp", "size"} <= known.keys() and now - written >= max_age:
            try:
                remove_part(part)
            except OSError:  # not ours to remove after all (permissions): left as it is
                continue
            removed.append(part)
    return removed
