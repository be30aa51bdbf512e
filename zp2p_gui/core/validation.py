"""Rules for what a user or a peer may hand us: nicks, room names, text, addresses."""

from __future__ import annotations

import ipaddress
import unicodedata
from functools import lru_cache

from .config import PORTS_PER_ROOM

NICK_MAX = 32
ROOM_MAX = 64
MAX_SCAN_ADDRESSES = 1024

# Bidi overrides and isolates let text display as something else (Trojan Source).
_BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
_TEXT_REFUSED = frozenset(("Cc", "Cs", "Co", "Cn"))


class ValidationError(ValueError):
    """A value from outside that we refuse; `code` is stable, the message is for people."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


def _is_name(text: str) -> bool:
    """Names must look like what they are: no control, format (zero-width, bidi) or separator characters."""
    return text.isprintable()


def _is_chat_text(text: str) -> bool:
    """Chat text may hold newlines, tabs and format characters such as the emoji joiner, but no
    control characters and no bidi overrides. isprintable() is the C-speed path for most messages,
    tried first on the text as it is (a one-line message: no copies to make)."""
    if text.isprintable() or text.replace("\n", "").replace("\t", "").isprintable():
        return True
    return not any(ch in _BIDI_CONTROLS or (ch not in "\n\t" and unicodedata.category(ch) in _TEXT_REFUSED)
                   for ch in text)


def check_nick(nick: str) -> str:
    """A nick is 1-32 printable characters without control or bidi-override characters, in NFC so
    a composed and a decomposed "é" are the same nick."""
    nick = unicodedata.normalize("NFC", nick.strip())
    if not nick:
        raise ValidationError("bad_nick", "nick is empty")
    if len(nick) > NICK_MAX:
        raise ValidationError("bad_nick", f"nick is longer than {NICK_MAX} characters")
    if not _is_name(nick):
        raise ValidationError("bad_nick", "nick contains control, invisible or bidi-override characters")
    return nick


def check_room(room: str) -> str:
    """Room names follow the nick rules with a longer limit."""
    room = room.strip()
    if not room or len(room) > ROOM_MAX or not _is_name(room):
        raise ValidationError("bad_room", f"room name must be 1-{ROOM_MAX} printable characters")
    return room


def check_text(text: str, max_bytes: int) -> str:
    """Chat text: non-empty, bounded in UTF-8 bytes, newlines allowed (CRLF becomes LF), no control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ValidationError("empty_message", "message is empty")
    size = len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))  # checked twice a message
    if size > max_bytes:
        raise ValidationError("message_too_long", f"message is {size} bytes; the limit is {max_bytes}")
    if not _is_chat_text(text):
        raise ValidationError("bad_message", "message contains control characters")
    return text


PORT_MAX = 65536 - PORTS_PER_ROOM  # the highest base port whose room ports all exist


def check_port(port: int) -> int:
    """The base port and the ports after it (P..P+5) must be valid TCP ports."""
    if not 1 <= port <= PORT_MAX:
        raise ValidationError("bad_port", f"port must be between 1 and {PORT_MAX}")
    return port


def check_ip(text: str) -> str:
    """An IPv4 address in dotted form."""
    try:
        return str(ipaddress.IPv4Address(text.strip()))
    except ValueError:
        raise ValidationError("bad_address", f"not an IPv4 address: {text!r}") from None


def parse_network(text: str) -> ipaddress.IPv4Network:
    """A CIDR range such as 127.0.0.0/24; host bits are tolerated (192.168.1.7/24)."""
    try:
        return ipaddress.IPv4Network(text.strip(), strict=False)
    except ValueError:
        raise ValidationError("bad_network", f"not an IPv4 CIDR range: {text!r}") from None


def scan_addresses(ranges: list[str] | tuple[str, ...]) -> list[str]:
    """Every host address of the ranges, in order, without repeats; bounded in total so neither
    a /8 nor many small ranges can make us connect to thousands of addresses."""
    seen: dict[str, None] = {}
    for text in ranges:
        net = parse_network(text)
        if net.num_addresses > MAX_SCAN_ADDRESSES:
            raise ValidationError("bad_network", f"{net} has {net.num_addresses} addresses; the limit is {MAX_SCAN_ADDRESSES}")
        for ip in _host_numbers(net):
            seen.setdefault(f"{ip >> 24}.{ip >> 16 & 255}.{ip >> 8 & 255}.{ip & 255}", None)
        if len(seen) > MAX_SCAN_ADDRESSES:
            raise ValidationError("bad_network", f"the scan ranges hold more than {MAX_SCAN_ADDRESSES} addresses")
    return list(seen)


def _host_numbers(net: ipaddress.IPv4Network) -> range:
    """The addresses net.hosts() gives (a /32 its one address), as numbers: making an address
    object per host was most of a start's time to list a /24."""
    first, last = int(net.network_address), int(net.broadcast_address)
    return range(first + 1, last) if net.prefixlen < 31 else range(first, last + 1)


def parse_allowed_nets(text: str | None) -> tuple[str, ...]:
    """ZP2P_ALLOWED_NETS: comma- or space-separated CIDR ranges; empty means anything."""
    if not text:
        return ()
    return tuple(str(parse_network(part)) for part in text.replace(",", " ").split())


def is_allowed(ip: str, allowed: tuple[str, ...]) -> bool:
    """True when no restriction is set or ip falls in one of the allowed ranges."""
    if not allowed:
        return True
    addr = ipaddress.IPv4Address(ip)
    return any(addr in net for net in _networks(allowed))


def ranges_allowed(ranges: list[str] | tuple[str, ...], allowed: tuple[str, ...]) -> bool:
    """True when each range lies wholly inside one allowed range, so none of its addresses needs
    `is_allowed` (a start checked the 254 of a /24 one by one: ~1.3 ms). False says only that
    this quick check cannot vouch for them: a range split across two allowed ones, or partly
    outside, still needs the check per address."""
    if not allowed:
        return True
    nets = _networks(allowed)
    return all(any(parse_network(text).subnet_of(net) for net in nets) for text in ranges)


@lru_cache(maxsize=8)
def _networks(allowed: tuple[str, ...]) -> tuple[ipaddress.IPv4Network, ...]:
    """Parsed once: a start checks every scan address (254 for a /24), and parsing the ranges
    again for each took most of that check's time."""
    return tuple(ipaddress.IPv4Network(net) for net in allowed)
