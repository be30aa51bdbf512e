"""At most two malloc arenas. glibc gives every new thread an arena of its own (up to eight per
core) and keeps the pages freed in each, and zp2p starts and stops a set of role threads at every
change of host: a window that hands over or takes over the room every 8 s grew ~6 MB a minute
with no live allocation growing (heaptrack: the heap flat at ~23 MB), and stayed flat (+0.2 MB a
minute) with two arenas. The threads are few and mostly wait on sockets, so sharing two arenas
costs nothing measurable.

`mallopt` is called through cffi's C module (`_cffi_backend`), which PyNaCl loads on every start
anyway, rather than `ctypes`, whose import was ~2 ms of every start for this one call
(docs/benchmarks.md, the fifth pass; tests/unit/test_pins.py keeps the four calls used here)."""

from __future__ import annotations

import os
import sys

import _cffi_backend as cffi

M_ARENA_MAX = -8  # glibc <malloc.h>
ARENAS = 2


def limit_arenas() -> bool:
    """Cap the arenas before any thread starts; True if the C library took it. Left alone on other
    platforms and when the user already chose (MALLOC_ARENA_MAX or GLIBC_TUNABLES)."""
    if not sys.platform.startswith("linux") or "MALLOC_ARENA_MAX" in os.environ or "GLIBC_TUNABLES" in os.environ:
        return False
    c_int = cffi.new_primitive_type("int")
    signature = cffi.new_function_type((c_int, c_int), c_int, False)
    libc = cffi.load_library(None)  # the process's own symbols, as ctypes.CDLL(None)
    try:
        mallopt = libc.load_function(signature, "mallopt")
    except AttributeError:  # a C library without mallopt
        return False
    return bool(mallopt(M_ARENA_MAX, ARENAS) == 1)
