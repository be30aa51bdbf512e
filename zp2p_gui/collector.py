"""The cyclic garbage collector, kept off the objects the program loads.

Loading the modules creates tens of thousands of objects (modules, classes, functions) that live
as long as the process; the collector, triggered every 700 new objects, walks them again and again
meanwhile, a fifth of a headless node's start-up. They are never garbage, so the front ends load
their modules with it paused, and then freeze what is loaded (`gc.freeze`): re-enabled with all
of it still in the youngest generation, the collector walked it all once more, and again as it
moved up the generations, 7-13 ms of a start (a gc callback's count, niced), where frozen objects
are never walked again. It runs as usual on everything made afterwards (py-spy and
`-X importtime` measurements in docs/benchmarks.md, "Issue 16: fast start")."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def collector_paused() -> Iterator[None]:
    """No automatic collection inside the block, and what exists when it ends is frozen (a
    failed import leaves nothing worth freezing); the collector is left as it was found (a
    caller that turned it off keeps it off)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        if enabled:
            gc.enable()
