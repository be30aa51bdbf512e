"""What the engine tells its front ends. Immutable, so a Qt signal can carry them across threads."""

from __future__ import annotations

import time
from enum import Enum
from typing import Any

from .records import field, fields, record


class Cause(str, Enum):
    """Why the room is reconnecting, so a front end can say it in a person's words and language."""

    HOST_CRASHED = "host_crashed"  # its connections dropped: the process or computer died
    HOST_SILENT = "host_silent"  # no beat and no answer to a probe: frozen, or its network is gone
    HOST_LEFT = "host_left"  # it quit politely and handed the room over
    MERGING = "merging"  # another host of the same room outranks ours; we move to it
    ROOM_MOVED = "room_moved"  # our host told us to follow it to another host
    NO_ANSWER = "no_answer"  # the host stopped answering registration


class Departure(str, Enum):
    """How a member left the room, as the host saw it."""

    LEFT = "left"  # said goodbye
    LOST = "lost"  # stopped answering (crashed, frozen, cable pulled)


@record(frozen=True)
class Member:
    """One user of the room as the host registered it."""

    node_id: str
    nick: str
    addr: str
    host: bool
    joined: float
    key: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"node_id": self.node_id, "nick": self.nick, "addr": self.addr, "host": self.host,
                "joined": self.joined, "key": self.key}


@record(frozen=True)
class Event:
    """Base of every engine event; `name` is the headless `event` key."""

    name = "event"
    t: float = field(default_factory=time.time, kw_only=True)

    def to_json(self) -> dict[str, Any]:
        """A plain dict for JSON; shallow on purpose (asdict deep-copies, 25x slower for a member list)."""
        body: dict[str, Any] = {"event": self.name, "t": self.t}
        for f in fields(self):
            if f.name != "t":
                value = getattr(self, f.name)
                body[f.name] = [m.to_json() for m in value] if f.name in ("users", "gone") else value
        return body


@record(frozen=True)
class Searching(Event):
    """`import_ms` and `import_cpu_ms`: wall clock and process CPU from the first line of zp2p's
    code to this event (zp2p_gui.since_start), the benchmark's import-to-search."""

    name = "searching"
    ranges: tuple[str, ...] = ()
    import_ms: float = 0.0
    import_cpu_ms: float = 0.0


@record(frozen=True)
class Hosting(Event):
    name = "hosting"
    host: str = ""


@record(frozen=True)
class Joined(Event):
    name = "joined"
    host: str = ""
    users: tuple[Member, ...] = ()


@record(frozen=True)
class Message(Event):
    name = "message"
    id: str = ""
    sender: str = ""
    nick: str = ""
    addr: str = ""
    text: str = ""
    ts: float = 0.0
    own: bool = False
    history: bool = False

    @classmethod
    def of_chat(cls, chat: dict[str, Any], own: bool, history: bool, t: float) -> Message:
        """The event that shows a relayed chat, its fields filled at once rather than through the
        record's frozen `__init__` (one guarded assignment per field, ~3 us, more than the rest of
        showing the message; every node shows every message). The same fields and values as
        `Message(...)` (tests/unit/test_events_message.py compares them)."""
        message = object.__new__(cls)
        message.__dict__.update(t=t, id=f"{chat['sender']}:{chat['seq']}", sender=chat["sender"], nick=chat["nick"],
                                addr=chat["addr"], text=chat["text"], ts=chat["ts"], own=own, history=history)
        return message

    def to_json(self) -> dict[str, Any]:
        """Written out rather than walked field by field: every node prints every message, and this
        costs a third of the generic walk (tests/unit/test_headless_printer.py keeps it complete)."""
        return {"event": self.name, "t": self.t, "id": self.id, "sender": self.sender, "from": self.nick,
                "addr": self.addr, "text": self.text, "ts": self.ts, "own": self.own, "history": self.history}


@record(frozen=True)
class Gap(Event):
    """Messages first..last of one sender that could not be recovered: the host no longer holds
    them. Said once, where they would have been, so a loss is never silent."""

    name = "gap"
    sender: str = ""
    nick: str = ""
    count: int = 0
    first: int = 0
    last: int = 0

    def to_json(self) -> dict[str, Any]:
        body = super().to_json()
        body["from"] = body.pop("nick")
        return body


@record(frozen=True)
class Direct(Event):
    """A direct message to this node from the member with identity key `key`; printed once per
    DM id per data folder, ever (survives restarts)."""

    name = "direct"
    id: str = ""
    key: str = ""
    nick: str = ""
    text: str = ""
    ts: float = 0.0

    def to_json(self) -> dict[str, Any]:
        body = super().to_json()
        body["from"] = body.pop("nick")
        return body


@record(frozen=True)
class Delivered(Event):
    """The recipient's node has our DM `id`."""

    name = "delivered"
    id: str = ""
    to: str = ""
    key: str = ""


