"""Who this node is and what it remembers about others: a persistent Ed25519 keypair in the data
folder (its CURVE keypair derived from it), the nick -> key pairs it has seen, and the room keys
when the room has a passphrase.

The engine asks one `Security` object for all of it, so node.py stays about the room."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from .core import crypto, signing
from .core import events as ev
from .core.config import Config
from .core.events import Member
from .core.lazylog import Log
from .core.records import field, record
from .core.validation import ValidationError, check_nick

if TYPE_CHECKING:
    from .core.sodium import SigningKey

log = Log(__name__)

IDENTITY_FILE = "identity.key"
KNOWN_KEYS_FILE = "known_keys.json"
MAX_KNOWN = 10_000
SAVE_EVERY_S = 5.0  # known keys written at most this often (and when the engine stops)


def data_dir(override: Path | None) -> Path:
    """`--data-dir`, or the platform's user data folder (the same one the GUI uses)."""
    if override:
        return override.expanduser()
    import platformdirs  # only without --data-dir: kept off the start path of tests and benchmarks

    return Path(platformdirs.user_data_dir("zp2p", "zp2p"))


def _write_private(path: Path, text: str, replace: bool) -> bool:
    """Write a 0600 file atomically. Without replace, the first writer wins (two nodes starting
    together on one data folder must end up with one identity); returns False if it lost. The
    temporary file is made as tempfile.mkstemp makes one (exclusive, 0600, a random name), without
    tempfile and the shutil it loads: a first start writes its identity before it can join."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = str(path.parent / f".{path.name}.{os.urandom(6).hex()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        if replace:
            os.replace(tmp, path)
            return True
        try:
            os.link(tmp, path)
            return True
        except FileExistsError:
            return False
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@record(frozen=True)
class Identity:
    """This node's long-term Ed25519 keypair. Its CURVE (X25519) keypair for passphrase rooms is
    derived from it, so one identity both signs messages and authenticates connections."""

    signing_key: SigningKey = field(repr=False)

    @property
    def key(self) -> str:
        """The public key as members see it (Z85), also what the fingerprint is made of."""
        return signing.key_text(self.signing_key.public)

    @property
    def public(self) -> bytes:
        """The derived CURVE public key (Z85), what ZAP reports as this node's User-Id."""
        return signing.curve_public(self.key).encode("ascii")

    @property
    def secret(self) -> bytes:
        """The derived CURVE secret key (Z85)."""
        return crypto.z85_text(self.signing_key.curve_secret()).encode("ascii")

    @classmethod
    def load(cls, folder: Path) -> "Identity":
        """Read the keypair, creating it on first use; a damaged file is an error, not a new identity.
        A version 1 file (a CURVE secret, which cannot sign) is set aside and a new identity made."""
        from .core.sodium import SigningKey  # libsodium (~1 ms) loads here, after `searching`

        path = folder / IDENTITY_FILE
        if not path.exists():
            seed = SigningKey.generate()
            body = json.dumps({"v": 2, "ed25519": crypto.z85_text(seed.seed)})
            if _write_private(path, body + "\n", replace=False):
                log.info("created identity %s in %s", crypto.fingerprint(signing.key_text(seed.public)), path)
                return cls(seed)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("v") == 1 and "secret" in raw:
                return cls._migrate(folder)
            seed = SigningKey(crypto.z85_bytes(raw["ed25519"]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValidationError("bad_identity", f"cannot read the identity key {path} ({exc}); "
                                                  "move it away to create a new identity") from None
        if os.name == "posix" and path.stat().st_mode & 0o077:
            path.chmod(0o600)
            log.warning("%s was readable by others; made it private", path)
        return cls(seed)

    @classmethod
    def _migrate(cls, folder: Path) -> "Identity":
        """Keep the old CURVE identity as identity.key.v1 and start a new one: others see
        `nick_key_changed` once (acceptable before the first release)."""
        path = folder / IDENTITY_FILE
        try:
            os.rename(path, path.with_name(IDENTITY_FILE + ".v1"))
            log.warning("identity.key held a version 1 (CURVE) identity, which cannot sign; kept it as %s.v1 "
                        "and created a new identity", IDENTITY_FILE)
        except FileNotFoundError:
            pass  # another node starting on this folder moved it first
        return cls.load(folder)


class KnownKeys:
    """Trust on first use: nick -> key, remembered across sessions. A known nick with a new key
    is reported once and then remembered, as messengers do ("safety number changed").

    The file is rewritten whole, so at most every SAVE_EVERY_S: with a new nick every second (someone
    joining under new identities all day) and the table full, writing on every change cost 3 ms of
    the engine thread and 560 KB of disk a second, ~48 GB a day. What changed since is written by
    the next `save` past that time, which the engine's tick calls, or by `flush` as it stops."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.monotonic) -> None:
        self.path = path
        self._clock = clock
        self._dirty = False
        self._saved_at = -SAVE_EVERY_S
        self._keys: dict[str, str] = {}
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            self._keys = {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}
        except FileNotFoundError:
            pass
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable %s: %s", path, exc)

    def observe(self, members: Iterable[Member]) -> list[tuple[str, str, str]]:
        """(nick, old key, new key) for each nick now seen with another key than before."""
        changed = []
        dirty = False
        for m in members:
            if not m.key:
                continue
            name = m.nick.casefold()
            old = self._keys.get(name)
            if old == m.key:
                continue
            if old is not None:
                changed.append((m.nick, old, m.key))
            self._keys.pop(name, None)
            self._keys[name] = m.key
            dirty = True
        while len(self._keys) > MAX_KNOWN:
            del self._keys[next(iter(self._keys))]
        self._dirty = self._dirty or dirty
        self.save()
        return changed

    def save(self) -> None:
        """Write what changed, unless the last write is under SAVE_EVERY_S old."""
        if self._dirty and self._clock() - self._saved_at >= SAVE_EVERY_S:
            self.flush()

    def flush(self) -> None:
        """Write what changed now."""
        if not self._dirty:
            return
        self._dirty, self._saved_at = False, self._clock()
        try:
            _write_private(self.path, json.dumps(self._keys, ensure_ascii=False), replace=True)
        except OSError as exc:
            log.warning("cannot save %s: %s", self.path, exc)


@record
class Security:
    """The node's identity, known keys and, for a passphrase room, the room keys."""

    identity: Identity
    known: KnownKeys
    room: str
    room_keys: crypto.RoomKeys | None

    @classmethod
    def open(cls, config: Config) -> "Security":
        """Everything the engine needs before it searches; raises ValidationError (fatal) on failure."""
        folder = data_dir(config.data_dir)
        try:
            identity = Identity.load(folder)
        except OSError as exc:
            raise ValidationError("bad_data_dir", f"cannot use the data folder {folder}: {exc}") from None
        room_keys = None
        if config.passphrase is not None:
            crypto.require_curve()
            from .keycache import room_keys as cached_room_keys  # keycache imports this module

            room_keys = cached_room_keys(config.passphrase, config.room, folder)
        return cls(identity, KnownKeys(folder / KNOWN_KEYS_FILE), config.room, room_keys)

    @property
    def secure(self) -> bool:
        return self.room_keys is not None

    @property
    def room_id(self) -> str:
        """Published in the beacon: the derived id for a passphrase room, the name otherwise."""
        return self.room_keys.room_id if self.room_keys else self.room

    @property
    def key(self) -> str:
        return self.identity.key

    def sealer(self, node_id: str, nick: str) -> signing.Sealer:
        """Signs this run's messages; the nick as the registry will stamp it."""
        return signing.Sealer(self.identity.signing_key, self.room, node_id, check_nick(nick))

    def proof(self, host_addr: str, node_id: str, nick: str, addr: str) -> str:
        """The signature a `register` to the host at host_addr carries, sent from addr."""
        return signing.sign_registration(self.identity.signing_key, self.room, host_addr, node_id, nick, addr)

    @property
    def curve(self) -> crypto.SocketKeys | None:
        """Socket keys for the room's connections; None for an open room."""
        if self.room_keys is None:
            return None
        return crypto.SocketKeys(self.room_keys.server_public, self.room_keys.server_secret,
                                 self.identity.public, self.identity.secret)

    def is_ours(self, desc: dict[str, Any]) -> bool:
        """A beacon of this node's room: by room id with a passphrase, else by name."""
        return crypto.beacon_is_ours(desc, self.room, self.room_keys.room_id if self.room_keys else None)

    def refusal(self, desc: dict[str, Any]) -> tuple[str, str] | None:
        return crypto.beacon_refusal(desc, self.room, self.room_keys.room_id if self.room_keys else None)

    def key_warnings(self, members: Iterable[Member]) -> list[ev.KeyChanged]:
        """One `nick_key_changed` error per nick that came back with another identity."""
        return [ev.KeyChanged(nick=nick, old=crypto.fingerprint(old), new=crypto.fingerprint(new),
                              detail=f"{nick} has a new identity key ({crypto.fingerprint(new)}, was "
                                     f"{crypto.fingerprint(old)}): another device, or someone using that name")
                for nick, old, new in self.known.observe(members)]
