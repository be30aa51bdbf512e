"""Delivery: exactly once and in order per sender, whatever order, repeats or holes the relay produces."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from zp2p_gui.core.ordering import Delivery, Gap, Skipped


def chat(seq: int, sender: str = "s") -> dict:
    return {"sender": sender, "nick": sender, "addr": "127.0.0.2", "seq": seq, "text": f"{sender}{seq}", "ts": 0.0}


def seqs(msgs: list[dict]) -> list[int]:
    return [m["seq"] for m in msgs]


def test_in_order_delivers_at_once() -> None:
    d = Delivery()
    for seq in range(1, 6):
        assert seqs(d.offer(chat(seq), now=0.0)) == [seq]
    assert d.marks() == {"s": 5}


def test_duplicates_are_dropped() -> None:
    d = Delivery()
    d.offer(chat(1), 0.0)
    d.offer(chat(2), 0.0)
    assert d.offer(chat(1), 0.0) == [] and d.offer(chat(2), 0.0) == []


def test_a_duplicate_of_a_waiting_message_is_dropped() -> None:
    d = Delivery()
    assert d.offer(chat(3), 0.0) == []
    assert d.offer(chat(3), 0.0) == []
    assert seqs(d.offer(chat(1), 0.0)) == [1]
    assert seqs(d.offer(chat(2), 0.0)) == [2, 3]


def test_out_of_order_is_held_then_released_in_order() -> None:
    d = Delivery()
    assert d.offer(chat(3), 0.0) == [] and d.offer(chat(2), 0.0) == []
    out = d.offer(chat(1), 0.0)
    assert seqs(out) == [1, 2, 3] and [m["text"] for m in out] == ["s1", "s2", "s3"]


def test_senders_are_independent() -> None:
    d = Delivery()
    assert d.offer(chat(2, "a"), 0.0) == []
    assert seqs(d.offer(chat(1, "b"), 0.0)) == [1]
    assert d.marks() == {"b": 1}


def test_gap_fetch_range_stops_before_the_first_waiting_message() -> None:
    # times are binary fractions so the pacing comparisons are exact
    d = Delivery()
    d.offer(chat(1), 0.0)
    d.offer(chat(5), 1.0)
    d.offer(chat(7), 1.0)
    assert d.gaps_to_fetch(now=1.125, after=0.25, every=0.5) == []        # too young
    assert d.gaps_to_fetch(now=1.25, after=0.25, every=0.5) == [Gap("s", 2, 4)]
    assert d.gaps_to_fetch(now=1.5, after=0.25, every=0.5) == []          # paced
    assert d.gaps_to_fetch(now=1.75, after=0.25, every=0.5) == [Gap("s", 2, 4)]
    assert seqs(d.offer(chat(2), 1.875) + d.offer(chat(3), 1.875) + d.offer(chat(4), 1.875)) == [2, 3, 4, 5]
    # 6 is still missing: the next fetch asks for it alone
    assert d.gaps_to_fetch(now=2.25, after=0.25, every=0.5) == [Gap("s", 6, 6)]


def test_pacing_is_per_sender() -> None:
    d = Delivery()
    d.offer(chat(3, "a"), 0.0)
    d.offer(chat(3, "b"), 0.0)
    assert sorted(d.gaps_to_fetch(1.0, 0.25, 0.5), key=lambda g: g.sender) == [Gap("a", 1, 2), Gap("b", 1, 2)]
    d.offer(chat(5, "c"), 1.0)
    assert d.gaps_to_fetch(1.25, 0.25, 0.5) == [Gap("c", 1, 4)]  # a and b were asked 0.25 s ago


def test_a_closed_gap_is_not_fetched() -> None:
    d = Delivery()
    d.offer(chat(2), 0.0)
    d.offer(chat(1), 0.1)
    assert d.gaps_to_fetch(5.0, 0.2, 0.5) == []


def test_announce_turns_a_trailing_loss_into_a_gap() -> None:
    d = Delivery()
    d.offer(chat(1), 0.0)
    d.announce("s", 4, now=1.0)          # the host relayed up to 4; we saw only 1
    assert d.gaps_to_fetch(1.3, 0.2, 0.5) == [Gap("s", 2, 4)]
    assert seqs(d.offer(chat(3), 1.4)) == [] and seqs(d.offer(chat(2), 1.4)) == [2, 3]
    assert seqs(d.offer(chat(4), 1.4)) == [4]
    assert d.gaps_to_fetch(5.0, 0.2, 0.5) == []


def test_announce_of_nothing_new_makes_no_gap() -> None:
    d = Delivery()
    d.offer(chat(1), 0.0)
    d.offer(chat(2), 0.0)
    d.announce("s", 2, 1.0)
    d.announce("s", 1, 1.0)
    assert d.gaps_to_fetch(9.0, 0.2, 0.5) == [] and d.give_up(9.0, 3.0) == []


def test_announce_of_a_sender_never_seen_makes_a_gap() -> None:
    """BUG (core/ordering.py, Delivery.announce): announce ignores senders without a stream.
    A member who joins after us has no stream until one of its messages reaches us; if its first
    messages are lost on the way (PUB high-water mark, a slow receiver) the roster's marks say
    "relayed up to N" but nothing is fetched until that member speaks again - never, if those
    were its last words. Every sender starts at seq 1 and the welcome floors the senders known
    at join time, so an unknown sender in a roster's marks can start at 1."""
    d = Delivery()
    d.announce("newcomer", 2, now=0.0)
    assert d.gaps_to_fetch(1.0, 0.2, 0.5) == [Gap("newcomer", 1, 2)], (
        "BUG ordering.Delivery.announce: a trailing loss of a sender we have not seen yet is never fetched")


