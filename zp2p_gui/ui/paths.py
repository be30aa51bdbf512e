"""Where the app keeps settings, history and logs: platformdirs, or one `--data-dir` for all."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "zp2p"
APP_AUTHOR = "zp2p"


@dataclass(frozen=True)
class AppPaths:
    config: Path
    data: Path
    log: Path

    @classmethod
    def resolve(cls, data_dir: str | Path | None) -> "AppPaths":
        """One override keeps tests and portable installs out of the user's real folders."""
        if data_dir:
            root = Path(data_dir).expanduser()
            return cls(config=root, data=root, log=root / "logs")
        return cls(config=Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)),
                   data=Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)),
                   log=Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR)))

    @property
    def settings_file(self) -> Path:
        return self.config / "settings.ini"


def resources_dir() -> Path:
    """resources/ beside the package when run from source; inside the bundle when frozen."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def project_file(name: str) -> Path | None:
    """README.md or LICENSE: at the repo root from source, at the bundle root when frozen
    (if the bundle ships it); None when absent, so the About dialog links only what exists."""
    path = resources_dir().parent / name
    return path if path.is_file() else None
