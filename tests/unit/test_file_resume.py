"""Automatic resume, in a temporary folder: what the sender keeps to offer again (bounded in
number and age, only what it needs, saved 0600 and read back defensively), and when a recipient
takes a resume without asking (only the same sender, same content, a partial download it kept,
accepted recently), and when a partial download nothing resumed is removed."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

from zp2p_gui.core.files import Entry, Manifest
from zp2p_gui.net import file_resume
from zp2p_gui.net.file_disk import PART_MAX_AGE_S, accepted_before, sweep_parts, write_state
from zp2p_gui.net.file_resume import MAX_AGE_S, MAX_BROKEN, RESUME_EVERY_S, Accepted, ResumeBook

MANIFEST = Manifest("a.bin", False, (Entry("a.bin", 10),))


def test_an_accepted_transfer_is_kept_on_disk_and_read_back_by_a_restart(tmp_path: Path) -> None:
    store = tmp_path / "data" / file_resume.FILE_NAME
    ResumeBook(store).accepted("t1", "ben", tmp_path / "a.bin", "f" * 64, 10)
    assert stat.S_IMODE(os.stat(store).st_mode) == 0o600
    assert set(json.loads(store.read_text("utf-8"))[0]) == {"id", "key", "path", "fp", "size", "since"}
    again = ResumeBook(store)
    assert [e.id for e in again.due({"ben"}, set())] == ["t1"]
    assert again.due({"amy"}, set()) == [] and again.due({"ben"}, {"t1"}) == []


def test_forget_and_supersede_remove_it_for_good(tmp_path: Path) -> None:
    store = tmp_path / file_resume.FILE_NAME
    book = ResumeBook(store)
    book.accepted("t1", "ben", tmp_path / "a", "f1", 1)
    book.accepted("t2", "ben", tmp_path / "b", "f2", 1)
    book.forget("t1")
    book.supersede("ben", "f2")
    assert ResumeBook(store).due({"ben"}, set()) == []


def test_the_book_keeps_the_newest_few_and_none_too_old(tmp_path: Path, monkeypatch) -> None:
    book = ResumeBook(None)
    clock = [1000.0]
    monkeypatch.setattr(file_resume.time, "time", lambda: clock[0])
    for i in range(MAX_BROKEN + 3):
        clock[0] += 1
        book.accepted(f"t{i}", "ben", tmp_path / f"{i}", f"f{i}", 1)
    assert sorted(e.id for e in book.due({"ben"}, set())) == sorted(f"t{i}" for i in range(3, MAX_BROKEN + 3))
    clock[0] += MAX_AGE_S
    assert book.due({"ben"}, set()) == []


def test_a_damaged_or_edited_store_resumes_nothing_and_breaks_nothing(tmp_path: Path) -> None:
    store = tmp_path / file_resume.FILE_NAME
    store.write_text("not json", "utf-8")
    assert ResumeBook(store).due({"ben"}, set()) == []
    store.write_text(json.dumps([{"id": 1, "key": "ben"}, {"id": "t", "key": "ben", "path": "p", "fp": "f",
                                                           "size": "big", "since": time.time()}]), "utf-8")
    assert ResumeBook(store).due({"ben"}, set()) == []


def test_a_recipient_resumes_by_itself_only_the_same_sender_and_content_it_kept(tmp_path: Path) -> None:
    part = tmp_path / "a.bin.zp2p-part"
    assert not accepted_before(tmp_path, MANIFEST, "amy", "f1", MAX_AGE_S)
    part.write_bytes(b"12345")
    write_state(part, "amy", "f1", 10)
    assert accepted_before(tmp_path, MANIFEST, "amy", "f1", MAX_AGE_S)
    assert not accepted_before(tmp_path, MANIFEST, "eve", "f1", MAX_AGE_S)
    assert not accepted_before(tmp_path, MANIFEST, "amy", "f2", MAX_AGE_S)
    assert not accepted_before(tmp_path, Manifest("a.bin", False, (Entry("a.bin", 11),)), "amy", "f1", MAX_AGE_S)
    assert not accepted_before(tmp_path, MANIFEST, "amy", "f1", 0)  # accepted too long ago
    part.unlink()
    assert not accepted_before(tmp_path, MANIFEST, "amy", "f1", MAX_AGE_S)  # the user removed the part


def test_partial_downloads_nothing_resumed_for_a_week_are_removed_and_nothing_else(tmp_path: Path) -> None:
    old, fresh, foreign = tmp_path / "old.bin.zp2p-part", tmp_path / "new.zp2p-part", tmp_path / "x.zp2p-part"
    (old / "sub").mkdir(parents=True)
    (old / "sub" / "f").write_bytes(b"1")
    write_state(old, "amy", "f1", 1)
    fresh.write_bytes(b"2")
    write_state(fresh, "amy", "f2", 1)
    foreign.write_bytes(b"3")
    (tmp_path / "x.zp2p-part.json").write_text("{}", "utf-8")  # not a state file of ours
    (tmp_path / "old.bin").write_bytes(b"a finished download")
    week_ago = time.time() - PART_MAX_AGE_S - 60
    for path in (old, tmp_path / "old.bin.zp2p-part.json", foreign, tmp_path / "x.zp2p-part.json"):
        os.utime(path, (week_ago, week_ago))
    assert sweep_parts(tmp_path, PART_MAX_AGE_S, time.time()) == [old]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.zp2p-part", "new.zp2p-part.json", "old.bin",
                                                            "x.zp2p-part", "x.zp2p-part.json"]
    assert sweep_parts(tmp_path / "missing", PART_MAX_AGE_S, time.time()) == []


def test_a_recipient_takes_at_most_one_resume_of_a_content_every_few_seconds(tmp_path: Path) -> None:
    accepted = Accepted(tmp_path / "downloads")
    accepted.note("amy", "f1", tmp_path / "elsewhere")
    assert accepted.folder("amy", "f1") == tmp_path / "elsewhere"
    assert accepted.folder("eve", "f1") == tmp_path / "downloads"
    assert not accepted.too_soon("amy", "f1", 100.0)
    accepted.resumed("amy", "f1", 100.0)
    assert accepted.too_soon("amy", "f1", 100.0 + RESUME_EVERY_S - 1)
    assert not accepted.too_soon("amy", "f1", 100.0 + RESUME_EVERY_S) and not accepted.too_soon("amy", "f2", 100.0)