def test_give_up_skips_a_hole_and_releases_what_waits() -> None:
    d = Delivery()
    d.offer(chat(1), 0.0)
    d.offer(chat(3), 1.0)
    d.offer(chat(4), 1.0)
    assert d.give_up(3.9, wait=3.0) == []
    assert seqs(d.give_up(4.0, wait=3.0)) == [3, 4]
    assert d.offer(chat(2), 4.1) == []           # too late: skipped for good
    assert d.marks() == {"s": 4}


def test_give_up_records_what_it_skips() -> None:
    d = Delivery()
    d.offer(chat(1), 0.0)
    d.offer(chat(5), 1.0)
    d.give_up(4.0, wait=3.0)
    assert d.take_skipped() == [Skipped("s", "s", 2, 4)] and d.take_skipped() == []
    assert Skipped("s", "s", 2, 4).count == 3


def test_give_up_of_a_trailing_loss_is_recorded_too() -> None:
    d = Delivery()
    d.announce("x", 3, 0.0)
    d.give_up(3.0, 3.0)
    assert d.take_skipped() == [Skipped("x", "", 1, 3)]


def test_nothing_delivered_in_order_is_recorded_as_skipped() -> None:
    d = Delivery()
    for seq in (2, 1, 3):
        d.offer(chat(seq), 0.0)
    d.give_up(99.0, 3.0)
    assert d.take_skipped() == []


def test_hurry_lets_the_rest_of_a_gap_be_asked_for_at_once() -> None:
    d = Delivery()
    d.offer(chat(1), 0.0)
    d.announce("s", 9, 0.0)
    assert d.gaps_to_fetch(1.0, 0.25, 0.5) == [Gap("s", 2, 9)]
    d.offer(chat(2), 1.0)
    assert d.gaps_to_fetch(1.125, 0.25, 0.5) == []        # paced
    d.hurry("s")
    d.hurry("nobody")
    assert d.gaps_to_fetch(1.125, 0.25, 0.5) == [Gap("s", 3, 9)]


def test_give_up_moves_past_a_trailing_loss() -> None:
    d = Delivery()
    d.offer(chat(1), 0.0)
    d.announce("s", 3, 0.0)
    assert d.give_up(3.0, 3.0) == []
    assert d.marks() == {"s": 3} and d.gaps_to_fetch(10.0, 0.2, 0.5) == []
    assert seqs(d.offer(chat(4), 10.0)) == [4]


