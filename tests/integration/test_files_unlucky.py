"""Issue 15 on an unlucky network: a transfer runs member to member, so the host dying half way
(the room fails over) must not break it, and a recipient frozen for a few seconds (SIGSTOP: a
laptop lid, a debugger) only pauses it: the credit flow waits, nothing is lost or sent twice. One
away for longer than the grace breaks it, and it resumes by itself once both are back."""

from __future__ import annotations

import signal
import sys
import tempfile
import time
from pathlib import Path

from zp2p_gui.net.file_transfers import AWAY_GRACE

from .files_helpers import WAIT, outcome, pair, random_file, send, start, stream_hash

SLOW_SENDER = (sys.executable, "-m", "tests.hostile.evil_sender")  # honest, paced at 25 MB/s
LOST_DONE = (sys.executable, "-m", "tests.integration.lost_done")  # its first file_done never leaves
SIZE = 64 * 1024 * 1024
FREEZE_S = 4.0  # longer than the sender's 1 s resend, shorter than the member timeout
BEYOND_GRACE_S = AWAY_GRACE + 5.0  # the sender gives the transfer up meanwhile


def _trio(room):
    """hal hosts; amy (a slow honest sender) and ben (accepting every offer) are members."""
    room.env = {**room.env, "ZP2P_EVIL": "slow"}
    base = Path(tempfile.mkdtemp(prefix="zp2p-files-", dir=room.tmp.name))
    (base / "sources").mkdir()
    hal = room.start("hal", 3)
    hal.wait_event("hosting", WAIT)
    amy = start(room, "amy", 1, str(base / "amy"), base / "amy-downloads", wrapper=SLOW_SENDER)
    ben = start(room, "ben", 2, str(base / "ben"), base / "downloads", "--auto-accept")
    for node in (amy, ben):
        node.wait_users(["amy", "ben", "hal"], WAIT)
    src = random_file(base / "sources" / "big.bin", SIZE)
    after = len(amy.events)
    amy.say(f"/send ben {src}")
    transfer = amy.wait_for(lambda e: e["event"] in ("offer_sent", "transfer_failed"), WAIT, after)
    assert transfer["event"] == "offer_sent", transfer
    ben.wait_for(lambda e: e["event"] == "progress" and e["id"] == transfer["id"] and e["bytes"] >= SIZE // 8, WAIT)
    return hal, amy, ben, transfer["id"], src, base / "downloads"


def _arrived_whole(amy, ben, transfer: str, src: Path, downloads: Path) -> None:
    got, sent = outcome(ben, transfer, 2 * WAIT), outcome(amy, transfer, 2 * WAIT)
    assert got["event"] == sent["event"] == "transfer_done", f"{got} {sent}\n{ben.log()}\n{amy.log()}"
    assert got["hash"] == stream_hash(src) and got["resumed_from"] == 0
    assert (downloads / "big.bin").read_bytes() == src.read_bytes()


def test_the_host_dying_half_way_does_not_break_a_transfer(room):
    hal, amy, ben, transfer, src, downloads = _trio(room)
    hal.kill(signal.SIGKILL)
    amy.wait_for(lambda e: e["event"] in ("hosting", "host_changed", "joined") and e.get("host") != hal.ip, WAIT)
    _arrived_whole(amy, ben, transfer, src, downloads)


def test_a_recipient_frozen_for_a_few_seconds_only_pauses_a_transfer(room):
    _hal, amy, ben, transfer, src, downloads = _trio(room)
    ben.kill(signal.SIGSTOP)
    try:
        time.sleep(FREEZE_S)  # the freeze itself, not a wait for something
    finally:
        ben.kill(signal.SIGCONT)
    _arrived_whole(amy, ben, transfer, src, downloads)


def test_a_recipient_away_beyond_the_grace_while_the_host_dies_resumes_by_itself(room):
    hal, amy, ben, transfer, src, downloads = _trio(room)
    ben.kill(signal.SIGSTOP)
    try:
        hal.kill(signal.SIGKILL)  # the room changes hosts while ben is away
        lost = amy.wait_event("transfer_failed", BEYOND_GRACE_S + WAIT, id=transfer)
        assert (lost["code"], lost["resumable"]) == ("peer_lost", True), lost
    finally:
        ben.kill(signal.SIGCONT)
    done = amy.wait_for(lambda e: e["event"] == "transfer_done" and e["id"] == transfer, 2 * WAIT)
    got = outcome(ben, transfer, 2 * WAIT)
    assert got["event"] == "transfer_done" and got["resumed_from"] == done["resumed_from"] > 0, got
    assert got["hash"] == stream_hash(src) and (downloads / "big.bin").read_bytes() == src.read_bytes()
    assert amy.wait_event("offer_sent", WAIT, id=transfer, resume=True)


def test_a_lost_done_ends_the_transfer_without_a_second_copy(room):
    """The recipient verified the file but its `file_done` never reached the sender. The sender
    stops hearing gets, offers the transfer again by itself, and the recipient, which remembers
    what it completed, answers `file_done` again: no second offer, no second copy."""
    p = pair(room, ben_wrapper=LOST_DONE)
    src = random_file(p.sources / "once.bin", 1_000_000)
    transfer = send(p, src)
    assert outcome(p.ben, transfer)["event"] == "transfer_done"
    done = p.amy.wait_for(lambda e: e["event"] == "transfer_done" and e["id"] == transfer, AWAY_GRACE + WAIT)
    assert done["hash"] == stream_hash(src) and done["resumed_from"] == done["size"] == src.stat().st_size
    assert [e["event"] for e in p.ben.events if e.get("id") == transfer].count("offer") == 1
    assert sorted(f.name for f in p.downloads.iterdir()) == ["once.bin"]
