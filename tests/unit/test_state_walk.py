"""Random walks through the engine's inputs, without sockets: whatever order beacons, replies,
packets, losses, ticks and a quit arrive in, the engine only takes transitions in its table
(an IllegalTransition would end a real run with an internal error)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from zp2p_gui.core.config import Config
from zp2p_gui.engine.states import State, Trigger
from zp2p_gui.identity import Security
from zp2p_gui.net import messages as m
from zp2p_gui.net.actor import Actor
from zp2p_gui.node import Node

ME, HOSTS = "127.0.0.2", ("127.0.0.3", "127.0.0.4")


class FakeRoles:
    """Roles that never run: commands are recorded, actors are 'ready' at once."""

    def __init__(self) -> None:
        self.told: list[tuple[str, Any]] = []

    def start(self, actor: Actor) -> Actor:
        actor.ready.set()
        return actor

    def stop(self, name: str) -> None:
        pass

    def stop_all(self) -> None:
        pass

    def tell(self, name: str, command: Any) -> None:
        self.told.append((name, command))


class FakeSender:
    """The engine's sender (net/sender.py) without a socket: the frames it sent, in order."""

    def __init__(self, sent: list[Any] | None = None) -> None:
        self.sent: list[Any] = [] if sent is None else sent
        self.host: str | None = None

    def connect(self, host: str, own: bool = False) -> None:
        self.host = host

    def send(self, frame: bytes) -> None:
        self.sent.append(frame)

    def beat(self, now: float) -> None:
        """No heartbeat to send."""

    def next_beat(self) -> float | None:
        return None

    def close(self) -> None:
        self.host = None


def member(node_id: str, nick: str, addr: str, host: bool = False, joined: float = 1.0) -> dict[str, Any]:
    return {"node_id": node_id, "nick": nick, "addr": addr, "joined": joined, "host": host, "key": ""}


def inputs(node: Node, rnd: random.Random) -> Any:
    """One plausible input for the node's current situation, or a stale one."""
    host = rnd.choice([node.host_ip or HOSTS[0], *HOSTS, ME])
    host_id = "self" if host == ME else f"h{host[-1]}"
    members = [member(host_id, f"n{host[-1]}", host, host=True), member(node.node_id, "amy", ME, joined=2.0),
               member("b", "bea", HOSTS[1], joined=rnd.choice([0.5, 3.0]))]
    if host == ME:
        members[0] = member(node.node_id, "amy", ME, host=True)
        del members[1]
    room = {"host_id": node.node_id if host == ME else host_id, "term": rnd.randint(0, 3), "epoch": 1.0,
            "version": rnd.randint(0, 5), "members": members, "marks": {}, "gone": ()}
    choices = [
        lambda: m.BeaconHeard(host, {"room": "lobby", "room_id": "lobby", "host_id": host_id, "nick": "x",
                                     "epoch": rnd.choice([0.5, 5e9]), "term": rnd.randint(0, 3), "secure": False,
                                     "members": 2, "after": rnd.choice([(), (node.node_id,)])}),
        lambda: m.Reply(m.Register(host), rnd.choice([None, {"k": "welcome", "backlog": [], **room},
                                                      {"k": "refused", "code": "node_in_use", "detail": ""}])),
        lambda: m.Reply(m.Probe(host), rnd.choice([None, {"k": "pong", "t": 1.0}])),
        lambda: m.Reply(node._merge or m.MergeCheck(host, host_id, 0),  # our check, or a stale one
                        rnd.choice([None, {"k": "welcome", "backlog": [], **room}])),
        lambda: m.Reply(m.Ping(host, 0.0), rnd.choice([None, {"k": "pong", "t": 1.0}])),
        lambda: m.HostLost(host, rnd.choice(["silent", "disconnected"])),
        lambda: m.Packets(host, ({"k": "roster", **room},)),
        lambda: m.Packets(host, ({"k": "handover", "successor": rnd.choice([node.node_id, "b"]), "addr": HOSTS[1]},)),
        lambda: m.Packets(host, ({"k": "redirect", "addr": rnd.choice(HOSTS)},)),
        lambda: m.Say("hi"),
        lambda: m.Says(("hi", "there")),
        lambda: "tick",
        lambda: "deadline",
    ]
    return rnd.choice(choices)()


def walk(seed: int, data_dir: Path, steps: int = 400) -> set[State]:
    """Feed one seeded random walk of inputs to a node; the states it passed through."""
    config = Config(nick="amy", bind=ME, room="lobby", allowed_nets=("127.0.0.0/8",), data_dir=data_dir,
                    scan=("127.0.0.0/29",))
    node = Node(config, lambda event: None)
    node._roles = FakeRoles()  # type: ignore[assignment]
    node._take_identity(Security.open(config))
    node.addr, node._targets = ME, list(HOSTS)
    node._fire(Trigger.START)
    rnd = random.Random(seed)
    seen = {node.state}
    for step in range(steps):
        item = m.Quit() if step > steps // 4 and rnd.random() < 0.01 else inputs(node, rnd)
        if item == "tick":
            node._tick(node._next_tick + 10.0)
        elif item == "deadline":
            node._deadline = node._quit_deadline = 0.0
            node._tick(1e9)
        else:
            node._dispatch(item)
        seen.add(node.state)
        if node.state is State.LEFT:
            break
    return seen


@pytest.mark.parametrize("seed", range(40))
def test_any_order_of_inputs_stays_in_the_table(tmp_path: Path, seed: int) -> None:
    walk(seed, tmp_path)  # an IllegalTransition fails the test with the pair


def test_the_walks_reach_every_state(tmp_path: Path) -> None:
    """Guards the walk itself: inputs that never reached a state would prove nothing about it."""
    reached: set[State] = set()
    for seed in range(40):
        reached |= walk(seed, tmp_path)
    assert reached == set(State) - {State.IDLE}, set(State) - reached
