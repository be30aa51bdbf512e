"""Issue 14: direct messages between two members, with real processes on loopback: private
from the host and the room, kept while the recipient is away, across restarts and host changes,
bound to the recipient's identity key, and through the host when the direct port is blocked."""

from __future__ import annotations

import json
import logging
import socket
import tempfile
import threading
from pathlib import Path

import pytest
import zmq

from zp2p_gui.core import events as ev
from zp2p_gui.core.config import Config, Timings
from zp2p_gui.net.messages import DirectPeers
from zp2p_gui.node import Node

from ..harness import HeadlessNode, Room

SECRET = "meet me by the blue door"


class RawListener:
    """A plain SUB on the host's relay, as any listener in the room (or on the wire) could run."""

    def __init__(self, ip: str, port: int) -> None:
        self.frames: list[bytes] = []
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ip, port), daemon=True)
        self._thread.start()
        assert self._ready.wait(5)

    def _run(self, ip: str, port: int) -> None:
        ctx = zmq.Context.instance()
        sub = ctx.socket(zmq.SUB)
        sub.setsockopt(zmq.LINGER, 0)
        sub.setsockopt(zmq.SUBSCRIBE, b"")
        sub.connect(f"tcp://{ip}:{port}")
        self._ready.set()
        try:
            while not self._stop.is_set():
                if sub.poll(100):
                    self.frames.append(sub.recv())
        finally:
            sub.close(0)

    def close(self) -> bytes:
        self._stop.set()
        self._thread.join(5)
        return b"\n".join(self.frames)


def everything_said(node: HeadlessNode) -> str:
    """All a node printed: its events and its log."""
    return json.dumps(node.events, ensure_ascii=False) + "".join(node.stderr)


def data_dir(room: Room, nick: str) -> str:
    return tempfile.mkdtemp(prefix=f"zp2p-{nick}-", dir=room.tmp.name)


def start(room: Room, nick: str, n: int, folder: str | None = None, *extra: str) -> HeadlessNode:
    return room.start(nick, n, *(["--data-dir", folder] if folder else []), *extra)


def key_of(node: HeadlessNode, nick: str) -> str:
    """The identity key of nick in the latest member list node printed."""
    for event in reversed(node.events):
        if event["event"] in ("presence", "joined"):
            return next(u["key"] for u in event["users"] if u["nick"] == nick)
    raise AssertionError(f"{node.nick} printed no member list")


def directs(node: HeadlessNode) -> list[dict]:
    return [e for e in node.events if e["event"] == "direct"]


def trio(room: Room) -> tuple[HeadlessNode, HeadlessNode, HeadlessNode]:
    alice = start(room, "alice", 2)
    alice.wait_event("hosting")
    bob = start(room, "bob", 3)
    bob.wait_event("joined")
    carol = start(room, "carol", 4)
    carol.wait_event("joined")
    for node in (alice, bob, carol):
        node.wait_users(["alice", "bob", "carol"])
    return alice, bob, carol


def test_a_dm_reaches_only_its_recipient_and_the_host_never_reads_it(room: Room) -> None:
    alice, bob, carol = trio(room)
    wire = RawListener(room.ip(2), room.port + 3)
    bob.say(f"/msg carol {SECRET}")
    got = carol.wait_event("direct", text=SECRET)
    assert got["from"] == "bob" and got["key"] == key_of(carol, "bob")
    delivered = bob.wait_event("delivered", to="carol")
    assert delivered["id"] == got["id"]
    bob.say("/msg carol second")
    carol.wait_event("direct", text="second")
    heard = wire.close()
    assert SECRET.encode() not in heard
    assert SECRET not in everything_said(alice)
    assert directs(alice) == [] and directs(bob) == []
    assert len([d for d in directs(carol) if d["text"] == SECRET]) == 1


def test_unknown_nick_is_refused(room: Room) -> None:
    alice = start(room, "alice", 2)
    alice.wait_event("hosting")
    alice.say("/msg nobody hello?")
    alice.wait_event("error", code="unknown_recipient")


def carol_away_with_a_dm(room: Room, bob_dir: str | None = None) -> tuple[HeadlessNode, HeadlessNode, str, dict]:
    """alice hosts, bob and carol join, carol quits, bob sends her a DM: (alice, bob, carol's
    data folder, bob's `queued` event)."""
    carol_dir = data_dir(room, "carol")
    alice = start(room, "alice", 2)
    alice.wait_event("hosting")
    bob = start(room, "bob", 3, bob_dir)
    bob.wait_event("joined")
    carol = start(room, "carol", 4, carol_dir)
    carol.wait_event("joined")
    bob.wait_users(["alice", "bob", "carol"])
    assert carol.quit() == 0
    bob.wait_users(["alice", "bob"])
    bob.say(f"/msg carol {SECRET}")
    return alice, bob, carol_dir, bob.wait_event("queued", to="carol")


