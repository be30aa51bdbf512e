"""File transfer in the benchmark: one large file with zp2p (encrypted) against a plain TCP
baseline measured in the same run, a folder of many small files against a local
`shutil.copytree`, the resident memory of both sides meanwhile, and what a resume sends again."""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from .measures import Tick
from .runner import BenchError, Child, Node, Room, Rooms

MIB = 1024 * 1024
TRANSFER_TIMEOUT_S = 600.0
SETTLE_S = 3.0  # after os.sync(), before each timed transfer


def make_file(path: Path, size: int) -> Path:
    with open(path, "wb") as out:
        for at in range(0, size, 4 * MIB):
            out.write(os.urandom(min(4 * MIB, size - at)))
    return path


def make_folder(path: Path, count: int, size: int) -> Path:
    for i in range(count):
        sub = path / f"d{i // 100:02}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"f{i:04}.bin").write_bytes(os.urandom(size))
    return path


def baseline(src: Path, ip: str, work: Path) -> float:
    """MB/s of socket.sendfile from this process to a receiving process that writes and hashes."""
    receiver = subprocess.Popen([sys.executable, "-m", "zp2p_gui.bench.rawfile", ip, str(work / "raw.out")],
                                stdout=subprocess.PIPE, text=True)
    try:
        assert receiver.stdout is not None
        port = json.loads(receiver.stdout.readline())["port"]
        start = time.time()
        with socket.create_connection((ip, port), timeout=30) as conn, open(src, "rb") as f:
            conn.sendfile(f)
        done = json.loads(receiver.stdout.readline())
        receiver.wait(30)
    finally:
        receiver.kill()
    (work / "raw.out").unlink(missing_ok=True)
    if done["bytes"] != src.stat().st_size:
        raise BenchError("file baseline: the receiver got another size")
    return src.stat().st_size / MIB / (done["t"] - start)


