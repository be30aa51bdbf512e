"""The relay's turns (core/fairshare.py): senders in turn, within the credit the host's display
allows, never stalled by a display that stopped showing."""

from __future__ import annotations

import itertools

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


def test_a_held_relay_is_woken_once_when_the_display_has_shown_half_the_credit() -> None:
    """No polling for the display's progress: `show` wakes the relay, once, when it can go on."""
    wakes: list[None] = []
    share = FairShare(credit=4, wake=lambda: wakes.append(None), wake_at=2)
    _offer(share, "a", 10)
    assert share.serve(now=0.0) == [b"a0", b"a1", b"a2", b"a3"]
    share.show(0.0)  # 3 still in flight: more than half the credit
    assert wakes == []
    share.show(1.0)
    assert len(wakes) == 1
    share.show(2.0)  # already woken: one wake per hold, not one per message shown
    assert len(wakes) == 1
    assert share.serve(now=0.1) == [b"a4", b"a5", b"a6"]
    share.show(6.0)
    assert len(wakes) == 2


def test_a_batch_larger_than_half_the_credit_wakes_the_relay_once_it_is_shown() -> None:
    wakes: list[None] = []
    share = FairShare(credit=4, wake=lambda: wakes.append(None), wake_at=2)
    share.offer("a", 0.0, b"batch0", 4)
    share.offer("a", 1.0, b"batch1", 4)
    assert share.serve(now=0.0) == [b"batch0"]
    share.show(0.0)
    assert len(wakes) == 1 and share.serve(now=0.1) == [b"batch1"]


def test_a_display_that_caught_up_before_the_relay_held_does_not_hold_it() -> None:
    """The display can show what was just published before the relay notes where it waits for it
    (two threads): the relay then goes on at once instead of waiting for a wake already past."""
    wakes: list[None] = []
    share = FairShare(credit=2, wake=lambda: wakes.append(None), wake_at=1)
    _offer(share, "a", 5)
    share.show(3.0)  # as if the display had shown a0..a3 while serve ran
    assert share.serve(now=0.0) == [b"a0", b"a1", b"a2", b"a3", b"a4"]
    assert wakes == [] and not share.waiting()


def test_a_held_relay_is_due_again_only_when_the_display_would_count_as_stalled() -> None:
    share = FairShare(credit=1, stall=0.5, wake=lambda: None)
    assert share.due() is None
    _offer(share, "a", 2)
    share.serve(now=10.0)
    assert share.due() == 10.5
    share.show(0.0)
    share.serve(now=10.2)
    assert share.due() is None  # nothing waits any more


def test_nothing_stalls_when_the_display_shows_in_bursts_and_the_relay_serves_only_when_woken() -> None:
    """The relay serves when a frame arrives or a wake comes, never on a timer; a display that
    shows 1 to 40 messages at a time still gets every message, in order."""
    woken: list[bool] = [False]
    share = FairShare(credit=64, wake=lambda: woken.__setitem__(0, True))
    _offer(share, "a", 3000)
    published: list[bytes] = share.serve(now=0.0)
    shown = 0
    bursts = itertools.cycle([1, 40, 7, 13, 2, 29])
    for _ in range(10_000):
        if shown == len(published):
            break
        shown = min(len(published), shown + next(bursts))
        share.show(float(shown - 1))
        if woken[0]:
            woken[0] = False
            published += share.serve(now=0.0)
    assert published == [f"a{i}".encode() for i in range(3000)] and not share.waiting()


def test_a_wake_frees_the_credit_when_a_later_stamp_went_out_first() -> None:
    """A quiet sender's turn can go out before older flood frames: the stamps in flight do not
    rise. The wake must wait until the display has shown what the credit is freed by, or the relay,
    woken (or seeing the display ahead) with nothing freed, would go round for ever."""
    wakes: list[None] = []
    share = FairShare(credit=2, wake=lambda: wakes.append(None), wake_at=0)
    share.offer("flood", 1.0, b"flood1")
    share.offer("flood", 2.0, b"flood2")
    share.offer("quiet", 5.0, b"quiet5")
    share.offer("flood", 3.0, b"flood3")
    assert share.serve(now=0.0) == [b"flood1", b"quiet5"]
    share.show(3.0)  # flood1 shown, and a stamp past flood2's: quiet5 is not
    assert wakes == [] and share.serve(now=0.1) == [b"flood2"]  # flood1 freed the credit, quiet5 holds it
    share.show(5.0)
    assert len(wakes) == 1 and share.serve(now=0.2) == [b"flood3"]
