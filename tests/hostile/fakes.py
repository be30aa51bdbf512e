"""A hostile "host" for tests: a beacon on a loopback address that says whatever the test wants,
and optionally a registry that takes requests and never answers (a host too busy to register
anyone, or a decoy with nothing behind its beacon). It lives in a thread of the test process,
beacons at most `lifetime` seconds and closes its sockets when stopped."""

from __future__ import annotations

import threading
import time
from typing import Any

import zmq

from zp2p_gui.core.codec import beacon_frames

PERIOD = 0.1


def open_desc(host_id: str = "f00dfeedf00dfeed", **claims: Any) -> dict[str, Any]:
    """The beacon of an open room "lobby" (the harness's room), with the given claims on top."""
    return {"room": "lobby", "room_id": "lobby", "host_id": host_id, "nick": "fake", "epoch": time.time(),
            "term": 0, "secure": False, "members": 1, "after": [], **claims}


class FakeHost:
    def __init__(self, ip: str, port: int, desc: dict[str, Any], registry: bool = False,
                 lifetime: float = 60.0) -> None:
        self.ip = ip
        self.port = port
        self.desc = desc
        self.registry = registry
        self.lifetime = lifetime
        self._stop = threading.Event()
        self._bound = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fake-host", daemon=True)

    def __enter__(self) -> "FakeHost":
        self._thread.start()
        assert self._bound.wait(5), "the fake host could not bind"
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        ctx = zmq.Context()
        sockets = [ctx.socket(zmq.PUB)]
        if self.registry:
            sockets.append(ctx.socket(zmq.REP))  # bound, never read: every request times out
        try:
            for offset, sock in enumerate(sockets):
                sock.setsockopt(zmq.LINGER, 0)
                sock.bind(f"tcp://{self.ip}:{self.port + offset}")
            self._bound.set()
            end = time.monotonic() + self.lifetime
            while not self._stop.wait(PERIOD) and time.monotonic() < end:
                sockets[0].send_multipart(beacon_frames(self.ip, **self.desc))
        finally:
            for sock in sockets:
                sock.close(0)
            ctx.term()
