"""One table from a key to its handler, filled by decorating methods: the engine's inbox and
every actor's command pipe dispatch by message type, the engine's wire packets by their kind.
A newcomer adds a message by adding a class and one decorated handler, not a branch in a chain."""

from __future__ import annotations

from typing import Any, Callable, Generic, Hashable, TypeVar

K = TypeVar("K", bound=Hashable)
F = TypeVar("F", bound=Callable[..., Any])


class Handlers(Generic[K]):
    """key -> unbound handler. `handle(owner, key, *args)` calls `handler(owner, *args)`."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._table: dict[K, Callable[..., Any]] = {}

    def on(self, *keys: K) -> Callable[[F], F]:
        def register(handler: F) -> F:
            for key in keys:
                if key in self._table:
                    raise ValueError(f"{self.name}: {key!r} already has a handler")
                self._table[key] = handler
            return handler
        return register

    def __contains__(self, key: object) -> bool:
        return key in self._table

    def keys(self) -> frozenset[K]:
        return frozenset(self._table)

    def handle(self, owner: Any, key: K, *args: Any) -> bool:
        """Run the handler for key; False when there is none (the caller decides what that means)."""
        handler = self._table.get(key)
        if handler is None:
            return False
        handler(owner, *args)
        return True
