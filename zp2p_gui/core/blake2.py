"""BLAKE2b without loading OpenSSL.

`hashlib.blake2b` is this same C type from `_blake2`, but `import hashlib` also loads `_hashlib`,
OpenSSL's libcrypto (3-4 ms of a node's start-up, before it can search: docs/benchmarks.md,
"Issue 16: fast start"). The node ids, chat digests and batch trees use only BLAKE2b, so they
take it from here; SHA-256 and scrypt, used after joining or only in a passphrase room's key
derivation, import hashlib where they run."""

from __future__ import annotations

from _blake2 import blake2b

__all__ = ["blake2b"]
