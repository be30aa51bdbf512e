"""The host's limits per source address and its nick holds (core/addresses.py, core/nickholds.py
through HostState), and the bounded takeover wait (core/takeover.py): issue 13 item 5."""

from __future__ import annotations

import time

from zp2p_gui.core.addresses import CHANGES_BURST, MEMBERS_PER_ADDRESS
from zp2p_gui.core.config import Limits
from zp2p_gui.core.events import Member
from zp2p_gui.core.nickholds import HOLD_MAX, HOLD_MIN
from zp2p_gui.core.room import HostState
from zp2p_gui.core.takeover import MAX_STEPS, steps_to_wait
from zp2p_gui.core.validation import ValidationError

from .test_room_state import refused

HOST = "h0"
EVIL, A, B = "127.0.0.66", "127.0.0.2", "127.0.0.3"
KEY_A, KEY_X = "a" * 40, "x" * 40


def state(held: tuple[Member, ...] = (), **limits) -> HostState:
    s = HostState("lobby", HOST, term=2, epoch=100.0, limits=Limits(**limits), now=0.0, held=held)
    s.register(HOST, "host", "127.0.0.1", "", now=0.0)
    return s


def test_one_address_holds_a_few_members_not_a_crowd() -> None:
    s = state()
    for i in range(MEMBERS_PER_ADDRESS):
        s.register(f"f{i}", f"fake{i}", EVIL, "", now=float(i))
    assert refused(s.register, "f99", "fake99", EVIL, "", now=20.0) == "address_full"
    s.register("n1", "alice", A, "", now=20.0)  # another address is not affected
    s.register("f0", "fake0", EVIL, "", now=21.0)  # a refresh of a member already there still works


def test_joins_and_renames_from_one_address_share_a_budget_refreshes_are_free() -> None:
    s = state()
    s.register("n1", "alice", A, "", now=0.0)
    renamed = 0
    for i in range(5 * CHANGES_BURST):
        try:
            s.register("n1", f"alice{i}", A, "", now=0.0)
            renamed += 1
        except ValidationError as exc:
            assert exc.code == "rate_limited"
    assert renamed == CHANGES_BURST - 1  # the join spent one
    nick = s.member("n1").nick
    for t in range(10):
        s.register("n1", nick, A, "", now=0.01 * t)  # a refresh (nothing changed) spends nothing
    s.register("n2", "bob", B, "", now=0.0)  # another address has its own budget
    s.register("n1", "alice-again", A, "", now=1.0)  # the budget refills at one change a second


def test_many_ids_from_one_address_share_one_members_message_rate() -> None:
    s = state(rate_per_s=10, rate_burst=20)
    for i in range(4):
        s.register(f"f{i}", f"fake{i}", EVIL, "", now=0.0)
    passed = 0
    for seq in range(1, 31):
        for i in range(4):
            try:
                s.accept(f"f{i}", EVIL, seq, "spam", ts=0.0, now=0.0)
                passed += 1
            except ValidationError as exc:
                assert exc.code == "rate_limited"
    assert passed == 20  # one burst for the address, not four
    s.register("n1", "alice", A, "", now=0.0)
    s.accept("n1", A, 1, "hello", ts=0.0, now=0.0)  # another address is not slowed


def test_a_lost_members_nick_is_kept_for_its_key() -> None:
    s = state()
    s.register("n1", "alice", A, KEY_A, now=0.0)
    assert [m.nick for m in s.expire(now=10.0, timeout=2.0)] == ["alice"]
    assert refused(s.register, "fake", "ALICE", EVIL, KEY_X, now=11.0) == "nick_in_use"
    assert refused(s.register, "fake", "alice", EVIL, "", now=11.0) == "nick_in_use"
    s.register("n1b", "alice", B, KEY_A, now=12.0)  # the same key returns, from anywhere, as a new node


def test_a_brief_members_nick_is_held_briefly_a_long_standing_ones_for_longer() -> None:
    s = state()
    s.register("n1", "alice", A, KEY_A, now=0.0)  # joined just now (wall clock): the shortest hold
    s.expire(now=10.0, timeout=2.0)
    assert refused(s.register, "fake", "alice", EVIL, KEY_X, now=10.0 + HOLD_MIN - 0.1) == "nick_in_use"
    s.register("fake", "alice", EVIL, KEY_X, now=10.0 + HOLD_MIN)
    veteran = Member(node_id="v", nick="vera", addr=B, host=False, joined=time.time() - 3600, key=KEY_A)
    s2 = HostState("lobby", HOST, term=2, epoch=100.0, limits=Limits(), seed=(veteran,), now=0.0)
    s2.expire(now=10.0, timeout=2.0)
    assert refused(s2.register, "fake", "vera", EVIL, KEY_X, now=10.0 + HOLD_MAX - 0.1) == "nick_in_use"
    s2.register("fake", "vera", EVIL, KEY_X, now=10.0 + HOLD_MAX)


def test_a_hold_ends_when_its_holder_is_back_or_leaves() -> None:
    s2 = state()
    s2.register("n1", "alice", A, KEY_A, now=0.0)
    s2.expire(now=10.0, timeout=2.0)
    s2.register("n1", "alice", A, KEY_A, now=11.0)
    s2.leave("n1", now=12.0)  # a member that leaves politely frees its nick at once
    s2.register("other", "alice", B, KEY_X, now=12.0)


def test_nothing_is_held_for_a_member_without_a_key() -> None:
    s = state()
    s.register("n1", "alice", A, "", now=0.0)
    s.expire(now=10.0, timeout=2.0)
    s.register("other", "alice", B, KEY_X, now=10.5)


def test_the_lost_hosts_nick_is_held_by_its_successor() -> None:
    old_host = Member(node_id="old", nick="hal", addr=A, host=True, joined=1.0, key=KEY_A)
    s = state(held=(old_host,))
    assert refused(s.register, "fake", "hal", EVIL, KEY_X, now=1.0) == "nick_in_use"
    s.register("old2", "hal", A, KEY_A, now=2.0)


def _member(node_id: str, addr: str, joined: float) -> Member:
    return Member(node_id=node_id, nick=node_id, addr=addr, host=False, joined=joined, key="")


def test_successors_at_one_address_share_one_step() -> None:
    order = [_member(f"f{i}", EVIL, float(i)) for i in range(40)] + [_member("a", A, 50.0), _member("b", B, 51.0)]
    assert steps_to_wait(order, 40) == 1
    assert steps_to_wait(order, 41) == 2
    assert steps_to_wait(order, 0) == 0


def test_the_wait_is_bounded_however_many_addresses_rank_before() -> None:
    order = [_member(f"f{i}", f"127.0.1.{i}", float(i)) for i in range(40)] + [_member("a", A, 50.0)]
    assert steps_to_wait(order, 40) == MAX_STEPS
    assert steps_to_wait(order, 2) == 2
