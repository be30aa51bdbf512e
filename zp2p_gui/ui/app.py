"""Start the window: application object, logging, translations, history, SIGTERM handling."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from .. import APP_ID, __version__
from ..history import FILE_NAME, HistoryStore
from . import logs
from . import settings as prefs_store
from .fonts import ensure_emoji_font
from .i18n import Translations
from .icons import app_icon
from .main_window import MainWindow
from .paths import AppPaths

log = logging.getLogger(__name__)

SIGNAL_POLL_MS = 200


def create_app(argv: list[str]) -> QApplication:
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName("zp2p")
    app.setOrganizationName("zp2p")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    ensure_emoji_font()
    return app


def watch_signals(window: MainWindow) -> QTimer:
    """SIGTERM/SIGINT close the window (which leaves the room politely). Python handlers only
    run when the interpreter gets control, so a short timer hands it control regularly."""
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: QTimer.singleShot(0, window.close))
    timer = QTimer(window)
    timer.timeout.connect(lambda: None)
    timer.start(SIGNAL_POLL_MS)
    return timer


def no_screen_reason() -> str | None:
    """On Linux without X11 or Wayland, Qt aborts with a message about plugins that misleads
    people into reinstalling; say what is really missing instead."""
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return ("zp2p: no screen found (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
            "  Chat without a window:  zp2p --headless --nick NAME\n"
            "  Or use a virtual screen: xvfb-run zp2p")


def run_gui(args: argparse.Namespace) -> int:
    reason = no_screen_reason()
    if reason is not None:
        print(reason, file=sys.stderr)
        return 2
    paths = AppPaths.resolve(args.data_dir)
    app = create_app(sys.argv[:1])
    log_file = logs.setup(paths.log, args.verbose)
    log.info("zp2p %s starting; log %s", __version__, log_file)
    settings = prefs_store.open_settings(paths.settings_file)
    translations = Translations(app)
    translations.apply(prefs_store.load(settings).language)
    history = HistoryStore(paths.data / FILE_NAME)
    try:
        window = MainWindow(args, settings, history, translations)
        watch_signals(window)
        window.show()
        if args.connect:
            QTimer.singleShot(0, window.connect_now)
        return app.exec()
    finally:
        history.close()
