"""Every tunable of the engine in one frozen object, so tests can shrink the timings."""

from __future__ import annotations

from pathlib import Path

from .records import field, fields, record

DEFAULT_PORT = 27800
PORTS_PER_ROOM = 6  # P beacon, P+1 registry, P+2 relay in, P+3 relay out, P+4 each node's direct port, P+5 its file data port
DEFAULT_ROOM = "lobby"


@record(frozen=True)
class Timings:
    """All time-based behaviour. Seconds throughout."""

    discovery_window: float = 1.0
    beacon_period: float = 1.0
    heartbeat: float = 0.5
    host_timeout: float = 1.5  # then a probe of up to request_timeout decides: frozen, or only slow
    member_timeout: float = 2.0
    request_timeout: float = 1.0
    takeover_step: float = 1.0
    resend_after: float = 2.0
    gap_wait: float = 1.5
    rtt_period: float = 2.0
    watch_reconnect: float = 2.0
    direct_resend: float = 1.0  # an unconfirmed direct message is sent again this often
    direct_fallback: float = 2.0  # then it goes sealed through the host instead

    def scaled(self, factor: float) -> "Timings":
        """Return every timing multiplied by factor (tests run fast with factor < 1)."""
        return Timings(**{f.name: getattr(self, f.name) * factor for f in fields(self)})


@record(frozen=True)
class Limits:
    """Bounds that keep one node's memory and one member's share of the relay finite."""

    backlog_bytes: int = 32 * 1024 * 1024  # recent messages kept (host and replica): a 10 s freeze in a busy room
    max_text_bytes: int = 16 * 1024
    max_frame_bytes: int = 64 * 1024
    max_members: int = 512  # a room of 500 (issue 16), the host included
    rate_per_s: float = 0.0  # optional ceiling per member (and address), at the host; 0 = none: fair share decides
    rate_burst: int = 2000
    unconfirmed: int = 5000
    hwm: int = 50_000
    dm_queue: int = 1000  # unconfirmed direct messages per recipient
    dm_rate_per_s: float = 200.0  # per sender, on the direct port; 0 = no limit
    dm_burst: int = 1000
    offer_timeout_s: float = 300.0  # a file offer neither accepted nor declined by then ends on both sides


@record(frozen=True)
class Config:
    """What a node needs to find, join or host a room."""

    nick: str
    bind: str | None = None
    scan: tuple[str, ...] = ()
    host: str | None = None
    port: int = DEFAULT_PORT
    room: str = DEFAULT_ROOM
    interface: str | None = None
    passphrase: str | None = None
    data_dir: Path | None = None
    allowed_nets: tuple[str, ...] = ()
    downloads: Path | None = None  # where accepted files go; None: the platform's downloads folder
    auto_accept: bool = False  # accept every offer at once (headless --auto-accept)
    timings: Timings = field(default_factory=Timings)
    limits: Limits = field(default_factory=Limits)

    @property
    def ports(self) -> tuple[int, int, int, int, int]:
        """Beacon, registry, relay in, relay out, and every node's own direct port."""
        p = self.port
        return p, p + 1, p + 2, p + 3, p + 4
