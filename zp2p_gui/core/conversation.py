"""One node's view of the conversation: what it said and is waiting to see relayed (the outbox),
what it has shown (exactly once, in order per sender) and the recent messages it keeps so that,
should it become the host, late joiners and gap fetches still find them.

Every message it says is signed, and every relayed one must carry its sender's signature (checked
before ordering): the host relays, it does not vouch (core/signing.py)."""

from __future__ import annotations

from collections import deque
from typing import Any, Iterable, Sequence

from .backlog import Backlog
from .codec import encode
from .events import Event, Forged, Member, Message
from .events import Gap as GapEvent
from .ordering import Delivery, Gap, Skipped
from .outbox import Outbox, SendGate
from .signing import Sealer, chat_authentic

SEND_WINDOW = 256
GAP_FETCH_AFTER = 0.2
GAP_FETCH_EVERY = 0.5
MAX_REPORTED = 4096


class Conversation:
    def __init__(self, sealer: Sealer, backlog_bytes: int, resend_after: float, unconfirmed: int,
                 gate: SendGate | None = None) -> None:
        self.sealer = sealer
        self.node_id = sealer.node_id
        self.outbox = Outbox(SEND_WINDOW, resend_after, unconfirmed, gate)
        self.delivery = Delivery()
        self.recent = Backlog(backlog_bytes)
        self._seq = 0
        self._keys_by_nick: dict[str, str] = {}
        self._said: dict[int, tuple[bytes, str]] = {}  # seq -> (digest, sig) until our echo confirms it
        self._reported: deque[tuple[str, int]] = deque(maxlen=MAX_REPORTED)

    def say(self, text: str, now: float, connected: bool) -> bytes | None:
        """Keep a new message; the frame to send at once, or None when it waits (window full or no host)."""
        self._seq += 1
        sig = self.sealer.sign(self._seq, text)
        self._said[self._seq] = (self.sealer.digest(self._seq, text), sig)
        frame = encode("say", node_id=self.node_id, seq=self._seq, text=text, sig=sig)
        frame = self.outbox.add(self._seq, frame, now if connected else -1e9)
        return frame if connected else None

    def receive(self, chats: list[dict[str, Any]], now: float, history: bool = False) -> list[Event]:
        """Relayed messages in; the ones to show now out (with a Gap event wherever delivery had
        to skip), and a `Forged` error for each one its claimed sender did not sign. Our own
        coming back confirms them."""
        shown: list[Event] = []
        for chat in chats:
            if not self._authentic(chat):
                shown += self._forged(chat)
                continue
            if chat["sender"] == self.node_id:
                self.outbox.confirm(chat["seq"])
                self._said.pop(chat["seq"], None)
            shown += self._release(self.delivery.offer(chat, now), history)
        return shown

    def pin(self, members: Iterable[Member]) -> None:
        """The roster's nick -> key: a message under a member's nick must be signed by that member's key."""
        self._keys_by_nick = {m.nick.casefold(): m.key for m in members}

    def _authentic(self, chat: dict[str, Any]) -> bool:
        key = self._keys_by_nick.get(chat["nick"].casefold(), chat["key"])
        return key == chat["key"] and (self._is_our_echo(chat) or chat_authentic(chat, self.sealer.room))

    def _is_our_echo(self, chat: dict[str, Any]) -> bool:
        """Our own message coming back unchanged: comparing with what we signed costs a hash, not
        a signature check (a flood of our own echoes would otherwise halve our sending rate)."""
        said = self._said.get(chat["seq"]) if chat["sender"] == self.node_id else None
        if said is None or chat["key"] != self.sealer.key or chat["nick"] != self.sealer.nick:
            return False
        return said == (self.sealer.digest(chat["seq"], chat["text"]), chat["sig"])

    def _forged(self, chat: dict[str, Any]) -> list[Event]:
        """Report a forged message once, however often the host sends it again."""
        claim = (chat["sender"], chat["seq"])
        if claim in self._reported:
            return []
        self._reported.append(claim)
        return [Forged(sender=chat["sender"], nick=chat["nick"],
                       detail=f"dropped a message claiming to be from {chat['nick']} ({chat['sender']}): "
                              "not signed by that member's key, so the host altered or invented it")]

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
        mine = [(chat["seq"], encode("say", node_id=self.node_id, seq=chat["seq"], text=chat["text"], sig=chat["sig"]))
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
