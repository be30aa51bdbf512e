"""Soak the desktop window: hours of use compressed into minutes.

The real MainWindow runs in this process (offscreen, or on $DISPLAY, e.g. under Xvfb) and joins
a room of headless peers on a private loopback /24. The peers chat fast, join, leave (/quit and
kill -9), and the host is killed so the room fails over; sometimes the window itself hosts and
hands the room over by disconnecting. Figures are printed as it goes and at the end; the exit
code is non-zero if the window died or stopped following the room, its memory grew beyond a
bound, or the refcounts of True/False/None fell (PySide6 6.12.0 dropped one per signal and aborted
after 13-16 minutes of this; see tests/gui/test_refcount.py). A rise is reported, not failed: the
room's state holds them and grows until its caps (the backlogs of up to 32 MiB are message
dicts), and the pinned 6.11.3 keeps one None reference per QObject wrapper it destroys (measured:
+1 per QObject or QWidget, +2 per QLabel, no memory); memory itself is what the RSS checks bound.

    .venv/bin/python scripts/soak_window.py --minutes 3
    .venv/bin/python scripts/soak_window.py --minutes 8 --profile   # what grew after the warm-up

All traffic stays on 127.x.y.0/24; every process started here is killed on exit, Ctrl-C too.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import signal
import sys
import tempfile
import threading
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

os.environ["ZP2P_ALLOWED_NETS"] = "127.0.0.0/8"  # never anything but loopback, whatever the caller set
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QObject  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from tests.harness import HeadlessNode, Room  # noqa: E402
from zp2p_gui.arenas import limit_arenas  # noqa: E402
from zp2p_gui.cli import build_parser  # noqa: E402
from zp2p_gui.core import events as ev  # noqa: E402
from zp2p_gui.history import FILE_NAME, HistoryStore  # noqa: E402
from zp2p_gui.ui import settings as prefs_store  # noqa: E402
from zp2p_gui.ui.app import create_app  # noqa: E402
from zp2p_gui.ui.main_window import MainWindow  # noqa: E402
from zp2p_gui.ui.paths import AppPaths  # noqa: E402
from zp2p_gui.ui.status import State, Status  # noqa: E402

DISCOVERY_WINDOW = "0.3"
WINDOW_ADDR = 2
PEER_ADDRS = range(10, 250)  # cycled: an address comes back long after its last peer died
TICK_MS = 20
REPORT_S = 10.0
WARMUP_FRACTION = 0.2  # RSS after this share of the run (at most WARMUP_MAX_S) is the baseline
WARMUP_MAX_S = 60.0
# Over the warm-up value. Measured: +44 MB, flat once the chat view holds its 5,000 blocks (after
# ~3 min at the default rate). The bound leaves room for the allocator and catches a leak of
# ~1.5 KB per message over an hour's ~90,000 messages.
RSS_GROWTH_MB = 150.0
RSS_SLOPE_EVERY_S = 1.0  # RSS is sampled this often after the warm-up, for the slope check
# Bound on the least-squares RSS trend over the second half of the run, when the view is full.
# Measured with the 500-line view on a loaded 2-core machine: +4.0 (8 min), +4.6 (5 min), +4.9
# and +11.2 MB/min (2 min; the latter at --rate 5), but +0.3 with no peers joining, leaving or
# failing: what still grows comes with membership churn and failover, not with messages; it is
# outside the Python heap (--profile: +4 of +45 MB) and not the allocator's arenas (the same with
# MALLOC_ARENA_MAX=2); its cause is not found yet. A short run's trend is noisy (a few failovers),
# so the bound only catches a gross leak, e.g. ~5 KB per event at the soak's ~40 events/s.
RSS_SLOPE_MB_PER_MIN = 20.0
VIEW_BLOCKS = 500  # the chat view's cap during a soak: full within the warm-up, so later growth is not the view
# The engine runs in this process too; its state (members, backlogs, pending sends, who hosts)
# holds True/False/None, so the counts move with the room: a fall of up to this much is the room
# shrinking. A broken binding drops one per signal, i.e. thousands within minutes.
STATE_SLACK = 300
RECOVER_S = 30.0  # after the last action the window must be back in the room within this
STOP_S = 5.0
PROFILE_TOP = 12  # lines per table of --profile
PROFILE_FRAMES = 8  # tracemalloc frames kept per allocation: enough to reach our code from Qt's
TEXTS = ("hi", "안녕하세요, 잘 지내요?", "see https://example.org/a?b=c", "x" * 400,
         "a longer line with several words that wraps in a narrow window " * 3)


@dataclass
class Figures:
    """What the soak did and what it saw; printed as one line per report."""

    events: Counter = field(default_factory=Counter)
    said: int = 0
    window_said: int = 0
    joins: int = 0
    quits: int = 0
    kills: int = 0
    host_kills: int = 0
    handovers: int = 0
    rss_start: float = 0.0
    rss_warm: float = 0.0
    rss_peak: float = 0.0
    rss_half: float = 0.0  # at half time: with the view full by then, the second half should be flat
    rss_samples: list[tuple[float, float]] = field(default_factory=list)  # (seconds, MB) after the warm-up
    refs_start: tuple[int, ...] = ()  # at the end of the warm-up, like rss_warm
    events_warm: int = 0

    def line(self, elapsed: float, window: MainWindow, peers: "Peers") -> str:
        return (f"[{elapsed:7.1f}s] events {sum(self.events.values())} messages {self.events['message']} "
                f"lines {window.chat.line_count} blocks {window.chat.document().blockCount()} | "
                f"said {self.said}+{self.window_said} joins {self.joins} quits {self.quits} kills {self.kills} "
                f"host kills {self.host_kills} handovers {self.handovers} reconnects {self.events['reconnecting']} "
                f"| peers {len(peers.alive())} state {window.status.state.value}{_code(window.status)} | RSS {rss_mb():.1f} MB "
                f"(peak {self.rss_peak:.1f}) | True/False/None {refcounts()} | threads {threading.active_count()} "
                f"py, {proc_status('Threads')} os, {len(window.session.running_threads())} roles")


def _code(status: Status) -> str:
    """The error code next to the state, so a run stuck in ERROR says why."""
    return f" ({status.error_code})" if status.error_code else ""


def proc_status(key: str) -> int:
    """One number from /proc/self/status (Linux): VmRSS in kB, Threads as a count."""
    with open("/proc/self/status", encoding="ascii") as status:
        return next((int(line.split()[1]) for line in status if line.startswith(f"{key}:")), 0)


def rss_mb() -> float:
    """Resident memory of this process: the window, its engine and this driver."""
    return proc_status("VmRSS") / 1024


def rss_slope(samples: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB) samples in MB per minute; 0 with too few to tell."""
    if len(samples) < 2:
        return 0.0
    n = len(samples)
    mean_t = sum(t for t, _ in samples) / n
    mean_m = sum(m for _, m in samples) / n
    spread = sum((t - mean_t) ** 2 for t, _ in samples)
    return 60 * sum((t - mean_t) * (m - mean_m) for t, m in samples) / spread if spread else 0.0


