"""Words for the chat's system lines: what happened to the room, told from this user's side, in
people's names rather than addresses, and without the churn of a room that heals itself.

A member who vanishes without saying goodbye is not announced at once: if they are back within
`back_within_s` (a host that froze and merged back, a member who followed a failover a moment
later) nothing is said; otherwise one line says they left or that their computer stopped
answering. A host whose loss was already told is "back" when it returns."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from ..core import events as ev
from ..core.errors import Code
from .members import roster_change
from .problems import Problems
from .scope import SearchScope
from .status import State
from .welcome import suggest_nick

BACK_WITHIN_S = 4.0


class Narrator(QObject):
    """Turns engine events and member lists into translated sentences (or nothing).
    `scope` is what the current Connect searches; the engine's Searching event does not name
    the /24 it picked, so the window tells the narrator. `room` and `nick` are named in refusals.
    `private`: this Connect has a passphrase. `said` carries a line decided later (a member who
    did not come back)."""

    said = Signal(str)

    scope: SearchScope = SearchScope()
    room: str = ""
    nick: str = ""
    private: bool = False
    back_within_s: float = BACK_WITHIN_S

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._problems = Problems(self)
        self._in_room = False
        self._lost_host: tuple[str, str] | None = None  # (node id or "", nick) of the host we lost
        self._pending: dict[str, tuple[ev.Member, QTimer, ev.Departure | None]] = {}

    def for_event(self, event: ev.Event, before: State, roster: tuple[ev.Member, ...] = ()) -> str | None:
        """`before` is the state the event arrived in: hosting after a search that found no one
        deserves an explanation, hosting after a lost host is a takeover. `roster` is the member
        list as the window knows it, to name people the event gives only by address."""
        match event:
            case ev.Searching():
                return self._searching()
            case ev.Hosting():
                self._in_room = True
                return self._hosting(first=before is State.SEARCHING)
            case ev.Joined(host=host, users=users):
                self._in_room = True
                who = _host_nick(users, host) or host
                if before is State.RECONNECTING:
                    return self.tr("%1 is now hosting the room.").replace("%1", who)
                return self.tr("Joined the room; %1 is hosting it.").replace("%1", who)
            case ev.HostChanged(host=host, nick=nick):
                who = nick or _nick_at(roster, host)
                if who:
                    return self.tr("%1 is now hosting the room.").replace("%1", who)
                return self.tr("The room is now hosted at %1.").replace("%1", host)
            case ev.Reconnecting():
                return self._reconnecting(event, roster)
            case ev.LegacyHost(host=host):
                return self.tr("%1 runs an old zp2p host that this version cannot join.").replace("%1", host)
            case ev.Error(code=Code.NICK_IN_USE):
                return self.tr("Someone in room %1 already uses the nick %2; this computer keeps asking for it. "
                               "Press Enter to join as %3 instead, or type another nick.").replace(
                                   "%1", self.room).replace("%2", self.nick).replace("%3", suggest_nick(self.nick))
            case ev.Error(code=code, detail=detail):
                known = self._problems.describe(code, detail, self.room, getattr(event, "nick", ""))
                return known or self.tr("Error: %1").replace("%1", detail)
            case ev.Gap(nick=nick, sender=sender, count=count):
                return self.tr("%n message(s) from %1 could not be recovered.", "", count).replace(
                    "%1", nick or sender[:8])
            case ev.Left():
                self._forget_pending()
                was_in_room, self._in_room = self._in_room, False
                return self.tr("You left the room.") if was_in_room else None
        return None

    def _searching(self) -> str:
        if self.scope.networks:
            return self.tr("Looking for a zp2p host on %1…").replace("%1", self.scope.networks_text)
        if self.scope.host:
            return self.tr("Asking the host at %1…").replace("%1", self.scope.host)
        return self.tr("Looking for a host on the network…")

    def _hosting(self, first: bool) -> str:
        if first and self.private:
            return self._hosting_private()
        if first and self.scope.networks:
            return (self.tr("No one else was found on %1, so this computer is now hosting the room. "
                            "Others on the network will find it.").replace("%1", self.scope.networks_text))
        if first:
            return self.tr("No host answered, so this computer is now hosting the room.")
        return self.tr("This computer took over hosting the room.")

    def _hosting_private(self) -> str:
        """A private room's beacon names no room, so a wrong passphrase looks exactly like an empty
        network: say so, since the person may expect others to be here."""
        check = self.tr("If you expect others here, check that everyone uses the same passphrase.")
        if self.scope.networks:
            found = self.tr("No one with this passphrase was found on %1, so this computer is now hosting "
                            "the room.").replace("%1", self.scope.networks_text)
        else:
            found = self.tr("No one with this passphrase answered, so this computer is now hosting the room.")
        return f"{found} {check}"

    def _reconnecting(self, event: ev.Reconnecting, roster: tuple[ev.Member, ...]) -> str:
        """Why the room is moving, in the host's name when anyone knows it."""
        who = event.host_nick or _nick_at(roster, event.host) or _host_nick(roster, "")
        host = next((m for m in roster if m.host), None)
        if event.cause in (ev.Cause.HOST_CRASHED, ev.Cause.HOST_SILENT, ev.Cause.HOST_LEFT, None) and who:
            self._lost_host = (host.node_id if host is not None and host.nick == who else "", who)
        match event.cause:
            case ev.Cause.HOST_CRASHED if who:
                return self.tr("zp2p on %1's computer stopped; the room moves to another computer…").replace("%1", who)
            case ev.Cause.HOST_SILENT if who:
                return self.tr("%1's computer stopped answering; the room moves to another computer…").replace(
                    "%1", who)
            case ev.Cause.HOST_LEFT if who:
                return self.tr("%1 left and handed the room over…").replace("%1", who)
            case ev.Cause.HOST_CRASHED | ev.Cause.HOST_SILENT | ev.Cause.HOST_LEFT:
                return self.tr("The host's computer went away; the room moves to another computer…")
            case ev.Cause.MERGING:
                return self.tr("Another computer hosts room %1 too; joining it so there is one room…").replace(
                    "%1", self.room)
            case ev.Cause.ROOM_MOVED:
                return self.tr("The room is moving to another computer…")
            case ev.Cause.NO_ANSWER:
                return self.tr("The host does not answer; trying again…")
        if who:
            return self.tr("Lost the connection to %1's computer; finding the room again…").replace("%1", who)
        return self.tr("Lost the connection to the room; finding it again…")

    # ------------------------------------------------------------------ members
    @property
    def waiting(self) -> int:
        """Departures held back until we know whether they come back."""
        return len(self._pending)

    def for_presence(self, before: tuple[ev.Member, ...], after: tuple[ev.Member, ...],
                     gone: tuple[ev.Gone, ...], own_id: str, announce_joins: bool = True) -> list[str]:
        """Lines for who came and went. `announce_joins` is False for the list we get on joining
        (they were there before us), which still settles who came back."""
        change = roster_change(before, after)
        how = {g.node_id: g.how for g in gone}
        lines = []
        for member in change.joined:
            line = self._arrived(member)
            if line and announce_joins and member.node_id != own_id:
                lines.append(line)
        for member in change.left:
            if member.node_id == own_id or self._is_lost_host(member):
                continue  # the Reconnecting line already told
            if how.get(member.node_id) is ev.Departure.LEFT:
                lines.append(self.tr("%1 left.").replace("%1", member.nick))
            else:
                self._hold(member, how.get(member.node_id))
        return lines

    def _arrived(self, member: ev.Member) -> str | None:
        """None for a member who was only briefly gone; "back" for a lost host that returns."""
        pending = self._pending.pop(member.node_id, None)
        if pending is not None:
            pending[1].stop()
            pending[1].deleteLater()
            return None
        if self._is_lost_host(member):
            self._lost_host = None
            return self.tr("%1 is back.").replace("%1", member.nick)
        return self.tr("%1 joined.").replace("%1", member.nick)

    def _is_lost_host(self, member: ev.Member) -> bool:
        if self._lost_host is None:
            return False
        node_id, nick = self._lost_host
        return member.node_id == node_id if node_id else member.nick == nick

    def _hold(self, member: ev.Member, how: ev.Departure | None) -> None:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(lambda node_id=member.node_id: self._not_back(node_id))
        timer.start(int(self.back_within_s * 1000))
        self._pending[member.node_id] = (member, timer, how)

    def _not_back(self, node_id: str) -> None:
        pending = self._pending.pop(node_id, None)
        if pending is None:
            return
        member, timer, how = pending
        timer.deleteLater()
        if how is ev.Departure.LOST:
            self.said.emit(self.tr("%1's computer stopped answering.").replace("%1", member.nick))
        else:
            self.said.emit(self.tr("%1 left.").replace("%1", member.nick))

    def _forget_pending(self) -> None:
        for _, timer, _ in self._pending.values():
            timer.stop()
            timer.deleteLater()
        self._pending.clear()
        self._lost_host = None


def _nick_at(roster: tuple[ev.Member, ...], addr: str) -> str:
    return next((m.nick for m in roster if m.addr == addr), "") if addr else ""


def _host_nick(users: tuple[ev.Member, ...], addr: str) -> str:
    """The nick of the member flagged as host (at `addr`, when given)."""
    return next((m.nick for m in users if m.host and (not addr or m.addr == addr)), "")
