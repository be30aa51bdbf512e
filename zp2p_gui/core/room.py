"""What the host knows about its room: members, the backlog and the last sequence per sender.
Owned by one thread, the host actor's (net/host.py), where the registry and the relay both run;
nothing else reads it. The lock is no longer needed for that and is kept only as a guard while
other changes to this file land (docs/architecture.md, "Who owns what")."""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Any, Iterable

from .addresses import AddressLimits
from .backlog import Backlog
from .batches import BatchTrees, batch_tree
from .config import Limits
from .errors import Code
from .events import Departure, Gone, Member
from .fairshare import FairShare
from .marks import Marks
from .nickholds import NickHolds
from .ratelimit import TokenBucket
from .records import record, replace
from .rosters import DELTA_MAX, ChangeLog, roster_order
from .signing import curve_public
from .validation import ValidationError, check_nick, check_text


_SLOW_DOWN = ValidationError(Code.RATE_LIMITED, "you are sending too fast; slowing down")
GONE_FOR = 5.0  # seconds a departure stays in the rosters, so every member hears how someone left
MARKS_MAX = 1000  # the codec's bound on a marks object: with 500 members, senders who left could pass it
GONE_MAX = 64  # departures kept at most (also the codec's bound), however many leave at once


@record
class _Entry:
    member: Member
    last_seen: float
    bucket: TokenBucket
    blocked_from: int | None = None


def member_json(m: Member) -> dict[str, Any]:
    return m.to_json()


def member_from_json(d: dict[str, Any]) -> Member:
    return Member(node_id=d["node_id"], nick=d["nick"], addr=d["addr"], host=d["host"], joined=d["joined"], key=d["key"])


