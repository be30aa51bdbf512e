"""Issue 15, automatic resume: a transfer broken by either side dying finishes by itself once
both are members again, with no new /send and no second accept: the sender offers it again with
its id (it kept it in its data folder), and the recipient takes it into the partial download it
kept, from the bytes verified on disk."""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path

import pytest

from zp2p_gui.core.file_limits import CHUNK, CREDIT

from .files_helpers import WAIT, pair, random_file, send, stream_hash

SLOW_SENDER = (sys.executable, "-m", "tests.hostile.evil_sender")  # honest, paced at 25 MB/s
SIZE = 64 * 1024 * 1024


def _done(node, transfer: str) -> dict:
    """The transfer's transfer_done (a side may see it fail first: a lost peer broke it)."""
    return node.wait_for(lambda e: e.get("id") == transfer and (e["event"] == "transfer_done" or (
        e["event"] == "transfer_failed" and not e["resumable"])), 3 * WAIT)


@pytest.mark.parametrize("victim", ["sender", "recipient"])
def test_a_transfer_broken_by_a_dead_side_resumes_by_itself_once_both_are_back(room, victim):
    room.env = {**room.env, "ZP2P_EVIL": "slow"}
    p = pair(room, ben_extra=(), amy_wrapper=SLOW_SENDER)
    src = random_file(p.sources / "resume.bin", SIZE)
    transfer = send(p, src)
    p.ben.wait_event("offer", WAIT, id=transfer)
    p.ben.say(f"/accept {transfer}")
    p.ben.wait_for(lambda e: e["event"] == "progress" and e["id"] == transfer and e["bytes"] >= SIZE // 8, WAIT)
    (p.amy if victim == "sender" else p.ben).kill(signal.SIGKILL)
    held = (p.downloads / "resume.bin.zp2p-part").stat().st_size
    if victim == "sender":
        kept = json.loads((Path(p.amy_dir) / "outgoing-transfers.json").read_text("utf-8"))
        assert [(e["id"], e["path"]) for e in kept] == [(transfer, str(src))]
        p.restart("amy")  # without the slow wrapper, and no /send
    else:
        p.restart("ben")  # without --auto-accept: it accepted this one before
    got, sent = _done(p.ben, transfer), _done(p.amy, transfer)
    assert got["event"] == sent["event"] == "transfer_done", (got, sent)
    assert got["resumed_from"] == sent["resumed_from"] >= held - CHUNK * CREDIT > 0
    assert got["hash"] == stream_hash(src)
    assert (p.downloads / "resume.bin").read_bytes() == src.read_bytes()
    p.amy.wait_event("offer_sent", WAIT, id=transfer, resume=True)
    if victim == "recipient":
        p.ben.wait_event("offer", WAIT, id=transfer, resume=True)
        lost = p.amy.wait_event("transfer_failed", WAIT, id=transfer)
        assert (lost["code"], lost["resumable"]) == ("peer_lost", True)
    assert not list(p.downloads.glob("*.zp2p-part*"))
