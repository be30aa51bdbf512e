"""File transfers in the window, fed with the engine's events through the real session bridge:
offers with Accept/Decline in the sender's conversation, progress with speed and time left,
Cancel, Open / Show in folder (the URL asked for, nothing launched), reasons in English and
Korean, drag and drop of files on a conversation and on a member, and rows that follow the
conversation shown. The Node is replaced by a recorder (tests only)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QObject, QPoint, QPointF, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

from zp2p_gui.core import events as ev
from zp2p_gui.core.errors import Code
from zp2p_gui.node import Node
from zp2p_gui.ui.i18n import Translations
from zp2p_gui.ui.main_window import MainWindow
from zp2p_gui.ui.problems import Problems
from zp2p_gui.ui.status import State
from zp2p_gui.ui.transfer_row import Phase, TransferRow
from zp2p_gui.ui.transfers import KEEP_FINISHED

from .conftest import WAIT_MS, Lan
from .test_direct import BOB, ME, RecordingNode, _send_away, open_window  # noqa: F401 (a fixture)

MIB = 1024 * 1024


class FileNode(RecordingNode):
    """The Node's file methods, recorded."""

    def __init__(self) -> None:
        super().__init__()
        self.offers: list[tuple[str, str | None, str | None]] = []
        self.answers: list[tuple[str, str]] = []

    def send_files(self, path: str, nick: str | None = None, key: str | None = None) -> str:
        self.offers.append((path, nick, key))
        return f"out{len(self.offers)}"

    def accept_offer(self, transfer_id: str, folder: str | None = None) -> None:
        self.answers.append(("accept", transfer_id))

    def decline_offer(self, transfer_id: str) -> None:
        self.answers.append(("decline", transfer_id))

    def cancel_transfer(self, transfer_id: str) -> None:
        self.answers.append(("cancel", transfer_id))


class UrlRecorder(QObject):
    """Stands in for the desktop's file opener: Open and Show in folder ask it, nothing starts."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def record(self, url: QUrl) -> None:
        self.urls.append(url.toLocalFile())


@pytest.fixture
def translations(qapp):
    """English plurals come from the English catalog, as in the app."""
    installed = Translations(qapp)
    installed.apply("en")
    yield installed
    installed.apply("en")


@pytest.fixture
def window_with_bob(open_window, monkeypatch, translations):  # noqa: F811 (the fixture imported above)
    window, _ = open_window()
    node = FileNode()
    monkeypatch.setattr(window.session, "_node", node)
    return window, node


@pytest.fixture
def opened_urls():
    recorder = UrlRecorder()
    QDesktopServices.setUrlHandler("file", recorder, "record")
    yield recorder.urls
    QDesktopServices.unsetUrlHandler("file")


def push(window: MainWindow, event: ev.Event) -> None:
    """Through the session's event bridge, as the engine's thread delivers events."""
    window.session._bridge.received.emit(window.session._generation, event)


def offer(n: int = 1, name: str = "holiday photos", size: int = 3 * MIB, files: int = 12) -> ev.Offer:
    return ev.Offer(id=f"in{n}", key=BOB.key, nick=BOB.nick, filename=name, size=size, files=files)


def said(code: Code) -> str:
    """The code's sentence, the one table every part of the window says errors from."""
    return Problems().describe(code, "", "") or ""


def shown_offer(window: MainWindow) -> TransferRow:
    """bob's offer, in his conversation on screen."""
    push(window, offer())
    window.direct.list.select(BOB.key)
    return window.transfers.row("in1")


def visible_buttons(row: TransferRow) -> list[str]:
    buttons = (row.accept_button, row.decline_button, row.cancel_button, row.open_button, row.show_button,
               row.dismiss_button)
    return [b.text().replace("&", "") for b in buttons if b.isVisibleTo(row)]


def test_an_offer_waits_in_the_senders_conversation_with_accept_and_decline(qtbot, window_with_bob, monkeypatch):
    window, _ = window_with_bob
    notified: list[tuple[str, str, bool]] = []
    monkeypatch.setattr(window.notifier, "message", lambda nick, text, private=False: notified.append(
        (nick, text, private)))
    elsewhere = _send_away(qtbot, window)
    push(window, offer())
    assert notified == [("bob", "Offers you holiday photos (3.0 MiB)", True)]  # the DMs' notification path
    row = window.transfers.row("in1")
    assert row.name_label.text() == "holiday photos"
    assert row.about_label.text() == "From bob · 3.0 MiB · 12 files"
    assert row.status_label.text().startswith("bob wants to send you this.")
    assert visible_buttons(row)[:2] == ["Accept", "Decline"] and len(visible_buttons(row)) == 2
    conversations = window.direct.list
    assert conversations.keys() == [BOB.key] and conversations.unread(BOB.key) == 1  # counted, as a DM is
    assert not row.isVisibleTo(window.transfers.panel)  # the room is shown, not bob's conversation
    conversations.select(BOB.key)
    assert row.isVisibleTo(window.transfers.panel) and window.transfers.panel.isVisibleTo(window)
    elsewhere.close()


