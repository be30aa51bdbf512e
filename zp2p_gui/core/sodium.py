"""libsodium, called directly through PyNaCl's own cffi library (initialised here once; core/file_seal.py
makes its cipher's calls through the same `ffi` and `lib`): Ed25519 keys and signatures, their
X25519 (CURVE) forms, and SHA-256 for fingerprints.

Why not PyNaCl's Python API: importing `nacl.signing` or `nacl.bindings` imports every binding
PyNaCl has (~7 ms, the largest import after `searching`), and a node signs its registration on its
way to `joined` (and a first start shows its new key's fingerprint), so every join waited for
them. This module loads only the library (~1 ms) and makes the calls PyNaCl's SigningKey and
VerifyKey make (`crypto_sign`, `crypto_sign_open`: the library exposes no detached ones), with the
same checks (tests/unit/test_sodium.py compares them with PyNaCl's)."""

from __future__ import annotations

import os

from nacl._sodium import ffi, lib

SEED_BYTES = 32
PUBLIC_BYTES = 32
SIGNATURE_BYTES = 64
_SECRET_BYTES = 64  # libsodium's secret key: the seed, then the public key

if lib.sodium_init() < 0:  # thread-safe and idempotent; it picks the CPU's fastest code paths
    raise ImportError("libsodium could not be initialised")


class SigningKey:
    """An Ed25519 secret key, made from its 32-byte seed (what the identity file keeps)."""

    __slots__ = ("seed", "public", "_secret")

    def __init__(self, seed: bytes) -> None:
        if not isinstance(seed, bytes) or len(seed) != SEED_BYTES:
            raise ValueError(f"an Ed25519 seed is {SEED_BYTES} bytes")
        public = ffi.new("unsigned char[]", PUBLIC_BYTES)
        self._secret = ffi.new("unsigned char[]", _SECRET_BYTES)
        lib.crypto_sign_seed_keypair(public, self._secret, seed)
        self.seed = seed
        self.public = ffi.buffer(public)[:]

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(os.urandom(SEED_BYTES))

    def __eq__(self, other: object) -> bool:
        """Same seed, compared in constant time (an identity read twice is the same identity)."""
        if not isinstance(other, SigningKey):
            return NotImplemented
        return lib.sodium_memcmp(self.seed, other.seed, SEED_BYTES) == 0

    def __hash__(self) -> int:
        return hash(self.public)

    def sign(self, message: bytes) -> bytes:
        """The 64-byte signature of message (the head of libsodium's signed message)."""
        signed = ffi.new("unsigned char[]", SIGNATURE_BYTES + len(message))
        lib.crypto_sign(signed, ffi.NULL, message, len(message), self._secret)
        return ffi.buffer(signed, SIGNATURE_BYTES)[:]

    def curve_secret(self) -> bytes:
        """The X25519 secret key of the same identity (its CURVE and SealedBox key)."""
        out = ffi.new("unsigned char[]", 32)
        lib.crypto_sign_ed25519_sk_to_curve25519(out, self._secret)
        return ffi.buffer(out)[:]


def verify(public: bytes, message: bytes, signature: bytes) -> bool:
    """True if signature is public's key holder's signature of message."""
    if len(public) != PUBLIC_BYTES or len(signature) != SIGNATURE_BYTES:
        return False
    signed = signature + message
    opened = ffi.new("unsigned char[]", len(signed))
    return lib.crypto_sign_open(opened, ffi.NULL, signed, len(signed), public) == 0


def curve_public(public: bytes) -> bytes | None:
    """The X25519 public key of an Ed25519 public key; None for a point that has none (small order)."""
    if len(public) != PUBLIC_BYTES:
        return None
    out = ffi.new("unsigned char[]", 32)
    if lib.crypto_sign_ed25519_pk_to_curve25519(out, public) != 0:
        return None
    return ffi.buffer(out)[:]


def sha256(data: bytes) -> bytes:
    """libsodium's SHA-256: hashlib's would load OpenSSL (~2 ms) for one fingerprint."""
    out = ffi.new("unsigned char[]", 32)
    lib.crypto_hash_sha256(out, data, len(data))
    return ffi.buffer(out)[:]
