"""The engine: search -> join or host -> run -> fail over -> leave. One engine thread owns the
state machine (engine/states.py) and every field of the room as this node sees it; each role runs
in its own thread with its own sockets (net/). Both front ends drive it through `Node`."""

from __future__ import annotations

import queue
import time
from typing import TYPE_CHECKING, Any, Callable, Sequence

import zmq

from .. import since_start
from ..core import events as ev
from ..core.batches import BATCH_MAX
from ..core.config import Config
from ..core.errors import Code, lookup
from ..core.lazylog import Log
from ..core.signing import new_node_id
from ..core.validation import ValidationError, check_text, is_allowed, ranges_allowed, scan_addresses
from ..net.interfaces import address_of, slash24
from ..net.messages import (AcceptOffer, CancelTransfer, DeclineOffer, ListUsers, MarkRead, Quit, RoleFailed, Say,
                            Says, SendDirect, SendFiles)
from ..net.roles import Spawn, spawn_thread
from .base import INBOX
from .direct import new_dm_id
from .failover import Failover
from .files import Files
from .hosting import HOST_ROLES, Hosting
from .joining import Joining
from .leaving import Leaving
from .states import GOING, LOOKING, State, Trigger

if TYPE_CHECKING:
    from ..identity import Security
    from ..net.receiver import Receiver
    from ..net.registration import RegistrationClient
    from ..net.sender import Sender

log = Log(__name__)

TICK_BUSY = 0.02  # searching, resending, fetching a gap or leaving
TICK_IDLE = 0.25  # a registration retry or a direct message waits: wake rarely, so an idle node costs well under 1 % of a core
SAYS = (Say, Says)  # what the engine gathers into batches before it flushes them


