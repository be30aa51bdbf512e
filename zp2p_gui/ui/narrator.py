"""Words for the chat's system lines: what happened to the room, told from this user's side."""

from __future__ import annotations

from PySide6.QtCore import QObject

from ..core import events as ev
from .members import RosterChange
from .problems import Problems
from .scope import SearchScope
from .status import State


class Narrator(QObject):
    """Turns engine events and roster changes into translated sentences (or nothing).
    `scope` is what the current Connect searches; the engine's Searching event does not name
    the /24 it picked, so the window tells the narrator. `room` is named in refusals."""

    scope: SearchScope = SearchScope()
    room: str = ""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._problems = Problems(self)

    def for_event(self, event: ev.Event, before: State) -> str | None:
        """`before` is the state the event arrived in: hosting after a search that found no one
        deserves an explanation, hosting after a lost host is a takeover."""
        match event:
            case ev.Searching():
                return self._searching()
            case ev.Hosting(host=host):
                return self._hosting(host, first=before is State.SEARCHING)
            case ev.Joined(host=host):
                return self.tr("Joined the room through the host at %1.").replace("%1", host)
            case ev.HostChanged(host=host):
                return self.tr("The room is now hosted at %1.").replace("%1", host)
            case ev.Reconnecting(reason=reason):
                return self.tr("Reconnecting: %1").replace("%1", reason)
            case ev.LegacyHost(host=host):
                return self.tr("%1 runs an old zp2p host that this version cannot join.").replace("%1", host)
            case ev.Error(code=code, detail=detail):
                known = self._problems.describe(code, detail, self.room, getattr(event, "nick", ""))
                return known or self.tr("Error: %1").replace("%1", detail)
            case ev.Gap(nick=nick, sender=sender, count=count):
                return self.tr("%n message(s) from %1 could not be recovered.", "", count).replace(
                    "%1", nick or sender[:8])
            case ev.Left():
                return self.tr("You left the room.")
        return None

    def _searching(self) -> str:
        if self.scope.networks:
            return self.tr("Looking for a zp2p host on %1…").replace("%1", self.scope.networks_text)
        if self.scope.host:
            return self.tr("Asking the host at %1…").replace("%1", self.scope.host)
        return self.tr("Looking for a host on the network…")

    def _hosting(self, host: str, first: bool) -> str:
        if first and self.scope.networks:
            return (self.tr("No one else was found on %1, so this computer is now hosting the room. "
                            "Others on the network will find it.").replace("%1", self.scope.networks_text))
        if first:
            return self.tr("No host answered, so this computer is now hosting the room.")
        return self.tr("This computer took over hosting the room at %1.").replace("%1", host)

    def for_roster(self, change: RosterChange, own_id: str) -> list[str]:
        lines = [self.tr("%1 joined.").replace("%1", m.nick) for m in change.joined if m.node_id != own_id]
        lines += [self.tr("%1 left.").replace("%1", m.nick) for m in change.left if m.node_id != own_id]
        return lines
