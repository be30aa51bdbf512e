"""The yardstick: a bare pyzmq PUSH -> PULL -> PUB -> SUB chain, one process per hop like the
real relay, measured in the same run so "relay vs raw" compares one machine at one moment.

Run as `python -m zp2p_gui.bench.rawchain ROLE ...`; the benchmark starts the three roles.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import zmq

from .runner import BenchError

HWM = 1_000_000  # large enough that the PUB never drops: we measure speed, not drop policy
IDLE_END_S = 1.0


def _socket(ctx: zmq.Context, kind: int) -> zmq.Socket:
    sock = ctx.socket(kind)
    sock.setsockopt(zmq.LINGER, 0)
    sock.setsockopt(zmq.SNDHWM, HWM)
    sock.setsockopt(zmq.RCVHWM, HWM)
    return sock


def forward(pull_ep: str, pub_ep: str) -> None:
    """The host's role: PULL in, PUB out, until killed."""
    ctx = zmq.Context()
    pull, pub = _socket(ctx, zmq.PULL), _socket(ctx, zmq.PUB)
    pull.bind(pull_ep)
    pub.bind(pub_ep)
    while True:
        pub.send(pull.recv())


def sink(sub_ep: str, count: int, timeout_s: float) -> None:
    """Counts frames; prints {"received", "msgs_per_s"} once all arrived or the flow stopped."""
    ctx = zmq.Context()
    sub = _socket(ctx, zmq.SUB)
    sub.setsockopt(zmq.SUBSCRIBE, b"")
    sub.connect(sub_ep)
    print(json.dumps({"ready": True}), flush=True)
    end = time.monotonic() + timeout_s
    received, first, last = 0, 0.0, 0.0
    while received < count and time.monotonic() < end:
        if not sub.poll(int(IDLE_END_S * 1000) if received else int(timeout_s * 1000)):
            break
        sub.recv()
        last = time.perf_counter()
        if received == 0:
            first = last
        received += 1
    rate = (received - 1) / (last - first) if received > 1 and last > first else 0.0
    print(json.dumps({"received": received, "msgs_per_s": rate}), flush=True)


def source(push_ep: str, count: int, size: int) -> None:
    """Pushes count frames of size bytes as fast as it can."""
    ctx = zmq.Context()
    push = _socket(ctx, zmq.PUSH)
    push.connect(push_ep)
    frame = b"x" * size
    for _ in range(count):
        push.send(frame)
    time.sleep(IDLE_END_S)  # LINGER is 0: stay until the queue has left
    push.close()


def measure(ip: str, port: int, count: int, size: int, timeout_s: float) -> float:
    """Messages per second through the chain on ip:port..port+1; the children never outlive it."""
    ep_in, ep_out = f"tcp://{ip}:{port}", f"tcp://{ip}:{port + 1}"
    cmd = [sys.executable, "-m", __name__]
    procs: list[subprocess.Popen] = []
    try:
        procs.append(subprocess.Popen([*cmd, "forward", ep_in, ep_out]))
        sink_proc = subprocess.Popen([*cmd, "sink", ep_out, str(count), str(timeout_s)],
                                     stdout=subprocess.PIPE, text=True)
        procs.append(sink_proc)
        assert sink_proc.stdout is not None
        sink_proc.stdout.readline()
        time.sleep(0.3)  # PUB/SUB slow joiner: let the subscription reach the forwarder
        procs.append(subprocess.Popen([*cmd, "source", ep_in, str(count), str(size)]))
        try:
            out, _ = sink_proc.communicate(timeout=timeout_s + 10)
            return float(json.loads(out.strip().splitlines()[-1])["msgs_per_s"])
        except (subprocess.TimeoutExpired, IndexError, KeyError, ValueError) as exc:
            raise BenchError(f"raw chain gave no result: {exc!r}") from None
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait(5)


def main(argv: list[str]) -> None:
    role, *args = argv
    if role == "forward":
        forward(*args)
    elif role == "sink":
        sink(args[0], int(args[1]), float(args[2]))
    elif role == "source":
        source(args[0], int(args[1]), int(args[2]))
    else:
        raise SystemExit(f"unknown role {role!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
