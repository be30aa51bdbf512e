"""Issue 15, the disk part (in a temporary folder): the sender's listing leaves symlinks out
and lists folders first, the recipient's writer never follows a symlink, a partial download is
found again only for the same sender and content, a finished one never overwrites, and a large
one is written behind (its pages leave the cache once on disk)."""

from __future__ import annotations

import os
import platform
from pathlib import Path

import pytest

from zp2p_gui.core.file_limits import CHUNK, CREDIT, DIR
from zp2p_gui.core.files import Entry, Manifest
from zp2p_gui.net import file_disk
from zp2p_gui.net.file_disk import (StreamReader, StreamWriter, find_part, finish, held_on_disk, scan, set_aside,
                                    write_state)
from zp2p_gui.net.file_memory import keep_chunk_memory
from zp2p_gui.net.file_transfers import STALL, Receiving


def test_scan_lists_folders_before_their_contents_and_leaves_symlinks_out(tmp_path: Path) -> None:
    top = tmp_path / "top"
    (top / "b" / "c").mkdir(parents=True)
    (top / "b" / "x.txt").write_bytes(b"12")
    (top / "a.txt").write_bytes(b"1")
    (top / "link").symlink_to(tmp_path)
    (top / "flink").symlink_to(top / "a.txt")
    manifest, stamps = scan(top)
    assert [(e.path, e.size) for e in manifest.entries] == [("a.txt", 1), ("b", DIR), ("b/c", DIR), ("b/x.txt", 2)]
    assert manifest.folder and len(stamps) == 2


def test_a_stream_written_across_files_reads_back_the_same(tmp_path: Path) -> None:
    manifest = Manifest("t", True, (Entry("d", DIR), Entry("d/a", 3), Entry("d/z", 0), Entry("b", 5)))
    writer = StreamWriter(tmp_path / "t.zp2p-part", manifest, 0)
    writer.write(b"abcd")
    writer.write(b"efgh")
    writer.close()
    assert (tmp_path / "t.zp2p-part" / "d" / "z").read_bytes() == b""
    reader = StreamReader(tmp_path / "t.zp2p-part", manifest)
    assert reader.read(0, 8) == b"abcdefgh"
    reader.close()
    assert held_on_disk(tmp_path / "t.zp2p-part", manifest) == 8


def test_the_writer_refuses_a_symlinked_folder_in_its_part(tmp_path: Path) -> None:
    part = tmp_path / "t.zp2p-part"
    part.mkdir()
    (part / "d").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "elsewhere").mkdir()
    with pytest.raises(OSError):
        StreamWriter(part, Manifest("t", True, (Entry("d", DIR), Entry("d/a", 3))), 0)
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_the_writer_never_writes_through_a_symlinked_file(tmp_path: Path) -> None:
    target = tmp_path / "victim"
    target.write_bytes(b"keep")
    (tmp_path / "a.zp2p-part").symlink_to(target)
    with pytest.raises(OSError):
        StreamWriter(tmp_path / "a.zp2p-part", Manifest("a", False, (Entry("a", 3),)), 0)
    assert target.read_bytes() == b"keep"


def test_a_partial_download_is_found_again_only_for_its_sender_and_content(tmp_path: Path) -> None:
    manifest = Manifest("a.bin", False, (Entry("a.bin", 10),))
    part, held = find_part(tmp_path, manifest, "K1", "f" * 64)
    assert (part.name, held) == ("a.bin.zp2p-part", 0)
    write_state(part, "K1", "f" * 64, 10)
    part.write_bytes(b"12345")
    assert find_part(tmp_path, manifest, "K1", "f" * 64) == (part, 5)
    other, held = find_part(tmp_path, manifest, "K2", "f" * 64)
    assert (other.name, held) == ("a (2).bin.zp2p-part", 0)
    assert find_part(tmp_path, manifest, "K1", "e" * 64)[1] == 0


def test_a_longer_file_than_offered_is_not_counted_as_held_and_is_cut(tmp_path: Path) -> None:
    manifest = Manifest("a", False, (Entry("a", 4),))
    (tmp_path / "a.zp2p-part").write_bytes(b"123456")
    held = held_on_disk(tmp_path / "a.zp2p-part", manifest)
    assert held == 4
    StreamWriter(tmp_path / "a.zp2p-part", Manifest("a", False, (Entry("a", 8),)), 2).close()
    assert (tmp_path / "a.zp2p-part").read_bytes() == b"12"


def test_finishing_never_overwrites_and_a_mismatch_is_set_aside(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"mine")
    for n in (1, 2):
        part = tmp_path / "a.txt.zp2p-part"
        part.write_bytes(b"new")
        write_state(part, "K", "f" * 64, 3)
        assert finish(part, tmp_path, "a.txt").name == f"a ({n + 1}).txt"
        assert not os.path.lexists(tmp_path / "a.txt.zp2p-part.json")
    assert (tmp_path / "a.txt").read_bytes() == b"mine"
    part.write_bytes(b"bad")
    assert set_aside(part, tmp_path, "a.txt").name == "a.txt.zp2p-bad"


