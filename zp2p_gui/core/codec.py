"""The one wire codec. Every frame that arrives goes through `decode`; it returns a validated
dict or raises CodecError, so a hostile peer can never crash a loop or smuggle a wrong type."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from typing import Any

from .. import PROTOCOL_VERSION
from .batches import BATCH_MAX, PATH_TEXT
from .file_limits import DIR, MAX_ENTRIES, MAX_PATH_BYTES, MAX_SIZE
from .records import record
from .rosters import DELTA_MAX
from .validation import ValidationError, check_ip

LEGACY_PREFIX = b"NAMESERVER:"
MAX_LIST = 1000


class CodecError(ValueError):
    """The frame is not a valid protocol message."""


class VersionError(CodecError):
    """A well-formed message of a protocol version we do not speak."""


@record(frozen=True)
class Str:
    max_len: int = 256
    min_len: int = 0

    def check(self, value: Any, where: str) -> Any:
        if not isinstance(value, str) or not self.min_len <= len(value) <= self.max_len:
            raise CodecError(f"{where}: expected text of {self.min_len}-{self.max_len} characters")
        if not value.isascii():
            try:  # JSON can carry lone surrogates ("\ud800"); echoing one back would raise in encode
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise CodecError(f"{where}: text is not valid Unicode") from None
        return value


@record(frozen=True)
class Int:
    low: int = 0
    high: int = 2**53

    def check(self, value: Any, where: str) -> Any:
        if isinstance(value, bool) or not isinstance(value, int) or not self.low <= value <= self.high:
            raise CodecError(f"{where}: expected an integer in {self.low}..{self.high}")
        return value


@record(frozen=True)
class Num:
    def check(self, value: Any, where: str) -> Any:
        try:
            number = float(value) if not isinstance(value, bool) and isinstance(value, (int, float)) else math.nan
        except OverflowError:  # a 400-digit integer is valid JSON
            number = math.nan
        if not math.isfinite(number):
            raise CodecError(f"{where}: expected a finite number")
        return number


@record(frozen=True)
class Bool:
    def check(self, value: Any, where: str) -> Any:
        if not isinstance(value, bool):
            raise CodecError(f"{where}: expected true or false")
        return value


@record(frozen=True)
class OneOf:
    choices: tuple[str, ...]

    def check(self, value: Any, where: str) -> Any:
        if value not in self.choices or not isinstance(value, str):
            raise CodecError(f"{where}: expected one of {', '.join(self.choices)}")
        return value


@record(frozen=True)
class Omittable:
    """A field a peer of the same protocol version may leave out (it came later); `default` stands in."""

    spec: Any
    default: Any

    def check(self, value: Any, where: str) -> Any:
        return self.spec.check(value, where)


@record(frozen=True)
class Obj:
    fields: tuple[tuple[str, Any], ...]

    def check(self, value: Any, where: str) -> Any:
        if not isinstance(value, dict):
            raise CodecError(f"{where}: expected an object")
        try:  # each field checked under its bare name: no `where.name` made for a field that passes
            return self._fields_of(value, where, "")
        except CodecError:
            self._fields_of(value, where, where + ".")  # again, to say where it failed
            raise

    def _fields_of(self, value: dict[str, Any], where: str, prefix: str) -> dict[str, Any]:
        out = {}
        for name, spec in self.fields:
            if name in value:
                out[name] = spec.check(value[name], prefix + name)
            elif isinstance(spec, Omittable):
                out[name] = spec.default
            else:
                raise CodecError(f"{where}: missing {name!r}")
        return out


@record(frozen=True)
class List:
    item: Any
    max_len: int = MAX_LIST

    def check(self, value: Any, where: str) -> Any:
        if not isinstance(value, list) or len(value) > self.max_len:
            raise CodecError(f"{where}: expected a list of at most {self.max_len} items")
        check = self.item.check
        try:  # a batch's 64 texts: no `where[i]` made for each item that passes
            return [check(v, where) for v in value]
        except CodecError:
            for i, v in enumerate(value):  # again, to say which item failed
                check(v, f"{where}[{i}]")
            raise


@record(frozen=True)
class Marks:
    """sender node id -> highest sequence number relayed."""

    def check(self, value: Any, where: str) -> Any:
        if not isinstance(value, dict) or len(value) > MAX_LIST:
            raise CodecError(f"{where}: expected an object of at most {MAX_LIST} entries")
        return {ID.check(k, where): SEQ.check(v, where) for k, v in value.items()}


@record(frozen=True)
class Addr:
    """A dotted IPv4 address: peers are told to connect to it, so nothing else may pass."""

    def check(self, value: Any, where: str) -> Any:
        try:
            return _ipv4(Str(15, 7).check(value, where))
        except ValidationError:
            raise CodecError(f"{where}: expected an IPv4 address") from None


@lru_cache(maxsize=1024)
def _ipv4(text: str) -> str:
    """check_ip, remembered: every relayed chat names its sender's address, a room has few, and
    `ipaddress` parsing one cold (a lone message after 50 ms idle) took ~90 us of the ~200 a
    chat's decode cost. Refusals raise, so they are never kept."""
    return check_ip(text)


