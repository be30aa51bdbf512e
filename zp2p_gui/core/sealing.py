"""Direct frames that travel through the host: sealed to the recipient, signed by the sender.

Where no direct connection succeeds, a `dm`, `dm_read` or `dm_ack` frame is put in a PyNaCl
SealedBox for the recipient's X25519 key (the CURVE form of its Ed25519 identity key). Inside the
box the frame is preceded by the sender's Ed25519 signature over (context, recipient key, frame),
so the host and every other member see only a box and its recipient's key, and the recipient
knows who sealed it (a SealedBox alone is anonymous). No sockets here."""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any

from nacl.exceptions import CryptoError

from .codec import DIRECT_KINDS, CodecError, decode
from .crypto import z85_bytes
from .signing import curve_public, public_key
from .validation import ValidationError

if TYPE_CHECKING:
    from .sodium import SigningKey

SEAL_CONTEXT = b"zp2p direct v1\x00"
SIG_BYTES = 64


def _signed(to_key: str, frame: bytes) -> bytes:
    return SEAL_CONTEXT + to_key.encode("ascii") + frame


def seal(secret: SigningKey, to_key: str, frame: bytes) -> str:
    """The box for `sealed`: only the holder of to_key opens it, and it names its signer inside."""
    from nacl.public import PublicKey, SealedBox  # the engine imports this module before PyNaCl has loaded

    signature = secret.sign(_signed(to_key, frame))
    box = SealedBox(PublicKey(z85_bytes(curve_public(to_key)))).encrypt(signature + frame)
    return base64.b64encode(box).decode("ascii")


def unseal(curve_secret: bytes, my_key: str, box: str, max_bytes: int) -> dict[str, Any]:
    """The direct frame in a box sealed to us (curve_secret: our identity's X25519 secret),
    decoded; raises CodecError for anything else (not ours, damaged, unsigned, or signed by
    another key than the frame's `key`)."""
    from nacl.public import PrivateKey, SealedBox

    from . import sodium  # libsodium: loaded with the identity, long before a sealed frame arrives

    try:
        raw = SealedBox(PrivateKey(curve_secret)).decrypt(base64.b64decode(box, validate=True))
    except (CryptoError, binascii.Error, ValueError):
        raise CodecError("not a box sealed to this node") from None
    signature, frame = raw[:SIG_BYTES], raw[SIG_BYTES:]
    msg = decode(frame, expect=DIRECT_KINDS, max_bytes=max_bytes)
    try:
        signed = sodium.verify(public_key(msg["key"]), _signed(my_key, frame), signature)
    except ValidationError:
        signed = False
    if not signed:
        raise CodecError("the sealed frame is not signed by its sender's key")
    return msg
