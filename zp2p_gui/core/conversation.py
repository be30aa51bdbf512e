"""One node's view of the conversation: what it said and is waiting to see relayed (the outbox),
what it has shown (exactly once, in order per sender) and the recent messages it keeps so that,
should it become the host, late joiners and gap fetches still find them.

Every message it says is signed, and every relayed one must carry its sender's signature (checked
before ordering): the host relays, it does not vouch (core/signing.py). Messages that queue up
go out as batches under one signature (core/batches.py); a receiver checks a batch once and
remembers it, so its messages met again (a resend, a gap fetch) cost a hash, not a signature."""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from typing import Any, Iterable, Sequence

from .backlog import Backlog
from .batches import BatchTrees, batch_tree, expand, path_bytes, root_of, split
from .codec import encode
from .events import Event, Forged, Member, Message
from .events import Gap as GapEvent
from .ordering import Delivery, Gap, Skipped
from .outbox import UNSENT, Outbox, SendGate
from .signing import Sealer, batch_signed, chat_authentic, chat_digest

SEND_WINDOW = 256
GAP_FETCH_AFTER = 0.2
GAP_FETCH_EVERY = 0.5
MAX_REPORTED = 4096
VERIFIED_BATCHES = 4096  # batches whose signature this node has checked (or made), newest kept

