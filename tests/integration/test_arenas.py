"""The window's memory under host changes stays flat only with few malloc arenas (zp2p_gui/arenas.py):
a child process starts eight threads that each allocate, and counts glibc's arenas (malloc_info's
<heap> entries) with and without the cap."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

CHILD = textwrap.dedent("""
    import ctypes, sys, tempfile, threading
    from zp2p_gui.arenas import limit_arenas
    if sys.argv[1] == "capped":
        assert limit_arenas()
    held, ready = [], threading.Barrier(9)
    def work():
        held.append(bytearray(200_000))  # above obmalloc's limit and below mmap's: from an arena
        ready.wait()
        ready.wait()
    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    ready.wait()
    libc = ctypes.CDLL(None)
    libc.fopen.restype = ctypes.c_void_p
    libc.malloc_info.argtypes = (ctypes.c_int, ctypes.c_void_p)
    libc.fclose.argtypes = (ctypes.c_void_p,)
    with tempfile.NamedTemporaryFile(suffix=".xml") as out:
        fp = libc.fopen(out.name.encode(), b"w")
        libc.malloc_info(0, fp)
        libc.fclose(fp)
        print(open(out.name).read().count("<heap nr="))
    ready.wait()
    for t in threads:
        t.join()
""")


def _arenas(mode: str) -> int:
    env = {k: v for k, v in os.environ.items() if k not in ("MALLOC_ARENA_MAX", "GLIBC_TUNABLES")}
    proc = subprocess.run([sys.executable, "-c", CHILD, mode], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return int(proc.stdout.strip())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's arenas: Linux only")
def test_threads_share_two_arenas_once_capped():
    assert _arenas("free") > 2, "eight threads that allocate get arenas of their own without the cap"
    assert _arenas("capped") <= 2
