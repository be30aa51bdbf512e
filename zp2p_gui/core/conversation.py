"""One node's view of the conversation: what it said and is waiting to see relayed (the outbox),
what it has shown (exactly once, in order per sender) and the recent messages it keeps so that,
should it become the host, late joiners and gap fetches still find them."""

from __future__ import annotations

from collections import deque
from typing import Any

from .codec import encode
from .events import Message
from .ordering import Delivery, Gap
from .outbox import Outbox

SEND_WINDOW = 256
GAP_FETCH_AFTER = 0.2
GAP_FETCH_EVERY = 0.5


class Conversation:
    def __init__(self, node_id: str, backlog: int, resend_after: float, unconfirmed: int) -> None:
        self.node_id = node_id
        self.outbox = Outbox(SEND_WINDOW, resend_after, unconfirmed)
        self.delivery = Delivery()
        self.recent: deque[dict[str, Any]] = deque(maxlen=backlog)
        self._seq = 0

    def say(self, text: str, now: float, connected: bool) -> bytes | None:
        """Keep a new message; the frame to send at once, or None when it waits (window full or no host)."""
        self._seq += 1
        frame = self.outbox.add(self._seq, encode("say", node_id=self.node_id, seq=self._seq, text=text),
                                now if connected else -1e9)
        return frame if connected else None

    def receive(self, chats: list[dict[str, Any]], now: float, history: bool = False) -> list[Message]:
        """Relayed messages in; the ones to show now out. Our own coming back confirms them."""
        shown = []
        for chat in chats:
            if chat["sender"] == self.node_id:
                self.outbox.confirm(chat["seq"])
            shown += [self._show(ready, history) for ready in self.delivery.offer(chat, now)]
        return shown

    def welcome(self, backlog: list[dict[str, Any]], marks: dict[str, int], now: float, first: bool) -> list[Message]:
        """A host's welcome: start senders we never saw at what it holds, note its marks (a hole
        becomes a gap to fetch) and show its backlog; as history on the first join only."""
        starts: dict[str, int] = {}
        for chat in backlog:
            starts[chat["sender"]] = min(starts.get(chat["sender"], chat["seq"]), chat["seq"])
        for sender, seq in starts.items():
            self.delivery.floor(sender, seq)
        for sender, last in marks.items():
            self.delivery.floor(sender, last + 1)
            self.delivery.announce(sender, last, now)
        return self.receive(backlog, now, history=first)

    def announce(self, marks: dict[str, int], now: float) -> None:
        for sender, last in marks.items():
            self.delivery.announce(sender, last, now)

    def gaps(self, now: float) -> list[Gap]:
        return self.delivery.gaps_to_fetch(now, after=GAP_FETCH_AFTER, every=GAP_FETCH_EVERY)

    def give_up(self, now: float, wait: float) -> list[Message]:
        return [self._show(chat, False) for chat in self.delivery.give_up(now, wait)]

    def pending(self) -> bool:
        """Something to resend or a hole to fill: the engine should tick often."""
        return bool(len(self.outbox)) or self.delivery.has_gaps()

    def _show(self, chat: dict[str, Any], history: bool) -> Message:
        self.recent.append(chat)
        return Message(id=f"{chat['sender']}:{chat['seq']}", sender=chat["sender"], nick=chat["nick"],
                       addr=chat["addr"], text=chat["text"], ts=chat["ts"], own=chat["sender"] == self.node_id,
                       history=history)