def refcounts() -> tuple[int, ...]:
    return tuple(sys.getrefcount(x) for x in (True, False, None))


def _kind(obj: object) -> str:
    """An object's type name; a class is counted by its own name, so types made at run time show."""
    return f"class {obj.__module__}.{obj.__qualname__}" if isinstance(obj, type) else type(obj).__name__


@dataclass
class Sample:
    """What --profile compares between the end of the warm-up and the end of the run."""

    rss: float
    python_heap: int  # bytes tracemalloc sees alive (allocated since the warm-up)
    tracer: int  # bytes tracemalloc itself uses: part of RSS, not of the window
    objects: Counter  # gc-tracked Python objects by type name
    holders: Counter  # gc-tracked containers holding True, False or None, by type name and which
    qobjects: int  # QObjects under the window (items of a QListWidget are not QObjects)
    widgets: int  # every QWidget of the application, parented or not
    snapshot: tracemalloc.Snapshot

    @classmethod
    def take(cls, window: MainWindow) -> "Sample":
        gc.collect()
        return cls(rss=rss_mb(), python_heap=tracemalloc.get_traced_memory()[0],
                   tracer=tracemalloc.get_tracemalloc_memory(),
                   objects=Counter(_kind(o) for o in gc.get_objects()),
                   holders=Counter(f"{type(r).__name__} -> {x}" for x in (True, False, None)
                                   for r in gc.get_referrers(x)),
                   qobjects=len(window.findChildren(QObject)), widgets=len(QApplication.allWidgets()),
                   snapshot=tracemalloc.take_snapshot())


