"""The engine's direct-message handlers fed directly, no sockets: who a nick names, what is
queued, what is shown once, and what confirms what."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from zp2p_gui.core import events as ev
from zp2p_gui.core.codec import encode
from zp2p_gui.core.config import Config, Limits
from zp2p_gui.core.events import Member
from zp2p_gui.core.sealing import seal
from zp2p_gui.core.signing import key_text
from zp2p_gui.core.sodium import SigningKey
from zp2p_gui.engine import direct
from zp2p_gui.engine.direct import REFUSED_RETRY, _OpenDirect
from zp2p_gui.engine.states import Trigger
from zp2p_gui.identity import Security
from zp2p_gui.net.messages import DirectIn, DirectRefused, DirectSend, MarkRead, SendDirect
from zp2p_gui.node import Node

from .test_state_walk import FakeSender

BOB = SigningKey.generate()
BOB_KEY = key_text(BOB.public)
MALLORY_KEY = key_text(SigningKey.generate().public)


def direct_node(folder: Path, limits: Limits = Limits()) -> tuple[Node, list[ev.Event], list[object]]:
    """amy's engine with its store open and its roles replaced by a list of what it told them."""
    events: list[ev.Event] = []
    node = Node(Config(nick="amy", bind="127.0.0.2", allowed_nets=("127.0.0.0/8",), data_dir=folder,
                       limits=limits), events.append)
    node._take_identity(Security.open(node.config))
    node._open_dm_store()
    told: list[object] = []
    node._roles.tell = lambda name, command: told.append(command)  # type: ignore[method-assign]
    node._sender = FakeSender(told)  # type: ignore[assignment]  # what goes to the host: its frames, in `told` too
    return node, events, told


def in_room(node: Node, *members: tuple[str, str]) -> None:
    """The roster lists amy and these (nick, key) members."""
    me = Member("a" * 24, "amy", "127.0.0.2", False, 1.0, node._sec.key)
    node.roster = (me, *(Member(f"{i}" * 24, nick, f"127.0.0.{3 + i}", False, 1.0, key)
                         for i, (nick, key) in enumerate(members)))
    node._direct_roster()


def of(events: list[ev.Event], kind: type) -> list:
    return [e for e in events if isinstance(e, kind)]


def errors(events: list[ev.Event]) -> list[str]:
    return [e.code for e in of(events, ev.Error)]


def dm_from_bob(dm_id: str, text: str = "hi amy") -> dict:
    return {"k": "dm", "id": dm_id, "key": BOB_KEY, "nick": "bob", "text": text, "ts": 1.0}


def test_a_dm_is_shown_once_and_acknowledged_every_time(tmp_path: Path) -> None:
    node, events, told = direct_node(tmp_path)
    in_room(node, ("bob", BOB_KEY))
    for _ in range(3):
        node._on_direct_in(DirectIn(BOB_KEY, dm_from_bob("1" * 32), "direct"))
    shown = of(events, ev.Direct)
    assert [(d.nick, d.text, d.key) for d in shown] == [("bob", "hi amy", BOB_KEY)]
    assert sum(isinstance(c, DirectSend) and b'"dm_ack"' in c.frame for c in told) == 3
    node._direct_end()
    node, events, _ = direct_node(tmp_path)  # the same data folder after a restart
    in_room(node, ("bob", BOB_KEY))
    node._on_direct_in(DirectIn(BOB_KEY, dm_from_bob("1" * 32), "direct"))
    assert of(events, ev.Direct) == []


def test_frames_from_someone_not_in_the_roster_are_ignored(tmp_path: Path) -> None:
    node, events, told = direct_node(tmp_path)
    in_room(node)
    node._on_direct_in(DirectIn(BOB_KEY, dm_from_bob("2" * 32), "direct"))
    assert of(events, ev.Direct) == [] and not any(isinstance(c, DirectSend) for c in told)


def test_nicks_name_their_first_key(tmp_path: Path) -> None:
    node, events, told = direct_node(tmp_path)
    node._on_send_direct(SendDirect("x" * 32, "hello?", "bob", None))
    assert errors(events) == ["unknown_recipient"]
    in_room(node, ("bob", BOB_KEY))
    node._on_send_direct(SendDirect("y" * 32, "hello", "BOB", None))
    assert any(isinstance(c, DirectSend) and c.key == BOB_KEY for c in told)
    in_room(node)
    node._on_send_direct(SendDirect("z" * 32, "still there?", "bob", None))
    assert [q.id for q in of(events, ev.Queued)] == ["z" * 32]
    in_room(node, ("bob", MALLORY_KEY))
    node._on_send_direct(SendDirect("w" * 32, "is it you?", "bob", None))
    assert errors(events)[-1] == "recipient_key_changed"
    assert not any(isinstance(c, DirectSend) and c.key == MALLORY_KEY for c in told)
    node._on_send_direct(SendDirect("v" * 32, "me?", "amy", None))
    assert errors(events)[-1] == "unknown_recipient"


