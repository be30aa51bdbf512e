"""Direct frames: the codec kinds, and boxes only their recipient opens and their signer made."""

from __future__ import annotations

import base64

import pytest
from nacl.public import PublicKey, SealedBox

from zp2p_gui.core import sodium
from zp2p_gui.core.codec import CodecError, decode, encode
from zp2p_gui.core.sealing import SEAL_CONTEXT, seal, unseal
from zp2p_gui.core.signing import key_text
from zp2p_gui.core.sodium import SigningKey


def keys() -> tuple[SigningKey, str]:
    secret = SigningKey.generate()
    return secret, key_text(secret.public)


def test_direct_kinds_round_trip() -> None:
    _, key = keys()
    dm = decode(encode("dm", id="ab" * 16, key=key, nick="amy", text="psst", ts=1.5))
    assert dm["text"] == "psst" and dm["key"] == key
    assert decode(encode("dm_read", id="c" * 32, key=key, ids=["ab" * 16]))["ids"] == ["ab" * 16]
    assert decode(encode("dm_ack", key=key, ids=[]))["ids"] == []
    with pytest.raises(CodecError):
        decode(encode("dm_ack", key=key, ids=["x"] * 257))
    with pytest.raises(CodecError):
        decode(encode("dm", id="", key=key, nick="amy", text="psst", ts=1.5))
    assert decode(encode("sealed_to", to=key, box="QUJD"))["box"] == "QUJD"


def test_only_the_recipient_opens_and_learns_the_signer() -> None:
    amy, amy_key = keys()
    bob, bob_key = keys()
    eve, eve_key = keys()
    frame = encode("dm", id="1" * 32, key=amy_key, nick="amy", text="for bob only", ts=1.0)
    box = seal(amy, bob_key, frame)
    assert "for bob only" not in box
    msg = unseal(bob.curve_secret(), bob_key, box, 64 * 1024)
    assert msg["text"] == "for bob only" and msg["key"] == amy_key
    with pytest.raises(CodecError):
        unseal(eve.curve_secret(), eve_key, box, 64 * 1024)


def test_a_box_whose_frame_claims_another_sender_is_refused() -> None:
    _, amy_key = keys()
    bob, bob_key = keys()
    eve, _ = keys()
    forged = seal(eve, bob_key, encode("dm", id="2" * 32, key=amy_key, nick="amy", text="x", ts=1.0))
    with pytest.raises(CodecError):
        unseal(bob.curve_secret(), bob_key, forged, 64 * 1024)


def test_a_box_sealed_for_someone_else_and_re_addressed_is_refused() -> None:
    """The signature names the recipient: a member cannot pass on a box it opened to a third node."""
    amy, amy_key = keys()
    bob, bob_key = keys()
    cy, cy_key = keys()
    frame = encode("dm", id="3" * 32, key=amy_key, nick="amy", text="x", ts=1.0)
    signature = amy.sign(SEAL_CONTEXT + bob_key.encode() + frame)
    box = base64.b64encode(SealedBox(PublicKey(sodium.curve_public(cy.public))).encrypt(signature + frame)).decode()
    with pytest.raises(CodecError):
        unseal(cy.curve_secret(), cy_key, box, 64 * 1024)


@pytest.mark.parametrize("box", ["", "!!!", "QUJD", "A" * 400])
def test_garbage_boxes_raise_codec_error(box: str) -> None:
    bob, bob_key = keys()
    with pytest.raises(CodecError):
        unseal(bob.curve_secret(), bob_key, box, 64 * 1024)
