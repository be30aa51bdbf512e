"""Who hosts: the ranking that settles two hosts, and the successor order after a lost host."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from zp2p_gui.core.election import beats, host_rank, lineage, successors
from zp2p_gui.core.events import Member


def desc(term: int, epoch: float, host_id: str, after: tuple[str, ...] = ()) -> dict:
    return {"term": term, "epoch": epoch, "host_id": host_id, "room": "lobby", "after": after}


def test_a_host_that_followed_the_other_beats_its_older_epoch_and_lower_id() -> None:
    successor = desc(term=3, epoch=500.0, host_id="zzz", after=("aaa",))
    old_host_back = desc(term=2, epoch=100.0, host_id="aaa")   # e.g. a host resumed after SIGSTOP
    assert beats(successor, old_host_back)
    assert not beats(old_host_back, successor)


def test_a_big_term_buys_nothing() -> None:
    """Issue 13 item 2: a beacon with a huge term took a room over in 3 s. The term is a claim."""
    room = desc(term=1, epoch=100.0, host_id="bbb")
    attacker = desc(term=2**53, epoch=200.0, host_id="aaa")
    assert not beats(attacker, room) and beats(room, attacker)


def test_without_a_succession_the_older_epoch_wins() -> None:
    assert beats(desc(0, 100.0, "zzz"), desc(5, 100.5, "aaa"))
    assert not beats(desc(5, 100.5, "aaa"), desc(0, 100.0, "zzz"))


def test_same_epoch_lower_id_wins() -> None:
    assert beats(desc(0, 100.0, "aaa"), desc(0, 100.0, "bbb"))
    assert not beats(desc(0, 100.0, "bbb"), desc(0, 100.0, "aaa"))


def test_two_hosts_that_followed_each_other_fall_back_to_the_epoch() -> None:
    assert beats(desc(0, 1.0, "b", after=("a",)), desc(0, 2.0, "a", after=("b",)))
    assert not beats(desc(0, 2.0, "a", after=("b",)), desc(0, 1.0, "b", after=("a",)))


def test_a_host_never_beats_itself() -> None:
    d = desc(1, 5.0, "x")
    assert not beats(d, dict(d))


def test_rank_shape() -> None:
    assert host_rank(desc(4, 2.5, "id", after=("r",)), desc(0, 1.0, "r")) == (-1, 2.5, "id")


def test_lineage_is_newest_first_without_repeats_and_bounded() -> None:
    assert lineage("c", ["b", "a"], ("b", "x")) == ("c", "b", "a", "x")
    assert len(lineage("n", [f"h{i}" for i in range(8)], ("y", "z"))) == 8


ranks = st.builds(desc, st.integers(0, 5), st.sampled_from([1.0, 2.0, 3.0]), st.sampled_from(["a", "b", "c"]),
                  st.sampled_from([(), ("a",), ("b",), ("a", "c")]))


@settings(max_examples=200, deadline=None)
@given(ranks, ranks)
def test_at_most_one_of_two_hosts_wins_and_distinct_ones_settle(x: dict, y: dict) -> None:
    """Both hosts compute the same answer, so exactly one moves (none when they are one host)."""
    assert not (beats(x, y) and beats(y, x))
    if x["host_id"] != y["host_id"]:
        assert beats(x, y) or beats(y, x)


def member(node_id: str, joined: float, host: bool = False) -> Member:
    return Member(node_id=node_id, nick=node_id, addr="127.0.0.2", host=host, joined=joined)


def test_successors_by_join_time_then_id_without_the_host() -> None:
    roster = [member("h", 0.0, host=True), member("c", 3.0), member("b", 1.0), member("a", 1.0), member("d", 2.0)]
    assert [m.node_id for m in successors(roster, "h")] == ["a", "b", "d", "c"]


def test_successors_exclude_the_lost_host_even_if_not_flagged() -> None:
    roster = [member("old", 0.0), member("x", 1.0), member("y", 2.0)]
    assert [m.node_id for m in successors(roster, "old")] == ["x", "y"]


def test_successors_exclude_any_member_flagged_host() -> None:
    roster = (member("h", 0.0, host=True), member("x", 1.0))
    assert [m.node_id for m in successors(roster, "someone-else")] == ["x"]


def test_successors_of_an_empty_room() -> None:
    assert successors([], "h") == [] and successors([member("h", 0.0, host=True)], "h") == []


@settings(max_examples=50, deadline=None)
@given(st.permutations([member(f"n{i}", float(i % 3)) for i in range(6)]))
def test_every_member_computes_the_same_order(roster: list[Member]) -> None:
    assert successors(roster, "n0") == successors(sorted(roster, key=lambda m: m.node_id), "n0")
