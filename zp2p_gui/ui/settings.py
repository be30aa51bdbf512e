"""The window's settings file: every saved option of core/settings.OPTIONS in QSettings, and
the window's Config built from it together with the command line.

A typed passphrase is deliberately not an option: nothing here can write it to the INI file.
Only the path of a passphrase file is stored, and the file is read at Connect."""

from __future__ import annotations

import argparse
from pathlib import Path

from PySide6.QtCore import QSettings

from ..cli import command_line_values
from ..core.config import Config
from ..core.records import asdict
from ..core import settings as core_settings
from ..core.settings import SAVED, Preferences, Resolved, resolve
from ..keycache import prefetch_room_keys

__all__ = ["Preferences", "build_config", "effective", "load", "open_settings", "save"]


def open_settings(path: Path) -> QSettings:
    """An INI file at a known path, so `--data-dir` isolates settings like everything else."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


def load(store: QSettings) -> Preferences:
    """Read every saved option, falling back to the default for missing or mistyped values."""
    values = {}
    for option in SAVED:
        try:
            values[option.name] = option.coerce(store.value(f"prefs/{option.name}", option.default))
        except (TypeError, ValueError):
            values[option.name] = option.default
    return Preferences(**values)


def save(store: QSettings, prefs: Preferences) -> None:
    for option in SAVED:
        value = getattr(prefs, option.name)
        store.setValue(f"prefs/{option.name}", " ".join(value) if option.kind is tuple else value)
    store.sync()


def effective(args: argparse.Namespace, prefs: Preferences) -> Resolved:
    """What this run uses for each option and where it came from (the command line wins)."""
    return resolve(asdict(prefs), command_line_values(args))


def build_config(args: argparse.Namespace, prefs: Preferences, nick: str, passphrase: str | None = None) -> Config:
    """Command-line options win over saved preferences; raises ValidationError for bad values.
    The room's passphrase comes from --passphrase-file, else the saved passphrase file, else
    `passphrase` (typed in Settings, held in memory only); none of them makes an open room.
    As on the command line, a passphrase starts the room-key derivation, so it overlaps the search."""
    config = core_settings.build_config(asdict(prefs), command_line_values(args), nick=nick,
                                        passphrase=passphrase).config
    prefetch_room_keys(config)
    return config
