"""The relay's fair share: senders are served in turn, and only as fast as the room reads.

A fixed per-member rate either throttles a lone sender in a quiet room or, set high, lets one
flooding member fill every receiver's queue, so that someone else's message waits behind seconds
of flood. Instead the relay keeps the accepted messages of each source address in a queue of its
own (per address, not per node id: ids cost nothing, and inventing them must not buy more turns;
each sender's messages stay in order inside its address's queue) and publishes one from each
waiting address in turn, and it keeps at most `credit` published messages
ahead of what the host's own display has shown (the host receives its relay like every member,
so its display is a receiver of the room running the same code). A lone sender thus gets the
whole relay at the room's reading speed, and a message from a quiet member goes out in the next
turn, behind at most `credit` flood messages at the host's display (a receiver slower than that
display also shows first what it had not yet read).

The relay does not poll for the display's progress: when the credit runs out it notes how far
the display must get for the credit to be half free again, and `show` calls `wake` once the
display gets there (the engine sends the host actor a command, which wakes its poll at once).
Half, not one message: a display that shows a message at a time must not wake the relay per
message, and half a credit is still ~7 ms of work queued at the display when the relay refills.

Owned by the host actor's thread, except `show`, which the host's engine thread calls: it assigns
one float and reads another (set by the relay thread; each thread writes before it reads the
other's value, so at least one of them sees that the display caught up and nobody waits for a wake
that never comes)."""

from __future__ import annotations

from collections import deque
from typing import Callable

CREDIT = 64  # published messages the host's display may be behind: ~15 ms of a receiver's work
# (a batch counts its messages; one goes out while fewer than CREDIT are in flight, so a batch is never held back for being large)
QUEUED_PER_SOURCE = 1024  # waiting messages (not frames) per address; a zp2p sender has at most 256 unconfirmed
STALL_S = 0.5  # the host's display showed nothing new for this long: stop pacing the room by it
WAKE_AT = CREDIT // 2  # a relay held by the credit is woken when no more than this many are in flight


class FairShare:
    def __init__(self, credit: int = CREDIT, per_source: int = QUEUED_PER_SOURCE, stall: float = STALL_S,
                 wake: Callable[[], None] | None = None, wake_at: int = WAKE_AT) -> None:
        """wake: called in the thread that calls `show` when a relay held by the credit can go on."""
        self.credit = credit
        self.per_source = per_source
        self.stall = stall
        self.wake = wake
        self.wake_at = wake_at
        self._queues: dict[str, deque[tuple[float, bytes, int]]] = {}  # source -> (ts, frame, messages), in turn order
        self._queued: dict[str, int] = {}  # source -> messages waiting in its queue
        self._in_flight: deque[tuple[float, int]] = deque()  # (ts, messages) published, not yet shown by the display
        self._flying = 0  # messages in _in_flight
        self._shown = float("-inf")
        self._seen_shown = float("-inf")
        self._progress_at: float | None = None
        self._held_until: float | None = None  # the relay is held until the display shows this stamp

    def show(self, ts: float) -> None:
        """The host's display has shown the relayed chat stamped ts (and so everything before it)."""
        if ts > self._shown:
            self._shown = ts
        held = self._held_until
        if held is not None and ts >= held:
            self._held_until = None
            if self.wake is not None:
                self.wake()

    def full(self, source: str) -> bool:
        """True when source already has per_source messages waiting (a client that ignores its send
        window, or several busy instances on one machine). Messages, not frames: a batch of 64
        must not let an address hold 64 times the memory a message at a time could."""
        return self._queued.get(source, 0) >= self.per_source

    def offer(self, source: str, ts: float, frame: bytes, count: int = 1) -> None:
        """An accepted chat, or a batch of `count` (stamped ts by the host), waits for its source
        address's turn; a batch takes one turn."""
        self._queues.setdefault(source, deque()).append((ts, frame, count))
        self._queued[source] = self._queued.get(source, 0) + count

    def waiting(self) -> bool:
        return bool(self._queues)

    def serve(self, now: float) -> list[bytes]:
        """Frames to publish now: one per waiting source in turn, while the credit lasts."""
        out: list[bytes] = []
        while True:
            self._settle(now)
            while self._queues and self._flying < self.credit:
                ts, frame, count = self._next_turn()
                out.append(frame)
                self._in_flight.append((ts, count))
                self._flying += count
            if not self._queues or not self._hold():
                return out

    def due(self) -> float | None:
        """When to serve again if no wake comes: a held relay stops pacing by a stalled display
        (`stall`); None when nothing waits."""
        if not self._queues or self._progress_at is None:
            return None
        return self._progress_at + self.stall

    def _hold(self) -> bool:
        """The credit ran out with frames waiting: ask `show` for a wake once at most `wake_at`
        messages are in flight. True when the display got there meanwhile (serve again now).
        The stamps in flight need not rise (a quiet sender's turn goes out before older flood
        frames), and `_settle` forgets from the front only: the wake waits for the largest stamp
        up to that point, so that once it comes `_settle` does free the credit."""
        left, until = self._flying, float("-inf")
        for ts, count in self._in_flight:
            left -= count
            until = max(until, ts)
            if left <= self.wake_at:
                break
        self._held_until = until
        return self._shown >= until

    def flush(self) -> list[bytes]:
        """Everything waiting, in turn order, regardless of credit (the relay is handing over)."""
        out = [self._next_turn()[1] for _ in range(sum(map(len, self._queues.values())))]
        self._forget()
        return out

    def _next_turn(self) -> tuple[float, bytes, int]:
        """The first waiting source's oldest frame; that source goes to the back of the line."""
        source = next(iter(self._queues))
        queue = self._queues.pop(source)
        ts, frame, count = queue.popleft()
        if queue:
            self._queues[source] = queue
            self._queued[source] -= count
        else:
            del self._queued[source]
        return ts, frame, count

    def _forget(self) -> None:
        self._in_flight.clear()
        self._flying = 0
        self._held_until = None

    def _settle(self, now: float) -> None:
        """Forget what the display has shown; a display that stopped showing (busy, frozen, or not
        connected yet) must not stall the room, so after `stall` s without progress the credit
        starts again from zero."""
        shown = self._shown
        while self._in_flight and self._in_flight[0][0] <= shown:
            self._flying -= self._in_flight.popleft()[1]
        if shown != self._seen_shown or self._progress_at is None or not self._in_flight:
            self._seen_shown = shown
            self._progress_at = now
        elif now - self._progress_at > self.stall:
            self._forget()
            self._progress_at = now
