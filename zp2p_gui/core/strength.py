"""How hard a passphrase is to guess offline, roughly: anyone on the LAN can read a private room's
id from its beacon and test guesses against it, one scrypt each. The estimate is deliberately
pessimistic and simple (character classes, words, repeats, runs and a few of the most common
passwords); it decides a warning under the passphrase field, not what is allowed."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

WEAK_BELOW = 35.0  # bits; at one scrypt (~0.5 s, 128 MiB) per guess, 2**35 guesses are ~500 core-years,
STRONG_FROM = 45.0  # which a botnet or a GPU farm brings down to weeks; 2**45 is a thousand times more
WORD_BITS = 11.0  # a word chosen from a ~2,000-word list; people's own words are worth less
COMMON = frozenset({
    "password", "passw0rd", "123456", "12345678", "123456789", "qwerty", "qwertz", "azerty", "letmein", "welcome",
    "admin", "iloveyou", "monkey", "dragon", "sunshine", "princess", "football", "baseball", "master", "secret",
    "abc123", "111111", "000000", "changeme", "trustno1", "lobby", "zp2p",
})
RUNS = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiop", "asdfghjkl", "zxcvbnm")


@dataclass(frozen=True)
class Estimate:
    bits: float
    level: str  # "weak", "fair" or "strong"


def _pool(text: str) -> int:
    pool = 0
    pool += 26 if re.search(r"[a-z]", text) else 0
    pool += 26 if re.search(r"[A-Z]", text) else 0
    pool += 10 if re.search(r"[0-9]", text) else 0
    pool += 33 if re.search(r"[ -/:-@\[-`{-~]", text) else 0
    pool += 100 if not text.isascii() else 0
    return max(pool, 1)


def _effective_length(text: str) -> int:
    """Characters that add something: a repeat of the previous one or the next step of a
    keyboard or alphabet run counts as nothing."""
    count = 0
    lower = text.lower()
    for i, char in enumerate(lower):
        if i and (char == lower[i - 1] or any(lower[i - 1:i + 1] in run for run in RUNS)):
            continue
        count += 1
    return count


def estimate(passphrase: str) -> Estimate:
    """Bits of guessing work, the smaller of a character-based and a word-based view."""
    text = passphrase.strip()
    if not text:
        return Estimate(0.0, "weak")
    core = re.sub(r"[^a-z]", "", text.lower())
    if text.lower() in COMMON or core in COMMON:
        return Estimate(10.0, "weak")
    bits = _effective_length(text) * math.log2(_pool(text))
    words = re.findall(r"[^\W\d_]{3,}", text)
    if words:  # as if each word came from a list of a few thousand, and the rest were single guesses
        bits = min(bits, len(words) * WORD_BITS + (len(text) - sum(map(len, words))) * 1.0)
    level = "weak" if bits < WEAK_BELOW else "strong" if bits >= STRONG_FROM else "fair"
    return Estimate(round(bits, 1), level)
