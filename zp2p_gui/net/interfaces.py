"""Which address this node uses and which range it searches, from the machine's interfaces."""

from __future__ import annotations

import ipaddress

from ..core.records import record


@record(frozen=True)
class Interface:
    name: str
    addr: str
    netmask: str
    default: bool

    @property
    def network(self) -> str:
        return str(ipaddress.IPv4Network(f"{self.addr}/{self.netmask}", strict=False))


def _default_interface_name() -> str | None:
    import netifaces  # only here: a node given --bind never reads its interfaces (~1 ms at start)

    gateway = netifaces.gateways().get("default", {}).get(netifaces.AF_INET)
    return gateway[1] if gateway else None


def list_interfaces() -> list[Interface]:
    """Every interface with an IPv4 address, the default-route one first, loopback last."""
    import netifaces

    default = _default_interface_name()
    found = []
    for name in netifaces.interfaces():
        for entry in netifaces.ifaddresses(name).get(netifaces.AF_INET, []):
            if "addr" in entry:
                found.append(Interface(name, entry["addr"], entry.get("netmask", "255.255.255.0"), name == default))
    return sorted(found, key=lambda i: (not i.default, i.addr.startswith("127."), i.name))


def address_of(name: str | None) -> Interface | None:
    """The named interface, or the default-route one when name is None."""
    for iface in list_interfaces():
        if (name is None and iface.default) or iface.name == name:
            return iface
    return None


def slash24(addr: str) -> str:
    """The /24 around addr: the seed's scan range."""
    return str(ipaddress.IPv4Network(f"{addr}/24", strict=False))
