"""Child process of test_refcount.py: every kind of engine event, many times, from an engine-style
QThread through the real Session/EventBridge into a real (offscreen) MainWindow; prints one JSON
line with the refcounts of True, False and None before and after.

A child, because the bug this guards against (PySide6 6.12.0 dropping a reference to True or None
on every Signal.emit with a Python object) ends in an interpreter abort, not an exception: the
parent sees the abort as a return code and the "Fatal Python error" in stderr.

    python -m tests.gui.bridge_load ROUNDS DATA_DIR
"""

from __future__ import annotations

import gc
import json
import sys
import time
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QEventLoop

from zp2p_gui.cli import build_parser
from zp2p_gui.core import events as ev
from zp2p_gui.core.errors import Code
from zp2p_gui.history import FILE_NAME, HistoryStore
from zp2p_gui.ui import settings as prefs_store
from zp2p_gui.ui.app import create_app
from zp2p_gui.ui.main_window import MainWindow
from zp2p_gui.ui.paths import AppPaths
from zp2p_gui.ui.transfers import KEEP_FINISHED
from zp2p_gui.ui.workers import QtSpawner

DEADLINE_S = 60.0  # far beyond a healthy run (a few seconds); a stuck event loop ends the child
HOST, PEER = "127.0.3.2", "127.0.3.3"  # only text in events: the window is never connected
# First use of every path allocates caches, and each round's two file transfers leave a row (which
# holds its direction, True or False) until KEEP_FINISHED are kept: measure from the steady state.
WARM_ROUNDS = KEEP_FINISHED


def every_event_class() -> set[type[ev.Event]]:
    """All concrete event classes, so a new kind added to events.py cannot escape the test."""
    found, todo = set(), [ev.Event]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            found.add(sub)
            todo.append(sub)
    return found


def one_round(i: int) -> list[ev.Event]:
    """A connect-chat-failover-leave cycle with realistic fields: member tuples with host flags,
    bools both ways, None and a Cause for the optional cause, departures of both kinds."""
    now = time.time()
    alice = ev.Member(node_id="a1" * 8, nick="alice", addr=HOST, host=True, joined=now - 60)
    bob = ev.Member(node_id="b2" * 8, nick="bob", addr=PEER, host=False, joined=now, key="ab" * 16)
    carol = ev.Member(node_id="c3" * 8, nick="carol", addr="127.0.3.4", host=False, joined=now, key="")
    messages = [ev.Message(id=f"{bob.node_id}:{i}-{k}", sender=bob.node_id, nick="bob", addr=PEER,
                           text=f"line {k} of round {i} https://example.org/{k}", ts=now, own=k % 2 == 0,
                           history=k == 3) for k in range(4)]
    return [
        ev.Searching(ranges=("127.0.3.0/24",)),
        ev.Joined(host=HOST, users=(alice, bob)) if i % 2 else ev.Hosting(host=HOST),
        ev.Presence(users=(alice, bob, carol)),
        *messages,
        ev.Gap(sender=bob.node_id, nick="bob" if i % 2 else "", count=1 + i % 3, first=10, last=10 + i % 3),
        ev.Direct(id=f"dm-{i}", key=bob.key, nick="bob", text=f"private line of round {i}", ts=now),
        ev.Queued(id=f"dm-{i}", to="bob", key=bob.key),
        ev.Delivered(id=f"dm-{i}", to="bob", key=bob.key),
        ev.ReadMark(id=f"dm-{i}", by="bob", key=bob.key),
        ev.Rtt(ms=0.25 + i % 7),
        ev.Presence(users=(alice, bob), gone=(ev.Gone(carol.node_id, "carol", ev.Departure.LOST),)),
        ev.KeyChanged(detail="bob has another key", nick="bob", old="ab" * 16, new="cd" * 16),
        ev.Forged(detail="dropped a message claiming to be from bob", sender=bob.node_id, nick="bob"),
        ev.Reconnecting(reason="host crashed", cause=ev.Cause.HOST_CRASHED if i % 2 else None,
                        host=HOST, host_nick="alice" if i % 3 else ""),
        ev.HostChanged(host=PEER, nick="bob" if i % 2 else ""),
        ev.Presence(users=(bob,), gone=(ev.Gone(alice.node_id, "alice", ev.Departure.LEFT),)),
        ev.LegacyHost(host=PEER),
        ev.Error(code=Code.RATE_LIMITED.value, detail="slow down", fatal=False),
        ev.Error(code=Code.ROOM_FULL.value, detail="the room is full", fatal=True) if i % 5 == 0 else ev.Rtt(ms=1.0),
        ev.Offer(id=f"in-{i}", key=bob.key, nick="bob", filename=f"photos {i}", size=10_000 + i, files=1 + i % 3),
        ev.OfferSent(id=f"out-{i}", key=bob.key, nick="bob", filename="notes.txt", size=i, files=1,
                     path="/home/alice/notes.txt"),
        ev.Progress(id=f"in-{i}", bytes=5_000, size=10_000 + i, rate=1e6 if i % 2 else 0.0),
        ev.TransferDone(id=f"in-{i}", key=bob.key, nick="bob", path=f"/downloads/photos {i}", size=10_000 + i,
                        hash="00" * 32, hash_alg="sha256", resumed_from=i % 2 * 100, incoming=True),
        ev.TransferFailed(id=f"out-{i}", key=bob.key, nick="bob", code=Code.DECLINED.value, detail="declined",
                          incoming=False),
        ev.Left(),
    ]


def refcounts() -> list[int]:
    gc.collect()
    return [sys.getrefcount(x) for x in (True, False, None)]


def main(rounds: int, data_dir: Path) -> int:
    app = create_app(sys.argv[:1])
    args = build_parser().parse_args(["--nick", "alice", "--data-dir", str(data_dir)])
    paths = AppPaths.resolve(args.data_dir)
    history = HistoryStore(paths.data / FILE_NAME)
    window = MainWindow(args, prefs_store.open_settings(paths.settings_file), history)
    window.show()
    received: list[int] = [0]
    window.session.event.connect(lambda _event: received.__setitem__(0, received[0] + 1))
    # The bridge is what the engine talks to; the test stands in for the engine's thread.
    publish = window.session._bridge.publisher(window.session._generation)
    kinds = {type(e) for e in one_round(0) + one_round(1)}

    def emit(first: int, last: int) -> int:
        sent = 0
        for i in range(first, last):
            for event in one_round(i):
                publish(event)
                sent += 1
        return sent

    def deliver(count: int) -> None:
        end = time.monotonic() + DEADLINE_S
        while received[0] < count and time.monotonic() < end:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)

    warm = emit(0, WARM_ROUNDS)
    deliver(warm)
    before = refcounts()
    spawner = QtSpawner()
    sent = [0]
    spawner("load", lambda: sent.__setitem__(0, emit(WARM_ROUNDS, rounds + WARM_ROUNDS)))
    spawner.wait_all(DEADLINE_S)
    deliver(warm + sent[0])
    after = refcounts()
    window.close()
    history.close()
    print(json.dumps({"pyside": pyside_version, "emitted": warm + sent[0], "received": received[0],
                      "before": before, "after": after,
                      "missing_kinds": sorted(c.__name__ for c in every_event_class() - kinds)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), Path(sys.argv[2])))
