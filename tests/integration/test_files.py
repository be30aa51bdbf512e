"""Issue 15: files and folders between two members, with real processes on loopback: sizes at
the edges, a folder tree, decline and cancel from both sides, resume after either side died,
and memory that stays bounded while a file several times the credit window goes through."""

from __future__ import annotations

import signal
import socket
import sys
import time
from pathlib import Path

import pytest

from zp2p_gui.core.file_limits import CHUNK, CREDIT
from zp2p_gui.net.file_resume import FILE_NAME

from .files_helpers import WAIT, outcome, pair, random_file, send, stream_hash, tree

WINDOW = CHUNK * CREDIT
SLOW_SENDER = (sys.executable, "-m", "tests.hostile.evil_sender")


@pytest.mark.parametrize("size", [0, 1, 3 * WINDOW + 12_345])
def test_a_file_arrives_whole_and_verified(room, size):
    p = pair(room)
    src = random_file(p.sources / "data.bin", size)
    transfer = send(p, src)
    offer = p.ben.wait_event("offer", WAIT, id=transfer)
    assert (offer["from"], offer["name"], offer["size"], offer["files"]) == ("amy", "data.bin", size, 1)
    got, sent = outcome(p.ben, transfer), outcome(p.amy, transfer)
    assert got["event"] == sent["event"] == "transfer_done", (got, sent)
    assert got["path"] == str(p.downloads / "data.bin") and sent["path"] == str(src)
    assert got["hash"] == sent["hash"] == stream_hash(src) and got["hash_alg"] == "blake3"
    assert (p.downloads / "data.bin").read_bytes() == src.read_bytes()
    assert got["resumed_from"] == 0 and got["size"] == size
    assert not list(p.downloads.glob("*.zp2p-part*"))


def test_a_second_copy_gets_a_numbered_name_and_never_overwrites(room):
    p = pair(room)
    src = random_file(p.sources / "report.pdf", 1000)
    (p.downloads).mkdir(parents=True, exist_ok=True)
    (p.downloads / "report.pdf").write_bytes(b"mine")
    transfer = send(p, src)
    assert outcome(p.ben, transfer)["path"] == str(p.downloads / "report (2).pdf")
    assert (p.downloads / "report.pdf").read_bytes() == b"mine"


def test_a_folder_keeps_its_tree_empty_folders_korean_names_and_a_thousand_files(room):
    p = pair(room)
    top = p.sources / "사진 모음"
    (top / "빈 폴더" / "더 깊은 빈 폴더").mkdir(parents=True)
    (top / "작은 파일들").mkdir()
    for i in range(1000):
        (top / "작은 파일들" / f"파일 {i:04}.txt").write_bytes(f"{i} 번째 파일\n".encode() * (i % 7))
    random_file(top / "큰 파일.bin", WINDOW + 1)
    transfer = send(p, top)
    offer = p.ben.wait_event("offer", WAIT, id=transfer)
    assert (offer["name"], offer["files"]) == ("사진 모음", 1001)
    got = outcome(p.ben, transfer)
    assert got["event"] == "transfer_done", got
    assert tree(p.downloads / "사진 모음") == tree(top)
    assert got["hash"] == stream_hash(top) == outcome(p.amy, transfer)["hash"]


@pytest.mark.parametrize("who", ["recipient", "sender"])
def test_decline_and_cancel_before_accepting_end_it_on_both_sides(room, who):
    p = pair(room, ben_extra=())
    transfer = send(p, random_file(p.sources / "a.bin", 10))
    p.ben.wait_event("offer", WAIT, id=transfer)
    if who == "recipient":
        p.ben.say(f"/decline {transfer}")
        code = "declined"
    else:
        p.amy.say(f"/cancel {transfer}")
        code = "cancelled"
    for node in (p.ben, p.amy):
        failed = outcome(node, transfer)
        assert (failed["event"], failed["code"]) == ("transfer_failed", code), failed
    assert not (p.downloads / "a.bin").exists()


@pytest.mark.parametrize("whose", ["recipient", "sender"])
def test_an_offer_nobody_answers_expires_on_both_sides(room, whose):
    short = ("--offer-timeout", "3")
    p = pair(room, ben_extra=short if whose == "recipient" else (), amy_extra=short if whose == "sender" else ())
    transfer = send(p, random_file(p.sources / "a.bin", 10))
    p.ben.wait_event("offer", WAIT, id=transfer)
    for node in (p.ben, p.amy):
        failed = outcome(node, transfer)
        assert (failed["event"], failed["code"]) == ("transfer_failed", "offer_expired"), failed
    assert not list(p.downloads.glob("a.bin*"))


@pytest.mark.parametrize("who", ["recipient", "sender"])
def test_cancel_during_the_transfer_ends_it_on_both_sides_and_keeps_the_part(room, who):
    p = pair(room, ben_extra=())
    transfer = send(p, random_file(p.sources / "big.bin", 48 * 1024 * 1024))
    p.ben.wait_event("offer", WAIT, id=transfer)
    p.ben.say(f"/accept {transfer}")
    p.ben.wait_event("progress", WAIT, id=transfer)
    (p.ben if who == "recipient" else p.amy).say(f"/cancel {transfer}")
    for node in (p.ben, p.amy):
        failed = outcome(node, transfer)
        assert failed["event"] == "transfer_failed" and failed["code"] == "cancelled", failed
    assert not (p.downloads / "big.bin").exists()


