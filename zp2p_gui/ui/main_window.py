"""The main window: nick, Connect/Disconnect, status badge, chat, members, input.
It composes widgets and reacts to engine events; the engine does all the networking."""

from __future__ import annotations

import argparse
import logging

from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..cli import command_line_values
from ..core import events as ev
from ..core.errors import Code
from ..core.records import replace
from ..core.validation import ValidationError
from ..history import HistoryStore, StoredMessage
from . import settings as prefs_store
from .about_dialog import AboutDialog
from .badge import StatusBadge
from .chat_view import ChatView
from .composer import Composer
from .direct import DirectMessages
from .i18n import Translations
from .icons import app_icon
from .members import MemberList
from .narrator import Narrator
from .nick_field import NickField
from .problems import Problems
from .scope import search_scope
from .session import Session
from .settings_dialog import SettingsDialog
from .status import State, Status, advance
from .transfers import Transfers
from .tray import Notifier
from .welcome import WelcomePanel, default_nick

log = logging.getLogger(__name__)

HISTORY_LINES = 100
# Qt defines no Preferences key on Linux or Windows; Ctrl+, is the common one (Cmd+, on macOS).
SETTINGS_KEY = QKeySequence("Ctrl+,")
SHUTDOWN_S = 1.0
MIN_SIZE = (540, 400)  # the top bar fits without overlap in English and Korean; the badge elides its words


