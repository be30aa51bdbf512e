"""Registering again after a refusal that may end: a nick held by a member that will be lost (or
by a fake that stops), a full room, an address with its share of members, a registry that asks us
to slow down. Such a refusal is an answer, so the host is alive: none of them counts towards
"host lost", and none ends the run (a fake member must not be able to make a real one exit)."""

from __future__ import annotations

from .errors import Code

RETRIED = frozenset({Code.NICK_IN_USE, Code.ROOM_FULL, Code.ADDRESS_FULL, Code.RATE_LIMITED})
NICK_EVERY = 2.0  # a held nick comes free when its holder expires or its hold ends: ask at this pace
FIRST_BACKOFF = 1.0  # a full room or address: 1, 2, 4 ... seconds
MAX_BACKOFF = 16.0


class RegisterRetry:
    """When to send the next `register` after such a refusal, and whether the refusal is news."""

    def __init__(self) -> None:
        self.code: Code | None = None
        self.at: float | None = None
        self._backoff = FIRST_BACKOFF

    def refused(self, code: Code, now: float) -> bool:
        """Schedule the next try; True when this code was not the last refusal (say it once)."""
        news = code is not self.code
        if news:
            self.code, self._backoff = code, FIRST_BACKOFF
        else:
            self._backoff = min(self._backoff * 2, MAX_BACKOFF)
        self.at = now + (NICK_EVERY if code is Code.NICK_IN_USE else self._backoff)
        return news

    def due(self, now: float) -> bool:
        """True once when the scheduled try is due."""
        if self.at is None or now < self.at:
            return False
        self.at = None
        return True

    def clear(self) -> None:
        """Welcomed, or following another host: the next refusal is news again."""
        self.code, self.at, self._backoff = None, None, FIRST_BACKOFF