def test_the_recipient_keeps_credit_chunks_asked_and_writes_only_the_next_one(tmp_path: Path) -> None:
    size = (CREDIT + 2) * CHUNK + 5
    offer = {"id": "i" * 32, "name": "a", "folder": False, "entries": [{"p": "a", "s": size}], "size": size,
             "files": 1, "fp": "f" * 64, "dkey": "1" * 64}
    t = Receiving.from_offer("K", "amy", offer)
    t.open(tmp_path, None)
    assert t.asks() == [(i * CHUNK, CHUNK) for i in range(CREDIT)]
    assert t.asks() == []  # the window is full
    assert not t.wanted(CHUNK, CHUNK), "only the chunk at the offset held next"
    assert not t.wanted(0, CHUNK + 1) and not t.wanted(0, CHUNK - 1), "only the asked length"
    assert t.wanted(0, CHUNK)
    chunk = t.buffer()
    t.received(chunk, CHUNK)
    assert t.asks() == [], "received but not yet on disk: still in the window"
    t.store(memoryview(chunk))
    assert t.asks() == [(CREDIT * CHUNK, CHUNK)]
    t.close()


def test_a_recipient_waiting_on_its_own_disk_is_not_a_silent_sender(tmp_path: Path) -> None:
    """Chunks queued for the writer thread hold the window full: no stall is counted against
    the sender then, only once its disk has caught up and still nothing comes."""
    size = 2 * CHUNK
    offer = {"id": "i" * 32, "name": "a", "folder": False, "entries": [{"p": "a", "s": size}], "size": size,
             "files": 1, "fp": "f" * 64, "dkey": "1" * 64}
    t = Receiving.from_offer("K", "amy", offer)
    t.open(tmp_path, None)
    t.asks()
    chunk = t.buffer()
    t.received(chunk, CHUNK)
    later = t.heard_at + STALL + 1
    assert not t.silent(later), "a chunk still waits for the disk"
    t.store(memoryview(chunk))
    assert t.silent(later)
    t.close()


def test_an_offer_with_an_unsafe_name_is_refused_before_any_disk_work(tmp_path: Path) -> None:
    offer = {"id": "i" * 32, "name": "..", "folder": False, "entries": [{"p": "..", "s": 1}], "size": 1,
             "files": 1, "fp": "f" * 64, "dkey": "1" * 64}
    assert Receiving.from_offer("K", "amy", offer).refused


def _stream_into(part: Path, size: int) -> bytes:
    """size random bytes written into part chunk by chunk, as a download arrives; the bytes."""
    writer = StreamWriter(part, Manifest(part.stem, False, (Entry(part.stem, size),)), 0)
    data = os.urandom(size)
    for at in range(0, size, CHUNK):
        writer.write(data[at:at + CHUNK])
    writer.close()
    return data


def test_a_large_download_is_written_behind_and_dropped_from_the_cache_lag_behind(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    advised: list[tuple[int, int]] = []
    monkeypatch.setattr(file_disk, "_fadvise", lambda fd, at, n, how: advised.append((at, n)))
    size = file_disk.DROP_LAG + 2 * file_disk.WRITE_BEHIND
    data = _stream_into(tmp_path / "big.zp2p-part", size)
    step, lag = file_disk.WRITE_BEHIND, file_disk.DROP_LAG
    kicks = [(at, step) for at in range(0, size, step)]
    drops = [(at - lag, step) for at in range(lag, size, step)]
    assert sorted(advised) == sorted(kicks + drops)  # each span started once, and dropped once DROP_LAG later
    assert (tmp_path / "big.zp2p-part").read_bytes() == data


def test_what_is_written_behind_and_dropped_from_the_cache_reads_back_whole(tmp_path: Path) -> None:
    """With the kernel's real advice (no stand-in): the spans dropped from the page cache come
    back from the disk byte for byte (a resume re-hashes them from there)."""
    size = file_disk.DROP_LAG + 2 * file_disk.WRITE_BEHIND + 12_345
    data = _stream_into(tmp_path / "big.zp2p-part", size)
    assert (tmp_path / "big.zp2p-part").read_bytes() == data


def test_advice_the_file_system_refuses_does_not_fail_the_write(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(fd: int, at: int, n: int, how: int) -> None:
        raise OSError(22, "no advice here")

    monkeypatch.setattr(file_disk, "_fadvise", refuse)
    size = 2 * file_disk.WRITE_BEHIND
    writer = StreamWriter(tmp_path / "f.zp2p-part", Manifest("f", False, (Entry("f", size),)), 0)
    writer.write(bytes(size))
    writer.close()
    assert (tmp_path / "f.zp2p-part").stat().st_size == size


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_chunk_sized_blocks_stay_in_the_heap_under_glibc() -> None:
    assert keep_chunk_memory() and keep_chunk_memory()  # accepted by glibc, and again (each file actor calls it)
