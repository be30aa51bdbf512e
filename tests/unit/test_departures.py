"""How members leave: the host records a `leave` as LEFT and an expiry as LOST for a few seconds,
sends them in every roster, and members turn them into Presence.gone for who vanished."""

from __future__ import annotations

from pathlib import Path

from zp2p_gui.core.config import Limits
from zp2p_gui.core.events import Departure, Gone, Presence
from zp2p_gui.core.room import GONE_FOR, GONE_MAX, HostState

from .test_node_state import HOST, joining_node, member


def state_with(*nicks: str) -> HostState:
    state = HostState("lobby", "h", 0, 1.0, Limits())
    for n, nick in enumerate(nicks):
        state.register(nick * 4, nick, f"127.0.0.{n + 2}", "", now=0.0)
    return state


def test_a_leave_is_left_and_an_expiry_is_lost() -> None:
    state = state_with("bea", "cal")
    state.touch("cal" * 4, "127.0.0.3", 1.0)
    state.leave("bea" * 4, now=2.0)
    state.expire(now=6.0, timeout=4.0)
    assert state.roster(now=6.0)["gone"] == [
        {"node_id": "bea" * 4, "nick": "bea", "how": "left"}, {"node_id": "cal" * 4, "nick": "cal", "how": "lost"}]


def test_departures_age_out_and_stay_bounded() -> None:
    state = state_with(*(f"u{i}" for i in range(GONE_MAX + 5)))
    for i in range(GONE_MAX + 5):
        state.leave(f"u{i}" * 4, now=0.0)
    assert len(state.recently_gone(now=0.0)) == GONE_MAX
    assert state.recently_gone(now=GONE_FOR + 0.1) == []


def test_members_hear_how_someone_left(tmp_path: Path) -> None:
    node, events = joining_node(tmp_path)
    host, bea = member("h", "hal", HOST, host=True), member("b", "bea", "127.0.0.3")
    amy = member(node.node_id, "amy", "127.0.0.2")
    node._on_welcome({"k": "welcome", "host_id": "h", "term": 0, "epoch": 1.0, "version": 1,
                      "members": [host, bea, amy], "backlog": [], "marks": {}, "gone": ()})
    node._on_roster(HOST, {"k": "roster", "host_id": "h", "term": 0, "epoch": 1.0, "version": 2,
                           "members": [host, amy], "marks": {},
                           "gone": [{"node_id": "b", "nick": "bea", "how": "lost"},
                                    {"node_id": "x", "nick": "old", "how": "left"}]})
    last = [e for e in events if isinstance(e, Presence)][-1]
    assert last.gone == (Gone("b", "bea", Departure.LOST),)
