"""Nicks kept for the key that held them: a member that was lost (crashed, frozen, cable pulled)
gets its nick back when it returns, instead of finding a stranger registered under it.

The host remembers, for members it saw with a non-empty key, nick -> key for HOLD_FOR seconds
after the member was lost (expired). A polite `leave` frees the nick at once. The roster that a
successor seeds its registry with carries every member's key, and the lost host's own nick is held
by its successor, so the holds survive a host change; they do not survive the room (a host that
starts a fresh room knows nobody). How much a held key proves depends on the room: in a
passphrase room it is the key the connection authenticated with; in an open room it is a claim
anyone who read the roster can repeat (docs/security.md)."""

from __future__ import annotations

from .errors import Code
from .validation import ValidationError

HOLD_FOR = 60.0
MAX_HOLDS = 1024


class NickHolds:
    """casefolded nick -> (key, until). Bounded: the entry that ends first leaves first."""

    def __init__(self) -> None:
        self._holds: dict[str, tuple[str, float]] = {}

    def hold(self, nick: str, key: str, now: float) -> None:
        if not key:
            return  # nothing a returning member could prove
        if len(self._holds) >= MAX_HOLDS:
            del self._holds[min(self._holds, key=lambda n: self._holds[n][1])]
        self._holds[nick.casefold()] = (key, now + HOLD_FOR)

    def release(self, nick: str) -> None:
        self._holds.pop(nick.casefold(), None)

    def check(self, nick: str, key: str, now: float) -> None:
        """Refuse nick to anyone but the key holding it (the holder's registration then releases it)."""
        held = self._holds.get(nick.casefold())
        if held is None:
            return
        holder, until = held
        if now >= until:
            del self._holds[nick.casefold()]
            return
        if key == holder:
            return
        raise ValidationError(Code.NICK_IN_USE,
                              f"nick {nick!r} belongs to a member who was lost {HOLD_FOR - (until - now):.0f} s ago; "
                              f"it is kept for that member's key for {HOLD_FOR:.0f} s")
