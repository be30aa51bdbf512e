"""Byte budgets for the registry's replies: a reply that copies the backlog must not grow with
it, or a peer that asks again and again without reading makes the host queue megabytes each time.

Sizes are estimated from the text (UTF-8 bytes) plus a fixed allowance for the other fields of
a chat, which are bounded by the codec (ids, nick and address at most 64 characters each)."""

from __future__ import annotations

from typing import Any

CHAT_OVERHEAD = 400
WELCOME_BACKLOG_BYTES = 256 * 1024
HISTORY_BYTES = 1024 * 1024


def chat_bytes(chat: dict[str, Any]) -> int:
    """An upper estimate of one chat's size in a JSON reply."""
    return len(chat["text"].encode("utf-8")) + CHAT_OVERHEAD


def newest_within(chats: list[dict[str, Any]], max_bytes: int) -> list[dict[str, Any]]:
    """The newest chats (a suffix, still oldest first) whose sizes fit in max_bytes.
    A welcome keeps the newest: older ones stay in the host's backlog for `fetch`."""
    total = 0
    start = len(chats)
    while start > 0 and total + chat_bytes(chats[start - 1]) <= max_bytes:
        start -= 1
        total += chat_bytes(chats[start])
    return chats[start:]


def oldest_within(chats: list[dict[str, Any]], max_bytes: int) -> list[dict[str, Any]]:
    """The oldest chats (a prefix) that fit, and always the first one: a `history` reply fills a
    gap from its start, and the member fetches the rest of the gap again."""
    total = 0
    end = 0
    while end < len(chats) and (end == 0 or total + chat_bytes(chats[end]) <= max_bytes):
        total += chat_bytes(chats[end])
        end += 1
    return chats[:end]
