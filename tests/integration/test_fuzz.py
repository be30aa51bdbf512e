"""Hostile input: the codec only ever raises CodecError, and a host fuzzed on every port keeps
relaying with bounded memory."""

from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import zmq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zp2p_gui import PROTOCOL_VERSION
from zp2p_gui.core import crypto
from zp2p_gui.core.codec import SCHEMAS, CodecError, decode, encode, parse_beacon

from ..harness import Room

FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                         st.text(max_size=80), st.just("\ud800"), st.just(2**64), st.just(-1))
json_values = st.recursive(json_scalars, lambda inner: st.one_of(st.lists(inner, max_size=5),
                                                                  st.dictionaries(st.text(max_size=10), inner, max_size=5)),
                           max_leaves=30)


@st.composite
def envelopes(draw: st.DrawFn) -> bytes:
    """Almost-valid messages: a real kind and real field names with values of any type,
    sometimes a field missing, sometimes the frame truncated. These reach the schema checks."""
    kind = draw(st.sampled_from(sorted(SCHEMAS)))
    body: dict[str, Any] = {"v": draw(st.sampled_from([PROTOCOL_VERSION, PROTOCOL_VERSION, 0, "1", True])), "k": kind}
    for name, _ in SCHEMAS[kind]:
        if draw(st.integers(0, 9)):
            body[name] = draw(json_values)
    data = json.dumps(body, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return data


def nested(depth: int) -> bytes:
    return ('{"v":1,"k":"say","node_id":"a","seq":1,"text":' + "[" * depth + "]" * depth + "}").encode()


def _decode_only_codec_errors(frame: bytes) -> None:
    try:
        msg = decode(frame)
    except CodecError:
        return
    encode(msg.pop("k"), **msg)  # what passes must be safe to send on: the host echoes fields back


@FUZZ
@given(st.binary(max_size=2048))
def test_decode_random_bytes(frame: bytes) -> None:
    _decode_only_codec_errors(frame)


@FUZZ
@given(envelopes())
def test_decode_wrongly_typed_and_truncated_envelopes(frame: bytes) -> None:
    _decode_only_codec_errors(frame)


@FUZZ
@given(json_values)
def test_decode_any_json_value(value: Any) -> None:
    _decode_only_codec_errors(json.dumps(value).encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("frame", [nested(100_000), b"[" * 1_000_000, b"1" * 5000, b'{"v":' + b"9" * 5000 + b"}",
                                   b"\x00" * (2 << 20), "\ud800".encode("utf-8", "surrogatepass"),
                                   b'{"v":1,"k":"register","node_id":"\\ud800","nick":"a","room":"r","proto":1,"key":""}'])
def test_decode_deep_huge_and_invalid_unicode(frame: bytes) -> None:
    with pytest.raises(CodecError):
        decode(frame)


@FUZZ
@given(st.lists(st.one_of(st.binary(max_size=200), st.just(b"NAMESERVER:127.0.0.1"), envelopes()), max_size=4),
       st.binary(max_size=40))
def test_parse_beacon_only_raises_codec_error(frames: list[bytes], tail: bytes) -> None:
    if frames and frames[0].startswith(b"NAMESERVER:"):
        frames[0] = frames[0] + tail
    try:
        parse_beacon(frames)
    except CodecError:
        pass


# ---------------------------------------------------------------------------------- live host


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def random_frame(rng: random.Random) -> bytes:
    """Junk, near-valid protocol messages, forged senders, deep nesting and oversized frames."""
    pick = rng.randrange(7)
    if pick == 0:
        return rng.randbytes(rng.randrange(0, 300))
    if pick == 1:
        kind = rng.choice(sorted(SCHEMAS))
        body = {"v": 1, "k": kind, **{name: rng.choice([None, 1, -1, 2**70, "x" * rng.randrange(100), [], {}, 1.5])
                                      for name, _ in SCHEMAS[kind]}}
        return json.dumps(body).encode()
    if pick == 2:
        return encode("say", node_id=rng.randbytes(8).hex(), seq=rng.randrange(1, 100), text="forged", sig="0" * 88)
    if pick == 3:
        return nested(rng.randrange(10, 5000))
    if pick == 4:
        return b"x" * rng.choice([70_000, 200_000])  # over MAXMSGSIZE: zmq drops the peer
    if pick == 5:
        return encode("register", node_id=rng.randbytes(8).hex(), nick="\u202eevil", room="lobby", proto=1, key="",
                      proof="0" * 88)
    return encode("hb", node_id=rng.randbytes(8).hex())


def fuzz_ports(ip: str, port: int, seconds: float, seed: int, room_keys: crypto.RoomKeys | None = None) -> int:
    """Random frames at every bound port through every socket type that can reach it, plus raw TCP.
    With room_keys the fuzzer is an insider: its sockets complete the CURVE handshake."""
    rng = random.Random(seed)
    ctx = zmq.Context.instance()
    sent = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        kind, offset = rng.choice([(zmq.PUSH, 2), (zmq.DEALER, 1), (zmq.REQ, 1), (zmq.SUB, 3), (zmq.SUB, 0),
                                   (zmq.PUB, 2), (zmq.DEALER, 3), (zmq.DEALER, 4), (zmq.PUSH, 4),
                                   (None, rng.randrange(5))])
        if kind is None:
            with socket.create_connection((ip, port + offset), timeout=1) as raw:
                raw.sendall(rng.choice([b"\xff" + rng.randbytes(9) + b"\x7f\x03\x00NULL" + b"\x00" * 32, b""])
                            + rng.randbytes(rng.randrange(2000)))
            sent += 1
            continue
        sock = ctx.socket(kind)
        sock.setsockopt(zmq.LINGER, 0)
        sock.setsockopt(zmq.SNDTIMEO, 200)
        if offset == 4 or (room_keys is not None and offset != 0):  # the direct port is always CURVE
            sock.curve_serverkey = room_keys.server_public if room_keys else zmq.curve_keypair()[0]
            sock.curve_publickey, sock.curve_secretkey = zmq.curve_keypair()
        sock.connect(f"tcp://{ip}:{port + offset}")
        try:
            if kind == zmq.SUB:
                sock.setsockopt(zmq.SUBSCRIBE, rng.randbytes(rng.randrange(4)))
                sock.poll(20)
            elif kind == zmq.REQ:
                sock.send(random_frame(rng))
                sock.poll(200)
            else:
                for _ in range(rng.randrange(1, 60)):
                    parts = [random_frame(rng) for _ in range(rng.choice([1, 1, 2, 3]))]
                    sock.send_multipart(parts)
            sent += 1
        except zmq.Again:
            pass
        finally:
            sock.close(0)
    return sent


def fuzz_from_children(ip: str, port: int, seconds: float, seed: int, passphrase: str | None) -> tuple[int, int]:
    """Run the fuzzer in child processes: libzmq itself can abort the *sending* side when a peer
    hangs up in the middle of a multipart message (libzmq#3442, session_base.cpp clean_pipes), and
    the host hangs up on hostile peers all the time. A crashed fuzzer is restarted with the next
    seed until the time is used. Returns (connections made, fuzzer crashes)."""
    end = time.monotonic() + seconds
    sent = crashes = 0
    while (left := end - time.monotonic()) > 0.2:
        code = (f"from tests.integration.test_fuzz import fuzz_ports, crypto\n"
                f"keys = crypto.room_keys({passphrase!r}, 'lobby') if {passphrase!r} else None\n"
                f"print(fuzz_ports({ip!r}, {port}, {left}, {seed}, keys))")
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=left + 30,
                              cwd=Path(__file__).resolve().parents[2])
        if proc.returncode == 0:
            sent += int(proc.stdout.split()[-1])
        else:
            assert "Traceback" not in proc.stderr, proc.stderr
            crashes += 1
        seed += 1
    return sent, crashes


@pytest.mark.timeout(90)
@pytest.mark.parametrize("secure", [False, True], ids=["open-room", "passphrase-room-insider"])
def test_fuzzing_every_port_leaves_the_room_working_with_bounded_memory(room: Room, tmp_path: Any, secure: bool) -> None:
    passphrase = tmp_path / "passphrase"
    passphrase.write_text("fuzz me\n", encoding="utf-8")
    extra = ["--passphrase-file", str(passphrase)] if secure else []
    alice = room.start("alice", 2, *extra)
    alice.wait_event("hosting")
    bob = room.start("bob", 3, *extra)
    bob.wait_event("joined")
    bob.say("before")
    alice.wait_event("message", text="before")
    phrase = "fuzz me" if secure else None
    fuzz_from_children(room.ip(2), room.port, 1.5, 1, phrase)  # warm-up: the first round allocates the pools
    before = rss_kib(alice.proc.pid)
    try:
        sent, crashes = fuzz_from_children(room.ip(2), room.port, 8.0, int(os.environ.get("ZP2P_FUZZ_SEED", "2")),
                                           phrase)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\nhost exit code: {alice.proc.poll()}\n{alice.log()}") from None
    after = rss_kib(alice.proc.pid)
    print(f"\nfuzz ({'insider' if secure else 'open'}): {sent} connections ({crashes} fuzzer restarts), "
          f"host RSS {before} KiB -> {after} KiB ({after - before:+d} KiB)")
    assert alice.proc.poll() is None
    bob.say("after the storm")
    alice.wait_event("message", text="after the storm")
    alice.say("still here")
    bob.wait_event("message", text="still here")
    assert "forged" not in alice.texts() + bob.texts()
    assert after - before < 30 * 1024, "host memory grew by more than 30 MiB under fuzzing"
    logged = [line.split(": dropping malformed input from ")[0].split()[-1] + " " +
              line.split(": dropping malformed input from ")[1].split()[0]
              for line in alice.stderr if ": dropping malformed input from " in line]
    assert logged and len(logged) == len(set(logged)), f"malformed input logged more than once per peer: {logged}"
