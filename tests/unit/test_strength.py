"""The passphrase strength shown under the passphrase field."""

from __future__ import annotations

import pytest

from zp2p_gui.core.strength import estimate


@pytest.mark.parametrize("passphrase", ["", "   ", "password", "Password1", "letmein", "aaaaaaaaaaaa", "abcdefgh",
                                        "12345678", "qwertyuiop", "lobby", "hunter2", "cat dog"])
def test_weak(passphrase: str) -> None:
    assert estimate(passphrase).level == "weak"


@pytest.mark.parametrize("passphrase", ["correct horse battery staple", "maple-orbit-tundra-velvet-quiz",
                                        "xK9#mQ2$vL7@pR4!"])
def test_strong(passphrase: str) -> None:
    assert estimate(passphrase).level == "strong"


def test_fair_in_between() -> None:
    assert estimate("three random words").level == "fair"


def test_more_words_or_characters_never_make_it_weaker() -> None:
    words = ["orbit", "maple", "tundra", "velvet", "quiz"]
    bits = [estimate(" ".join(words[:n])).bits for n in range(1, 6)]
    assert bits == sorted(bits)
    assert estimate("xK9#mQ2$").bits < estimate("xK9#mQ2$vL7@").bits
