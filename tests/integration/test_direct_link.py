"""The direct channel's actor with real sockets in one process: a handshake the peer refused,
because its roster did not list us yet, does not leave the channel dead."""

from __future__ import annotations

import queue
import random
import time

import zmq
from nacl.signing import SigningKey

from zp2p_gui.core.codec import encode
from zp2p_gui.core.config import Limits
from zp2p_gui.identity import Identity
from zp2p_gui.net.direct import DirectLink
from zp2p_gui.net.messages import DirectIn, DirectPeers, DirectSend
from zp2p_gui.net.roles import Roles, spawn_thread


def frames_in(inbox: queue.Queue, text: str, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while (left := end - time.monotonic()) > 0:
        try:
            item = inbox.get(timeout=left)
        except queue.Empty:
            return False
        if isinstance(item, DirectIn) and item.msg["text"] == text:
            return True
    return False


def test_a_refused_handshake_is_retried_once_the_peer_admits_us() -> None:
    subnet = f"127.{random.randrange(10, 250)}.{random.randrange(1, 250)}"
    port = 20000 + 5 * random.randrange(0, 1500)
    amy, ben = Identity(SigningKey.generate()), Identity(SigningKey.generate())
    amy_ip, ben_ip = f"{subnet}.2", f"{subnet}.3"
    ctx = zmq.Context.instance()
    ben_inbox: queue.Queue = queue.Queue()
    roles_amy, roles_ben = Roles(spawn_thread), Roles(spawn_thread)
    try:
        roles_ben.start(DirectLink(ctx, ben_inbox.put, ben_ip, port, ben.public, ben.secret, Limits()))
        roles_amy.start(DirectLink(ctx, lambda _: None, amy_ip, port, amy.public, amy.secret, Limits()))
        roles_amy.tell("direct", DirectPeers(((ben.key, ben_ip),)))
        roles_ben.tell("direct", DirectPeers(()))  # ben has not heard of amy yet: ZAP refuses her

        def send(text: str) -> None:
            frame = encode("dm", id=f"{random.getrandbits(64):032x}", key=amy.key, nick="amy", text=text, ts=time.time())
            roles_amy.tell("direct", DirectSend(ben.key, ben_ip, frame))

        send("too early")
        assert not frames_in(ben_inbox, "too early", 1.0)
        roles_ben.tell("direct", DirectPeers(((amy.key, amy_ip),)))  # ben's roster catches up
        deadline = time.monotonic() + 10
        while not frames_in(ben_inbox, "now", 0.5):  # the engine resends like this until confirmed
            assert time.monotonic() < deadline, "the refused DEALER was never replaced"
            send("now")
    finally:
        roles_amy.stop_all()
        roles_ben.stop_all()
