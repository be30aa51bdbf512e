"""Room keys kept in the data folder, so a restart or a reconnect never waits for scrypt again.

The key derivation is deliberately slow (see core/crypto.py), which is what slows down an offline
guesser; a node only pays it the first time it uses a passphrase for a room. The cache file
(`room_keys.json`, mode 0600 in a 0700 folder) holds, per room, the room id and the room's CURVE
server secret, found under a check value: BLAKE2b of the passphrase and room name, keyed with a
random salt of this file. A different passphrase, room or derivation cost gives another check, so
it never reuses an entry.

What this means for someone who can read the data folder: the server secret lets them join that
room (as the passphrase would, for that room only), and the check lets them test passphrase guesses
at hash speed rather than scrypt speed. The passphrase file, the identity key and the history
usually sit in the same folder, so the folder must be private anyway; docs/security.md says so."""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path
from typing import Any

import zmq

from .core import crypto
from .core.blake2 import blake2b
from .core.config import Config
from .core.lazylog import Log
from .identity import _write_private, data_dir

log = Log(__name__)

ROOM_KEYS_FILE = "room_keys.json"
MAX_ROOMS = 16


def _check(salt: bytes, passphrase: str, room: str) -> str:
    """Also keyed by the derivation's parameters: keys from another cost would not match the room's."""
    params = f"scrypt n={crypto.KDF_N} r={crypto.KDF_R} p={crypto.KDF_P}\x00".encode("ascii")
    data = params + unicodedata.normalize("NFC", passphrase).encode("utf-8") + b"\x00" + room.encode("utf-8")
    return blake2b(data, key=salt, person=b"zp2p keycache v1", digest_size=16).hexdigest()


def _keys(room: str, entry: Any) -> crypto.RoomKeys | None:
    """A cache entry as RoomKeys, or None when it is damaged."""
    try:
        secret = entry["server_secret"].encode("ascii")
        return crypto.RoomKeys(room=room, room_id=str(entry["room_id"]), server_public=zmq.curve_public(secret),
                               server_secret=secret)
    except (KeyError, TypeError, AttributeError, UnicodeEncodeError, ValueError, zmq.ZMQError):
        return None


class RoomKeyCache:
    def __init__(self, folder: Path) -> None:
        self.path = folder / ROOM_KEYS_FILE
        self.salt = b""
        self.entries: dict[str, dict[str, str]] = {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            self.salt = bytes.fromhex(raw["salt"])
            self.entries = {str(k): v for k, v in raw["entries"].items() if isinstance(v, dict)}
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("ignoring unreadable %s: %s", self.path, exc)
            self.entries = {}
        if len(self.salt) != 16:
            self.salt, self.entries = os.urandom(16), {}

    def get(self, passphrase: str, room: str) -> crypto.RoomKeys | None:
        return _keys(room, self.entries.get(_check(self.salt, passphrase, room)))

    def put(self, passphrase: str, room: str, keys: crypto.RoomKeys) -> None:
        """Remember keys (the newest MAX_ROOMS rooms); a folder we cannot write only costs speed."""
        check = _check(self.salt, passphrase, room)
        self.entries.pop(check, None)
        self.entries[check] = {"room_id": keys.room_id, "server_secret": keys.server_secret.decode("ascii")}
        while len(self.entries) > MAX_ROOMS:
            del self.entries[next(iter(self.entries))]
        body = json.dumps({"v": 1, "salt": self.salt.hex(), "entries": self.entries})
        try:
            _write_private(self.path, body + "\n", replace=True)
            if os.name == "posix":
                self.path.parent.chmod(0o700)
        except OSError as exc:
            log.warning("cannot save %s: %s", self.path, exc)


def room_keys(passphrase: str, room: str, folder: Path) -> crypto.RoomKeys:
    """The room's keys from the cache, else derived (waiting for a prefetch already running) and kept."""
    cache = RoomKeyCache(folder)
    keys = cache.get(passphrase, room)
    if keys is None:
        keys = crypto.room_keys(passphrase, room)
        cache.put(passphrase, room, keys)
    return keys


def prefetch_room_keys(config: Config) -> None:
    """As soon as the passphrase is known, start the derivation in a thread (it overlaps the rest
    of the start-up), unless the cache already has the keys."""
    if config.passphrase is not None and RoomKeyCache(data_dir(config.data_dir)).get(config.passphrase,
                                                                                     config.room) is None:
        crypto.prefetch(config.passphrase, config.room)
