"""Every user-settable option declared once (name, type, default, check, command-line flag, help)
and the one function that turns defaults, saved preferences and command-line values into the
engine's Config, remembering where each value came from.

The headless command line and the window both build their Config here; the argparse parser
(cli.py) and the window's settings file (ui/settings.py) are derived from `OPTIONS`, so a new
option is one more `Option` line. No Qt and no argparse here: callers hand in plain mappings."""

from __future__ import annotations

import enum
import os
import re
from pathlib import Path
from typing import Any, Callable, Mapping

from .config import DEFAULT_PORT, DEFAULT_ROOM, Config, Limits, Timings
from .records import field, make_record, record, replace
from .validation import (
    ValidationError,
    check_ip,
    check_nick,
    check_port,
    check_room,
    parse_allowed_nets,
    scan_addresses,
)

ALLOWED_NETS_ENV = "ZP2P_ALLOWED_NETS"
DISCOVERY_MIN_S = 0.05
DISCOVERY_MAX_S = 60.0
RATE_MAX = 1_000_000
OFFER_TIMEOUT_MIN_S, OFFER_TIMEOUT_MAX_S = 1.0, 7 * 24 * 3600.0
BACKLOG_MIN_BYTES = 1024
BACKLOG_MAX_BYTES = 1 << 30
LANGUAGES = ("", "en", "ko")  # "" follows the system locale


class Source(enum.Enum):
    """Where a value in effect came from; the command line wins over saved, saved over default."""

    DEFAULT = "default"
    SAVED = "saved"
    COMMAND_LINE = "command_line"


def read_passphrase(path: str) -> str:
    """The first line of the file; an empty or unreadable file is an error, not an open room."""
    try:
        text = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError("bad_passphrase_file", f"cannot read passphrase file: {exc}") from None
    if not text or not text[0].strip():
        raise ValidationError("bad_passphrase_file", "passphrase file is empty")
    return text[0].strip()


def split_ranges(text: str) -> tuple[str, ...]:
    """Scan ranges as typed or stored: separated by commas, spaces or newlines."""
    return tuple(part for part in re.split(r"[\s,]+", text) if part)


def _within(low: float, high: float, flag: str, unit: str = "") -> Callable[[float], float]:
    def check(value: float) -> float:
        if not low <= value <= high:  # also refuses NaN
            raise ValidationError("bad_option", f"{flag} must be between {low:.15g} and {high:.15g}{unit}")
        return value
    return check


def _scan(ranges: tuple[str, ...]) -> tuple[str, ...]:
    scan_addresses(ranges)  # every range parses and together they stay bounded
    return tuple(ranges)


def _passphrase_file(path: str) -> str:
    read_passphrase(path)  # readable and not empty now; read again at Connect
    return path


def _language(value: str) -> str:
    if value not in LANGUAGES:
        raise ValidationError("bad_option", f"unknown language {value!r}")
    return value


@record(frozen=True)
class Option:
    """One setting. `check` validates and normalises a non-empty value (raising ValidationError);
    an empty str or tuple means "unset: let the engine choose" unless `required`. `flag` is the
    command-line flag (None: window only); `saved` says whether the window stores it."""

    name: str
    kind: type
    default: Any
    help: str
    flag: str | None = None
    metavar: str | None = None
    check: Callable[[Any], Any] | None = None
    saved: bool = True
    required: bool = False
    hidden: bool = False

    def validate(self, value: Any) -> Any:
        if self.check is None or (not self.required and value in ("", ())):
            return value
        return self.check(value)

    def coerce(self, raw: Any) -> Any:
        """A stored value (QSettings hands back strings or lists) as this option's type."""
        if self.kind is tuple:
            return split_ranges(raw) if isinstance(raw, str) else tuple(str(r) for r in raw or ())
        return self.kind(raw)


OPTIONS: tuple[Option, ...] = (
    Option("nick", str, "", "your name in the room (1-32 printable characters)", "--nick", check=check_nick),
    Option("room", str, DEFAULT_ROOM, f"room name (default {DEFAULT_ROOM!r})", "--room", check=check_room,
           required=True),
    Option("bind", str, "", "address of this node (default: the default-route interface)", "--bind", "IP",
           check=check_ip, saved=False),
    Option("interface", str, "", "network interface to use (e.g. eth0)", "--interface", "NAME"),
    Option("scan", tuple, (), "range to search, repeatable", "--scan", "CIDR", check=_scan),
    Option("host", str, "", "join the host at IP without scanning", "--host", "IP", check=check_ip),
    Option("port", int, DEFAULT_PORT, f"base port P; uses P..P+5 (default {DEFAULT_PORT})", "--port",
           check=check_port, required=True),
    Option("discovery_window", float, Timings.discovery_window,
           "seconds to look for a host before hosting (default 1.0)", "--discovery-window", "S",
           check=_within(DISCOVERY_MIN_S, DISCOVERY_MAX_S, "--discovery-window", " seconds"), required=True),
    Option("passphrase_file", str, "", "file whose first line is the room passphrase", "--passphrase-file",
           "FILE", check=_passphrase_file),
    Option("data_dir", str, "", "folder for settings, history, keys and logs", "--data-dir", "DIR", saved=False),
    Option("downloads", str, "", "folder for received files (default: the downloads folder)", "--downloads", "DIR"),
    Option("rate_limit", float, Limits.rate_per_s,
           "when hosting: a ceiling on the messages per second one member may send (default 0: none, "
           "members share the relay in turns)", "--rate-limit",
           "N", check=_within(0, RATE_MAX, "--rate-limit", " (0 = no limit)"), saved=False, required=True),
    Option("offer_timeout", float, Limits.offer_timeout_s,
           f"seconds a file offer waits to be accepted or declined (default {Limits.offer_timeout_s:.0f})",
           "--offer-timeout", "S",
           check=_within(OFFER_TIMEOUT_MIN_S, OFFER_TIMEOUT_MAX_S, "--offer-timeout", " seconds"), saved=False,
           required=True),
    Option("timing_scale", float, 1.0, "multiply every timing (tests)", "--timing-scale", saved=False,
           hidden=True),
    Option("backlog_bytes", int, Limits.backlog_bytes, "recent messages kept, in bytes (tests: a small backlog)",
           "--backlog-bytes", check=_within(BACKLOG_MIN_BYTES, BACKLOG_MAX_BYTES, "--backlog-bytes"), saved=False,
           required=True, hidden=True),
    Option("language", str, "", "language of the window", check=_language),
)
BY_NAME: dict[str, Option] = {option.name: option for option in OPTIONS}
SAVED: tuple[Option, ...] = tuple(option for option in OPTIONS if option.saved)


