"""The recipient's disk writer: one thread per file actor that copies opened chunks into the
partial downloads (net/file_disk.py StreamWriter), so the page-cache copy (pwrite, a third and
more of the recipient's work) and the creation of many small files run while the actor thread
receives, opens and hashes the next chunk. Both calls release the GIL (pwrite, and libsodium
through cffi), so on two cores they overlap.

Bounds stay the credit window's: a recipient asks for a chunk only while what it asked for and
has not yet written is under CREDIT chunks (net/file_transfers.py Receiving.asks), so the queue
never holds more than CREDIT chunks per transfer, and a slow disk stops the gets and so slows the
sender. After each job the thread wakes the actor through an inproc PUSH (the actor's PULL is
`endpoint`), naming the transfer, so the actor asks for more, reports a write error
(disk_full, the partial file kept for resume) or completes the transfer. A transfer's files are
closed by this thread too, after whatever of it is still queued, so no descriptor is closed
under a running pwrite; a stopped transfer's queued chunks are dropped unwritten."""

from __future__ import annotations

import itertools
import queue
import threading
from typing import TYPE_CHECKING

import zmq

from ..core.lazylog import Log

if TYPE_CHECKING:
    from .file_transfers import Receiving

log = Log(__name__)

_ids = itertools.count(1)
STOP_WAIT_S = 5.0  # how long closing the actor waits for a write under way


class DiskWriter:
    """The writer thread and its job queue; started with the first accepted transfer."""

    def __init__(self, ctx: zmq.Context) -> None:
        self.ctx = ctx
        self.endpoint = f"inproc://zp2p-file-writes-{next(_ids)}"
        self._jobs: queue.SimpleQueue[tuple[Receiving, bytearray | None, int] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def write(self, t: Receiving, buffer: bytearray, length: int) -> None:
        """Queue the first `length` bytes of buffer for t's next place on disk; the buffer goes
        back to t's pool once written."""
        self._start()
        self._jobs.put((t, buffer, length))

    def close(self, t: Receiving) -> None:
        """Close t's files once what is queued for it is written or dropped."""
        self._start()
        self._jobs.put((t, None, 0))

    def stop(self) -> None:
        """End the thread after its queue (a stopped transfer's jobs are dropped, not written)."""
        if self._thread is not None:
            self._jobs.put(None)
            self._thread.join(STOP_WAIT_S)
            self._thread = None

    def _start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="zp2p-file-writer", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        wake = self.ctx.socket(zmq.PUSH)
        wake.setsockopt(zmq.LINGER, 0)
        wake.connect(self.endpoint)
        try:
            while (job := self._jobs.get()) is not None:
                t, buffer, length = job
                if buffer is None:
                    t.close_files()
                    continue
                t.store(memoryview(buffer)[:length])
                t.give_back(buffer)
                try:
                    wake.send(t.id.encode(), zmq.NOBLOCK)
                except zmq.Again:  # (the actor asks again on its stall timer)
                    log.debug("files: the writer's wake queue is full")
        finally:
            wake.close(0)