class Node(Joining, Failover, Hosting, Leaving, Files):
    """A chat node. Thread-safe public methods: start, say, say_many, room_for_more, send_direct, mark_read,
    send_files, accept_offer, decline_offer, cancel_transfer, request_users, stop, wait."""

    def __init__(self, config: Config, on_event: Callable[[ev.Event], None], spawn: Spawn = spawn_thread,
                 ctx: zmq.Context | None = None) -> None:
        super().__init__(config, on_event, spawn, ctx)

    # ------------------------------------------------------------------ public API (any thread)
    def start(self) -> None:
        self._worker = self.spawn("engine", self._run)

    def say(self, text: str) -> None:
        self._gate.take()
        self._inbox.put(Say(text))

    def say_many(self, texts: Sequence[str]) -> int:
        """The first of `texts`, as many as the outbox has room for, to the engine in one hand-over
        (a piped front end: one queue round between threads per batch, not per line); returns how
        many were taken. Wait for room_for_more before offering the rest."""
        count = self._gate.take_up_to(len(texts))
        if count:
            self._inbox.put(Says(tuple(texts[:count])))
        return count

    def room_for_more(self, timeout: float | None = None) -> bool:
        """Backpressure: False while the outbox is full (for up to timeout s); a front end that
        waits for True before each say never has a message refused with queue_full."""
        return self._gate.wait(timeout)

    def send_direct(self, text: str, nick: str | None = None, key: str | None = None) -> str:
        """A direct message to the member with identity key `key` (or, from the CLI, the one
        `nick` names); returns its id at once, outcomes arrive as Delivered/Queued/Error events."""
        dm_id = new_dm_id()
        self._inbox.put(SendDirect(dm_id, text, nick, key))
        return dm_id

    def mark_read(self, key: str, ids: tuple[str, ...]) -> None:
        """The window shows these direct messages from `key`: their sender gets a read mark."""
        self._inbox.put(MarkRead(key, tuple(ids)))

    def send_files(self, path: str, nick: str | None = None, key: str | None = None) -> str:
        """Offer the file or folder at `path` to the member with identity key `key` (or the one
        `nick` names); returns the transfer id at once. Outcomes arrive as OfferSent, Progress,
        TransferDone or TransferFailed events (a bad path too: never an exception here)."""
        transfer_id = new_dm_id()
        self._inbox.put(SendFiles(transfer_id, path, nick, key))
        return transfer_id

    def accept_offer(self, id: str, folder: str | None = None) -> None:
        """Take incoming transfer `id` into `folder` (default: the downloads folder)."""
        self._inbox.put(AcceptOffer(id, folder))

    def decline_offer(self, id: str) -> None:
        self._inbox.put(DeclineOffer(id))

    def cancel_transfer(self, id: str) -> None:
        """Stop transfer `id` either way; a recipient keeps its partial download for a resume."""
        self._inbox.put(CancelTransfer(id))

    def request_users(self) -> None:
        self._inbox.put(ListUsers())

    def stop(self, timeout: float = 3.0) -> bool:
        """Leave politely (a host hands over first) and stop every thread; True if all ended in time."""
        self._inbox.put(Quit())
        return self.wait(timeout)

    def wait(self, timeout: float | None = None) -> bool:
        if self._worker is None:
            return True
        self._worker.join(timeout)
        return not self._worker.is_alive()

    # ------------------------------------------------------------------ engine thread
    def _run(self) -> None:
        try:
            self._begin()
            while self.state is not State.LEFT:
                self._handle_inbox()
                self._flush_says()
                now = time.monotonic()
                if self.state is not State.LEFT and now >= self._next_tick:
                    self._tick(now)
                    self._next_tick = now + self._tick_gap(now)
                else:  # what just arrived may have started something timed
                    self._next_tick = min(self._next_tick, now + self._tick_gap(now))
        except Exception as exc:
            log.exception("engine failed")
            self._emit(ev.Error(code=Code.INTERNAL.value, detail=f"{exc.__class__.__name__}: {exc}", fatal=True))
        finally:
            self._roles.stop_all()
            self._member_end()
            self._direct_end()
            if self.machine.can(Trigger.FAIL):
                self._fire(Trigger.FAIL)
            self._emit(ev.Left())

    def _handle_inbox(self) -> None:
        """What arrives until the next tick is due, then back to the loop: a flood in the inbox
        must not hold back the timers, the member's heartbeat among them (a host that hears none
        for member_timeout drops the member). The engine sleeps in the inbox's poll, which its
        receiver's sockets wake too: what the host relays is read here, in this thread."""
        ready = self._inbox.wait(self._sleep_for(time.monotonic()))
        if self._receiver is not None:
            self._receiver.step(ready)  # its packets join the inbox, handled just below
        try:
            self._dispatch(self._inbox.get_nowait())
            while self.state is not State.LEFT and time.monotonic() < self._next_tick:
                self._dispatch(self._inbox.get_nowait())
        except queue.Empty:
            pass

    def _dispatch(self, item: Any) -> None:
        if type(item) not in SAYS:
            self._flush_says()  # what was said goes before anything else is handled: never held behind a flood
        if not INBOX.handle(self, type(item), item):
            log.error("the engine has no handler for %s", type(item).__name__)

    def _begin(self) -> None:
        self._fire(Trigger.START)
        if self.config.bind:
            self.addr = self.config.bind
        else:
            iface = address_of(self.config.interface)
            if iface is None:
                what = f"interface {self.config.interface!r}" if self.config.interface else "a default-route interface"
                return self._error(Code.NO_INTERFACE, f"found no IPv4 address on {what}; pass --bind IP")
            self.addr = iface.addr
        try:
            ranges = self.config.scan or ((slash24(self.addr),) if not self.config.host else ())
            self._ranges = tuple(ranges) or (self.config.host,)
            self._targets = [ip for ip in scan_addresses(ranges) if ip != self.addr]
        except ValidationError as exc:
            return self._invalid(exc)
        allowed = self.config.allowed_nets
        checked = [self.addr, *([self.config.host] if self.config.host else [])]
        if not ranges_allowed(ranges, allowed):
            checked += self._targets
        outside = [ip for ip in checked if not is_allowed(ip, allowed)]
        if outside:
            return self._error(Code.NOT_ALLOWED, f"{outside[0]} is outside ZP2P_ALLOWED_NETS ({', '.join(allowed)})")
        wall_ms, cpu_ms = since_start()
        self._emit(ev.Searching(ranges=self._ranges, import_ms=round(wall_ms, 2), import_cpu_ms=round(cpu_ms, 2)))
        self._search(self._initial_targets(), promote_after=self.config.timings.discovery_window)
        self._set_up()

    def _set_up(self) -> None:
        """What the node needs once a beacon answers, done while discovery already listens (its
        beacons wait in the inbox until this returns): the identity and the member roles. The
        direct-message store and port open once the first roster is handled (engine/direct.py
        `_OpenDirect`). A failure in either is fatal and ends the search too."""
        from ..identity import Security  # with the member roles: imported here, beside discovery, not before `searching`

        try:
            self._take_identity(Security.open(self.config))
        except ValidationError as exc:
            return self._invalid(exc)
        self._sender, self._receiver, registration = _member_roles(self)
        self._receiver.run_inline(self._inbox.poller)
        self._roles.start(registration)
        self._direct_later()

    def _take_identity(self, sec: Security) -> None:
        """The node id and the signatures on our messages both come from the identity key."""
        from ..core.conversation import Conversation  # with ordering and the backlog: after `searching`

        self._sec = sec
        self.node_id = new_node_id(sec.key)
        self._chat = Conversation(sec.sealer(self.node_id, self.config.nick), self.config.limits.backlog_bytes,
                                  self.config.timings.resend_after, self.config.limits.unconfirmed, self._gate)

    def _invalid(self, exc: ValidationError) -> None:
        """A ValidationError of our own options or files: its code is one of core/errors.py."""
        self._error(lookup(exc.code) or Code.INTERNAL, exc.detail)

    @INBOX.on(RoleFailed)
    def _on_role_failed(self, failed: RoleFailed) -> None:
        self._error(Code.BIND_FAILED if failed.role in HOST_ROLES else Code.INTERNAL, f"{failed.role}: {failed.detail}")

    @INBOX.on(ListUsers)
    def _on_list_users(self, request: ListUsers) -> None:
        self._emit(ev.Presence(users=self.roster))

    @INBOX.on(Say)
    def _on_say(self, request: Say) -> None:
        self._say(request.text)

    @INBOX.on(Says)
    def _on_says(self, request: Says) -> None:
        for text in request.texts:
            self._say(text)

    def _say(self, text: str) -> None:
        try:
            text = check_text(text, self.config.limits.max_text_bytes)
        except ValidationError as exc:
            self._chat.outbox.gate.done()
            return self._invalid(exc)
        if self._chat.full():
            self._chat.outbox.gate.done()
            return self._error(Code.QUEUE_FULL, "too many unsent messages; wait for the room")
        if self._chat.queue(text) >= BATCH_MAX:
            self._flush_says()

    def _flush_says(self) -> None:
        """Sign and send what was said since the last flush: the engine flushes whenever its inbox
        is empty or holds something other than a message to say (so a lone message goes at once,
        even while packets pour in), or a batch is full, never waiting for more."""
        if not self._chat.queued():
            return
        for frame in self._chat.flush(time.monotonic(), connected=self.machine.connected):
            self._send(frame)

    # -- timers
    def _busy(self) -> bool:
        return bool(self.state in GOING or self.state in LOOKING or self._retire_at is not None
                    or self._chat.pending())

    def _tick_gap(self, now: float) -> float:
        """How long the engine may sleep when nothing arrives: until the next timer, or the
        member's heartbeat (net/sender.py) if that is due first."""
        beat = self._sender.next_beat() if self._sender is not None else None
        gap = self._timers_gap(now)
        return gap if beat is None else max(0.0, min(gap, beat - now))

    def _timers_gap(self, now: float) -> float:
        """In a quiet room only the round-trip ping is timed: sleep until it is due, not four
        times a second."""
        if self._busy():
            return TICK_BUSY
        if (direct := self._direct_due_in(now)) == float("inf") and self.machine.connected and self._retry.at is None:
            return max(TICK_IDLE, self._next_ping - now)
        return min(TICK_IDLE, direct)

    def _tick(self, now: float) -> None:
        if self._sender is not None:
            self._sender.beat(now)
        self._retire_tick(now)
        if self.state in GOING:
            return self._quit_tick(now)
        if self.state in LOOKING and now >= self._deadline:
            self._deadline_passed(now)
        self._retry_tick(now)
        if self.machine.connected:
            self._member_tick(now)
        self._direct_tick(now)


def _member_roles(node: Node) -> tuple[Sender, Receiver, RegistrationClient]:
    """A member's sender, receiver and registration client, for `Node._set_up`. Their modules load
    here, the first time a node makes them: the way to `searching` does not wait for them."""
    from ..net.receiver import Receiver
    from ..net.registration import RegistrationClient
    from ..net.sender import Sender

    t, lim, port, curve = node.config.timings, node.config.limits, node.config.ports, node._sec.curve
    return (Sender(node.ctx, node.node_id, node.addr, port[2], t, lim, curve),
            Receiver(node.ctx, node._inbox.put, node.addr, port[3], t, lim, curve),
            RegistrationClient(node.ctx, node._inbox.put, node.addr, port[1], t, lim, curve))
