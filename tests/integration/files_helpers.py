"""Shared by the file-transfer tests (integration and hostile): a sender and a recipient on
loopback, each with its own data and downloads folder, and the checks every transfer ends with."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zp2p_gui.core.files import new_hash

from ..harness import HeadlessNode, Room

WAIT = 60.0  # generous: a loaded machine is slow, a healthy run is not slower for it


@dataclass
class Pair:
    room: Room
    amy: HeadlessNode
    ben: HeadlessNode
    amy_dir: str
    ben_dir: str
    downloads: Path
    sources: Path

    def restart(self, who: str, *extra: str, wrapper: tuple[str, ...] = ()) -> HeadlessNode:
        """Start amy (1) or ben (2) again with the same identity and downloads folder."""
        if who == "amy":
            self.amy = start(self.room, "amy", 1, self.amy_dir, self.downloads, *extra, wrapper=wrapper)
            self.amy.wait_users(["amy", "ben"], WAIT)
            return self.amy
        self.ben = start(self.room, "ben", 2, self.ben_dir, self.downloads, *extra, wrapper=wrapper)
        self.ben.wait_users(["amy", "ben"], WAIT)
        return self.ben


def start(room: Room, nick: str, n: int, data: str, downloads: Path, *extra: str,
          wrapper: tuple[str, ...] = ()) -> HeadlessNode:
    return room.start(nick, n, "--data-dir", data, "--downloads", str(downloads), *extra, wrapper=wrapper)


def pair(room: Room, ben_extra: tuple[str, ...] = ("--auto-accept",), amy_wrapper: tuple[str, ...] = (),
         amy_extra: tuple[str, ...] = (), ben_wrapper: tuple[str, ...] = ()) -> Pair:
    """amy (the sender, hosting) and ben (the recipient, accepting every offer unless told otherwise)."""
    base = Path(tempfile.mkdtemp(prefix="zp2p-files-", dir=room.tmp.name))
    dirs = [str(base / "amy"), str(base / "ben")]
    downloads, sources = base / "downloads", base / "sources"
    sources.mkdir()
    amy = start(room, "amy", 1, dirs[0], base / "amy-downloads", *amy_extra, wrapper=amy_wrapper)
    amy.wait_event("hosting", WAIT)
    ben = start(room, "ben", 2, dirs[1], downloads, *ben_extra, wrapper=ben_wrapper)
    for node in (amy, ben):
        node.wait_users(["amy", "ben"], WAIT)
    return Pair(room, amy, ben, dirs[0], dirs[1], downloads, sources)


def send(p: Pair, path: Path, to: str = "ben") -> str:
    """amy offers path; returns the transfer id from her offer_sent."""
    after = len(p.amy.events)
    p.amy.say(f"/send {to} {path}")
    sent = p.amy.wait_for(lambda e: e["event"] in ("offer_sent", "transfer_failed"), WAIT, after)
    assert sent["event"] == "offer_sent", sent
    return sent["id"]


def outcome(node: HeadlessNode, transfer: str, timeout: float = WAIT) -> dict[str, Any]:
    return node.wait_for(lambda e: e["event"] in ("transfer_done", "transfer_failed") and e["id"] == transfer,
                         timeout)


def stream_hash(path: Path) -> str:
    """The stream hash: a file's bytes, or a folder's files' bytes in manifest order."""
    h = new_hash()
    for f in stream_files(path):
        h.update(f.read_bytes())
    return h.hexdigest()


def stream_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted((p for p in path.rglob("*") if p.is_file() and not p.is_symlink()),
                  key=lambda p: p.relative_to(path).parts)


def tree(path: Path) -> dict[str, Any]:
    """Relative path -> bytes (files) or None (folders): what a folder holds, to compare two."""
    return {p.relative_to(path).as_posix(): (p.read_bytes() if p.is_file() else None) for p in path.rglob("*")}


def random_file(path: Path, size: int) -> Path:
    with open(path, "wb") as out:
        left = size
        while left:
            n = min(left, 1 << 20)
            out.write(os.urandom(n))
            left -= n
    return path
