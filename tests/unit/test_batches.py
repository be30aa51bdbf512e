"""Batch signing end to end without sockets: the hash tree, the sender's batches, the host's
stamping, and the receiver's one check per batch, which refuses a batch with a message altered,
dropped, added or reordered, and still checks each message of a batch met alone."""

from __future__ import annotations

import base64

import pytest

from zp2p_gui.core import conversation
from zp2p_gui.core.batches import (BATCH_MAX, BATCH_TEXT_BYTES, HASH_LEN, BatchTrees, batch_tree, chats_fields, path_bytes,
                                   path_text, root_of, split, tree)
from zp2p_gui.core.codec import decode, encode
from zp2p_gui.core.config import Limits
from zp2p_gui.core.conversation import Conversation
from zp2p_gui.core.events import Event, Forged, Message
from zp2p_gui.core.fairshare import FairShare
from zp2p_gui.core.room import HostState
from zp2p_gui.core.signing import Sealer, key_text, new_node_id
from zp2p_gui.core.sodium import SigningKey

ROOM = "lobby"
ALICE_KEY, ME_KEY = SigningKey.generate(), SigningKey.generate()
ALICE = new_node_id(key_text(ALICE_KEY.public))
ME = new_node_id(key_text(ME_KEY.public))
A = "127.0.0.2"


def conv(secret: SigningKey = ME_KEY, node_id: str = ME, nick: str = "ME") -> Conversation:
    return Conversation(Sealer(secret, ROOM, node_id, nick), backlog_bytes=1 << 24, resend_after=2.0,
                        unconfirmed=1000)


def host(trees: BatchTrees | None = None) -> HostState:
    state = HostState(ROOM, "h", 0, 1.0, Limits(rate_per_s=0), now=0.0, trees=trees)
    state.register(ALICE, "ALICE", A, key_text(ALICE_KEY.public), now=0.0)
    return state


def relayed(texts: list[str], state: HostState | None = None) -> tuple[dict, list[dict]]:
    """alice says texts at once; her `says` as the host relays it (a decoded `chats`), and the
    chats the host keeps (what its backlog hands out)."""
    alice = conv(ALICE_KEY, ALICE, "ALICE")
    for text in texts:
        alice.queue(text)
    says = decode(alice.flush(0.0, connected=True)[0])
    kept = (state or host()).accept_batch(ALICE, A, says["first"], says["texts"], 5.0, 1.0, sig=says["sig"])
    return decode(encode("chats", **chats_fields(kept))), kept


def shown(events: list[Event]) -> list[str]:
    return [e.text for e in events if isinstance(e, Message)]


def forged(events: list[Event]) -> int:
    return sum(isinstance(e, Forged) for e in events)


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 8, 33, BATCH_MAX])
def test_every_leaf_reaches_the_root_through_its_path_and_no_other(size: int) -> None:
    leaves = [bytes([i]) * HASH_LEN for i in range(size)]
    root, paths = tree(leaves)
    assert max(len(p) for p in paths) <= 6 * HASH_LEN
    for i, (leaf, path) in enumerate(zip(leaves, paths)):
        assert root_of(leaf, i, size, path) == root
        assert root_of(leaf, i, size, path + b"x" * HASH_LEN) is None  # a path of the wrong length
        if size > 1:
            assert root_of(leaf, (i + 1) % size, size, path) != root  # the same leaf at another place
            assert root_of(b"y" * HASH_LEN, i, size, path) != root


