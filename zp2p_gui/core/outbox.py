"""What this node said that the relay has not yet echoed back. Kept until confirmed, so a
host change or a dropped frame never loses a message; sent through a window so a fast
typist or a flood cannot bury the host; and gated, so a front end that pipes in more than the
outbox holds waits for room instead of having the rest refused."""

from __future__ import annotations

import threading
from collections import OrderedDict

from .records import record

UNSENT = -1e9  # the sent_at of a frame kept but not sent yet: due at once


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
        """A front end hands one message over (counted even past the limit: the engine refuses it)."""
        with self._cond:
            self._outstanding += 1
            if self._outstanding >= self.limit:
                self._closed = True

    def take_up_to(self, count: int) -> int:
        """A front end hands over the first of `count` messages, as many as the limit has room for
        (none past it, so the engine never refuses one with queue_full); returns how many."""
        with self._cond:
            count = max(0, min(count, self.limit - self._outstanding))
            self._outstanding += count
            if self._outstanding >= self.limit:
                self._closed = True
        return count

    def done(self, count: int = 1) -> None:
        """Messages left the engine's hands: confirmed by the relay, or refused."""
        with self._cond:
            self._outstanding = max(0, self._outstanding - count)
            if self._closed and self._outstanding <= self.low:
                self._closed = False
                self._cond.notify_all()

    def wait(self, timeout: float | None) -> bool:
        """True when there is room for more; False if the gate stayed closed for timeout seconds.
        Open, it answers without the lock: the front end asks before every message, and a True
        read just before another thread closes the gate is what the lock could have answered too."""
        if not self._closed:
            return True
        with self._cond:
            return self._cond.wait_for(lambda: not self._closed, timeout)


@record
class _Pending:
    frame: bytes
    sent_at: float
    seqs: set[int]  # the frame's messages not yet confirmed (a batch holds several)


class Outbox:
    """Unconfirmed messages, kept as the frames that carry them: a lone `say` or a batch (`says`).
    A frame is sent and resent whole, and leaves once every message in it is confirmed; the window
    and the limit count messages, not frames."""

    def __init__(self, window: int, resend_after: float, limit: int, gate: SendGate | None = None) -> None:
        """gate: the front ends' SendGate when it must exist before the outbox (the engine's)."""
        self.window = window
        self.resend_after = resend_after
        self.limit = limit
        self.gate = gate or SendGate(limit, limit // 2)
        self._items: OrderedDict[int, _Pending] = OrderedDict()  # by the frame's first seq
        self._frame_of: dict[int, int] = {}  # unconfirmed seq -> its frame's first seq
        self._unsent = 0  # frames kept but never sent (the window was full, or no host)

    def __len__(self) -> int:
        return len(self._frame_of)

    def full(self, queued: int = 0) -> bool:
        return len(self._frame_of) + queued >= self.limit

    def add(self, seq: int, frame: bytes, now: float, last: int | None = None) -> bytes | None:
        """Keep a new frame with messages seq..last; return it when it may go at once (the window
        is not yet full of earlier messages)."""
        in_window = len(self._frame_of) < self.window
        self._keep(seq, frame, now if in_window else UNSENT, seq if last is None else last)
        return frame if in_window else None

    def _keep(self, first: int, frame: bytes, sent_at: float, last: int) -> None:
        seqs = set(range(first, last + 1))
        self._items[first] = _Pending(frame, sent_at, seqs)
        self._unsent += sent_at == UNSENT
        self._frame_of.update(dict.fromkeys(seqs, first))

    def restore(self, items: list[tuple[int, bytes, int]]) -> int:
        """Take back frames (first, frame, last) an earlier host confirmed but the present one never
        relayed (a merge): they wait with the unconfirmed ones in seq order, so the host keeps each
        sender's stream in order, within the limit (oldest first). How many messages came back."""
        fresh = [item for item in items if not any(seq in self._frame_of for seq in range(item[0], item[2] + 1))]
        restored = 0
        for first, frame, last in fresh:
            if len(self._frame_of) + last - first + 1 > self.limit:
                break
            self._keep(first, frame, UNSENT, last)
            for _ in range(first, last + 1):
                self.gate.take()
            restored += last - first + 1
        if restored:
            self._items = OrderedDict(sorted(self._items.items()))
        return restored

    def confirm(self, *seqs: int) -> None:
        """The relay published these messages (a repeat counts once); the gate hears of them in
        one call, as a batch's echo confirms up to 64 at once."""
        confirmed = 0
        for seq in seqs:
            first = self._frame_of.pop(seq, None)
            if first is None:
                continue
            confirmed += 1
            item = self._items[first]
            item.seqs.discard(seq)
            if not item.seqs:
                self._unsent -= item.sent_at == UNSENT
                del self._items[first]
        if confirmed:
            self.gate.done(confirmed)

    def held(self) -> bool:
        """Frames wait that were never sent: the engine sends what fits as soon as an echo frees the
        window (`due`), not at its next tick (20 ms: a window of 256 per tick capped a piped burst
        near 12,800 messages/s)."""
        return self._unsent > 0

    def due(self, now: float, everything: bool = False) -> list[bytes]:
        """Frames to (re)send now: those of the oldest `window` messages not sent for resend_after,
        or all of them after a host change. O(window), so call it on a timer, not per message."""
        out = []
        counted = 0
        for item in self._items.values():
            if counted >= self.window:
                break
            counted += len(item.seqs)
            if everything or now - item.sent_at >= self.resend_after:
                self._unsent -= item.sent_at == UNSENT
                item.sent_at = now
                out.append(item.frame)
        return out
