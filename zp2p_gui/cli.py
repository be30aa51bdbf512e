"""Command-line options shared by the window and the headless front end. The option flags are
derived from core/settings.OPTIONS; the flags here are actions (what to run), not settings."""

from __future__ import annotations

import argparse
import functools
from typing import Any, Mapping

from . import __version__
from .core.config import Config
from .core.records import replace
from .core.settings import ALLOWED_NETS_ENV, OPTIONS, build_config, read_passphrase
from .keycache import prefetch_room_keys

__all__ = ["ALLOWED_NETS_ENV", "build_parser", "command_line_values", "config_from_args", "read_passphrase"]

_ARG_TYPES = {int: int, float: float, str: str}


def build_parser() -> argparse.ArgumentParser:
    # add_argument makes a formatter to check each metavar, and argparse's own imports shutil (with
    # bz2 and lzma: 3 ms of every start) for the terminal's width, which only --help and errors use
    parser = argparse.ArgumentParser(prog="zp2p", description="Serverless LAN chat.",
                                     formatter_class=functools.partial(argparse.HelpFormatter, width=80))
    parser.add_argument("--version", action="version", version=f"zp2p {__version__}")
    parser.add_argument("--headless", action="store_true", help="JSON-lines front end on stdin/stdout")
    for option in OPTIONS:
        if option.flag is None:
            continue
        shape: dict[str, Any] = {"action": "append"} if option.kind is tuple else {"type": _ARG_TYPES[option.kind]}
        parser.add_argument(option.flag, dest=option.name, default=None, metavar=option.metavar,
                            help=argparse.SUPPRESS if option.hidden else option.help, **shape)
    parser.add_argument("--auto-accept", action="store_true", help="headless: accept every file offer at once")
    parser.add_argument("--connect", action="store_true", help="GUI: connect at start-up")
    parser.add_argument("--self-test", action="store_true", help="two nodes on loopback chat; exit code says if it worked")
    parser.add_argument("--doctor", action="store_true", help="print network diagnostics and exit")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    parser.formatter_class = argparse.HelpFormatter
    return parser


def command_line_values(args: argparse.Namespace) -> dict[str, Any]:
    """The options given on the command line (absent ones are None in `args` and left out)."""
    return {option.name: getattr(args, option.name) for option in OPTIONS
            if option.flag is not None and getattr(args, option.name, None) is not None}


def config_from_args(args: argparse.Namespace, nick: str | None = None,
                     environ: Mapping[str, str] | None = None) -> Config:
    """The headless run's Config: defaults overridden by the command line, validated once;
    raises ValidationError with a message fit for the user. A passphrase starts the room-key
    derivation here (unless the key cache has the keys), so it overlaps the engine's imports."""
    config = build_config({}, command_line_values(args), nick=nick, environ=environ).config
    if getattr(args, "auto_accept", False):
        config = replace(config, auto_accept=True)
    prefetch_room_keys(config)
    return config
