"""The start path hashes without hashlib (which loads OpenSSL): core/blake2.py's BLAKE2b and
libsodium's SHA-256 give hashlib's digests, so node ids, chat digests, batch trees, the key
cache's checks and key fingerprints are unchanged."""

from __future__ import annotations

import hashlib

import pytest

from zp2p_gui.core.blake2 import blake2b
from zp2p_gui.core.crypto import fingerprint


@pytest.mark.parametrize("shape", [dict(digest_size=32), dict(digest_size=8, person=b"zp2p-node-id"),
                                   dict(digest_size=16, key=b"k" * 16, person=b"zp2p keycache v1")])
def test_blake2b_without_hashlib_is_hashlibs(shape: dict) -> None:
    assert blake2b(b"zp2p", **shape).hexdigest() == hashlib.blake2b(b"zp2p", **shape).hexdigest()


def test_fingerprint_is_sha256_of_the_key_text() -> None:
    key = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    assert fingerprint(key) == "-".join(digest[i:i + 4] for i in range(0, 16, 4))
    assert fingerprint("") == ""
