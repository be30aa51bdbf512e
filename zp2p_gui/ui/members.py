"""The member list: host marked with a crown, this user marked "(you)", a tooltip each, and
each member's key fingerprint in small dim text under the nick, because the fingerprint, not
the nick, is who someone is. A nick the engine reported with a new key gets a warning sign.
Double-clicking a member (or "Message…" in its context menu) asks for a direct message;
"Send file…" and "Send folder…" in that menu ask to offer them files.
Also works out who joined and who left between two rosters, for the chat's system lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QListWidget,
    QMenu,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from ..core.crypto import fingerprint
from ..core.events import KeyChanged, Member
from .icons import blank_icon, host_icon, warning_icon

FINGERPRINT_ROLE = Qt.ItemDataRole.UserRole + 1
FLAGS_KEPT = 512  # members flagged for a changed key, newest kept


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


def _small(font: QFont) -> QFont:
    small = QFont(font)
    small.setPointSizeF(max(6.0, font.pointSizeF() * 0.8))
    return small


def draw_row_without_text(delegate: QStyledItemDelegate, painter: QPainter, option: QStyleOptionViewItem,
                          index: QModelIndex | QPersistentModelIndex) -> tuple[QStyleOptionViewItem, str, QRect, bool]:
    """Let the style draw a row's icon, selection and focus; return what the delegate draws
    itself: the row's options, its text, the text's area and whether the row is selected."""
    opt = QStyleOptionViewItem(option)
    delegate.initStyleOption(opt, index)
    widget = opt.widget  # the list the delegate is installed on
    style = widget.style()
    text, opt.text = opt.text, ""
    style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
    area = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
    return opt, text, area, bool(opt.state & QStyle.StateFlag.State_Selected)


class FingerprintDelegate(QStyledItemDelegate):
    """Draws the row as usual (icon, selection, nick) and the fingerprint on a second line."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + QFontMetrics(_small(option.font)).height())

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt, nick, area, selected = draw_row_without_text(self, painter, option, index)
        area = area.adjusted(2, 2, -2, -2)
        small = _small(opt.font)
        second = QFontMetrics(small).height()
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(opt.palette.color(role))
        top = QRect(area.left(), area.top(), area.width(), area.height() - second)
        painter.drawText(top, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         opt.fontMetrics.elidedText(nick, Qt.TextElideMode.ElideRight, top.width()))
        painter.setFont(small)
        painter.setPen(opt.palette.color(role if selected else QPalette.ColorRole.PlaceholderText))
        painter.drawText(QRect(area.left(), top.bottom(), area.width(), second),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, index.data(FINGERPRINT_ROLE) or "")
        painter.restore()


class MemberList(QListWidget):
    """Rebuilt from each Presence; rosters are small (bounded by the host's member limit).
    `message_requested` carries the member to write to: someone else, with an identity key."""

    message_requested = Signal(object)
    files_requested = Signal(object, bool)  # the member, and True for a folder

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("memberList")
        self.itemDoubleClicked.connect(lambda item: self._request(self.member_at(item)))
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
        self.setUniformItemSizes(True)
        self.setItemDelegate(FingerprintDelegate(self))
        self._members: tuple[Member, ...] = ()
        self._own_id = ""
        self._changed_keys: dict[tuple[str, str], None] = {}  # the newest FLAGS_KEPT, oldest first

    def nicks(self) -> list[str]:
        return [m.nick for m in self._members]

    def host_nick(self) -> str:
        return next((m.nick for m in self._members if m.host), "")

    def set_members(self, members: tuple[Member, ...], own_id: str) -> None:
        self._members, self._own_id = members, own_id
        self._rebuild()

    def flag_key_change(self, change: KeyChanged) -> None:
        """Mark the member now using this nick with this key, for the rest of the session: the
        engine reports a change once and then trusts the new key. Only the newest FLAGS_KEPT are
        kept: someone rejoining as "bob" with a new key every second would otherwise add one each."""
        self._changed_keys[(change.nick.casefold(), change.new)] = None
        if len(self._changed_keys) > FLAGS_KEPT:
            del self._changed_keys[next(iter(self._changed_keys))]
        self._rebuild()

    def member_at(self, item: QListWidgetItem | None) -> Member | None:
        node_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return next((m for m in self._members if m.node_id == node_id), None)

    def can_message(self, member: Member | None) -> bool:
        """Not oneself, and not an old client without an identity key (a DM is sealed to it)."""
        return member is not None and bool(member.key) and member.node_id != self._own_id

    def message_menu(self, member: Member | None) -> QMenu:
        menu = QMenu(self)
        action = menu.addAction(self.tr("Message…"))
        action.setEnabled(self.can_message(member))
        action.triggered.connect(lambda: self._request(member))
        for text, folder in ((self.tr("Send file…"), False), (self.tr("Send folder…"), True)):
            send = menu.addAction(text)
            send.setEnabled(self.can_message(member))
            send.triggered.connect(lambda _checked=False, folder=folder: self.files_requested.emit(member, folder))
        return menu

    def _menu(self, pos: QPoint) -> None:
        member = self.member_at(self.itemAt(pos))
        if member is not None:
            menu = self.message_menu(member)
            menu.exec(self.viewport().mapToGlobal(pos))
            menu.deleteLater()

    def _request(self, member: Member | None) -> None:
        if self.can_message(member):
            self.message_requested.emit(member)

    def is_flagged(self, member: Member) -> bool:
        return (member.nick.casefold(), fingerprint(member.key)) in self._changed_keys

    def retranslate(self) -> None:
        self._rebuild()

    def _rebuild(self) -> None:
        self.clear()
        for member in sorted(self._members, key=lambda m: (not m.host, m.nick.casefold())):
            label = member.nick + (" " + self.tr("(you)") if member.node_id == self._own_id else "")
            flagged = self.is_flagged(member)
            icon = warning_icon() if flagged else host_icon() if member.host else blank_icon()
            item = QListWidgetItem(icon, label)
            joined = datetime.fromtimestamp(member.joined).strftime("%Y-%m-%d %H:%M:%S")
            short = fingerprint(member.key)
            lines = [self.tr("Address: %1").replace("%1", member.addr),
                     self.tr("Joined at: %1").replace("%1", joined),
                     self.tr("Fingerprint: %1").replace("%1", short) if short else self.tr("No identity key")]
            if member.host:
                lines.insert(0, self.tr("Host of the room"))
            if flagged:
                lines.insert(0, self.tr("⚠ This nick was seen with another key before"))
            # Not setToolTip: on PySide6 6.11 it keeps a reference to None per call, one per
            # member on every presence change; the role is what setToolTip sets.
            item.setData(Qt.ItemDataRole.ToolTipRole, "\n".join(lines))
            item.setData(Qt.ItemDataRole.UserRole, member.node_id)
            item.setData(FINGERPRINT_ROLE, short)
            self.addItem(item)
