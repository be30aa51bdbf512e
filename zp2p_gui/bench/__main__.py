"""`zp2p-bench`: measure a real room on loopback and write bench.json, bench.md and plots."""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

from . import netns, report, room500, suite
from .plan import PRESETS
from .progress import Progress


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zp2p-bench",
        description="Benchmark zp2p on loopback (127.0.2.x, 127.0.20-29.x, the --swarm's 127.0.40-43.x, "
                    "ports 26000-26999).")
    parser.add_argument("--quick", action="store_true", help="fewer runs and a 10 s idle window (a few minutes)")
    parser.add_argument("--smoke", action="store_true", help=argparse.SUPPRESS)  # CI: tiny counts, proves it runs
    parser.add_argument("--out", type=Path, default=Path("bench-out"), help="output folder (default bench-out/)")
    parser.add_argument("--nodes-max", type=int, default=None, metavar="N",
                        help="cap the fan-out room size (default: measure 2, 10 and 50 nodes)")
    parser.add_argument("--peers", choices=["pyre"], action="append", default=[],
                        help="also measure Pyre (pip install 'zp2p[bench]') and zp2p side by side in network "
                             "namespaces the benchmark creates and removes (needs root): join, latency at 2 and 10 "
                             "nodes, throughput, a stopped receiver, a node's death")
    parser.add_argument("--peers-only", action="store_true",
                        help="with --peers: measure only the side by side")
    parser.add_argument("--swarm", type=int, default=None, metavar="N",
                        help="measure only a room of N (e.g. 500): a real host and member and a member swarm "
                             "(join storm, idle host CPU and RSS, fan-out, churn); prints JSON")
    return parser


def check_peers(parser: argparse.ArgumentParser, peers: tuple[str, ...]) -> None:
    """Refuse before anything starts (argparse error, exit 2) when --peers cannot run here."""
    if not peers:
        return
    try:
        netns.check()
    except netns.NetnsUnavailable as exc:
        parser.error(f"--peers: {exc}; Pyre may only beacon inside the benchmark's own namespaces")
    if importlib.util.find_spec("pyre") is None:
        parser.error("--peers pyre: Pyre is not installed (pip install 'zp2p[bench]')")


def main(argv: list[str] | None = None) -> int:
    """Exit 0 when every measurement completed, 1 when one failed (bench.json says which)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    peers = tuple(dict.fromkeys(args.peers))
    if args.peers_only and not peers:
        parser.error("--peers-only needs --peers")
    check_peers(parser, peers)
    if args.swarm is not None:
        if not room500.MIN_MEMBERS <= args.swarm <= room500.MAX_MEMBERS:
            parser.error(f"--swarm: a room of {room500.MIN_MEMBERS} to {room500.MAX_MEMBERS} members")
        return room500.main(args.swarm, idle_s=10.0 if args.quick else 30.0)
    mode = "smoke" if args.smoke else "quick" if args.quick else "full"
    plan = PRESETS[mode].capped(args.nodes_max)
    progress = Progress(suite.steps(plan, peers, args.peers_only))
    began = time.monotonic()
    try:
        result, samples = suite.run(plan, progress, peers, args.peers_only)
    finally:
        progress.close()
    result["took_s"] = round(time.monotonic() - began, 1)
    report.write(args.out, result, samples)
    print(report.markdown(result))
    print(f"{mode} run took {result['took_s']:.0f} s")
    for error in result["errors"]:
        print(f"error: {error}", file=sys.stderr)
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
