"""Real headless nodes as subprocesses on 127.x.y.z, with bounded waits and guaranteed clean-up."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
Event = dict[str, Any]


class HeadlessNode:
    def __init__(self, nick: str, ip: str, args: list[str], env: dict[str, str]) -> None:
        self.nick = nick
        self.ip = ip
        self.events: list[Event] = []
        self.started = time.time()
        self._new = threading.Condition()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "zp2p_gui", "--headless", "--nick", nick, "--bind", ip, *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env,
            text=True, encoding="utf-8", bufsize=1,
        )
        self.stderr: list[str] = []
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read_stdout(self) -> None:
        for line in self.proc.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                event = {"event": "_bad_stdout", "line": line}
            with self._new:
                self.events.append(event)
                self._new.notify_all()

    def _read_stderr(self) -> None:
        for line in self.proc.stderr:
            self.stderr.append(line)

    def wait_for(self, pred: Callable[[Event], bool], timeout: float = 10.0, after: int = 0) -> Event:
        """The first event (from index `after`) matching pred; fails the test with the log otherwise."""
        end = time.monotonic() + timeout
        with self._new:
            while True:
                for event in self.events[after:]:
                    if pred(event):
                        return event
                left = end - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{self.nick}: no matching event within {timeout}s\n{self.log()}")
                self._new.wait(min(left, 0.1))

    def wait_event(self, name: str, timeout: float = 10.0, after: int = 0, **match: Any) -> Event:
        return self.wait_for(lambda e: e["event"] == name and all(e.get(k) == v for k, v in match.items()),
                             timeout, after)

    def messages(self) -> list[Event]:
        return [e for e in self.events if e["event"] == "message"]

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

    def say(self, text: str) -> None:
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def quit(self, timeout: float = 10.0) -> int:
        try:
            self.say("/quit")
        except (BrokenPipeError, OSError):
            pass
        return self.proc.wait(timeout)

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)

    def log(self) -> str:
        lines = [json.dumps(e, ensure_ascii=False)[:300] for e in self.events[-60:]]
        return f"--- events of {self.nick} ({self.ip})\n" + "\n".join(lines) + \
            f"\n--- stderr of {self.nick}\n" + "".join(self.stderr[-40:])


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

    def start(self, nick: str, n: int, *extra: str, window: float = 0.5, port: int | None = None,
              scan: bool = True) -> HeadlessNode:
        args = ["--port", str(port or self.port), "--discovery-window", str(window)]
        if scan:
            args += ["--scan", self.scan]
        data_dir = tempfile.mkdtemp(prefix=f"zp2p-{nick.encode('ascii', 'replace').decode()}-", dir=self.tmp.name)
        node = HeadlessNode(nick, self.ip(n), [*args, "--data-dir", data_dir, *extra], self.env)
        self.nodes.append(node)
        return node

    def logs(self) -> str:
        return "\n".join(node.log() for node in self.nodes)

    def __enter__(self) -> "Room":
        return self

    def __exit__(self, *exc: object) -> None:
        for node in self.nodes:
            if node.proc.poll() is None:
                node.proc.kill()
        for node in self.nodes:
            try:
                node.proc.wait(5)
            except subprocess.TimeoutExpired:
                pass
            for stream in (node.proc.stdin, node.proc.stdout, node.proc.stderr):
                try:
                    stream.close()
                except OSError:
                    pass
        self.tmp.cleanup()
