"""Direct messages in the window: one chat view per person beside the room's, the composer
sending to the conversation shown, unread counts, read receipts and delivery marks.

The engine does the delivery (Session.send_direct / mark_read and the Direct, Delivered, Queued
and ReadMark events); this module keeps what the window shows in step with it and with the
history file, so marks and unread counts survive a restart. A received DM counts as read only
when its lines are really on screen: the window active, its conversation selected and the view
at the bottom."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject
from PySide6.QtGui import QTextBlock, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QStackedWidget, QWidget

from ..core import events as ev
from ..core.config import Limits
from ..core.errors import Code
from ..core.validation import ValidationError, check_text
from ..history import HistoryStore, Status, StoredMessage, advances
from .chat_view import MAX_BLOCKS, ChatView
from .conversations import STRANGER_ROWS, ConversationList
from .problems import Problems
from .session import Session
from .tray import Notifier

HISTORY_LINES = 100
VIEWS_KEPT = 16  # people's chat views kept built, least recently used dropped (rebuilt from history)
DIRECT_CODES = frozenset({Code.UNKNOWN_RECIPIENT, Code.RECIPIENT_KEY_CHANGED, Code.DM_QUEUE_FULL})


class DirectView(ChatView):
    """The conversation with one person. Own lines end with their delivery mark, which changes
    in place: each own line's block carries a serial number to find it again."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self._own: dict[str, tuple[int, StoredMessage, bool]] = {}  # the newest MAX_BLOCKS: the view holds no more lines
        self._serial = 0

    def add_direct(self, message: StoredMessage, mark: str, history: bool) -> bool:
        if not self.add_message(message.id, message.nick, message.text, message.ts, message.own, history, mark):
            return False
        if message.own:
            self._serial += 1
            self.document().lastBlock().setUserState(self._serial)
            self._own[message.id] = (self._serial, message, history)
            if len(self._own) > MAX_BLOCKS:
                del self._own[next(iter(self._own))]
        return True

    def set_mark(self, message_id: str, mark: str) -> None:
        """Redraw an own line with a new mark; lines no longer in the view are left alone."""
        entry = self._own.get(message_id)
        block = self._block(entry[0]) if entry is not None else QTextBlock()
        if not block.isValid():
            return
        serial, message, history = entry
        fmt, fragment = self._message_line(message.nick, message.text, message.ts, True, history, mark)
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertHtml(fragment)
        cursor.setBlockFormat(fmt)
        cursor.block().setUserState(serial)

    def _block(self, serial: int) -> QTextBlock:
        block = self.document().lastBlock()
        while block.isValid() and block.userState() != serial:
            block = block.previous()
        return block


