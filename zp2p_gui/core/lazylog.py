"""Loggers that load `logging` only when they must.

`logging` brings `traceback`, `linecache`, `tokenize`, `string`, `weakref` and `threading`'s
friends with it, 5-10 ms of a headless node's start before it can search (`-X importtime`,
docs/benchmarks.md "fourth pass"), and a first start logs `created identity` before it joins. So
the modules log through `Log`, and the headless front end asks for plain lines
(`log_plainly`): until `logging` is loaded, a record at the chosen level or above is written to
the stream here, in exactly the line `logging.basicConfig(format=FORMAT)` writes, and a record
below it costs nothing. Anything this does not write itself (an exception's traceback, `extra`,
a message whose `%` fails, a single mapping argument) loads `logging`, configures it as the front
end asked, and goes through it; `load_logging` does the same for everything from then on (the
engine calls it in the background after joining or hosting, so other packages' records are
formatted as before). Without `log_plainly` (the window, the tools, the tests) a `Log` is a
`logging.Logger` one call away."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    import logging

DEBUG, INFO, WARNING, ERROR, CRITICAL = 10, 20, 30, 40, 50  # logging's levels
_LEVEL_NAMES = {DEBUG: "DEBUG", INFO: "INFO", WARNING: "WARNING", ERROR: "ERROR", CRITICAL: "CRITICAL"}
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"  # the headless front end's and the tools' lines


class _Plain:
    """The front end's stream and level, written to directly until `logging` is loaded."""

    def __init__(self, level: int, stream: TextIO) -> None:
        self.level = level
        self.stream = stream
        self.lock = threading.Lock()

    def write(self, level: int, name: str, msg: object, args: tuple[Any, ...]) -> bool:
        """The record as logging's Formatter(FORMAT) and StreamHandler write it; False for what
        only logging can write (and report) as it would."""
        if level not in _LEVEL_NAMES or (len(args) == 1 and isinstance(args[0], Mapping)):
            return False
        try:
            text = str(msg) % args if args else str(msg)
        except Exception:  # logging prints its own "--- Logging error ---" for this
            return False
        now = time.time()
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now))
        line = f"{stamp},{int((now - int(now)) * 1000):03d} {_LEVEL_NAMES[level]} {name}: {text}\n"
        with self.lock:
            try:
                self.stream.write(line)
                self.stream.flush()
            except Exception:
                return False
        return True


_plain: _Plain | None = None


def log_plainly(level: int, stream: TextIO = sys.stderr) -> None:
    """Write records at `level` and above to `stream` as `configure` would, without loading
    `logging` until something needs it."""
    global _plain
    _plain = _Plain(level, stream)


def configure(level: int, stream: TextIO = sys.stderr) -> None:
    """logging.basicConfig with the front ends' format."""
    import logging

    logging.basicConfig(level=level, stream=stream, format=FORMAT)


def load_logging() -> None:
    """Hand over to `logging`, configured as `log_plainly` asked; nothing if that is done already."""
    global _plain
    plain = _plain
    if plain is None:
        return
    with plain.lock:
        if _plain is plain:
            configure(plain.level, plain.stream)
            _plain = None


class Log:
    """A named logger with the calls zp2p makes of a logging.Logger: debug, info, warning,
    error and exception, with their arguments."""

    __slots__ = ("name", "_logger")

    def __init__(self, name: str) -> None:
        self.name = name
        self._logger: logging.Logger | None = None

    def logger(self) -> logging.Logger:
        """The logging.Logger of this name, loading logging (configured as asked) on first use."""
        if self._logger is None:
            load_logging()
            import logging

            self._logger = logging.getLogger(self.name)
        return self._logger

    def _log(self, level: int, msg: object, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        plain = _plain
        if plain is not None and (level < plain.level or (not kwargs and plain.write(level, self.name, msg, args))):
            return
        kwargs["stacklevel"] = kwargs.get("stacklevel", 1) + 2  # the caller's line, not this module's
        self.logger().log(level, msg, *args, **kwargs)

    def debug(self, msg: object, *args: Any, **kwargs: Any) -> None:
        self._log(DEBUG, msg, args, kwargs)

    def info(self, msg: object, *args: Any, **kwargs: Any) -> None:
        self._log(INFO, msg, args, kwargs)

    def warning(self, msg: object, *args: Any, **kwargs: Any) -> None:
        self._log(WARNING, msg, args, kwargs)

    def error(self, msg: object, *args: Any, **kwargs: Any) -> None:
        self._log(ERROR, msg, args, kwargs)

    def exception(self, msg: object, *args: Any, exc_info: Any = True, **kwargs: Any) -> None:
        kwargs["exc_info"] = exc_info
        self._log(ERROR, msg, args, kwargs)