@pytest.mark.parametrize("text,code", [("", "empty_message"), ("x" * 20_000, "message_too_long"),
                                       ("a\x00b", "bad_message")])
def test_room_text_rules_apply(tmp_path: Path, text: str, code: str) -> None:
    node, events, _ = direct_node(tmp_path)
    in_room(node, ("bob", BOB_KEY))
    node._on_send_direct(SendDirect("x" * 32, text, None, BOB_KEY))
    assert errors(events) == [code]


def test_the_queue_per_recipient_is_bounded(tmp_path: Path) -> None:
    node, events, _ = direct_node(tmp_path, Limits(dm_queue=2))
    in_room(node, ("bob", BOB_KEY))
    for i in range(3):
        node._on_send_direct(SendDirect(f"{i}" * 32, "hi", None, BOB_KEY))
    assert errors(events) == ["dm_queue_full"]


def test_delivered_and_read_marks_come_from_the_recipient_only(tmp_path: Path) -> None:
    node, events, _ = direct_node(tmp_path)
    in_room(node, ("bob", BOB_KEY), ("mallory", MALLORY_KEY))
    node._on_send_direct(SendDirect("d" * 32, "hi bob", None, BOB_KEY))
    ack = {"k": "dm_ack", "key": MALLORY_KEY, "ids": ["d" * 32]}
    node._on_direct_in(DirectIn(MALLORY_KEY, ack, "direct"))
    assert of(events, ev.Delivered) == []
    node._on_direct_in(DirectIn(BOB_KEY, {**ack, "key": BOB_KEY}, "direct"))
    node._on_direct_in(DirectIn(BOB_KEY, {**ack, "key": BOB_KEY}, "direct"))
    assert [(d.id, d.to) for d in of(events, ev.Delivered)] == [("d" * 32, "bob")]
    read = {"k": "dm_read", "id": "r" * 32, "key": BOB_KEY, "ids": ["d" * 32]}
    node._on_direct_in(DirectIn(BOB_KEY, read, "direct"))
    node._on_direct_in(DirectIn(BOB_KEY, read, "direct"))
    assert [(r.id, r.by) for r in of(events, ev.ReadMark)] == [("d" * 32, "bob")]


def test_mark_read_names_only_what_that_sender_sent(tmp_path: Path) -> None:
    node, _, told = direct_node(tmp_path)
    in_room(node, ("bob", BOB_KEY))
    node._on_direct_in(DirectIn(BOB_KEY, dm_from_bob("1" * 32), "direct"))
    node._on_mark_read(MarkRead(BOB_KEY, ("1" * 32, "2" * 32)))
    node._on_mark_read(MarkRead(MALLORY_KEY, ("1" * 32,)))
    receipts = [c.frame for c in told if isinstance(c, DirectSend) and b'"dm_read"' in c.frame]
    assert len(receipts) == 1 and b'"ids":["' + b"1" * 32 + b'"]' in receipts[0]


def test_reads_while_the_sender_is_away_wait_as_one_receipt(tmp_path: Path) -> None:
    """Receipts to someone away merge: one waits per person, however often the user reads, and
    it carries every id when they are back (to someone who never returns they no longer pile up)."""
    node, _, told = direct_node(tmp_path)
    in_room(node, ("bob", BOB_KEY))
    for dm_id in ("1" * 32, "2" * 32):
        node._on_direct_in(DirectIn(BOB_KEY, dm_from_bob(dm_id), "direct"))
    in_room(node)  # bob left
    node._on_mark_read(MarkRead(BOB_KEY, ("1" * 32,)))
    node._on_mark_read(MarkRead(BOB_KEY, ("2" * 32,)))
    assert [item.kind for item in node._dm_out.values()] == ["dm_read"]
    told.clear()
    in_room(node, ("bob", BOB_KEY))
    receipts = [c.frame for c in told if isinstance(c, DirectSend) and b'"dm_read"' in c.frame]
    assert len(receipts) == 1 and b'"ids":["' + b"1" * 32 + b'","' + b"2" * 32 + b'"]' in receipts[0]


def test_a_sealed_dm_for_us_is_opened_and_answered_sealed(tmp_path: Path) -> None:
    node, events, told = direct_node(tmp_path)
    in_room(node, ("bob", BOB_KEY))
    for trigger in (Trigger.START, Trigger.FOUND, Trigger.WELCOMED):
        node.machine.fire(trigger)
    frame = encode("dm", id="s" * 32, key=BOB_KEY, nick="bob", text="through the host", ts=1.0)
    node._on_sealed("127.0.0.9", {"k": "sealed_to", "to": node._sec.key, "box": seal(BOB, node._sec.key, frame)})
    node._on_sealed("127.0.0.9", {"k": "sealed_to", "to": BOB_KEY, "box": seal(BOB, BOB_KEY, frame)})
    assert [d.text for d in of(events, ev.Direct)] == ["through the host"]
    answers = [c for c in told if isinstance(c, bytes)]
    assert len(answers) == 1 and b'"sealed"' in answers[0] and b"dm_ack" not in answers[0]


