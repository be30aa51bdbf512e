"""Recent chat messages kept in memory, bounded in bytes rather than in count: a member frozen
for ten seconds in a busy room must find every message it missed still here, while a flood of
long messages cannot make the host (or a member's replica of the backlog) grow without bound.
Readers take it in pages, so a welcome or a history reply stays one modest frame."""

from __future__ import annotations

from collections import deque
from typing import Any, Iterable, Iterator

from .codec import MAX_LIST

CHAT_OVERHEAD = 800  # what a kept message costs beyond its text: the dict, its keys, seq and ts (tracemalloc)
PAGE_BYTES = 1 << 20  # at most this much of the backlog in one welcome or history reply
PAGE_ITEMS = MAX_LIST  # and no more messages than the codec accepts in one list


def chat_size(chat: dict[str, Any]) -> int:
    """Estimated memory of one kept message; also an upper bound of its size on the wire.
    Called for every relayed message, so ASCII text (the usual case) is not encoded to count it."""
    joined = chat["text"] + chat["nick"] + chat["sender"] + chat["addr"]  # one test for ASCII, not four
    size = len(joined) if joined.isascii() else len(joined.encode())
    return CHAT_OVERHEAD + len(chat.get("path", "")) + size  # a message of a batch carries its path


class Backlog:
    """Oldest first; appending past max_bytes evicts the oldest (the newest one always stays)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self._chats: deque[tuple[dict[str, Any], int]] = deque()

    def __len__(self) -> int:
        return len(self._chats)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (chat for chat, _ in self._chats)

    def append(self, chat: dict[str, Any]) -> list[dict[str, Any]]:
        """Keep chat; the messages evicted to make room for it, oldest first."""
        size = chat_size(chat)
        self._chats.append((chat, size))
        self.bytes += size
        return self._evict()

    def extend(self, chats: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """append for several (a receiver keeps each batch it shows), evicting once at the end:
        the same messages stay as after appending them one by one."""
        for chat in chats:
            size = chat_size(chat)
            self._chats.append((chat, size))
            self.bytes += size
        return self._evict()

    def _evict(self) -> list[dict[str, Any]]:
        """The oldest messages dropped until the rest fit (the newest always stays)."""
        evicted = []
        while self.bytes > self.max_bytes and len(self._chats) > 1:
            old, old_size = self._chats.popleft()
            self.bytes -= old_size
            evicted.append(old)
        return evicted

    def newest(self, max_items: int = PAGE_ITEMS, max_bytes: int = PAGE_BYTES) -> list[dict[str, Any]]:
        """The newest messages that fit in one page, oldest first (what a welcome carries)."""
        return _fill(reversed(self._chats), max_items, max_bytes)[::-1]

    def page(self, sender: str, first: int, last: int, max_items: int = PAGE_ITEMS,
             max_bytes: int = PAGE_BYTES) -> list[dict[str, Any]]:
        """sender's messages first..last in order, cut to one page: the asker fetches the rest next."""
        wanted = ((chat, size) for chat, size in self._chats
                  if chat["sender"] == sender and first <= chat["seq"] <= last)
        return _fill(wanted, max_items, max_bytes)


def _fill(entries: Iterable[tuple[dict[str, Any], int]], max_items: int, max_bytes: int) -> list[dict[str, Any]]:
    """Messages from entries, in their order, until the page is full (one always fits)."""
    page: list[dict[str, Any]] = []
    used = 0
    for chat, size in entries:
        if len(page) >= max_items or (page and used + size > max_bytes):
            break
        page.append(chat)
        used += size
    return page
