"""Logging for the window: named loggers into a rotating file in the log folder, Qt's own
messages routed into the same log, and uncaught exceptions shown to the user, never lost."""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QMessageLogContext, QtMsgType, QThread, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

LOG_FILE = "zp2p.log"
CRASH_FILE = "crash.log"
LOG_BYTES = 1_000_000
LOG_BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"

qt_log = logging.getLogger("zp2p_gui.qt")
log = logging.getLogger(__name__)

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def setup(log_dir: Path, verbose: bool) -> Path:
    """Add the rotating file handler to the root logger and route Qt messages; returns the file."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS,
                                                   encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    qInstallMessageHandler(_qt_message)
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook
    _record_native_crashes(log_dir / CRASH_FILE)
    return path


def _record_native_crashes(path: Path) -> None:
    """A segfault or an interpreter abort (a Qt binding bug once did both) never reaches logging
    and, in a window started from a desktop menu, has no terminal: faulthandler writes every
    thread's stack to crash.log instead, so an exit without a word still leaves its cause."""
    stream = path.open("a", encoding="utf-8")  # kept open for the life of the process, as faulthandler needs
    faulthandler.enable(file=stream, all_threads=True)


def _qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    where = f" ({context.category})" if context.category and context.category != "default" else ""
    qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s%s", message, where)


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    """Log the crash and tell the user where the log is; the app keeps running if it can."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, tb)
        return
    log.critical("uncaught exception", exc_info=(kind, value, tb))
    app = QApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        return
    box = QMessageBox(QMessageBox.Icon.Critical, "zp2p",
                      QApplication.translate("Crash", "Something went wrong: %1").replace("%1", str(value)))
    box.setInformativeText(QApplication.translate("Crash", "Details are in the log file."))
    box.setDetailedText("".join(traceback.format_exception(kind, value, tb)))
    box.exec()


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    log.critical("uncaught exception in thread %s", args.thread.name if args.thread else "?",
                 exc_info=(args.exc_type, args.exc_value, args.exc_traceback))
