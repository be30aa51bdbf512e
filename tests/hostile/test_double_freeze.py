"""Issue 13 item 7: two freezes in a row lost messages for good. The host froze, its successor
froze just as it took over, the third member became host and the room talked on; when both
resumed, the stale successor won the merge and two members never saw 105 messages. Whichever
host keeps the room now, every member must end up with every message exactly once."""

from __future__ import annotations

import signal

from ..harness import HeadlessNode, Room
from ..integration.test_failover import _assert_exactly_once_in_order, _send_paced, _wait_one_host

PER_SENDER = 35  # three senders: 105 messages while the first two hosts are frozen
NICKS = ("host", "succ", "m3", "m4", "m5")


def _room_of_five(room: Room) -> list[HeadlessNode]:
    """Started one after the other, so the succession order is the order of NICKS."""
    nodes = [room.start(NICKS[0], 2)]
    nodes[0].wait_event("hosting", timeout=15)
    for i, nick in enumerate(NICKS[1:], start=3):
        nodes.append(room.start(nick, i))
        nodes[-1].wait_event("joined", timeout=15)
    for node in nodes:
        node.wait_users(list(NICKS), timeout=15)
    return nodes


def test_host_and_successor_frozen_in_turn_every_member_gets_every_message_once(room: Room) -> None:
    nodes = _room_of_five(room)
    host, succ, talkers = nodes[0], nodes[1], nodes[2:]
    host.kill(signal.SIGSTOP)
    try:
        succ.wait_event("hosting", timeout=15)
        succ.kill(signal.SIGSTOP)  # frozen just as it took over
        _wait_one_host(talkers, timeout=30)
        senders = [_send_paced(node, node.nick, PER_SENDER, 20.0) for node in talkers]
        for thread in senders:
            thread.join(30)
        for node in talkers:
            for other in talkers:
                _assert_exactly_once_in_order(node, other.nick, PER_SENDER, timeout=30)
    finally:
        host.kill(signal.SIGCONT)
        succ.kill(signal.SIGCONT)
    _wait_one_host(nodes, timeout=40)
    for node in nodes:
        for sender in talkers:
            _assert_exactly_once_in_order(node, sender.nick, PER_SENDER, timeout=40)
