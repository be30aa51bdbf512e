"""Hostile or broken peers are counted and logged once each, never once per frame."""

from __future__ import annotations

from ..core.lazylog import Log


class MalformedCounter:
    MAX_PEERS = 1024

    def __init__(self, log: Log, where: str) -> None:
        self.log = log
        self.where = where
        self.total = 0
        self._peers: set[str] = set()

    def count(self, peer: str, reason: object) -> None:
        self.total += 1
        if peer not in self._peers and len(self._peers) < self.MAX_PEERS:
            self._peers.add(peer)
            self.log.warning("%s: dropping malformed input from %s (%s); further drops from it are counted silently",
                             self.where, peer or "?", reason)
