"""A host hears its own relay in process (net/host.py), not through its receiver: with real
processes on a private loopback /24, everything its relay publishes is shown at the host once
and in order, a member's burst and the host's own messages alike."""

from __future__ import annotations

from ..harness import Room


def test_the_host_shows_a_members_burst_and_its_own_messages_once_in_order(room: Room) -> None:
    alice, bob = room.host_and_member()

    burst = [f"b{i}" for i in range(150)]
    assert bob.proc.stdin is not None
    bob.proc.stdin.write("".join(text + "\n" for text in burst))  # at once: relayed in batches
    bob.proc.stdin.flush()
    own = [f"a{i}" for i in range(20)]
    for text in own:
        alice.say(text)
    alice.say("end")
    for text in (burst[-1], "end"):
        alice.wait_event("message", text=text)

    shown = alice.texts()
    assert [t for t in shown if t.startswith("b")] == burst
    assert [t for t in shown if t.startswith("a")] == own
    assert shown.count("end") == 1
    bob.wait_event("message", text="end")
    assert [t for t in bob.texts() if t.startswith("a")] == own
