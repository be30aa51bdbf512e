"""The engine layer: the state machine and the parts of `Node` (joining, failover, hosting,
leaving) over the roles of net/. docs/architecture.md describes it. `Node` loads when first
asked for, so engine/opening.py can open discovery before the rest of the engine is imported."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .node import Node

__all__ = ["Node"]


def __getattr__(name: str) -> Any:
    if name == "Node":
        from .node import Node

        return Node
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