ID = Str(64, 1)
NICK = Str(64, 1)
TEXT = Str(64 * 1024, 1)
SEQ = Int(0)
ADDR = Addr()
KEY = Str(64)  # Z85 Ed25519 public key (40 characters); core/signing checks it
SIG = Str(88, 88)  # base64 Ed25519 signature; core/signing checks it
MEMBER = Obj((("node_id", ID), ("nick", NICK), ("addr", ADDR), ("joined", Num()), ("host", Bool()), ("key", KEY)))
CHAT = Obj((("sender", ID), ("nick", NICK), ("addr", ADDR), ("seq", Int(1)), ("text", TEXT), ("ts", Num()),
            ("key", KEY), ("sig", SIG),
            # a message of a batch (core/batches.py): the batch's seqs and the message's path to its root;
            # a lone message leaves them out (0, 0, "") and its sig covers the message alone
            ("first", Omittable(SEQ, 0)), ("last", Omittable(SEQ, 0)), ("path", Omittable(Str(PATH_TEXT), ""))))
TEXTS = List(TEXT, BATCH_MAX)
GONE = Obj((("node_id", ID), ("nick", NICK), ("how", OneOf(("left", "lost")))))  # core/events.py Departure
RECENTLY_GONE = Omittable(List(GONE, 64), ())
LINEAGE = 8  # hosts of the room a beacon's host has followed, newest first (core/election.py)
FOLLOWED = Omittable(List(ID, LINEAGE), ())
DM_IDS = List(ID, 256)
ENTRY = Obj((("p", Str(MAX_PATH_BYTES, 1)), ("s", Int(DIR, MAX_SIZE))))  # core/files.py Entry
HEX64 = Str(64, 64)
BOX = Str(88 * 1024, 1)  # base64 of a sealed direct frame (core/sealing.py); the frame limit still applies

