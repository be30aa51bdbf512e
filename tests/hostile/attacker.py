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
import struct
import sys
import time

import zmq

from zp2p_gui import PROTOCOL_VERSION

LINGER_S = 2.0  # how long a subscriber stays connected after its last subscription
DEADLINE_S = 60.0
GREETING = b"\xff" + b"\x00" * 8 + b"\x7f" + b"\x03\x00" + b"NULL".ljust(20, b"\x00") + b"\x00" + b"\x00" * 31


def _loopback(*ips: str) -> None:
    for ip in ips:
        if not ipaddress.ip_address(ip).is_loopback:
            raise SystemExit(f"refusing to attack {ip}: loopback only")


def zmtp_frame(body: bytes, command: bool = False) -> bytes:
    flags = 0x04 if command else 0x00
    if len(body) > 255:
        return bytes([flags | 0x02]) + struct.pack(">Q", len(body)) + body
    return bytes([flags, len(body)]) + body


def zmtp_connect(source: str, host: str, port: int, socket_type: bytes, timeout: float = 5.0) -> socket.socket:
    """A plain TCP socket that has said just enough ZMTP 3.0 (NULL mechanism) to send frames."""
    conn = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        conn.settimeout(timeout)
        conn.bind((source, 0))
        conn.connect((host, port))
        conn.sendall(GREETING)
        read_exact(conn, 64)
        ready = b"\x05READY" + b"\x0bSocket-Type" + struct.pack(">I", len(socket_type)) + socket_type
        conn.sendall(zmtp_frame(ready, command=True))
    except OSError:
        conn.close()
        raise
    return conn


def read_exact(conn: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise ConnectionError("the host hung up")
        data += chunk
    return data


def subscriptions(source: str, host: str, port: int, count: int, size: int) -> None:
    """`count` distinct subscriptions of `size` random bytes, reconnecting whenever the host hangs
    up, for at most DEADLINE_S. Raw frames: a real XSUB would keep every one of them itself."""
    sent = 0
    deadline = time.monotonic() + DEADLINE_S
    while sent < count and time.monotonic() < deadline:
        try:
            with zmtp_connect(source, host, port, b"XSUB") as conn:
                while sent < count:
                    conn.sendall(zmtp_frame(b"\x01" + os.urandom(size)))
                    sent += 1
                time.sleep(LINGER_S)
        except OSError:
            continue  # hung up on: connect again, as a determined attacker would
    print(json.dumps({"sent": sent}), flush=True)


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
