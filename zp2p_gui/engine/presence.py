"""Following the member list the host publishes: full rosters (periodic, and after a change too
large for a delta) and roster deltas (core/rosters.py). A part of the engine (engine/node.py)."""

from __future__ import annotations

from typing import Any

from ..core import events as ev
from ..core.events import Departure, Gone, Member
from ..core.room import member_from_json
from ..core.rosters import apply_delta, delta_applies
from ..net.messages import UpdateBeacon
from .base import PACKETS, EngineBase


def departures(before: tuple[Member, ...], after: tuple[Member, ...], said: list[dict[str, Any]]) -> tuple[Gone, ...]:
    """Members of `before` missing from `after` whose departure the host described."""
    still = {m.node_id for m in after}
    missing = {m.node_id for m in before if m.node_id not in still}
    return tuple(Gone(g["node_id"], g["nick"], Departure(g["how"])) for g in said if g["node_id"] in missing)


class RosterFollowing(EngineBase):
    """The member list as the host publishes it, kept exact through deltas."""

    @PACKETS.on("roster")
    def _on_roster(self, host: str, msg: dict[str, Any]) -> None:
        if msg["version"] < self._roster_version:  # published before our welcome, delivered after it
            return self._on_beat(host, msg)
        self._roster_version = msg["version"]
        self._take_roster(tuple(member_from_json(m) for m in msg["members"]), msg["gone"])
        self._on_beat(host, msg)

    @PACKETS.on("roster_delta")
    def _on_roster_delta(self, host: str, msg: dict[str, Any]) -> None:
        """A delta that does not start at or below our version (we missed one) waits for the
        next full roster, at most FULL_ROSTER_EVERY heartbeats away; its marks still count."""
        if delta_applies(msg, self._roster_version):
            self._roster_version = msg["version"]
            changed = (member_from_json(m) for m in msg["changed"])
            self._take_roster(apply_delta(self.roster, changed, msg["removed"]), msg["gone"])
        self._on_beat(host, msg)

    def _take_roster(self, roster: tuple[Member, ...], said_gone: list[dict[str, Any]]) -> None:
        self._listed = any(m.node_id == self.node_id for m in roster)
        if roster != self.roster:
            gone = departures(self.roster, roster, said_gone)
            self.roster = roster
            self._chat.pin(roster)
            if self.hosting:
                self._roles.tell("beacon", UpdateBeacon(self._my_desc()))
            for warning in self._sec.key_warnings(roster):
                self._emit(warning)
            self._direct_roster()
            self._emit(ev.Presence(users=roster, gone=gone))
