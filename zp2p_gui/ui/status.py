"""What the status badge says, derived from engine events only, so it cannot drift from the
truth: the engine is the one place that knows whether this computer hosts the room."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

from ..core import events as ev
from ..core.events import Member


class State(enum.Enum):
    OFFLINE = "offline"
    SEARCHING = "searching"
    HOSTING = "hosting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    ERROR = "error"


@dataclass(frozen=True)
class Status:
    """The connection as the window shows it; `host` is the host's address when known."""

    state: State = State.OFFLINE
    host: str = ""
    host_nick: str = ""
    error_code: str = ""
    error_detail: str = ""
    members: tuple[Member, ...] = ()
    rtt_ms: float | None = None

    @property
    def online(self) -> bool:
        """Whether a message typed now has a room to go to (or will be resent once it has)."""
        return self.state in (State.HOSTING, State.CONNECTED, State.RECONNECTING)


def advance(status: Status, event: ev.Event) -> Status:
    """The status after one event; events that do not change the connection leave it as is."""
    match event:
        case ev.Searching():
            return Status(state=State.SEARCHING)
        case ev.Hosting(host=host):
            return replace(status, state=State.HOSTING, host=host, host_nick="", rtt_ms=None)
        case ev.Joined(host=host, users=users):
            return _with_members(replace(status, state=State.CONNECTED, host=host, rtt_ms=None), users)
        case ev.HostChanged(host=host):
            return _with_members(replace(status, state=State.CONNECTED, host=host, rtt_ms=None), status.members)
        case ev.Reconnecting():
            return replace(status, state=State.RECONNECTING, rtt_ms=None)
        case ev.Presence(users=users):
            return _with_members(status, users)
        case ev.Rtt(ms=ms):
            return replace(status, rtt_ms=ms)
        case ev.Error(fatal=True, code=code, detail=detail):
            return Status(state=State.ERROR, error_code=code, error_detail=detail)
        case ev.Left():
            return status if status.state is State.ERROR else Status()
    return status


def _with_members(status: Status, users: tuple[Member, ...]) -> Status:
    host = next((m for m in users if m.host), None)
    nick = host.nick if host is not None and host.addr == status.host else status.host_nick
    return replace(status, members=users, host_nick=nick)
