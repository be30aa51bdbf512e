"""What every part of the engine shares: the configuration, the roles, the state machine, the
room as this node sees it, and the three dispatch tables the parts fill with their handlers.
Only the engine thread touches any of it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

import zmq

from ..core import events as ev
from ..core.config import Config
from ..core.dispatch import Handlers
from ..core.errors import Code
from ..core.events import Member
from ..core.fairshare import FairShare
from ..core.lazylog import Log
from ..core.outbox import SendGate
from ..core.retry import RegisterRetry
from ..net.messages import MergeCheck
from ..net.roles import Roles, Spawn, Worker
from .inbox import Inbox
from .states import Machine, State, Trigger

if TYPE_CHECKING:  # made in Node._set_up, after `searching`: engine/node.py imports them there
    from ..core.conversation import Conversation
    from ..identity import Security
    from ..net.receiver import Receiver
    from ..net.sender import Sender

log = Log(__name__)

INBOX: Handlers[type] = Handlers("inbox")  # net/messages.py events and requests, by type
REPLIES: Handlers[type] = Handlers("replies")  # registry replies, by the purpose of their request
PACKETS: Handlers[str] = Handlers("packets")  # what the host publishes, by wire kind


IO_THREADS = 2  # libzmq I/O threads: the direct port's and the file actor's CURVE work apart (net/files.py)


class EngineBase:
    """Fields of the engine. Facts that are not states stay fields: `joined_once` (history),
    `_listed` (what the last roster said), `_refused` (a refusal kept until the search ends),
    `_probing` (a question out to the host; it overlaps joining and member), `_retire_at` (when
    the retired host roles close; it overlaps joining and member too)."""

    def __init__(self, config: Config, on_event: Callable[[ev.Event], None], spawn: Spawn,
                 ctx: zmq.Context | None) -> None:
        self.config = config
        self.on_event = on_event
        self.spawn = spawn
        self.ctx = ctx or zmq.Context.instance(io_threads=IO_THREADS)
        self.node_id = ""  # bound to the identity key, so known once _begin has read it
        self.addr = ""
        self.machine = Machine()
        self._sec: Security
        self._ranges: tuple[str, ...] = ()
        self._targets: list[str] = []
        self._inbox = Inbox()
        self._worker: Worker | None = None
        self._roles = Roles(spawn)
        self._sender: Sender | None = None  # the PUSH to the host's relay: created, used and closed in the engine thread
        self._receiver: Receiver | None = None  # the SUB on the host's relay: an actor the engine thread drives itself
        # the room as this node sees it
        self.host_ip: str | None = None
        self.host_id = ""
        self.term = 0
        self.epoch = 0.0
        self.roster: tuple[Member, ...] = ()
        self._joined_once = False
        self._pending: list[dict[str, Any]] = []
        self._deadline = 0.0
        self._retire_at: float | None = None
        self._hosted_here = False  # host roles bound on this address before: a re-bind may wait for them
        self._legacy_seen: set[str] = set()
        self._no_host_reported = False
        self._failures = 0
        self._retry = RegisterRetry()
        self._next_ping = 0.0
        self._last_reregister = 0.0
        self._missing_since: float | None = None
        self._probing = False
        self._listed = False
        self._roster_version = 0
        self._refused: tuple[str, str] | None = None
        self._followed: tuple[str, ...] = ()  # hosts of this room we followed, newest first (election.lineage)
        self._heard_after: tuple[str, tuple[str, ...]] = ("", ())  # the joined beacon's host id and `after`
        self._merge: MergeCheck | None = None  # a host we asked to welcome us before moving our room to it
        self._merge_retry: dict[str, float] = {}
        self._redirected_from: str | None = None  # the host whose redirect we follow, until welcomed
        self._heard_host_at = 0.0  # when our host last published anything: a host that does is not lost
        self._share = FairShare()  # our relay's turns while we host: it paces the room by our display
        self._chat: Conversation  # messages; made by _take_identity, which knows the identity
        # Front ends take and wait on the gate from their threads, possibly before the engine
        # thread has read the identity, so it exists from the start and the outbox is given it.
        self._gate = SendGate(config.limits.unconfirmed, config.limits.unconfirmed // 2)
        self._next_tick = 0.0
        self._quit_deadline = 0.0

    @property
    def state(self) -> State:
        return self.machine.state

    @property
    def phase(self) -> str:
        """The state's name, for logs and tests."""
        return self.machine.state.value

    @property
    def hosting(self) -> bool:
        return self.machine.hosting

    def _fire(self, trigger: Trigger) -> State:
        before = self.machine.state
        after = self.machine.fire(trigger)
        if after is not before:
            log.debug("%s --%s--> %s", before.value, trigger.value, after.value)
        return after

    def _send(self, frame: bytes) -> None:
        """A frame to the host's relay, from this thread (net/sender.py); dropped before the sender exists."""
        if self._sender is not None:
            self._sender.send(frame)

    def _sleep_for(self, now: float) -> float:
        """How long the engine may sleep: until its next tick or its receiver's next timer (the
        silence clock)."""
        gap = self._next_tick - now
        receiver_ms = self._receiver.poll_timeout_ms() if self._receiver is not None else None
        return gap if receiver_ms is None else min(gap, receiver_ms / 1000)

    def _tell_receiver(self, command: Any) -> None:
        """Connect, Disconnect or Alive for the receiver: it runs in this thread (engine/inbox.py),
        so a command is a call; none before the receiver exists."""
        if self._receiver is not None:
            self._receiver.on_command(command)

    def _emit(self, event: ev.Event) -> None:
        try:
            self.on_event(event)
        except Exception:
            log.exception("event handler failed on %s", event.name)

    def _emit_many(self, events: list[ev.Event]) -> None:
        """Events that happened together (a batch of messages shown): in one call when the front
        end takes several at once (the headless printer writes them with one system call)."""
        many = getattr(self.on_event, "many", None)
        if many is None:
            for event in events:
                self._emit(event)
            return
        try:
            many(events)
        except Exception:
            log.exception("event handler failed on %d events", len(events))

    def _error(self, code: Code, detail: str) -> None:
        """Report an error; Code.severity decides whether the run ends."""
        self._emit(ev.Error(code=code.value, detail=detail, fatal=code.fatal))
        if code.fatal:
            self._fire(Trigger.FAIL)

    def _direct_roster(self) -> None:
        """The roster changed; engine/direct.py acts on it."""

    def _nick_of(self, node_id: str = "", addr: str = "") -> str:
        """A member's nick from the roster, by node id or address; "" when it does not say."""
        return next((m.nick for m in self.roster if (node_id and m.node_id == node_id) or
                     (addr and m.addr == addr)), "")
