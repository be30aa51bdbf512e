"""The headless node opens discovery before its engine loads (engine/opening.py): what it plans,
and that a beacon heard meanwhile, waiting in the inbox the engine takes over, is acted on once
the engine has read its identity. Without sockets: the discovery role is never run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import zmq

from zp2p_gui.core.config import Config
from zp2p_gui.core.errors import Code
from zp2p_gui.engine.inbox import Inbox
from zp2p_gui.engine.opening import Opened, Plan, plan_search
from zp2p_gui.engine.states import State
from zp2p_gui.identity import Security
from zp2p_gui.net import messages as m
from zp2p_gui.net.discovery import Discovery
from zp2p_gui.node import Node

from .test_state_walk import FakeRoles

ME, HOST = "127.0.0.2", "127.0.0.3"


def config_for(tmp_path: Path) -> Config:
    return Config(nick="amy", bind=ME, room="lobby", allowed_nets=("127.0.0.0/8",), data_dir=tmp_path,
                  scan=("127.0.0.0/29",))


class AdoptingRoles(FakeRoles):
    """FakeRoles that also record what the engine adopted."""

    def __init__(self) -> None:
        super().__init__()
        self.adopted: list[Any] = []

    def adopt(self, actor: Any, worker: Any) -> None:
        self.adopted.append((actor, worker))


def test_the_plan_scans_the_range_but_not_our_own_address(tmp_path: Path) -> None:
    plan = plan_search(config_for(tmp_path))
    assert isinstance(plan, Plan)
    assert plan.addr == ME and plan.ranges == ("127.0.0.0/29",)
    assert ME not in plan.targets and HOST in plan.targets


def test_a_range_outside_the_allowed_nets_is_the_error_that_ends_the_start(tmp_path: Path) -> None:
    plan = plan_search(Config(nick="amy", bind=ME, allowed_nets=("127.0.0.0/8",), scan=("10.9.8.0/29",)))
    assert isinstance(plan, tuple) and plan[0] is Code.NOT_ALLOWED


def test_a_beacon_heard_while_the_engine_loads_is_not_lost(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = config_for(tmp_path)
    plan = plan_search(config)
    assert isinstance(plan, Plan)
    inbox, ctx = Inbox(), zmq.Context.instance()
    discovery = Discovery(ctx, inbox.put, plan.targets, config.port, config.limits)
    inbox.put(m.BeaconHeard(HOST, {"room": "lobby", "room_id": "lobby", "host_id": "h", "nick": "hal", "epoch": 1.0,
                                   "term": 0, "secure": False, "members": 1, "after": []}))  # before the engine exists
    node = Node(config, lambda event: None, opened=Opened(plan, ctx, inbox, discovery, object(), 1e18))
    roles = AdoptingRoles()
    node._roles = roles  # type: ignore[assignment]
    monkeypatch.setattr(node, "_set_up", lambda: node._take_identity(Security.open(config)))  # no member sockets
    node._begin()
    assert roles.adopted == [(discovery, roles.adopted[0][1])] and node._deadline == 1e18
    assert node.state is State.SEARCHING
    node._dispatch(node._inbox.get_nowait())
    assert node.state is State.JOINING and node.host_ip == HOST
    assert any(name == "registration" and isinstance(c, m.Connect) for name, c in roles.told)
