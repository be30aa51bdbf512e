"""The engine: search -> join or host -> run -> fail over. One engine thread owns the state
machine; each role runs in its own thread with its own socket (net/). Both front ends drive it."""

from __future__ import annotations

import logging
import queue
import time
import uuid
from typing import Any, Callable

import zmq

from . import PROTOCOL_VERSION
from .core import events as ev
from .core.codec import encode
from .core.config import Config
from .core.conversation import Conversation
from .core.election import beats, successors
from .core.events import Member
from .core.room import HostState, member_from_json
from .core.validation import ValidationError, check_text, is_allowed, scan_addresses
from .identity import Security
from .net.beacon import Beacon
from .net.discovery import Discovery
from .net.interfaces import address_of, slash24
from .net.receiver import Receiver
from .net.registration import RegistrationClient
from .net.registry import Registry
from .net.relay import Relay
from .net.roles import Roles, Spawn, Worker, spawn_thread
from .net.sender import Sender

log = logging.getLogger(__name__)

FATAL_REFUSALS = {"nick_in_use", "bad_nick", "room_full", "incompatible_version", "wrong_room", "wrong_passphrase",
                  "key_mismatch", "bad_key"}
HOST_ROLES = ("beacon", "registry", "relay")
TICK_BUSY = 0.02  # searching, resending, fetching a gap or leaving
TICK_IDLE = 0.25  # nothing pending: wake rarely, so an idle node costs well under 1 % of a core


