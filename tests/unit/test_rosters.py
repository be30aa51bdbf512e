"""Roster deltas: the host says what changed since a version; a member that applies every delta
it is given holds exactly the host's list, and one that missed a delta waits for the full roster."""

from __future__ import annotations

import random

from zp2p_gui.core.codec import decode, encode
from zp2p_gui.core.config import Limits
from zp2p_gui.core.events import Member
from zp2p_gui.core.room import HostState, member_from_json
from zp2p_gui.core.rosters import CHANGES_KEPT, DELTA_MAX, ChangeLog, apply_delta, delta_applies

HOST = "h0"
WITHIN = 1.0


def state() -> HostState:
    s = HostState("lobby", HOST, term=0, epoch=100.0, limits=Limits(), now=0.0)
    s.register(HOST, "host", "127.0.0.1", "", now=0.0)
    return s


def addr(i: int) -> str:
    return f"127.0.{1 + i // 200}.{1 + i % 200}"


def follow(roster: tuple[Member, ...], msg: dict) -> tuple[Member, ...]:
    """What engine/joining.py does with a delta it may apply (through the wire codec)."""
    msg = decode(encode("roster_delta", **msg))
    return apply_delta(roster, (member_from_json(m) for m in msg["changed"]), msg["removed"])


def test_a_delta_names_joins_renames_and_departures() -> None:
    s = state()
    s.register("n1", "alice", addr(1), "", now=1.0)
    s.register("n2", "bob", addr(2), "", now=1.0)
    v = s.version
    s.register("n3", "carol", addr(3), "", now=2.0)
    s.register("n1", "alicia", addr(1), "", now=2.0)
    s.leave("n2", now=2.0)
    delta = s.delta(v, now=2.0, within=WITHIN)
    assert delta is not None and delta["since"] == v and delta["version"] == s.version
    assert [m["node_id"] for m in delta["changed"]] == ["n1", "n3"]
    assert delta["changed"][0]["nick"] == "alicia"
    assert delta["removed"] == ["n2"]
    assert [g["node_id"] for g in delta["gone"]] == ["n2"]


def test_following_deltas_keeps_the_list_exact() -> None:
    rng = random.Random(7)
    s = state()
    held, version = tuple(s.members()), s.version
    published = version
    for step in range(400):
        i = rng.randrange(60)
        if s.member(f"n{i}") is None:
            s.register(f"n{i}", f"nick{i}", addr(i), "", now=float(step))
        else:
            s.leave(f"n{i}", now=float(step))
        if rng.random() < 0.5:  # the relay publishes after some changes, not after each
            delta = s.delta(published, now=float(step), within=WITHIN)
            assert delta is not None
            published = delta["version"]
            assert delta_applies(delta, version)
            held, version = follow(held, delta), delta["version"]
            assert held == tuple(s.members())


def test_a_delta_covering_our_version_from_below_applies() -> None:
    s = state()
    v0 = s.version
    s.register("n1", "alice", addr(1), "", now=1.0)
    welcomed = tuple(s.members())  # a newcomer's welcome, between two published versions
    s.register("n2", "bob", addr(2), "", now=1.0)
    delta = s.delta(v0, now=1.0, within=WITHIN)
    assert delta is not None and delta_applies(delta, v0 + 1)
    assert follow(welcomed, delta) == tuple(s.members())


def test_a_member_that_missed_a_delta_does_not_apply_the_next() -> None:
    s = state()
    v0 = s.version
    s.register("n1", "alice", addr(1), "", now=1.0)
    missed = s.delta(v0, now=1.0, within=WITHIN)
    s.register("n2", "bob", addr(2), "", now=1.0)
    nxt = s.delta(missed["version"], now=1.0, within=WITHIN)
    assert not delta_applies(nxt, v0)  # it waits for the full roster
    assert not delta_applies(missed, missed["version"])  # already held: older news


def test_removing_a_member_we_do_not_hold_changes_nothing() -> None:
    s = state()
    roster = tuple(s.members())
    assert apply_delta(roster, (), ["stranger"]) == roster


def test_too_large_or_too_old_a_change_asks_for_the_full_roster() -> None:
    s = state()
    v0 = s.version
    for i in range(DELTA_MAX + 1):
        s.register(f"n{i}", f"nick{i}", addr(i), "", now=float(i))
    assert s.delta(v0, now=1.0, within=WITHIN) is None  # more than DELTA_MAX members
    assert s.delta(s.version - 1, now=1.0, within=WITHIN) is not None
    assert s.delta(s.version, now=1.0, within=WITHIN) is None  # nothing to say
    assert s.delta(-1, now=1.0, within=WITHIN) is None  # nothing published yet


def test_the_change_log_forgets_old_versions() -> None:
    log = ChangeLog()
    for v in range(1, CHANGES_KEPT + 11):
        log.note(v, [f"n{v}"])
    current = CHANGES_KEPT + 10
    assert log.since(5, current) is None
    assert log.since(current - 2, current) == {f"n{current - 1}", f"n{current}"}
    assert log.since(current, current) is None


def test_a_new_host_seeded_with_a_roster_sends_it_whole_first() -> None:
    seed = [Member(node_id="n1", nick="alice", addr=addr(1), host=False, joined=1.0, key="")]
    s = HostState("lobby", HOST, term=1, epoch=100.0, limits=Limits(), seed=seed, now=0.0)
    assert s.delta(0, now=0.0, within=WITHIN) is None
    s.register(HOST, "host", "127.0.0.1", "", now=0.0)
    delta = s.delta(0, now=0.0, within=WITHIN)
    assert delta is not None and [m["node_id"] for m in delta["changed"]] == [HOST]


def test_a_delta_tells_only_its_own_departures() -> None:
    s = state()
    s.register("n1", "alice", addr(1), "", now=1.0)
    s.register("n2", "bob", addr(2), "", now=1.0)
    s.leave("n1", now=1.0)
    v = s.version
    s.leave("n2", now=1.0)
    delta = s.delta(v, now=1.0, within=WITHIN)
    assert [g["node_id"] for g in delta["gone"]] == ["n2"]  # n1's went out in an earlier delta
    assert [g.node_id for g in s.recently_gone(1.0)] == ["n1", "n2"]  # the full roster tells both
