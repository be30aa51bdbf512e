"""Words for the chat's system lines: what happened to the room, told from this user's side."""

from __future__ import annotations

from PySide6.QtCore import QObject

from ..core import events as ev
from .members import RosterChange


class Narrator(QObject):
    """Turns engine events and roster changes into translated sentences (or nothing)."""

    def for_event(self, event: ev.Event) -> str | None:
        match event:
            case ev.Searching():
                return self.tr("Looking for a host on the network…")
            case ev.Hosting(host=host):
                return self.tr("No host answered: this computer now hosts the room at %1.").replace("%1", host)
            case ev.Joined(host=host):
                return self.tr("Joined the room through the host at %1.").replace("%1", host)
            case ev.HostChanged(host=host):
                return self.tr("The room is now hosted at %1.").replace("%1", host)
            case ev.Reconnecting(reason=reason):
                return self.tr("Reconnecting: %1").replace("%1", reason)
            case ev.LegacyHost(host=host):
                return self.tr("%1 runs an old zp2p host that this version cannot join.").replace("%1", host)
            case ev.Error(detail=detail):
                return self.tr("Error: %1").replace("%1", detail)
            case ev.Left():
                return self.tr("You left the room.")
        return None

    def for_roster(self, change: RosterChange, own_id: str) -> list[str]:
        lines = [self.tr("%1 joined.").replace("%1", m.nick) for m in change.joined if m.node_id != own_id]
        lines += [self.tr("%1 left.").replace("%1", m.nick) for m in change.left if m.node_id != own_id]
        return lines