SCHEMAS: dict[str, tuple[tuple[str, Any], ...]] = {
    # Beacon frame 1: who hosts which room, how to reach it. A private room's beacon leaves room
    # and nick empty and members 0 (beacon_frames); an open room's must fill room and nick.
    "beacon": (("room", Str(64)), ("room_id", ID), ("host_id", ID), ("nick", Str(64)), ("epoch", Num()),
               ("term", SEQ), ("secure", Bool()), ("members", SEQ),
               ("after", FOLLOWED)),
    # Registry (REQ -> REP).
    "register": (("node_id", ID), ("nick", Str(256, 0)), ("room", Str(64, 1)), ("proto", SEQ), ("key", KEY),
                 ("proof", SIG)),
    "welcome": (("host_id", ID), ("term", SEQ), ("epoch", Num()), ("version", SEQ), ("members", List(MEMBER)),
                ("backlog", List(CHAT)), ("marks", Marks()), ("gone", RECENTLY_GONE)),
    "refused": (("code", Str(64, 1)), ("detail", Str(512))),
    "leave": (("node_id", ID),),
    "fetch": (("node_id", ID), ("sender", ID), ("first", Int(1)), ("last", Int(1))),
    "history": (("messages", List(CHAT)),),
    "ping": (("node_id", ID),),
    "pong": (("t", Num()),),
    # Member -> host (PUSH -> PULL).
    "say": (("node_id", ID), ("seq", Int(1)), ("text", TEXT), ("sig", SIG)),
    # Several queued messages, seqs first.. in order, under one signature (core/batches.py).
    "says": (("node_id", ID), ("first", Int(1)), ("texts", TEXTS), ("sig", SIG)),
    "hb": (("node_id", ID),),
    # Host -> members (PUB -> SUB).
    "chat": CHAT.fields,
    # A `says` relayed whole: the fields its messages share, then their texts.
    "chats": (("sender", ID), ("nick", NICK), ("addr", ADDR), ("key", KEY), ("ts", Num()), ("sig", SIG),
              ("first", Int(1)), ("texts", TEXTS)),
    "roster": (("host_id", ID), ("term", SEQ), ("epoch", Num()), ("version", SEQ), ("members", List(MEMBER)),
               ("marks", Marks()), ("gone", RECENTLY_GONE)),
    "beat": (("host_id", ID), ("term", SEQ), ("epoch", Num()), ("version", SEQ), ("marks", Marks())),
    # What changed in the member list from version `since` to `version` (core/rosters.py).
    "roster_delta": (("host_id", ID), ("term", SEQ), ("epoch", Num()), ("version", SEQ), ("marks", Marks()),
                     ("since", SEQ), ("changed", List(MEMBER, DELTA_MAX)), ("removed", List(ID, DELTA_MAX)),
                     ("gone", RECENTLY_GONE)),
    "handover": (("successor", ID), ("addr", ADDR)),
    "redirect": (("addr", ADDR),),
    "notice": (("to", ID), ("code", Str(64, 1)), ("detail", Str(512))),
    # Member -> member on the direct port P+4 (DEALER -> ROUTER, CURVE to the recipient's identity),
    # or inside a sealed box. `key` is the sender's identity key: the transport or the seal checks it.
    "dm": (("id", ID), ("key", KEY), ("nick", NICK), ("text", TEXT), ("ts", Num())),
    "dm_read": (("id", ID), ("key", KEY), ("ids", DM_IDS)),
    "dm_ack": (("key", KEY), ("ids", DM_IDS)),
    # The host fallback: member -> relay (PUSH), then relay -> members (PUB), only `to` can open it.
    "sealed": (("node_id", ID), ("to", KEY), ("box", BOX)),
    "sealed_to": (("to", KEY), ("box", BOX)),
    # File transfer, member -> member on the direct port (docs/protocol.md "Files"). Names and
    # sizes are checked again by core/files.check_manifest before anything touches a disk. `dkey`
    # is the transfer's data key: gets and chunks go sealed with it on the data port P+5
    # (core/file_seal.py), never as JSON.
    "file_offer": (("id", ID), ("key", KEY), ("nick", NICK), ("name", Str(255, 1)), ("folder", Bool()),
                   ("size", Int(0, MAX_SIZE)), ("files", Int(0, MAX_ENTRIES)), ("fp", HEX64),
                   ("entries", List(ENTRY, MAX_ENTRIES)), ("dkey", HEX64)),
    "file_wait": (("id", ID), ("key", KEY)),
    "file_end": (("id", ID), ("key", KEY), ("hash", HEX64)),
    "file_done": (("id", ID), ("key", KEY), ("hash", Omittable(HEX64, ""))),
    "file_stop": (("id", ID), ("key", KEY), ("code", Str(64, 1)), ("detail", Str(512))),
}


DIRECT_KINDS = ("dm", "dm_read", "dm_ack")
FILE_KINDS = ("file_offer", "file_wait", "file_end", "file_done", "file_stop")


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # json.dumps with these options makes one per call


def encode(kind: str, **fields: Any) -> bytes:
    """One protocol message as compact UTF-8 JSON."""
    assert kind in SCHEMAS, kind
    return _dumps({"v": PROTOCOL_VERSION, "k": kind, **fields}).encode()


_scan = json.JSONDecoder().scan_once  # json's C scanner, as json.loads uses it


def _loads(text: str) -> Any:
    """json.loads for one frame: our frames are one compact value, which the C scanner reads in
    one call without `loads`' Python layers and whitespace regexes (cold, on a lone message, ~40 us
    of its ~85). Anything else (whitespace around the value, trailing data, no value at all) goes
    to json.loads, which accepts or refuses it as it always did."""
    try:
        value, end = _scan(text, 0)
    except StopIteration:
        return json.loads(text)
    return value if end == len(text) else json.loads(text)


