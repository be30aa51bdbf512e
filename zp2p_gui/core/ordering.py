"""Exactly-once, in-order delivery per sender, whatever the relay does: duplicates from resends
are dropped, out-of-order messages wait for the gap, a gap is fetched or finally skipped, and
every skip is recorded so the user is told what could not be recovered (never a silent loss).

A sender who left is kept only as where it stopped (core/retired.py), and the walks each tick
visit the senders with a gap, not every sender ever heard: a node open all day under identity
churn stays bounded in memory and in the work per message."""

from __future__ import annotations

from typing import Any, Container

from .records import field, record
from .retired import Retired


@record
class _Stream:
    expected: int
    waiting: dict[int, dict[str, Any]] = field(default_factory=dict)
    gap_since: float | None = None
    last_fetch: float = -1e9
    known_last: int = 0
    nick: str = ""  # as the sender's latest message named it, for telling what was skipped


@record(frozen=True)
class Gap:
    sender: str
    first: int
    last: int


@record(frozen=True)
class Skipped:
    """Messages first..last of sender that no one could deliver; delivery moved past them."""

    sender: str
    nick: str
    first: int
    last: int

    @property
    def count(self) -> int:
        return self.last - self.first + 1


class Delivery:
    MAX_WAITING = 5000

    def __init__(self) -> None:
        self._streams: dict[str, _Stream] = {}  # senders in the roster, and those who left with a gap open
        self._gapped: dict[str, None] = {}  # senders with a gap, in the order it opened
        self._retired = Retired()
        self._skipped: list[Skipped] = []

    def known(self, sender: str) -> bool:
        return sender in self._streams or sender in self._retired

    def floor(self, sender: str, first_expected: int) -> None:
        """Start a sender we have never seen at first_expected (what joining told us)."""
        if not self.known(sender):
            self._streams[sender] = _Stream(expected=first_expected)

    def _stream(self, sender: str) -> _Stream:
        """sender's stream: as it is, back from retirement where it stopped, or new at 1."""
        stream = self._streams.get(sender)
        if stream is None:  # not setdefault: that would build a _Stream for every message
            last = self._retired.take(sender) or 0
            stream = self._streams[sender] = _Stream(expected=last + 1, known_last=last)
        return stream

    def retire(self, present: Container[str]) -> None:
        """Keep only where they stopped of the senders not in the roster (`present`) and without a
        gap: whatever comes of them later (a replay, their return) resumes from there."""
        for sender in [s for s in self._streams if s not in present and s not in self._gapped]:
            self._retired.keep(sender, self._streams.pop(sender).expected - 1)

    def offer(self, chat: dict[str, Any], now: float) -> list[dict[str, Any]]:
        """Messages now deliverable, in order; [] for a duplicate or one that must wait."""
        sender = chat["sender"]
        stream = self._stream(sender)
        seq = chat["seq"]
        if seq < stream.expected or seq in stream.waiting:
            return []
        stream.known_last = max(stream.known_last, seq)
        stream.nick = chat["nick"]
        if seq > stream.expected and len(stream.waiting) >= self.MAX_WAITING:
            self._mark_gap(sender, stream, now)
            return []  # the hold is full: this one is not kept but stays known, fetched once the hole is filled
        stream.waiting[seq] = chat
        out = self._drain(stream)
        self._mark_gap(sender, stream, now)
        return out

    def offer_run(self, chats: list[dict[str, Any]], now: float) -> list[dict[str, Any]]:
        """offer for consecutive messages of one sender, in seq order (a relayed batch, or a
        lone message). When the run is next in line and nothing waits, it is delivered whole, as
        offering one by one would: the usual case, a batch costs one step instead of one per message."""
        head = chats[0]
        stream = self._stream(head["sender"])
        if stream.waiting or head["seq"] != stream.expected:
            return [shown for chat in chats for shown in self.offer(chat, now)]
        stream.expected += len(chats)
        stream.known_last = max(stream.known_last, stream.expected - 1)
        stream.nick = chats[-1]["nick"]
        self._mark_gap(head["sender"], stream, now)
        return list(chats)

    def announce(self, sender: str, last: int, now: float) -> None:
        """The host says sender's last relayed seq is `last`: a trailing loss becomes a gap,
        also for a sender whose every message so far was lost (its stream starts at 1). A sender
        who left stays retired unless there is more of it than we had."""
        retired = self._retired.get(sender)
        if retired is not None and last <= retired:
            return
        stream = self._stream(sender)
        if last > stream.known_last:
            stream.known_last = last
            self._mark_gap(sender, stream, now)

    def _drain(self, stream: _Stream) -> list[dict[str, Any]]:
        out = []
        while stream.expected in stream.waiting:
            out.append(stream.waiting.pop(stream.expected))
            stream.expected += 1
        return out

    def _skip_to(self, sender: str, stream: _Stream, seq: int) -> None:
        """Move past everything before seq, recording what that gives up."""
        if seq > stream.expected:
            self._skipped.append(Skipped(sender, stream.nick, stream.expected, seq - 1))
            stream.expected = seq

    def take_skipped(self) -> list[Skipped]:
        """What was skipped since the last call, in the order it happened."""
        skipped, self._skipped = self._skipped, []
        return skipped

    def hurry(self, sender: str) -> None:
        """A fetch brought part of sender's gap: ask for the rest at the next chance, not after the pause."""
        stream = self._streams.get(sender)
        if stream is not None:
            stream.last_fetch = -1e9

    def _mark_gap(self, sender: str, stream: _Stream, now: float) -> None:
        if stream.known_last >= stream.expected:
            if stream.gap_since is None:
                stream.gap_since = now
                self._gapped[sender] = None
        else:
            stream.gap_since = None
            self._gapped.pop(sender, None)

    def has_gaps(self) -> bool:
        return bool(self._gapped)

    def gaps_to_fetch(self, now: float, after: float, every: float) -> list[Gap]:
        """Gaps older than `after`, at most one request per sender every `every` seconds."""
        out = []
        for sender in self._gapped:
            stream = self._streams[sender]
            if stream.gap_since is not None and now - stream.gap_since >= after and now - stream.last_fetch >= every:
                stream.last_fetch = now
                last = min(stream.waiting) - 1 if stream.waiting else stream.known_last
                out.append(Gap(sender, stream.expected, last))
        return out

    def give_up(self, now: float, wait: float) -> list[dict[str, Any]]:
        """Skip gaps no one could fill within `wait`: later messages are shown rather than held
        forever, and what is skipped is recorded (take_skipped)."""
        out = []
        for sender in list(self._gapped):  # a gap filled or moved on leaves it
            stream = self._streams[sender]
            if stream.gap_since is not None and now - stream.gap_since >= wait:
                if stream.waiting:
                    self._skip_to(sender, stream, min(stream.waiting))
                    out += self._drain(stream)
                else:
                    self._skip_to(sender, stream, stream.known_last + 1)
                self._mark_gap(sender, stream, now)
                if stream.gap_since is not None:
                    stream.gap_since = now
        return out

    def marks(self) -> dict[str, int]:
        """Highest seq delivered per sender (what a new host must know), retired ones too."""
        retired = {s: last for s, last in self._retired.items() if last}
        return {**retired, **{s: st.expected - 1 for s, st in self._streams.items() if st.expected > 1}}
