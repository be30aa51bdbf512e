"""What this node said that the relay has not yet echoed back. Kept until confirmed, so a
host change or a dropped frame never loses a message; sent through a window so a fast
typist or a flood cannot bury the host."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass


@dataclass
class _Pending:
    frame: bytes
    sent_at: float


class Outbox:
    def __init__(self, window: int, resend_after: float, limit: int) -> None:
        self.window = window
        self.resend_after = resend_after
        self.limit = limit
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

    def confirm(self, seq: int) -> None:
        self._items.pop(seq, None)

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