class RssPeak:
    """The highest resident set size of some processes, sampled every 20 ms until stopped."""

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids
        self.peak_mb = {pid: 0.0 for pid in pids}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            for pid in self.pids:
                self.peak_mb[pid] = max(self.peak_mb[pid], _rss_mb(pid))

    def stop(self) -> list[float]:
        self._stop.set()
        self._thread.join(2)
        return [self.peak_mb[pid] for pid in self.pids]


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            return next(int(line.split()[1]) / 1024 for line in f if line.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return 0.0


def _pair(room: Room, downloads: Path) -> tuple[Node, Node]:
    sender = room.start(1)
    sender.wait_event("hosting", timeout=20)
    receiver = room.start(2, extra=("--downloads", str(downloads), "--auto-accept"))
    receiver.wait_event("joined", timeout=20)
    sender.wait_for(lambda e: e["event"] == "presence" and len(e["users"]) == 2, 20)
    return sender, receiver


def _send(sender: Node, receiver: Node, path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(sender's offer_sent, receiver's transfer_done) of one transfer."""
    sent = _offer(sender, receiver, path)
    return sent, _finished(receiver, sent["id"])


def _offer(sender: Node, receiver: Node, path: Path) -> dict[str, Any]:
    """The sender's offer_sent for path."""
    mark = len(sender.events)
    sender.say(f"/send {receiver.nick} {path}")
    sent = sender.wait_for(lambda e: e["event"] in ("offer_sent", "transfer_failed"), 30, mark)
    if sent["event"] != "offer_sent":
        raise BenchError(f"files: the offer failed: {sent}")
    return sent


def _finished(receiver: Node, transfer_id: str) -> dict[str, Any]:
    """The receiver's transfer_done of this transfer."""
    done = receiver.wait_for(lambda e: e["event"] in ("transfer_done", "transfer_failed") and e["id"] == transfer_id,
                             TRANSFER_TIMEOUT_S)
    if done["event"] != "transfer_done":
        raise BenchError(f"files: the transfer failed: {done}")
    return done


def measure(rooms: Rooms, file_mib: int, small_files: int, resume_mib: int, tick: Tick,
            rounds: int = 1) -> dict[str, Any]:
    """The large file `rounds` times each way, interleaved (baseline, zp2p, baseline, zp2p, ...),
    every transfer from the same state (`settle`); the medians and all samples are reported."""
    with tempfile.TemporaryDirectory(prefix="zp2p-bench-files-") as tmp, rooms.new() as room:
        work = Path(tmp)
        big = make_file(work / "big.bin", file_mib * MIB)
        sender, receiver = _pair(room, work / "downloads")
        raws: list[float] = []
        zp2ps: list[float] = []
        rss = [0.0, 0.0]
        for n in range(1, rounds + 1):
            settle()
            raws.append(baseline(big, f"{room.subnet}.3", work))
            tick(f"files: raw TCP baseline {n}/{rounds}")
            settle()
            mb_s, peaks = _big_once(sender, receiver, big, work / "downloads")
            zp2ps.append(mb_s)
            rss = [max(a, b) for a, b in zip(rss, peaks)]
            tick(f"files: {file_mib} MiB with zp2p {n}/{rounds}")
        folder = make_folder(work / "small", small_files, 10_000)
        start = time.perf_counter()
        shutil.copytree(folder, work / "copied")
        copytree_s = time.perf_counter() - start
        sent, done = _send(sender, receiver, folder)
        tick(f"files: {small_files} small files")
        resumed = resume(room, sender, receiver, make_file(work / "resume.bin", resume_mib * MIB), work)
        tick("files: resume")
    raw, zp2p = statistics.median(raws), statistics.median(zp2ps)
    return {"files_raw_mb_s": raw, "files_mb_s": zp2p, "files_ratio": zp2p / raw, "files_mib": file_mib,
            "files_rounds": rounds, "files_raw_samples": raws, "files_samples": zp2ps,
            "files_rss_sender_mb": rss[0], "files_rss_receiver_mb": rss[1], "files_small_count": small_files,
            "files_small_s": done["t"] - sent["t"], "files_copytree_s": copytree_s, **resumed}


def settle() -> None:
    """The same disk and memory state before each timed transfer: nothing left dirty or being
    discarded (the last output, removed, is trimmed at the journal commit that sync forces), and
    the same time for a VM that reports free pages to hand back what the last output freed (0.5-3
    s on the benchmark's VM): writing into pages freed a moment before costs a tenth of writing
    into pages handed back (docs/benchmarks.md), so no transfer may inherit another's."""
    os.sync()
    time.sleep(SETTLE_S)


def _big_once(sender: Node, receiver: Node, big: Path, downloads: Path) -> tuple[float, list[float]]:
    """MB/s of one transfer of big (offer -> verified), the peak RSS of each side meanwhile; the
    download is removed afterwards (outside the timed window)."""
    watch = RssPeak([sender.proc.pid, receiver.proc.pid])
    sent, done = _send(sender, receiver, big)
    peaks = watch.stop()
    (downloads / big.name).unlink()
    return big.stat().st_size / MIB / (done["t"] - sent["t"]), peaks


def resume(room: Room, sender: Node, receiver: Node, src: Path, work: Path) -> dict[str, Any]:
    """Kill the sender half way and start it again with its identity and data folder: it offers
    the transfer again by itself. How much of what the recipient held on disk was sent again
    (what was in flight when it died, at most one credit window, is not on disk and cannot be
    counted from outside)."""
    mark = len(receiver.events)
    part = work / "downloads" / f"{src.name}.zp2p-part"
    sent = _offer(sender, receiver, src)
    _when_half_written(part, src.stat().st_size)
    sender.signal(9)
    if any(e["event"] == "transfer_done" for e in receiver.events[mark:]) or not part.exists():
        raise BenchError("files resume: the transfer ended before its sender could be killed")
    on_disk = _settled_size(part)  # the recipient waits 30 s for a vanished sender: no failure to wait for
    again = room.start(1, data_dir=_data_dir(sender))
    again.wait_for(lambda e: e["event"] in ("joined", "hosting"), 20)
    again.wait_for(lambda e: e["event"] in ("joined", "presence") and len(e["users"]) == 2, 20)
    done = _finished(receiver, sent["id"])  # offered again by itself: no /send
    return {"files_resume_mib": src.stat().st_size // MIB, "files_resumed_from": done["resumed_from"],
            "files_resent_bytes": on_disk - done["resumed_from"]}


def _when_half_written(part: Path, size: int, timeout: float = 60.0) -> None:
    """Returns once the recipient's partial download holds half the file (polled every ms: a
    progress event comes only 4 times a second, too coarse for a transfer of a fraction of one)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if part.stat().st_size >= size // 2:
                return
        except OSError:
            pass
        time.sleep(0.001)
    raise BenchError("files resume: the partial download never reached half the file")


def _settled_size(part: Path, quiet_s: float = 0.5, timeout: float = 10.0) -> int:
    """The partial download's size once the recipient has written what was in flight (unchanged
    for quiet_s)."""
    size, since = part.stat().st_size, time.monotonic()
    deadline = since + timeout
    while time.monotonic() < deadline:
        time.sleep(0.05)  # polling a file's size: there is no event for "nothing more arrived"
        now_size = part.stat().st_size
        if now_size != size:
            size, since = now_size, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            break
    return size


def _data_dir(node: Child) -> str:
    argv = node.proc.args
    return argv[argv.index("--data-dir") + 1]
