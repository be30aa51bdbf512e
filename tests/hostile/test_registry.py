"""Issue 13 item 3: a DEALER that sent 200 `register` requests for one node id and never read
made the host queue 200 welcomes carrying the whole backlog (~2.8 MB each): +392 MB."""

from __future__ import annotations

from ..harness import Room
from .support import MAX_GROWTH_MB, attack, room_still_works, rss_mb, settled_rss

BIG = 14_000  # characters per chat: a full backlog of these is what made each welcome ~2.8 MB


def test_registrations_never_read_do_not_pile_up(room: Room) -> None:
    host = room.start("host", 2)
    host.wait_event("hosting")
    for i in range(200):
        host.say(f"{i:03d} " + "x" * BIG)
    host.wait_for(lambda e: e["event"] == "message" and e["text"].startswith("199 "), timeout=30)
    before = rss_mb(host)
    attack(room, "registrations", room.port + 1, 200)
    grown = settled_rss(host) - before
    print(f"\n200 registrations never read, backlog 200 x {BIG} B: host RSS +{grown:.1f} MB")
    assert grown < MAX_GROWTH_MB
    late = room_still_works(room, host, 5, "after the registrations")
    history = [e for e in late.messages() if e.get("history")]
    assert history and history[-1]["text"].startswith("199 "), "the welcome keeps the newest messages"
    assert len(history) < 200, "the welcome's backlog is capped in bytes"
