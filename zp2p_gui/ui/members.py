"""The member list: host marked with a crown, this user marked "(you)", a tooltip each.
Also works out who joined and who left between two rosters, for the chat's system lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from ..core.events import Member
from .icons import blank_icon, host_icon


@dataclass(frozen=True)
class RosterChange:
    joined: tuple[Member, ...]
    left: tuple[Member, ...]


def roster_change(before: tuple[Member, ...], after: tuple[Member, ...]) -> RosterChange:
    """Members by node id: new ones joined, missing ones left (nick changes are neither)."""
    old = {m.node_id for m in before}
    new = {m.node_id for m in after}
    return RosterChange(joined=tuple(m for m in after if m.node_id not in old),
                        left=tuple(m for m in before if m.node_id not in new))


class MemberList(QListWidget):
    """Rebuilt from each Presence; rosters are small (bounded by the host's member limit)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("memberList")
        self.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
        self.setUniformItemSizes(True)
        self._members: tuple[Member, ...] = ()
        self._own_id = ""

    def nicks(self) -> list[str]:
        return [m.nick for m in self._members]

    def host_nick(self) -> str:
        return next((m.nick for m in self._members if m.host), "")

    def set_members(self, members: tuple[Member, ...], own_id: str) -> None:
        self._members, self._own_id = members, own_id
        self._rebuild()

    def retranslate(self) -> None:
        self._rebuild()

    def _rebuild(self) -> None:
        self.clear()
        for member in sorted(self._members, key=lambda m: (not m.host, m.nick.casefold())):
            label = member.nick + (" " + self.tr("(you)") if member.node_id == self._own_id else "")
            item = QListWidgetItem(host_icon() if member.host else blank_icon(), label)
            joined = datetime.fromtimestamp(member.joined).strftime("%Y-%m-%d %H:%M:%S")
            lines = [self.tr("Address: %1").replace("%1", member.addr),
                     self.tr("Joined at: %1").replace("%1", joined)]
            if member.host:
                lines.insert(0, self.tr("Host of the room"))
            item.setToolTip("\n".join(lines))
            item.setData(Qt.ItemDataRole.UserRole, member.node_id)
            self.addItem(item)
