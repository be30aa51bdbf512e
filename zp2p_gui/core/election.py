"""Who hosts: a deterministic order, so every node reaches the same answer without voting."""

from __future__ import annotations

from typing import Any

from .codec import LINEAGE
from .events import Member


def host_rank(desc: dict[str, Any], rival: dict[str, Any]) -> tuple[int, float, str]:
    """Smaller is better: a host that followed its rival (the rival's id is in its `after`: it
    took the room over, or joined the room that did, while the rival was frozen or cut off)
    wins; then the older host; then the lower id. No number in it can be raised to win: the
    term is not compared at all, since anyone can beacon any term."""
    return (-int(rival["host_id"] in desc["after"]), desc["epoch"], desc["host_id"])


def beats(other: dict[str, Any], mine: dict[str, Any]) -> bool:
    """True when the host described by `other` should absorb the room described by `mine`.
    Both hosts compute it from the same two descriptions, so they agree on who moves."""
    return host_rank(other, mine) < host_rank(mine, other)


def lineage(host_id: str, host_after: list[str] | tuple[str, ...], followed: tuple[str, ...]) -> tuple[str, ...]:
    """The hosts a node has followed, newest first and bounded, after a welcome from host_id
    (whose beacon said it followed host_after)."""
    merged = dict.fromkeys([host_id, *host_after, *followed])
    return tuple(merged)[:LINEAGE]


def successors(members: list[Member] | tuple[Member, ...], lost_host: str) -> list[Member]:
    """Takeover order after `lost_host`: members by join time, then node id."""
    return sorted((m for m in members if m.node_id != lost_host and not m.host),
                  key=lambda m: (m.joined, m.node_id))
