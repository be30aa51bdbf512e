"""Runs every measurement of a Plan in a fixed order and turns samples into the bench.json
keys. A measurement that fails leaves its keys null and an entry in `errors`, so one broken
scenario still yields a report for the others."""

from __future__ import annotations

import compileall
import os
import platform
import subprocess
import traceback
from pathlib import Path
from typing import Any, Callable

import zmq

from . import direct as dm
from . import files
from . import measures as m
from . import peers as side_by_side
from .plan import MSG_BYTES, Plan
from .progress import Progress
from .runner import BenchError, Rooms

Result = dict[str, Any]
# The relay's own speed is measured with the host's rate ceiling off; default settings are measured
# too, with a larger burst (plan.throughput_msgs), since that is what a member pasting a long text gets.
NO_RATE_LIMIT = ("--rate-limit", "0")
FILE_KEYS = ("files_raw_mb_s", "files_mb_s", "files_ratio", "files_rss_sender_mb", "files_rss_receiver_mb",
             "files_small_s", "files_copytree_s", "files_resumed_from", "files_resent_bytes")
FAIR_KEYS = ("fair_share_p50_ms", "fair_share_max_ms", "fair_share_during")


def steps(plan: Plan, peers: tuple[str, ...] = (), peers_only: bool = False) -> int:
    """Progress ticks the plan will produce, so the bar ends at 100 %."""
    # zp2p in namespaces, then each peer: joins, latency at two sizes, two bursts, deaths
    side = (1 + len(peers)) * (plan.peer_join_runs + 4 + plan.peer_death_runs) if peers else 0
    if peers_only:
        return side
    return (plan.join_runs + plan.host_alone_runs + 2 * len(plan.fanout_sizes) + 4 + 3 + 5
            + 2 * plan.failover_runs + side)


def machine() -> dict[str, Any]:
    """What the numbers depend on; the load average tells a reader whether the box was shared."""
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        pass
    return {"cores": os.cpu_count(), "cpu": model, "python": platform.python_version(),
            "pyzmq": zmq.__version__, "libzmq": zmq.zmq_version(), "platform": platform.platform(),
            "loadavg_start": list(os.getloadavg())}


def precompile() -> bool:
    """Byte-compile zp2p as an installed copy is (pip compiles at install time): an editable
    checkout run with PYTHONDONTWRITEBYTECODE=1 otherwise compiles some 60 modules at every node
    start (about 75 ms here), which no user pays. False when the folder is read-only."""
    return bool(compileall.compile_dir(str(Path(__file__).resolve().parents[1]), quiet=1))