def profile_report(warm: Sample, end: Sample) -> list[str]:
    """Where the memory that grew after the warm-up went: the Python heap (tracemalloc, by
    allocation site), Python objects by type, Qt objects; RSS growth the Python heap does not
    account for is C++ (Qt, zmq, sqlite) or the allocator keeping freed pages."""
    python_mb = (end.python_heap - warm.python_heap) / 2**20
    tracer_mb = (end.tracer - warm.tracer) / 2**20
    rss = end.rss - warm.rss
    lines = [f"profile: RSS {warm.rss:.1f} -> {end.rss:.1f} MB ({rss:+.1f}); Python heap {python_mb:+.2f} MB; "
             f"tracemalloc itself {tracer_mb:+.1f} MB; outside the Python heap {rss - python_mb - tracer_mb:+.1f} MB",
             f"profile: QObjects under the window {warm.qobjects} -> {end.qobjects}; "
             f"widgets {warm.widgets} -> {end.widgets}",
             "profile: Python objects that grew (type: count):"]
    growth = (end.objects - warm.objects).most_common(PROFILE_TOP)
    lines += [f"    {name}: +{count}" for name, count in growth] or ["    none"]
    lines.append("profile: containers holding True/False/None that grew (a refcount drift they do not explain "
                 "is a reference leaked in C, e.g. by the Qt binding):")
    held = (end.holders - warm.holders).most_common(PROFILE_TOP)
    lines += [f"    {name}: +{count}" for name, count in held] or ["    none"]
    lines.append("profile: allocation sites that grew (newest frames of ours last):")
    grown = [stat for stat in end.snapshot.compare_to(warm.snapshot, "traceback") if stat.size_diff > 0]
    for stat in grown[:PROFILE_TOP]:
        lines.append(f"    {stat.size_diff / 1024:+.1f} KiB in {stat.count_diff:+d} blocks")
        lines += [f"      {frame.filename}:{frame.lineno}" for frame in stat.traceback]
    return lines


class Peers:
    """Headless peers on the room's /24; their events are read and dropped each tick, so a long
    soak keeps no growing logs in this process (its RSS is the window's)."""

    def __init__(self, room: Room) -> None:
        self.room = room
        self._addrs = iter(PEER_ADDRS)
        self._names = 0
        self.ready: set[HeadlessNode] = set()

    def start(self) -> HeadlessNode:
        """A new peer with a new nick, on the next address no living peer holds."""
        self._names += 1
        taken = {n.ip for n in self.alive()}
        for _ in range(2 * len(PEER_ADDRS)):
            addr = next(self._addrs, None)
            if addr is None:
                self._addrs = iter(PEER_ADDRS)
            elif self.room.ip(addr) not in taken:
                return self.room.peer(f"p{self._names}", addr)
        raise RuntimeError("no free peer address")  # cannot happen: --peers is at most 100

    def alive(self) -> list[HeadlessNode]:
        return [n for n in self.room.nodes if n.proc.poll() is None]

    def drain(self) -> None:
        """Note who has joined or hosts, forget their events, and reap peers that ended."""
        for node in list(self.room.nodes):
            with node._new:
                names = {e["event"] for e in node.events}
                node.events.clear()
            del node.stderr[:-40]
            if names & {"joined", "hosting"}:
                self.ready.add(node)
            if node.proc.poll() is not None:
                node.close()
                self.room.nodes.remove(node)
                self.ready.discard(node)

    def at(self, addr: str) -> HeadlessNode | None:
        return next((n for n in self.alive() if n.ip == addr), None)


class SoakRoom(Room):
    def peer(self, nick: str, n: int) -> HeadlessNode:
        return self.start(nick, n, window=float(DISCOVERY_WINDOW))


