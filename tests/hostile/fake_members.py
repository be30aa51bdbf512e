"""Fake members, as a separate process that speaks the protocol from chosen loopback addresses
(issue 13 item 5), bounded in count and time; the kernel cleans up when it exits.

    python -m tests.hostile.fake_members hold    HOST PORT SECONDS COUNT NICK SOURCE...
    python -m tests.hostile.fake_members renames HOST PORT SECONDS COUNT NICK SOURCE
    python -m tests.hostile.fake_members flood   HOST PORT SECONDS COUNT NICK SOURCE

hold: COUNT fakes per source (nicks NICK, NICK-1, ...), kept alive with `hb` for SECONDS.
renames: one fake renamed COUNT times as fast as the registry answers, then kept alive.
flood: COUNT fakes at the source, each sending `say` as fast as it can for SECONDS.
Each prints one JSON line when its registrations are done: the registry's answers by kind/code.
Every address must be on loopback: the script refuses anything else."""

from __future__ import annotations

import ipaddress
import json
import sys
import time
from collections import Counter

import zmq

from zp2p_gui import PROTOCOL_VERSION
from zp2p_gui.core import signing
from zp2p_gui.core.sodium import SigningKey

ANSWER_MS = 3000
HEARTBEAT_S = 0.5
ROOM = "lobby"


def _loopback(*ips: str) -> None:
    for ip in ips:
        if not ipaddress.ip_address(ip).is_loopback:
            raise SystemExit(f"refusing to use {ip}: loopback only")


def _frame(kind: str, **fields: object) -> bytes:
    return json.dumps({"v": PROTOCOL_VERSION, "k": kind, **fields}).encode()


class Fake:
    """A member that exists only to take a place: its own key (they cost nothing), so its
    registrations and messages are signed as the registry and the receivers demand."""

    def __init__(self) -> None:
        self.secret = SigningKey.generate()
        self.key = signing.key_text(self.secret.public)
        self.node_id = signing.new_node_id(self.key)
        self.nick = ""


class Source:
    """One address's REQ (registry) and PUSH (relay in) towards the host."""

    def __init__(self, ctx: zmq.Context, source: str, host: str, port: int) -> None:
        self.addr = source
        self.host = host
        self.req = ctx.socket(zmq.REQ)
        self.push = ctx.socket(zmq.PUSH)
        for sock in (self.req, self.push):
            sock.setsockopt(zmq.LINGER, 0)
        self.req.connect(f"tcp://{source}:0;{host}:{port + 1}")
        self.push.connect(f"tcp://{source}:0;{host}:{port + 2}")
        self.fakes: list[Fake] = []

    def register(self, fake: Fake, nick: str) -> str:
        """The reply's kind, or the refusal's code."""
        proof = signing.sign_registration(fake.secret, ROOM, self.host, fake.node_id, nick, self.addr)
        self.req.send(_frame("register", node_id=fake.node_id, nick=nick, room=ROOM, proto=PROTOCOL_VERSION,
                             key=fake.key, proof=proof))
        if not self.req.poll(ANSWER_MS):
            raise SystemExit("the host did not answer a registration")
        reply = json.loads(self.req.recv())
        if reply["k"] == "welcome":
            fake.nick = nick
            if fake not in self.fakes:
                self.fakes.append(fake)
        return reply["k"] if reply["k"] != "refused" else reply["code"]

    def beat(self) -> None:
        for fake in self.fakes:
            self.push.send(_frame("hb", node_id=fake.node_id), zmq.NOBLOCK)

    def say(self, fake: Fake, seq: int, text: str) -> None:
        sig = signing.sign_chat(fake.secret, ROOM, fake.node_id, fake.nick, seq, text)
        self.push.send(_frame("say", node_id=fake.node_id, seq=seq, text=text, sig=sig))


def _keep_alive(sources: list[Source], seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for source in sources:
            source.beat()
        time.sleep(HEARTBEAT_S)


def _report(answers: Counter[str], **extra: object) -> None:
    print(json.dumps({"answers": dict(answers), **extra}), flush=True)


def hold(sources: list[Source], seconds: float, count: int, nick: str) -> None:
    """Registering 512 fakes one after the other outlasts member_timeout on a loaded machine,
    so those already in keep beating meanwhile."""
    answers: Counter[str] = Counter()
    n = 0
    beaten = time.monotonic()
    for source in sources:
        for _ in range(count):
            answers[source.register(Fake(), nick if n == 0 else f"{nick}-{n}")] += 1
            n += 1
            if time.monotonic() - beaten >= HEARTBEAT_S:
                beaten = time.monotonic()
                for each in sources:
                    each.beat()
    _report(answers)
    _keep_alive(sources, seconds)


def renames(source: Source, seconds: float, count: int, nick: str) -> None:
    fake = Fake()
    answers: Counter[str] = Counter([source.register(fake, nick)])
    started = time.monotonic()
    for i in range(count):
        answers[source.register(fake, f"{nick}{i}")] += 1
    _report(answers, seconds=time.monotonic() - started)
    _keep_alive([source], seconds)


def flood(source: Source, seconds: float, count: int, nick: str) -> None:
    answers: Counter[str] = Counter(source.register(Fake(), f"{nick}{i}") for i in range(count))
    _report(answers)
    sent = 0
    end = time.monotonic() + seconds
    seq = 0
    while time.monotonic() < end:
        seq += 1
        for fake in source.fakes:
            source.say(fake, seq, f"flood {fake.node_id} {seq}")
            sent += 1
        time.sleep(0.001)
    print(json.dumps({"sent": sent}), flush=True)


def main(argv: list[str]) -> None:
    kind, host, port, seconds, count, nick, addrs = (argv[0], argv[1], int(argv[2]), float(argv[3]), int(argv[4]),
                                                     argv[5], argv[6:])
    _loopback(host, *addrs)
    ctx = zmq.Context()
    sources = [Source(ctx, addr, host, port) for addr in addrs]
    try:
        if kind == "hold":
            hold(sources, seconds, count, nick)
        elif kind == "renames":
            renames(sources[0], seconds, count, nick)
        elif kind == "flood":
            flood(sources[0], seconds, count, nick)
        else:
            raise SystemExit(f"unknown attack {kind}")
    finally:
        ctx.destroy(0)


if __name__ == "__main__":
    main(sys.argv[1:])
