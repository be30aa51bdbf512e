"""Joining a host and following it: registration and its replies, the welcome, and what the
host publishes (chat, beat, handover, redirect, notice; rosters and their deltas in
engine/presence.py), each through a dispatch table."""

from __future__ import annotations

import time
from typing import Any

from .. import PROTOCOL_VERSION
from ..core import events as ev
from ..core.codec import encode
from ..core.election import lineage
from ..core.errors import Code, lookup
from ..core.events import Cause
from ..core.lazylog import Log
from ..core.retry import RETRIED
from ..core.room import member_from_json
from ..core.validation import is_allowed
from ..net.messages import Connect, Fetch, Packets, Ping, Probe, Register, Reply, Request, UpdateBeacon
from .base import INBOX, PACKETS, REPLIES
from .hosting import warm_up
from .presence import RosterFollowing
from .states import ATTACHED, State, Trigger

log = Log(__name__)

PENDING_MAX = 10_000  # packets kept while the welcome is on its way
CHAT_KINDS = ("chat", "chats")  # a message, a batch of them


class Joining(RosterFollowing):
    # -- joining
    def _join(self, ip: str) -> None:
        """Follow the host at ip (from a beacon or a redirect)."""
        if not is_allowed(ip, self.config.allowed_nets):  # a redirect or beacon may name any address
            self._error(Code.REDIRECT_REFUSED, f"not joining {ip}: outside ZP2P_ALLOWED_NETS")
            return
        self._fire(Trigger.FOUND)
        self._roles.stop("discovery")
        self._connect(ip)

    def _connect(self, ip: str) -> None:
        """Point the member roles at the host at ip (our own, when hosting) and register."""
        self.host_ip = ip
        self._probing = False
        self._pending.clear()
        self._failures = 0
        self._retry.clear()
        own = ip == self.addr and self.hosting  # our relay hands its packets to us itself (net/host.py)
        self._tell_receiver(Connect(ip, time.monotonic(), own))
        if self._sender is not None:
            self._sender.connect(ip, own)
        self._roles.tell("registration", Connect(ip))
        self._register()

    def _register(self) -> None:
        host = self.host_ip or ""
        self._roles.tell("registration", Request(Register(host), self._register_frame(host)))

    def _register_frame(self, host: str) -> bytes:
        """Our registration for the host at `host` (the signed proof names it, so it cannot be replayed elsewhere)."""
        return encode("register", node_id=self.node_id, nick=self.config.nick, room=self.config.room,
                      proto=PROTOCOL_VERSION, key=self._sec.key,
                      proof=self._sec.proof(host, self.node_id, self.config.nick, self.addr))

    @INBOX.on(Reply)
    def _on_reply(self, reply: Reply) -> None:
        if reply.purpose.host == self.host_ip or reply.purpose == self._merge:
            REPLIES.handle(self, type(reply.purpose), reply.purpose, reply.msg)

    @REPLIES.on(Register)
    def _on_register_reply(self, purpose: Register, msg: dict[str, Any] | None) -> None:
        if msg is None:
            return self._registration_failed()
        if msg["k"] == "refused":
            code = lookup(msg["code"])
            if code in RETRIED:
                return self._refused_for_now(code, msg["detail"])
            if code is not None and code.fatal:
                return self._error(code, msg["detail"])
            log.warning("registration refused (%s): %s", msg["code"], msg["detail"])
            return self._registration_failed()  # count it as a failure: retry, then treat the host as lost
        if msg["k"] == "welcome":
            self._on_welcome(msg)

    def _refused_for_now(self, code: Code, detail: str) -> None:
        """The host answered (so it is alive) with a refusal that may end: say so once, ask again
        later (core/retry.py). Packets kept for the welcome are dropped: it brings the backlog."""
        self._failures = 0
        self._pending.clear()
        if self._retry.refused(code, time.monotonic()):
            self._error(code, f"{detail}; trying again")
        log.info("registration refused (%s): %s; trying again", code.value, detail)

    def _retry_tick(self, now: float) -> None:
        if self.host_ip and self._retry.due(now):
            self._register()

    def _registration_failed(self) -> None:
        """A host's own registry runs in this process: a real failure of it arrives as RoleFailed,
        so an unanswered registration there only means the machine is slow. Ending the run for it
        closed a window under heavy load; keep asking instead."""
        self._failures += 1
        if self._failures < 3 or self.hosting:
            if self.hosting and self._failures == 3:
                log.warning("our own registry has not answered three registrations; the machine is busy")
            self._register()
        elif self._redirected_from is not None:
            back, self._redirected_from = self._redirected_from, None
            log.warning("the host we were redirected to does not welcome us; back to %s", back)
            self._join(back)
        elif self.state is State.MEMBER and time.monotonic() - self._heard_host_at < self.config.timings.host_timeout:
            self._failures = 0  # it still publishes: slow to register us, not lost; _check_listed asks again
            log.warning("host %s does not register us but still publishes; staying with it", self.host_ip)
        else:
            self._on_host_lost(self.host_ip or "", Cause.NO_ANSWER)

    @REPLIES.on(Fetch)
    def _on_history(self, purpose: Fetch, msg: dict[str, Any] | None) -> None:
        if msg is not None and msg["k"] == "history":
            self._show(self._chat.fetched(msg["messages"], time.monotonic()))

    def _on_welcome(self, msg: dict[str, Any]) -> None:
        first = not self._joined_once
        same_room = msg["host_id"] in {self.host_id, *(m.node_id for m in self.roster)}  # not a merge
        self._fire(Trigger.WELCOMED)
        self._missing_since = None
        self._failures = 0
        self._retry.clear()
        self.host_id, self.term, self.epoch = msg["host_id"], msg["term"], msg["epoch"]
        self._redirected_from = None
        if self.host_id != self.node_id:
            heard_id, heard_after = self._heard_after
            self._followed = lineage(self.host_id, heard_after if heard_id == self.host_id else (), self._followed)
        self.roster = tuple(member_from_json(m) for m in msg["members"])
        self._roster_version = msg["version"]
        self._listed = any(m.node_id == self.node_id for m in self.roster)
        self._chat.pin(self.roster)
        for warning in self._sec.key_warnings(self.roster):
            self._emit(warning)
        self._direct_roster()
        now = time.monotonic()
        self._show(self._chat.welcome(msg["backlog"], msg["marks"], now, first, same_room))
        pending, self._pending = self._pending, []
        self._on_packets(Packets(self.host_ip or "", tuple(pending)))
        if self.state is State.MEMBER:
            self._roles.stop("discovery")
            if first:
                self._emit(ev.Joined(host=self.host_ip or "", users=self.roster))
                warm_up()
            else:
                self._emit(ev.HostChanged(host=self.host_ip or "", nick=self._nick_of(node_id=self.host_id)))
        self._emit(ev.Presence(users=self.roster))
        if self.hosting:
            self._roles.tell("beacon", UpdateBeacon(self._my_desc()))  # the beacon's member count
        self._joined_once = True
        restored = self._chat.restore(msg["marks"].get(self.node_id, 0))
        if restored:
            log.info("the host lacks %d of our confirmed messages; sending them again", restored)
        self._resend(now, everything=True)

    # -- what the host publishes
    @INBOX.on(Packets)
    def _on_packets(self, packets: Packets) -> None:
        if packets.host != self.host_ip:
            return
        self._heard_host_at = time.monotonic()
        if not self.machine.connected:
            self._pending.extend(packets.batch[: PENDING_MAX - len(self._pending)])
            return
        chats = [msg for msg in packets.batch if msg["k"] in CHAT_KINDS]
        for msg in packets.batch:
            PACKETS.handle(self, msg["k"], packets.host, msg)
        if chats:
            now = time.monotonic()
            self._show(self._chat.receive(chats, now))
            if self._chat.outbox.held():  # our echo freed the send window: what waits for it goes now
                self._resend(now, everything=False)
            if self.hosting:  # our relay paces the room by what we have shown (core/fairshare.py)
                self._share.show(max(chat["ts"] for chat in chats))

    @PACKETS.on(*CHAT_KINDS)
    def _on_chat(self, host: str, msg: dict[str, Any]) -> None:
        """Chats are shown together after the batch (one ordering pass); nothing to do one by one."""

    @PACKETS.on("handover")
    def _on_handover(self, host: str, msg: dict[str, Any]) -> None:
        self._on_host_lost(host, Cause.HOST_LEFT, successor=msg["successor"])

    @PACKETS.on("redirect")
    def _on_redirect(self, host: str, msg: dict[str, Any]) -> None:
        if self.state not in ATTACHED:  # our own relay's farewell, or we are leaving
            return
        self._emit(ev.Reconnecting(reason=f"room moved to {msg['addr']}", cause=Cause.ROOM_MOVED, host=host,
                                   host_nick=self._nick_of(node_id=self.host_id)))
        self._join(msg["addr"])
        self._redirected_from = host

    @PACKETS.on("notice")
    def _on_notice(self, host: str, msg: dict[str, Any]) -> None:
        if msg["to"] == self.node_id:  # a remote code is never fatal here: the host only warns
            self._emit(ev.Error(code=msg["code"], detail=msg["detail"]))

    def _show(self, events: list[ev.Event]) -> None:
        """Messages to show, with Gap events where delivery skipped and a Forged error for each
        relayed message its claimed sender did not sign."""
        if events:
            self._emit_many(events)

    @PACKETS.on("beat")
    def _on_beat(self, host: str, msg: dict[str, Any]) -> None:
        """The host's heartbeat (and the head of every roster): term, and who said what last."""
        self.term, self.epoch = msg["term"], msg["epoch"]
        now = time.monotonic()
        self._chat.announce(msg["marks"], now)
        self._check_listed(now)

    def _check_listed(self, now: float) -> None:
        """Register again when the host's roster has lacked us for a while (we were frozen, or the
        host is new); a roster published just before our registration is not enough."""
        if self._listed:
            self._missing_since = None
        elif self.state is State.FAREWELL:
            self._fire(Trigger.DONE)  # the host has taken our leave
        elif self._missing_since is None:
            self._missing_since = now
        elif now - self._missing_since > 2 * self.config.timings.heartbeat and now - self._last_reregister > 1.0:
            self._last_reregister = now
            self._register()

    # -- while connected
    def _resend(self, now: float, everything: bool) -> None:
        """Send what is unconfirmed and due, or all of it after a host change, within the window."""
        if self.machine.connected:
            for frame in self._chat.outbox.due(now, everything):
                self._send(frame)

    def _member_end(self) -> None:
        """As the engine stops: the member's sockets closed, the keys it met written."""
        if self._sender is not None:
            self._sender.close()
        if self._receiver is not None:
            self._receiver.close_all()
        if hasattr(self, "_sec"):  # not before the identity is loaded
            self._sec.known.flush()

    def _member_tick(self, now: float) -> None:
        self._resend(now, everything=False)
        self._sec.known.save()
        t = self.config.timings
        for gap in self._chat.gaps(now):
            frame = encode("fetch", node_id=self.node_id, sender=gap.sender, first=gap.first, last=gap.last)
            self._roles.tell("registration", Request(Fetch(self.host_ip or ""), frame))
        self._show(self._chat.give_up(now, t.gap_wait * 2, self.roster))
        if now >= self._next_ping:
            self._next_ping = now + t.rtt_period
            self._roles.tell("registration", Request(Ping(self.host_ip or "", now), encode("ping", node_id=self.node_id)))

    @REPLIES.on(Ping)
    def _on_ping_reply(self, purpose: Ping, msg: dict[str, Any] | None) -> None:
        """Round-trip time for the status bar. A lost ping is not a lost host: a dropped connection
        and a silent relay say that (and a silence is probed before anyone takes over)."""
        if msg is None:
            return
        if msg["k"] == "pong":
            self._emit(ev.Rtt(ms=(time.monotonic() - purpose.sent) * 1000))
        elif msg["k"] == "refused" and msg["code"] == Code.NOT_REGISTERED:
            self._register()

    @REPLIES.on(Probe)
    def _on_probe_reply(self, purpose: Probe, msg: dict[str, Any] | None) -> None:
        self._probe_answered(purpose.host, msg is not None)
