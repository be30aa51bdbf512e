"""The engine's welcome handling fed directly (no sockets): a re-welcome from our own room keeps
the messages still queued for us; a foreign host's welcome (a merge) does not replay its past."""

from __future__ import annotations

from pathlib import Path

from zp2p_gui.core.signing import Sealer, key_text, new_node_id
from zp2p_gui.core.sodium import SigningKey
from zp2p_gui.net.messages import Packets

from .test_node_state import HOST, _member_of, joining_node, member

SECRETS = {nick: SigningKey.generate() for nick in ("bea", "zed")}
KEYS = {nick: key_text(secret.public) for nick, secret in SECRETS.items()}
IDS = {nick: new_node_id(key) for nick, key in KEYS.items()}


def signed_member(nick: str, addr: str, host: bool = False) -> dict:
    return {**member(IDS[nick], nick, addr, host), "key": KEYS[nick]}


def chats(nick: str, first: int, last: int) -> list[dict]:
    """nick's relayed messages first..last, signed by nick: members check every signature."""
    sealer = Sealer(SECRETS[nick], "lobby", IDS[nick], nick)
    return [{"k": "chat", "sender": IDS[nick], "nick": nick, "addr": "127.0.0.3", "seq": s, "text": f"t{s}",
             "ts": 1.0, "key": KEYS[nick], "sig": sealer.sign(s, f"t{s}")} for s in range(first, last + 1)]


def welcome(host_id: str, members: list[dict], backlog: list[dict], marks: dict[str, int]) -> dict:
    return {"k": "welcome", "host_id": host_id, "term": 0, "epoch": 1.0, "version": 3, "members": members,
            "backlog": [{k: v for k, v in c.items() if k != "k"} for c in backlog], "marks": marks}


def test_the_hosts_welcome_after_our_freeze_comes_before_the_queued_messages_and_loses_none(tmp_path: Path) -> None:
    node, events = joining_node(tmp_path)
    bea = signed_member("bea", "127.0.0.3")
    _member_of(node, bea)
    queued = chats("bea", 1, 3000)  # bea spoke only while we were frozen
    me = member(node.node_id, "amy", "127.0.0.2")
    node._on_welcome(welcome("h", [member("h", "hal", HOST, host=True), bea, me], queued[2800:],
                             {IDS["bea"]: 3000}))
    node._on_packets(Packets(HOST, tuple(queued)))
    assert [e.id for e in events if e.name == "message"] == [f"{IDS['bea']}:{s}" for s in range(1, 3001)]
    assert not [e for e in events if e.name in ("gap", "error")]


def test_a_foreign_hosts_welcome_starts_its_senders_at_its_backlog(tmp_path: Path) -> None:
    node, events = joining_node(tmp_path)
    _member_of(node)
    zed = signed_member("zed", "127.0.0.4", host=True)
    node._on_welcome(welcome(IDS["zed"], [zed, member(node.node_id, "amy", "127.0.0.2")], chats("zed", 41, 50),
                             {IDS["zed"]: 50}))
    assert [e.id for e in events if e.name == "message"] == [f"{IDS['zed']}:{s}" for s in range(41, 51)]
    assert not node._chat.pending()
