"""The cyclic garbage collector, paused while the program loads.

Loading the modules creates tens of thousands of objects (modules, classes, functions) that live
as long as the process; the collector, triggered every 700 new objects, walks them again and again
meanwhile, a fifth of a headless node's start-up. They are never garbage, so the front ends load
their modules with it paused and it runs as usual afterwards (py-spy and `-X importtime`
measurements in docs/benchmarks.md, "Issue 16: fast start")."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def collector_paused() -> Iterator[None]:
    """No automatic collection inside the block; left as it was found (a caller that turned the
    collector off keeps it off)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
