"""Fixtures for the window tests: a private loopback /24 and port block per test (with real
headless peers from tests/harness.py) and windows that are always closed, threads stopped."""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Callable, Iterator

import pytest

from zp2p_gui.cli import build_parser
from zp2p_gui.history import FILE_NAME, HistoryStore
from zp2p_gui.ui import settings as prefs_store
from zp2p_gui.ui.app import create_app
from zp2p_gui.ui.main_window import MainWindow
from zp2p_gui.ui.paths import AppPaths
from zp2p_gui.ui.status import State

from ..harness import Room

# The window tests own these loopback /24s and ports; other suites use other ones.
TEST_NETS = (1, 5, 6, 7, 8, 9)
PORTS = range(25000, 26000, 6)  # P..P+5: beacon, registry, relay in and out, direct, file data
DISCOVERY_WINDOW = 0.3
WAIT_MS = 20000  # every wait is bounded, and generous: a healthy run needs a fraction of it, a loaded CI machine more


class Lan(Room):
    """A Room whose options can also be handed to the window's command line."""

    def options(self, n: int, scan: bool = True) -> list[str]:
        return ["--bind", self.ip(n), *(["--scan", self.scan] if scan else []), "--port", str(self.port),
                "--discovery-window", str(DISCOVERY_WINDOW)]

    def peer(self, nick: str, n: int, *extra: str):
        return self.start(nick, n, *extra, window=DISCOVERY_WINDOW)


@pytest.fixture
def lan(request: pytest.FixtureRequest) -> Iterator[Lan]:
    with Lan(f"127.0.{random.choice(TEST_NETS)}", random.choice(PORTS), request.node.name) as room:
        yield room


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Keep each phase's report on the item, so fixtures can tell a failed test at teardown."""
    outcome = yield
    setattr(item, f"report_{call.when}", outcome.get_result())


def _describe(window: MainWindow) -> str:
    """What a person would have seen: a timeout in a window test says little without it."""
    return f"--- chat view of {window.nick_edit.text()!r}\n{window.chat.toPlainText()}"


@pytest.fixture
def make_window(qtbot, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Callable[..., MainWindow]]:
    """Build MainWindows from command-line options, as `zp2p` would, sharing one data folder;
    all closed at teardown, after printing what they showed if the test failed."""
    create_app(sys.argv[:1])
    opened: list[tuple[MainWindow, HistoryStore]] = []

    def make(argv: list[str]) -> MainWindow:
        args = build_parser().parse_args([*argv, "--data-dir", str(tmp_path / "gui")])
        paths = AppPaths.resolve(args.data_dir)  # the engine's identity lives there too, never in $HOME
        history = HistoryStore(paths.data / FILE_NAME)
        window = MainWindow(args, prefs_store.open_settings(paths.settings_file), history)
        qtbot.addWidget(window)  # deleted by qtbot, not by the garbage collector mid-event
        opened.append((window, history))
        window.show()
        return window

    yield make
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        print("\n".join(_describe(window) for window, _ in opened))
    for window, history in opened:
        window.close()
        history.close()
        assert window.session.running_threads() == []


@pytest.fixture
def hosting_with_bob(qtbot, lan: Lan, make_window):
    """alice's window hosts the room and a headless bob has joined it."""
    window = make_window(["--nick", "alice", *lan.options(2)])
    window.connect_now()
    qtbot.waitUntil(lambda: window.status.state is State.HOSTING, timeout=WAIT_MS)
    bob = lan.peer("bob", 3)
    bob.wait_event("joined", timeout=WAIT_MS / 1000)
    return window, bob
