"""Ed25519 signatures: a member signs what it says and how it registers, so the host relays
messages without being able to vouch for (forge or alter) them. No sockets here.

Keys travel as Z85 text (40 characters, like the CURVE keys before them), signatures as base64
(88 characters: decoding it is C, where Z85 is Python and would cost a third of a verify).

- **Node ids are bound to keys**: `node_id = hex(BLAKE2b-64(public key)) + 8 random hex digits`.
  The random part is per run (sequence numbers restart with each run); the first 16 digits pin the
  key, so a host cannot pair a member's node id with any other key.
- **A chat signature** covers a digest of (room id, node id, nick, seq, text).
- **A batch signature** covers (room id, node id, first seq, last seq) and the root of a hash tree
  over the batch's message digests (core/batches.py), under its own context string: one
  signature for up to 64 messages, each of which stays checkable alone through its path.
- **A registration proof** covers (room id, host address, node id, nick, member address, key):
  a copied public key is worthless without the secret, and a copied proof only works from the
  member's own address to the same host.
"""

from __future__ import annotations

import base64
import binascii
import os
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .blake2 import blake2b
from .crypto import z85_bytes, z85_text
from .validation import ValidationError

if TYPE_CHECKING:
    from .sodium import SigningKey

CHAT_CONTEXT = b"zp2p chat v1\x00"
BATCH_CONTEXT = b"zp2p chat batch v1\x00"
REGISTER_CONTEXT = b"zp2p register v1\x00"
NODE_ID_CONTEXT = b"zp2p-node-id"
KEY_LEN = 40  # Z85 characters of a 32-byte key
SIG_LEN = 88  # base64 characters of a 64-byte signature
BOUND_HEX = 16  # node-id digits derived from the key
RUN_HEX = 8  # node-id digits chosen per run


def key_text(public: bytes) -> str:
    """The public key as it travels: Z85 of the 32 raw bytes."""
    return z85_text(public)


@lru_cache(maxsize=4096)
def public_key(key: str) -> bytes:
    """The raw Ed25519 public key a Z85 text names; raises ValidationError("bad_key"). Cached:
    every message of a member is checked against the same few keys."""
    try:
        if len(key) == KEY_LEN:
            return z85_bytes(key)
    except (UnicodeEncodeError, ValueError, KeyError, TypeError):
        pass
    raise ValidationError("bad_key", "the identity key is not a Z85 Ed25519 public key")


@lru_cache(maxsize=4096)
def curve_public(key: str) -> str:
    """The X25519 (CURVE) public key derived from an Ed25519 identity key, in Z85: what ZAP
    reports as the User-Id of that member's connections in a passphrase room."""
    from . import sodium  # libsodium loads with the identity, after `searching` (identity.py)

    curve = sodium.curve_public(public_key(key))
    if curve is None:  # a point of small order has no X25519 counterpart
        raise ValidationError("bad_key", "the identity key has no CURVE form")
    return z85_text(curve)


