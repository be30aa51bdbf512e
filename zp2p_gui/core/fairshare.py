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

Owned by the host actor's thread, except `show`, which the host's engine thread calls: it only
assigns one float, which the relay thread reads."""

from __future__ import annotations

from collections import deque

CREDIT = 64  # published messages the host's display may be behind: ~15 ms of a receiver's work
# (a batch counts its messages; one goes out while fewer than CREDIT are in flight, so a batch is never held back for being large)
QUEUED_PER_SOURCE = 1024  # waiting messages (not frames) per address; a zp2p sender has at most 256 unconfirmed
STALL_S = 0.5  # the host's display showed nothing new for this long: stop pacing the room by it


class FairShare:
    def __init__(self, credit: int = CREDIT, per_source: int = QUEUED_PER_SOURCE, stall: float = STALL_S) -> None:
        self.credit = credit
        self.per_source = per_source
        self.stall = stall
        self._queues: dict[str, deque[tuple[float, bytes, int]]] = {}  # source -> (ts, frame, messages), in turn order
        self._queued: dict[str, int] = {}  # source -> messages waiting in its queue
        self._in_flight: deque[tuple[float, int]] = deque()  # (ts, messages) published, not yet shown by the display
        self._flying = 0  # messages in _in_flight
        self._shown = float("-inf")
        self._seen_shown = float("-inf")
        self._progress_at: float | None = None

    def show(self, ts: float) -> None:
        """The host's display has shown the relayed chat stamped ts (and so everything before it)."""
        if ts > self._shown:
            self._shown = ts

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
        self._settle(now)
        out: list[bytes] = []
        while self._queues and self._flying < self.credit:
            ts, frame, count = self._next_turn()
            out.append(frame)
            self._in_flight.append((ts, count))
            self._flying += count
        return out

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
