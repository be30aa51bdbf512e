"""Retired: where senders who left stopped, bounded, oldest retirement forgotten first."""

from __future__ import annotations

from zp2p_gui.core.retired import Retired


def test_the_oldest_retirement_goes_first_past_the_bound() -> None:
    r = Retired(bound=3)
    for sender, last in (("a", 1), ("b", 2), ("c", 3)):
        r.keep(sender, last)
    r.keep("a", 4)                         # retired again: now the newest
    r.keep("d", 5)
    assert "b" not in r and len(r) == 3
    assert r.items() == [("c", 3), ("a", 4), ("d", 5)]


def test_a_sender_taken_back_is_no_longer_retired() -> None:
    r = Retired(bound=3)
    r.keep("a", 7)
    assert r.get("a") == 7 and r.take("a") == 7
    assert "a" not in r and r.take("a") is None and r.get("a") is None
