"""At most two malloc arenas. glibc gives every new thread an arena of its own (up to eight per
core) and keeps the pages freed in each, and zp2p starts and stops a set of role threads at every
change of host: a window that hands over or takes over the room every 8 s grew ~6 MB a minute
with no live allocation growing (heaptrack: the heap flat at ~23 MB), and stayed flat (+0.2 MB a
minute) with two arenas. The threads are few and mostly wait on sockets, so sharing two arenas
costs nothing measurable."""

from __future__ import annotations

import ctypes
import os
import sys

M_ARENA_MAX = -8  # glibc <malloc.h>
ARENAS = 2


def limit_arenas() -> bool:
    """Cap the arenas before any thread starts; True if the C library took it. Left alone on other
    platforms and when the user already chose (MALLOC_ARENA_MAX or GLIBC_TUNABLES)."""
    if not sys.platform.startswith("linux") or "MALLOC_ARENA_MAX" in os.environ or "GLIBC_TUNABLES" in os.environ:
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # a C library without mallopt
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return mallopt(M_ARENA_MAX, ARENAS) == 1
