"""A dependency-free progress bar on stderr: stdout stays clean, and a CI log (not a terminal)
gets one line per step instead of carriage-return noise."""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 30


class Progress:
    def __init__(self, total: int, out: TextIO = sys.stderr) -> None:
        self.total = max(1, total)
        self.done = 0
        self.out = out
        self.start = time.monotonic()
        self.tty = out.isatty()

    def __call__(self, label: str) -> None:
        """One step finished; label says which."""
        self.done = min(self.total, self.done + 1)
        filled = WIDTH * self.done // self.total
        bar = "#" * filled + "-" * (WIDTH - filled)
        line = f"[{bar}] {self.done}/{self.total} {time.monotonic() - self.start:5.0f}s {label}"
        if self.tty:
            self.out.write("\r" + line.ljust(100)[:100])
        else:
            self.out.write(line + "\n")
        self.out.flush()

    def close(self) -> None:
        if self.tty:
            self.out.write("\n")
            self.out.flush()
