"""The engine's state machine fed directly, for orderings that real sockets produce only now
and then: deterministic regression tests, no network."""

from __future__ import annotations

from pathlib import Path

from zp2p_gui.core.config import Config
from zp2p_gui.core.events import Cause, Event, Presence
from zp2p_gui.engine.states import State, Trigger
from zp2p_gui.identity import Security
from zp2p_gui.net.messages import HostLost, Packets, Probe, Quit, Register, Reply
from zp2p_gui.node import Node

HOST = "127.0.0.9"


def member(node_id: str, nick: str, addr: str, host: bool = False) -> dict:
    return {"node_id": node_id, "nick": nick, "addr": addr, "joined": 1.0, "host": host, "key": ""}


def joining_node(tmp_path: Path) -> tuple[Node, list[Event]]:
    events: list[Event] = []
    config = Config(nick="amy", bind="127.0.0.2", allowed_nets=("127.0.0.0/8",), data_dir=tmp_path)
    node = Node(config, events.append)
    node._take_identity(Security.open(config))
    node.machine.fire(Trigger.START)
    node.machine.fire(Trigger.FOUND)
    node.host_ip = HOST
    return node, events


def test_a_roster_published_before_our_welcome_does_not_replace_it(tmp_path: Path) -> None:
    node, events = joining_node(tmp_path)
    host, amy = member("h", "hal", HOST, host=True), member(node.node_id, "amy", "127.0.0.2")
    stale = {"k": "roster", "host_id": "h", "term": 0, "epoch": 1.0, "version": 1, "members": [host], "marks": {}}
    node._on_packets(Packets(HOST, (stale,)))  # buffered: not welcomed yet
    node._on_welcome({"k": "welcome", "host_id": "h", "term": 0, "epoch": 1.0, "version": 2,
                      "members": [host, amy], "backlog": [], "marks": {}})
    shown = [sorted(u.nick for u in e.users) for e in events if isinstance(e, Presence)]
    assert shown and all(nicks == ["amy", "hal"] for nicks in shown), shown
    assert [m.nick for m in node.roster] == ["hal", "amy"]


def _member_of(node: Node, *others: dict) -> None:
    host = member("h", "hal", HOST, host=True)
    node._on_welcome({"k": "welcome", "host_id": "h", "term": 0, "epoch": 1.0, "version": 1,
                      "members": [host, *others, member(node.node_id, "amy", "127.0.0.2")],
                      "backlog": [], "marks": {}})


def test_a_silent_host_that_answers_the_probe_is_slow_not_lost(tmp_path: Path) -> None:
    node, events = joining_node(tmp_path)
    _member_of(node, member("b", "bea", "127.0.0.3"))
    node._dispatch(HostLost(HOST, "silent"))
    node._dispatch(Reply(Probe(HOST), {"k": "pong", "t": 1.0}))
    assert not any(e.name == "reconnecting" for e in events)
    assert node.host_ip == HOST and node.state is State.MEMBER


def test_a_silent_host_that_does_not_answer_the_probe_is_replaced(tmp_path: Path) -> None:
    node, events = joining_node(tmp_path)
    _member_of(node, {**member("b", "bea", "127.0.0.3"), "joined": 0.5})  # bea joined first: the successor
    try:
        node._dispatch(HostLost(HOST, "silent"))
        assert not any(e.name == "reconnecting" for e in events)
        node._dispatch(Reply(Probe(HOST), None))
        assert [(e.reason, e.cause, e.host_nick) for e in events if e.name == "reconnecting"] == \
            [(f"host {HOST} silent", Cause.HOST_SILENT, "hal")]
        assert node.state is State.RECOVERING
    finally:
        node._roles.stop_all()


def test_a_handover_says_the_host_left_and_who_it_was(tmp_path: Path) -> None:
    node, events = joining_node(tmp_path)
    _member_of(node, {**member("b", "bea", "127.0.0.3"), "joined": 0.5})
    try:
        node._dispatch(Packets(HOST, ({"k": "handover", "successor": "b", "addr": "127.0.0.3"},)))
        [lost] = [e for e in events if e.name == "reconnecting"]
        assert (lost.cause, lost.host, lost.host_nick) == (Cause.HOST_LEFT, HOST, "hal")
        assert node.state is State.RECOVERING
    finally:
        node._roles.stop_all()


def test_a_welcome_from_a_new_host_names_it(tmp_path: Path) -> None:
    node, events = joining_node(tmp_path)
    _member_of(node)
    node._fire(Trigger.FOUND)
    node._on_welcome({"k": "welcome", "host_id": "b", "term": 1, "epoch": 2.0, "version": 1,
                      "members": [member("b", "bea", HOST, host=True), member(node.node_id, "amy", "127.0.0.2")],
                      "backlog": [], "marks": {}, "gone": ()})
    assert [(e.host, e.nick) for e in events if e.name == "host_changed"] == [(HOST, "bea")]


def test_a_probe_that_fails_while_leaving_does_not_start_a_failover(tmp_path: Path) -> None:
    node, events = joining_node(tmp_path)
    _member_of(node)
    node._dispatch(HostLost(HOST, "silent"))
    node._dispatch(Quit())
    node._dispatch(Reply(Probe(HOST), None))
    assert node.state is State.LEAVING and not any(e.name == "reconnecting" for e in events)


def test_a_host_whose_own_registry_is_slow_keeps_asking_instead_of_failing(tmp_path: Path) -> None:
    """A soak under a load average of 18 closed the window: its own registry missed three 1 s
    replies and the engine called that a fatal internal error."""
    events: list[Event] = []
    config = Config(nick="amy", bind="127.0.0.2", allowed_nets=("127.0.0.0/8",), data_dir=tmp_path)
    node = Node(config, events.append)
    node._take_identity(Security.open(config))
    for trigger in (Trigger.START, Trigger.PROMOTE, Trigger.WELCOMED):
        node.machine.fire(trigger)
    node.host_ip = "127.0.0.2"
    sent = []
    node._register = lambda: sent.append(1)
    for _ in range(6):
        node._dispatch(Reply(Register("127.0.0.2"), None))
    assert node.state is State.HOSTING and len(sent) == 6
    assert not [e for e in events if e.name == "error"], events
