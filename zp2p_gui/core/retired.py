"""Where each sender who left the room stopped: its last seq, kept compactly (~200 B instead of
the ~500 B a live ordering stream costs), so that a node left open all day under identity churn
(a new member saying one line every second) stays bounded, while a sender who comes back, or a
host replaying its messages, still meets its exact position: no duplicate, no false gap.

Past RETIRED_MAX the oldest are forgotten. By then RETIRED_MAX other senders have spoken and left
since, so the forgotten one's messages are far older than any page a host hands out (at most 1,000
messages); what remains is a sender that returns after all that under the same run's node id, which
is told as a gap ("could not be recovered") instead of being resumed."""

from __future__ import annotations

from collections import OrderedDict

RETIRED_MAX = 20_000  # ~4 MB at most; five and a half hours of a new identity every second


class Retired:
    """sender -> last seq, oldest retirement first; a sender taken back leaves it."""

    def __init__(self, bound: int = RETIRED_MAX) -> None:
        self._bound = bound
        self._last: OrderedDict[str, int] = OrderedDict()

    def __len__(self) -> int:
        return len(self._last)

    def __contains__(self, sender: str) -> bool:
        return sender in self._last

    def get(self, sender: str) -> int | None:
        return self._last.get(sender)

    def keep(self, sender: str, last: int) -> None:
        self._last[sender] = last
        self._last.move_to_end(sender)
        if len(self._last) > self._bound:
            self._last.popitem(last=False)

    def take(self, sender: str) -> int | None:
        """The sender's last seq, if it was kept; it is no longer retired."""
        return self._last.pop(sender, None)

    def items(self) -> list[tuple[str, int]]:
        return list(self._last.items())
