"""The wire codec: every kind round-trips, everything else is a CodecError (never another exception)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zp2p_gui import PROTOCOL_VERSION
from zp2p_gui.core.codec import (
    LEGACY_PREFIX,
    MAX_LIST,
    SCHEMAS,
    CodecError,
    VersionError,
    beacon_frames,
    decode,
    decode_own,
    encode,
    Omittable,
    parse_beacon,
)
from zp2p_gui.core.rosters import DELTA_MAX

KEY = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"  # a Z85 public key: 40 characters
MEMBER = {"node_id": "a1", "nick": "앨리스", "addr": "127.0.0.2", "joined": 1700000000.5, "host": True, "key": KEY}
SIG = "0" * 88  # a signature's shape (core/signing checks its content)
PATH = "A" * 88  # base64 of two 32-byte hashes: message 7 of batch 5..8 (core/batches.py)
CHAT = {"sender": "a1", "nick": "앨리스", "addr": "127.0.0.2", "seq": 7, "text": "안녕\nline two", "ts": 1700000001.25,
        "key": KEY, "sig": SIG, "first": 5, "last": 8, "path": PATH}
BEACON = {"room": "lobby", "room_id": "lobby", "host_id": "a1", "nick": "alice", "epoch": 1700000000.5,
          "term": 3, "secure": False, "members": 2, "after": ["h0"]}

# One valid message of every kind; test_samples_cover_every_kind keeps this in step with SCHEMAS.
SAMPLES: dict[str, dict[str, Any]] = {
    "beacon": BEACON,
    "register": {"node_id": "b2", "nick": "bob", "room": "lobby", "proto": PROTOCOL_VERSION, "key": KEY,
                 "proof": SIG},
    "welcome": {"host_id": "a1", "term": 0, "epoch": 1.5, "version": 4, "members": [MEMBER], "backlog": [CHAT],
                "marks": {"a1": 7}, "gone": []},
    "refused": {"code": "nick_in_use", "detail": "nick 'bob' is in use"},
    "leave": {"node_id": "b2"},
    "fetch": {"node_id": "b2", "sender": "a1", "first": 3, "last": 6},
    "history": {"messages": [CHAT, {**CHAT, "seq": 8}]},
    "ping": {"node_id": "b2"},
    "pong": {"t": 1700000002.0},
    "say": {"node_id": "b2", "seq": 1, "text": "hi 👋", "sig": SIG},
    "says": {"node_id": "b2", "first": 2, "texts": ["one", "two 👋"], "sig": SIG},
    "hb": {"node_id": "b2"},
    "chat": CHAT,
    "chats": {"sender": "a1", "nick": "앨리스", "addr": "127.0.0.2", "key": KEY, "ts": 1700000001.25, "sig": SIG,
              "first": 5, "texts": ["a", "b", "c", "d"]},
    "roster": {"host_id": "a1", "term": 1, "epoch": 2.0, "version": 5,
               "members": [MEMBER, {**MEMBER, "node_id": "b2", "host": False, "key": ""}], "marks": {},
               "gone": [{"node_id": "c3", "nick": "carol", "how": "left"}, {"node_id": "d4", "nick": "dan", "how": "lost"}]},
    "beat": {"host_id": "a1", "term": 1, "epoch": 2.0, "version": 5, "marks": {"b2": 3}},
    "roster_delta": {"host_id": "a1", "term": 1, "epoch": 2.0, "version": 7, "marks": {"b2": 3}, "since": 5,
                     "changed": [{**MEMBER, "node_id": "b2", "host": False}], "removed": ["c3"],
                     "gone": [{"node_id": "c3", "nick": "carol", "how": "left"}]},
    "handover": {"successor": "b2", "addr": "127.0.0.3"},
    "redirect": {"addr": "127.0.0.4"},
    "notice": {"to": "b2", "code": "rate_limited", "detail": "slow down"},
    "dm": {"id": "f" * 32, "key": KEY, "nick": "amy", "text": "just for you", "ts": 1700000003.0},
    "dm_read": {"id": "e" * 32, "key": KEY, "ids": ["f" * 32]},
    "dm_ack": {"key": KEY, "ids": ["f" * 32, "e" * 32]},
    "sealed": {"node_id": "b2", "to": KEY, "box": "c2VhbGVk"},
    "sealed_to": {"to": KEY, "box": "c2VhbGVk"},
    "file_offer": {"id": "d" * 32, "key": KEY, "nick": "amy", "name": "사진", "folder": True, "size": 5, "files": 1,
                   "fp": "0" * 64, "entries": [{"p": "a", "s": -1}, {"p": "a/b.txt", "s": 5}], "dkey": "1" * 64},
    "file_wait": {"id": "d" * 32, "key": KEY},
    "file_end": {"id": "d" * 32, "key": KEY, "hash": "a" * 64},
    "file_done": {"id": "d" * 32, "key": KEY, "hash": "e" * 64},
    "file_stop": {"id": "d" * 32, "key": KEY, "code": "declined", "detail": ""},
}


def raw(kind: str, **fields: Any) -> bytes:
    return json.dumps({"v": PROTOCOL_VERSION, "k": kind, **fields}).encode()


def test_samples_cover_every_kind() -> None:
    assert set(SAMPLES) == set(SCHEMAS)


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_round_trip_every_kind(kind: str) -> None:
    msg = decode(encode(kind, **SAMPLES[kind]))
    assert msg.pop("k") == kind
    assert msg == SAMPLES[kind]


def test_a_roster_without_gone_from_an_older_peer_still_decodes() -> None:
    old = {k: v for k, v in SAMPLES["roster"].items() if k != "gone"}
    assert decode(encode("roster", **old))["gone"] == ()


def test_a_beacon_without_after_from_an_older_peer_still_decodes_and_after_is_bounded() -> None:
    old = {k: v for k, v in BEACON.items() if k != "after"}
    assert decode(encode("beacon", **old))["after"] == ()
    with pytest.raises(CodecError):
        decode(encode("beacon", **{**BEACON, "after": [f"h{i}" for i in range(9)]}))


def test_encoding_is_compact_utf8_with_the_envelope() -> None:
    frame = encode("say", node_id="n", seq=1, text="한국어")
    assert "한국어".encode() in frame and b" " not in frame
    assert json.loads(frame)["v"] == PROTOCOL_VERSION and json.loads(frame)["k"] == "say"


def test_unknown_fields_are_dropped_and_numbers_become_float() -> None:
    msg = decode(raw("pong", t=5, extra="ignored"))
    assert msg == {"k": "pong", "t": 5.0} and isinstance(msg["t"], float)


def test_expect_restricts_kinds() -> None:
    assert decode(encode("hb", node_id="x"), expect=("hb",))["k"] == "hb"
    with pytest.raises(CodecError):
        decode(encode("hb", node_id="x"), expect=("say", "leave"))


@pytest.mark.parametrize("kind", sorted(k for k in SCHEMAS if SCHEMAS[k]))
def test_every_missing_field_is_refused(kind: str) -> None:
    """Every field but the optional ones (see the older-peer test): those take their default."""
    for name, spec in SCHEMAS[kind]:
        if isinstance(spec, Omittable):
            continue
        body = {k: v for k, v in SAMPLES[kind].items() if k != name}
        with pytest.raises(CodecError, match="missing"):
            decode(raw(kind, **body))


@pytest.mark.parametrize("kind,field,value", [
    ("say", "seq", "1"),                 # text for a number
    ("say", "seq", 1.0),                 # float for an integer
    ("say", "seq", True),                # a bool is not an integer
    ("say", "seq", 0),                   # sequences start at 1
    ("say", "seq", -1),
    ("say", "seq", 2**53 + 1),
    ("say", "text", ""),                 # empty text
    ("say", "text", 5),
    ("say", "text", None),
    ("say", "node_id", ""),
    ("say", "node_id", "x" * 65),
    ("say", "node_id", ["a"]),
    ("pong", "t", True),                 # a bool is not a number either
    ("pong", "t", "1.0"),
    ("pong", "t", None),
    ("beacon", "secure", 1),             # ... and an integer is not a bool
    ("beacon", "secure", "true"),
    ("beacon", "term", False),
    ("register", "proto", True),
    ("register", "key", "k" * 65),
    ("fetch", "first", 0),
    ("welcome", "members", {"a": 1}),
    ("welcome", "members", [{**MEMBER, "host": 1}]),
    ("welcome", "members", [{**MEMBER, "joined": False}]),
    ("welcome", "backlog", [{**CHAT, "seq": True}]),
    ("welcome", "marks", {"a": -1}),
    ("roster", "gone", [{"node_id": "c3", "nick": "carol", "how": "vanished"}]),
    ("roster", "gone", [{"node_id": "c3", "nick": "carol"}]),
    ("roster", "gone", {"c3": "left"}),
    ("roster_delta", "since", -1),
    ("roster_delta", "removed", "c3"),
    ("roster_delta", "removed", [""]),
    ("roster_delta", "changed", [{**MEMBER, "addr": "nowhere"}]),
    ("welcome", "marks", {"a": True}),
    ("welcome", "marks", {"": 1}),
    ("welcome", "marks", [["a", 1]]),
    ("handover", "addr", "1.2.3"),        # ADDR is 7-15 characters
    ("handover", "addr", "1234567890123456"),
    ("refused", "detail", "d" * 513),
])
def test_wrong_types_and_ranges_are_refused(kind: str, field: str, value: Any) -> None:
    with pytest.raises(CodecError):
        decode(raw(kind, **{**SAMPLES[kind], field: value}))


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_non_finite_numbers_are_refused(number: str) -> None:
    frame = b'{"v":1,"k":"pong","t":' + number.encode() + b"}"
    with pytest.raises(CodecError):
        decode(frame)


def test_huge_integer_in_a_number_field_is_a_codec_error() -> None:
    """BUG (core/codec.py, Num.check): math.isfinite/float() of an int above ~1.8e308 raises
    OverflowError, which is not a CodecError, so it escapes decode. Every Num field is affected
    (beacon epoch, member joined, chat ts, pong t): one such beacon kills the Discovery actor,
    whose on_readable catches only CodecError, and the engine then stops with a fatal error."""
    frame = b'{"v":1,"k":"pong","t":1' + b"0" * 400 + b"}"
    try:
        decode(frame)
    except CodecError:
        return
    except Exception as exc:  # noqa: BLE001 - the point of the test
        pytest.fail(f"BUG codec.Num.check: decode raised {exc.__class__.__name__} ({exc}) instead of CodecError")
    pytest.fail("a 401-digit epoch was accepted")


def test_huge_integer_in_a_beacon_is_a_codec_error() -> None:
    """Same bug reached through parse_beacon, as the Discovery actor calls it."""
    body = json.dumps({"v": 1, "k": "beacon", **BEACON}).replace('"epoch": 1700000000.5', '"epoch": 1' + "0" * 400)
    try:
        parse_beacon([b"NAMESERVER:127.0.0.9", body.encode()])
    except CodecError:
        return
    except Exception as exc:  # noqa: BLE001
        pytest.fail(f"BUG codec.Num.check: parse_beacon raised {exc.__class__.__name__} instead of CodecError; "
                    "one hostile beacon kills discovery")
    pytest.fail("a 401-digit epoch was accepted")


def test_a_private_rooms_beacon_names_no_room_host_or_size() -> None:
    secret = {**BEACON, "room": "board meeting", "nick": "ceo", "room_id": "f00d", "secure": True, "members": 9}
    frames = beacon_frames("127.0.0.9", **secret)
    assert b"board" not in frames[1] and b"ceo" not in frames[1]
    ip, desc = parse_beacon(frames)
    assert (ip, desc["room"], desc["nick"], desc["members"], desc["room_id"]) == ("127.0.0.9", "", "", 0, "f00d")


def test_an_open_rooms_beacon_must_name_its_room_and_host() -> None:
    assert parse_beacon(beacon_frames("127.0.0.9", **BEACON))[1]["room"] == "lobby"
    for blank in ({"room": ""}, {"nick": ""}):
        with pytest.raises(CodecError, match="open room"):
            parse_beacon([b"NAMESERVER:127.0.0.9", raw("beacon", **{**BEACON, **blank})])


@pytest.mark.parametrize("kind,fields", [
    ("redirect", {"addr": "evil.example"}),
    ("redirect", {"addr": "999.999.999.999"}),  # not an address at all: refused by the decoder
    ("handover", {"successor": "b2", "addr": "localhost:1"}),
    ("roster", {**SAMPLES["roster"], "members": [{**MEMBER, "addr": "not-an-ip"}]}),
])
def test_address_fields_must_be_ipv4(kind: str, fields: dict[str, Any]) -> None:
    """BUG (core/codec.py, ADDR = Str(15, 7)): addresses on the wire are only length-checked.
    node.py uses them as connect endpoints (redirect -> _join, handover/roster -> successor
    addresses for discovery) without an is_allowed check, so whoever hosts can point members at a
    hostname (a DNS lookup) or at an address outside ZP2P_ALLOWED_NETS."""
    try:
        decode(raw(kind, **fields))
    except CodecError:
        return
    pytest.fail(f"BUG codec.ADDR: a {kind} naming a non-IPv4 address was accepted: {fields}")


def test_lone_surrogate_text_is_refused() -> None:
    with pytest.raises(CodecError, match="Unicode"):
        decode(b'{"v":1,"k":"say","node_id":"a","seq":1,"text":"x\\ud800"}')
    with pytest.raises(CodecError):
        decode(b'{"v":1,"k":"welcome","host_id":"a","term":0,"epoch":1,"members":[],"backlog":[],'
               b'"marks":{"\\udc00":1}}')


def test_version_mismatch_is_a_version_error() -> None:
    frame = json.dumps({"v": PROTOCOL_VERSION + 1, "k": "register", **SAMPLES["register"]}).encode()
    with pytest.raises(VersionError):
        decode(frame)
    assert issubclass(VersionError, CodecError)
    # Even an unknown kind from a newer version is reported as a version problem first.
    with pytest.raises(VersionError):
        decode(b'{"v":2,"k":"frobnicate"}')


@pytest.mark.parametrize("frame", [
    b'{"k":"hb","node_id":"a"}',             # no version
    b'{"v":"1","k":"hb","node_id":"a"}',     # version as text
    b'{"v":1.0,"k":"hb","node_id":"a"}',     # version as float
    b'{"v":true,"k":"hb","node_id":"a"}',    # version as bool (True == 1 in Python)
])
def test_missing_or_mistyped_version_is_a_plain_codec_error(frame: bytes) -> None:
    with pytest.raises(CodecError) as info:
        decode(frame)
    assert not isinstance(info.value, VersionError)


@pytest.mark.parametrize("frame", [
    b'{"v":1,"k":"frobnicate"}',
    b'{"v":1}',
    b'{"v":1,"k":5}',
    b'{"v":1,"k":["hb"]}',
])
def test_unknown_or_missing_kind_is_refused(frame: bytes) -> None:
    with pytest.raises(CodecError, match="kind"):
        decode(frame)


@pytest.mark.parametrize("frame", [b"[1,2]", b'"text"', b"1", b"null", b"true", b""])
def test_non_objects_are_refused(frame: bytes) -> None:
    with pytest.raises(CodecError):
        decode(frame)


# bytes for the decoder only: no address here is ever connected to
@pytest.mark.parametrize("frame", [b"\xff\xfe", b"{", b'{"v":1,', "\ufeff{}".encode(), b"NAMESERVER:1.2.3.4"])
def test_garbage_is_refused(frame: bytes) -> None:
    with pytest.raises(CodecError):
        decode(frame)


def test_deep_nesting_is_a_codec_error() -> None:
    deep = b'{"v":1,"k":"say","node_id":"a","seq":1,"text":' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    with pytest.raises(CodecError):
        decode(deep, max_bytes=len(deep))


def test_oversized_frames_are_refused_before_parsing() -> None:
    frame = encode("say", node_id="a", seq=1, text="x" * 1000, sig=SIG)
    assert decode(frame, max_bytes=len(frame))["k"] == "say"
    with pytest.raises(CodecError, match="too large"):
        decode(frame, max_bytes=len(frame) - 1)
    with pytest.raises(CodecError, match="too large"):
        decode(b" " * ((1 << 20) + 1))


def test_text_and_list_limits() -> None:
    assert decode(raw("say", node_id="a", seq=1, text="x" * 65536, sig=SIG))["text"] == "x" * 65536
    with pytest.raises(CodecError):
        decode(raw("say", node_id="a", seq=1, text="x" * 65537, sig=SIG))
    with pytest.raises(CodecError):
        decode(raw("say", node_id="a", seq=1, text="x", sig=SIG + "0"))
    history = raw("history", messages=[CHAT] * MAX_LIST)
    assert len(decode(history)["messages"]) == MAX_LIST
    with pytest.raises(CodecError):
        decode(raw("history", messages=[CHAT] * (MAX_LIST + 1)))
    with pytest.raises(CodecError):
        decode(raw("roster", **{**SAMPLES["roster"], "marks": {f"n{i}": 1 for i in range(MAX_LIST + 1)}}))


# ------------------------------------------------------------------------------- beacon frames


def test_beacon_frames_round_trip() -> None:
    frames = beacon_frames("127.0.0.5", **BEACON)
    assert frames[0] == b"NAMESERVER:127.0.0.5"
    ip, desc = parse_beacon(frames)
    assert ip == "127.0.0.5"
    assert desc is not None and desc.pop("k") == "beacon" and desc == BEACON


def test_legacy_one_frame_beacon_has_no_description() -> None:
    assert parse_beacon([b"NAMESERVER:192.168.1.20"]) == ("192.168.1.20", None)  # parser only: never connects


@pytest.mark.parametrize("frames", [
    [],
    [b""],
    [b"NAMESERVER:"],
    [b"NAMESERVER:999.1.1.1"],  # not an address: the parser refuses it
    [b"NAMESERVER:hostname"],
    [b"NAMESERVER:127.0.0.1/24"],
    [b"NAMESERVER:\xff\xfe"],
    [b"nameserver:127.0.0.1"],
    [b"NAMESERVER:127.0.0.1" + b" " * 60],   # frame 0 is at most 64 bytes
    [b"GARBAGE"],
    [b"NAMESERVER:127.0.0.1", b"not json"],
    [b"NAMESERVER:127.0.0.1", encode("hb", node_id="a")],   # frame 1 must be a beacon
    [b"NAMESERVER:127.0.0.1", json.dumps({"v": 2, "k": "beacon", **BEACON}).encode()],
    [b"NAMESERVER:127.0.0.1", encode("beacon", **BEACON) + b" " * 4096],  # frame 1 is at most 4096 bytes
])
def test_bad_beacons_are_codec_errors(frames: list[bytes]) -> None:
    with pytest.raises(CodecError):
        parse_beacon(frames)


def test_beacon_version_mismatch_is_a_version_error() -> None:
    with pytest.raises(VersionError):
        parse_beacon([b"NAMESERVER:127.0.0.1", json.dumps({"v": 99, "k": "beacon", **BEACON}).encode()])


def test_extra_beacon_frames_are_ignored() -> None:
    ip, desc = parse_beacon([*beacon_frames("127.0.0.1", **BEACON), b"future frame"])
    assert ip == "127.0.0.1" and desc is not None


def test_legacy_prefix_is_the_seed_string() -> None:
    assert LEGACY_PREFIX == b"NAMESERVER:"


# ------------------------------------------------------------------------------ property tests

texts = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=50)


@settings(max_examples=60, deadline=None)
@given(node_id=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=64),
       seq=st.integers(1, 2**53), text=texts)
def test_say_round_trips(node_id: str, seq: int, text: str) -> None:
    assert decode(encode("say", node_id=node_id, seq=seq, text=text, sig=SIG)) == {
        "k": "say", "node_id": node_id, "seq": seq, "text": text, "sig": SIG}


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_never_raise_anything_but_codec_error(frame: bytes) -> None:
    try:
        decode(frame)
    except CodecError:
        pass


# ------------------------------------------------------------------------------- roster deltas


@pytest.mark.parametrize("since, version", [(7, 7), (8, 7), (0, 0)])
def test_a_delta_that_does_not_go_forward_is_refused(since: int, version: int) -> None:
    with pytest.raises(CodecError, match="since must be below version"):
        decode(raw("roster_delta", **{**SAMPLES["roster_delta"], "since": since, "version": version}))


@pytest.mark.parametrize("changed, removed", [
    ([MEMBER, MEMBER], []),
    ([MEMBER], [MEMBER["node_id"]]),
    ([], ["c3", "c3"]),
])
def test_a_delta_that_names_a_member_twice_is_refused(changed: list[Any], removed: list[str]) -> None:
    with pytest.raises(CodecError, match="named twice"):
        decode(raw("roster_delta", **{**SAMPLES["roster_delta"], "changed": changed, "removed": removed}))


def test_a_delta_is_bounded() -> None:
    members = [{**MEMBER, "node_id": f"n{i}"} for i in range(DELTA_MAX + 1)]
    with pytest.raises(CodecError, match="at most"):
        decode(raw("roster_delta", **{**SAMPLES["roster_delta"], "changed": members}))
    with pytest.raises(CodecError, match="at most"):
        decode(raw("roster_delta", **{**SAMPLES["roster_delta"], "removed": [f"n{i}" for i in range(DELTA_MAX + 1)]}))


def test_a_file_done_without_its_hash_from_an_older_peer_still_decodes() -> None:
    old = {k: v for k, v in SAMPLES["file_done"].items() if k != "hash"}
    assert decode(encode("file_done", **old))["hash"] == ""


def test_a_lone_chat_names_no_batch() -> None:
    """A chat without the batch fields (a lone `say` relayed) decodes with first = last = 0 and no path."""
    lone = {k: v for k, v in CHAT.items() if k not in ("first", "last", "path")}
    assert decode(encode("chat", **lone)) == {**lone, "first": 0, "last": 0, "path": "", "k": "chat"}


@pytest.mark.parametrize("kind", sorted(k for k in SAMPLES if k in ("chat", "chats", "roster", "roster_delta", "beat",
                                                                     "notice", "handover", "redirect", "sealed_to")))
def test_what_our_own_relay_publishes_decodes_as_a_receiver_decodes_it(kind: str) -> None:
    """decode_own (net/host.py, our relay's frames to our own engine) skips the checks for a lone
    chat only; what it gives is what decode gives, a lone chat's left-out fields included."""
    lone = {k: v for k, v in CHAT.items() if k not in ("first", "last", "path")}
    for frame in (encode(kind, **SAMPLES[kind]), encode("chat", **lone)):
        assert decode_own(frame) == decode(frame)


@pytest.mark.parametrize("fields", [
    {"seq": 9},                           # after its batch
    {"seq": 4},                           # before it
    {"first": 8, "last": 5, "seq": 6},    # a batch that ends before it starts
    {"first": 1, "last": 65, "seq": 2},   # 65 messages: one too many
    {"first": 0, "last": 0},              # a path but no batch
    {"path": "A" * 300},                  # a path longer than six hashes
])
def test_a_chat_outside_its_batch_is_refused(fields: dict[str, Any]) -> None:
    for kind, body in (("chat", {**CHAT, **fields}), ("history", {"messages": [{**CHAT, **fields}]}),
                       ("welcome", {**SAMPLES["welcome"], "backlog": [{**CHAT, **fields}]})):
        with pytest.raises(CodecError):
            decode(raw(kind, **body))


@pytest.mark.parametrize("kind", ["says", "chats"])
@pytest.mark.parametrize("texts", [[], ["x"] * 65, ["ok", ""], ["ok", 5]])
def test_a_batch_is_bounded_and_every_text_checked(kind: str, texts: list[Any]) -> None:
    with pytest.raises(CodecError):
        decode(raw(kind, **{**SAMPLES[kind], "texts": texts}))


@pytest.mark.parametrize("kind", ["says", "chats"])
def test_a_batch_cannot_run_past_the_largest_seq(kind: str) -> None:
    with pytest.raises(CodecError, match="seq out of range"):
        decode(raw(kind, **{**SAMPLES[kind], "first": 2**53, "texts": ["a", "b"]}))
    assert decode(raw(kind, **{**SAMPLES[kind], "first": 2**53, "texts": ["a"]}))["first"] == 2**53


def test_an_address_is_checked_every_time_though_a_good_one_is_remembered() -> None:
    """Addr remembers the addresses it accepted (every relayed chat names its sender's): one it
    refused is refused again, and a good one still comes back in its dotted form."""
    for _ in range(2):
        assert decode(raw("chat", **{**CHAT, "addr": "127.0.0.2"}))["addr"] == "127.0.0.2"
        with pytest.raises(CodecError, match="IPv4"):
            decode(raw("chat", **{**CHAT, "addr": "127.0.0.256"}))
    assert decode(raw("redirect", addr=" 127.0.0.4 "))["addr"] == "127.0.0.4"


@pytest.mark.parametrize("frame,ok", [
    (b' {"v":%d,"k":"hb","node_id":"a"} ' % PROTOCOL_VERSION, True),  # whitespace around the value: json.loads takes it
    (b'{"v":%d,"k":"hb","node_id":"a"}x' % PROTOCOL_VERSION, False),  # trailing data
    (b'{"v":%d,"k":"hb","node_id":"a"}{"v":%d}' % (PROTOCOL_VERSION, PROTOCOL_VERSION), False),  # two values
    (b'\n', False),
])
def test_a_frame_is_read_as_json_loads_reads_it(frame: bytes, ok: bool) -> None:
    """decode reads a frame with json's scanner in one call; around it, json.loads decides."""
    if ok:
        assert decode(frame) == {"k": "hb", "node_id": "a"}
    else:
        with pytest.raises(CodecError, match="not JSON"):
            decode(frame)


def test_a_refused_field_is_named_by_its_whole_path() -> None:
    """Fields that pass are checked under their bare names; the one that fails is named in full."""
    with pytest.raises(CodecError, match=r"^welcome\.members\[0\]\.nick: expected text"):
        decode(raw("welcome", **{**SAMPLES["welcome"], "members": [{**MEMBER, "nick": 5}]}))
    with pytest.raises(CodecError, match=r"^chat\.seq: expected an integer"):
        decode(raw("chat", **{**CHAT, "seq": "7"}))
    with pytest.raises(CodecError, match=r"^history\.messages\[0\]: missing 'sig'"):
        decode(raw("history", messages=[{k: v for k, v in CHAT.items() if k != "sig"}]))