class Soak:
    """One run: the window, its peers, the actions on timers, and the verdict."""

    def __init__(self, opts: argparse.Namespace, room: SoakRoom, data: Path) -> None:
        self.opts = opts
        self.rng = random.Random(opts.seed)
        self.room = room
        self.peers = Peers(room)
        self.figures = Figures()
        self.app = create_app(sys.argv[:1])
        args = build_parser().parse_args(["--nick", "soak", "--bind", room.ip(WINDOW_ADDR), "--scan", room.scan,
                                          "--port", str(room.port), "--discovery-window", DISCOVERY_WINDOW,
                                          "--data-dir", str(data)])
        paths = AppPaths.resolve(args.data_dir)
        self.history = HistoryStore(paths.data / FILE_NAME)
        self.window = MainWindow(args, prefs_store.open_settings(paths.settings_file), self.history)
        self.window.chat.document().setMaximumBlockCount(opts.view_blocks)
        self.window.session.event.connect(self._count)
        self._reconnect_window = False
        self.profile_warm: Sample | None = None
        self.profile_end: Sample | None = None

    def _count(self, event: ev.Event) -> None:
        self.figures.events[event.name] += 1
        if isinstance(event, ev.Left) and self._reconnect_window:
            self._reconnect_window = False
            self.window.connect_now()

    def pump(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, TICK_MS)

    def in_room(self) -> bool:
        return self.window.status.state in (State.HOSTING, State.CONNECTED)

    def wait_in_room(self, timeout: float) -> bool:
        end = time.monotonic() + timeout
        while not self.in_room() and time.monotonic() < end:
            self.pump(0.1)
            self.peers.drain()
        return self.in_room()

    # ------------------------------------------------------------------ actions
    def chat(self) -> None:
        speakers = [n for n in self.peers.alive() if n in self.peers.ready]
        if speakers:
            node = self.rng.choice(speakers)
            try:
                node.say(f"{self.figures.said} {self.rng.choice(TEXTS)}")
                self.figures.said += 1
            except OSError:
                pass  # it died between the check and the write; drain reaps it

    def window_chat(self) -> None:
        if self.window.status.online:
            self.window.send(f"window line {self.figures.window_said}")
            self.figures.window_said += 1

    def churn(self) -> None:
        """Join a peer while the room is small, else one non-host peer leaves (/quit or kill -9)."""
        host = self.window.status.host
        members = [n for n in self.peers.alive() if n.ip != host]
        if len(self.peers.alive()) < self.opts.peers or not members:
            self.peers.start()
            self.figures.joins += 1
            return
        node = self.rng.choice(members)
        if self.rng.random() < 0.5:
            try:
                node.say("/quit")
                self.figures.quits += 1
            except OSError:
                pass
        else:
            node.kill(signal.SIGKILL)
            self.figures.kills += 1

    def failover(self) -> None:
        """Kill the hosting peer, or, when the window hosts, hand the room over by leaving and
        coming back (a window cannot be killed from inside itself)."""
        if self.window.status.state is State.HOSTING:
            if self.window.session.active and not self._reconnect_window:
                self._reconnect_window = True
                self.window.toggle_connection()
                self.figures.handovers += 1
            return
        host = self.peers.at(self.window.status.host)
        if host is not None:
            host.kill(signal.SIGKILL)
            self.figures.host_kills += 1

    # ------------------------------------------------------------------ run
    def run(self) -> list[str]:
        """Returns the problems found; empty means the window came through."""
        fig = self.figures
        fig.rss_start = rss_mb()
        self.window.show()
        self.window.connect_now()
        if not self.wait_in_room(RECOVER_S):
            return [f"the window never got into the room (state {self.window.status.state.value})"]
        start = time.monotonic()
        duration = self.opts.minutes * 60
        warm_at = start + min(duration * WARMUP_FRACTION, WARMUP_MAX_S)
        timers = {self.chat: 1 / self.opts.rate, self.window_chat: 1.0, self.churn: self.opts.churn,
                  self.failover: self.opts.failover}
        due = {action: start + period for action, period in timers.items()}
        next_report = start + REPORT_S
        while (now := time.monotonic()) < start + duration:
            self.pump(TICK_MS / 1000)
            self.peers.drain()
            for action, period in timers.items():
                if now >= due[action]:
                    due[action] = max(due[action] + period, now - period)  # no bursts after a stall
                    action()
            fig.rss_peak = max(fig.rss_peak, rss_mb())
            if not fig.rss_warm and now >= warm_at:
                gc.collect()
                fig.rss_warm, fig.refs_start, fig.events_warm = rss_mb(), refcounts(), sum(fig.events.values())
                print(f"warm-up done: RSS {fig.rss_warm:.1f} MB and True/False/None {fig.refs_start} "
                      "are the baseline", flush=True)
                if self.opts.profile:
                    tracemalloc.start(PROFILE_FRAMES)  # from here on: traces only what is allocated later
                    self.profile_warm = Sample.take(self.window)
            if not fig.rss_half and now >= start + duration / 2:
                fig.rss_half = rss_mb()
            if fig.rss_warm and (not fig.rss_samples or now - start >= fig.rss_samples[-1][0] + RSS_SLOPE_EVERY_S):
                fig.rss_samples.append((now - start, rss_mb()))
            if now >= next_report:
                next_report += REPORT_S
                print(fig.line(now - start, self.window, self.peers), flush=True)
        return self.verdict(start)

    def verdict(self, start: float) -> list[str]:
        fig = self.figures
        problems = []
        if not self.wait_in_room(RECOVER_S):
            problems.append(f"the window did not get back into the room within {RECOVER_S:.0f} s "
                            f"(state {self.window.status.state.value})")
        gc.collect()
        print(fig.line(time.monotonic() - start, self.window, self.peers), flush=True)
        growth = rss_mb() - (fig.rss_warm or fig.rss_start)
        if growth > RSS_GROWTH_MB:
            problems.append(f"RSS grew {growth:.1f} MB over the warm-up value (bound {RSS_GROWTH_MB:.0f} MB)")
        slope = rss_slope(fig.rss_samples[len(fig.rss_samples) // 2:])
        print(f"RSS trend over the second half: {slope:+.2f} MB/min", flush=True)
        if slope > RSS_SLOPE_MB_PER_MIN:
            problems.append(f"RSS kept growing over the second half: {slope:+.2f} MB/min "
                            f"(bound {RSS_SLOPE_MB_PER_MIN:.1f} MB/min)")
        now_refs = refcounts()
        events = sum(fig.events.values()) - fig.events_warm
        for name, before, after in zip(("True", "False", "None"), fig.refs_start, now_refs):
            print(f"refcount of {name}: {before} -> {after} ({after - before:+d} over {events} events)", flush=True)
            if after < before - STATE_SLACK:
                problems.append(f"the refcount of {name} fell: {before} -> {after} (a binding that drops references)")
        if fig.events["message"] == 0:
            problems.append("the window showed no messages")
        if self.profile_warm is not None:  # last: its own garbage must not move the figures above
            self.profile_end = Sample.take(self.window)
        return problems

    def close(self) -> list[str]:
        """Close the window as a user would; its threads must all end."""
        self.window.close()
        self.pump(0.2)
        self.history.close()
        left = self.window.session.running_threads()
        return [f"threads still running after close: {left}"] if left else []


def parse(argv: list[str]) -> argparse.Namespace:
    rng = random.Random()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=3.0, help="duration of the chatting phase")
    parser.add_argument("--peers", type=int, default=5, help="headless peers kept in the room")
    parser.add_argument("--rate", type=float, default=25.0, help="peer messages per second, all peers together")
    parser.add_argument("--churn", type=float, default=2.0, help="seconds between a join or a leave")
    parser.add_argument("--failover", type=float, default=15.0, help="seconds between host kills/handovers")
    parser.add_argument("--subnet", default=f"127.251.{rng.randrange(1, 250)}", help="loopback /24 (first 3 octets)")
    parser.add_argument("--port", type=int, default=28000 + 4 * rng.randrange(250), help="base port")
    parser.add_argument("--view-blocks", type=int, default=VIEW_BLOCKS,
                        help="chat view cap for the run (the app's is 5,000): a small one is full within the "
                             "warm-up, so growth after it is a leak, not the view filling")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--profile", action="store_true",
                        help="after the warm-up, trace Python allocations (slower) and print what grew: "
                             "allocation sites, object types, Qt objects")
    opts = parser.parse_args(argv)
    if not opts.subnet.startswith("127.") or opts.subnet.count(".") != 2:
        parser.error("--subnet must be three octets of 127.0.0.0/8, e.g. 127.251.7")
    if not 0 < opts.minutes <= 24 * 60 or not 1 <= opts.peers <= 100 or opts.rate <= 0 or opts.view_blocks < 1:
        parser.error("--minutes must be in (0, 1440], --peers in 1..100, --rate > 0, --view-blocks >= 1")
    return opts


