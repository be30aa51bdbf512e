"""The room's life as this node sees it: one State at a time, changed only through the table
TRANSITIONS (Binary Star style: (state, trigger) -> next state). A pair that is not in the table
is a bug in the engine, so `Machine.fire` raises on it, in tests and in use alike: the engine turns
the exception into a fatal `internal` error, which a person sees, rather than going on in a
combination of facts nobody designed. docs/architecture.md shows the same table; a unit test
compares the two."""

from __future__ import annotations

from enum import Enum


class State(str, Enum):
    IDLE = "idle"  # constructed, not started
    SEARCHING = "searching"  # listening for a beacon of our room; hosts when the window ends
    JOINING = "joining"  # registered with a host, waiting for its welcome
    MEMBER = "member"  # welcomed by another node's host
    RECOVERING = "recovering"  # the host is lost: waiting for a successor's beacon or our turn
    PROMOTING = "promoting"  # our host roles are bound; registering with them
    HOSTING = "hosting"  # our host roles serve the room and have welcomed us
    RETIRING = "retiring"  # another host outranks ours: our relay says farewell, we join the other
    LEAVING = "leaving"  # asked to quit: flushing unconfirmed messages
    FAREWELL = "farewell"  # said goodbye (leave, or handover as host); waiting to be let go
    LEFT = "left"  # every role stopped; the engine thread ends


class Trigger(str, Enum):
    START = "start"  # the engine thread runs
    FOUND = "found"  # a host to join: a beacon, a redirect
    WELCOMED = "welcomed"  # a welcome from the registry we registered with
    HOST_LOST = "host_lost"  # dropped, silent past a probe, handed over, unanswered
    PROMOTE = "promote"  # no host turned up in time, or we are first in line
    OUTRANKED = "outranked"  # a beacon of our room that beats our own host
    QUIT = "quit"  # the front end asked to leave
    FLUSHED = "flushed"  # unsent messages confirmed, or the flush time is up
    DONE = "done"  # nothing left to do: the host took our leave, or there was no one to tell
    FAIL = "fail"  # a fatal error


S, T = State, Trigger
_LIVE = (S.IDLE, S.SEARCHING, S.JOINING, S.MEMBER, S.RECOVERING, S.PROMOTING, S.HOSTING, S.RETIRING)

TRANSITIONS: dict[tuple[State, Trigger], State] = {
    (S.IDLE, T.START): S.SEARCHING,
    (S.SEARCHING, T.FOUND): S.JOINING,
    (S.SEARCHING, T.PROMOTE): S.PROMOTING,
    (S.JOINING, T.FOUND): S.JOINING,
    (S.JOINING, T.WELCOMED): S.MEMBER,
    (S.JOINING, T.HOST_LOST): S.RECOVERING,
    (S.MEMBER, T.FOUND): S.JOINING,
    (S.MEMBER, T.WELCOMED): S.MEMBER,
    (S.MEMBER, T.HOST_LOST): S.RECOVERING,
    (S.RECOVERING, T.FOUND): S.JOINING,
    (S.RECOVERING, T.PROMOTE): S.PROMOTING,
    (S.PROMOTING, T.WELCOMED): S.HOSTING,
    (S.PROMOTING, T.OUTRANKED): S.RETIRING,
    (S.HOSTING, T.WELCOMED): S.HOSTING,
    (S.HOSTING, T.OUTRANKED): S.RETIRING,
    (S.RETIRING, T.FOUND): S.JOINING,
    (S.RETIRING, T.WELCOMED): S.MEMBER,
    (S.RETIRING, T.HOST_LOST): S.RECOVERING,
    **{(state, T.QUIT): S.LEAVING for state in _LIVE},
    (S.LEAVING, T.WELCOMED): S.LEAVING,
    (S.LEAVING, T.FLUSHED): S.FAREWELL,
    (S.FAREWELL, T.WELCOMED): S.FAREWELL,
    (S.FAREWELL, T.DONE): S.LEFT,
    **{(state, T.FAIL): S.LEFT for state in (*_LIVE, S.LEAVING, S.FAREWELL)},
}

CONNECTED = frozenset({S.MEMBER, S.HOSTING})  # welcomed: packets are shown, messages sent
HOST_UP = frozenset({S.PROMOTING, S.HOSTING})  # our beacon, registry and relay serve the room
ATTACHED = frozenset({S.JOINING, S.MEMBER, S.RETIRING})  # following another node's host
LOOKING = frozenset({S.SEARCHING, S.RECOVERING})  # a beacon of our room is joined at once
GOING = frozenset({S.LEAVING, S.FAREWELL, S.LEFT})


class IllegalTransition(RuntimeError):
    """A (state, trigger) pair the table does not allow: an engine bug, never a network condition."""


class Machine:
    """The current state, and the live state a quit started from: while leaving, the node still
    confirms its messages (if it was connected) and hands its room over (if it was hosting)."""

    def __init__(self) -> None:
        self.state = S.IDLE
        self.before_leaving = S.IDLE

    def fire(self, trigger: Trigger) -> State:
        try:
            following = TRANSITIONS[(self.state, trigger)]
        except KeyError:
            raise IllegalTransition(f"{trigger.value} is not allowed while {self.state.value}") from None
        if following is S.LEAVING and self.state is not S.LEAVING:
            self.before_leaving = self.state
        self.state = following
        return following

    def can(self, trigger: Trigger) -> bool:
        return (self.state, trigger) in TRANSITIONS

    def _live(self) -> State:
        return self.before_leaving if self.state in GOING else self.state

    @property
    def connected(self) -> bool:
        return self._live() in CONNECTED

    @property
    def hosting(self) -> bool:
        return self._live() in HOST_UP


def table_markdown() -> str:
    """The transition table as the Markdown docs/architecture.md embeds (a test compares them)."""
    rows = ["| state | trigger | next state |", "|---|---|---|"]
    rows += [f"| {s.value} | {t.value} | {n.value} |" for (s, t), n in TRANSITIONS.items()]
    return "\n".join(rows)
