"""Issue 15: a hostile member sending files (tests/hostile/evil_sender.py, a modified node)
cannot write outside the recipient's downloads folder, push more bytes than it offered, make the
recipient create a symlink, or get a corrupted file accepted as complete."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from ..integration.files_helpers import WAIT, outcome, pair, random_file, send

EVIL = (sys.executable, "-m", "tests.hostile.evil_sender")


def evil_pair(room, mode: str):
    room.env = {**room.env, "ZP2P_EVIL": mode}
    return pair(room, amy_wrapper=EVIL)


def everything_under(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*")) if folder.exists() else []


@pytest.mark.parametrize("mode", ["dotdot", "absolute"])
def test_an_escaping_name_is_refused_and_nothing_is_written(room, mode):
    Path("/tmp/zp2p-evil-absolute.txt").unlink(missing_ok=True)
    p = evil_pair(room, mode)
    (p.sources / "pics").mkdir()
    (p.sources / "pics" / "a.txt").write_bytes(b"hello")
    transfer = send(p, p.sources / "pics")
    for node in (p.ben, p.amy):
        failed = outcome(node, transfer)
        assert (failed["event"], failed["code"]) == ("transfer_failed", "refused_name"), failed
    assert not any(e["event"] == "offer" for e in p.ben.events), "a refused offer is never shown as one"
    assert everything_under(p.downloads) == []
    assert not (p.downloads.parent / "escape.txt").exists()
    assert not Path("/tmp/zp2p-evil-absolute.txt").exists()


def test_more_bytes_than_offered_are_never_written(room):
    p = evil_pair(room, "more")
    transfer = send(p, random_file(p.sources / "small.bin", 1000))
    p.ben.wait_log("a chunk of another length than asked", WAIT)
    p.ben.say(f"/cancel {transfer}")
    assert outcome(p.ben, transfer)["code"] == "cancelled"
    assert outcome(p.amy, transfer)["code"] == "cancelled"
    written = [f for f in everything_under(p.downloads) if f.is_file() and not f.name.endswith(".json")]
    assert all(f.stat().st_size <= 1000 for f in written) and not (p.downloads / "small.bin").exists()
    assert sum(f.stat().st_size for f in written) == 0, "no byte of an oversized chunk is written"


def test_a_symlink_out_of_the_folder_is_never_created_at_the_recipient(room):
    p = evil_pair(room, "symlink")
    secret = p.sources / "outside.txt"
    secret.write_bytes(b"not in the folder")
    (p.sources / "pics").mkdir()
    (p.sources / "pics" / "a.txt").write_bytes(b"hello")
    os.symlink(secret, p.sources / "pics" / "link")
    transfer = send(p, p.sources / "pics")
    assert outcome(p.ben, transfer)["event"] == "transfer_done"
    received = everything_under(p.downloads)
    assert not any(f.is_symlink() for f in received)
    assert all(f.resolve().is_relative_to(p.downloads.resolve()) for f in received)
    assert (p.downloads / "pics" / "link").is_file()


def test_a_byte_flipped_in_transit_is_a_hash_mismatch_and_the_file_is_set_aside(room):
    p = evil_pair(room, "flip")
    transfer = send(p, random_file(p.sources / "data.bin", 3 * 1024 * 1024))
    for node in (p.ben, p.amy):
        failed = outcome(node, transfer)
        assert (failed["event"], failed["code"]) == ("transfer_failed", "hash_mismatch"), failed
    assert not (p.downloads / "data.bin").exists()
    assert (p.downloads / "data.bin.zp2p-bad").is_file()
    assert not list(p.downloads.glob("*.zp2p-part*"))
