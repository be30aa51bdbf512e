"""One Pyre (ZRE) peer for the benchmark's side-by-side, speaking the same JSON-lines contract
as `zp2p --headless` so runner.Child drives both alike: stdin lines are shouted to the group,
stdout gets {"event": "ready"|"enter"|"join"|"exit"|"message", "t": wall clock, ...}.

Pyre beacons by UDP broadcast on port 5670 from the first non-loopback interface it finds, so
this module refuses to start anywhere but inside the benchmark namespace named by --netns.
It exits by itself after --seconds, so a lost parent never leaves a beacon running."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import zmq

from .netns import NETNS_PREFIX

NETNS_DIR = "/run/netns"


def emit(event: str, **fields: object) -> None:
    print(json.dumps({"event": event, "t": time.time(), **fields}), flush=True)


def in_bench_namespace(name: str) -> bool:
    """True only when this process runs inside the named benchmark namespace. Addresses prove
    nothing (a VM's real interface may itself carry a documentation address), so the check
    compares this process's network namespace with the one `ip netns add` pinned under
    /run/netns."""
    if not name.startswith(NETNS_PREFIX):
        return False
    try:
        mine, pinned = os.stat("/proc/self/ns/net"), os.stat(os.path.join(NETNS_DIR, name))
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (pinned.st_dev, pinned.st_ino)


def expire_after(seconds: float) -> None:
    """Shorten Pyre's silence limits (evasive, expired) by replacing the one method that sets
    them: the class constants would also shrink each peer's send queue, which Pyre sizes from
    PEER_EXPIRED, and so change the stopped-receiver figure."""
    from pyre.pyre_peer import PyrePeer

    def refresh(peer: PyrePeer) -> None:
        now = time.time()
        peer.evasive_at = now + min(PyrePeer.PEER_EVASIVE, seconds / 3)
        peer.expired_at = now + seconds

    PyrePeer.refresh = refresh


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zp2p_gui.bench.pyre_peer")
    parser.add_argument("--netns", required=True, help="the benchmark namespace this must be running in")
    parser.add_argument("--name", required=True)
    parser.add_argument("--group", default="bench")
    parser.add_argument("--seconds", type=float, default=60.0, help="exit after this long, whatever happens")
    parser.add_argument("--expired", type=float, default=None,
                        help="seconds of silence before a peer EXITs (default: Pyre's own 30 s; the CI smoke run "
                             "shortens it so a death is noticed within its time limit)")
    args = parser.parse_args(argv)
    if not in_bench_namespace(args.netns):
        print(f"pyre_peer: not inside benchmark namespace {args.netns!r}: refusing to beacon", file=sys.stderr)
        return 2

    from pyre import Pyre, PyreEvent

    if args.expired is not None:
        expire_after(args.expired)
    node = Pyre(args.name)
    node.join(args.group)
    node.start()
    emit("ready", name=args.name, endpoint=node.endpoint())
    stdin = sys.stdin.fileno()
    poller = zmq.Poller()
    poller.register(node.socket(), zmq.POLLIN)
    poller.register(stdin, zmq.POLLIN)
    pending = b""
    deadline = time.monotonic() + args.seconds
    try:
        while (left := deadline - time.monotonic()) > 0:
            ready = dict(poller.poll(left * 1000))
            if node.socket() in ready:
                event = PyreEvent(node)
                if event.type == "ENTER":
                    emit("enter", peer=event.peer_name)
                elif event.type == "JOIN":
                    emit("join", peer=event.peer_name, group=event.group)
                elif event.type == "EXIT":
                    emit("exit", peer=event.peer_name)
                elif event.type == "SHOUT":
                    emit("message", peer=event.peer_name, text=b"".join(event.msg).decode())
            if stdin in ready:
                chunk = os.read(stdin, 65536)
                if not chunk:
                    break
                *lines, pending = (pending + chunk).split(b"\n")
                for line in lines:
                    node.shout(args.group, line)
    finally:
        node.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
