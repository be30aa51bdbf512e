"""The attacks of issue 13, as a separate process (so the test measures only the host), each
bounded in count and time and cleaned up by the kernel when it exits.

    python -m tests.hostile.attacker subscriptions SOURCE HOST PORT COUNT SIZE
    python -m tests.hostile.attacker registrations SOURCE HOST PORT COUNT
    python -m tests.hostile.attacker connections SOURCE HOST PORT COUNT HOLD_S

Every address must be on loopback: the script refuses anything else."""

from __future__ import annotations

import ipaddress
import json
import os
import resource
import socket
import sys
import time

import zmq

from zp2p_gui import PROTOCOL_VERSION

LINGER_S = 2.0  # how long a subscriber stays connected after its last subscription


def _loopback(*ips: str) -> None:
    for ip in ips:
        if not ipaddress.ip_address(ip).is_loopback:
            raise SystemExit(f"refusing to attack {ip}: loopback only")


def subscriptions(source: str, host: str, port: int, count: int, size: int) -> None:
    """One XSUB sending `count` distinct subscriptions of `size` random bytes."""
    ctx = zmq.Context()
    xsub = ctx.socket(zmq.XSUB)
    xsub.setsockopt(zmq.LINGER, 0)
    xsub.setsockopt(zmq.SNDHWM, 0)
    xsub.connect(f"tcp://{source}:0;{host}:{port}")
    for _ in range(count):
        xsub.send(b"\x01" + os.urandom(size))
    time.sleep(LINGER_S)
    xsub.close(0)
    ctx.term()


def registrations(source: str, host: str, port: int, count: int) -> None:
    """One DEALER sending `count` registrations of one node id, never reading a reply."""
    ctx = zmq.Context()
    dealer = ctx.socket(zmq.DEALER)
    dealer.setsockopt(zmq.LINGER, 0)
    dealer.setsockopt(zmq.RCVHWM, 1)
    dealer.setsockopt(zmq.RCVBUF, 4096)
    dealer.connect(f"tcp://{source}:0;{host}:{port}")
    register = json.dumps({"v": PROTOCOL_VERSION, "k": "register", "node_id": "attacker0001", "nick": "attacker",
                           "room": "lobby", "proto": PROTOCOL_VERSION, "key": ""}).encode()
    for _ in range(count):
        dealer.send_multipart([b"", register])
    time.sleep(LINGER_S)
    dealer.close(0)
    ctx.term()


def connections(source: str, host: str, ports: list[int], count: int, hold_s: float) -> None:
    """`count` raw TCP connections spread over the ports, never speaking, held for hold_s."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, count + 100)), hard))
    held = []
    try:
        for i in range(count):
            conn = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            conn.bind((source, 0))
            conn.settimeout(1.0)
            try:
                conn.connect((host, ports[i % len(ports)]))
            except OSError:
                conn.close()
                continue
            held.append(conn)
        print(json.dumps({"opened": len(held)}), flush=True)
        time.sleep(hold_s)
    finally:
        for conn in held:
            conn.close()


def main(argv: list[str]) -> None:
    kind, source, host, port = argv[0], argv[1], argv[2], int(argv[3])
    _loopback(source, host)
    if kind == "subscriptions":
        subscriptions(source, host, port, int(argv[4]), int(argv[5]))
    elif kind == "registrations":
        registrations(source, host, port, int(argv[4]))
    elif kind == "connections":
        connections(source, host, [port + k for k in range(4)], int(argv[4]), float(argv[5]))
    else:
        raise SystemExit(f"unknown attack {kind}")


if __name__ == "__main__":
    main(sys.argv[1:])