Batch = tuple[str, str, int, int, bytes, str]  # (key, sender, first, last, root, sig)


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
        self._queued: list[str] = []  # said, not yet signed: signed together at the next flush
        self._verified: OrderedDict[Batch, None] = OrderedDict()
        self.trees = BatchTrees()  # our own batches' trees, and our relay's while we host

    def queue(self, text: str) -> int:
        """Keep a checked text to be signed with whatever else is queued; how many are queued."""
        self._queued.append(text)
        return len(self._queued)

    def queued(self) -> int:
        return len(self._queued)

    def full(self) -> bool:
        """No room for another message: the outbox and the queue hold the limit."""
        return self.outbox.full(len(self._queued))

    def flush(self, now: float, connected: bool) -> list[bytes]:
        """Sign and keep everything queued, in batches (a lone message as a plain `say`); the
        frames to send at once."""
        groups, self._queued = split(self._queued), []
        frames = [self.say(g[0], now, connected) if len(g) == 1 else self._say_batch(g, now, connected)
                  for g in groups]
        return [frame for frame in frames if frame is not None]

    def _say_batch(self, texts: list[str], now: float, connected: bool) -> bytes | None:
        first, last = self._seq + 1, self._seq + len(texts)
        self._seq = last
        sealer = self.sealer
        root, paths = batch_tree(sealer.room, self.node_id, sealer.nick, first, texts)
        sig = sealer.sign_batch(first, last, root)
        self._trust((sealer.key, self.node_id, first, last, root, sig))  # our echo costs no verify
        self.trees.add(sealer.room, self.node_id, sealer.nick, first, sig, texts, root, paths)  # and no hashing
        frame = encode("says", node_id=self.node_id, first=first, texts=texts, sig=sig)
        frame = self.outbox.add(first, frame, now if connected else UNSENT, last)
        return frame if connected else None

    def say(self, text: str, now: float, connected: bool) -> bytes | None:
        """Keep a new message; the frame to send at once, or None when it waits (window full or no host)."""
        self._seq += 1
        sig = self.sealer.sign(self._seq, text)
        self._said[self._seq] = (self.sealer.digest(self._seq, text), sig)
        frame = encode("say", node_id=self.node_id, seq=self._seq, text=text, sig=sig)
        frame = self.outbox.add(self._seq, frame, now if connected else UNSENT)
        return frame if connected else None

    def receive(self, chats: list[dict[str, Any]], now: float, history: bool = False) -> list[Event]:
        """Relayed messages in (chats, and `chats` frames of whole batches); the ones to show now
        out (with a Gap event wherever delivery had to skip), and a `Forged` error for what its
        claimed sender did not sign. Our own coming back confirms them."""
        shown: list[Event] = []
        for item in chats:
            opened = self._open_batch(item) if item.get("k") == "chats" else \
                [item] if self._authentic(item) else None
            if opened is None:
                shown += self._forged(item)
                continue
            if opened[0]["sender"] == self.node_id:  # a batch is one sender's
                own = [chat["seq"] for chat in opened]
                self.outbox.confirm(*own)
                for seq in own:
                    self._said.pop(seq, None)
            # once per batch: each skip still goes before its next message
            shown += self._release(self.delivery.offer_run(opened, now), history)
        return shown

    def _open_batch(self, packet: dict[str, Any]) -> list[dict[str, Any]] | None:
        """A relayed batch as its messages, if its sender signed exactly these texts in this order;
        None if anything in it was altered, dropped, added or reordered."""
        first, sender, nick = packet["first"], packet["sender"], packet["nick"]
        last = first + len(packet["texts"]) - 1
        room = self.sealer.room
        root, paths = self.trees.take(room, packet) or batch_tree(room, sender, nick, first, packet["texts"])
        if not self._pinned(packet) or not self._batch_valid((packet["key"], sender, first, last, root, packet["sig"])):
            return None
        return expand(packet, paths)

    def _batch_valid(self, batch: Batch) -> bool:
        """One signature check per batch: a batch checked before passes on its root."""
        if batch in self._verified:
            return True
        key, sender, first, last, root, sig = batch
        if not batch_signed(key, sender, self.sealer.room, first, last, root, sig):
            return False
        self._trust(batch)
        return True

    def _trust(self, batch: Batch) -> None:
        self._verified[batch] = None
        if len(self._verified) > VERIFIED_BATCHES:
            self._verified.popitem(last=False)

    def pin(self, members: Iterable[Member]) -> None:
        """The roster's nick -> key: a message under a member's nick must be signed by that member's
        key. Who is no longer in it is retired from ordering (core/ordering.py)."""
        members = tuple(members)
        self._keys_by_nick = {m.nick.casefold(): m.key for m in members}
        self.delivery.retire({m.node_id for m in members})

    def _pinned(self, chat: dict[str, Any]) -> bool:
        """The roster names no one else with this nick: a nick the roster lists keeps its key."""
        return self._keys_by_nick.get(chat["nick"].casefold(), chat["key"]) == chat["key"]

    def _authentic(self, chat: dict[str, Any]) -> bool:
        if not self._pinned(chat):
            return False
        if chat.get("first"):  # a message of a batch, met alone: its path leads to the signed root
            return self._in_batch(chat)
        return self._is_our_echo(chat) or chat_authentic(chat, self.sealer.room)

    def _in_batch(self, chat: dict[str, Any]) -> bool:
        first, last, path = chat["first"], chat["last"], path_bytes(chat["path"])
        leaf = chat_digest(self.sealer.room, chat["sender"], chat["nick"], chat["seq"], chat["text"])
        root = None if path is None else root_of(leaf, chat["seq"] - first, last - first + 1, path)
        return root is not None and self._batch_valid((chat["key"], chat["sender"], first, last, root, chat["sig"]))

    def _is_our_echo(self, chat: dict[str, Any]) -> bool:
        """Our own message coming back unchanged: comparing with what we signed costs a hash, not
        a signature check (a flood of our own echoes would otherwise halve our sending rate)."""
        said = self._said.get(chat["seq"]) if chat["sender"] == self.node_id else None
        if said is None or chat["key"] != self.sealer.key or chat["nick"] != self.sealer.nick:
            return False
        return said == (self.sealer.digest(chat["seq"], chat["text"]), chat["sig"])

    def _forged(self, chat: dict[str, Any]) -> list[Event]:
        """Report a forged message (or batch) once, however often the host sends it again: a
        batch is reported unless each of its claimed (sender, seq) already was."""
        if "texts" in chat:
            seqs = range(chat["first"], chat["first"] + len(chat["texts"]))
            what = f"{len(seqs)} messages (#{seqs[0]}-{seqs[-1]})" if len(seqs) > 1 else "a message"
        else:
            seqs, what = range(chat["seq"], chat["seq"] + 1), "a message"
        claims = [(chat["sender"], seq) for seq in seqs if (chat["sender"], seq) not in self._reported]
        if not claims:
            return []
        self._reported.extend(claims)
        return [Forged(sender=chat["sender"], nick=chat["nick"],
                       detail=f"dropped {what} claiming to be from {chat['nick']} ({chat['sender']}): "
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
        mine = [chat for chat in self.recent if chat["sender"] == self.node_id]
        frames = [(chat["seq"], encode("say", node_id=self.node_id, seq=chat["seq"], text=chat["text"], sig=chat["sig"]),
                   chat["seq"]) for chat in mine if not chat.get("first") and chat["seq"] > relayed]
        return self.outbox.restore(sorted(frames + self._batches_above(mine, relayed)))

    def _batches_above(self, mine: list[dict[str, Any]], relayed: int) -> list[tuple[int, bytes, int]]:
        """Our batches with a message above `relayed`, as their `says` frames again: whole, since
        the signature covers them whole (a batch the replica no longer holds whole is not sent)."""
        batches: dict[tuple[int, int, str], dict[int, str]] = {}
        for chat in mine:
            if chat.get("first") and chat["last"] > relayed:
                batches.setdefault((chat["first"], chat["last"], chat["sig"]), {})[chat["seq"]] = chat["text"]
        return [(first, encode("says", node_id=self.node_id, first=first, texts=[texts[s] for s in range(first, last + 1)],
                               sig=sig), last)
                for (first, last, sig), texts in batches.items() if len(texts) == last - first + 1]

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
        self.recent.extend(chats)
        out: list[Event] = []
        shown_at = time.time()  # what is released together is shown together
        for chat in chats:
            skip = skips.pop((chat["sender"], chat["seq"]), None)
            if skip is not None:
                out.append(self._gap(skip, roster))
            out.append(Message.of_chat(chat, chat["sender"] == self.node_id, history, shown_at))
        return out + [self._gap(skip, roster) for skip in skips.values()]

    @staticmethod
    def _gap(skip: Skipped, roster: Sequence[Member]) -> GapEvent:
        nick = skip.nick or next((m.nick for m in roster if m.node_id == skip.sender), "")
        return GapEvent(sender=skip.sender, nick=nick, count=skip.count, first=skip.first, last=skip.last)
