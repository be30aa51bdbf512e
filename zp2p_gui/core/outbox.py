"""What this node said that the relay has not yet echoed back. Kept until confirmed, so a
host change or a dropped frame never loses a message; sent through a window so a fast
typist or a flood cannot bury the host; and gated, so a front end that pipes in more than the
outbox holds waits for room instead of having the rest refused."""

from __future__ import annotations

import threading
from collections import OrderedDict

from .records import record


class SendGate:
    """Backpressure between front ends (any thread) and the engine: counts messages handed over
    and not yet confirmed. Once `limit` are outstanding it closes, and opens again only when they
    drain to `low`, so a waiting front end wakes once per batch rather than once per message."""

    def __init__(self, limit: int, low: int) -> None:
        self.limit = limit
        self.low = low
        self._outstanding = 0
        self._closed = False
        self._cond = threading.Condition()

    def take(self) -> None:
        """A front end hands one message over."""
        with self._cond:
            self._outstanding += 1
            if self._outstanding >= self.limit:
                self._closed = True

    def done(self) -> None:
        """One message left the engine's hands: confirmed by the relay, or refused."""
        with self._cond:
            self._outstanding = max(0, self._outstanding - 1)
            if self._closed and self._outstanding <= self.low:
                self._closed = False
                self._cond.notify_all()

    def wait(self, timeout: float | None) -> bool:
        """True when there is room for more; False if the gate stayed closed for timeout seconds."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._closed, timeout)


@record
class _Pending:
    frame: bytes
    sent_at: float


class Outbox:
    def __init__(self, window: int, resend_after: float, limit: int, gate: SendGate | None = None) -> None:
        """gate: the front ends' SendGate when it must exist before the outbox (the engine's)."""
        self.window = window
        self.resend_after = resend_after
        self.limit = limit
        self.gate = gate or SendGate(limit, limit // 2)
        self._items: OrderedDict[int, _Pending] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def full(self) -> bool:
        return len(self._items) >= self.limit

    def add(self, seq: int, frame: bytes, now: float) -> bytes | None:
        """Keep a new message; return its frame when it may go at once (it fits in the window)."""
        in_window = len(self._items) < self.window
        self._items[seq] = _Pending(frame, now if in_window else -1e9)
        return frame if in_window else None

    def restore(self, items: list[tuple[int, bytes]]) -> int:
        """Take back messages an earlier host confirmed but the present one never relayed (a
        merge): they wait with the unconfirmed ones in seq order, so the host keeps each sender's
        stream in order, within the limit (oldest first). How many came back."""
        fresh = [(seq, frame) for seq, frame in items if seq not in self._items]
        fresh = fresh[: max(0, self.limit - len(self._items))]
        for seq, frame in fresh:
            self._items[seq] = _Pending(frame, -1e9)
            self.gate.take()
        if fresh:
            self._items = OrderedDict(sorted(self._items.items()))
        return len(fresh)

    def confirm(self, seq: int) -> None:
        if self._items.pop(seq, None) is not None:
            self.gate.done()

    def due(self, now: float, everything: bool = False) -> list[bytes]:
        """Frames to (re)send now: the oldest `window` ones not sent for resend_after, or all of
        them after a host change. O(window), so call it on a timer, not per message."""
        out = []
        for i, item in enumerate(self._items.values()):
            if i >= self.window:
                break
            if everything or now - item.sent_at >= self.resend_after:
                item.sent_at = now
                out.append(item.frame)
        return out