def run(plan: Plan, progress: Progress, peers: tuple[str, ...] = (),
        peers_only: bool = False) -> tuple[Result, m.Samples]:
    """Every measurement; `peers` (e.g. ("pyre",)) adds the namespace side-by-side under "peers",
    with each figure's ratio zp2p ÷ peer under "peers"["ratio"]; `peers_only` measures only that."""
    rooms, samples = Rooms(), m.Samples()
    result: Result = {"mode": plan.mode, "machine": {**machine(), "bytecode": precompile()}, "msg_bytes": MSG_BYTES,
                      "fanout": [], "errors": [], "peers_only": peers_only}

    def attempt(name: str, keys: tuple[str, ...], body: Callable[[], Result]) -> None:
        try:
            result.update(body())
        except (BenchError, OSError, ValueError, subprocess.SubprocessError) as exc:
            result.update({k: None for k in keys})
            result["errors"].append(f"{name}: {exc.__class__.__name__}: {exc}")
            progress(f"{name} FAILED")
            if not isinstance(exc, BenchError):
                traceback.print_exc()

    def join() -> Result:
        m.join(rooms, plan.join_runs, samples, progress)
        return m.join_figures(samples)

    def host_alone() -> Result:
        m.host_alone(rooms, plan.host_alone_runs, samples, progress)
        return {"host_alone_ms_p50": m.percentile(samples.host_alone_ms, 50)}

    def fanout(size: int) -> Callable[[], Result]:
        def body() -> Result:
            m.fanout(rooms, size, plan.fanout_msgs, plan.fanout_rate, samples, progress)
            ms = samples.fanout_ms[size]
            row = {"nodes": size, "p50_ms": m.percentile(ms, 50), "p99_ms": m.percentile(ms, 99)}
            return {"fanout": [*result["fanout"], row]}
        return body

    def direct_latency() -> Result:
        cold = dm.latency(rooms, plan.fanout_msgs, plan.fanout_rate, samples, progress)
        return {"direct_p50_ms": m.percentile(samples.direct_ms, 50), "direct_p99_ms": m.percentile(samples.direct_ms, 99),
                "direct_cold_ms": cold}

    def direct_backlog() -> Result:
        return {"direct_backlog_ms": dm.backlog(rooms, plan.direct_backlog, progress),
                "direct_backlog_msgs": plan.direct_backlog}

    def file_transfer() -> Result:
        return files.measure(rooms, plan.file_mib, plan.small_files, plan.resume_mib, progress, plan.file_rounds)

    def relay() -> Result:
        return {"relay_msgs_per_s": m.relay(rooms, plan.relay_msgs, plan.relay_timeout_s, progress, NO_RATE_LIMIT)}

    def relay_default_limit() -> Result:
        return {"relay_default_limit_msgs_per_s": m.relay(rooms, plan.throughput_msgs, 3 * plan.relay_timeout_s, progress),
                "throughput_msgs": plan.throughput_msgs}

    def raw_chain() -> Result:
        return {"raw_chain_msgs_per_s": m.raw_chain(rooms, plan.raw_msgs, progress)}

    def fair_share() -> Result:
        return {**m.fair_share(rooms, plan.fair_flood, plan.quiet_msgs, plan.quiet_rate, progress),
                "fair_flood": plan.fair_flood}

    def failover(mode: str) -> Callable[[], Result]:
        def body() -> Result:
            m.failover(rooms, mode, plan.failover_runs, samples, progress)
            return {f"failover_{mode}_ms_p50": m.percentile(samples.failover_ms[mode], 50),
                    "failover_runs": plan.failover_runs}
        return body

    def idle() -> Result:
        nodes = m.idle(rooms, plan.idle_s, progress)
        return {"idle_cpu_pct": max(n["cpu_pct"] for n in nodes), "rss_mb": max(n["rss_mb"] for n in nodes),
                "idle_s": plan.idle_s, "idle_nodes": nodes}

    def side(name: str, kind: side_by_side.Kind) -> Callable[[], Result]:
        def body() -> Result:
            row, raw = side_by_side.measure(kind, plan, progress)
            samples.peers[name] = raw
            return {"peers": {**result.get("peers", {}), name: row}}
        return body

    if not peers_only:
        attempt("join", ("join_ms_p50", "join_ms_p90", *m.IMPORT_KEYS), join)
        attempt("host_alone", ("host_alone_ms_p50",), host_alone)
        for size in plan.fanout_sizes:
            attempt(f"fanout_{size}", (), fanout(size))
        attempt("direct_latency", ("direct_p50_ms", "direct_p99_ms", "direct_cold_ms"), direct_latency)
        attempt("direct_backlog", ("direct_backlog_ms",), direct_backlog)
        attempt("files", FILE_KEYS, file_transfer)
        attempt("relay", ("relay_msgs_per_s",), relay)
        attempt("relay_default_limit", ("relay_default_limit_msgs_per_s",), relay_default_limit)
        attempt("raw_chain", ("raw_chain_msgs_per_s",), raw_chain)
        attempt("fair_share", FAIR_KEYS, fair_share)
        for mode in ("crash", "silent"):
            attempt(f"failover_{mode}", (f"failover_{mode}_ms_p50",), failover(mode))
        attempt("idle", ("idle_cpu_pct", "rss_mb"), idle)
    if peers:
        kinds = side_by_side.kinds(plan.pyre_expired_s)
        result["peers"] = {}
        for name in ("zp2p_netns", *peers):
            attempt(f"peers_{name}", (), side(name, kinds[name]))
        sides = result["peers"]
        if "zp2p_netns" in sides and "pyre" in sides:
            sides["ratio"] = side_by_side.ratios(sides["zp2p_netns"], sides["pyre"])
        result["pyre_expired_s"] = plan.pyre_expired_s  # None: Pyre's own 30 s of silence before EXIT
    return result, samples
