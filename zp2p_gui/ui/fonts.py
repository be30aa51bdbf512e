"""Emoji that render as emoji: the system's colour emoji font when it has one, else the copy the
bundle ships (resources/fonts, copied from the build machine; OFL licence beside it). Without
either, Qt draws boxes for emoji but nothing fails and nothing is logged as a problem."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFontDatabase

from .paths import resources_dir

log = logging.getLogger(__name__)

EMOJI_FAMILIES = ("Noto Color Emoji", "Apple Color Emoji", "Segoe UI Emoji", "Twemoji", "JoyPixels",
                  "EmojiOne Color")
BUNDLED_EMOJI = Path("fonts") / "NotoColorEmoji.ttf"


def ensure_emoji_font(families: list[str] | None = None, bundled: Path | None = None) -> str | None:
    """The emoji family in use, loading the bundled font only when the system has none; None when
    neither exists. `families` and `bundled` let tests pretend another system."""
    present = QFontDatabase.families() if families is None else families
    system = next((family for family in EMOJI_FAMILIES if family in present), None)
    if system is not None:
        return system
    path = resources_dir() / BUNDLED_EMOJI if bundled is None else bundled
    if not path.is_file():
        log.debug("no emoji font on this system and none bundled; emoji may show as boxes")
        return None
    font_id = QFontDatabase.addApplicationFont(str(path))
    loaded = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not loaded:
        log.info("could not load the bundled emoji font %s", path)
        return None
    QFontDatabase.addApplicationEmojiFontFamily(loaded[0])  # so Qt picks it for emoji, not just by name
    return loaded[0]