@record(frozen=True)
class Queued(Event):
    """The recipient of DM `id` is away; it is delivered later by itself."""

    name = "queued"
    id: str = ""
    to: str = ""
    key: str = ""


@record(frozen=True)
class ReadMark(Event):
    """The recipient's window showed our DM `id`."""

    name = "read"
    id: str = ""
    by: str = ""
    key: str = ""


@record(frozen=True)
class Gone:
    """A member who is no longer in the room, and how it left."""

    node_id: str
    nick: str
    how: Departure = Departure.LEFT

    def to_json(self) -> dict[str, Any]:
        return {"node_id": self.node_id, "nick": self.nick, "how": self.how.value}


@record(frozen=True)
class Presence(Event):
    """The member list; `gone` names who left since the last list and how, when the host said."""

    name = "presence"
    users: tuple[Member, ...] = ()
    gone: tuple[Gone, ...] = ()


@record(frozen=True)
class HostChanged(Event):
    name = "host_changed"
    host: str = ""
    nick: str = ""  # who hosts now, when the roster names them


@record(frozen=True)
class Reconnecting(Event):
    """`reason` is English for logs and the CLI; `cause` and the nicks are for front ends' own words."""

    name = "reconnecting"
    reason: str = ""
    cause: Cause | None = None
    host: str = ""  # the host we are leaving (its address)
    host_nick: str = ""  # who hosted it, when known


@record(frozen=True)
class LegacyHost(Event):
    name = "legacy_host"
    host: str = ""


@record(frozen=True)
class Error(Event):
    name = "error"
    code: str = ""
    detail: str = ""
    fatal: bool = False


@record(frozen=True)
class KeyChanged(Error):
    """A nick came back with another identity key (another device, or someone else using the
    name). Fields carry the nick and both fingerprints, so front ends never parse `detail`."""

    code: str = "nick_key_changed"
    nick: str = ""
    old: str = ""
    new: str = ""


@record(frozen=True)
class Forged(Error):
    """A relayed message its claimed sender did not sign (altered or invented by a host) was
    dropped. Fields name the claimed sender, so front ends never parse `detail`."""

    code: str = "forged_message"
    sender: str = ""
    nick: str = ""


@record(frozen=True)
class Offer(Event):
    """Member `nick` (identity key `key`) offers us a file or folder; accept or decline by `id`.
    `filename` is the offered name (the field cannot be `name`: that is the event's name)."""

    name = "offer"
    id: str = ""
    key: str = ""
    nick: str = ""
    filename: str = ""
    size: int = 0
    files: int = 0
    resume: bool = False  # its sender resumes a transfer we accepted before: it starts without asking

    def to_json(self) -> dict[str, Any]:
        body = super().to_json()
        body["from"] = body.pop("nick")
        body["name"] = body.pop("filename")
        return body


@record(frozen=True)
class OfferSent(Event):
    """Our offer `id` of the file or folder at `path` went to `nick`; it waits for an answer
    (`resume`: the same id and content offered again by itself after a lost peer broke it)."""

    name = "offer_sent"
    id: str = ""
    key: str = ""
    nick: str = ""
    filename: str = ""
    size: int = 0
    files: int = 0
    path: str = ""
    resume: bool = False  # offered again by itself: a transfer a lost peer broke, its recipient back

    def to_json(self) -> dict[str, Any]:
        body = super().to_json()
        body["to"] = body.pop("nick")
        body["name"] = body.pop("filename")
        return body


@record(frozen=True)
class Progress(Event):
    """Transfer `id`: the recipient holds `bytes` of `size` (resumed bytes included); `rate` is
    recent bytes per second. At most 4 a second per transfer, on both sides."""

    name = "progress"
    id: str = ""
    bytes: int = 0
    size: int = 0
    rate: float = 0.0


@record(frozen=True)
class TransferDone(Event):
    """Transfer `id` is complete and verified: `path` is where it is now (the download at the
    recipient, the source at the sender); `resumed_from` bytes were not sent again."""

    name = "transfer_done"
    id: str = ""
    key: str = ""
    nick: str = ""
    path: str = ""
    size: int = 0
    hash: str = ""
    hash_alg: str = ""
    resumed_from: int = 0
    incoming: bool = False


@record(frozen=True)
class TransferFailed(Event):
    """Transfer `id` ended without the file: `code` is a core/errors.py code (declined,
    cancelled, disk_full, peer_lost, peer_away, hash_mismatch, refused_name, ...)."""

    name = "transfer_failed"
    id: str = ""
    key: str = ""
    nick: str = ""
    code: str = ""
    detail: str = ""
    incoming: bool = False
    resumable: bool = False  # a lost peer broke it: it resumes by itself once both are members again


@record(frozen=True)
class Rtt(Event):
    """Round trip to the host's registry; for status bars, not printed by the headless CLI."""

    name = "rtt"
    ms: float = 0.0


@record(frozen=True)
class Left(Event):
    name = "left"
