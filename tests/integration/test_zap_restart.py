"""A ZAP handler that stops and starts again at once (a role change stops the last CURVE server
and starts the next) must be answering afterwards. Its inproc endpoint is released asynchronously
after the old handler closes: before the rebind patience, 17 of 300 quick restarts left the
context with no handler at all, so CURVE servers admitted anyone and named no one (a run of the
suite then failed 31 tests: direct channels that never opened, beacons never answered)."""

from __future__ import annotations

import zmq

from zp2p_gui.net import zap

RESTARTS = 200
ANSWER_MS = 2000


def _answers(ctx: zmq.Context) -> bool:
    """Ask the context's handler about a NULL client, as libzmq would."""
    req = ctx.socket(zmq.REQ)
    req.setsockopt(zmq.LINGER, 0)
    try:
        req.connect(zap.ZAP_ENDPOINT)
        req.send_multipart([zap.ZAP_VERSION, b"1", b"", b"127.0.0.1", b"", b"NULL"])
        return bool(req.poll(ANSWER_MS)) and req.recv_multipart()[2] == b"200"
    finally:
        req.close()


def test_a_handler_started_right_after_one_stopped_answers():
    ctx = zmq.Context()
    try:
        for _ in range(RESTARTS):
            zap.acquire(ctx)
            try:
                assert _answers(ctx)
            finally:
                zap.release(ctx)
    finally:
        ctx.term()


def test_a_handler_left_behind_is_replaced_not_counted():
    """A role that never closed (its thread stuck past its stop) leaves its handler counted; once
    that handler has ended, the next role must get a working one, not a count on a dead one."""
    ctx = zmq.Context()
    try:
        zap.acquire(ctx)
        left, _ = zap._handlers[id(ctx)]
        left.stop()  # ended without the release its role owed
        zap.acquire(ctx)
        try:
            assert _answers(ctx)
        finally:
            zap.release(ctx)
    finally:
        zap._handlers.pop(id(ctx), None)
        ctx.term()