@lru_cache(maxsize=4096)
def key_prefix(key: str) -> str:
    """The node-id digits a key owns."""
    raw = z85_bytes(key)
    return blake2b(raw, digest_size=BOUND_HEX // 2, person=NODE_ID_CONTEXT).hexdigest()


def new_node_id(key: str) -> str:
    """A node id for this run: bound to the key, unique per run."""
    return key_prefix(key) + os.urandom(RUN_HEX // 2).hex()


def owns(key: str, node_id: str) -> bool:
    """True if node_id is one the holder of key may use."""
    try:
        public_key(key)
    except ValidationError:
        return False
    return len(node_id) == BOUND_HEX + RUN_HEX and node_id[:BOUND_HEX] == key_prefix(key)


def _fields(*values: str | int) -> bytes:
    """Unambiguous bytes for a tuple of fields: each one length-prefixed."""
    out = bytearray()
    for value in values:
        raw = value.encode("utf-8") if isinstance(value, str) else value.to_bytes(8, "big")
        out += len(raw).to_bytes(4, "big") + raw
    return bytes(out)


@lru_cache(maxsize=4096)
def _chat_prefix(room: str, node_id: str, nick: str) -> bytes:
    return _fields(room, node_id, nick)


def chat_digest(room: str, node_id: str, nick: str, seq: int, text: str) -> bytes:
    """What a chat signature covers, and a leaf of a batch's tree (core/batches.py). Computed for
    every message by its sender, the host and every receiver, so the fields a sender keeps are
    encoded once."""
    raw = text.encode("utf-8")
    return blake2b(_chat_prefix(room, node_id, nick) + b"\x00\x00\x00\x08" + seq.to_bytes(8, "big")
                   + len(raw).to_bytes(4, "big") + raw, digest_size=32).digest()


def _sig(secret: SigningKey, message: bytes) -> str:
    return base64.b64encode(secret.sign(message)).decode("ascii")


def _valid(key: str, message: bytes, sig: str) -> bool:
    from . import sodium  # the identity loaded it before anything is checked: here a lookup

    try:
        return sodium.verify(public_key(key), message, binascii.a2b_base64(sig, strict_mode=True))  # C; b64decode's validate is a regex
    except (ValidationError, ValueError):  # binascii.Error is a ValueError
        return False


def sign_chat(secret: SigningKey, room: str, node_id: str, nick: str, seq: int, text: str) -> str:
    return _sig(secret, CHAT_CONTEXT + chat_digest(room, node_id, nick, seq, text))


def chat_authentic(chat: dict[str, Any], room: str) -> bool:
    """A relayed chat is the sender's own: its key owns the sender's node id and signed these fields."""
    return owns(chat["key"], chat["sender"]) and _valid(
        chat["key"], CHAT_CONTEXT + chat_digest(room, chat["sender"], chat["nick"], chat["seq"], chat["text"]),
        chat["sig"])


def batch_message(room: str, node_id: str, first: int, last: int, root: bytes) -> bytes:
    """What a batch signature covers: the root binds every message's digest and the tree's shape,
    the fields bind it to this sender, room and seqs."""
    return BATCH_CONTEXT + _fields(room, node_id, first, last) + root


def batch_signed(key: str, node_id: str, room: str, first: int, last: int, root: bytes, sig: str) -> bool:
    """The key owns node_id and signed this batch root."""
    return owns(key, node_id) and _valid(key, batch_message(room, node_id, first, last, root), sig)


def _registration(room: str, host_addr: str, node_id: str, nick: str, addr: str, key: str) -> bytes:
    return REGISTER_CONTEXT + _fields(room, host_addr, node_id, nick, addr, key)


def sign_registration(secret: SigningKey, room: str, host_addr: str, node_id: str, nick: str, addr: str) -> str:
    """The proof a `register` carries: this key's holder asks to join this host from this address."""
    key = key_text(secret.public)
    return _sig(secret, _registration(room, host_addr, node_id, nick, addr, key))


def registration_proven(req: dict[str, Any], room: str, host_addr: str, addr: str) -> bool:
    """The registry's check: the key owns the node id and signed this request for this host,
    arriving from the address it came from."""
    return owns(req["key"], req["node_id"]) and _valid(
        req["key"], _registration(room, host_addr, req["node_id"], req["nick"], addr, req["key"]), req["proof"])


class Sealer:
    """Signs one node's chat messages: the identity's secret and the fields that do not change
    within a run (room, node id and the nick as the registry will stamp it)."""

    def __init__(self, secret: SigningKey, room: str, node_id: str, nick: str) -> None:
        self._secret = secret
        self.key = key_text(secret.public)
        self.room = room
        self.node_id = node_id
        self.nick = nick

    def digest(self, seq: int, text: str) -> bytes:
        return chat_digest(self.room, self.node_id, self.nick, seq, text)

    def sign(self, seq: int, text: str) -> str:
        return _sig(self._secret, CHAT_CONTEXT + self.digest(seq, text))

    def sign_batch(self, first: int, last: int, root: bytes) -> str:
        return _sig(self._secret, batch_message(self.room, self.node_id, first, last, root))