def test_an_offer_to_an_away_member_fails_at_once(room):
    p = pair(room)
    p.ben.quit()
    p.amy.wait_users(["amy"], WAIT)
    after = len(p.amy.events)
    p.amy.say(f"/send ben {random_file(p.sources / 'a.bin', 10)}")
    failed = p.amy.wait_event("transfer_failed", WAIT, after)
    assert failed["code"] == "peer_away"


def test_a_missing_path_is_a_failure_not_a_crash(room):
    p = pair(room)
    after = len(p.amy.events)
    p.amy.say(f"/send ben {p.sources / 'nothing here'}")
    assert p.amy.wait_event("transfer_failed", WAIT, after)["code"] == "unreadable"


def _sender_killed_half_way(p, size: int) -> tuple[str, int]:
    """Start a transfer, kill the sender once the recipient holds some but not all of it."""
    src = random_file(p.sources / "resume.bin", size)
    transfer = send(p, src)
    p.ben.wait_for(lambda e: e["event"] == "progress" and e["id"] == transfer and e["bytes"] >= size // 8, WAIT)
    p.amy.kill(signal.SIGKILL)
    return transfer, size


def test_a_transfer_broken_by_a_dead_sender_resumes_when_offered_again_by_hand(room):
    """The manual path: a sender that no longer remembers the transfer (its record gone, as after
    6 h; tests/integration/test_files_resume.py has the automatic one) offers the file again."""
    room.env = {**room.env, "ZP2P_EVIL": "slow"}  # an honest sender at 25 MB/s: time to kill a side
    p = pair(room, amy_wrapper=SLOW_SENDER)
    size = 64 * 1024 * 1024
    first, _ = _sender_killed_half_way(p, size)
    assert outcome(p.ben, first)["code"] == "peer_lost"
    (Path(p.amy_dir) / FILE_NAME).unlink()
    p.restart("amy")
    parts = list(p.downloads.glob("resume.bin.zp2p-part"))
    assert parts, "the partial download was kept"
    held = parts[0].stat().st_size
    again = send(p, p.sources / "resume.bin")
    got, sent = outcome(p.ben, again), outcome(p.amy, again)
    assert got["event"] == sent["event"] == "transfer_done", (got, sent)
    assert got["resumed_from"] == sent["resumed_from"] > 0
    assert got["resumed_from"] >= held - WINDOW, "at most one credit window is sent again"
    assert got["hash"] == stream_hash(p.sources / "resume.bin")
    assert (p.downloads / "resume.bin").read_bytes() == (p.sources / "resume.bin").read_bytes()


def test_memory_stays_bounded_on_both_sides(room):
    p = pair(room)
    size = 64 * 1024 * 1024  # 16 credit windows
    transfer = send(p, random_file(p.sources / "big.bin", size))
    peak = {"amy": 0, "ben": 0}
    end = time.monotonic() + WAIT
    while time.monotonic() < end and not any(e["event"] in ("transfer_done", "transfer_failed")
                                             and e.get("id") == transfer for e in p.ben.events):
        for node in (p.amy, p.ben):
            peak[node.nick] = max(peak[node.nick], rss_kib(node.proc.pid))
        time.sleep(0.02)  # sampling memory, not waiting for an event
    assert outcome(p.ben, transfer)["event"] == "transfer_done"
    assert max(peak.values()) < 100 * 1024, peak


def rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return 0


def test_the_sender_leaves_symlinks_out_of_a_folder(room):
    p = pair(room)
    outside = p.sources / "outside.txt"
    outside.write_bytes(b"not in the folder")
    (p.sources / "pics" / "sub").mkdir(parents=True)
    (p.sources / "pics" / "a.txt").write_bytes(b"hello")
    (p.sources / "pics" / "link").symlink_to(outside)
    (p.sources / "pics" / "dirlink").symlink_to(p.sources, target_is_directory=True)
    transfer = send(p, p.sources / "pics")
    assert outcome(p.ben, transfer)["event"] == "transfer_done"
    assert tree(p.downloads / "pics") == {"a.txt": b"hello", "sub": None}


def test_several_transfers_run_at_once(room):
    p = pair(room)
    sources = [random_file(p.sources / f"f{i}.bin", (i + 1) * WINDOW // 3) for i in range(3)]
    transfers = [send(p, src) for src in sources]
    for transfer, src in zip(transfers, sources):
        done = outcome(p.ben, transfer)
        assert done["event"] == "transfer_done" and done["hash"] == stream_hash(src), done


def test_a_node_whose_file_port_is_taken_says_so_and_still_receives(room):
    """Recipients fetch chunks from the sender's data port (P+5): a node that cannot bind it
    cannot send, and must say so at once rather than leave its offers to stall."""
    blocker = socket.socket()
    blocker.bind((room.ip(2), room.port + 5))
    blocker.listen(1)  # accepts TCP, never speaks ZMTP
    try:
        p = pair(room)
        p.ben.wait_event("error", WAIT, code="files_port_taken")
        after = len(p.ben.events)
        p.ben.say(f"/send amy {random_file(p.sources / 'out.bin', 10)}")
        assert p.ben.wait_event("transfer_failed", WAIT, after)["code"] == "files_port_taken"
        src = random_file(p.sources / "in.bin", 3 * WINDOW)
        transfer = send(p, src)
        assert outcome(p.ben, transfer)["event"] == "transfer_done"
        assert (p.downloads / "in.bin").read_bytes() == src.read_bytes()
    finally:
        blocker.close()
