"""Child process of test_window_leaks.py: a background window in a busy, churning room — messages
that count as unread (the tray icon's count) and a member who keeps leaving and coming back
(member list rebuilds, the narrator's wait for a return) — printing one JSON line with the
refcount of None and the QObject count after a warm-up and after the load.

A child, so the figures are this load's alone, not those of whatever ran before in pytest.

    python -m tests.gui.churn_load ROUNDS DATA_DIR
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QEventLoop, QObject
from PySide6.QtWidgets import QApplication

from zp2p_gui.cli import build_parser
from zp2p_gui.core import events as ev
from zp2p_gui.history import FILE_NAME, HistoryStore
from zp2p_gui.ui import settings as prefs_store
from zp2p_gui.ui.app import create_app
from zp2p_gui.ui.main_window import MainWindow
from zp2p_gui.ui.paths import AppPaths

WARM_ROUNDS = 100  # first use of every path creates caches and PySide's lazy types
HOST, PEER = "127.0.3.2", "127.0.3.3"  # only text in events: the window is never connected


def one_round(i: int) -> list[ev.Event]:
    """Bob leaves and comes back (a flickering member list), and carol says something."""
    now = time.time()
    alice = ev.Member(node_id="a1" * 8, nick="alice", addr=HOST, host=True, joined=now - 60)
    bob = ev.Member(node_id="b2" * 8, nick="bob", addr=PEER, host=False, joined=now, key="ab" * 16)
    return [ev.Presence(users=(alice,)), ev.Presence(users=(alice, bob)),
            ev.Message(id=f"c3:{i}", sender="c3" * 8, nick="carol", addr=PEER, text=f"line {i}", ts=now)]


def figures(app: QApplication, window: MainWindow) -> dict[str, int]:
    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    gc.collect()
    return {"none": sys.getrefcount(None), "qobjects": len(window.findChildren(QObject)),
            "widgets": len(QApplication.allWidgets()), "unread": window.notifier.unread,
            "rss_kb": int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024}


def background_window(data_dir: Path) -> tuple[QApplication, MainWindow, HistoryStore]:
    """alice's window hosting a room, never shown: in the background."""
    app = create_app(sys.argv[:1])
    args = build_parser().parse_args(["--nick", "alice", "--data-dir", str(data_dir)])
    paths = AppPaths.resolve(args.data_dir)
    history = HistoryStore(paths.data / FILE_NAME)
    window = MainWindow(args, prefs_store.open_settings(paths.settings_file), history)
    window.on_event(ev.Hosting(host=HOST))
    return app, window, history


def measured(app: QApplication, window: MainWindow, round_of: Callable[[int], list[ev.Event]], warm_rounds: int,
             rounds: int) -> dict[str, Any]:
    """The figures after `warm_rounds` rounds of events and after `rounds` more."""

    def load(first: int, last: int) -> None:
        for i in range(first, last):
            for event in round_of(i):
                window.on_event(event)
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 0)

    load(0, warm_rounds)
    figures(app, window)  # its own first call keeps ~400 references to None (lazy PySide types)
    before = figures(app, window)
    load(warm_rounds, warm_rounds + rounds)
    return {"pyside": pyside_version, "rounds": rounds, "before": before, "after": figures(app, window)}


def report(result: dict[str, Any], window: MainWindow, history: HistoryStore) -> int:
    """Close the window, then print the figures as the parent test reads them: the last line."""
    window.close()
    history.close()
    print(json.dumps(result), flush=True)
    return 0


def main(rounds: int, data_dir: Path) -> int:
    app, window, history = background_window(data_dir)
    return report(measured(app, window, one_round, WARM_ROUNDS, rounds), window, history)


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), Path(sys.argv[2])))
