"""Every user preference in one place: its type and default, how it is stored in QSettings,
how it is checked, and how it turns into the engine's Config together with the command line.

A typed passphrase is deliberately not a Preference: nothing here can write it to the INI
file. Only the path of a passphrase file is stored, and the file is read at Connect."""

from __future__ import annotations

import argparse
import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings

from ..cli import config_from_args, read_passphrase
from ..keycache import prefetch_room_keys
from ..core.config import DEFAULT_PORT, DEFAULT_ROOM, Config
from ..core.validation import ValidationError, check_ip, check_nick, check_port, check_room, scan_addresses

DISCOVERY_MIN_S = 0.05
DISCOVERY_MAX_S = 60.0
LANGUAGES = ("", "en", "ko")  # "" follows the system locale


@dataclass(frozen=True)
class Preferences:
    """What the settings dialog edits. Empty strings mean "let the engine choose"."""

    nick: str = ""
    room: str = DEFAULT_ROOM
    interface: str = ""
    scan: tuple[str, ...] = ()
    host: str = ""
    port: int = DEFAULT_PORT
    discovery_window: float = 1.0
    language: str = ""
    passphrase_file: str = ""

    def errors(self) -> dict[str, str]:
        """Field name -> message for each bad value, so a dialog can show them inline."""
        found: dict[str, str] = {}
        checks = {
            "nick": lambda: self.nick and check_nick(self.nick),
            "room": lambda: check_room(self.room),
            "scan": lambda: scan_addresses(self.scan),
            "host": lambda: self.host and check_ip(self.host),
            "port": lambda: check_port(self.port),
            "passphrase_file": lambda: self.passphrase_file and read_passphrase(self.passphrase_file),
        }
        for name, check in checks.items():
            try:
                check()
            except ValidationError as exc:
                found[name] = exc.detail
        if not DISCOVERY_MIN_S <= self.discovery_window <= DISCOVERY_MAX_S:
            found["discovery_window"] = f"must be between {DISCOVERY_MIN_S} and {DISCOVERY_MAX_S:g} seconds"
        if self.language not in LANGUAGES:
            found["language"] = f"unknown language {self.language!r}"
        return found


def split_ranges(text: str) -> tuple[str, ...]:
    """Scan ranges as typed: separated by commas, spaces or newlines."""
    return tuple(part for part in re.split(r"[\s,]+", text) if part)


def open_settings(path: Path) -> QSettings:
    """An INI file at a known path, so `--data-dir` isolates settings like everything else."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


def load(store: QSettings) -> Preferences:
    """Read every preference, falling back to the default for missing or mistyped values."""
    values = {}
    for f in dataclasses.fields(Preferences):
        raw = store.value(f"prefs/{f.name}", f.default)
        try:
            if f.name == "scan":
                values[f.name] = split_ranges(raw) if isinstance(raw, str) else tuple(str(r) for r in raw or ())
            else:
                values[f.name] = type(f.default)(raw)
        except (TypeError, ValueError):
            values[f.name] = f.default
    return Preferences(**values)


def save(store: QSettings, prefs: Preferences) -> None:
    for f in dataclasses.fields(Preferences):
        value = getattr(prefs, f.name)
        store.setValue(f"prefs/{f.name}", " ".join(value) if f.name == "scan" else value)
    store.sync()


def build_config(args: argparse.Namespace, prefs: Preferences, nick: str, passphrase: str | None = None) -> Config:
    """Command-line options win over saved preferences; raises ValidationError for bad values.
    The room's passphrase comes from --passphrase-file, else the saved passphrase file, else
    `passphrase` (typed in Settings, held in memory only); none of them makes an open room."""
    merged = argparse.Namespace(**vars(args))
    merged.scan = list(args.scan or prefs.scan)
    merged.host = args.host or prefs.host or None
    merged.port = args.port if args.port is not None else prefs.port
    merged.room = args.room if args.room is not None else prefs.room
    merged.interface = args.interface or prefs.interface or None
    merged.passphrase_file = args.passphrase_file or prefs.passphrase_file or None
    if args.discovery_window is None:
        merged.discovery_window = prefs.discovery_window
    config = config_from_args(merged, nick=nick)
    if config.passphrase is None and passphrase:
        config = dataclasses.replace(config, passphrase=passphrase)
        prefetch_room_keys(config)  # as the command line does: the KDF overlaps the search
    return config