def test_away_recipient_gets_it_once_after_the_host_changed(room: Room) -> None:
    alice, bob, carol_dir, queued = carol_away_with_a_dm(room)
    assert alice.quit() == 0  # the host leaves: bob hosts now
    bob.wait_event("hosting")
    carol = start(room, "carol", 4, carol_dir)
    got = carol.wait_event("direct", text=SECRET, timeout=15)
    assert got["id"] == queued["id"] and got["from"] == "bob"
    bob.wait_event("delivered", id=queued["id"])
    assert carol.quit() == 0
    carol = start(room, "carol", 4, carol_dir)  # the same folder again: nothing is printed twice
    carol.wait_event("joined")
    bob.say("/msg carol after")
    carol.wait_event("direct", text="after")
    assert [d["text"] for d in directs(carol)] == ["after"]


def test_sender_restarted_while_queued_still_delivers(room: Room) -> None:
    bob_dir = data_dir(room, "bob")
    alice, bob, carol_dir, queued = carol_away_with_a_dm(room, bob_dir)
    assert bob.quit() == 0
    bob = start(room, "bob", 3, bob_dir)
    bob.wait_event("joined")
    carol = start(room, "carol", 4, carol_dir)
    assert carol.wait_event("direct", text=SECRET, timeout=15)["id"] == queued["id"]
    bob.wait_event("delivered", id=queued["id"])
    assert SECRET not in everything_said(alice)


def test_a_nick_taken_over_by_another_key_gets_nothing(room: Room) -> None:
    alice = start(room, "alice", 2)
    alice.wait_event("hosting")
    bob = start(room, "bob", 3)
    bob.wait_event("joined")
    alice.wait_users(["alice", "bob"])
    assert bob.quit() == 0
    alice.wait_users(["alice"])
    mallory = start(room, "bob", 5)  # the nick bob, another data folder: another identity key
    mallory.wait_event("joined")
    alice.wait_users(["alice", "bob"])
    alice.say(f"/msg bob {SECRET}")
    alice.wait_event("error", code="recipient_key_changed")
    alice.say("/users")
    alice.wait_event("presence")
    assert directs(mallory) == []
    assert SECRET not in everything_said(mallory)


def test_blocked_direct_port_delivers_through_the_host_unreadable_there(room: Room) -> None:
    blocker = socket.socket()
    blocker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    blocker.bind((room.ip(4), room.port + 4))
    blocker.listen(8)  # accepts TCP, never speaks ZMTP: a direct connection never completes
    try:
        alice, bob, carol = trio(room)
        carol.wait_event("error", code="direct_port_taken")
        wire = RawListener(room.ip(2), room.port + 3)
        bob.say(f"/msg carol {SECRET}")
        got = carol.wait_event("direct", text=SECRET, timeout=15)
        assert got["from"] == "bob"
        bob.wait_event("delivered", id=got["id"])
        heard = wire.close()
        assert b"sealed_to" in heard and SECRET.encode() not in heard
        assert SECRET not in everything_said(alice)
        assert len(directs(carol)) == 1
    finally:
        blocker.close()


def test_room_chat_goes_on_with_the_direct_port_taken(room: Room) -> None:
    blocker = socket.socket()
    blocker.bind((room.ip(3), room.port + 4))
    blocker.listen(1)
    try:
        alice = start(room, "alice", 2)
        alice.wait_event("hosting")
        bob = start(room, "bob", 3)
        bob.wait_event("joined")
        bob.wait_event("error", code="direct_port_taken")
        bob.say("still chatting")
        alice.wait_event("message", text="still chatting")
    finally:
        blocker.close()


def test_headless_msg_command_keeps_every_word_after_the_nick(room: Room) -> None:
    alice, bob, _ = trio(room)
    alice.say("/msg bob several words, one message")
    assert bob.wait_event("direct")["text"] == "several words, one message"


class Events:
    """An in-process node's events, awaited by predicate."""

    def __init__(self) -> None:
        self.items: list[ev.Event] = []
        self._new = threading.Condition()

    def __call__(self, event: ev.Event) -> None:
        with self._new:
            self.items.append(event)
            self._new.notify_all()

    def wait(self, kind: type, timeout: float = 10.0, **match: object) -> ev.Event:
        def found() -> ev.Event | None:
            return next((e for e in self.items if isinstance(e, kind) and
                         all(getattr(e, k) == v for k, v in match.items())), None)
        with self._new:
            assert self._new.wait_for(found, timeout), f"no {kind.__name__} {match} in {self.items[-8:]}"
            return found()  # type: ignore[return-value]


def local_node(room: Room, folder: Path, nick: str, n: int, events: Events,
               timings: Timings = Timings(discovery_window=0.5)) -> Node:
    """A node in this process on the room's .n, its data in folder/nick-n."""
    config = Config(nick=nick, bind=room.ip(n), scan=(room.scan,), port=room.port, data_dir=folder / f"{nick}-{n}",
                    allowed_nets=("127.0.0.0/8",), timings=timings)
    return Node(config, events)


