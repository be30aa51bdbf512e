"""The ZAP handler's answers (net/zap.py): the same decisions zmq.auth's authenticator made for
zp2p, without its asyncio loop. The room's sockets (no domain) admit any CURVE client; a direct
port's domain admits the keys it was given; everything else is refused."""

from __future__ import annotations

import zmq
from zmq.utils import z85

from zp2p_gui.net import zap

KEY = bytes(range(32))
KEY_Z85 = z85.encode(KEY)


def _request(domain: bytes, mechanism: bytes = b"CURVE", *credentials: bytes) -> list[bytes]:
    return [b"1.0", b"7", domain, b"127.0.0.1", b"", mechanism, *credentials]


def test_a_room_socket_admits_any_curve_client_and_names_its_key() -> None:
    assert zap.answer(_request(b"", b"CURVE", KEY)) == [b"1.0", b"7", b"200", b"OK", KEY_Z85, b""]


def test_a_direct_domain_admits_only_its_keys() -> None:
    domain = f"{zap.DIRECT_DOMAIN}test".encode()
    ctx = zmq.Context.instance()
    try:
        zap.admit(ctx, domain.decode(), frozenset({KEY_Z85}))
        assert zap.answer(_request(domain, b"CURVE", KEY))[2] == b"200"
        assert zap.answer(_request(domain, b"CURVE", bytes(32)))[2] == b"400"
    finally:
        zap.forget(domain.decode())
    assert zap.answer(_request(domain, b"CURVE", KEY))[2] == b"400"


def test_unknown_domains_mechanisms_and_malformed_requests_are_refused() -> None:
    assert zap.answer(_request(b"elsewhere", b"CURVE", KEY))[2] == b"400"
    assert zap.answer(_request(b"", b"PLAIN", b"user", b"secret"))[2] == b"400"
    assert zap.answer(_request(b"", b"CURVE", b"short"))[2] == b"400"
    assert zap.answer([b"2.0", b"7", b"", b"", b"", b"CURVE", KEY])[2] == b"400"
    assert zap.answer([b"1.0", b"7"])[2] == b"400"
    assert zap.answer([b"1.0"]) is None


def test_null_is_admitted_as_before() -> None:
    assert zap.answer(_request(b"", b"NULL"))[2:5] == [b"200", b"OK", b"anonymous"]
