"""The direct channel's actor with real sockets in one process: a handshake the peer refused,
because its roster did not list us yet, is reported to the engine (which tries again soon) and does
not leave the channel dead, and a sender over its direct-message rate has its excess dropped while a
frame after the bucket refills gets through."""

from __future__ import annotations

import queue
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import zmq

from zp2p_gui.core.codec import encode
from zp2p_gui.core.config import Limits
from zp2p_gui.core.sodium import SigningKey
from zp2p_gui.identity import Identity
from zp2p_gui.net.direct import DirectLink
from zp2p_gui.net.messages import DirectIn, DirectPeers, DirectRefused, DirectSend
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


@dataclass
class Link:
    """Amy's and ben's direct channels, each in its own actor thread; what ben receives lands in
    inbox, what amy's channel tells her engine in amy_inbox."""

    amy: Identity
    ben: Identity
    amy_ip: str
    ben_ip: str
    roles_amy: Roles
    roles_ben: Roles
    inbox: queue.Queue
    amy_inbox: queue.Queue

    def send(self, text: str) -> None:
        """A well-formed `dm` from amy to ben, as the engine hands it to DirectSend."""
        frame = encode("dm", id=f"{random.getrandbits(64):032x}", key=self.amy.key, nick="amy", text=text,
                       ts=time.time())
        self.roles_amy.tell("direct", DirectSend(self.ben.key, self.ben_ip, frame))

    def send_until_received(self, text: str, timeout: float, failure: str) -> None:
        """Send again every second until ben has it, as the engine resends until confirmed."""
        deadline = time.monotonic() + timeout
        self.send(text)
        while not frames_in(self.inbox, text, 1.0):
            assert time.monotonic() < deadline, failure
            self.send(text)


@contextmanager
def amy_and_ben(ben_limits: Limits) -> Iterator[Link]:
    """Two DirectLinks on a random loopback subnet and port (parallel runs rarely collide); amy
    knows ben, ben's roster is left to the test."""
    subnet = f"127.{random.randrange(10, 250)}.{random.randrange(1, 250)}"
    port = 20000 + 5 * random.randrange(0, 1500)
    link = Link(Identity(SigningKey.generate()), Identity(SigningKey.generate()), f"{subnet}.2", f"{subnet}.3",
                Roles(spawn_thread), Roles(spawn_thread), queue.Queue(), queue.Queue())
    ctx = zmq.Context.instance()
    try:
        link.roles_ben.start(DirectLink(ctx, link.inbox.put, link.ben_ip, port, link.ben.public, link.ben.secret,
                                        ben_limits))
        link.roles_amy.start(DirectLink(ctx, link.amy_inbox.put, link.amy_ip, port, link.amy.public, link.amy.secret,
                                        Limits()))
        link.roles_amy.tell("direct", DirectPeers(((link.ben.key, link.ben_ip),)))
        yield link
    finally:
        link.roles_amy.stop_all()
        link.roles_ben.stop_all()


def test_a_refused_handshake_is_reported_and_retried_once_the_peer_admits_us() -> None:
    with amy_and_ben(Limits()) as link:
        link.roles_ben.tell("direct", DirectPeers(()))  # ben has not heard of amy yet: ZAP refuses her
        link.send("too early")
        assert link.amy_inbox.get(timeout=10) == DirectRefused(link.ben.key)
        assert not frames_in(link.inbox, "too early", 0.5)
        link.roles_ben.tell("direct", DirectPeers(((link.amy.key, link.amy_ip),)))  # ben's roster catches up
        link.send_until_received("now", 10, "the refused DEALER was never replaced")


def count_direct(inbox: queue.Queue, quiet: float) -> int:
    """DirectIn events until none came for `quiet` seconds (dropped frames never come later)."""
    count = 0
    while True:
        try:
            item = inbox.get(timeout=quiet)
        except queue.Empty:
            return count
        count += isinstance(item, DirectIn)


def test_a_sender_over_its_direct_rate_is_cut_to_its_burst_and_rate() -> None:
    limits = Limits(dm_rate_per_s=2.0, dm_burst=10)
    with amy_and_ben(limits) as link:
        link.roles_ben.tell("direct", DirectPeers(((link.amy.key, link.amy_ip),)))
        start = time.monotonic()  # ben's bucket for amy starts no earlier than this
        link.send_until_received("open", 10, "the direct channel never opened")  # ben's roster may lag
        flood = 4 * limits.dm_burst
        for n in range(flood):
            link.send(f"flood {n}")
        got = 1 + count_direct(link.inbox, quiet=1.0)
        allowed = limits.dm_burst + limits.dm_rate_per_s * (time.monotonic() - start) + 1
        assert got <= allowed, f"{got} frames passed a bucket that allows {allowed:.1f}"
        assert allowed < flood, "too slow a run to tell a limit from none; rerun"
        link.send_until_received("refilled", 10, "the bucket never refilled")