def test_accept_progress_and_done_then_open_and_show_in_folder(qtbot, window_with_bob, opened_urls, tmp_path):
    window, node = window_with_bob
    row = shown_offer(window)
    qtbot.mouseClick(row.accept_button, Qt.MouseButton.LeftButton)
    assert node.answers == [("accept", "in1")]
    assert row.phase is Phase.STARTING and visible_buttons(row) == ["Cancel"]
    push(window, ev.Progress(id="in1", bytes=MIB, size=3 * MIB, rate=MIB / 2))
    assert row.status_label.text() == "1.0 MiB of 3.0 MiB · 512 KiB/s · 4 s left"
    assert row.bar.value() < 333  # it glides there, as the next reading is up to 250 ms away
    qtbot.waitUntil(lambda: row.bar.value() == 333, timeout=WAIT_MS)
    push(window, ev.Progress(id="in1", bytes=2 * MIB, size=3 * MIB, rate=MIB))
    assert "666 KiB/s" in row.status_label.text()  # the speed moves towards the reading, not jumping to it
    received = tmp_path / "Downloads" / "holiday photos"
    push(window, ev.TransferDone(id="in1", key=BOB.key, nick="bob", path=str(received), size=3 * MIB,
                                 hash="ab" * 32, hash_alg="sha256", resumed_from=MIB, incoming=True))
    assert row.bar.value() == 1000 and visible_buttons(row) == ["Open", "Show in folder", "✕"]
    assert row.status_label.text() == "Received and verified · resumed: 1.0 MiB did not need sending again"
    assert window.direct.list.unread(BOB.key) == 0  # shown as it happened: nothing left unread
    qtbot.mouseClick(row.open_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(row.show_button, Qt.MouseButton.LeftButton)
    assert opened_urls == [str(received), str(received.parent)]


def test_decline_says_so_and_clearing_removes_the_row(qtbot, window_with_bob):
    window, node = window_with_bob
    row = shown_offer(window)
    qtbot.mouseClick(row.decline_button, Qt.MouseButton.LeftButton)
    assert node.answers == [("decline", "in1")]
    assert row.status_label.text() == said(Code.DECLINED) and visible_buttons(row) == ["✕"]
    push(window, ev.TransferFailed(id="in1", key=BOB.key, nick="bob", code="declined", incoming=True))
    qtbot.mouseClick(row.dismiss_button, Qt.MouseButton.LeftButton)
    assert window.transfers.row("in1") is None and not window.transfers.panel.isVisibleTo(window)
    push(window, offer(2, "next.txt", 7, 1))
    reused = window.transfers.row("in2")
    assert reused is row  # a cleared row serves the next transfer, with nothing left of the last one
    assert reused.about_label.text() == "From bob · 7 B" and visible_buttons(reused) == ["Accept", "Decline"]
    assert reused.isVisibleTo(window.transfers.panel) and window.transfers.panel.isVisibleTo(window)


def test_send_file_from_the_conversation_then_cancel(qtbot, window_with_bob, monkeypatch):
    window, node = window_with_bob
    button = window.transfers.send_button
    assert not button.isEnabled()  # the room is shown: no one to send to
    window.direct.open(BOB)
    assert button.isEnabled()
    monkeypatch.setattr(window.transfers, "choose", lambda folder: ["/home/alice/report.pdf"])
    button.file_action.trigger()
    assert node.offers == [("/home/alice/report.pdf", "bob", BOB.key)]
    row = window.transfers.row("out1")
    assert row.about_label.text() == "To bob" and row.status_label.text() == "Waiting for bob to accept…"
    push(window, ev.OfferSent(id="out1", key=BOB.key, nick="bob", filename="report.pdf", size=1536, files=1,
                              path="/home/alice/report.pdf"))
    assert row.about_label.text() == "To bob · 1.5 KiB" and visible_buttons(row) == ["Cancel"]
    qtbot.mouseClick(row.cancel_button, Qt.MouseButton.LeftButton)
    assert node.answers == [("cancel", "out1")] and row.status_label.text() == said(Code.CANCELLED)


def test_send_folder_from_the_member_menu(qtbot, window_with_bob, monkeypatch):
    window, node = window_with_bob
    monkeypatch.setattr(window.transfers, "choose", lambda folder: ["/home/alice/album"] if folder else [])
    menu = window.members.message_menu(BOB)
    texts = [action.text() for action in menu.actions()]
    assert texts == ["Message…", "Send file…", "Send folder…"]
    assert not any(action.isEnabled() for action in window.members.message_menu(ME).actions())
    menu.actions()[2].trigger()
    assert node.offers == [("/home/alice/album", "bob", BOB.key)]
    assert window.transfers.row("out1").name_label.text() == "album"


def _drop(target: QWidget, paths: list[str], pos: QPoint) -> bool:
    """A drag of local files entering `target` and dropped at `pos`; True if the drop was taken."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(p) for p in paths])
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(pos, actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    drop = QDropEvent(QPointF(pos), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, drop)
    return enter.isAccepted() and drop.isAccepted()


def test_files_dropped_on_a_conversation_or_a_member(qtbot, window_with_bob, tmp_path):
    window, node = window_with_bob
    files = [str(tmp_path / "a.txt"), str(tmp_path / "b folder")]
    assert not _drop(window.chat.viewport(), files, QPoint(20, 20))  # the room: no one to send to
    window.direct.open(BOB)
    assert _drop(window.direct.view(BOB.key).viewport(), files, QPoint(20, 20))
    assert node.offers == [(files[0], "bob", BOB.key), (files[1], "bob", BOB.key)]
    assert _drop(window.transfers.panel.viewport(), files[:1], QPoint(20, 20))  # on the rows: the same person
    assert len(node.offers) == 3
    members = window.members
    bob_row = next(members.item(r) for r in range(members.count()) if members.item(r).text() == "bob")
    me_row = next(members.item(r) for r in range(members.count()) if members.item(r).text().startswith("alice"))
    assert not _drop(members.viewport(), files[:1], members.visualItemRect(me_row).center())
    assert _drop(members.viewport(), files[:1], members.visualItemRect(bob_row).center())
    assert len(node.offers) == 4
    assert [r.filename for r in window.transfers.rows(BOB.key)] == ["a.txt", "b folder", "a.txt", "a.txt"]


def test_several_transfers_keep_their_rows_across_conversations(qtbot, window_with_bob):
    window, _ = window_with_bob
    carol = ev.Member("n-carol", "carol", "127.0.5.5", False, 0.0, key="carol-identity-key")
    push(window, ev.Presence(users=(ME, BOB, carol)))
    push(window, offer(1))
    push(window, offer(2, "notes.txt", 10, 1))
    push(window, ev.Offer(id="in3", key=carol.key, nick="carol", filename="song.ogg", size=MIB, files=1))
    conversations = window.direct.list
    conversations.select(BOB.key)
    shown = [row.filename for row in window.transfers.rows(BOB.key) if row.isVisibleTo(window.transfers.panel)]
    assert shown == ["holiday photos", "notes.txt"]
    conversations.select(carol.key)
    conversations.select(BOB.key)
    assert all(row.isVisibleTo(window.transfers.panel) for row in window.transfers.rows(BOB.key))
    assert not window.transfers.row("in3").isVisibleTo(window.transfers.panel)


def test_finished_rows_beyond_the_limit_are_cleared_oldest_first(qtbot, window_with_bob):
    window, _ = window_with_bob
    for n in range(KEEP_FINISHED + 5):
        push(window, offer(n))
        push(window, ev.TransferFailed(id=f"in{n}", key=BOB.key, nick="bob", code="peer_lost", incoming=True))
    push(window, offer(999))  # waiting for an answer: never cleared
    ids = [row.transfer_id for row in window.transfers.rows(BOB.key)]
    assert len(ids) == KEEP_FINISHED + 1 and ids[0] == "in5" and ids[-1] == "in999"


def test_an_offer_made_again_after_a_failure_can_be_accepted_again(qtbot, window_with_bob):
    window, _ = window_with_bob
    row = shown_offer(window)
    push(window, ev.TransferFailed(id="in1", key=BOB.key, nick="bob", code="peer_lost", incoming=True))
    push(window, offer())  # the same transfer offered again, to resume
    assert window.transfers.row("in1") is row and row.phase is Phase.OFFERED
    assert visible_buttons(row) == ["Accept", "Decline"] and not row.bar.isVisibleTo(row)


def test_a_transfer_its_sender_resumes_by_itself_goes_on_without_asking_again(qtbot, window_with_bob):
    window, _ = window_with_bob
    row = shown_offer(window)
    row.accepted()
    push(window, ev.TransferFailed(id="in1", key=BOB.key, nick="bob", code="peer_lost", incoming=True,
                                   resumable=True))
    push(window, ev.Offer(id="in1", key=BOB.key, nick=BOB.nick, filename="holiday photos", size=3 * MIB, files=12,
                          resume=True))
    assert window.transfers.row("in1") is row and row.phase is Phase.STARTING
    assert "Accept" not in visible_buttons(row) and row.bar.isVisibleTo(row)


def test_leaving_the_room_interrupts_what_is_running(qtbot, window_with_bob):
    window, _ = window_with_bob
    push(window, offer())
    window.transfers.row("in1").accepted()
    push(window, ev.Left())
    row = window.transfers.row("in1")
    assert row.phase is Phase.INTERRUPTED and visible_buttons(row) == ["✕"]
    assert row.status_label.text().startswith("Interrupted: you left the room.")


def test_transfer_words_are_korean_in_korean(qtbot, window_with_bob, translations):
    window, _ = window_with_bob
    push(window, offer())
    push(window, ev.OfferSent(id="out7", key=BOB.key, nick="bob", filename="x.bin", size=5, files=1, path="/x.bin"))
    push(window, ev.TransferFailed(id="out7", key=BOB.key, nick="bob", code=Code.HASH_MISMATCH, detail="sha256"))
    translations.apply("ko")
    row = window.transfers.row("in1")
    qtbot.waitUntil(lambda: row.accept_button.text() != "&Accept", timeout=WAIT_MS)
    assert row.about_label.text() == "보낸 사람: bob · 3.0 MiB · 파일 12개"
    for text in (row.accept_button.text(), row.decline_button.text(), row.status_label.text(),
                 window.transfers.row("out7").status_label.text(), window.transfers.send_button.file_action.text()):
        assert any("\uac00" <= ch <= "\ud7a3" for ch in text), text


# ---------------------------------------------------------------------- with the real engine
needs_engine = pytest.mark.skipif(not hasattr(Node, "send_files"), reason="needs the engine's file transfers "
                                  "(branch files-core)")


def _hosting(qtbot, lan: Lan, make_window, downloads: Path, *bob_options: str):
    """alice's window hosts the room (its downloads in `downloads`) and a headless bob has joined."""
    window = make_window(["--nick", "alice", *lan.options(2), "--downloads", str(downloads)])
    window.connect_now()
    qtbot.waitUntil(lambda: window.status.state is State.HOSTING, timeout=WAIT_MS)
    bob = lan.peer("bob", 3, *bob_options)
    bob.wait_event("joined", timeout=WAIT_MS / 1000)
    members = window.members
    qtbot.waitUntil(lambda: "bob" in members.nicks(), timeout=WAIT_MS)
    bob_member = next(members.member_at(members.item(r)) for r in range(members.count())
                      if members.item(r).text() == "bob")
    return window, bob, bob_member


@needs_engine
def test_a_real_file_from_a_headless_member_is_accepted_in_the_window(qtbot, lan, make_window, tmp_path,
                                                                     translations):
    window, bob, member = _hosting(qtbot, lan, make_window, tmp_path / "alice downloads")
    source = tmp_path / "bob" / "notes.bin"
    source.parent.mkdir()
    source.write_bytes(os.urandom(3 * MIB + 17))
    bob.say(f"/send alice {source}")
    qtbot.waitUntil(lambda: len(window.transfers.rows(member.key)) == 1, timeout=WAIT_MS)
    row = window.transfers.rows(member.key)[0]
    assert row.about_label.text() == "From bob · 3.0 MiB" and row.phase is Phase.OFFERED
    window.direct.list.select(member.key)
    qtbot.mouseClick(row.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row.phase is Phase.DONE, timeout=WAIT_MS)
    assert row.path == str(tmp_path / "alice downloads" / "notes.bin")
    assert Path(row.path).read_bytes() == source.read_bytes()
    bob.wait_event("transfer_done", timeout=WAIT_MS / 1000, path=str(source))


@needs_engine
def test_files_dropped_on_a_member_reach_a_real_headless_member(qtbot, lan, make_window, tmp_path, translations):
    bob_downloads = tmp_path / "bob downloads"
    window, bob, member = _hosting(qtbot, lan, make_window, tmp_path / "alice downloads", "--auto-accept",
                                   "--downloads", str(bob_downloads))
    folder = tmp_path / "album"
    (folder / "empty").mkdir(parents=True)
    for n in range(3):
        (folder / f"photo {n}.jpg").write_bytes(os.urandom(1000 + n))
    members = window.members
    bob_row = next(members.item(r) for r in range(members.count()) if members.item(r).text() == "bob")
    assert _drop(members.viewport(), [str(folder)], members.visualItemRect(bob_row).center())
    row = window.transfers.rows(member.key)[0]
    qtbot.waitUntil(lambda: row.phase is Phase.DONE, timeout=WAIT_MS)
    assert row.about_label.text() == "To bob · 2.9 KiB · 3 files" and row.path == str(folder)
    done = bob.wait_event("transfer_done", timeout=WAIT_MS / 1000)
    assert done["path"] == str(bob_downloads / "album") and (bob_downloads / "album" / "empty").is_dir()
