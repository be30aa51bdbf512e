"""A refusal that may end (nick_in_use, room_full, address_full, rate_limited) is said once,
never ends the run and never counts as a lost host: the engine registers again later."""

from __future__ import annotations

from pathlib import Path

import pytest

from zp2p_gui.core.errors import Code
from zp2p_gui.core.retry import FIRST_BACKOFF, MAX_BACKOFF, NICK_EVERY, RegisterRetry
from zp2p_gui.engine.states import State
from zp2p_gui.net.messages import Register, Reply

from .test_node_state import HOST, joining_node


@pytest.mark.parametrize("code", ["nick_in_use", "room_full", "address_full", "rate_limited"])
def test_a_refusal_that_may_end_is_said_once_and_tried_again(tmp_path: Path, code: str) -> None:
    node, events = joining_node(tmp_path)
    registers: list[object] = []
    node._register = lambda: registers.append(1)  # type: ignore[method-assign]
    for _ in range(5):
        node._dispatch(Reply(Register(HOST), {"k": "refused", "code": code, "detail": "no"}))
        node._retry.at = 0.0  # due at once
        node._retry_tick(1.0)
    errors = [e for e in events if e.name == "error"]
    assert [(e.code, e.fatal) for e in errors] == [(code, False)]
    assert node.state is State.JOINING and node.host_ip == HOST  # not treated as a lost host
    assert not any(e.name == "reconnecting" for e in events)
    assert len(registers) == 5


def test_a_held_nick_is_asked_for_at_a_steady_pace_a_full_room_backs_off() -> None:
    retry = RegisterRetry()
    assert retry.refused(Code.NICK_IN_USE, 0.0) and retry.at == NICK_EVERY
    assert not retry.refused(Code.NICK_IN_USE, 10.0) and retry.at == 10.0 + NICK_EVERY
    assert retry.refused(Code.ROOM_FULL, 20.0) and retry.at == 20.0 + FIRST_BACKOFF
    waits = []
    for _ in range(8):
        retry.refused(Code.ROOM_FULL, 0.0)
        waits.append(retry.at)
    assert waits[0] == 2 * FIRST_BACKOFF and waits[-1] == MAX_BACKOFF
    assert not retry.due(MAX_BACKOFF - 0.1) and retry.due(MAX_BACKOFF) and not retry.due(MAX_BACKOFF + 1)
    retry.clear()
    assert retry.refused(Code.ROOM_FULL, 0.0)