def test_read_marks_reach_the_sender_and_two_nodes_share_one_context(room: Room, tmp_path: Path) -> None:
    """Two nodes in one process share one ZAP handler: each direct port admits its own members."""
    amy_events, ben_events = Events(), Events()
    amy, ben = local_node(room, tmp_path, "amy", 2, amy_events), local_node(room, tmp_path, "ben", 3, ben_events)
    amy.start()
    try:
        amy_events.wait(ev.Hosting)
        ben.start()
        ben_events.wait(ev.Joined)
        ben_key = next(m.key for m in ben_events.wait(ev.Joined).users if m.nick == "ben")
        dm_id = amy.send_direct("read me", key=ben_key)
        got = ben_events.wait(ev.Direct, id=dm_id)
        assert got.nick == "amy" and got.text == "read me"
        amy_events.wait(ev.Delivered, id=dm_id, to="ben")
        ben.mark_read(got.key, (dm_id, "not-a-dm-of-amy"))
        assert amy_events.wait(ev.ReadMark, id=dm_id).by == "ben"
        ben.mark_read(got.key, (dm_id,))  # a second read receipt is sent, but the mark is news once
        reply = ben.send_direct("seen it", nick="amy")
        amy_events.wait(ev.Direct, id=reply)
        assert len([e for e in amy_events.items if isinstance(e, ev.ReadMark)]) == 1
    finally:
        ben.stop()
        amy.stop()


class DirectOnJoin(Events):
    """A node's events that, at `joined`, sends a direct message to `to` if the welcome lists it."""

    def __init__(self, to: str) -> None:
        super().__init__()
        self.to = to
        self.node: Node | None = None
        self.sent = ""

    def __call__(self, event: ev.Event) -> None:
        """Sent before the event is seen, so a test that saw `joined` sees `sent` too."""
        other = next((m for m in event.users if m.nick == self.to), None) if isinstance(event, ev.Joined) else None
        if other is not None and self.node is not None:
            self.sent = self.node.send_direct("hi, right after joining", key=other.key)
        super().__call__(event)


def test_a_dm_sent_at_joined_is_not_held_back_by_a_handshake_refused_meanwhile(room: Room, tmp_path: Path) -> None:
    """Ben and carl join at once. The one registered second knows the other from its welcome; the
    other hears of it in the host's next roster delta (up to 50 ms later, deltas are paced), and
    until then its direct port refuses the handshake. The second one's DM, sent at `joined`, is
    then lost and must be tried again soon: with direct_resend and direct_fallback at minutes
    here, only that retry delivers it within the wait. The race is lost in about half the rounds
    (the other way, the delta came first), so three rounds."""
    timings = Timings(discovery_window=0.5, direct_resend=120.0, direct_fallback=240.0)
    amy_events = Events()
    amy = local_node(room, tmp_path, "amy", 2, amy_events, timings)
    amy.start()
    try:
        amy_events.wait(ev.Hosting)
        for i in range(3):
            ben_events, carl_events = DirectOnJoin("carl"), DirectOnJoin("ben")
            ben_events.node = ben = local_node(room, tmp_path, "ben", 3 + 2 * i, ben_events, timings)
            carl_events.node = carl = local_node(room, tmp_path, "carl", 4 + 2 * i, carl_events, timings)
            ben.start()
            carl.start()
            try:
                ben_events.wait(ev.Joined)
                carl_events.wait(ev.Joined)
                sender, recipient = (ben_events, carl_events) if ben_events.sent else (carl_events, ben_events)
                assert sender.sent, "neither welcome listed the other"
                recipient.wait(ev.Direct, id=sender.sent, timeout=10.0)
            finally:
                carl.stop()
                ben.stop()
    finally:
        amy.stop()


def test_a_member_refusing_every_handshake_costs_a_handful_and_still_gets_its_dm(
        room: Room, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """As an attacker: mallory's direct port admits no one, ever, so each try of amy's is refused.
    Amy's quick tries back off (25 ms, twice as long each time, at most direct_resend) instead of
    hammering her with handshakes until direct_fallback sends the DM sealed through the host,
    where mallory gets it and confirms it like any member."""
    amy_events, mallory_events = Events(), Events()
    amy, mallory = local_node(room, tmp_path, "amy", 2, amy_events), local_node(room, tmp_path, "mallory", 3,
                                                                              mallory_events)
    admit = mallory._roles.tell
    mallory._roles.tell = lambda name, command: admit(  # type: ignore[method-assign]
        name, DirectPeers(()) if isinstance(command, DirectPeers) else command)
    caplog.set_level(logging.INFO, logger="zp2p_gui.net.dealers")
    amy.start()
    try:
        amy_events.wait(ev.Hosting)
        mallory.start()
        mallory_key = next(m.key for m in mallory_events.wait(ev.Joined).users if m.nick == "mallory")
        dm_id = amy.send_direct("you will not let me in", key=mallory_key)  # kept until amy's roster lists her
        assert mallory_events.wait(ev.Direct, id=dm_id).text == "you will not let me in"
        amy_events.wait(ev.Delivered, id=dm_id)
    finally:
        mallory.stop()
        amy.stop()
    refused = [r for r in caplog.records if "refused our handshake" in r.getMessage()]
    assert 3 <= len(refused) <= 10, f"{len(refused)} handshakes refused before the fallback (backoff: about 7)"