def test_give_up_restarts_the_clock_for_the_next_hole() -> None:
    d = Delivery()
    for seq in (3, 6):
        d.offer(chat(seq), 0.0)
    assert seqs(d.give_up(3.0, 3.0)) == [3]      # 1-2 skipped, 4-5 now missing
    assert d.give_up(5.9, 3.0) == []
    assert seqs(d.give_up(6.0, 3.0)) == [6]


def test_floor_starts_a_new_sender_where_joining_told_us() -> None:
    d = Delivery()
    assert not d.known("s")
    d.floor("s", 41)
    assert d.known("s")
    assert d.offer(chat(40), 0.0) == []          # before the floor: already history
    assert seqs(d.offer(chat(41), 0.0)) == [41]
    d.floor("s", 100)                            # a known sender keeps its position
    assert seqs(d.offer(chat(42), 0.0)) == [42]
    assert d.marks() == {"s": 42}


def test_marks_leave_out_senders_with_nothing_delivered() -> None:
    d = Delivery()
    d.floor("a", 1)
    d.offer(chat(2, "b"), 0.0)
    assert d.marks() == {}


def test_max_waiting_bounds_the_hold_by_refusing_the_newest_not_by_skipping_the_hole() -> None:
    """A new host relays a piped burst faster than a member can fetch the hole it left: the
    hold stays bounded, and what it could not keep is fetched later instead of given up."""
    d = Delivery()
    d.MAX_WAITING = 5
    assert all(d.offer(chat(seq), 0.0) == [] for seq in range(3, 8))   # 5 waiting: the hold is full
    assert d.offer(chat(8), 0.0) == []                                  # not kept, still known
    assert seqs(d.offer(chat(1), 0.1)) == [1]                           # the hole is filled as fetched
    assert seqs(d.offer(chat(2), 0.1)) == [2, 3, 4, 5, 6, 7]
    assert d.gaps_to_fetch(1.0, 0.2, 0.5) == [Gap("s", 8, 8)]           # what was refused is asked for
    assert seqs(d.offer(chat(8), 1.0)) == [8]
    assert d.take_skipped() == [] and not d.has_gaps()


def test_a_full_hold_that_is_never_filled_is_skipped_once_and_the_refused_are_fetched_after() -> None:
    d = Delivery()
    d.MAX_WAITING = 3
    for seq in range(3, 8):                                             # 3-5 held, 6-7 refused
        d.offer(chat(seq), 0.0)
    assert seqs(d.give_up(10.0, 3.0)) == [3, 4, 5]                      # 1-2 never came: skipped, told
    assert d.take_skipped() == [Skipped("s", "s", 1, 2)]
    assert d.gaps_to_fetch(20.0, 0.2, 0.5) == [Gap("s", 6, 7)]


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 40).flatmap(lambda n: st.tuples(
    st.just(n), st.permutations(list(range(1, n + 1))), st.lists(st.integers(1, n), max_size=30),
    st.randoms(use_true_random=False)))
)
def test_any_order_with_duplicates_delivers_each_exactly_once_in_order(case) -> None:
    n, perm, dups, rnd = case
    stream = list(perm) + dups
    rnd.shuffle(stream)
    d = Delivery()
    out: list[int] = []
    for i, seq in enumerate(stream):
        out += seqs(d.offer(chat(seq), now=i * 0.001))
    assert out == list(range(1, n + 1))
    assert d.marks() == {"s": n} and d.gaps_to_fetch(100.0, 0.2, 0.5) == []


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.integers(1, 15)), max_size=120))
def test_interleaved_senders_each_stay_in_order_without_repeats(offers) -> None:
    d = Delivery()
    out: dict[str, list[int]] = {"a": [], "b": [], "c": []}
    for sender, seq in offers:
        for m in d.offer(chat(seq, sender), 0.0):
            out[m["sender"]].append(m["seq"])
    for sender, got in out.items():
        assert got == list(range(1, len(got) + 1))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ab"), st.integers(1, 40), st.integers(1, 8)), max_size=25))
