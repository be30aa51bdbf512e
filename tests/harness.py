"""Real headless nodes as subprocesses on 127.x.y.z, with bounded waits and guaranteed clean-up."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from zp2p_gui import PROTOCOL_VERSION
from zp2p_gui.bench.runner import BenchError, Event, Node
from zp2p_gui.core.codec import encode
from zp2p_gui.core.config import Timings
from zp2p_gui.core.signing import key_text, new_node_id, sign_registration
from zp2p_gui.core.sodium import SigningKey

ROOT = Path(__file__).resolve().parent.parent


FIRST_WINDOW_S = 0.5  # the discovery window of a room's first node (see Room.start)
WAIT_S = 30.0  # a wait's default upper bound: a passphrase room's first key derivation took >10 s at a load of 9


class HeadlessNode(Node):
    """The benchmark's child-process node, with its stderr kept and failures that print the logs."""

    def __init__(self, nick: str, ip: str | None, args: list[str], env: dict[str, str],
                 wrapper: tuple[str, ...] = ()) -> None:
        super().__init__(nick, ip, args, env, capture_stderr=True, wrapper=wrapper)

    def wait_for(self, pred: Callable[[Event], bool], timeout: float = WAIT_S, after: int = 0) -> Event:
        """The first event (from index `after`) matching pred; fails the test with the log otherwise."""
        try:
            return super().wait_for(pred, timeout, after)
        except BenchError:
            raise AssertionError(f"{self.nick}: no matching event within {timeout}s\n{self.log()}") from None

    def wait_event(self, name: str, timeout: float = WAIT_S, after: int = 0, **match: Any) -> Event:
        return self.wait_for(lambda e: e["event"] == name and all(e.get(k) == v for k, v in match.items()),
                             timeout, after)

    def texts(self) -> list[str]:
        return [e["text"] for e in self.messages()]

    def users(self) -> list[str]:
        """Nicks of the latest member list this node reported."""
        for event in reversed(self.events):
            if event["event"] in ("presence", "joined"):
                return sorted(u["nick"] for u in event["users"])
        return []

    def wait_users(self, nicks: list[str], timeout: float = 10.0) -> None:
        end = time.monotonic() + timeout
        while sorted(nicks) != self.users():
            if time.monotonic() > end:
                raise AssertionError(f"{self.nick}: users {self.users()} != {sorted(nicks)}\n{self.log()}")
            time.sleep(0.05)

    def wait_log(self, text: str, timeout: float = 10.0) -> None:
        """Until a line of the node's stderr log contains text: what the node did but does not emit."""
        end = time.monotonic() + timeout
        while not any(text in line for line in list(self.stderr)):
            if time.monotonic() > end:
                raise AssertionError(f"{self.nick}: no log line with {text!r} within {timeout}s\n{self.log()}")
            time.sleep(0.05)

    def exit_code(self, timeout: float = WAIT_S) -> int:
        """The process's exit status; a node still running after timeout fails the test with its log
        (a bare TimeoutExpired said nothing of where it stood)."""
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"{self.nick}: still running after {timeout}s\n{self.log()}") from None

    def quit(self, timeout: float = 10.0) -> int:
        try:
            self.say("/quit")
        except (BrokenPipeError, OSError):
            pass
        return self.proc.wait(timeout)

    def kill(self, sig: int = signal.SIGKILL) -> None:
        self.signal(sig)

    def log(self) -> str:
        lines = [json.dumps(e, ensure_ascii=False)[:300] for e in self.events[-60:]]
        return f"--- events of {self.nick} ({self.ip})\n" + "\n".join(lines) + \
            f"\n--- stderr of {self.nick}\n" + "".join(self.stderr[-40:])


def hosts_followed(nodes: list[HeadlessNode]) -> set[str]:
    """The host each node currently follows, from its latest hosting/joined/host_changed event."""
    seen = set()
    for node in nodes:
        for event in reversed(node.events):
            if event["event"] == "hosting":
                seen.add(node.ip)
                break
            if event["event"] in ("joined", "host_changed"):
                seen.add(event["host"])
                break
    return seen


class Room:
    """Starts nodes on one private subnet and port; kills every process on exit."""

    def __init__(self, subnet: str, port: int, name: str = "") -> None:
        self.subnet = subnet
        self.port = port
        self.name = name
        self.nodes: list[HeadlessNode] = []
        self.env = {**os.environ, "ZP2P_ALLOWED_NETS": "127.0.0.0/8", "PYTHONUNBUFFERED": "1"}
        self.tmp = tempfile.TemporaryDirectory(prefix="zp2p-room-")

    def ip(self, n: int) -> str:
        return f"{self.subnet}.{n}"

    @property
    def scan(self) -> str:
        return f"{self.subnet}.0/24"

    def start(self, nick: str, n: int, *extra: str, window: float | None = None, port: int | None = None,
              scan: bool = True, wrapper: tuple[str, ...] = ()) -> HeadlessNode:
        """window: the discovery window. By default the room's first node, which has nobody to
        find, waits FIRST_WINDOW_S; later ones wait the app's own default, since a joiner that
        hears the host's beacon joins at once and only a loaded machine's late beacon (once past
        half a second, making a joiner host and merge) would use the rest."""
        if window is None:
            window = FIRST_WINDOW_S if not self.nodes else Timings().discovery_window
        args = ["--port", str(port or self.port), "--discovery-window", str(window)]
        if scan:
            args += ["--scan", self.scan]
        data_dir = tempfile.mkdtemp(prefix=f"zp2p-{nick.encode('ascii', 'replace').decode()}-", dir=self.tmp.name)
        node = HeadlessNode(nick, self.ip(n), [*args, "--data-dir", data_dir, *extra], self.env, wrapper)
        self.nodes.append(node)
        return node

    def host_and_member(self, host: str = "alice", member: str = "bob") -> tuple[HeadlessNode, HeadlessNode]:
        """A room of two that both see: the host on .2, the member on .3."""
        first = self.start(host, 2)
        first.wait_event("hosting")
        second = self.start(member, 3)
        second.wait_event("joined")
        first.wait_users(sorted([host, member]))
        return first, second

    def logs(self) -> str:
        return "\n".join(node.log() for node in self.nodes)

    def __enter__(self) -> "Room":
        return self

    def __exit__(self, *exc: object) -> None:
        for node in self.nodes:
            node.close()
        self.tmp.cleanup()


def registration(nick: str, host: str, addr: str, secret: SigningKey | None = None, room: str = "lobby") -> bytes:
    """A well-formed `register` sent from addr to the registry at host, signed by secret (by
    default a new identity), with a node id bound to its key: what an honest client sends."""
    secret = secret or SigningKey.generate()
    key = key_text(secret.public)
    node_id = new_node_id(key)
    return encode("register", node_id=node_id, nick=nick, room=room, proto=PROTOCOL_VERSION, key=key,
                  proof=sign_registration(secret, room, host, node_id, nick, addr))
