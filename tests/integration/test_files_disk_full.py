"""Issue 15: a full disk at the recipient is a clear disk_full, before accepting (the free space
is checked) and during the transfer (the write fails); the partial download is kept and the
transfer resumes once there is room. A 4 MiB tmpfs is mounted for it (root; skipped otherwise)."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import blake3
import pytest
import zmq

from zp2p_gui.core.file_limits import CHUNK
from zp2p_gui.core.files import Entry, Manifest
from zp2p_gui.net.file_disk import held_on_disk
from zp2p_gui.net.file_transfers import Receiving
from zp2p_gui.net.file_writer import DiskWriter

from .files_helpers import outcome, pair, random_file, send, stream_hash

MIB = 1024 * 1024


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 4 MiB tmpfs, unmounted after the test."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    where = tmp_path / "disk"
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(where)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(path: Path, size: int) -> Path:
    path.write_bytes(b"\0" * size)
    return path


def test_too_little_room_is_disk_full_at_once_and_the_offer_succeeds_once_there_is_room(room, small_disk):
    p = pair(room)
    p.downloads = small_disk  # ben was started with a downloads folder inside the tmpfs below
    p.ben.quit()
    p.restart("ben", "--auto-accept")
    filler = fill(small_disk / "filler", 2 * MIB)
    src = random_file(p.sources / "big.bin", 3 * MIB)
    first = send(p, src)
    for node in (p.ben, p.amy):
        failed = outcome(node, first)
        assert (failed["event"], failed["code"]) == ("transfer_failed", "disk_full"), failed
    filler.unlink()
    again = send(p, src)
    done = outcome(p.ben, again)
    assert done["event"] == "transfer_done" and done["hash"] == stream_hash(src), done
    assert (small_disk / "big.bin").read_bytes() == src.read_bytes()


OFFER = {"name": "big.bin", "folder": False, "entries": [{"p": "big.bin", "s": 3 * MIB}], "size": 3 * MIB,
         "files": 1, "fp": "f" * 64, "dkey": "1" * 64}


class Wakes:
    """The actor's end of a DiskWriter: the PULL its thread wakes, and waiting on it."""

    def __init__(self) -> None:
        self.ctx = zmq.Context()
        self.disk = DiskWriter(self.ctx)
        self.pull = self.ctx.socket(zmq.PULL)
        self.pull.bind(self.disk.endpoint)

    def until(self, done: Callable[[], bool], timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            assert time.monotonic() < deadline, "the writer thread never got there"
            self.pull.poll(100)
            while self.pull.poll(0):
                self.pull.recv()

    def close(self) -> None:
        self.disk.stop()
        self.pull.close(0)
        self.ctx.term()


@pytest.fixture
def wakes():
    w = Wakes()
    yield w
    w.close()


def feed(t: Receiving, data: bytes) -> None:
    """Chunks as the actor hands them on: each opened into one of t's buffers, then received."""
    for at in range(t.held, len(data), CHUNK):
        piece = data[at:at + CHUNK]
        buffer = t.buffer()
        buffer[:len(piece)] = piece
        t.received(buffer, len(piece))


def test_a_disk_that_fills_during_the_transfer_is_disk_full_and_the_part_resumes(small_disk, wakes):
    """The writer thread meets ENOSPC: the transfer's failure is disk_full, what it wrote stays
    on disk, the chunks queued after it are not written, and a new offer resumes from the part."""
    data = os.urandom(3 * MIB)
    manifest = Manifest("big.bin", False, (Entry("big.bin", len(data)),))
    first = Receiving.from_offer("K", "amy", {**OFFER, "id": "a" * 32})
    first.open(small_disk, wakes.disk)  # 4 MiB free: accepted
    fill(small_disk / "filler", 3 * MIB // 2)  # then something else takes room
    feed(first, data)
    wakes.until(lambda: first.failure is not None)
    assert first.failure is not None and first.failure.code == "disk_full"
    assert first.written < len(data)
    first.close()
    wakes.until(lambda: first.writer is not None and first.writer._open is None)  # closed in the thread
    kept = held_on_disk(small_disk / "big.bin.zp2p-part", manifest)
    assert 0 < first.written <= kept < len(data)
    (small_disk / "filler").unlink()
    second = Receiving.from_offer("K", "amy", {**OFFER, "id": "b" * 32})
    second.open(small_disk, wakes.disk)
    assert second.held == second.resumed_from == kept
    feed(second, data)
    wakes.until(lambda: second.written == len(data))
    second.expected = blake3.blake3(data).hexdigest()
    got, path = second.verified()
    assert path == small_disk / "big.bin" and path.read_bytes() == data


def test_a_transfer_stopped_with_chunks_queued_writes_none_of_them(tmp_path, wakes):
    """Cancel: the writer drops what is still queued for the transfer and closes its file."""
    data = os.urandom(3 * MIB)
    t = Receiving.from_offer("K", "amy", {**OFFER, "id": "c" * 32})
    t.open(tmp_path, wakes.disk)
    t.close()  # stopped before its chunks reach the writer thread
    feed(t, data)
    wakes.disk.stop()  # the thread ends after its queue
    assert t.written == 0 and t.failure is None
    assert t.writer is not None and t.writer._open is None
    assert (tmp_path / "big.bin.zp2p-part").stat().st_size == 0
