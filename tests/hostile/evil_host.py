"""A hostile host for the hostile tests: the real host roles (beacon, host actor) with a relay part
that rewrites "yes" to "NO" in the chats it publishes and, once alice says "bait", publishes two
messages under her node id (one claiming her key, one its own). In a batch (`chats`) it rewrites
the one message with "yes" the same way; and it keeps a message with "never" altered in its
backlog (so it is published and handed out altered: that one cannot be repaired). Loopback only; it stops by itself after SECONDS or when its stdin
closes, and prints JSON lines (`ready`, `injected`, `altered`).

    python -m tests.hostile.evil_host IP PORT SECONDS
"""

from __future__ import annotations

import json
import sys
import threading
import time
from typing import Any

import zmq

from zp2p_gui.core import signing
from zp2p_gui.core.batches import HEADER
from zp2p_gui.core.codec import decode, encode
from zp2p_gui.core.config import Limits, Timings
from zp2p_gui.core.room import HostState
from zp2p_gui.core.sodium import SigningKey
from zp2p_gui.core.validation import check_ip
from zp2p_gui.net.beacon import Beacon
from zp2p_gui.net.host import Host
from zp2p_gui.net.relay import Relay
from zp2p_gui.net.roles import Roles, spawn_thread

ROOM = "lobby"
MALLORY = SigningKey.generate()


def say(event: str, **fields: Any) -> None:
    print(json.dumps({"event": event, "t": time.time(), **fields}), flush=True)


def forgeries(bait: dict[str, Any]) -> list[dict[str, Any]]:
    """alice's next two messages as the host would like them: signed by the host's key, once
    claiming alice's key and once its own (neither may show)."""
    mallory_key = signing.key_text(MALLORY.public)
    out = []
    for seq, key in ((bait["seq"] + 1, bait["key"]), (bait["seq"] + 2, mallory_key)):
        text = f"forged as alice {seq}"
        sig = signing.sign_chat(MALLORY, ROOM, bait["sender"], bait["nick"], seq, text)
        out.append({**bait, "seq": seq, "text": text, "key": key, "sig": sig})
    return out


class EvilRelay(Relay):
    """Relays every message, altered where it likes, and invents alice's next ones once."""

    injected = False

    def _publish(self, data: bytes) -> None:
        msg = decode(data)
        kind = msg.pop("k")
        if kind == "chats":
            super()._publish(self._alter_batch(msg))
            for seq, text in enumerate(msg["texts"], start=msg["first"]):
                self._inject_after({**{name: msg[name] for name in HEADER}, "seq": seq, "text": text})
            return
        if kind != "chat":
            return super()._publish(data)
        if "yes" in msg["text"]:
            data = encode("chat", **{**msg, "text": msg["text"].replace("yes", "NO")})
        super()._publish(data)
        self._inject_after(msg)

    def _inject_after(self, msg: dict[str, Any]) -> None:
        if msg["nick"] == "alice" and msg["text"] == "bait" and not self.injected:
            self.injected = True
            for chat in forgeries(msg):
                super()._publish(encode("chat", **chat))
            say("injected", sender=msg["sender"])

    def _alter_batch(self, msg: dict[str, Any]) -> bytes:
        """One message of the batch altered on the wire."""
        texts = [t.replace("yes", "NO") for t in msg["texts"]]
        for seq, (old, new) in enumerate(zip(msg["texts"], texts), start=msg["first"]):
            if old != new or "always" in old:
                say("altered", kind="chats", seq=seq, size=len(texts))
        return encode("chats", **{**msg, "texts": texts})


class EvilState(HostState):
    """Keeps a message with "never" in it altered, as if it had been said so."""

    def accept_batch(self, *args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        chats = super().accept_batch(*args, **kwargs)
        for chat in chats:
            chat["text"] = chat["text"].replace("never", "always")
        return chats


class EvilHost(Host):
    """The real host actor, its relay part swapped for EvilRelay (the registry announces joins through it)."""

    def __init__(self, ctx: zmq.Context, ip: str, ports: tuple[int, int, int], state: HostState, timings: Timings,
                 limits: Limits) -> None:
        super().__init__(ctx, lambda _: None, ip, ports, state, timings, limits)
        self.relay = EvilRelay(ip, ports[1], ports[2], state, timings, limits)
        self.registry.on_join = self.relay.publish_roster


def main(ip: str, port: int, seconds: float) -> None:
    ip = check_ip(ip)
    assert ip.startswith("127."), "loopback only"
    ctx = zmq.Context.instance()
    limits, timings = Limits(), Timings()
    host_id = signing.new_node_id(signing.key_text(MALLORY.public))
    epoch = time.time()
    state = EvilState(ROOM, host_id, 0, epoch, limits)
    desc = {"room": ROOM, "room_id": ROOM, "host_id": host_id, "nick": "mallory", "epoch": epoch, "term": 0,
            "secure": False, "members": 0}
    roles = Roles(spawn_thread)
    actors = [Beacon(ctx, lambda _: None, ip, port, desc, timings.beacon_period, limits),
              EvilHost(ctx, ip, (port + 1, port + 2, port + 3), state, timings, limits)]
    for actor in actors:
        roles.start(actor)
    try:
        if all(actor.ready.wait(3.0) and not actor.failure for actor in actors):
            say("ready", host_id=host_id)
            stdin_closed = threading.Thread(target=sys.stdin.read, daemon=True)
            stdin_closed.start()
            stdin_closed.join(seconds)
    finally:
        roles.stop_all()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3]))
