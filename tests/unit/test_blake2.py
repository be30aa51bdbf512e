"""core/blake2.py hands out hashlib's BLAKE2b without loading OpenSSL: same digests, so node ids,
chat digests, batch trees and the key cache's checks are unchanged."""

from __future__ import annotations

import hashlib

import pytest

from zp2p_gui.core.blake2 import blake2b


@pytest.mark.parametrize("shape", [dict(digest_size=32), dict(digest_size=8, person=b"zp2p-node-id"),
                                   dict(digest_size=16, key=b"k" * 16, person=b"zp2p keycache v1")])
def test_blake2b_without_hashlib_is_hashlibs(shape: dict) -> None:
    assert blake2b(b"zp2p", **shape).hexdigest() == hashlib.blake2b(b"zp2p", **shape).hexdigest()
