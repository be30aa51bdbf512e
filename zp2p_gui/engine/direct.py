"""Direct messages, the engine's side: who a DM goes to, when it is sent again, which way it
goes (straight to the recipient's direct port, or sealed through the host when no direct
connection confirmed it within `direct_fallback`), and what the recipient's answers mean.

Everything unconfirmed lives in the store (dm_store.py) until the recipient's node confirms
it, so a recipient who is away, a restart of either side or a new host loses nothing. The
recipient is an identity key, never a nick: a nick only names a key the first time it is seen."""

from __future__ import annotations

import json
import os
import time
from typing import Any, Iterable

from ..core import events as ev
from ..core.codec import CodecError, encode
from ..core.errors import Code, lookup
from ..core.events import Member
from ..core.lazylog import Log
from ..core.sealing import seal, unseal
from ..core.records import record
from ..core.signing import public_key
from ..core.validation import ValidationError, check_text
from ..dm_store import DmStore, Outgoing
from ..net.messages import DirectIn, DirectPeers, DirectRefused, DirectSend, PortTaken, MarkRead, SendDirect
from .base import INBOX, PACKETS, EngineBase
from .states import GOING

log = Log(__name__)

MAX_READ_IDS = 256  # ids per read receipt (the codec's bound)
KNOWN_MAX = 4096  # (key, nick) pairs already written to the store this session; then it starts again
REFUSED_RETRY = 0.025  # a refused handshake is tried again this soon, twice as late each time, up to direct_resend


def new_dm_id() -> str:
    """Made in the caller's thread, so send_direct can return it at once."""
    return os.urandom(16).hex()


@record
class _Attempt:
    """One unconfirmed item while its recipient is in the room: since when we try, when next."""

    since: float
    next_at: float
    told_queued: bool = False


@record(frozen=True)
class _OpenDirect:
    """Open the store and the direct port once the first roster (the welcome) is handled: the
    engine thread answers the registration and shows `joined` without waiting for sqlite and the
    port (15-37 ms of the start-up, niced)."""