def test_a_run_offered_whole_delivers_what_offering_it_one_by_one_does(runs: list[tuple[str, int, int]]) -> None:
    """offer_run (a batch at once) against offer per message, on runs in any order, overlapping,
    repeated or leaving holes: the same messages out, and the same state after."""
    whole, single = Delivery(), Delivery()
    for now, (sender, first, size) in enumerate(runs):
        run = [chat(seq, sender) for seq in range(first, first + size)]
        assert seqs(whole.offer_run(run, float(now))) == [s for c in run for s in seqs(single.offer(c, float(now)))]
        assert whole.marks() == single.marks()
        assert whole.has_gaps() == single.has_gaps()
    assert whole.gaps_to_fetch(1e6, 0.0, 0.0) == single.gaps_to_fetch(1e6, 0.0, 0.0)
    assert whole.give_up(2e6, 0.0) == single.give_up(2e6, 0.0)
    assert whole.take_skipped() == single.take_skipped()


def test_a_sender_who_left_is_retired_where_it_stopped_and_resumes_from_there() -> None:
    d = Delivery()
    for seq in (1, 2, 3):
        d.offer(chat(seq), 0.0)
    d.retire(present=())
    assert d.known("s") and d.marks() == {"s": 3}
    d.floor("s", 100)                                          # a welcome's floor does not move it
    d.announce("s", 3, 1.0)                                    # nor a mark it already reached
    assert not d.has_gaps()
    assert d.offer(chat(2), 1.0) == []                         # a replay is still a duplicate
    assert seqs(d.offer(chat(4), 1.0)) == [4] and not d.has_gaps()
    d.retire(present=())
    d.announce("s", 6, 2.0)                                    # more of it than we had: a gap again
    assert d.gaps_to_fetch(3.0, 0.2, 0.5) == [Gap("s", 5, 6)]


def test_a_sender_who_left_with_a_gap_stays_until_the_gap_is_settled() -> None:
    d = Delivery()
    d.offer(chat(1), 0.0)
    d.offer(chat(3), 0.0)
    d.retire(present=())
    assert d.gaps_to_fetch(1.0, 0.2, 0.5) == [Gap("s", 2, 2)]  # still asked for
    assert seqs(d.give_up(5.0, 3.0)) == [3] and not d.has_gaps()
    d.retire(present=())
    assert d.offer(chat(2), 6.0) == [] and d.marks() == {"s": 3}


def test_only_senders_missing_from_the_roster_are_retired() -> None:
    d = Delivery()
    d.offer(chat(1, "a"), 0.0)
    d.offer(chat(1, "b"), 0.0)
    d.retire(present={"a"})
    d.announce("b", 1, 0.0)
    assert d.marks() == {"a": 1, "b": 1} and not d.has_gaps()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(
    st.tuples(st.just("offer"), st.sampled_from("ab"), st.integers(1, 12)),
    st.tuples(st.just("announce"), st.sampled_from("ab"), st.integers(0, 12)),
    st.tuples(st.just("retire"), st.sampled_from(["", "a", "b", "ab"]), st.just(0)),
    st.tuples(st.just("give_up"), st.just(""), st.just(0))), max_size=60))
def test_retiring_senders_changes_nothing_a_user_sees(steps: list[tuple[str, str, int]]) -> None:
    """Against a Delivery that never retires anyone, any mix of offers, host marks, roster
    changes and give-ups: the same messages out, the same gaps asked for and skipped, the same marks."""
    retiring, keeping = Delivery(), Delivery()
    for now, (op, arg, seq) in enumerate(steps):
        if op == "offer":
            assert seqs(retiring.offer(chat(seq, arg), now)) == seqs(keeping.offer(chat(seq, arg), now))
        elif op == "announce":
            retiring.announce(arg, seq, now)
            keeping.announce(arg, seq, now)
        elif op == "retire":
            retiring.retire(present=set(arg))
        else:
            assert seqs(retiring.give_up(now, 3.0)) == seqs(keeping.give_up(now, 3.0))
        assert retiring.marks() == keeping.marks() and retiring.has_gaps() == keeping.has_gaps()
        assert retiring.gaps_to_fetch(now, 0.0, 0.0) == keeping.gaps_to_fetch(now, 0.0, 0.0)
    # a retired sender's nick is not kept: the gap event names it from the roster
    assert [(s.sender, s.first, s.last) for s in retiring.take_skipped()] == \
           [(s.sender, s.first, s.last) for s in keeping.take_skipped()]
