"""A host hears its own relay in process, without sockets: every frame the relay publishes reaches
this node's engine once, in publish order, in one Packets per poll round (net/host.py); the
host's receiver then only keeps the silence clock, looking at a conflated SUB that no packet
wakes (net/receiver.py)."""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

import zmq

from zp2p_gui.core.codec import encode
from zp2p_gui.core.config import Limits, Timings
from zp2p_gui.core.fairshare import CREDIT, STALL_S
from zp2p_gui.core.room import HostState
from zp2p_gui.engine.hosting import Hosting
from zp2p_gui.net.host import Host
from zp2p_gui.net.messages import Connect, HostLost, Packets, Serve
from zp2p_gui.net.receiver import OWN_LOOKS, Receiver

from .test_relay_deltas import FakePub

IP = "127.0.0.1"


def host() -> tuple[Host, list[Any], FakePub]:
    state = HostState("lobby", "h0", term=0, epoch=1.0, limits=Limits(), now=0.0)
    state.register("h0", "host", IP, "", now=0.0)
    emitted: list[Any] = []
    h = Host(None, emitted.append, IP, (1, 2, 3), state, Timings(), Limits())  # type: ignore[arg-type]
    pub = h.relay.pub = FakePub()  # type: ignore[assignment]
    return h, emitted, pub


def notice(n: int) -> bytes:
    return encode("notice", to="h0", code="rate_limited", detail=f"notice {n}")


def handed(emitted: list[Any]) -> list[dict[str, Any]]:
    return [msg for packets in emitted for msg in packets.batch]


def test_what_the_relay_publishes_reaches_our_engine_once_in_order_per_round() -> None:
    h, emitted, pub = host()
    h.relay.publish_roster()
    for n in range(3):
        h.relay._publish(notice(n))
    h.on_tick(time.monotonic())  # the end of the actor's poll round
    assert len(emitted) == 1 and isinstance(emitted[0], Packets) and emitted[0].host == IP
    assert handed(emitted) == pub.sent  # every frame the members get, in their order
    assert [m["k"] for m in pub.sent][:4] == ["roster", "notice", "notice", "notice"]

    h.on_tick(time.monotonic())  # a round that published nothing hands nothing over
    assert len(emitted) == 1

    h.relay._publish(notice(3))
    h.on_tick(time.monotonic())
    assert len(emitted) == 2 and handed(emitted) == pub.sent  # each frame once: never twice


def test_a_handover_reaches_our_engine_after_what_waited_for_its_turn() -> None:
    h, emitted, pub = host()
    h.relay.farewell(encode("handover", successor="m1", addr="127.0.0.2"))
    h.on_tick(time.monotonic())
    assert handed(emitted) == pub.sent and pub.sent[-1]["k"] == "handover"


class FakeSub:
    """Stands in for the receiver's conflated SUB: the frames waiting in it."""

    def __init__(self) -> None:
        self.frames: list[bytes] = []
        self.closed = False

    def recv(self, flags: int = 0, copy: bool = True) -> bytes:
        if not self.frames:
            raise zmq.Again()
        return self.frames.pop()

    def monitor(self, endpoint: str | None, events: int) -> None:
        """Nobody monitors it."""

    def close(self, linger: int | None = None) -> None:
        self.closed = True


def own_receiver(since: float) -> tuple[Receiver, FakeSub, list[Any]]:
    emitted: list[Any] = []
    r = Receiver(None, emitted.append, IP, 27803, Timings(), Limits())  # type: ignore[arg-type]
    sub = FakeSub()

    def open_to(kind: int, host: str, *args: Any, **kwargs: Any) -> FakeSub:
        r.host = host
        return sub
    r.open_to = open_to  # type: ignore[method-assign]
    r.on_command(Connect(IP, since=since, own=True))
    return r, sub, emitted


def test_the_receiver_of_our_own_relay_looks_a_few_times_per_timeout_and_hands_nothing_over() -> None:
    now = time.monotonic()
    r, sub, emitted = own_receiver(now)
    assert r.own
    assert r.poll_timeout_ms() <= r.timings.host_timeout / OWN_LOOKS * 1000 + 1
    sub.frames.append(notice(0))
    later = now + r.timings.host_timeout * 0.9
    r.on_tick(later)
    assert r.last_rx == later and not sub.frames  # heard: the clock moves, the frame is dropped
    assert emitted == []


def test_our_own_relay_gone_silent_is_still_noticed() -> None:
    now = time.monotonic()
    r, sub, emitted = own_receiver(now)
    step = r.timings.host_timeout / OWN_LOOKS
    t = now
    while not emitted and t < now + 2 * r.timings.host_timeout:
        t += step
        r.on_tick(t)
    assert emitted == [HostLost(IP, "silent")]
    assert t <= now + r.timings.host_timeout * (1 + 1 / OWN_LOOKS) + step


def test_a_host_that_joins_another_receives_from_it_again() -> None:
    r, _sub, _emitted = own_receiver(time.monotonic())
    r.on_command(Connect("127.0.0.3", since=time.monotonic()))
    assert not r.own


def notices(pub: FakePub) -> list[dict[str, Any]]:
    return [m for m in pub.sent if m["k"] == "notice"]


def test_a_relay_held_by_the_credit_sleeps_until_our_display_wakes_it() -> None:
    """Chats held by the credit do not make the host poll for our display's progress: it sleeps
    (until the next beat, or until the display would count as stalled), and our engine's Serve
    command wakes it to publish what waits (core/fairshare.py)."""
    h, emitted, pub = host()
    h.on_tick(time.monotonic())  # the first roster goes out; the next beat is a heartbeat away
    share = h.relay.share
    for n in range(CREDIT + 1):
        share.offer(IP, float(n), notice(n))
    h.on_tick(time.monotonic())
    assert len(notices(pub)) == CREDIT
    assert h.poll_timeout_ms() > STALL_S * 1000 / 2
    share.show(float(CREDIT - 1))  # our display showed them all
    h.on_command(Serve())
    h.on_tick(time.monotonic())
    assert len(notices(pub)) == CREDIT + 1 and handed(emitted)[-1] == notices(pub)[-1]


def test_the_engine_wakes_its_relay_with_a_serve_command_to_the_host_actor() -> None:
    """The wake `show` calls (core/fairshare.py) is a command on the host actor's pipe: the
    engine thread owns that pipe's end, so no socket is shared across threads."""
    told: list[tuple[str, Any]] = []
    engine = SimpleNamespace(_roles=SimpleNamespace(tell=lambda name, command: told.append((name, command))))
    Hosting._wake_relay(engine)  # type: ignore[arg-type]
    assert told == [("host", Serve())]
