"""The import path front ends, tools and tests use for the engine; it lives in zp2p_gui/engine/."""

from .engine import Node

__all__ = ["Node"]