class HostState:
    """The registry (userManagerNameserver) and the relay's bookkeeping, bounded by Limits."""

    def __init__(self, room: str, host_id: str, term: int, epoch: float, limits: Limits,
                 seed: Iterable[Member] = (), backlog: Iterable[dict[str, Any]] = (),
                 marks: dict[str, int] | None = None, now: float = 0.0, held: Iterable[Member] = (),
                 share: FairShare | None = None, trees: BatchTrees | None = None) -> None:
        """seed: the members of the room we take over; held: those lost with it (the old host),
        whose nicks stay theirs for a while (core/nickholds.py); share and trees: what the relay
        shares with the host's engine, its turns and its batch trees (core/fairshare.py, core/batches.py)."""
        self.room = room
        self.host_id = host_id
        self.term = term
        self.epoch = epoch
        self.limits = limits
        self._lock = threading.Lock()
        self._members: dict[str, _Entry] = {}
        self._backlog = Backlog(limits.backlog_bytes)
        self._held: dict[tuple[str, int], dict[str, Any]] = {}
        self._marks = Marks(marks or {})
        self._gone: deque[tuple[Gone, float]] = deque(maxlen=GONE_MAX)
        self._addresses = AddressLimits(limits)
        self._holds = NickHolds()
        self.share = share or FairShare()
        self.trees = trees or BatchTrees()
        for m in held:
            self._holds.hold(m.nick, m.key, now, time.time() - m.joined)
        self.version = 0
        self._changes = ChangeLog()
        for m in seed:
            self._members[m.node_id] = _Entry(replace(m, host=m.node_id == host_id), now, self._bucket(now))
        self._keep(list(backlog))
        self._marks.retire_except(self._members)

    def _bucket(self, now: float) -> TokenBucket:
        return TokenBucket(self.limits.rate_per_s, self.limits.rate_burst, now)

    def register(self, node_id: str, nick: str, addr: str, key: str, now: float) -> Member:
        """Add or refresh a member; raises ValidationError with the refusal's code."""
        nick = check_nick(nick)
        with self._lock:
            for entry in self._members.values():
                if entry.member.nick.casefold() == nick.casefold() and entry.member.node_id != node_id:
                    raise ValidationError(Code.NICK_IN_USE, f"nick {nick!r} is in use by a live member")
            self._holds.check(nick, key, now)
            old = self._members.get(node_id)
            if old is not None and (old.member.addr != addr or (old.member.key and old.member.key != key)):
                raise ValidationError(Code.NODE_IN_USE, "that node id is registered from another address or key")
            if old is None and len(self._members) >= self.limits.max_members:
                raise ValidationError(Code.ROOM_FULL, f"the room is full ({self.limits.max_members} members)")
            self._marks.revive(node_id)
            if old is None or old.member.nick != nick:  # a join or a rename: both redraw every roster
                there = sum(1 for e in self._members.values() if e.member.addr == addr)
                self._addresses.check_change(addr, there, old is None, now)
            self._holds.release(nick)
            joined = old.member.joined if old else time.time()
            member = Member(node_id=node_id, nick=nick, addr=addr, host=node_id == self.host_id, joined=joined, key=key)
            entry = _Entry(member, now, self._bucket(now)) if old is None else \
                _Entry(member, now, old.bucket, old.blocked_from)  # a refresh keeps the member's rate state
            self._members[node_id] = entry
            if old is None or old.member != member:
                self._changed([node_id])
            return member

    def leave(self, node_id: str, now: float | None = None) -> bool:
        with self._lock:
            entry = self._members.pop(node_id, None)
            if entry is not None:
                self._changed([node_id])
                self._depart(entry.member, Departure.LEFT, time.monotonic() if now is None else now)
            return entry is not None

    def _changed(self, ids: Iterable[str]) -> None:
        """A new roster version, and which members it changed (for the deltas)."""
        self.version += 1
        self._changes.note(self.version, ids)

    def _depart(self, member: Member, how: Departure, now: float) -> None:
        self._gone.append((Gone(member.node_id, member.nick, how), now))
        self._marks.left(member.node_id)

    def touch(self, node_id: str, addr: str, now: float) -> bool:
        """A heartbeat from a registered member at its registered address."""
        with self._lock:
            entry = self._members.get(node_id)
            if entry is None or entry.member.addr != addr:
                return False
            entry.last_seen = now
            return True

    def expire(self, now: float, timeout: float) -> list[Member]:
        """Drop members silent for longer than timeout; the host itself never expires."""
        with self._lock:
            dead = [e.member for e in self._members.values()
                    if now - e.last_seen > timeout and e.member.node_id != self.host_id]
            for m in dead:
                del self._members[m.node_id]
                self._depart(m, Departure.LOST, now)
                self._holds.hold(m.nick, m.key, now, time.time() - m.joined)  # joined: the host's wall clock
            if dead:
                self._changed(m.node_id for m in dead)
            return dead

    def accept(self, node_id: str, addr: str, seq: int, text: str, ts: float, now: float,
               key: str | None = None, sig: str = "") -> dict[str, Any]:
        """Stamp a member's message with its registered nick and key; raises ValidationError to refuse it.
        key, when the transport authenticated one, must be the CURVE form of the key the member
        registered with. The member's signature is relayed as is: receivers check it, not the host."""
        text = check_text(text, self.limits.max_text_bytes)
        with self._lock:
            entry = self._admit(node_id, addr, seq, 1, now, key)
            held = self._held.get((node_id, seq))
            if held is not None:
                return held  # a resend: publish the same message again so the sender sees it confirmed
            chat = {"sender": node_id, "nick": entry.member.nick, "addr": addr, "seq": seq, "text": text, "ts": ts,
                    "key": entry.member.key, "sig": sig}
            self._note(node_id, [chat], now)
            return chat

    def accept_batch(self, node_id: str, addr: str, first: int, texts: list[str], ts: float, now: float,
                     key: str | None = None, sig: str = "") -> list[dict[str, Any]]:
        """accept for a batch (`says`), all or nothing: its messages stamped, in order, each with
        the batch's bounds and its path to the signed root (core/batches.py), so the backlog can
        hand out any one of them alone. Resent messages come back as held."""
        texts = [check_text(text, self.limits.max_text_bytes) for text in texts]
        last = first + len(texts) - 1
        with self._lock:
            entry = self._admit(node_id, addr, first, len(texts), now, key)
            nick = entry.member.nick
            root, paths = batch_tree(self.room, node_id, nick, first, texts)
            self.trees.add(self.room, node_id, nick, first, sig, texts, root, paths)
            chats, unheld = [], []
            for i, (text, path) in enumerate(zip(texts, paths)):
                held = self._held.get((node_id, first + i))
                if held is None:
                    held = {"sender": node_id, "nick": nick, "addr": addr, "seq": first + i, "text": text, "ts": ts,
                            "key": entry.member.key, "sig": sig, "first": first, "last": last,
                            "path": path}
                    unheld.append(held)
                chats.append(held)
            self._note(node_id, unheld, now)
            return chats

    def _admit(self, node_id: str, addr: str, seq: int, count: int, now: float, key: str | None) -> _Entry:
        """The checks before a message (or `count` of them, from seq on) is relayed: a registered
        sender at its address, not blocked, within its budget. Raises ValidationError."""
        entry = self._members.get(node_id)
        if entry is None or entry.member.addr != addr or (key is not None and curve_public(entry.member.key) != key):
            raise ValidationError(Code.NOT_REGISTERED, "message from an unregistered sender")
        entry.last_seen = now
        if entry.blocked_from is not None and seq > entry.blocked_from:
            raise _SLOW_DOWN  # keep the member's stream in order behind its refused message
        # the member's budget and its address's, which every member there shares; resends spend
        # them too: every publish reaches every member
        if not entry.bucket.take(now, count) or not self._addresses.take_message(addr, now, count):
            if seq > self._marks.of(node_id):
                entry.blocked_from = seq
            raise _SLOW_DOWN
        if entry.blocked_from == seq:
            entry.blocked_from = None
        return entry

    def _note(self, sender: str, chats: list[dict[str, Any]], now: float) -> None:
        """Messages not held, of one sender in seq order (a batch's at once): above the sender's mark they
        move it and are kept; below it (the backlog let them go) they are published, not kept."""
        new = [chat for chat in chats if chat["seq"] > self._marks.of(sender)]
        if new:
            self._marks.move(sender, new[-1]["seq"], now)
            self._keep(new)

    def _keep(self, chats: list[dict[str, Any]]) -> None:
        """Append to the bounded backlog, indexed by (sender, seq) so resends are recognised by what
        the backlog holds, not by the highest seq seen (a refused message comes back later)."""
        self._held.update(((chat["sender"], chat["seq"]), chat) for chat in chats)  # indexed first: a batch
        self._marks.hold(chat["sender"] for chat in chats)  # larger than the backlog evicts its own oldest
        for oldest in self._backlog.extend(chats):
            self._held.pop((oldest["sender"], oldest["seq"]), None)
            self._marks.let_go(oldest["sender"], oldest["sender"] in self._members)

    def members(self) -> list[Member]:
        with self._lock:
            return sorted((e.member for e in self._members.values()), key=roster_order)

    def member(self, node_id: str) -> Member | None:
        with self._lock:
            entry = self._members.get(node_id)
            return entry.member if entry else None

    def marks(self) -> dict[str, int]:
        """Last relayed seq of every sender someone may still need: live members and the backlog's."""
        with self._lock:
            return self._marks.told(self._members, MARKS_MAX)

    def recent_marks(self, now: float, within: float) -> dict[str, int]:
        """Marks that moved lately: enough for a heartbeat to reveal a lost last message."""
        with self._lock:
            return self._marks.recent(now, within)

    def backlog(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._backlog)

    def history(self, sender: str, first: int, last: int) -> list[dict[str, Any]]:
        """One page of sender's first..last (bounded in count and bytes); the member asks again for the rest."""
        with self._lock:
            return self._backlog.page(sender, first, last)

    def recently_gone(self, now: float) -> list[Gone]:
        """Who left within GONE_FOR seconds, and how (a `leave`, or expiry)."""
        with self._lock:
            while self._gone and now - self._gone[0][1] > GONE_FOR:
                self._gone.popleft()
            return [gone for gone, _ in self._gone]

    def roster(self, now: float | None = None) -> dict[str, Any]:
        """Fields of a roster message: the member list, sent when it changes and now and then."""
        gone = self.recently_gone(time.monotonic() if now is None else now)
        return {"host_id": self.host_id, "term": self.term, "epoch": self.epoch, "version": self.version,
                "members": [member_json(m) for m in self.members()], "marks": self.marks(),
                "gone": [g.to_json() for g in gone]}

    def delta(self, since: int, now: float, within: float) -> dict[str, Any] | None:
        """Fields of a roster delta from version `since` to now: the current entries of the
        members added or changed since, and the ids removed; marks as in a beat. None when it
        cannot be told that way (too old a version, or more than DELTA_MAX members changed):
        then the caller sends the full roster."""
        with self._lock:
            ids = self._changes.since(since, self.version)
            if ids is None or len(ids) > DELTA_MAX:
                return None
            changed = [member_json(self._members[i].member) for i in sorted(ids) if i in self._members]
            removed = sorted(i for i in ids if i not in self._members)
        gone = [g.to_json() for g in self.recently_gone(now) if g.node_id in ids]  # only the departures it tells
        return {**self.beat(now, within), "since": since, "changed": changed, "removed": removed, "gone": gone}

    def beat(self, now: float, within: float) -> dict[str, Any]:
        """Fields of a heartbeat: small, so fifty members decoding it twice a second cost little."""
        return {"host_id": self.host_id, "term": self.term, "epoch": self.epoch, "version": self.version,
                "marks": self.recent_marks(now, within)}

    def welcome(self) -> dict[str, Any]:
        """The roster and the newest page of the backlog; a returning member fetches what it lacks."""
        with self._lock:
            newest = self._backlog.newest()
        return {**self.roster(), "backlog": newest}
