"""Every message that crosses a thread boundary inside one node, in one place.

Commands travel engine -> role over the role's inproc PAIR (pickled with send_pyobj); events
travel role -> engine through the engine's inbox queue, as do the front end's requests. All are
frozen: a message is a fact, never shared mutable state. Each receiver dispatches by type through
a `core.dispatch.Handlers` table; docs/architecture.md draws the paths."""

from __future__ import annotations

from typing import Any, Union

from ..core.errors import Code
from ..core.records import record

Packet = dict[str, Any]  # one decoded, validated wire message (core/codec.py)


# -- commands: engine -> role ------------------------------------------------------------------
@record(frozen=True)
class Stop:
    """End the role's loop; its sockets close in its own thread."""


@record(frozen=True)
class Connect:
    """Receiver, registration: (re)connect to this host. `since` starts the receiver's silence
    clock, so a host is not called silent for time spent before we connected. `own`: the host is
    this node, whose receiver then only watches that the relay publishes (net/host.py hands the
    packets over)."""

    host: str
    since: float = 0.0
    own: bool = False


@record(frozen=True)
class Disconnect:
    """Receiver: stop listening to the lost host (and stop reporting it lost)."""


@record(frozen=True)
class Alive:
    """Receiver: the probe says the host is slow, not gone; restart the silence clock."""

    at: float


@record(frozen=True)
class Register:
    host: str


@record(frozen=True)
class Ping:
    host: str
    sent: float


@record(frozen=True)
class Probe:
    host: str


@record(frozen=True)
class Fetch:
    host: str


@record(frozen=True)
class MergeCheck:
    """A register sent to another host of our room before our room moves to it: its welcome is
    the proof that it serves this room (in a passphrase room, that it completed CURVE with the
    room's key). `host_id` and `term` are what its beacon claimed; the welcome must say the same."""

    host: str
    host_id: str
    term: int


Purpose = Union[Register, Ping, Probe, Fetch, MergeCheck]  # why a request was made; its reply comes back with it


@record(frozen=True)
class Request:
    """Registration client: send frame to the registry, one at a time, and answer with a Reply."""

    purpose: Purpose
    frame: bytes


@record(frozen=True)
class UpdateBeacon:
    """Beacon: describe the room anew (term, member count) and beacon it at once."""

    desc: dict[str, Any]


@record(frozen=True)
class Handover:
    """Host: publish that `successor` takes the room over, then confirm nothing more."""

    successor: str
    addr: str


@record(frozen=True)
class Redirect:
    """Host: publish that the room moved to the host at addr, then confirm nothing more."""

    addr: str


@record(frozen=True)
class Serve:
    """Host: our display caught up with what the relay published; publish what waits for its turn
    (core/fairshare.py)."""


@record(frozen=True)
class DirectPeers:
    """Direct: the members that may connect to our direct port and that we may send to,
    as (identity key, address); connections to anyone else are closed."""

    peers: tuple[tuple[str, str], ...]


@record(frozen=True)
class DirectSend:
    """Direct: send one encoded direct frame to the member with identity key `key` at `addr`
    (dropped if it cannot go now: the engine keeps it until confirmed)."""

    key: str
    addr: str
    frame: bytes


@record(frozen=True)
class FilePeers:
    """Files: the members we may send files to and receive them from, as (identity key,
    address, nick); transfers with anyone else end with peer_lost."""

    peers: tuple[tuple[str, str, str], ...]


@record(frozen=True)
class OfferFiles:
    """Files: offer the file or folder at `path` to the member with identity key `key`."""

    id: str
    key: str
    path: str


# -- events: role -> engine --------------------------------------------------------------------
@record(frozen=True)
class Packets:
    """Receiver (or, on a host, its own host actor): what the host published, decoded, in order."""

    host: str
    batch: tuple[Packet, ...]


@record(frozen=True)
class Reply:
    """Registration client: the registry's answer; msg None means no valid answer in time."""

    purpose: Purpose
    msg: Packet | None


@record(frozen=True)
class BeaconHeard:
    """Discovery: a beacon; desc None is a seed-era host that describes no room."""

    ip: str
    desc: Packet | None


@record(frozen=True)
class HostLost:
    """Receiver: the connection dropped ("disconnected") or nothing came for host_timeout ("silent")."""

    host: str
    reason: str


@record(frozen=True)
class DirectIn:
    """Direct: a frame from the member with identity key `key`, authenticated by the direct
    channel's CURVE handshake (via "direct") or by the signature inside a sealed box (via "host")."""

    key: str
    msg: Packet
    via: str


@record(frozen=True)
class DirectRefused:
    """Direct: the member with identity key `key` refused our handshake, so what we sent it was
    lost; its roster has not listed us yet (it trails ours by tens of milliseconds after a join)."""

    key: str


@record(frozen=True)
class PortTaken:
    """Direct or files: a port of this node's own could not be bound. The room goes on, and the
    detail says what this node then does without it."""

    code: Code
    detail: str


@record(frozen=True)
class TransferEvent:
    """Files: an event about a transfer (core/events.py Offer, Progress, TransferDone, ...) for
    the front end."""

    event: Any


@record(frozen=True)
class RoleFailed:
    """Any role: its loop ended with an exception (a bind that failed, a bug)."""

    role: str
    detail: str


# -- requests: front end -> engine -------------------------------------------------------------
@record(frozen=True)
class Say:
    text: str


@record(frozen=True)
class Says:
    """Several lines to say, in order, handed over at once (a piped front end): one queue
    hand-over between threads for a batch instead of one per line."""

    texts: tuple[str, ...]


@record(frozen=True)
class SendDirect:
    """A direct message with the id the caller was given, to a key or (from the CLI) a nick."""

    id: str
    text: str
    nick: str | None
    key: str | None


@record(frozen=True)
class MarkRead:
    """The window showed these direct messages from `key`: send the sender a read receipt."""

    key: str
    ids: tuple[str, ...]


@record(frozen=True)
class SendFiles:
    """Offer a file or folder, with the transfer id the caller was given, to a key or a nick."""

    id: str
    path: str
    nick: str | None
    key: str | None


@record(frozen=True)
class AcceptOffer:
    """Accept incoming transfer `id` into `folder` (None: the downloads folder). Also the
    engine's command to the file actor, as are DeclineOffer and CancelTransfer."""

    id: str
    folder: str | None = None


@record(frozen=True)
class DeclineOffer:
    id: str


@record(frozen=True)
class CancelTransfer:
    """Stop transfer `id`, either way; a recipient keeps its partial download for a resume."""

    id: str


@record(frozen=True)
class ListUsers:
    """Emit the current member list as a Presence event."""


@record(frozen=True)
class Quit:
    """Leave politely (a host hands over first), then stop every role."""