def _saved_errors(self: Any) -> dict[str, ValidationError]:
    """Field name -> the refusal for each bad value, so a dialog can show them inline."""
    found = {}
    for option in SAVED:
        try:
            option.validate(getattr(self, option.name))
        except ValidationError as exc:
            found[option.name] = exc
    return found


def _saved_errors_text(self: Any) -> dict[str, str]:
    """Field name -> the English detail for each bad value."""
    return {name: exc.detail for name, exc in self.problems().items()}


Preferences = make_record(
    "Preferences", [(o.name, o.kind, field(default=o.default)) for o in SAVED], frozen=True,
    namespace={"__doc__": "What the window saves and its settings dialog edits; derived from OPTIONS.",
               "problems": _saved_errors, "errors": _saved_errors_text, "__module__": __name__})


@record(frozen=True)
class Resolved:
    """The value in effect for every option, and where each one came from."""

    values: Mapping[str, Any]
    sources: Mapping[str, Source]

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def from_command_line(self, name: str) -> bool:
        return self.sources[name] is Source.COMMAND_LINE


def resolve(saved: Mapping[str, Any], command_line: Mapping[str, Any]) -> Resolved:
    """Merge without validating (a dialog shows what is in effect even when it is wrong). On the
    command line every value given counts, even an empty one (`--room ""` is refused, not
    ignored); a saved empty value means "not set"."""
    values, sources = {}, {}
    for option in OPTIONS:
        if command_line.get(option.name) is not None:
            values[option.name], sources[option.name] = command_line[option.name], Source.COMMAND_LINE
        elif saved.get(option.name) not in (None, "", (), []):
            values[option.name], sources[option.name] = saved[option.name], Source.SAVED
        else:
            values[option.name], sources[option.name] = option.default, Source.DEFAULT
        if option.kind is tuple:
            values[option.name] = tuple(values[option.name])
    return Resolved(values, sources)


@record(frozen=True)
class Built:
    """A validated Config and where each of its settings came from."""

    config: Config
    sources: Mapping[str, Source]


def build_config(saved: Mapping[str, Any], command_line: Mapping[str, Any], *, nick: str | None = None,
                 passphrase: str | None = None, environ: Mapping[str, str] | None = None) -> Built:
    """Defaults, then saved preferences, then the command line; `nick` (the window's nick field)
    wins over all. The room's passphrase comes from the passphrase file in effect, else
    `passphrase` (typed, memory only). Raises ValidationError, fit for the user, for any bad value.
    The front ends start the room-key derivation from the result (keycache.prefetch_room_keys),
    since only they may read the key cache in the data folder."""
    environ = os.environ if environ is None else environ
    resolved = resolve(saved, command_line)
    v = {option.name: option.validate(resolved[option.name]) for option in OPTIONS}
    timings = Timings().scaled(v["timing_scale"]) if v["timing_scale"] != 1.0 else Timings()
    timings = replace(timings, discovery_window=v["discovery_window"])
    limits = Limits()
    if v["rate_limit"] != limits.rate_per_s:
        limits = replace(limits, rate_per_s=v["rate_limit"], rate_burst=max(1, int(2 * v["rate_limit"])))
    limits = replace(limits, backlog_bytes=v["backlog_bytes"], offer_timeout_s=v["offer_timeout"])
    secret = read_passphrase(v["passphrase_file"]) if v["passphrase_file"] else (passphrase or None)
    config = Config(
        nick=check_nick(nick if nick is not None else v["nick"]),
        bind=v["bind"] or None,
        interface=v["interface"] or None,
        scan=v["scan"],
        host=v["host"] or None,
        port=v["port"],
        room=v["room"],
        passphrase=secret,
        data_dir=Path(v["data_dir"]) if v["data_dir"] else None,
        downloads=Path(v["downloads"]).expanduser() if v["downloads"] else None,
        allowed_nets=parse_allowed_nets(environ.get(ALLOWED_NETS_ENV)),
        timings=timings,
        limits=limits,
    )
    return Built(config, resolved.sources)
