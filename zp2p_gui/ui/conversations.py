"""The conversation list beside the chat: the room first, then one row per person this user has
direct messages with, each with its unread count in a badge. A person is an identity key, not a
nick: the row keeps its key and shows the nick last seen with it, dimmed while they are away.
With no person yet, the empty space under the room says how to start.

Rows of people this user never wrote to ("strangers") are bounded: past STRANGER_ROWS the one
quiet the longest goes (its messages stay in the history and come back with its next DM), so
someone who writes under a new identity every second cannot grow the list, and every presence
change with it, all day. A contact's row is never dropped."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from ..core.crypto import fingerprint
from .members import draw_row_without_text

KEY_ROLE = Qt.ItemDataRole.UserRole  # '' for the room, else the person's identity key
UNREAD_ROLE = Qt.ItemDataRole.UserRole + 1
AWAY_ROLE = Qt.ItemDataRole.UserRole + 2
BADGE_MAX = 99
BADGE_GAP_PX = 6
HINT_MARGIN_PX = 8
ROW_PADDING_PX = 8  # the badge needs air above and below, and rows are easier to hit
STRANGER_ROWS = 100  # rows of people this user never wrote to; the one quiet the longest goes first


def badge_text(count: int) -> str:
    return str(count) if count <= BADGE_MAX else f"{BADGE_MAX}+"


class BadgeDelegate(QStyledItemDelegate):
    """The row as usual (selection, focus), its name elided before a round unread badge; a row
    with unread messages is bold, a person who is away is dimmed."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + ROW_PADDING_PX)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt, name, area, selected = draw_row_without_text(self, painter, option, index)
        area = area.adjusted(2, 0, -4, 0)
        count = index.data(UNREAD_ROLE) or 0
        painter.save()
        if count:
            area.setRight(area.right() - self._draw_badge(painter, opt, area, count, selected) - BADGE_GAP_PX)
        font = QFont(opt.font)
        font.setBold(bool(count))
        painter.setFont(font)
        away = bool(index.data(AWAY_ROLE)) and not selected
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(opt.palette.color(QPalette.ColorRole.PlaceholderText if away else role))
        painter.drawText(area, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         QFontMetrics(font).elidedText(name, Qt.TextElideMode.ElideRight, area.width()))
        painter.restore()

    @staticmethod
    def _draw_badge(painter: QPainter, opt: QStyleOptionViewItem, area: QRect, count: int, selected: bool) -> int:
        """A pill at the right end of `area`, centred on the text line; returns its width."""
        font = QFont(opt.font)
        font.setBold(True)
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        metrics = QFontMetrics(font)
        label = badge_text(count)
        height = metrics.height() + 2
        width = max(height, metrics.horizontalAdvance(label) + 10)
        rect = QRect(area.right() - width + 1, area.center().y() - height // 2 + 1, width, height)
        fill, ink = QPalette.ColorRole.Highlight, QPalette.ColorRole.HighlightedText
        if selected:
            fill, ink = ink, fill
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(opt.palette.color(fill))
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setPen(opt.palette.color(ink))
        painter.setFont(font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)
        return width


class ConversationList(QListWidget):
    """`chosen` carries the key of the conversation selected ('' for the room); `unread_changed`
    the unread total over all conversations, for the tray and the title; `dropped` the key of a
    stranger's row let go past the bound."""

    chosen = Signal(str)
    unread_changed = Signal(int)
    dropped = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conversationList")
        self.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
        self.setItemDelegate(BadgeDelegate(self))
        self.setMinimumWidth(110)
        self._room = QListWidgetItem()
        self._room.setData(KEY_ROLE, "")
        self.addItem(self._room)
        self._items: dict[str, QListWidgetItem] = {}  # by key, quiet the longest first: no walk of the rows
        self._contacts: set[str] = set()
        self.setCurrentItem(self._room)
        self.currentItemChanged.connect(self._on_current)
        self.empty_hint = ""
        self.retranslate()

    def retranslate(self) -> None:
        self.empty_hint = self.tr("No direct messages yet — double-click a member to write to them")
        self.setAccessibleName(self.tr("Conversations"))
        self._room.setToolTip(self.tr("The room: everyone in it reads these messages"))
        for key in self.keys():
            self._tooltip(self._item(key))
        self.viewport().update()

    def set_room(self, room: str) -> None:
        self._room.setText(f"# {room}" if room else "#")

    def keys(self) -> list[str]:
        """The people's keys, in list order (the room not included)."""
        return [self.item(row).data(KEY_ROLE) for row in range(1, self.count())]

    def nick(self, key: str) -> str:
        item = self._item(key)
        return item.text() if item is not None else ""

    @property
    def current_key(self) -> str:
        item = self.currentItem()
        return item.data(KEY_ROLE) if item is not None else ""

    def select(self, key: str) -> None:
        item = self._item(key)
        if item is not None:
            self.setCurrentItem(item)

    def ensure(self, key: str, nick: str, contact: bool = False, active: bool = False) -> None:
        """A row for this person, named `nick`; a new person goes first after the room. contact:
        this user wrote to them, so their row stays; active: a DM or an offer just came or went,
        so theirs is the last stranger's row to go."""
        if contact:
            self._contacts.add(key)
        item = self._item(key)
        if item is not None and active:
            self._items[key] = self._items.pop(key)
        if item is None:
            item = self._items[key] = QListWidgetItem()
            item.setData(KEY_ROLE, key)
            item.setData(UNREAD_ROLE, 0)
            self.insertItem(1, item)
            self._drop_strangers()
        if nick and item.text() != nick:
            item.setText(nick)
            self._tooltip(item)

    def _drop_strangers(self) -> None:
        """The rows of the strangers quiet the longest, past STRANGER_ROWS; never the one shown."""
        shown = self.current_key
        strangers = [key for key in self._items if key not in self._contacts and key != shown]
        for key in strangers[:max(0, len(strangers) - STRANGER_ROWS)]:
            item = self._items.pop(key)
            self.takeItem(self.row(item))
            self.dropped.emit(key)
            if item.data(UNREAD_ROLE):
                self.unread_changed.emit(self.total_unread)

    def set_present(self, keys: set[str]) -> None:
        """Who is in the room now; the others' rows are dimmed (their DMs wait for them)."""
        for key, item in self._items.items():
            item.setData(AWAY_ROLE, key not in keys)

    def unread(self, key: str) -> int:
        item = self._item(key)
        return (item.data(UNREAD_ROLE) or 0) if item is not None else 0

    @property
    def total_unread(self) -> int:
        return sum(self.item(row).data(UNREAD_ROLE) or 0 for row in range(self.count()))

    def set_unread(self, key: str, count: int) -> None:
        item = self._item(key)
        if item is None or (item.data(UNREAD_ROLE) or 0) == count:
            return
        item.setData(UNREAD_ROLE, count)
        if item is not self._room:
            self._tooltip(item)
        self.unread_changed.emit(self.total_unread)

    def add_unread(self, key: str) -> None:
        self.set_unread(key, self.unread(key) + 1)

    def paintEvent(self, event: QPaintEvent) -> None:
        """The empty state: under the room's row, dim and wrapped, how to start a DM."""
        super().paintEvent(event)
        if self.count() > 1:
            return
        below = self.visualItemRect(self._room).bottom() + HINT_MARGIN_PX
        area = self.viewport().rect().adjusted(HINT_MARGIN_PX, below, -HINT_MARGIN_PX, -HINT_MARGIN_PX)
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(area, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap,
                         self.empty_hint)
        painter.end()

    def _item(self, key: str) -> QListWidgetItem | None:
        return self._items.get(key) if key else self._room

    def _tooltip(self, item: QListWidgetItem) -> None:
        lines = [self.tr("Private messages with %1").replace("%1", item.text()),
                 self.tr("Fingerprint: %1").replace("%1", fingerprint(item.data(KEY_ROLE)))]
        count = item.data(UNREAD_ROLE) or 0
        if count:
            lines.append(self.tr("%n unread message(s)", "", count))
        item.setData(Qt.ItemDataRole.ToolTipRole, "\n".join(lines))  # not setToolTip: see ui/members.py

    def _on_current(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if current is not None:
            self.chosen.emit(current.data(KEY_ROLE))
