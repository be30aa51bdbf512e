"""Nicks kept for the key that held them: a member that was lost (crashed, frozen, cable pulled)
gets its nick back when it returns, instead of finding a stranger registered under it.

The host remembers, for members it saw with a key, nick -> key after the member was lost (expired),
for as long as the member had been in the room, at least HOLD_MIN and at most HOLD_MAX seconds: a
squatter that grabbed a newcomer's nick a moment before keeps it only briefly after it stops, a
member of long standing keeps it for a minute. A polite `leave` frees the nick at once (it is
never held). The roster that a
successor seeds its registry with carries every member's key, and the lost host's own nick is held
by its successor, so the holds survive a host change; they do not survive the room (a host that
starts a fresh room knows nobody). The key is proven in every room: a registration is signed with
it and the node id is bound to it (core/signing.py), so a copied public key does not pass."""

from __future__ import annotations

from .errors import Code
from .validation import ValidationError

HOLD_MIN = 10.0
HOLD_MAX = 60.0
MAX_HOLDS = 1024


class NickHolds:
    """casefolded nick -> (key, until). Bounded: the entry that ends first leaves first."""

    def __init__(self) -> None:
        self._holds: dict[str, tuple[str, float]] = {}

    def hold(self, nick: str, key: str, now: float, member_for: float) -> None:
        """Keep nick for key; member_for: how long it had been in the room (the hold's length)."""
        if not key:
            return  # nothing a returning member could prove
        if len(self._holds) >= MAX_HOLDS:
            del self._holds[min(self._holds, key=lambda n: self._holds[n][1])]
        self._holds[nick.casefold()] = (key, now + min(max(member_for, HOLD_MIN), HOLD_MAX))

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
        raise ValidationError(Code.NICK_IN_USE, f"nick {nick!r} belongs to a member who was lost; it is kept "
                                                f"for that member's key for another {until - now:.0f} s")
