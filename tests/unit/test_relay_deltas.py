"""The relay's roster traffic, without sockets: a change goes out at once as a delta, changes
that follow within DELTA_GAP_S go out together in one, and the full roster stays periodic."""

from __future__ import annotations

import time
from typing import Any

import zmq

from zp2p_gui.core.codec import decode, encode
from zp2p_gui.core.config import Limits, Timings
from zp2p_gui.core.room import HostState
from zp2p_gui.net.relay import DELTA_GAP_S, FULL_ROSTER_EVERY, Relay

HOST = "h0"


class FakePub:
    """Stands in for the relay's XPUB: keeps what was published, decoded."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def send(self, data: bytes, flags: int = 0) -> None:
        self.sent.append(decode(data))

    def kinds(self) -> list[str]:
        return [m["k"] for m in self.sent]


class FakeSocket:
    """Stands in for the relay's PULL: one frame from one address, then nothing."""

    def __init__(self, data: bytes, addr: str) -> None:
        self.frames = [FakeFrame(data, addr)]

    def recv(self, flags: int = 0, copy: bool = True) -> "FakeFrame":
        if not self.frames:
            raise zmq.Again()
        return self.frames.pop()


class FakeFrame:
    def __init__(self, data: bytes, addr: str) -> None:
        self.bytes = data
        self.addr = addr

    def get(self, name: str) -> str:
        return self.addr


def relay() -> tuple[Relay, HostState, FakePub]:
    state = HostState("lobby", HOST, term=0, epoch=1.0, limits=Limits(), now=0.0)
    state.register(HOST, "host", "127.0.0.1", "", now=0.0)
    r = Relay("127.0.0.1", 1, 2, state, Timings(), Limits())
    pub = r.pub = FakePub()
    r.publish_roster()  # the host's own registration: nothing published yet, so the whole roster
    return r, state, pub


def join(r: Relay, state: HostState, n: int) -> None:
    state.register(f"n{n}", f"nick{n}", f"127.0.1.{n}", "", now=time.monotonic())
    r.publish_roster()  # what the registry calls after a registration that changed the roster


def test_a_join_goes_out_at_once_and_a_storm_in_few_deltas() -> None:
    r, state, pub = relay()
    assert pub.kinds() == ["roster"]
    time.sleep(DELTA_GAP_S)
    join(r, state, 1)
    assert pub.kinds() == ["roster", "roster_delta"]  # at once
    for n in range(2, 12):
        join(r, state, n)
    assert len(pub.sent) == 2  # within the gap: they wait
    r.on_tick(time.monotonic() + DELTA_GAP_S)
    assert pub.kinds() == ["roster", "roster_delta", "roster_delta"]
    last = pub.sent[-1]
    assert [m["node_id"] for m in last["changed"]] == [f"n{n}" for n in sorted(range(2, 12), key=str)]
    assert last["since"] == pub.sent[1]["version"] and last["version"] == state.version


def test_a_leave_goes_out_as_a_removal() -> None:
    r, state, pub = relay()
    time.sleep(DELTA_GAP_S)
    join(r, state, 1)
    version = state.version
    assert pub.sent[-1]["version"] == version
    r.on_readable(FakeSocket(encode("leave", node_id="n1"), "127.0.1.1"))  # as the PULL delivers it
    r.on_tick(time.monotonic() + DELTA_GAP_S)
    assert pub.sent[-1]["k"] == "roster_delta" and pub.sent[-1]["removed"] == ["n1"]
    assert pub.sent[-1]["since"] == version and pub.sent[-1]["changed"] == []


def test_the_full_roster_stays_periodic_while_the_room_changes() -> None:
    r, state, pub = relay()
    now = time.monotonic()
    for beat in range(1, 2 * FULL_ROSTER_EVERY + 1):
        now += Timings().heartbeat + DELTA_GAP_S
        join(r, state, beat)
        r.on_tick(now)
    assert pub.kinds().count("roster") == 1 + 2  # the first, then every FULL_ROSTER_EVERY beats
    versions = [m["version"] for m in pub.sent]
    assert versions == sorted(versions)