class Node:
    """A chat node. Thread-safe public methods: start, say, request_users, stop."""

    def __init__(self, config: Config, on_event: Callable[[ev.Event], None], spawn: Spawn = spawn_thread,
                 ctx: zmq.Context | None = None) -> None:
        self.config = config
        self.on_event = on_event
        self.spawn = spawn
        self.ctx = ctx or zmq.Context.instance()
        self.node_id = uuid.uuid4().hex[:16]
        self.addr = ""
        self._ranges: tuple[str, ...] = ()
        self._targets: list[str] = []
        self._inbox: queue.Queue[tuple] = queue.Queue()
        self._worker: Worker | None = None
        self._roles = Roles(spawn)
        self._done = False
        # room state as this node sees it
        self.phase = "idle"
        self.hosting = False
        self.host_ip: str | None = None
        self.host_id = ""
        self.term = 0
        self.epoch = 0.0
        self.roster: tuple[Member, ...] = ()
        self._host_state: HostState | None = None
        self._welcomed = False
        self._joined_once = False
        self._pending: list[dict[str, Any]] = []
        self._deadline = 0.0
        self._retire_at: float | None = None
        self._legacy_seen: set[str] = set()
        self._no_host_reported = False
        self._failures = 0
        self._next_ping = 0.0
        self._last_reregister = 0.0
        self._missing_since: float | None = None
        self._probing = False
        self._listed = False
        self._roster_version = 0
        self._refused: tuple[str, str] | None = None
        self._quit_stage: str | None = None
        self._quit_deadline = 0.0
        # messages
        self._chat = Conversation(self.node_id, config.limits.backlog, config.timings.resend_after,
                                  config.limits.unconfirmed)
        self._next_tick = 0.0

    # ------------------------------------------------------------------ public API (any thread)
    def start(self) -> None:
        self._worker = self.spawn("engine", self._run)

    def say(self, text: str) -> None:
        self._inbox.put(("say", text))

    def request_users(self) -> None:
        self._inbox.put(("users",))

    def stop(self, timeout: float = 3.0) -> bool:
        """Leave politely (a host hands over first) and stop every thread; True if all ended in time."""
        self._inbox.put(("quit",))
        return self.wait(timeout)

    def wait(self, timeout: float | None = None) -> bool:
        if self._worker is None:
            return True
        self._worker.join(timeout)
        return not self._worker.is_alive()

    # ------------------------------------------------------------------ engine thread
    def _emit(self, event: ev.Event) -> None:
        try:
            self.on_event(event)
        except Exception:
            log.exception("event handler failed on %s", event.name)

    def _fatal(self, code: str, detail: str) -> None:
        self._emit(ev.Error(code=code, detail=detail, fatal=True))
        self._done = True

    def _run(self) -> None:
        try:
            self._begin()
            while not self._done:
                try:
                    item = self._inbox.get(timeout=max(0.0, self._next_tick - time.monotonic()))
                    self._dispatch(item)
                    while not self._done:
                        self._dispatch(self._inbox.get_nowait())
                except queue.Empty:
                    pass
                now = time.monotonic()
                if not self._done and now >= self._next_tick:
                    self._tick(now)
                    self._next_tick = now + (TICK_BUSY if self._busy() else TICK_IDLE)
        except Exception as exc:
            log.exception("engine failed")
            self._emit(ev.Error(code="internal", detail=f"{exc.__class__.__name__}: {exc}", fatal=True))
        finally:
            self._roles.stop_all()
            self.phase = "left"
            self._emit(ev.Left())

    def _begin(self) -> None:
        allowed = self.config.allowed_nets
        iface = None
        if self.config.bind:
            self.addr = self.config.bind
        else:
            iface = address_of(self.config.interface)
            if iface is None:
                what = f"interface {self.config.interface!r}" if self.config.interface else "a default-route interface"
                return self._fatal("no_interface", f"found no IPv4 address on {what}; pass --bind IP")
            self.addr = iface.addr
        try:
            ranges = self.config.scan or ((slash24(self.addr),) if not self.config.host else ())
            self._ranges = tuple(ranges) or (self.config.host,)
            self._targets = [ip for ip in scan_addresses(ranges) if ip != self.addr]
        except ValidationError as exc:
            return self._fatal(exc.code, exc.detail)
        outside = [ip for ip in [self.addr, *([self.config.host] if self.config.host else []), *self._targets]
                   if not is_allowed(ip, allowed)]
        if outside:
            return self._fatal("not_allowed", f"{outside[0]} is outside ZP2P_ALLOWED_NETS ({', '.join(allowed)})")
        try:
            self._sec = Security.open(self.config)
        except ValidationError as exc:
            return self._fatal(exc.code, exc.detail)
        t, lim, port, curve = self.config.timings, self.config.limits, self.config.ports, self._sec.curve
        self._roles.start(Sender(self.ctx, self._inbox.put, self.node_id, self.addr, port[2], t, lim, curve))
        self._roles.start(Receiver(self.ctx, self._inbox.put, self.addr, port[3], t, lim, curve))
        self._roles.start(RegistrationClient(self.ctx, self._inbox.put, self.addr, port[1], t, lim, curve))
        self._search(self._initial_targets(), promote_after=t.discovery_window, reason="start")

    def _initial_targets(self) -> list[str]:
        return [self.config.host] if self.config.host else self._targets

    # -- roles
    # -- dispatch
    def _dispatch(self, item: tuple) -> None:
        kind = item[0]
        if kind == "packets":
            self._on_packets(item[1], item[2])
        elif kind == "reply":
            self._on_reply(item[1], item[2])
        elif kind == "beacon":
            self._on_beacon(item[1], item[2])
        elif kind == "host_lost":
            self._on_host_lost(item[1], item[2])
        elif kind == "roster_changed":
            self._roles.tell("relay", "roster")
        elif kind == "say":
            self._on_say(item[1])
        elif kind == "users":
            self._emit(ev.Presence(users=self.roster))
        elif kind == "quit":
            self._begin_quit()
        elif kind == "failed":
            self._fatal("bind_failed" if item[1] in HOST_ROLES else "internal", f"{item[1]}: {item[2]}")

    # -- searching
    def _search(self, targets: list[str], promote_after: float, reason: str, fast: bool = False) -> None:
        self._roles.stop("discovery")
        self.phase = "searching" if reason == "start" else "recovering"
        if reason == "start":
            self._emit(ev.Searching(ranges=self._ranges))
        self._deadline = time.monotonic() + promote_after
        if targets:
            ivl = (100, 500) if fast else (1000, 5000)
            self._roles.start(Discovery(self.ctx, self._inbox.put, targets, self.config.port, self.config.limits, *ivl))

    def _watch(self) -> None:
        """A host keeps a slow watch for other hosts of the room, so split rooms merge."""
        self._roles.stop("discovery")
        if self._targets:
            ivl = int(self.config.timings.watch_reconnect * 1000)
            self._roles.start(Discovery(self.ctx, self._inbox.put, self._targets, self.config.port,
                                       self.config.limits, ivl, max(ivl, 5000)))

    def _on_beacon(self, ip: str, desc: dict[str, Any] | None) -> None:
        if desc is None:
            if ip not in self._legacy_seen:
                self._legacy_seen.add(ip)
                self._emit(ev.LegacyHost(host=ip))
                log.warning("%s runs a seed-era host without a room description; not joining it", ip)
            return
        if not self._sec.is_ours(desc) or desc["host_id"] == self.node_id:
            return
        refusal = self._sec.refusal(desc)
        if refusal is not None:  # fatal only if no host of ours turns up before the deadline
            self._refused = self._refused or refusal
            return
        if self.phase in ("searching", "recovering"):
            self._join(ip)
        elif self.hosting and self._host_state is not None and beats(desc, self._my_desc()):
            log.info("host %s (term %s) outranks us (term %s); handing our room to it", ip, desc["term"], self.term)
            self._retire_host(("redirect", ip))
            self._emit(ev.Reconnecting(reason="merging with another host"))
            self._join(ip)

    def _my_desc(self) -> dict[str, Any]:
        return {"room": self.config.room, "room_id": self._sec.room_id, "host_id": self.node_id,
                "nick": self.config.nick, "epoch": self.epoch, "term": self.term, "secure": self._sec.secure,
                "members": len(self.roster)}

    # -- joining
    def _join(self, ip: str) -> None:
        if not is_allowed(ip, self.config.allowed_nets):  # a redirect or beacon may name any address
            self._emit(ev.Error(code="not_allowed", detail=f"not joining {ip}: outside ZP2P_ALLOWED_NETS"))
            return
        if ip != self.addr:
            self._roles.stop("discovery")
        self.host_ip = ip
        self._welcomed = False
        self._probing = False
        self._pending.clear()
        self._failures = 0
        self.phase = "hosting" if self.hosting else "joining"
        self._roles.tell("receiver", "connect", ip, time.monotonic())
        self._roles.tell("sender", "connect", ip)
        self._roles.tell("registration", "connect", ip)
        self._register()

    def _register(self) -> None:
        frame = encode("register", node_id=self.node_id, nick=self.config.nick, room=self.config.room,
                       proto=PROTOCOL_VERSION, key=self._sec.key)
        self._roles.tell("registration", "request", ("register", self.host_ip), frame)

    def _on_reply(self, tag: tuple, msg: dict[str, Any] | None) -> None:
        what, host = tag[0], tag[1]
        if host != self.host_ip:
            return
        if what == "register":
            self._on_register_reply(msg)
        elif what == "ping":
            self._on_ping_reply(tag[2], msg)
        elif what == "probe":
            self._on_probe_reply(host, msg)
        elif what == "fetch" and msg is not None and msg["k"] == "history":
            self._show(self._chat.receive(msg["messages"], time.monotonic()))

    def _on_register_reply(self, msg: dict[str, Any] | None) -> None:
        if msg is None:
            self._failures += 1
            if self._failures < 3:
                self._register()
            elif self.hosting:
                self._fatal("internal", "this node's own registry does not accept it")
            else:
                self._on_host_lost(self.host_ip or "", "no answer")
            return
        if msg["k"] == "refused":
            if msg["code"] in FATAL_REFUSALS:
                return self._fatal(msg["code"], msg["detail"])
            log.warning("registration refused (%s): %s", msg["code"], msg["detail"])
            return self._on_register_reply(None)  # count it as a failure: retry, then treat the host as lost
        if msg["k"] == "welcome":
            self._on_welcome(msg)

    def _on_welcome(self, msg: dict[str, Any]) -> None:
        first = not self._joined_once
        self._missing_since = None
        self._welcomed = True
        self._failures = 0
        self.host_id, self.term, self.epoch = msg["host_id"], msg["term"], msg["epoch"]
        self.roster = tuple(member_from_json(m) for m in msg["members"])
        self._roster_version = msg["version"]
        self._listed = any(m.node_id == self.node_id for m in self.roster)
        for warning in self._sec.key_warnings(self.roster):
            self._emit(warning)
        now = time.monotonic()
        self._show(self._chat.welcome(msg["backlog"], msg["marks"], now, first))
        pending, self._pending = self._pending, []
        self._on_packets(self.host_ip or "", pending)
        if not self.hosting:
            self._roles.stop("discovery")
            self.phase = "member"
            if first:
                self._emit(ev.Joined(host=self.host_ip or "", users=self.roster))
            else:
                self._emit(ev.HostChanged(host=self.host_ip or ""))
        self._emit(ev.Presence(users=self.roster))
        if self.hosting:
            self._roles.tell("beacon", "update", self._my_desc())  # the beacon's member count
        self._joined_once = True
        self._resend(now, everything=True)

    # -- hosting
    def _become_host(self, term: int) -> None:
        self._roles.stop("discovery")
        lost = self.host_id
        self.epoch = time.time()
        self.term = term
        seed = [m for m in self.roster if m.node_id != lost]
        self._host_state = HostState(self.config.room, self.node_id, term, self.epoch, self.config.limits,
                                     seed=seed, backlog=self._chat.recent, marks=self._chat.delivery.marks(),
                                     now=time.monotonic())
        t, lim, port, curve = self.config.timings, self.config.limits, self.config.ports, self._sec.curve
        roles = [
            Beacon(self.ctx, self._inbox.put, self.addr, port[0], self._my_desc(), t.beacon_period, lim),
            Registry(self.ctx, self._inbox.put, self.addr, port[1], self._host_state, lim, curve),
            Relay(self.ctx, self._inbox.put, self.addr, port[2], port[3], self._host_state, t, lim, curve),
        ]
        for actor in roles:
            self._roles.start(actor)
        for actor in roles:
            actor.ready.wait(3.0)
        failed = next((actor for actor in roles if actor.failure), None)
        if failed is not None:  # e.g. the port is taken by another program: say so, do not claim to host
            return self._fatal("bind_failed", f"cannot host on {self.addr}: {failed.name}: {failed.failure}")
        if self._done:
            return
        self.hosting = True
        self.host_id = self.node_id
        self._emit(ev.Hosting(host=self.addr))
        self._join(self.addr)
        if not (self.config.host and not self.config.scan):
            self._watch()

    def _retire_host(self, farewell: tuple) -> None:
        """Stop beaconing now; let the relay publish its farewell, then close it shortly after."""
        self._roles.stop("beacon")
        self._roles.tell("relay", *farewell)
        self.hosting = False
        self._host_state = None
        self._retire_at = time.monotonic() + 0.3

    # -- losing the host
    def _on_host_lost(self, ip: str, reason: str, successor: str | None = None) -> None:
        if ip != self.host_ip or self.phase not in ("member", "joining") or self._quit_stage:
            return
        if reason == "silent" and not self._probing:
            self._probe(ip)
            return
        self._fail_over(ip, reason, successor)

    def _probe(self, ip: str) -> None:
        """Silence alone is not proof: a host starved of CPU (or flooded by a hostile peer) may
        just be late with its beat. Ask its registry on a fresh REQ, so nothing queued goes first;
        an answer of any kind within request_timeout means alive."""
        self._probing = True
        self._roles.tell("registration", "connect", ip)
        self._roles.tell("registration", "request", ("probe", ip), encode("ping", node_id=self.node_id))

    def _on_probe_reply(self, ip: str, msg: dict[str, Any] | None) -> None:
        self._probing = False
        if msg is None:
            self._fail_over(ip, "silent", None)
        else:
            log.info("host %s was silent but answers: slow, not lost", ip)
            self._roles.tell("receiver", "alive", time.monotonic())

    def _fail_over(self, ip: str, reason: str, successor: str | None) -> None:
        lost = self.host_id
        log.info("host %s lost (%s)", ip, reason)
        self._emit(ev.Reconnecting(reason=f"host {ip} {reason}"))
        self._roles.tell("receiver", "disconnect")
        self._welcomed = False
        self.host_ip = None
        order = successors(self.roster, lost)
        if successor is not None:
            order.sort(key=lambda m: m.node_id != successor)
        rank = next((i for i, m in enumerate(order) if m.node_id == self.node_id), len(order))
        if rank == 0:
            self._become_host(self.term + 1)
            return
        candidates = [m.addr for m in order[:rank] if is_allowed(m.addr, self.config.allowed_nets)]
        candidates = candidates or self._initial_targets()
        self._search(candidates, promote_after=rank * self.config.timings.takeover_step, reason="failover", fast=True)

    # -- messages
    def _on_say(self, text: str) -> None:
        try:
            text = check_text(text, self.config.limits.max_text_bytes)
        except ValidationError as exc:
            return self._emit(ev.Error(code=exc.code, detail=exc.detail))
        if self._chat.outbox.full():
            return self._emit(ev.Error(code="queue_full", detail="too many unsent messages; wait for the room"))
        frame = self._chat.say(text, time.monotonic(), connected=self._welcomed)
        if frame is not None:
            self._roles.tell("sender", "send", frame)

    def _resend(self, now: float, everything: bool) -> None:
        """Send what is unconfirmed and due, or all of it after a host change, within the window."""
        if self._welcomed:
            for frame in self._chat.outbox.due(now, everything):
                self._roles.tell("sender", "send", frame)

    def _busy(self) -> bool:
        return bool(self._quit_stage or self._retire_at is not None or self.phase in ("searching", "recovering")
                    or self._chat.pending())

    def _on_packets(self, host: str, packets: list[dict[str, Any]]) -> None:
        if host != self.host_ip:
            return
        if not self._welcomed:
            self._pending.extend(packets[: 10_000 - len(self._pending)])
            return
        chats = []
        for msg in packets:
            kind = msg["k"]
            if kind == "chat":
                chats.append(msg)
            elif kind == "roster":
                self._on_roster(msg)
            elif kind == "beat":
                self._on_beat(msg)
            elif kind == "handover":
                self._on_host_lost(host, "left", successor=msg["successor"])
            elif kind == "redirect":
                self._emit(ev.Reconnecting(reason=f"room moved to {msg['addr']}"))
                self._join(msg["addr"])
            elif kind == "notice" and msg["to"] == self.node_id:
                self._emit(ev.Error(code=msg["code"], detail=msg["detail"]))
        if chats:
            self._show(self._chat.receive(chats, time.monotonic()))

    def _show(self, messages: list[ev.Message]) -> None:
        for message in messages:
            self._emit(message)

    def _on_beat(self, msg: dict[str, Any]) -> None:
        """The host's heartbeat (and the head of every roster): term, and who said what last."""
        self.term, self.epoch = msg["term"], msg["epoch"]
        now = time.monotonic()
        self._chat.announce(msg["marks"], now)
        self._check_listed(now)

    def _on_roster(self, msg: dict[str, Any]) -> None:
        if msg["version"] < self._roster_version:  # published before our welcome, delivered after it
            return self._on_beat(msg)
        self._roster_version = msg["version"]
        roster = tuple(member_from_json(m) for m in msg["members"])
        self._listed = any(m.node_id == self.node_id for m in roster)
        if roster != self.roster:
            self.roster = roster
            if self.hosting:
                self._roles.tell("beacon", "update", self._my_desc())
            for warning in self._sec.key_warnings(roster):
                self._emit(warning)
            self._emit(ev.Presence(users=roster))
        self._on_beat(msg)

    def _check_listed(self, now: float) -> None:
        """Register again when the host's roster has lacked us for a while (we were frozen, or the
        host is new); a roster published just before our registration is not enough."""
        if self._listed:
            self._missing_since = None
        elif self._quit_stage == "farewell":
            self._quit_stage = "done"  # the host has taken our leave
        elif self._missing_since is None:
            self._missing_since = now
        elif now - self._missing_since > 2 * self.config.timings.heartbeat and now - self._last_reregister > 1.0:
            self._last_reregister = now
            self._register()

    # -- timers
    def _tick(self, now: float) -> None:
        if self._retire_at is not None and now >= self._retire_at:
            self._retire_at = None
            if not self.hosting:
                for name in HOST_ROLES:
                    self._roles.stop(name)
        if self._quit_stage:
            return self._quit_tick(now)
        if self.phase in ("searching", "recovering") and now >= self._deadline:
            self._deadline_passed(now)
        if self._welcomed:
            self._member_tick(now)

    def _deadline_passed(self, now: float) -> None:
        if self.phase == "searching" and self._refused:
            return self._fatal(*self._refused)
        host = self.config.host
        if self.phase == "searching" and host and host != self.addr:
            if not self._no_host_reported:
                self._no_host_reported = True
                self._emit(ev.Error(code="no_host", detail=f"no zp2p host answers at {host}; still trying"))
            self._deadline = now + 3600
            return
        self._become_host(self.term + 1 if self._joined_once else 0)

    def _member_tick(self, now: float) -> None:
        self._resend(now, everything=False)
        t = self.config.timings
        for gap in self._chat.gaps(now):
            frame = encode("fetch", node_id=self.node_id, sender=gap.sender, first=gap.first, last=gap.last)
            self._roles.tell("registration", "request", ("fetch", self.host_ip), frame)
        self._show(self._chat.give_up(now, t.gap_wait * 2))
        if now >= self._next_ping:
            self._next_ping = now + t.rtt_period
            self._roles.tell("registration", "request", ("ping", self.host_ip, now), encode("ping", node_id=self.node_id))

    def _on_ping_reply(self, sent: float, msg: dict[str, Any] | None) -> None:
        """Round-trip time for the status bar. A lost ping is not a lost host: a dropped connection
        and a silent relay say that (and a silence is probed before anyone takes over)."""
        if msg is None:
            return
        if msg["k"] == "pong":
            self._emit(ev.Rtt(ms=(time.monotonic() - sent) * 1000))
        elif msg["k"] == "refused" and msg["code"] == "not_registered":
            self._register()

    # -- leaving
    def _begin_quit(self) -> None:
        if self._quit_stage:
            return
        self._quit_stage = "flush"
        self._next_tick = 0.0
        self._quit_deadline = time.monotonic() + (0.5 if self._welcomed else 0.0)

    def _quit_tick(self, now: float) -> None:
        if self._quit_stage == "flush" and (not len(self._chat.outbox) or now >= self._quit_deadline):
            self._quit_stage = "farewell"
            self._quit_deadline = now + 0.3
            others = successors(self.roster, self.node_id)
            if self.hosting and others:
                self._roles.tell("relay", "handover", others[0].node_id, others[0].addr)
            elif self._welcomed and not self.hosting:
                self._quit_deadline = now + self.config.timings.request_timeout
                self._roles.tell("sender", "send", encode("leave", node_id=self.node_id))
            else:
                self._quit_stage = "done"
        elif self._quit_stage == "farewell" and now >= self._quit_deadline:
            self._quit_stage = "done"
        if self._quit_stage == "done":
            self._done = True
