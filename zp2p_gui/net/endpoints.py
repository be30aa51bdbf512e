"""How a member reaches the host: connections leave from our own address, so the host's
Peer-Address check sees who we really are even when several nodes share one machine."""

from __future__ import annotations


def tcp(host: str, port: int, source: str | None = None) -> str:
    if source:
        return f"tcp://{source}:0;{host}:{port}"
    return f"tcp://{host}:{port}"