class Direct(EngineBase):
    _store: DmStore | None = None
    _direct_due = False  # to open after the first roster, or when a request needs the store first

    def _direct_later(self) -> None:
        self._direct_due = True

    @INBOX.on(_OpenDirect)
    def _on_open_direct(self, _: _OpenDirect | None = None) -> None:
        """Also called by a request that needs the store before the queued one came round."""
        if not self._direct_due or self.state in GOING:
            return
        self._direct_due = False
        try:
            self._direct_begin()
        except ValidationError as exc:
            return self._error(lookup(exc.code) or Code.INTERNAL, exc.detail)
        self._direct_roster()  # a roster that came first found no store

    def _direct_begin(self, files_endpoint: str | None = None) -> None:
        """Open the store and the direct channel; a store that cannot open is a fatal bad_data_dir.
        File frames arriving on the direct port go on to `files_endpoint` (engine/files.py)."""
        from ..net.direct import DirectLink  # with zap and dealers: loaded after the welcome, not before `joined`

        self._open_dm_store()
        identity = self._sec.identity
        self._roles.start(DirectLink(self.ctx, self._inbox.put, self.addr, self.config.ports[4], identity.public,
                                     identity.secret, self.config.limits, files_endpoint))

    def _open_dm_store(self) -> None:
        from ..identity import data_dir  # loaded with the identity, after `searching` (engine/node.py `_set_up`)

        self._store = DmStore.open(data_dir(self.config.data_dir))
        self._dm_out: dict[str, Outgoing] = {o.id: o for o in self._store.pending()}
        self._dm_tries: dict[str, _Attempt] = {}
        self._dm_via_host: set[str] = set()  # recipients no direct connection reached this time
        self._dm_present: dict[str, Member] = {}
        self._dm_known: set[tuple[str, str]] = set()  # told to the store already
        self._dm_refusals: dict[str, int] = {}  # handshakes refused in a row, by recipient

    def _direct_end(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    # -- the room changed
    def _direct_roster(self) -> None:
        """Members come and go: tell the direct port whom to admit, remember who is who, and
        start sending to the recipients who are back."""
        if self._store is None:
            if self._direct_due:
                self._inbox.put(_OpenDirect())  # it comes back here once the store is open
            return
        present = {m.key: m for m in self.roster if m.key and m.key != self._sec.key}
        for m in present.values():
            if (m.key, m.nick) not in self._dm_known:
                if len(self._dm_known) >= max(KNOWN_MAX, 2 * self.config.limits.max_members):  # new identities
                    self._dm_known = set()  # all day: start again (the store bounds itself; a full room fits)
                self._dm_known.add((m.key, m.nick))
                self._store.remember(m.key, m.nick)
        if present.keys() != self._dm_present.keys() or any(
                self._dm_present[k].addr != m.addr for k, m in present.items()):
            self._roles.tell("direct", DirectPeers(tuple((k, m.addr) for k, m in present.items())))
        gone = self._dm_present.keys() - present.keys()
        self._dm_present = present
        self._dm_via_host -= gone
        self._dm_refusals = {k: n for k, n in self._dm_refusals.items() if k in present}
        self._dm_tries = {i: a for i, a in self._dm_tries.items() if self._dm_out[i].key in present}
        self._direct_tick(time.monotonic())

    @INBOX.on(PortTaken)
    def _on_port_taken(self, taken: PortTaken) -> None:
        self._error(taken.code, taken.detail)

    # -- sending
    @INBOX.on(SendDirect)
    def _on_send_direct(self, request: SendDirect) -> None:
        self._on_open_direct()
        if self._store is None:
            return self._error(Code.NO_HOST, "not started yet; the direct message was not sent")
        try:
            text = check_text(request.text, self.config.limits.max_text_bytes)
        except ValidationError as exc:
            return self._error(Code(exc.code), exc.detail)
        key = self._checked_key(request.key) if request.key else self._recipient_of(request.nick or "")
        if key is None:
            return
        if self._store.pending_count(key) >= self.config.limits.dm_queue:
            return self._error(Code.DM_QUEUE_FULL, f"{self.config.limits.dm_queue} direct messages to "
                                                   f"{self._name_of(key)} wait already; wait for them to arrive")
        item = Outgoing(request.id, key, self._name_of(key, request.nick or ""), "dm", text, time.time())
        self._store.add(item)
        self._queue(item)
        if key not in self._dm_present:
            self._emit(ev.Queued(id=item.id, to=item.nick, key=key))

    def _checked_key(self, key: str) -> str | None:
        """A key from the window: an identity key of someone else, or a notice."""
        try:
            public_key(key)
        except ValidationError:
            key = self._sec.key
        if key == self._sec.key:
            self._error(Code.UNKNOWN_RECIPIENT, "a direct message needs another member's identity key")
            return None
        return key

    def _recipient_of(self, nick: str) -> str | None:
        """The key a nick names: the first key this node saw with it. None (and a notice) when the
        nick was never seen, or is now used in the room with another key."""
        known = self._store.key_for(nick) if self._store else None
        here = next((m for m in self._dm_present.values() if m.nick.casefold() == nick.casefold()), None)
        if known is not None and here is not None and here.key != known:
            self._error(Code.RECIPIENT_KEY_CHANGED, f"{nick} is now used with another identity key; "
                                                    "the direct message was not sent")
            return None
        key = known or (here.key if here else None)
        if key is None or key == self._sec.key:
            self._error(Code.UNKNOWN_RECIPIENT, f"no one else called {nick!r} has been seen in this room")
            return None
        return key

    def _name_of(self, key: str, fallback: str = "") -> str:
        here = self._dm_present.get(key)
        if here is not None:
            return here.nick
        return (self._store.nick_for(key) if self._store else "") or fallback

    def _queue(self, item: Outgoing, replaced: Iterable[str] = ()) -> None:
        """Send a stored item from now on, in place of those it `replaced`."""
        for old in replaced:
            self._dm_out.pop(old, None)
            self._dm_tries.pop(old, None)
        self._dm_out[item.id] = item
        self._direct_tick(time.monotonic())

    @INBOX.on(MarkRead)
    def _on_mark_read(self, request: MarkRead) -> None:
        self._on_open_direct()
        if self._store is None:
            return
        ids = self._store.received_from(request.key, request.ids[:MAX_READ_IDS])
        if ids:
            self._queue(*self._store.add_receipt(Outgoing(new_dm_id(), request.key, self._name_of(request.key),
                                                          "dm_read", json.dumps(ids), time.time()), MAX_READ_IDS))

    def _direct_due_in(self, now: float) -> float:
        """Seconds until `_direct_tick` has a try to make (never negative), so the engine wakes
        for it; infinite when nothing waits for a member in the room (one to an absent member
        waits for a roster instead: every item to a present member has its try)."""
        if self._store is None:
            return float("inf")
        due = min((a.next_at for i, a in self._dm_tries.items() if self._dm_out[i].key in self._dm_present),
                  default=float("inf"))
        return max(0.0, due - now)

    @INBOX.on(DirectRefused)
    def _on_direct_refused(self, refused: DirectRefused) -> None:
        """What went to this recipient was lost: it does not list us yet, because the host's news
        of our join reaches it tens of milliseconds after its welcome reached us. Waiting the full
        `direct_resend` made a first message after a join take 1.25 s. Trying again in 25 ms,
        then 50, 100, ... up to `direct_resend` costs a member that refuses every time (by fault
        or on purpose) 7 handshakes before `direct_fallback` instead of 2, not one per tick."""
        if self._store is None or refused.key in self._dm_via_host or refused.key not in self._dm_present:
            return
        refusals = self._dm_refusals[refused.key] = self._dm_refusals.get(refused.key, 0) + 1
        retry_at = time.monotonic() + min(self.config.timings.direct_resend, REFUSED_RETRY * 2 ** (refusals - 1))
        for item_id, attempt in self._dm_tries.items():
            if self._dm_out[item_id].key == refused.key:
                attempt.next_at = min(attempt.next_at, retry_at)

    def _direct_tick(self, now: float) -> None:
        """Send what is due to recipients in the room: straight to them at first, sealed through
        the host once a direct try has gone unconfirmed for `direct_fallback` seconds."""
        if self._store is None:
            return
        t = self.config.timings
        for item in list(self._dm_out.values()):
            peer = self._dm_present.get(item.key)
            if peer is None:
                continue
            attempt = self._dm_tries.get(item.id)
            if attempt is None:
                attempt = self._dm_tries[item.id] = _Attempt(since=now, next_at=now)
            if now - attempt.since >= t.direct_fallback and item.key not in self._dm_via_host:
                log.info("no direct connection to %s confirmed in %.1f s; sending through the host",
                         peer.nick, t.direct_fallback)
                self._dm_via_host.add(item.key)
                attempt.next_at = now
            if now >= attempt.next_at:
                attempt.next_at = now + t.direct_resend
                self._send_frame(peer, self._frame(item), via_host=item.key in self._dm_via_host)
            if not attempt.told_queued and item.kind == "dm" and now - attempt.since >= 2 * t.direct_fallback:
                attempt.told_queued = True
                self._emit(ev.Queued(id=item.id, to=peer.nick, key=item.key))

    def _frame(self, item: Outgoing) -> bytes:
        if item.kind == "dm_read":
            return encode("dm_read", id=item.id, key=self._sec.key, ids=item.ids)
        return encode("dm", id=item.id, key=self._sec.key, nick=self.config.nick, text=item.body, ts=item.ts)

    def _send_frame(self, peer: Member, frame: bytes, via_host: bool) -> None:
        if not via_host:
            return self._roles.tell("direct", DirectSend(peer.key, peer.addr, frame))
        if self.machine.connected:
            box = seal(self._sec.identity.signing_key, peer.key, frame)
            self._send(encode("sealed", node_id=self.node_id, to=peer.key, box=box))

    # -- receiving
    @PACKETS.on("sealed_to")
    def _on_sealed(self, host: str, msg: dict[str, Any]) -> None:
        if msg["to"] != self._sec.key or self._store is None:
            return  # another member's: we cannot open it and do not try
        try:
            inner = unseal(self._sec.identity.signing_key.curve_secret(), self._sec.key, msg["box"],
                           self.config.limits.max_frame_bytes)
        except CodecError as exc:
            log.warning("dropping a sealed message: %s", exc)
            return
        self._on_direct_in(DirectIn(inner["key"], inner, "host"))

    @INBOX.on(DirectIn)
    def _on_direct_in(self, incoming: DirectIn) -> None:
        peer = self._dm_present.get(incoming.key)
        if peer is None or self._store is None:
            return  # not (or no longer) a member: the sender keeps it and tries again later
        msg = incoming.msg
        if msg["k"] == "dm_ack":
            return self._on_ack(peer, msg["ids"])
        self._send_frame(peer, encode("dm_ack", key=self._sec.key, ids=[msg["id"]]), via_host=incoming.via == "host")
        if msg["k"] == "dm_read":
            for item in self._store.read(peer.key, msg["ids"]):
                self._emit(ev.ReadMark(id=item.id, by=peer.nick, key=peer.key))
        elif self._store.first_sight(msg["id"], peer.key):
            try:
                text = check_text(msg["text"], self.config.limits.max_text_bytes)
            except ValidationError:
                return log.warning("dropping a direct message from %s that breaks the text rules", peer.nick)
            self._emit(ev.Direct(id=msg["id"], key=peer.key, nick=peer.nick, text=text, ts=msg["ts"]))

    def _on_ack(self, peer: Member, ids: list[str]) -> None:
        assert self._store is not None
        self._dm_refusals.pop(peer.key, None)
        for item in self._store.confirm(peer.key, ids):
            self._dm_out.pop(item.id, None)
            self._dm_tries.pop(item.id, None)
            if item.kind == "dm":
                self._emit(ev.Delivered(id=item.id, to=peer.nick, key=peer.key))
