"""Command-line options shared by the window and the headless front end; validated here, once."""

from __future__ import annotations

import argparse
import dataclasses
import os
from pathlib import Path

from . import __version__
from .keycache import prefetch_room_keys
from .core.config import DEFAULT_PORT, DEFAULT_ROOM, Config, Limits, Timings
from .core.validation import (
    ValidationError,
    check_ip,
    check_nick,
    check_port,
    check_room,
    parse_allowed_nets,
    parse_network,
)

ALLOWED_NETS_ENV = "ZP2P_ALLOWED_NETS"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zp2p", description="Serverless LAN chat.")
    parser.add_argument("--version", action="version", version=f"zp2p {__version__}")
    parser.add_argument("--headless", action="store_true", help="JSON-lines front end on stdin/stdout")
    parser.add_argument("--nick", help="your name in the room (1-32 printable characters)")
    parser.add_argument("--bind", metavar="IP", help="address of this node (default: the default-route interface)")
    parser.add_argument("--interface", metavar="NAME", help="network interface to use (e.g. eth0)")
    parser.add_argument("--scan", metavar="CIDR", action="append", default=[], help="range to search, repeatable")
    parser.add_argument("--host", metavar="IP", help="join the host at IP without scanning")
    parser.add_argument("--port", type=int, default=None, help=f"base port P; uses P..P+3 (default {DEFAULT_PORT})")
    parser.add_argument("--room", default=None, help=f"room name (default {DEFAULT_ROOM!r})")
    parser.add_argument("--passphrase-file", metavar="FILE", help="file whose first line is the room passphrase")
    parser.add_argument("--data-dir", metavar="DIR", help="folder for settings, history, keys and logs")
    parser.add_argument("--discovery-window", type=float, default=None, metavar="S",
                        help="seconds to look for a host before hosting (default 1.0)")
    parser.add_argument("--rate-limit", type=float, default=None, metavar="N",
                        help="when hosting: messages per second one member may send (default 1000, 0 = no limit)")
    parser.add_argument("--timing-scale", type=float, default=1.0, help=argparse.SUPPRESS)
    parser.add_argument("--connect", action="store_true", help="GUI: connect at start-up")
    parser.add_argument("--self-test", action="store_true", help="two nodes on loopback chat; exit code says if it worked")
    parser.add_argument("--doctor", action="store_true", help="print network diagnostics and exit")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    return parser


def read_passphrase(path: str) -> str:
    """The first line of the file; an empty or unreadable file is an error, not an open room."""
    try:
        text = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError("bad_passphrase_file", f"cannot read passphrase file: {exc}") from None
    if not text or not text[0].strip():
        raise ValidationError("bad_passphrase_file", "passphrase file is empty")
    return text[0].strip()


def config_from_args(args: argparse.Namespace, nick: str | None = None, environ: dict | None = None) -> Config:
    """Validate every option; raises ValidationError with a message fit for the user.
    A passphrase starts the room-key derivation here, so it overlaps the engine's imports."""
    environ = os.environ if environ is None else environ
    timings = Timings().scaled(args.timing_scale) if args.timing_scale != 1.0 else Timings()
    if args.discovery_window is not None:
        if not 0.05 <= args.discovery_window <= 60:
            raise ValidationError("bad_option", "--discovery-window must be between 0.05 and 60 seconds")
        timings = dataclasses.replace(timings, discovery_window=args.discovery_window)
    for cidr in args.scan:
        parse_network(cidr)
    limits = Limits()
    if args.rate_limit is not None:
        if not 0 <= args.rate_limit <= 1_000_000:
            raise ValidationError("bad_option", "--rate-limit must be between 0 (no limit) and 1000000")
        limits = dataclasses.replace(limits, rate_per_s=args.rate_limit, rate_burst=max(1, int(2 * args.rate_limit)))
    config = Config(
        nick=check_nick(nick if nick is not None else (args.nick or "")),
        bind=check_ip(args.bind) if args.bind else None,
        interface=args.interface,
        scan=tuple(args.scan),
        host=check_ip(args.host) if args.host else None,
        port=check_port(args.port if args.port is not None else DEFAULT_PORT),
        room=check_room(args.room if args.room is not None else DEFAULT_ROOM),
        passphrase=read_passphrase(args.passphrase_file) if args.passphrase_file else None,
        data_dir=Path(args.data_dir) if args.data_dir else None,
        allowed_nets=parse_allowed_nets(environ.get(ALLOWED_NETS_ENV)),
        timings=timings,
        limits=limits,
    )
    prefetch_room_keys(config)
    return config