def decode(frame: bytes, expect: tuple[str, ...] | None = None, max_bytes: int = 1 << 20) -> dict[str, Any]:
    """Validate one frame; the result has "k" and exactly the fields of its kind."""
    if len(frame) > max_bytes:
        raise CodecError("frame too large")
    try:
        raw = _loads(frame.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise CodecError(f"not JSON: {exc.__class__.__name__}") from None
    if not isinstance(raw, dict):
        raise CodecError("not an object")
    version = raw.get("v")
    if isinstance(version, bool) or not isinstance(version, int):
        raise CodecError("no protocol version")
    if version != PROTOCOL_VERSION:
        raise VersionError(f"protocol version {version}, we speak {PROTOCOL_VERSION}")
    kind = raw.get("k")
    if not isinstance(kind, str) or kind not in SCHEMAS or (expect is not None and kind not in expect):
        raise CodecError(f"unexpected kind {kind!r}"[:80])
    out = Obj(SCHEMAS[kind]).check(raw, kind)
    if kind in CONSISTENCY:
        CONSISTENCY[kind](out)
    out["k"] = kind
    return out


_LONE_CHAT_DEFAULTS = tuple((name, spec.default) for name, spec in CHAT.fields if isinstance(spec, Omittable))


def decode_own(frame: bytes, max_bytes: int = 1 << 20) -> dict[str, Any]:
    """`decode` for a frame this process encoded itself (the host's relay hands what it publishes
    to its own engine, net/host.py): a lone chat, the one kind a quiet room's message is, is only
    parsed, its left-out fields given their defaults, not checked again (cold, on a lone message,
    the check cost ~100 us of the ~190 a decode takes); every other kind is decoded in full."""
    raw = _loads(frame.decode("utf-8"))
    if raw.get("k") != "chat":
        return decode(frame, max_bytes=max_bytes)
    del raw["v"]
    for name, default in _LONE_CHAT_DEFAULTS:
        raw.setdefault(name, default)
    return raw


def _delta_consistent(msg: dict[str, Any]) -> None:
    """A delta goes forward (since < version) and names each member once."""
    if msg["since"] >= msg["version"]:
        raise CodecError("roster_delta: since must be below version")
    ids = [m["node_id"] for m in msg["changed"]] + msg["removed"]
    if len(set(ids)) != len(ids):
        raise CodecError("roster_delta: a member named twice")


def _batch_consistent(msg: dict[str, Any]) -> None:
    """A batch holds at least one message, and its seqs stay within the integer range."""
    if not msg["texts"]:
        raise CodecError("batch: no messages")
    if msg["first"] + len(msg["texts"]) - 1 > SEQ.high:
        raise CodecError("batch: seq out of range")


def _chat_consistent(chat: dict[str, Any]) -> None:
    """A message of a batch lies within it, and a batch is at most BATCH_MAX long; a lone
    message names no batch and carries no path."""
    first, last = chat["first"], chat["last"]
    if first or last or chat["path"]:
        if not 1 <= first <= chat["seq"] <= last < first + BATCH_MAX:
            raise CodecError("chat: seq outside its batch")


def _chats_consistent(key: str) -> Any:
    def check(msg: dict[str, Any]) -> None:
        for chat in msg[key]:
            _chat_consistent(chat)
    return check


CONSISTENCY = {"roster_delta": _delta_consistent,  # checks across the fields of one message
               "says": _batch_consistent, "chats": _batch_consistent, "chat": _chat_consistent,
               "welcome": _chats_consistent("backlog"), "history": _chats_consistent("messages")}


PRIVATE_BEACON_BLANKS = {"room": "", "nick": "", "members": 0}


def beacon_frames(host_ip: str, **desc: Any) -> list[bytes]:
    """Frame 0 is the seed's exact string; frame 1 the versioned description. Anyone on the LAN
    reads a beacon, so a passphrase room's says only that it is private and its room id (plus
    what ranks two hosts of one room: host id, epoch, term), never its name, host nick or size."""
    if desc["secure"]:
        desc = {**desc, **PRIVATE_BEACON_BLANKS}
    return [LEGACY_PREFIX + host_ip.encode(), encode("beacon", **desc)]


def parse_beacon(frames: list[bytes]) -> tuple[str, dict[str, Any] | None]:
    """(host ip, description); description None means a legacy seed-era host."""
    if not frames or not frames[0].startswith(LEGACY_PREFIX) or len(frames[0]) > 64:
        raise CodecError("not a beacon")
    try:
        ip = check_ip(frames[0][len(LEGACY_PREFIX):].decode("ascii"))
    except (UnicodeDecodeError, ValidationError):
        raise CodecError("beacon names no IPv4 address") from None
    if len(frames) == 1:
        return ip, None
    desc = decode(frames[1], expect=("beacon",), max_bytes=4096)
    if not desc["secure"] and not (desc["room"] and desc["nick"]):
        raise CodecError("beacon: an open room must name its room and host")
    return ip, desc
