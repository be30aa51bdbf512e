"""Issue 13 items 2, 7 and 9 at the engine's level, without sockets: a beacon that outranks our
host moves nothing until its host welcomes us; a member whose redirect is not welcomed goes back;
own messages a new host never relayed go out again, in order; a newcomer that a slow host did
not register searches again instead of hosting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from zp2p_gui.core.codec import decode
from zp2p_gui.core.config import Config
from zp2p_gui.core.outbox import Outbox
from zp2p_gui.engine.states import State, Trigger
from zp2p_gui.identity import Security
from zp2p_gui.net import messages as m
from zp2p_gui.node import Node

from .test_state_walk import FakeRoles, FakeSender, member

ME, OTHER, THIRD = "127.0.0.2", "127.0.0.3", "127.0.0.4"


def make_node(tmp_path: Path) -> tuple[Node, FakeRoles]:
    config = Config(nick="amy", bind=ME, room="lobby", allowed_nets=("127.0.0.0/8",), data_dir=tmp_path,
                    scan=("127.0.0.0/29",))
    node = Node(config, lambda event: None)
    roles = FakeRoles()
    node._roles = roles  # type: ignore[assignment]
    node._sender = FakeSender()  # type: ignore[assignment]
    node._take_identity(Security.open(config))
    node.addr, node._targets = ME, [OTHER, THIRD]
    node._fire(Trigger.START)
    return node, roles


def welcome(host_id: str, host_addr: str, node: Node, **extra: Any) -> dict[str, Any]:
    members = [member(host_id, "hal", host_addr, host=True)]
    if host_id != node.node_id:
        members.append({**member(node.node_id, "amy", ME, joined=2.0), "key": node._chat.sealer.key})
    return {"k": "welcome", "host_id": host_id, "term": 0, "epoch": 1.0, "version": 1, "members": members,
            "backlog": [], "marks": {}, "gone": (), **extra}


def hosting(tmp_path: Path) -> tuple[Node, FakeRoles]:
    node, roles = make_node(tmp_path)
    node._become_host(0)
    node._dispatch(m.Reply(m.Register(ME), welcome(node.node_id, ME, node)))
    assert node.state is State.HOSTING
    return node, roles


def claim(node: Node, host_id: str = "rival") -> m.BeaconHeard:
    """A beacon that outranks our host on every count."""
    return m.BeaconHeard(OTHER, {"room": "lobby", "room_id": "lobby", "host_id": host_id, "nick": "x", "epoch": 0.0,
                                 "term": 2**53, "secure": False, "members": 9, "after": [node.node_id]})


def told(roles: FakeRoles, kind: type) -> list[Any]:
    return [command for _, command in roles.told if isinstance(command, kind)]


def test_an_outranking_beacon_moves_nothing_until_its_host_welcomes_us(tmp_path: Path) -> None:
    node, roles = hosting(tmp_path)
    node._dispatch(claim(node))
    assert node.state is State.HOSTING and not told(roles, m.Redirect)
    [check] = [c.purpose for c in told(roles, m.Request) if isinstance(c.purpose, m.MergeCheck)]
    node._dispatch(m.Reply(check, welcome("rival", OTHER, node)))
    assert node.state is State.RETIRING and [r.addr for r in told(roles, m.Redirect)] == [OTHER]


def test_no_answer_or_a_welcome_from_someone_else_keeps_the_room_and_is_not_retried_per_beacon(tmp_path: Path) -> None:
    node, roles = hosting(tmp_path)
    node._dispatch(claim(node))
    [check] = [c.purpose for c in told(roles, m.Request) if isinstance(c.purpose, m.MergeCheck)]
    node._dispatch(m.Reply(check, welcome("not-the-beacons-host", OTHER, node)))
    node._dispatch(claim(node))  # heard again at once: not asked again
    node._dispatch(m.Reply(check, None))  # a stale answer changes nothing
    assert node.state is State.HOSTING and not told(roles, m.Redirect)
    assert len([c for c in told(roles, m.Request) if isinstance(c.purpose, m.MergeCheck)]) == 1


def test_a_member_whose_redirect_is_not_welcomed_goes_back_to_its_host(tmp_path: Path) -> None:
    node, roles = make_node(tmp_path)
    node._fire(Trigger.FOUND)
    node.host_ip = OTHER
    node._dispatch(m.Reply(m.Register(OTHER), welcome("hal", OTHER, node)))
    node._dispatch(m.Packets(OTHER, ({"k": "redirect", "addr": THIRD},)))
    assert node.host_ip == THIRD
    for _ in range(3):
        node._dispatch(m.Reply(m.Register(THIRD), None))
    assert node.host_ip == OTHER and node.state is State.JOINING


def test_a_newcomer_a_slow_host_does_not_register_searches_again_instead_of_hosting(tmp_path: Path) -> None:
    node, roles = make_node(tmp_path)
    node._dispatch(m.BeaconHeard(OTHER, claim(node, "busy").desc))
    assert node.state is State.JOINING
    for _ in range(3):
        node._dispatch(m.Reply(m.Register(OTHER), None))
    assert node.state is State.RECOVERING and not node.hosting
    node._dispatch(m.BeaconHeard(OTHER, claim(node, "busy").desc))  # still beaconing: join it again
    assert node.state is State.JOINING and node.host_ip == OTHER


def test_own_messages_a_new_host_never_relayed_go_out_again_in_seq_order(tmp_path: Path) -> None:
    node, roles = make_node(tmp_path)
    node._fire(Trigger.FOUND)
    node.host_ip = OTHER
    node._dispatch(m.Reply(m.Register(OTHER), welcome("hal", OTHER, node)))
    frames = [node._chat.say(f"m{i}", 0.0, connected=True) for i in range(1, 6)]
    echoes = []
    for frame in frames[:4]:  # four confirmed by this host; the fifth still unconfirmed
        say = decode(frame)
        echoes.append({"k": "chat", "sender": node.node_id, "nick": "amy", "addr": ME, "seq": say["seq"],
                       "text": say["text"], "ts": 1.0, "key": node._chat.sealer.key, "sig": say["sig"]})
    node._dispatch(m.Packets(OTHER, tuple(echoes)))
    assert len(node._chat.outbox) == 1
    node._fire(Trigger.FOUND)  # a merge: the winner relayed our messages up to seq 2
    node.host_ip = THIRD
    node._sender.sent.clear()  # type: ignore[union-attr]
    node._dispatch(m.Reply(m.Register(THIRD), welcome("win", THIRD, node, marks={node.node_id: 2})))
    sent = [decode(frame)["seq"] for frame in node._sender.sent]  # type: ignore[union-attr]
    assert sent == [3, 4, 5]


def test_outbox_restore_keeps_seq_order_and_the_limit() -> None:
    box = Outbox(window=10, resend_after=1.0, limit=4)
    box.add(7, b"seven", 0.0)
    assert box.restore([(3, b"three", 3), (7, b"again", 7), (4, b"four", 4), (5, b"five", 5), (6, b"six", 6)]) == 3
    assert box.due(10.0, everything=True) == [b"three", b"four", b"five", b"seven"]


def test_a_member_whose_host_still_publishes_is_not_failed_over_by_unanswered_registrations(tmp_path: Path) -> None:
    node, roles = make_node(tmp_path)
    node._fire(Trigger.FOUND)
    node.host_ip = OTHER
    node._dispatch(m.Reply(m.Register(OTHER), welcome("hal", OTHER, node)))
    beat = {"k": "beat", "host_id": "hal", "term": 0, "epoch": 1.0, "version": 1, "marks": {}}
    node._dispatch(m.Packets(OTHER, (beat,)))
    for _ in range(3):
        node._dispatch(m.Reply(m.Register(OTHER), None))
    assert node.state is State.MEMBER and node.host_ip == OTHER
