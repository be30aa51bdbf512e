"""A connection guard hangs up on a peer by descriptor number, learnt from a monitor event that
arrives late: by then the connection may be closed and its number reused by another socket of
the process. A clean-clone suite run lost its host that way in a subscription storm (its
`/proc/PID/status` had no VmRSS: the process was gone): the host opened its direct and file data
listeners while the storm's connections churned, and shutdown(2) of a libzmq listener makes
libzmq abort the process ("Invalid argument (src/tcp_listener.cpp)"). The guard now shuts a
descriptor down only while it is still the connection it recorded. Real sockets on loopback, in
a child process, since the failure is an abort."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from ..harness import ROOT

IP = "127.0.94.1"

CHILD = textwrap.dedent('''
    import os, socket, sys, zmq
    from zp2p_gui.net.admission import hang_up

    ip = sys.argv[1]
    ctx = zmq.Context()
    router = ctx.socket(zmq.ROUTER)
    port = router.bind_to_random_port(f"tcp://{ip}")

    def descriptor(match):
        for name in os.listdir("/proc/self/fd"):
            try:
                with socket.fromfd(int(name), socket.AF_INET, socket.SOCK_STREAM) as s:
                    if match(s):
                        return int(name)
            except OSError:
                pass

    def listening(s):
        if s.getsockname() != (ip, port):
            return False
        try:
            s.getpeername()
        except OSError:
            return True
        return False

    client = socket.create_connection((ip, port), timeout=5)
    mine = client.getsockname()
    accepted = None
    while accepted is None:
        accepted = descriptor(lambda s: s.getsockname() == (ip, port) and s.getpeername() == mine)
    ends = ((ip, port), mine)
    listener = descriptor(listening)
    # the listener's number, as a stale record of a closed connection would name it
    print("listener spared", not hang_up(listener, ((ip, port), (ip, 1))), flush=True)
    hung = hang_up(accepted, ends)
    while hung and client.recv(4096):  # libzmq's greeting, then the end of the stream
        pass
    print("connection hung up", hung, flush=True)
    dealer = ctx.socket(zmq.DEALER)
    dealer.connect(f"tcp://{ip}:{port}")
    dealer.send(b"ping")
    print("listener works", router.poll(5000) and router.recv_multipart()[1] == b"ping", flush=True)
''')


def test_a_stale_descriptor_never_shuts_down_what_reused_it() -> None:
    proc = subprocess.run([sys.executable, "-c", CHILD, IP], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.split("\n")[:3] == ["listener spared True", "connection hung up True", "listener works True"], \
        proc.stdout + proc.stderr