class MainWindow(QMainWindow):
    """One room at a time. `args` are the command-line options, which win over settings."""

    def __init__(self, args: argparse.Namespace, settings: QSettings, history: HistoryStore,
                 translations: Translations | None = None) -> None:
        super().__init__()
        self.args = args
        self.settings = settings
        self.history = history
        self.translations = translations
        self.prefs = prefs_store.load(settings)
        self.session = Session(self)
        self.session.event.connect(self.on_event)
        self.status = Status()
        self.narrator = Narrator(self)
        self.problems = Problems(self)
        self._room = ""
        self._history_open = False
        self._roster: tuple[ev.Member, ...] = ()
        self._nick_refused = False  # the engine keeps asking for the nick; the field offers a free one
        self.about_dialog: AboutDialog | None = None
        self.passphrase: str | None = None  # typed in Settings; memory only, for this process

        self.setWindowIcon(app_icon())
        self.setMinimumSize(*MIN_SIZE)
        self.notifier = Notifier(self)
        self.notifier.unread_changed.connect(self._update_title)
        self._build()
        self.retranslate()
        self.restoreGeometry(settings.value("window/geometry", b""))
        self.show_history(args.room if args.room is not None else self.prefs.room)
        self._apply_status(self.status)
        self.welcome.setVisible(self.first_run)
        if self.first_run:
            self.nick_edit.setFocus()
            self.nick_edit.selectAll()

    @property
    def first_run(self) -> bool:
        """No nick saved yet: nobody has connected from this data folder."""
        return not self.prefs.nick

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        self.nick_label = QLabel()
        self.nick_edit = NickField(self.args.nick or self.prefs.nick or default_nick())
        self.nick_edit.returnPressed.connect(self._nick_entered)
        self.nick_label.setBuddy(self.nick_edit)
        self.connect_button = QPushButton()
        self.connect_button.setObjectName("connectButton")
        self.connect_button.setDefault(False)
        self.connect_button.clicked.connect(self.toggle_connection)
        self.badge = StatusBadge()
        self.settings_button = QToolButton()
        self.settings_button.setObjectName("settingsButton")
        self.settings_button.setText("⚙")
        self.settings_button.clicked.connect(self.open_settings)
        self.about_button = QToolButton()
        self.about_button.setObjectName("aboutButton")
        self.about_button.setText("?")
        self.about_button.clicked.connect(self.open_about)

        top = QHBoxLayout()
        top.addWidget(self.nick_label)
        top.addWidget(self.nick_edit)
        top.addWidget(self.connect_button)
        top.addSpacing(8)
        top.addWidget(self.badge, 1)
        top.addWidget(self.settings_button)
        top.addWidget(self.about_button)
        self.welcome = WelcomePanel()
        self._update_welcome()

        self.chat = ChatView()
        self.narrator.said.connect(self.chat.add_system)
        self.composer = Composer()
        self.composer.submitted.connect(self.send)
        self.composer.ready = self.session.has_room
        self.composer.held.connect(self._sending)
        self.direct = DirectMessages(self.session, self.history, self.chat, self.composer, self.notifier, self)
        self.members_label = QLabel()
        self.members = MemberList()
        self.members.message_requested.connect(self.direct.open)
        self.transfers = Transfers(self.session, self.direct, self.members, self.notifier, self)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.members_label)
        side_layout.addWidget(self.members)
        self.members_label.setBuddy(self.members)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        for pane, stretch in ((self.direct.list, 1), (self.transfers.column, 4), (side, 1)):
            splitter.addWidget(pane)
            splitter.setStretchFactor(splitter.count() - 1, stretch)
        splitter.setChildrenCollapsible(False)
        side.setMinimumWidth(150)
        splitter.setSizes([150, 480, 180])

        self.send_button = QPushButton()
        self.send_button.setObjectName("sendButton")
        self.send_button.clicked.connect(self.composer.submit)
        bottom = QHBoxLayout()
        bottom.addWidget(self.transfers.send_button, 0, Qt.AlignmentFlag.AlignVCenter)
        bottom.addWidget(self.composer, 1)
        bottom.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignVCenter)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(top)
        layout.addWidget(self.welcome)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self.setCentralWidget(central)

        self.host_info = QLabel()
        self.member_info = QLabel()
        self.rtt_info = QLabel()
        for label in (self.host_info, self.member_info, self.rtt_info):
            self.statusBar().addPermanentWidget(label)

        self.settings_action = QAction(self)
        self.settings_action.setShortcut(SETTINGS_KEY)
        self.settings_action.triggered.connect(self.open_settings)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.about_action = QAction(self)
        self.about_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.about_action.triggered.connect(self.open_about)
        self.focus_input_action = QAction(self)
        self.focus_input_action.setShortcut(QKeySequence("Ctrl+L"))
        self.focus_input_action.triggered.connect(self.composer.setFocus)
        self.addActions([self.settings_action, self.about_action, self.quit_action, self.focus_input_action])
        order = (self.nick_edit, self.connect_button, self.settings_button, self.about_button, self.direct.list,
                 self.chat, self.members, self.transfers.send_button, self.composer, self.send_button)
        for first, then in zip(order, order[1:]):
            self.setTabOrder(first, then)

    def retranslate(self) -> None:
        self.nick_label.setText(self.tr("&Nick:"))
        self.nick_edit.setPlaceholderText(self.tr("your name"))
        self.settings_button.setToolTip(self.tr("Settings (%1)").replace(
            "%1", SETTINGS_KEY.toString(QKeySequence.SequenceFormat.NativeText)))
        self.settings_button.setAccessibleName(self.tr("Settings"))
        self.about_button.setToolTip(self.tr("About zp2p (%1)").replace(
            "%1", QKeySequence(QKeySequence.StandardKey.HelpContents).toString(QKeySequence.SequenceFormat.NativeText)))
        self.about_button.setAccessibleName(self.tr("About zp2p"))
        self.about_action.setText(self.tr("About zp2p"))
        self.send_button.setText(self.tr("&Send"))
        self.direct.room_hint = self.tr("Type a message — Enter sends, Shift+Enter adds a line")
        self.direct.update_hint()
        self.direct.list.retranslate()
        self.settings_action.setText(self.tr("Settings"))
        self.quit_action.setText(self.tr("Quit"))
        self.members.retranslate()
        self.notifier.retranslate()
        self._apply_status(self.status)

    # ------------------------------------------------------------------ actions
    def toggle_connection(self) -> None:
        if self.session.active:
            self.session.disconnect_from()
            self.connect_button.setEnabled(False)
        else:
            self.connect_now()

    def _nick_entered(self) -> None:
        """Enter in the nick field: while the room refuses our nick, join again under the one typed."""
        if self._nick_refused:
            self.connect_now()
        else:
            self.toggle_connection()

    def connect_now(self) -> None:
        """Build the engine's Config from the command line, settings and nick field, and start."""
        nick = self.nick_edit.text().strip()
        try:
            config = prefs_store.build_config(self.args, self.prefs, nick, self.passphrase)
        except ValidationError as exc:
            self._refuse(exc)
            return
        self.nick_edit.unmark()
        if nick != self.prefs.nick:
            self.prefs = replace(self.prefs, nick=nick)
            prefs_store.save(self.settings, self.prefs)
        if config.room != self._room:
            self.show_history(config.room)
        self._roster = ()
        self.narrator.scope = search_scope(config.scan, config.host, config.bind, config.interface)
        self.narrator.room = config.room
        self.narrator.private = config.passphrase is not None
        self.narrator.nick = self.direct.own_nick = config.nick
        self.badge.set_room(config.room, private=config.passphrase is not None)
        self.welcome.hide()
        self.nick_edit.deselect()  # a first run's preselected nick would stay highlighted while disabled
        self._nick_refused = False
        self.session.connect_to(config)

    def send(self, text: str) -> None:
        """To the conversation shown: a person's (a DM) or the room."""
        if self.status.online and not self.direct.send(text):
            self.session.say(text)

    def _sending(self) -> None:
        self.statusBar().showMessage(self.tr("Sending… earlier messages are still on their way; your text is kept."),
                                     4000)

    def open_settings(self) -> None:
        dialog = self.settings_dialog()
        if dialog.exec() == SettingsDialog.DialogCode.Accepted:
            self.take_settings(dialog)
        dialog.deleteLater()  # its passphrase field must not outlive it as the window's child

    def settings_dialog(self) -> SettingsDialog:
        """The dialog shows the nick the window shows (a first run's prefill, or one being typed;
        the nick field, not --nick, is what Connect uses) and what the command line sets."""
        shown = replace(self.prefs, nick=self.nick_edit.text().strip() or self.prefs.nick)
        command_line = {name: value for name, value in command_line_values(self.args).items() if name != "nick"}
        return SettingsDialog(shown, self, passphrase=self.passphrase or "", command_line=command_line)

    def take_settings(self, dialog: SettingsDialog) -> None:
        """An accepted dialog: preferences are saved, the passphrase only kept in memory."""
        self.passphrase = dialog.passphrase() or None
        self.apply_preferences(dialog.preferences())

    def open_about(self) -> None:
        """One non-modal About window, raised again if already open."""
        if self.about_dialog is None:
            self.about_dialog = AboutDialog(self)
        self.about_dialog.show()
        self.about_dialog.raise_()
        self.about_dialog.activateWindow()

    def apply_preferences(self, prefs: prefs_store.Preferences) -> None:
        """Save; new network values take effect at the next Connect, the language at once."""
        language_changed = prefs.language != self.prefs.language
        self.prefs = prefs
        prefs_store.save(self.settings, prefs)
        self._update_welcome()
        if prefs.nick and not self.session.active:
            self.nick_edit.setText(prefs.nick)
        if language_changed and self.translations is not None:
            self.translations.apply(prefs.language)
        if not self.session.active and self.args.room is None and prefs.room != self._room:
            self.show_history(prefs.room)

    def show_history(self, room: str) -> None:
        """Start the view with the room's last conversation from disk, marked as history."""
        self._room = self.direct.room = room
        self.direct.list.set_room(room)
        self.chat.clear_all()
        stored = self.history.last(room, HISTORY_LINES)
        if not stored:
            self._history_open = False
            return
        self.chat.add_separator(self.tr("Earlier conversation in %1").replace("%1", room))
        for message in stored:
            self.chat.add_message(message.id, message.nick, message.text, message.ts, message.own, history=True)
        self._history_open = True

    # ------------------------------------------------------------------ engine events
    def on_event(self, event: ev.Event) -> None:
        if self.transfers.on_event(event) or self.direct.on_event(event):
            return
        self._close_history()
        before = self.status.state
        self._apply_status(advance(self.status, event))
        if isinstance(event, ev.Message):
            self._on_message(event)
            return
        line = self.narrator.for_event(event, before, self._roster)
        if line:
            self.chat.add_system(line)
        if isinstance(event, ev.Joined):
            self._on_roster(event.users, announce_joins=False)  # they were there before us; no "joined" lines
        elif isinstance(event, ev.Presence):
            self._on_roster(event.users, event.gone)
        elif isinstance(event, ev.Left):
            self._on_roster((), narrate=False)
        elif isinstance(event, ev.KeyChanged):
            self.members.flag_key_change(event)
        elif isinstance(event, ev.Error) and event.code == Code.NICK_IN_USE:
            self._nick_refused = True  # the engine keeps asking; the field offers a free nick meanwhile
            self.nick_edit.setEnabled(True)
            self.nick_edit.offer_instead(self.narrator.nick or self.nick_edit.text().strip())
        if isinstance(event, (ev.Joined, ev.Hosting, ev.Left)) and self._nick_refused:
            self._nick_refused = False  # the room took our nick after all, or the run ended
            if not isinstance(event, ev.Left):
                self.nick_edit.setText(self.narrator.nick)
                self.nick_edit.unmark()
            self._apply_status(self.status)

    def _on_message(self, message: ev.Message) -> None:
        shown = self.chat.add_message(message.id, message.nick, message.text, message.ts, message.own,
                                      message.history)
        self.history.add(StoredMessage(id=message.id, room=self._room, sender=message.sender, nick=message.nick,
                                       addr=message.addr, text=message.text, ts=message.ts, own=message.own))
        if shown:
            self.direct.room_message(message)

    def _on_roster(self, users: tuple[ev.Member, ...], gone: tuple[ev.Gone, ...] = (), narrate: bool = True,
                   announce_joins: bool = True) -> None:
        if narrate:
            for line in self.narrator.for_presence(self._roster, users, gone, self.session.node_id, announce_joins):
                self.chat.add_system(line)
        self._roster = users
        self.members.set_members(users, self.session.node_id)

    def _close_history(self) -> None:
        if self._history_open:
            self._history_open = False
            self.chat.add_separator(self.tr("End of history"))

    def _update_welcome(self) -> None:
        """Name the network the next Connect will search, from the command line and settings."""
        values = prefs_store.effective(self.args, self.prefs)
        scope = search_scope(values["scan"], values["host"], values["bind"], values["interface"])
        self.welcome.set_scope(scope, values["discovery_window"])

    def _apply_status(self, status: Status) -> None:
        self.status = status
        self.badge.set_status(status)
        offline = status.state in (State.OFFLINE, State.ERROR)
        self.connect_button.setText(self.tr("&Connect") if offline else self.tr("&Disconnect"))
        self.connect_button.setEnabled(offline or self.session.active)
        self.nick_edit.setEnabled(offline or self._nick_refused)
        self.composer.setEnabled(status.online)
        self.send_button.setEnabled(status.online)
        count = len(status.members)
        self.members_label.setText(self.tr("&Members (%1)").replace("%1", str(count)))
        self.host_info.setText(self.tr("Host: %1").replace("%1", status.host) if status.host and not offline else "")
        self.member_info.setText(self.tr("%n member(s)", "", count) if not offline else "")
        self.rtt_info.setText(self.tr("RTT %1 ms").replace("%1", f"{status.rtt_ms:.1f}")
                              if status.rtt_ms is not None and status.state is not State.HOSTING else "")
        self._update_title()

    def _update_title(self) -> None:
        unread = self.notifier.unread if hasattr(self, "notifier") else 0
        title = f"zp2p — {self._room}" if self._room else "zp2p"
        self.setWindowTitle(f"({unread}) {title}" if unread else title)

    def _refuse(self, exc: ValidationError) -> None:
        """A value refused before the engine starts: the nick at its field, anything else (an
        unreadable passphrase file, say) on the badge and in the chat, as the engine's would be."""
        if exc.code != Code.BAD_NICK:
            self.on_event(ev.Error(code=exc.code, detail=exc.detail, fatal=True))
            return
        if self.nick_edit.text().strip():
            sentence = self.problems.describe(exc.code, exc.detail, "") or exc.detail
        else:
            sentence = self.tr("The nick is empty: enter a name first")
        self.statusBar().showMessage(sentence, 8000)
        self.nick_edit.mark(sentence)

    # ------------------------------------------------------------------ Qt events
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.direct.check_shown()
        elif event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Leave the room politely and stop every thread before the window goes away."""
        if not self.session.shutdown(SHUTDOWN_S):
            log.error("some threads did not stop within %.1f s: %s", SHUTDOWN_S, self.session.running_threads())
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.sync()
        self.notifier.hide()
        event.accept()
