"""A day of identity churn, compressed: a new member every second says one line and leaves.
The host's bookkeeping and a member's ordering must stay bounded in memory, and the member's
per-tick walks must not grow with everyone ever heard. They once kept every sender (a member's
ordering stream ~360-500 B, the host's mark ~110 B) and the member's ticks walked them all: after a
day, ~1.6 ms of every engine loop. Real classes, no sockets: what is measured is what each node
keeps, which sockets would only slow down."""

from __future__ import annotations

import tracemalloc

from zp2p_gui.core.config import Limits
from zp2p_gui.core.ordering import Delivery
from zp2p_gui.core.retired import RETIRED_MAX
from zp2p_gui.core.room import HostState

HOST, ADDR = "h0", "127.0.0.9"
SENDERS = 2 * RETIRED_MAX + 10_000  # past the retired bound, and well past it
FULL_AT = RETIRED_MAX + 5_000  # by then the host's retired table is full too (it retires a mark once the backlog lets go)
GROWTH_MAX = 1_000_000  # bytes from FULL_AT on; 0 measured (unbounded: 11.8 MB here)


def one_identity(host: HostState, member: Delivery, i: int, now: float) -> None:
    """Joins, says one line, leaves: the host relays it, the member shows it and sees the roster drop it."""
    node_id = f"{i:016x}deadbeef"
    host.register(node_id, f"churn{i}", ADDR, "", now)
    chat = host.accept(node_id, ADDR, 1, "hello", 0.0, now)
    assert [m["seq"] for m in member.offer_run([chat], now)] == [1]
    host.leave(node_id, now)
    host.recent_marks(now, 2.0)  # the host's heartbeat
    member.retire(present={HOST})
    member.gaps_to_fetch(now, 0.2, 0.5)
    member.give_up(now, 6.0)


def test_a_day_of_new_identities_leaves_host_and_member_bounded() -> None:
    host = HostState("lobby", HOST, 1, 1.0, Limits(backlog_bytes=1 << 20), now=0.0)
    host.register(HOST, "host", "127.0.0.1", "", now=0.0)
    member = Delivery()
    tracemalloc.start()
    try:
        for i in range(SENDERS):
            one_identity(host, member, i, now=1.0 + i * 1.01)  # one join a second from the address
            if i == FULL_AT:
                full, _ = tracemalloc.get_traced_memory()
        end, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert end - full < GROWTH_MAX, f"grew {end - full:,} B over {SENDERS - FULL_AT:,} identities"
    assert not member.has_gaps() and len(host.members()) == 1
    assert len(host.marks()) <= 1 + len(host.backlog())
