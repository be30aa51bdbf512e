"""Issue 15, the sealed data path (docs/security.md "File transfers"): chunks and gets travel on
each node's file data port P+5 without CURVE, sealed with their transfer's key. A chunk sealed
under another key, replayed, or with a flipped byte is dropped and counted, and the transfer
completes unaffected; an outsider on the data port, from any address, gets no answer, writes
nothing and costs the transfer nothing."""

from __future__ import annotations

import os
import sys

import pytest
import zmq

from zp2p_gui.core.file_seal import GET, HEADER_BYTES, MAC_BYTES

from ..integration.files_helpers import WAIT, outcome, pair, random_file, send, stream_hash

EVIL = (sys.executable, "-m", "tests.hostile.evil_sender")
MIB = 1024 * 1024
REASONS = {"replay": "a replayed frame", "otherkey": "the seal does not open", "flipseal": "the seal does not open"}


@pytest.mark.parametrize("mode", sorted(REASONS))
def test_a_bad_chunk_is_dropped_and_counted_and_the_transfer_completes(room, mode):
    room.env = {**room.env, "ZP2P_EVIL": mode}
    p = pair(room, amy_wrapper=EVIL)
    src = random_file(p.sources / "data.bin", 3 * MIB)
    transfer = send(p, src)
    done = outcome(p.ben, transfer)
    assert done["event"] == "transfer_done" and done["hash"] == stream_hash(src), done
    p.ben.wait_log(f"file data: dropping malformed input from transfer {transfer} ({REASONS[mode]})", WAIT)
    assert (p.downloads / "data.bin").read_bytes() == src.read_bytes()


def outsider(ctx: zmq.Context, source: str, target: str, port: int) -> zmq.Socket:
    """A DEALER without any key, from `source`, to a node's data port."""
    sock = ctx.socket(zmq.DEALER)
    sock.setsockopt(zmq.LINGER, 0)
    sock.connect(f"tcp://{source}:0;{target}:{port}")
    return sock


def garbage(sock: zmq.Socket) -> None:
    """Frames a data port must survive: random bytes, a header-sized frame naming no transfer, a
    get-shaped frame with a random tag, one frame too many, and one far larger than a get. A
    connection the port refused takes none (a DEALER without a peer would block)."""
    for frames in ([os.urandom(40)], [os.urandom(HEADER_BYTES), os.urandom(MAC_BYTES)],
                   [GET + os.urandom(HEADER_BYTES - 1), os.urandom(MAC_BYTES)],
                   [GET + os.urandom(HEADER_BYTES - 1), os.urandom(MAC_BYTES), b"more"],
                   [os.urandom(HEADER_BYTES), os.urandom(MIB)]):
        try:
            sock.send_multipart(frames, zmq.NOBLOCK)
        except zmq.Again:
            pass


def test_an_outsider_on_the_data_port_writes_nothing_and_changes_nothing(room):
    p = pair(room)
    data_port = room.port + 5
    ctx = zmq.Context()
    try:
        # A member's address (spoofed, as anyone on a LAN can) passes the port's address check;
        # another address does not even complete the handshake.
        socks = [outsider(ctx, room.ip(2), room.ip(1), data_port), outsider(ctx, room.ip(9), room.ip(1), data_port),
                 outsider(ctx, room.ip(1), room.ip(2), data_port)]
        for sock in socks:
            garbage(sock)
        p.amy.wait_log("file data: dropping malformed input from an unknown transfer", WAIT)
        src = random_file(p.sources / "data.bin", 3 * MIB)
        transfer = send(p, src)
        for sock in socks:
            garbage(sock)
        done = outcome(p.ben, transfer)
        assert done["event"] == "transfer_done" and done["hash"] == stream_hash(src), done
        assert outcome(p.amy, transfer)["event"] == "transfer_done"
        assert not any(sock.poll(200) for sock in socks), "an outsider never gets an answer"
    finally:
        ctx.destroy(linger=0)
    assert sorted(f.name for f in p.downloads.iterdir()) == ["data.bin"]
    assert (p.downloads / "data.bin").read_bytes() == src.read_bytes()
