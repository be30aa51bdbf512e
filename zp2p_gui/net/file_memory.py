"""The file data path's memory: every chunk passes through freshly allocated blocks of about
CHUNK bytes (a pread's bytes, a sealed chunk, a message libzmq receives). glibc serves blocks
that size with mmap or at the top of its heap, and hands them back to the system when freed, so
each chunk touches new pages: about 100,000 page faults per GiB on each side, and on a VM whose
host takes freed pages back (free page reporting), every one of those is a fresh host page.
Keeping such blocks in the heap instead reuses the same few MB of hot pages for the whole
transfer (1,000 faults per GiB, 0.2-0.3 CPU-s less per GiB on each side, docs/benchmarks.md).

The heap then keeps what the transfers needed at most (the credit window's chunks, a few copies
of it), which the bound on resident memory already counts."""

from __future__ import annotations

import ctypes
import sys

from ..core.lazylog import Log

log = Log(__name__)

_M_TRIM_THRESHOLD = -1  # mallopt parameters (glibc's malloc.h)
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 4 * 1024 * 1024  # blocks below this come from the heap (a chunk is 1 MiB) ...
TRIM_THRESHOLD = 32 * 1024 * 1024  # ... and the heap's free top goes back to the system only beyond this


def keep_chunk_memory() -> bool:
    """Make glibc keep chunk-sized blocks in the heap (process-wide, idempotent); False where the
    C library is not glibc (nothing changes there)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    done = bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))
    if not done:
        log.debug("files: the C library refused the malloc thresholds")
    return done
