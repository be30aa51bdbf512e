"""When an offer ends without a transfer (net/file_transfers.expired): not accepted in time on
either side, or never answered at all by the recipient's node."""

from __future__ import annotations

from zp2p_gui.core.errors import Code
from zp2p_gui.core.files import Entry, Manifest, new_hash
from zp2p_gui.net.file_transfers import NO_ANSWER_S, Receiving, Sending, expired

MANIFEST = Manifest("a.bin", False, (Entry("a.bin", 10),))


def sending(**fields) -> Sending:
    return Sending("t1", "key", "ben", MANIFEST, new_hash(), **fields)


def codes(transfers, now: float, timeout: float = 300.0) -> list[Code]:
    return [code for _, code, _ in expired(transfers, now, timeout)]


def test_an_offer_its_recipient_holds_expires_after_the_timeout_not_before() -> None:
    waiting = sending(answered=True, offered_at=100.0)
    assert codes([waiting], 100.0 + 299) == []
    assert codes([waiting], 100.0 + 300) == [Code.OFFER_EXPIRED]


def test_an_offer_nobody_answered_ends_sooner_as_peer_lost() -> None:
    silent = sending(offered_at=100.0)
    assert codes([silent], 100.0 + NO_ANSWER_S) == [Code.PEER_LOST]
    assert codes([silent], 100.0 + 3, timeout=3) == [Code.PEER_LOST]


def test_a_started_or_unsent_offer_never_expires() -> None:
    assert codes([sending(answered=True, started=True, offered_at=1.0), sending()], 10_000.0) == []


def test_the_recipient_expires_an_offer_its_user_left_unanswered_but_not_a_running_one() -> None:
    offered = Receiving("t1", "key", "amy", MANIFEST, new_hash(), offered_at=100.0)
    running = Receiving("t2", "key", "amy", MANIFEST, new_hash(), offered_at=100.0, running=True)
    assert codes([offered, running], 100.0 + 300) == [Code.OFFER_EXPIRED]
