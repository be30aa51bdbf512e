"""core/sodium.py calls libsodium itself instead of through PyNaCl's Python API (whose import cost
every join ~7 ms); these tests hold it to what PyNaCl gave: the same keys, the same signatures,
the same refusals, the same CURVE forms, and RFC 8032's answers."""

from __future__ import annotations

import hashlib

import pytest
from nacl.exceptions import BadSignatureError, CryptoError
from nacl.signing import SigningKey as NaclSigningKey
from nacl.signing import VerifyKey

from zp2p_gui.core import sodium
from zp2p_gui.core.sodium import SigningKey

# RFC 8032, section 7.1, TEST 1 and TEST 2
RFC_VECTORS = [
    ("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
    ("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
]
MESSAGES = [b"", b"x", b"zp2p chat v1\x00" + bytes(range(256)) * 4]


@pytest.mark.parametrize("seed, public, message, signature", RFC_VECTORS)
def test_rfc_8032_vectors(seed: str, public: str, message: str, signature: str) -> None:
    key = SigningKey(bytes.fromhex(seed))
    assert key.public.hex() == public
    assert key.sign(bytes.fromhex(message)).hex() == signature
    assert sodium.verify(key.public, bytes.fromhex(message), bytes.fromhex(signature))


@pytest.mark.parametrize("message", MESSAGES)
def test_keys_and_signatures_are_pynacls(message: bytes) -> None:
    ours = SigningKey.generate()
    theirs = NaclSigningKey(ours.seed)
    assert ours.public == bytes(theirs.verify_key)
    assert ours.sign(message) == theirs.sign(message).signature
    assert ours.curve_secret() == bytes(theirs.to_curve25519_private_key())
    assert sodium.curve_public(ours.public) == bytes(theirs.verify_key.to_curve25519_public_key())
    assert sodium.verify(ours.public, message, theirs.sign(message).signature)


def _pynacl_accepts(public: bytes, message: bytes, signature: bytes) -> bool:
    try:
        VerifyKey(public).verify(message, signature)
        return True
    except (BadSignatureError, CryptoError, ValueError):
        return False


def _tampered(key: SigningKey, message: bytes) -> list[tuple[bytes, bytes, bytes]]:
    """(public, message, signature) triples that must all be refused."""
    signature = key.sign(message)
    flipped = bytes([signature[0] ^ 1]) + signature[1:]
    high_s = signature[:32] + bytes(31) + b"\xff"  # S outside the group order: not canonical
    other = SigningKey.generate().public
    return [(key.public, message + b"!", signature), (key.public, message, flipped), (other, message, signature),
            (key.public, message, high_s), (key.public, message, signature[:63]), (key.public, message, signature + b"\0"),
            (key.public[:31], message, signature), (bytes(32), message, signature),
            (b"\x01" + bytes(31), message, bytes(64))]  # the neutral point: a small-order key


@pytest.mark.parametrize("message", MESSAGES)
def test_what_pynacl_refuses_is_refused(message: bytes) -> None:
    for public, text, signature in _tampered(SigningKey.generate(), message):
        assert not sodium.verify(public, text, signature)
        assert not _pynacl_accepts(public, text, signature)


def test_a_small_order_key_has_no_curve_form() -> None:
    assert sodium.curve_public(b"\x01" + bytes(31)) is None
    assert sodium.curve_public(b"short") is None


def test_a_seed_must_be_32_bytes() -> None:
    for bad in (b"", bytes(31), bytes(33), "x" * 32):
        with pytest.raises(ValueError):
            SigningKey(bad)  # type: ignore[arg-type]


def test_keys_compare_by_seed() -> None:
    a, b = SigningKey.generate(), SigningKey.generate()
    assert a == SigningKey(a.seed) and hash(a) == hash(SigningKey(a.seed))
    assert a != b
    assert a != a.seed


def test_sha256_is_sha256() -> None:
    for data in MESSAGES:
        assert sodium.sha256(data) == hashlib.sha256(data).digest()
