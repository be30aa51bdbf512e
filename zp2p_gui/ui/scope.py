"""Which network a Connect will search, worked out the same way the engine does, so the
window can name it before connecting (welcome panel) and after (the "now hosting" line)."""

from __future__ import annotations

from dataclasses import dataclass

from ..net.interfaces import address_of, slash24


@dataclass(frozen=True)
class SearchScope:
    """`networks` are the CIDR ranges scanned; `host` is an address asked directly, if any.
    Both empty means no usable interface was found (the engine will say so on Connect)."""

    networks: tuple[str, ...] = ()
    host: str = ""

    @property
    def networks_text(self) -> str:
        return ", ".join(self.networks)


def search_scope(scan: tuple[str, ...] | list[str], host: str | None, bind: str | None,
                 interface: str | None) -> SearchScope:
    """Mirrors Node._begin: explicit scan ranges, else none when a host is given, else the /24
    of the bind address or of the chosen (or default-route) interface."""
    host = host or ""
    if scan:
        return SearchScope(tuple(scan), host)
    if host:
        return SearchScope((), host)
    addr = bind
    if not addr:
        iface = address_of(interface or None)
        addr = iface.addr if iface is not None else None
    return SearchScope((slash24(addr),) if addr else ())
