"""Roster deltas: what changed in the member list between two roster versions.

A full roster on every change costs O(N) bytes per change for each of N receivers, so a join
storm of N costs O(N^2) (a room of 500 read 8 GB of rosters in 20 s of churn). The host therefore
publishes, on a change, a `roster_delta` naming only the members added or changed (their current
entries) and removed since version `since`; a full roster still goes out every FULL_ROSTER_EVERY
heartbeats, and mends any member that missed a delta. No sockets here.
"""

from __future__ import annotations

from collections import deque
from typing import Any, Iterable

from .events import Member

DELTA_MAX = 64  # members one delta names at most; a larger change goes out as a full roster
CHANGES_KEPT = 256  # roster versions whose changed ids the host remembers


def roster_order(m: Member) -> tuple[bool, float, str]:
    """The order of every member list: the host first, then by `joined` and node id."""
    return (not m.host, m.joined, m.node_id)


class ChangeLog:
    """The node ids each roster version changed, for the last CHANGES_KEPT versions."""

    def __init__(self) -> None:
        self._log: deque[tuple[int, frozenset[str]]] = deque(maxlen=CHANGES_KEPT)

    def note(self, version: int, ids: Iterable[str]) -> None:
        self._log.append((version, frozenset(ids)))

    def since(self, version: int, current: int) -> set[str] | None:
        """Every id changed after `version` up to `current`; None when the log no longer covers
        that span (or never did: a host's first versions, or a version from another host)."""
        if not 0 <= version < current or not self._log or self._log[0][0] > version + 1:
            return None
        out: set[str] = set()
        for v, ids in self._log:
            if v > version:
                out |= ids
        return out


def delta_applies(msg: dict[str, Any], held: int) -> bool:
    """A delta is for us when it covers every change after the version we hold: `since` at or
    below it (a change named twice is named with its newest state), `version` above it."""
    return msg["since"] <= held < msg["version"]


def apply_delta(roster: tuple[Member, ...], changed: Iterable[Member], removed: Iterable[str]) -> tuple[Member, ...]:
    """The member list after a delta; an id it removes that we do not hold changes nothing."""
    members = {m.node_id: m for m in roster}
    for node_id in removed:
        members.pop(node_id, None)
    for m in changed:
        members[m.node_id] = m
    return tuple(sorted(members.values(), key=roster_order))