def test_queued_texts_are_cut_by_count_and_by_bytes() -> None:
    assert [len(b) for b in split(["x"] * 130)] == [64, 64, 2]
    big = "y" * (BATCH_TEXT_BYTES // 2)
    assert [len(b) for b in split([big, big, big, "z" * (BATCH_TEXT_BYTES + 5)])] == [2, 1, 1]


def test_a_lone_message_goes_at_once_as_a_plain_say_and_a_queue_as_batches() -> None:
    c = conv()
    c.queue("alone")
    frames = c.flush(0.0, connected=True)
    assert [decode(f)["k"] for f in frames] == ["say"]
    for i in range(70):
        c.queue(f"m{i}")
    frames = [decode(f) for f in c.flush(0.0, connected=True)]
    assert [(f["k"], f["first"], len(f["texts"])) for f in frames] == [("says", 2, 64), ("says", 66, 6)]
    assert len(c.outbox) == 71


def test_a_relayed_batch_is_checked_once_and_shown_in_order() -> None:
    packet, _ = relayed(["a", "b", "c"])
    me = conv()
    assert shown(me.receive([packet], now=0.0)) == ["a", "b", "c"]
    assert [chat["seq"] for chat in me.recent] == [1, 2, 3] and all(chat["path"] for chat in me.recent)


@pytest.mark.parametrize("tamper", [
    lambda t: ["a", "B", "c", "d"],          # altered
    lambda t: ["a", "b", "d"],               # dropped (the rest moves up a seq)
    lambda t: ["a", "b", "c", "d", "e"],     # added
    lambda t: ["b", "a", "c", "d"],          # reordered
])
def test_a_batch_the_host_tampered_with_is_refused_whole_and_reported_once(tamper) -> None:
    packet, kept = relayed(["a", "b", "c", "d"])
    bad = {**packet, "texts": tamper(packet["texts"])}
    me = conv()
    events = me.receive([bad, bad], now=0.0)
    assert shown(events) == [] and forged(events) == 1
    me.announce({ALICE: 4}, now=0.0)
    gap = me.gaps(now=1.0)[0]
    assert (gap.first, gap.last) == (1, 4)  # every seq of the batch is fetched again
    assert shown(me.fetched(kept[1:3], now=1.1)) == [] and shown(me.fetched(kept[:1], now=1.2)) == ["a", "b", "c"]


def test_part_of_a_batch_fetched_alone_is_checked_through_its_paths() -> None:
    """A gap fetch of seqs 2..3 of a batch of 5: each message carries its path, so the receiver
    checks them without the rest; an altered one fails alone."""
    _, kept = relayed(["a", "b", "c", "d", "e"])
    history = decode(encode("history", messages=kept[1:3]))["messages"]
    me = conv()
    me.welcome([], {ALICE: 1}, now=0.0, first=True)  # alice's first message is history to us
    assert shown(me.fetched(history, now=0.0)) == ["b", "c"]
    altered = {**decode(encode("history", messages=kept[3:4]))["messages"][0], "text": "D"}
    events = me.fetched([altered], now=0.1)
    assert shown(events) == [] and forged(events) == 1
    assert shown(me.fetched(kept[3:], now=0.2)) == ["d", "e"]


def test_a_message_moved_to_another_place_of_its_batch_fails() -> None:
    _, kept = relayed(["a", "b", "c", "d"])
    moved = {**kept[1], "seq": 3}  # b's path and text, claimed as message 3
    me = conv()
    assert forged(me.receive([moved], now=0.0)) == 1


def test_our_own_batch_echoed_confirms_it_and_restore_rebuilds_it_whole() -> None:
    me = conv()
    for text in ("x", "y", "z"):
        me.queue(text)
    says = decode(me.flush(0.0, connected=True)[0])
    state = HostState(ROOM, "h", 0, 1.0, Limits(rate_per_s=0), now=0.0)
    state.register(ME, "ME", A, key_text(ME_KEY.public), now=0.0)
    kept = state.accept_batch(ME, A, says["first"], says["texts"], 5.0, 1.0, sig=says["sig"])
    echo = decode(encode("chats", **chats_fields(kept)))
    with pytest.MonkeyPatch.context() as patch:  # the tree signed is the tree of the echo: not hashed again
        patch.setattr(conversation, "batch_tree", lambda *a: pytest.fail("our own batch was hashed again"))
        assert [e.own for e in me.receive([echo], now=0.1) if isinstance(e, Message)] == [True] * 3
    assert len(me.outbox) == 0
    assert me.restore(relayed=1) == 3  # a new host that relayed only our first: the batch goes again whole
    again = decode(me.outbox.due(1.0, everything=True)[0])
    assert (again["k"], again["first"], again["texts"], again["sig"]) == ("says", 1, ["x", "y", "z"], says["sig"])


def test_the_host_keeps_each_message_with_its_path_and_a_resend_is_the_same_batch() -> None:
    state = host()
    packet, kept = relayed(["a", "b"], state)
    assert [c["seq"] for c in state.backlog()] == [1, 2] and state.marks() == {ALICE: 2}
    again = state.accept_batch(ALICE, A, 1, ["a", "b"], 9.0, 2.0, sig=packet["sig"])
    assert again == kept and len(state.backlog()) == 2
    assert state.history(ALICE, 2, 2) == kept[1:]


def test_a_batch_takes_one_turn_and_counts_its_messages_against_the_credit() -> None:
    share = FairShare(credit=64)
    share.offer("flood", 1.0, b"batch-1", 64)
    share.offer("flood", 2.0, b"batch-2", 64)
    share.offer("quiet", 3.0, b"one", 1)
    assert share.serve(0.0) == [b"batch-1"]  # 64 in flight: the credit is spent
    share.show(1.0)
    assert share.serve(0.1) == [b"one", b"batch-2"]  # the quiet address's turn comes before the flood's next batch
    assert share.serve(0.2) == []  # 65 in flight


def test_a_digest_is_still_the_hash_of_the_length_prefixed_fields() -> None:
    """chat_digest encodes the sender's fixed fields once; what it hashes must not change."""
    import hashlib

    from zp2p_gui.core.signing import _fields, chat_digest

    for fields in (("lobby", ALICE, "ALICE", 7, "héllo 👋"), ("r", "x" * 24, "n", 2**40, "")):
        assert chat_digest(*fields) == hashlib.blake2b(_fields(*fields), digest_size=32).digest()


def test_a_batch_spends_a_token_per_message_and_one_larger_than_the_burst_still_passes() -> None:
    state = HostState(ROOM, "h", 0, 1.0, Limits(rate_per_s=5, rate_burst=10), now=0.0)
    state.register(ALICE, "ALICE", A, key_text(ALICE_KEY.public), now=0.0)
    texts = [f"m{i}" for i in range(20)]
    assert len(state.accept_batch(ALICE, A, 1, texts, 1.0, now=0.0, sig="s" * 88)) == 20  # a full bucket: the burst
    with pytest.raises(Exception, match="too fast"):
        state.accept_batch(ALICE, A, 21, texts[:3], 1.0, now=0.1, sig="s" * 88)
    assert len(state.accept_batch(ALICE, A, 21, texts[:3], 1.0, now=1.0, sig="s" * 88)) == 3  # 5 tokens back


def test_the_hosts_display_takes_its_relays_tree_once_and_only_for_the_same_batch(monkeypatch) -> None:
    me = conv()
    trees = me.trees
    packet, kept = relayed(["a", "b", "c"], host(trees))
    bad = {**packet, "texts": ["a", "B", "c"]}  # what the relay hashed, but another text came
    assert forged(me.receive([bad], now=0.0)) == 1  # hashed here, and its signature fails
    packet, kept = relayed(["d", "e"], host(trees))
    monkeypatch.setattr(conversation, "batch_tree", lambda *a: pytest.fail("the relay's tree was not used"))
    assert shown(me.receive([packet], now=0.0)) == ["d", "e"]
    assert [chat["path"] for chat in me.recent] == [chat["path"] for chat in kept]


def test_a_relayed_tree_is_kept_for_one_equal_batch_and_bounded() -> None:
    trees = BatchTrees(most=2)
    packet = {"sender": ALICE, "nick": "ALICE", "first": 1, "sig": "s", "texts": ["a", "b"]}
    root, paths = batch_tree(ROOM, ALICE, "ALICE", 1, ["a", "b"])
    trees.add(ROOM, ALICE, "ALICE", 1, "s", ["a", "b"], root, paths)
    assert trees.take("other room", packet) is None and trees.take(ROOM, packet) is None  # taken (and refused) once
    for first in (1, 3, 5):
        trees.add(ROOM, ALICE, "ALICE", first, "s", ["a", "b"], root, paths)
    assert trees.take(ROOM, packet) is None  # the oldest went
    assert trees.take(ROOM, {**packet, "first": 3}) == (root, paths)
    assert trees.take(ROOM, {**packet, "first": 5, "nick": "MALLORY"}) is None


def test_a_path_travels_as_standard_base64() -> None:
    path = bytes(range(6 * HASH_LEN))
    assert path_text(path) == base64.b64encode(path).decode() and path_bytes(path_text(path)) == path
