"""The file-transfer baseline's receiving process: accept one plain TCP connection on loopback,
write what arrives to a file and hash it with SHA-256, the least work any verified transfer
does. Prints `{"port": N}` once listening and `{"bytes", "sha256", "t"}` when the sender closes.

    python -m zp2p_gui.bench.rawfile IP OUT
"""

from __future__ import annotations

import hashlib
import json
import socket
import sys
import time

BUFFER = 1 << 20
ACCEPT_TIMEOUT_S = 30.0


def receive(ip: str, out: str) -> dict[str, object]:
    with socket.create_server((ip, 0)) as server:
        server.settimeout(ACCEPT_TIMEOUT_S)
        print(json.dumps({"port": server.getsockname()[1]}), flush=True)
        conn, _ = server.accept()
    hasher, total = hashlib.sha256(), 0
    buffer = bytearray(BUFFER)
    with conn, open(out, "wb", buffering=0) as sink:
        conn.settimeout(ACCEPT_TIMEOUT_S)
        while n := conn.recv_into(buffer):
            view = memoryview(buffer)[:n]
            sink.write(view)
            hasher.update(view)
            total += n
    return {"bytes": total, "sha256": hasher.hexdigest(), "t": time.time()}


if __name__ == "__main__":
    print(json.dumps(receive(sys.argv[1], sys.argv[2])), flush=True)
