"""How long a successor waits for the ones ranked before it, after the host is lost.

Successor r used to wait r steps: each one ranked before it had a step to take over. Members that
never take over (fakes kept alive by one machine, frozen or dead nodes the host has not expired
yet) then each added a step: 40 fakes registered ahead of the real members delayed the first
message after a host crash by 40 s. Two rules bound the wait:

- Successors at one address share one step: they are one machine, which takes over within a step
  or not at all (and the host admits only a few members per address, core/addresses.py).
- At most MAX_STEPS steps, however many addresses are ranked before: a successor whose predecessors
  have not taken over by then is skipped. If several members are past that bound they may all
  host; they hear each other's beacons and merge into one room as any two hosts of a room do.
  So the failover time does not grow with the number of dead or silent successors."""

from __future__ import annotations

from collections.abc import Sequence

from .events import Member

MAX_STEPS = 3


def steps_to_wait(order: Sequence[Member], rank: int) -> int:
    """Steps successor `rank` of `order` waits for a predecessor's beacon before it hosts itself."""
    return min(len({m.addr for m in order[:rank]}), MAX_STEPS)
