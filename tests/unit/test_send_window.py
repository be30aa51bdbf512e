"""A sender's window at the engine's level, without sockets: what a full window held back goes
out as soon as the relay's echo frees room, not at the engine's next tick."""

from __future__ import annotations

import time
from pathlib import Path

from zp2p_gui.core.codec import decode
from zp2p_gui.engine.states import Trigger
from zp2p_gui.net import messages as m

from .test_merge_rules import ME, OTHER, make_node, welcome


def test_an_echo_that_frees_the_window_sends_the_held_message_at_once(tmp_path: Path) -> None:
    node, _ = make_node(tmp_path)
    node._fire(Trigger.FOUND)
    node.host_ip = OTHER
    node._dispatch(m.Reply(m.Register(OTHER), welcome("hal", OTHER, node)))
    node._chat.outbox.window = 2
    now = time.monotonic()  # the engine's clock: frame 2, just sent, is not due again
    frames = [node._chat.say(f"m{i}", now, connected=True) for i in range(1, 4)]
    assert frames[2] is None and node._chat.outbox.held()
    node._sender.sent.clear()  # type: ignore[attr-defined]
    say = decode(frames[0])
    echo = {"k": "chat", "sender": node.node_id, "nick": "amy", "addr": ME, "seq": 1, "text": say["text"],
            "ts": 1.0, "key": node._chat.sealer.key, "sig": say["sig"]}
    node._dispatch(m.Packets(OTHER, (echo,)))
    assert [decode(f)["seq"] for f in node._sender.sent] == [3]  # type: ignore[attr-defined]
    assert not node._chat.outbox.held()
