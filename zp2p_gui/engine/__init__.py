"""The engine layer: the state machine and the parts of `Node` (joining, failover, hosting,
leaving) over the roles of net/. docs/architecture.md describes it."""

from .node import Node

__all__ = ["Node"]
