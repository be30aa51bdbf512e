"""Issue 15: a full disk at the recipient is a clear disk_full, before accepting (the free space
is checked) and during the transfer (the write fails); the partial download is kept and the
transfer resumes once there is room. A 4 MiB tmpfs is mounted for it (root; skipped otherwise)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import blake3
import pytest

from zp2p_gui.core.file_limits import CHUNK
from zp2p_gui.core.files import Entry, Manifest
from zp2p_gui.net.file_disk import held_on_disk
from zp2p_gui.net.file_transfers import Receiving, Refusal

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


def test_a_disk_that_fills_during_the_transfer_is_disk_full_and_the_part_resumes(small_disk):
    data = os.urandom(3 * MIB)
    manifest = Manifest("big.bin", False, (Entry("big.bin", len(data)),))
    offer = {"id": "a" * 32, "name": "big.bin", "folder": False, "entries": [{"p": "big.bin", "s": len(data)}],
             "size": len(data), "files": 1, "fp": "f" * 64, "dkey": "1" * 64}
    first = Receiving.from_offer("K", "amy", offer)
    first.open(small_disk)  # 4 MiB free: accepted
    fill(small_disk / "filler", 3 * MIB // 2)  # then something else takes room
    with pytest.raises(Refusal) as full:
        for at in range(0, len(data), CHUNK):
            first.take(memoryview(data)[at:at + CHUNK])
    assert full.value.code == "disk_full"
    first.close()
    kept = held_on_disk(small_disk / "big.bin.zp2p-part", manifest)
    assert 0 < kept < len(data)
    (small_disk / "filler").unlink()
    second = Receiving.from_offer("K", "amy", {**offer, "id": "b" * 32})
    second.open(small_disk)
    assert second.held == second.resumed_from == kept
    second.take(memoryview(data)[kept:])
    second.expected = blake3.blake3(data).hexdigest()
    got, path = second.verified()
    assert path == small_disk / "big.bin" and path.read_bytes() == data
