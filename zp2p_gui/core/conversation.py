"""One node's view of the conversation: what it said and is waiting to see relayed (the outbox),
what it has shown (exactly once, in order per sender) and the recent messages it keeps so that,
should it become the host, late joiners and gap fetches still find them."""

from __future__ import annotations

from typing import Any, Sequence

from .backlog import Backlog
from .codec import encode
from .events import Event, Member, Message
from .events import Gap as GapEvent
from .ordering import Delivery, Gap, Skipped
from .outbox import Outbox

SEND_WINDOW = 256
GAP_FETCH_AFTER = 0.2
GAP_FETCH_EVERY = 0.5


class Conversation:
    def __init__(self, node_id: str, backlog_bytes: int, resend_after: float, unconfirmed: int) -> None:
        self.node_id = node_id
        self.outbox = Outbox(SEND_WINDOW, resend_after, unconfirmed)
        self.delivery = Delivery()
        self.recent = Backlog(backlog_bytes)
        self._seq = 0

    def say(self, text: str, now: float, connected: bool) -> bytes | None:
        """Keep a new message; the frame to send at once, or None when it waits (window full or no host)."""
        self._seq += 1
        frame = self.outbox.add(self._seq, encode("say", node_id=self.node_id, seq=self._seq, text=text),
                                now if connected else -1e9)
        return frame if connected else None

    def receive(self, chats: list[dict[str, Any]], now: float, history: bool = False) -> list[Event]:
        """Relayed messages in; the ones to show now out (with a Gap event wherever delivery had
        to skip). Our own coming back confirms them."""
        shown: list[Event] = []
        for chat in chats:
            if chat["sender"] == self.node_id:
                self.outbox.confirm(chat["seq"])
            shown += self._release(self.delivery.offer(chat, now), history)
        return shown

    def fetched(self, chats: list[dict[str, Any]], now: float) -> list[Event]:
        """A history reply: one page of a gap. If it brought anything, the rest is asked for at once."""
        for sender in {chat["sender"] for chat in chats}:
            self.delivery.hurry(sender)
        return self.receive(chats, now)

    def welcome(self, backlog: list[dict[str, Any]], marks: dict[str, int], now: float, first: bool,
                same_room: bool = True) -> list[Event]:
        """A host's welcome: note its marks (a hole becomes a gap to fetch) and show its backlog.
        On the first join it is history, and senders start at what the host holds; so they do
        when a foreign host welcomes us (a merge: its senders' past is not ours to recover). On a
        later welcome of our room (our host again after we were frozen, or a successor) every
        sender we have not heard yet began after we joined, so it starts at 1: the messages
        already queued for us, or fetched, fill the stream instead of being dropped as older than
        the welcome's page."""
        if first or not same_room:
            starts: dict[str, int] = {}
            for chat in backlog:
                starts[chat["sender"]] = min(starts.get(chat["sender"], chat["seq"]), chat["seq"])
            for sender, seq in starts.items():
                self.delivery.floor(sender, seq)
            for sender, last in marks.items():
                self.delivery.floor(sender, last + 1)
        for sender, last in marks.items():
            self.delivery.announce(sender, last, now)
        return self.receive(backlog, now, history=first)

    def restore(self, relayed: int) -> int:
        """After a welcome: our own messages above the host's mark for us (`relayed`) are ones an
        earlier host confirmed and this one never saw (the other side of a merge, or a successor
        that missed them). They go out again under their own seq, so every member ends up with
        each of them exactly once (receivers drop what they hold). How many."""
        mine = [(chat["seq"], encode("say", node_id=self.node_id, seq=chat["seq"], text=chat["text"]))
                for chat in self.recent if chat["sender"] == self.node_id and chat["seq"] > relayed]
        return self.outbox.restore(mine)

    def announce(self, marks: dict[str, int], now: float) -> None:
        for sender, last in marks.items():
            self.delivery.announce(sender, last, now)

    def gaps(self, now: float) -> list[Gap]:
        return self.delivery.gaps_to_fetch(now, after=GAP_FETCH_AFTER, every=GAP_FETCH_EVERY)

    def give_up(self, now: float, wait: float, roster: Sequence[Member] = ()) -> list[Event]:
        """Skip holes no one filled within `wait`, saying so; roster names a sender never heard."""
        return self._release(self.delivery.give_up(now, wait), False, roster)

    def pending(self) -> bool:
        """Something to resend or a hole to fill: the engine should tick often."""
        return bool(len(self.outbox)) or self.delivery.has_gaps()

    def _release(self, chats: list[dict[str, Any]], history: bool, roster: Sequence[Member] = ()) -> list[Event]:
        """Messages to show, each skip told just before the first message after it (or at the end)."""
        skips = {(s.sender, s.last + 1): s for s in self.delivery.take_skipped()}
        out: list[Event] = []
        for chat in chats:
            skip = skips.pop((chat["sender"], chat["seq"]), None)
            if skip is not None:
                out.append(self._gap(skip, roster))
            out.append(self._show(chat, history))
        return out + [self._gap(skip, roster) for skip in skips.values()]

    @staticmethod
    def _gap(skip: Skipped, roster: Sequence[Member]) -> GapEvent:
        nick = skip.nick or next((m.nick for m in roster if m.node_id == skip.sender), "")
        return GapEvent(sender=skip.sender, nick=nick, count=skip.count, first=skip.first, last=skip.last)

    def _show(self, chat: dict[str, Any], history: bool) -> Message:
        self.recent.append(chat)
        return Message(id=f"{chat['sender']}:{chat['seq']}", sender=chat["sender"], nick=chat["nick"],
                       addr=chat["addr"], text=chat["text"], ts=chat["ts"], own=chat["sender"] == self.node_id,
                       history=history)
