"""Emoji get a colour font: the system's when present, else the bundled copy; neither is no error."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QFontDatabase

from zp2p_gui.ui.fonts import ensure_emoji_font

SYSTEM_EMOJI = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")  # scripts/setup.sh installs it


def test_the_system_font_is_used_when_present(qapp):
    assert ensure_emoji_font(["DejaVu Sans", "Noto Color Emoji"]) == "Noto Color Emoji"


@pytest.mark.skipif(not SYSTEM_EMOJI.is_file(), reason="fonts-noto-color-emoji is not installed")
def test_the_bundled_font_is_loaded_when_the_system_has_none(qapp):
    assert ensure_emoji_font(["DejaVu Sans"], bundled=SYSTEM_EMOJI) == "Noto Color Emoji"
    assert "Noto Color Emoji" in QFontDatabase.applicationEmojiFontFamilies()


def test_no_font_anywhere_is_quiet(qapp, tmp_path, caplog):
    assert ensure_emoji_font(["DejaVu Sans"], bundled=tmp_path / "missing.ttf") is None
    assert not [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")]
