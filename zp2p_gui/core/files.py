"""File transfer, the pure part: the manifest an offer carries, the checks a recipient makes on it
before anything touches its disk, and the stream hash (the bounds are in core/file_limits.py).
No sockets, no files.

An offer's manifest lists every entry of the offered file or folder as (relative path, size),
size -1 for a folder; the bytes travel as one stream, the files' contents concatenated in
manifest order, so many small files share chunks and no file costs a round trip. A hostile
sender controls every name and size here: `check_manifest` refuses anything that could leave
the downloads folder, name a device, hide its real name, or not add up."""

from __future__ import annotations

import bisect
import hashlib
import json
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import blake3

from .file_limits import DIR, MAX_PATH_BYTES, MAX_SIZE

MAX_NAME_BYTES = 255  # one path component, UTF-8 (the usual file-system limit)
MAX_DEPTH = 64
HASH_ALG = "blake3"  # the stream hash: ~3x SHA-256 (with SHA extensions) and ~10x BLAKE2b here, one thread

_BIDI = frozenset(chr(c) for c in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)))
_WINDOWS_BAD = frozenset('<>:"/\\|?*')
_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                       *(f"COM{i}" for i in "123456789¹²³"), *(f"LPT{i}" for i in "123456789¹²³")})
PART_SUFFIX = ".zp2p-part"


def new_hash() -> Any:
    """A running hash of the stream (HASH_ALG)."""
    return blake3.blake3()


class ManifestError(ValueError):
    """The offer names something the recipient must not write (code refused_name)."""


@dataclass(frozen=True)
class Entry:
    path: str  # relative, "/"-separated; for a single file, the file's name
    size: int  # DIR for a folder

    @property
    def is_dir(self) -> bool:
        return self.size == DIR


@dataclass(frozen=True)
class Manifest:
    """What an offer describes: its top name, whether it is a folder, and its entries. For a
    single file the one entry's path is the name; for a folder, paths are inside the folder."""

    name: str
    folder: bool
    entries: tuple[Entry, ...]

    @cached_property
    def size(self) -> int:
        """The stream's length (computed once: a transfer asks for it on every chunk)."""
        return sum(e.size for e in self.entries if not e.is_dir)

    @cached_property
    def files(self) -> int:
        return sum(1 for e in self.entries if not e.is_dir)

    def to_wire(self) -> list[dict[str, object]]:
        return [{"p": e.path, "s": e.size} for e in self.entries]

    def fingerprint(self, stamps: list[int]) -> str:
        """What makes a later offer "the same content": names, sizes and the files' modification
        times (ns). The bytes themselves are verified by the stream hash at the end."""
        body = json.dumps([self.name, self.folder, self.to_wire(), stamps], ensure_ascii=False)
        return hashlib.sha256(body.encode()).hexdigest()


def check_component(name: str) -> str:
    """One path component that is safe on every desktop file system, or ManifestError."""
    if not name or name in (".", "..") or len(name.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
        raise ManifestError(f"refused name {name[:40]!r}: empty, dot or too long")
    if unicodedata.normalize("NFC", name) != name:
        raise ManifestError(f"refused name {name[:40]!r}: not in NFC")
    for ch in name:
        if ch in _WINDOWS_BAD or ch in _BIDI or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            raise ManifestError(f"refused name {name[:40]!r}: separator, control, bidi or reserved character")
    if name != name.strip(" ") or name.endswith("."):
        raise ManifestError(f"refused name {name[:40]!r}: leading/trailing space or trailing dot")
    if name.split(".")[0].upper().rstrip(" ") in _RESERVED:
        raise ManifestError(f"refused name {name[:40]!r}: a device name")
    return name


def check_path(path: str, safe: set[str]) -> tuple[str, ...]:
    """A relative "/"-separated path of safe components (never absolute, never `..`). `safe`
    holds components already checked (a folder's name recurs in every path under it)."""
    if path.startswith("/") or len(path.encode("utf-8", "surrogatepass")) > MAX_PATH_BYTES:
        raise ManifestError(f"refused path {path[:40]!r}: absolute or too long")
    parts = tuple(path.split("/"))
    if len(parts) > MAX_DEPTH:
        raise ManifestError(f"refused path {path[:40]!r}: too deep")
    for part in parts:
        if part not in safe:
            safe.add(check_component(part))
    return parts


def check_manifest(name: str, folder: bool, raw: list[dict[str, int | str]], size: int, files: int) -> Manifest:
    """The offer's manifest if every name is safe, every folder comes before what it holds, no
    path repeats (case-insensitively: Windows and macOS would merge them), and the sizes add up
    to what the offer says; ManifestError otherwise."""
    check_component(name)
    entries = tuple(Entry(str(e["p"]), int(e["s"])) for e in raw)
    if not folder:
        if len(entries) != 1 or entries[0].path != name or entries[0].is_dir:
            raise ManifestError("a single-file offer lists exactly its file")
    seen_dirs: set[str] = set()
    seen: set[str] = set()
    safe: set[str] = set()
    for entry in entries:
        parts = check_path(entry.path, safe) if folder else (entry.path,)
        folded = "/".join(parts).casefold()
        if folded in seen:
            raise ManifestError(f"refused path {entry.path[:40]!r}: listed twice")
        parent = "/".join(parts[:-1]).casefold()
        if parent and parent not in seen_dirs:
            raise ManifestError(f"refused path {entry.path[:40]!r}: its folder is not listed before it")
        seen.add(folded)
        if entry.is_dir:
            seen_dirs.add(folded)
        elif entry.size < 0:
            raise ManifestError("a negative size")
    manifest = Manifest(name, folder, entries)
    if manifest.size != size or manifest.files != files or size > MAX_SIZE:
        raise ManifestError("the sizes do not add up to the offered size")
    return manifest


class Layout:
    """Where each byte of the stream belongs: the files (not folders) in manifest order, with
    the stream offset each starts at."""

    def __init__(self, manifest: Manifest) -> None:
        self.files = [e for e in manifest.entries if not e.is_dir]
        self.starts: list[int] = []
        at = 0
        for e in self.files:
            self.starts.append(at)
            at += e.size
        self.total = at

    def pieces(self, offset: int, length: int) -> list[tuple[int, int, int]]:
        """(file index, offset in file, length) covering stream [offset, offset+length)."""
        out = []
        i = max(0, bisect.bisect_right(self.starts, offset) - 1)
        end = offset + length
        while offset < end and i < len(self.files):
            start, size = self.starts[i], self.files[i].size
            if offset < start + size:
                n = min(end, start + size) - offset
                out.append((i, offset - start, n))
                offset += n
            i += 1
        return out


def numbered(name: str, n: int) -> str:
    """The n-th name to try for a download that must not overwrite: "a.txt", "a (2).txt", ..."""
    if n == 1:
        return name
    stem, dot, ext = name.rpartition(".")
    if not stem or not dot:
        return f"{name} ({n})"
    return f"{stem} ({n}).{ext}"
