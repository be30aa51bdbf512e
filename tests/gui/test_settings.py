"""Preferences survive a save/load round trip, bad values are shown inline, and the command
line wins over saved values when the engine's Config is built."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from zp2p_gui.cli import build_parser
from zp2p_gui.net.interfaces import Interface
from zp2p_gui.ui import settings as prefs_store
from zp2p_gui.ui.settings import Preferences
from zp2p_gui.ui.settings_dialog import SettingsDialog

# A fake interface list for the dialog only: no test here connects or binds to these addresses.
IFACES = [Interface("eth0", "192.168.1.7", "255.255.255.0", True),  # fixture only: never connects
          Interface("lo", "127.0.0.1", "255.0.0.0", False)]


def test_round_trip_through_qsettings(tmp_path):
    prefs = Preferences(nick="민수", room="team", interface="lo", scan=("127.0.5.0/24", "127.0.6.0/28"),
                        host="127.0.5.9", port=25100, discovery_window=0.4, language="ko")
    prefs_store.save(prefs_store.open_settings(tmp_path / "s.ini"), prefs)
    assert prefs_store.load(prefs_store.open_settings(tmp_path / "s.ini")) == prefs


def test_missing_or_mistyped_values_fall_back_to_defaults(tmp_path):
    store = prefs_store.open_settings(tmp_path / "s.ini")
    store.setValue("prefs/port", "not a number")
    assert prefs_store.load(store) == Preferences()


def test_dialog_round_trip(qtbot):
    prefs = Preferences(nick="alice", room="team", interface="lo", scan=("127.0.5.0/24",), host="127.0.5.3",
                        port=25200, discovery_window=0.5, language="ko")
    dialog = SettingsDialog(prefs, interfaces=IFACES)
    qtbot.addWidget(dialog)
    assert dialog.preferences() == prefs
    assert "default route" in dialog.interface.itemText(0) and "loopback" in dialog.interface.itemText(1)


def test_default_route_interface_is_preselected(qtbot):
    dialog = SettingsDialog(Preferences(), interfaces=IFACES)
    qtbot.addWidget(dialog)
    assert dialog.interface.currentText().startswith("eth0")
    assert dialog.preferences().interface == ""


def test_bad_values_get_inline_errors_and_block_ok(qtbot):
    dialog = SettingsDialog(Preferences(nick="alice"), interfaces=IFACES)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert ok.isEnabled()
    dialog.scan.setText("127.0.5.0/24 not-a-range")
    dialog.host.setText("300.1.1.1")  # not an address: validation refuses it, nothing connects
    dialog.room.setText("   ")
    assert "CIDR" in dialog.error_text("scan")
    assert "IPv4" in dialog.error_text("host")
    assert dialog.error_text("room")
    assert not ok.isEnabled()
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    dialog.scan.setText("127.0.5.0/24")
    dialog.host.setText("")
    dialog.room.setText("lobby")
    assert ok.isEnabled() and dialog.error_text("scan") == ""


def test_command_line_wins_over_saved_preferences():
    prefs = Preferences(room="saved", port=25300, scan=("127.0.6.0/24",), discovery_window=2.0)
    args = build_parser().parse_args(["--port", "25304", "--bind", "127.0.6.2"])
    config = prefs_store.build_config(args, prefs, "alice")
    assert (config.port, config.room, config.scan, config.bind) == (25304, "saved", ("127.0.6.0/24",), "127.0.6.2")
    assert config.timings.discovery_window == 2.0


def test_private_room_fields(qtbot, tmp_path):
    dialog = SettingsDialog(Preferences(nick="alice"), interfaces=IFACES, passphrase="s3cret")
    qtbot.addWidget(dialog)
    assert dialog.passphrase_edit.echoMode() == dialog.passphrase_edit.EchoMode.Password
    dialog.reveal.click()
    assert dialog.passphrase_edit.echoMode() == dialog.passphrase_edit.EchoMode.Normal
    assert dialog.passphrase() == "s3cret" and dialog.preferences().passphrase_file == ""

    missing = tmp_path / "missing.pass"
    dialog.passphrase_file.setText(str(missing))
    assert dialog.error_text("passphrase_file") == "Cannot read the passphrase file, or it is empty"
    assert "cannot read passphrase file" in dialog.findChild(QLabel, "passphrase_file_error").toolTip()
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    present = tmp_path / "room.pass"
    present.write_text("from the file\n", encoding="utf-8")
    dialog.passphrase_file.setText(str(present))
    assert dialog.error_text("passphrase_file") == ""
    assert not dialog.passphrase_edit.isEnabled() and dialog.passphrase() == ""  # the file supplies it


def test_passphrase_strength_is_shown_under_the_field(qtbot):
    dialog = SettingsDialog(Preferences(nick="alice"), interfaces=IFACES, passphrase="hunter2")
    qtbot.addWidget(dialog)
    assert dialog.strength.text().startswith("Weak")
    dialog.passphrase_edit.setText("maple orbit tundra velvet quiz")
    assert dialog.strength.text() == "Strong passphrase."
    dialog.passphrase_edit.setText("")
    assert dialog.strength.text() == ""


def test_command_line_passphrase_file_locks_the_fields_and_keeps_the_saved_path(qtbot):
    dialog = SettingsDialog(Preferences(nick="alice", passphrase_file="/saved/path"), interfaces=IFACES,
                            command_line_file="/from/cli")
    qtbot.addWidget(dialog)
    assert not dialog.passphrase_file.isEnabled() and dialog.passphrase_file.text() == "/from/cli"
    assert dialog.errors() == {}
    assert dialog.preferences().passphrase_file == "/saved/path"


def test_passphrase_precedence(tmp_path):
    cli_file, saved_file = tmp_path / "cli.pass", tmp_path / "saved.pass"
    cli_file.write_text("from the command line\n", encoding="utf-8")
    saved_file.write_text("from the saved file\n", encoding="utf-8")
    saved = Preferences(passphrase_file=str(saved_file))
    with_cli = build_parser().parse_args(["--passphrase-file", str(cli_file)])
    plain = build_parser().parse_args([])
    assert prefs_store.build_config(with_cli, saved, "alice", "typed").passphrase == "from the command line"
    assert prefs_store.build_config(plain, saved, "alice", "typed").passphrase == "from the saved file"
    assert prefs_store.build_config(plain, Preferences(), "alice", "typed").passphrase == "typed"
    assert prefs_store.build_config(plain, Preferences(), "alice", None).passphrase is None


def test_window_dialog_shows_what_the_command_line_sets(qtbot, lan, make_window):
    window = make_window(["--nick", "alice", *lan.options(2)])
    window.apply_preferences(Preferences(nick="alice", port=27800, scan=(), room="saved"))
    dialog = window.settings_dialog()
    qtbot.addWidget(dialog)
    assert dialog.port.value() == lan.port and not dialog.port.isEnabled()
    assert dialog.scan.text() == lan.scan and not dialog.scan.isEnabled()
    assert dialog.interface.currentText() == lan.ip(2) and not dialog.interface.isEnabled()
    assert dialog.note_text("port") == "Set by the command line: --port"
    assert dialog.note_text("interface") == "Set by the command line: --bind"
    assert dialog.note_text("room") == "" and dialog.room.isEnabled() and dialog.room.text() == "saved"
    kept = dialog.preferences()  # what is saved stays what was saved, for runs without the flags
    assert (kept.port, kept.scan, kept.interface) == (27800, (), "")


def test_the_downloads_folder_is_edited_and_the_command_line_wins(qtbot, tmp_path):
    dialog = SettingsDialog(Preferences(nick="alice", downloads="/srv/inbox"), interfaces=IFACES)
    qtbot.addWidget(dialog)
    assert dialog.downloads.text() == "/srv/inbox" and dialog.downloads.placeholderText() == "your downloads folder"
    dialog.downloads.setText(f" {tmp_path} ")
    assert dialog.preferences().downloads == str(tmp_path)
    given = SettingsDialog(Preferences(downloads="/srv/inbox"), interfaces=IFACES,
                           command_line={"downloads": str(tmp_path)})
    qtbot.addWidget(given)
    assert given.downloads.text() == str(tmp_path) and not given.downloads.isEnabled()
    assert not given.browse_downloads.isEnabled()
    assert given.note_text("downloads") == "Set by the command line: --downloads"
    assert given.preferences().downloads == "/srv/inbox"  # kept for runs without the flag


def test_no_blank_gap_after_an_inline_error_clears(qtbot):
    dialog = SettingsDialog(Preferences(nick="alice"), interfaces=IFACES)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    before = dialog.height()
    dialog.scan.setText("not-a-range")
    qtbot.waitUntil(lambda: dialog.height() > before, timeout=2000)
    dialog.scan.setText("")
    qtbot.waitUntil(lambda: dialog.height() == before, timeout=2000)
