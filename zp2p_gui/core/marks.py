"""The host's last relayed seq per sender: what tells a resend from a new message, and what
joiners and heartbeats are told so that a lost message shows as a gap. A sender who left, and
whose messages left the backlog, matters again only if it returns under the same node id; it is
kept retired (core/retired.py), so a host open all day under identity churn stays bounded."""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Container, Iterable

from .retired import Retired


class Marks:
    """Owned by HostState, under its lock."""

    def __init__(self, marks: dict[str, int]) -> None:
        self._last = dict(marks)
        self._moved_at: dict[str, float] = {}
        self._held: Counter[str] = Counter()  # messages of each sender in the backlog: no walk of it to tell marks
        self._retired = Retired()

    def of(self, sender: str) -> int:
        return self._last.get(sender, 0)

    def _of_each(self, senders: Iterable[str]) -> dict[str, int]:
        return {sender: last for sender in senders if (last := self._last.get(sender))}

    def move(self, sender: str, last: int, now: float) -> None:
        self._last[sender], self._moved_at[sender] = last, now

    def told(self, members: Iterable[str], bound: int) -> dict[str, int]:
        """Every member's mark, then those of senders the backlog still holds, `bound` in all."""
        live = self._of_each(members)
        held = (k for k in self._held if k not in live and k in self._last)
        return {**live, **self._of_each(itertools.islice(held, max(0, bound - len(live))))}

    def recent(self, now: float, within: float) -> dict[str, int]:
        """Marks that moved within the last `within` seconds: enough for a heartbeat to reveal a
        lost last message."""
        self._moved_at = {k: t for k, t in self._moved_at.items() if now - t <= within}
        return self._of_each(self._moved_at)

    def hold(self, senders: Iterable[str]) -> None:
        """The backlog took a message of each of `senders`."""
        self._held.update(senders)

    def let_go(self, sender: str, member: bool) -> None:
        """The backlog let one of sender's messages go; its last one gone, a sender no longer a
        member keeps only a retired mark."""
        self._held[sender] -= 1
        if not self._held[sender]:
            del self._held[sender]
            if not member:
                self._retire(sender)

    def left(self, sender: str) -> None:
        """sender is no longer a member: retired unless the backlog holds some of its messages."""
        if sender not in self._held:
            self._retire(sender)

    def retire_except(self, members: Container[str]) -> None:
        """Retire the marks of senders neither members nor held (a host taking over)."""
        for sender in [s for s in self._last if s not in members and s not in self._held]:
            self._retire(sender)

    def _retire(self, sender: str) -> None:
        last = self._last.pop(sender, None)
        if last is not None:
            self._retired.keep(sender, last)

    def revive(self, sender: str) -> None:
        """A sender registering again resumes its mark: its resends are not kept twice."""
        last = self._retired.take(sender)
        if last is not None:
            self._last[sender] = last
