"""Who hosts: a deterministic order, so every node reaches the same answer without voting."""

from __future__ import annotations

from typing import Any

from .events import Member


def host_rank(desc: dict[str, Any]) -> tuple[int, float, str]:
    """Smaller is better: the higher term (a newer succession) wins, then the older host, then the lower id."""
    return (-desc["term"], desc["epoch"], desc["host_id"])


def beats(other: dict[str, Any], mine: dict[str, Any]) -> bool:
    """True when the host described by `other` should absorb the room described by `mine`."""
    return host_rank(other) < host_rank(mine)


def successors(members: list[Member] | tuple[Member, ...], lost_host: str) -> list[Member]:
    """Takeover order after `lost_host`: members by join time, then node id."""
    return sorted((m for m in members if m.node_id != lost_host and not m.host),
                  key=lambda m: (m.joined, m.node_id))