def unopened_node(folder: Path) -> tuple[Node, list[ev.Event], list[object]]:
    """amy's engine as `_set_up` leaves it: the store to open after the first roster, not open
    yet (opening it here opens only the store: the direct port's actor would need sockets)."""
    node, events, told = direct_node(folder)
    node._direct_end()
    node._direct_begin = node._open_dm_store  # type: ignore[method-assign]
    node._direct_later()
    return node, events, told


def test_a_dm_asked_for_before_the_store_opened_opens_it(tmp_path: Path) -> None:
    node, events, told = unopened_node(tmp_path)
    node._on_send_direct(SendDirect("d" * 32, "hi bob", None, BOB_KEY))
    assert node._store is not None and errors(events) == []
    assert [q.key for q in of(events, ev.Queued)] == [BOB_KEY]  # bob is not in the room: kept for later


def test_a_roster_that_came_before_the_store_counts_once_it_opens(tmp_path: Path) -> None:
    node, events, told = unopened_node(tmp_path)
    in_room(node, ("bob", BOB_KEY))  # the welcome queues the opening, to come after `joined`
    assert node._store is None and isinstance(node._inbox.get_nowait(), _OpenDirect)
    node._on_open_direct()
    node._on_send_direct(SendDirect("d" * 32, "hi bob", "bob", None))
    assert any(isinstance(c, DirectSend) and c.key == BOB_KEY for c in told) and of(events, ev.Queued) == []


def sends_to(told: list[object], key: str) -> int:
    return sum(isinstance(c, DirectSend) and c.key == key for c in told)


def refused(node: Node, key: str) -> tuple[float, float]:
    """A handshake to `key` refused, as the direct channel reports it: (before, after) on the clock."""
    before = time.monotonic()
    node._on_direct_refused(DirectRefused(key))
    return before, time.monotonic()


def test_a_refused_handshake_is_tried_again_soon_then_less_often(tmp_path: Path) -> None:
    """The recipient's roster trails ours just after a join: the first try is refused and lost.
    Trying again only after direct_resend made that first message wait 1.25 s."""
    node, _, told = direct_node(tmp_path)
    in_room(node, ("bob", BOB_KEY))
    node._on_send_direct(SendDirect("d" * 32, "hi bob", None, BOB_KEY))
    assert sends_to(told, BOB_KEY) == 1
    resend = node.config.timings.direct_resend
    for n in range(7):
        delay = min(resend, REFUSED_RETRY * 2 ** n)
        before, after = refused(node, BOB_KEY)
        due = node._dm_tries["d" * 32].next_at
        assert before + delay <= due <= after + delay, f"refusal {n + 1}"
        assert node._timers_gap(after) <= delay  # the engine wakes for it
        node._direct_tick(due)
        assert sends_to(told, BOB_KEY) == n + 2
    node._on_direct_in(DirectIn(BOB_KEY, {"k": "dm_ack", "key": BOB_KEY, "ids": ["d" * 32]}, "direct"))
    assert node._direct_due_in(time.monotonic()) == float("inf")
    node._on_send_direct(SendDirect("e" * 32, "again", None, BOB_KEY))
    before, after = refused(node, BOB_KEY)  # an acknowledgement started the count again
    assert before + REFUSED_RETRY <= node._dm_tries["e" * 32].next_at <= after + REFUSED_RETRY


def test_a_refusal_leaves_other_recipients_and_the_host_path_alone(tmp_path: Path) -> None:
    node, _, _ = direct_node(tmp_path)
    in_room(node, ("bob", BOB_KEY), ("mallory", MALLORY_KEY))
    node._on_send_direct(SendDirect("d" * 32, "hi bob", None, BOB_KEY))
    node._on_send_direct(SendDirect("m" * 32, "hi mallory", None, MALLORY_KEY))
    planned = {i: a.next_at for i, a in node._dm_tries.items()}
    refused(node, MALLORY_KEY)
    assert node._dm_tries["d" * 32].next_at == planned["d" * 32]
    node._dm_via_host.add(BOB_KEY)  # bob's direct port never confirmed: his messages go sealed
    refused(node, BOB_KEY)
    assert node._dm_tries["d" * 32].next_at == planned["d" * 32]
    refused(node, "not-a-member")


def test_members_passing_through_all_day_leave_the_engine_bounded(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Someone keeps joining with new identities: what the engine remembers of who was told to
    the store stays bounded (the store bounds its own rows: test_dm_store.py)."""
    monkeypatch.setattr(direct, "KNOWN_MAX", 8)
    node, _, _ = direct_node(tmp_path, Limits(max_members=4))
    keys = [key_text(SigningKey.generate().public) for _ in range(30)]
    for n, key in enumerate(keys):
        in_room(node, ("bob", BOB_KEY), (f"fake{n}", key))
        assert len(node._dm_known) <= 8
    assert node._store is not None and node._store.key_for("fake29") == keys[-1]
    assert node._store.key_for("bob") == BOB_KEY
