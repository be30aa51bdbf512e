"""Command-line options shared by the window and the headless front end. The option flags are
derived from core/settings.OPTIONS; the switches here are actions (what to run), not settings.

argparse (with gettext and locale, and building a parser of some 30 options) costs a start-up
about 5 ms, before the node can search; a plain command line (every flag spelt in full, every
value well-formed) is read without it, and anything else (help, version, an error, an abbreviation,
a value that starts with '-') goes to argparse, so what a user sees stays argparse's."""

from __future__ import annotations

import functools
import sys
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from . import __version__
from .core.config import Config
from .core.records import replace
from .core.settings import ALLOWED_NETS_ENV, OPTIONS, Option, build_config, read_passphrase

if TYPE_CHECKING:
    import argparse

__all__ = ["ALLOWED_NETS_ENV", "build_parser", "command_line_values", "config_from_args", "parse_command_line",
           "read_passphrase"]

_ARG_TYPES = {int: int, float: float, str: str, tuple: str}
# Switches (store_true): (flags, dest, help); the first goes before the options in --help, the rest after.
HEADLESS_SWITCH = (("--headless",), "headless", "JSON-lines front end on stdin/stdout")
SWITCHES = (
    (("--auto-accept",), "auto_accept", "headless: accept every file offer at once"),
    (("--connect",), "connect", "GUI: connect at start-up"),
    (("--self-test",), "self_test", "two nodes on loopback chat; exit code says if it worked"),
    (("--doctor",), "doctor", "print network diagnostics and exit"),
    (("-v", "--verbose"), "verbose", "debug logging"),
)
_SWITCH_DESTS = {flag: dest for flags, dest, _ in (HEADLESS_SWITCH, *SWITCHES) for flag in flags}
_FLAG_OPTIONS = {option.flag: option for option in OPTIONS if option.flag is not None}


def build_parser() -> argparse.ArgumentParser:
    import argparse

    # add_argument makes a formatter to check each metavar, and argparse's own imports shutil (with
    # bz2 and lzma: 3 ms of every start) for the terminal's width, which only --help and errors use
    parser = argparse.ArgumentParser(prog="zp2p", description="Serverless LAN chat.",
                                     formatter_class=functools.partial(argparse.HelpFormatter, width=80))
    parser.add_argument("--version", action="version", version=f"zp2p {__version__}")
    _add_switch(parser, *HEADLESS_SWITCH)
    for option in _FLAG_OPTIONS.values():
        shape: dict[str, Any] = {"action": "append"} if option.kind is tuple else {"type": _ARG_TYPES[option.kind]}
        parser.add_argument(option.flag, dest=option.name, default=None, metavar=option.metavar,
                            help=argparse.SUPPRESS if option.hidden else option.help, **shape)
    for switch in SWITCHES:
        _add_switch(parser, *switch)
    parser.formatter_class = argparse.HelpFormatter
    return parser


def _add_switch(parser: argparse.ArgumentParser, flags: tuple[str, ...], dest: str, help_text: str) -> None:
    parser.add_argument(*flags, dest=dest, action="store_true", help=help_text)


def parse_command_line(argv: Sequence[str] | None = None) -> SimpleNamespace:
    """The command line's values, as argparse gives them; argparse itself reads only a command
    line the plain reader leaves to it (and prints help, the version or an error, and exits)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    plain = read_plain(argv)
    return plain if plain is not None else SimpleNamespace(**vars(build_parser().parse_args(argv)))


def read_plain(argv: Sequence[str]) -> SimpleNamespace | None:
    """The values of a command line made only of switches and full flags with their values
    (`--flag VALUE` or `--flag=VALUE`), converted as argparse converts them; None for anything
    else, which argparse must read (and maybe refuse) itself."""
    values: dict[str, Any] = {name: None for name in (o.name for o in _FLAG_OPTIONS.values())}
    values.update((dest, False) for dest in _SWITCH_DESTS.values())
    tokens = iter(argv)
    for token in tokens:
        flag, eq, inline = token.partition("=") if token.startswith("--") else (token, "", "")
        if flag in _SWITCH_DESTS and not eq:
            values[_SWITCH_DESTS[flag]] = True
            continue
        option = _FLAG_OPTIONS.get(flag)
        value = inline if eq else next(tokens, None)
        if option is None or not value or (not eq and value.startswith("-")):
            return None
        converted = _convert(option, value)
        if converted is None:
            return None
        values[option.name] = [*(values[option.name] or ()), converted] if option.kind is tuple else converted
    return SimpleNamespace(**values)


def _convert(option: Option, value: str) -> Any:
    try:
        return _ARG_TYPES[option.kind](value)
    except (ValueError, TypeError):
        return None


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
    if config.passphrase is not None:  # keycache loads the identity module and its crypto: not before `searching` without one
        from .keycache import prefetch_room_keys

        prefetch_room_keys(config)
    return config