def main(argv: list[str]) -> int:
    limit_arenas()  # as `zp2p` does at start: the soak's process is the window's
    opts = parse(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # the finally below still kills the peers
    print(f"soak: {opts.minutes} min on {opts.subnet}.0/24 port {opts.port}, {opts.peers} peers, "
          f"{opts.rate}/s messages, churn every {opts.churn} s, failover every {opts.failover} s, "
          f"chat view capped at {opts.view_blocks} blocks", flush=True)
    with tempfile.TemporaryDirectory(prefix="zp2p-soak-") as data, \
            SoakRoom(opts.subnet, opts.port, "soak") as room:
        soak = Soak(opts, room, Path(data))
        problems: list[str] = []
        try:
            problems = soak.run()
        finally:
            problems += soak.close()
    fig = soak.figures
    print(f"soak: events {sum(fig.events.values())} ({dict(fig.events.most_common())}); "
          f"peer messages sent {fig.said}, window {fig.window_said}; joins {fig.joins} quits {fig.quits} "
          f"kills {fig.kills} host kills {fig.host_kills} handovers {fig.handovers}; RSS start {fig.rss_start:.1f} "
          f"warm {fig.rss_warm:.1f} half {fig.rss_half:.1f} peak {fig.rss_peak:.1f} end {rss_mb():.1f} MB; True/False/None "
          f"{fig.refs_start} -> {refcounts()}", flush=True)
    if soak.profile_warm is not None and soak.profile_end is not None:
        print("\n".join(profile_report(soak.profile_warm, soak.profile_end)), flush=True)
    for problem in problems:
        print(f"soak: FAIL: {problem}", flush=True)
    print("soak: OK" if not problems else "soak: FAILED", flush=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