class DirectMessages(QObject):
    """Owns the conversation list and the stack of chat views (the room's first). `own_nick`
    names this user's lines; `room_hint` is the composer's placeholder in the room."""

    def __init__(self, session: Session, history: HistoryStore, room_view: ChatView, composer: QPlainTextEdit,
                 notifier: Notifier, window: QWidget) -> None:
        super().__init__(window)
        self._session = session
        self._history = history
        self._composer = composer
        self._notifier = notifier
        self._window = window
        self._problems = Problems(self)
        self._views: dict[str, ChatView] = {"": room_view}  # least recently used first, the room always kept
        self._roster: tuple[ev.Member, ...] = ()
        self._last_target = ""  # where the last DM went: the engine's errors about it carry no id
        self.own_nick = ""
        self.room = ""
        self.room_hint = ""
        self.list = ConversationList()
        self.stack = QStackedWidget()
        self.stack.addWidget(room_view)
        self._watch(room_view)
        threads = history.threads()
        listed = [t for t in threads if t.wrote] + [t for t in threads if not t.wrote][:STRANGER_ROWS]
        for thread in sorted(listed, key=lambda t: t.last_ts):  # each goes on top: the newest ends first
            self.list.ensure(thread.key, thread.nick, contact=thread.wrote)
            self.list.set_unread(thread.key, thread.unread)
        self.list.set_present(set())
        self.list.chosen.connect(self._show)
        self.list.dropped.connect(self._drop_view)
        self.list.unread_changed.connect(notifier.set_unread)
        notifier.set_unread(self.list.total_unread)

    # ------------------------------------------------------------------ what is on screen
    @property
    def current_key(self) -> str:
        return self.list.current_key

    def view(self, key: str) -> ChatView:
        """The chat view of a conversation, built from history when it is needed and not kept."""
        view = self._views.pop(key, None)
        if view is None:
            view = DirectView(key)
            stored = self._history.last_direct(key, HISTORY_LINES)
            if stored:
                view.add_separator(self.tr("Earlier messages with %1").replace("%1", self.list.nick(key)))
            for message in stored:
                view.add_direct(message, self._mark(message.status, message.peer), history=True)
            self.stack.addWidget(view)
            self._watch(view)
        self._views[key] = view
        unused = [k for k in self._views if k and k != key and self._views[k] is not self.stack.currentWidget()]
        for old in unused[:max(0, len(unused) - VIEWS_KEPT)]:
            self._drop_view(old)
        return view

    def _drop_view(self, key: str) -> None:
        """Freed now, not by deleteLater: a view dropped is never in the middle of its own signal
        (the one shown and the one just used are kept), and a deferred delete waits for the main
        loop, which a busy window may not reach for a while."""
        view = self._views.pop(key, None)
        if view is not None:
            self.stack.removeWidget(view)
            view.setParent(None)  # its last reference, ours, goes with this call: Qt deletes it

    def is_shown(self, key: str) -> bool:
        """Its newest lines are in front of the user's eyes."""
        return self._window.isActiveWindow() and self.current_key == key and self.view(key).following

    def check_shown(self) -> None:
        """Clear what the user now sees: the room's count, or a person's DMs with a read receipt."""
        key = self.current_key
        if not self.is_shown(key):
            return
        self.list.set_unread(key, 0)
        if key:
            self._read(key, self._history.with_status(key, Status.NEW, Status.SEEN))

    def open(self, member: ev.Member) -> None:
        """Start (or go back to) the conversation with a member, ready to type."""
        if not member.key or member.node_id == self._session.node_id:
            return
        self.list.ensure(member.key, member.nick, active=True)
        self.list.set_present({m.key for m in self._roster})
        self.list.select(member.key)
        self._composer.setFocus()

    def update_hint(self) -> None:
        key = self.current_key
        self._composer.setPlaceholderText(self.tr("Private message to %1 — only they can read it").replace(
            "%1", self.list.nick(key)) if key else self.room_hint)

    def _show(self, key: str) -> None:
        self.stack.setCurrentWidget(self.view(key))
        self.update_hint()
        self.check_shown()

    def _watch(self, view: ChatView) -> None:
        view.verticalScrollBar().valueChanged.connect(lambda _value: self.check_shown())

    # ------------------------------------------------------------------ sending
    def send(self, text: str) -> bool:
        """Send to the person shown; False when the room is shown (the window says it there)."""
        key = self.current_key
        if not key:
            return False
        view = self.view(key)
        try:
            text = check_text(text, Limits().max_text_bytes)  # the engine's rules, said in this conversation
        except ValidationError as exc:
            view.add_system(self._problems.describe(exc.code, exc.detail, self.room) or exc.detail)
            return True
        nick = self._nick(key)
        message_id = self._session.send_direct(text, nick=nick, key=key)
        if message_id:
            self.list.ensure(key, nick, contact=True, active=True)
            self._last_target = key
            message = StoredMessage(id=message_id, room="", sender="", nick=self.own_nick, addr="", text=text,
                                    ts=time.time(), own=True, conversation=key, peer=nick, status=Status.SENT)
            self._history.add(message)
            view.add_direct(message, self._mark(Status.SENT, nick), history=False)
        return True

    # ------------------------------------------------------------------ engine events
    def on_event(self, event: ev.Event) -> bool:
        """Take the events about DMs (True: nothing else should show them) and follow the
        roster and the connection for the others (False)."""
        match event:
            case ev.Direct():
                self._received(event)
            case ev.Delivered(id=message_id, to=nick) | ev.Queued(id=message_id, to=nick):
                self._advance(message_id, Status.DELIVERED if isinstance(event, ev.Delivered) else Status.QUEUED,
                              nick)
            case ev.ReadMark(id=message_id, by=nick):
                self._advance(message_id, Status.READ, nick)
            case ev.Error(code=code) if code in DIRECT_CODES and self._last_target:
                self._refused(event)
            case ev.Joined(users=users) | ev.Presence(users=users):
                self._set_roster(users)
                self._owe_receipts()
                return False
            case ev.Hosting():
                self._owe_receipts()
                return False
            case ev.Left():
                self._set_roster(())
                return False
            case _:
                return False
        return True

    def room_message(self, message: ev.Message) -> None:
        """A new room line was shown: count it unless the user sees it, and notify."""
        if message.own or message.history:
            return
        if not self.is_shown(""):
            self.list.add_unread("")
        self._notifier.message(message.nick, message.text)

    def _received(self, event: ev.Direct) -> None:
        self.list.ensure(event.key, event.nick, active=True)
        self.list.set_present({m.key for m in self._roster})
        view = self.view(event.key)  # before storing: the new line is not history
        message = StoredMessage(id=event.id, room="", sender=event.key, nick=event.nick, addr="", text=event.text,
                                ts=event.ts, own=False, conversation=event.key, peer=event.nick, status=Status.NEW)
        if not self._history.add(message) or not view.add_direct(message, "", history=False):
            return
        if self.is_shown(event.key):
            self._read(event.key, [event.id])
        else:
            self.list.add_unread(event.key)
        self._notifier.message(event.nick, event.text, private=True)

    def _advance(self, message_id: str, status: Status, nick: str) -> None:
        if not advances(self._history.status(message_id), status):
            return
        self._history.set_status([message_id], status)
        for view in self._views.values():
            if isinstance(view, DirectView):
                view.set_mark(message_id, self._mark(status, nick))

    def _refused(self, event: ev.Error) -> None:
        """The engine refused the last DM: say why in its conversation and mark the line."""
        key = self._last_target
        nick = self._nick(key)
        self.view(key).add_system(self._problems.describe(event.code, event.detail, self.room, nick) or event.detail)
        pending = self._history.with_status(key, Status.SENT)
        if pending:
            self._advance(pending[-1], Status.FAILED, nick)

    def _read(self, key: str, ids: list[str]) -> None:
        """Receipts go through the engine when it runs; shown offline, they are owed until it does."""
        if not ids:
            return
        if self._session.active:
            self._session.mark_read(key, tuple(ids))
            self._history.set_status(ids, Status.READ)
        else:
            self._history.set_status(ids, Status.SEEN)

    def _owe_receipts(self) -> None:
        for key in self.list.keys():
            self._read(key, self._history.with_status(key, Status.SEEN))

    def _set_roster(self, users: tuple[ev.Member, ...]) -> None:
        self._roster = users
        known = set(self.list.keys())
        for member in users:
            if member.key in known:
                self.list.ensure(member.key, member.nick)
        self.list.set_present({m.key for m in users})
        self.update_hint()

    def _nick(self, key: str) -> str:
        """The person's nick now, else the one last seen with their key."""
        return next((m.nick for m in self._roster if m.key == key), "") or self.list.nick(key)

    def _mark(self, status: str, nick: str) -> str:
        """The small word after an own DM; none on received ones."""
        return {
            Status.SENT: "✓",
            Status.QUEUED: self.tr("✓ waiting for %1").replace("%1", nick),
            Status.DELIVERED: "✓✓",
            Status.READ: self.tr("✓✓ read"),
            Status.FAILED: self.tr("✗ not sent"),
        }.get(status, "")
