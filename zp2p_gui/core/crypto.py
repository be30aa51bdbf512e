"""Room secrets from a passphrase, and the small rules around keys. No sockets here.

A passphrase room needs three things every member can compute and nobody else can:
- a CURVE server keypair, so the host's sockets are encrypted and only passphrase holders
  (who know the server's public key) can complete a handshake with them;
- a room id, published in the plaintext beacon so a node can tell "right room, wrong
  passphrase" from "no such room" without joining;
- nothing that lets one be computed from the other: both are separate hashes of one scrypt
  output, so the published id only allows an offline guessing attack at scrypt speed.

The published room id (and any recorded handshake) lets an outsider test passphrase guesses
offline, each at the cost of one scrypt: n=2**17, r=8 (128 MiB, about 0.5 s on the reference
machine; it was n=2**14, 50-70 ms). That would sit on the join path, so `prefetch` starts it in
a thread as soon as the passphrase is known (hashlib releases the GIL, so it runs while the rest
of the program starts), and keycache.py keeps the result in the data folder, so a node pays it
once per passphrase and room, never on a restart or reconnect, and never on the window's thread.
"""

from __future__ import annotations

import threading
import unicodedata
from typing import TYPE_CHECKING, Any

import zmq
from zmq.utils import z85

from .blake2 import blake2b
from .records import field, record
from .validation import ValidationError

if TYPE_CHECKING:
    from concurrent.futures import Future

KDF_N = 2**17
KDF_R = 8
KDF_P = 1
KDF_MAXMEM = 256 * 1024 * 1024  # scrypt needs 128 * r * n = 128 MiB and a little more
SALT_PREFIX = b"zp2p room v1\x00"

_lock = threading.Lock()
_derived: dict[tuple[str, str], Future] = {}


@record(frozen=True)
class RoomKeys:
    """Everything a passphrase gives a room; the secret never appears in a repr or a log."""

    room: str
    room_id: str
    server_public: bytes
    server_secret: bytes = field(repr=False)


@record(frozen=True)
class SocketKeys:
    """What `net.actor.tune` needs to make a socket CURVE: bound sockets act as the room's
    server, connecting sockets authenticate with this node's identity."""

    server_public: bytes
    server_secret: bytes = field(repr=False)
    public: bytes = b""
    secret: bytes = field(default=b"", repr=False)


def require_curve() -> None:
    """Passphrase rooms are CURVE or nothing: never fall back to plaintext."""
    if not zmq.has("curve"):
        raise ValidationError("no_curve", "this libzmq has no CURVE support, so passphrase rooms cannot work; "
                                          "install pyzmq from its official wheels (they include libsodium)")


def derive_room_keys(passphrase: str, room: str, n: int = KDF_N) -> RoomKeys:
    """The slow part: one scrypt of the passphrase, salted with the room name. Only tests of
    the derivation's properties pass a smaller n; every room uses KDF_N."""
    if not passphrase:
        raise ValidationError("bad_passphrase", "the passphrase is empty")
    import hashlib  # scrypt: only a passphrase room's derivation needs OpenSSL's hashlib

    secret_input = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    master = hashlib.scrypt(secret_input, salt=SALT_PREFIX + room.encode("utf-8"),
                            n=n, r=KDF_R, p=KDF_P, maxmem=KDF_MAXMEM, dklen=32)
    server_secret = z85.encode(blake2b(b"curve-server-secret", key=master, digest_size=32).digest())
    room_id = blake2b(b"room-id", key=master, digest_size=16).hexdigest()
    return RoomKeys(room=room, room_id=room_id, server_public=zmq.curve_public(server_secret),
                    server_secret=server_secret)


def prefetch(passphrase: str, room: str) -> None:
    """Start deriving in the background; `room_keys` picks the result up (or the error)."""
    _future(passphrase, room, background=True)


def room_keys(passphrase: str, room: str) -> RoomKeys:
    """The room's keys, derived once per process for each (passphrase, room)."""
    return _future(passphrase, room, background=False).result()


def _future(passphrase: str, room: str, background: bool) -> Future:
    from concurrent.futures import Future  # only a passphrase room needs it: kept off the start path

    with _lock:
        future = _derived.get((passphrase, room))
        if future is not None:
            return future
        future = _derived[(passphrase, room)] = Future()

    def work() -> None:
        try:
            future.set_result(derive_room_keys(passphrase, room))
        except BaseException as exc:  # handed to whoever waits, never lost in a thread
            future.set_exception(exc)

    if background:
        threading.Thread(target=work, name="zp2p-kdf", daemon=True).start()
    else:
        work()
    return future


def beacon_is_ours(desc: dict[str, Any], room: str, room_id: str | None) -> bool:
    """Whether a beacon is of our room. A private room's beacon names no room (see
    `codec.beacon_frames`): only a node with the same passphrase and room name computes its
    room id, so a wrong passphrase or none sees someone else's room. An open one is known by name.
    room_id is ours: None for an open room."""
    if desc["secure"]:
        return room_id is not None and desc["room_id"] == room_id
    return desc["room"] == room


def beacon_refusal(desc: dict[str, Any], room: str, room_id: str | None) -> tuple[str, str] | None:
    """Why a node must not join the host that sent this beacon of its room, or None."""
    if not desc["secure"] and room_id is not None:
        return "room_not_private", f"room {room!r} on this network has no passphrase; not joining it unencrypted"
    return None


def fingerprint(key: str) -> str:
    """What people compare: 64 bits of the key's SHA-256 in four groups, or '' for no key."""
    if not key:
        return ""
    from .sodium import sha256  # libsodium loads with the identity, after `searching`

    digest = sha256(key.encode("utf-8")).hex()[:16]
    return "-".join(digest[i:i + 4] for i in range(0, 16, 4))


def z85_text(raw: bytes) -> str:
    """Key bytes as text, in libzmq's Z85 (how CURVE keys and identity keys travel and are stored)."""
    return z85.encode(raw).decode("ascii")


def z85_bytes(text: str) -> bytes:
    """The bytes of a Z85 text; raises ValueError, KeyError or UnicodeEncodeError on anything else."""
    return z85.decode(text.encode("ascii"))
