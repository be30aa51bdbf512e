"""The relay's turns (core/fairshare.py): senders in turn, within the credit the host's display
allows, never stalled by a display that stopped showing."""

from __future__ import annotations

from zp2p_gui.core.fairshare import FairShare


def _offer(share: FairShare, sender: str, count: int, t0: float = 0.0) -> None:
    for i in range(count):
        share.offer(sender, t0 + i, f"{sender}{i}".encode())


def test_waiting_addresses_are_served_in_turn() -> None:
    share = FairShare(credit=100)
    _offer(share, "flood", 5)
    _offer(share, "quiet", 1, t0=10)
    assert share.serve(now=0.0) == [b"flood0", b"quiet0", b"flood1", b"flood2", b"flood3", b"flood4"]
    assert not share.waiting()


def test_a_quiet_sender_waits_for_one_turn_not_for_the_flood() -> None:
    share = FairShare(credit=3)
    _offer(share, "flood", 10)
    assert share.serve(now=0.0) == [b"flood0", b"flood1", b"flood2"]
    share.offer("quiet", 20.0, b"quiet0")
    assert share.serve(now=0.1) == []  # the display has shown nothing yet
    share.show(1.0)  # it showed flood0 and flood1
    assert share.serve(now=0.2) == [b"flood3", b"quiet0"]


def test_showing_a_later_message_releases_everything_before_it() -> None:
    share = FairShare(credit=2)
    _offer(share, "a", 6)
    assert share.serve(now=0.0) == [b"a0", b"a1"]
    share.show(1.0)
    assert share.serve(now=0.1) == [b"a2", b"a3"]
    share.show(0.5)  # older than what it showed already: no effect
    assert share.serve(now=0.2) == []


def test_a_display_that_stopped_showing_does_not_stall_the_room() -> None:
    share = FairShare(credit=2, stall=0.5)
    _offer(share, "a", 4)
    assert share.serve(now=0.0) == [b"a0", b"a1"]
    assert share.serve(now=0.4) == []
    assert share.serve(now=0.6) == [b"a2", b"a3"]


def test_an_address_that_ignores_its_window_is_told_its_queue_is_full() -> None:
    share = FairShare(credit=1, per_source=3)
    _offer(share, "flood", 3)
    assert share.full("flood") and not share.full("quiet")


def test_the_queue_bound_counts_the_messages_of_batches_not_frames() -> None:
    """A batch is up to 64 messages in one frame: counted as frames, an address ignoring its
    window could hold 64 times the memory the bound was set for."""
    share = FairShare(credit=1, per_source=100)
    share.offer("flood", 0.0, b"batch0", 64)
    assert not share.full("flood")
    share.offer("flood", 0.1, b"batch1", 64)
    assert share.full("flood")
    assert share.serve(now=0.0) == [b"batch0"] and not share.full("flood")
    assert share.flush() == [b"batch1"] and not share.full("flood")


def test_flush_hands_over_everything_in_turn_order() -> None:
    share = FairShare(credit=1)
    _offer(share, "a", 2)
    _offer(share, "b", 2, t0=5)
    assert share.flush() == [b"a0", b"b0", b"a1", b"b1"]
    assert not share.waiting()
