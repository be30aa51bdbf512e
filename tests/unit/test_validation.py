"""What a user or a peer may hand us: nicks, rooms, text, ports, addresses and ranges."""

from __future__ import annotations

import ipaddress

import pytest

from zp2p_gui.core.validation import (
    MAX_SCAN_ADDRESSES,
    NICK_MAX,
    ValidationError,
    check_ip,
    check_nick,
    check_port,
    check_room,
    check_text,
    is_allowed,
    parse_allowed_nets,
    parse_network,
    ranges_allowed,
    scan_addresses,
)

BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


def code_of(fn, *args) -> str:
    with pytest.raises(ValidationError) as info:
        fn(*args)
    assert info.value.detail and str(info.value) == info.value.detail
    return info.value.code


# ---------------------------------------------------------------------------------------- nick


@pytest.mark.parametrize("nick", ["a", "Bob", "김철수", "안녕하세요", "x" * NICK_MAX, "Zoë", "bob the 2nd", "👋🏽", "a-b_c.d"])
def test_good_nicks(nick: str) -> None:
    assert check_nick(nick) == nick


def test_nick_is_stripped() -> None:
    assert check_nick("  bob \t") == "bob"


@pytest.mark.parametrize("nick", ["", "   ", "\t\n", "x" * (NICK_MAX + 1), "가" * (NICK_MAX + 1)])
def test_empty_or_long_nicks(nick: str) -> None:
    assert code_of(check_nick, nick) == "bad_nick"


def test_nick_length_counts_characters_not_bytes() -> None:
    assert check_nick("가" * NICK_MAX) == "가" * NICK_MAX  # 96 bytes of UTF-8


@pytest.mark.parametrize("char", BIDI)
def test_nick_refuses_bidi_overrides_and_isolates(char: str) -> None:
    assert code_of(check_nick, f"ev{char}il") == "bad_nick"


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\n", "\t", "\r", "\ud800", "\ue000",
                                  "\U000f0000", "\u0378"])
def test_nick_refuses_control_surrogate_private_and_unassigned(char: str) -> None:
    assert code_of(check_nick, f"a{char}b") == "bad_nick"


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\u200b", "\u2060", "\ufeff"])
def test_nick_refuses_line_separators_and_invisible_characters(char: str) -> None:
    """BUG (core/validation.py, _has_forbidden_char): a nick is documented as "1-32 printable
    characters", but the line/paragraph separators (Zl, Zp) and invisible format characters
    (zero-width space, word joiner, BOM) pass. "bo\u200bb" is then a different nick from "bob"
    for HostState.register's nick_in_use check while it looks identical, and U+2028 breaks a
    nick over two lines in the chat view."""
    try:
        check_nick(f"bo{char}b")
    except ValidationError:
        return
    pytest.fail(f"BUG validation.check_nick: accepted a nick with U+{ord(char):04X}")


# ---------------------------------------------------------------------------------------- room


def test_room_rules() -> None:
    assert check_room(" 한국 방 ") == "한국 방"
    assert check_room("r" * 64) == "r" * 64
    for bad in ["", "  ", "r" * 65, "a\nb", "a\u202eb"]:
        assert code_of(check_room, bad) == "bad_room"


# ---------------------------------------------------------------------------------------- text


def test_text_allows_newlines_tabs_and_korean() -> None:
    text = "첫 줄\n\tsecond line\n세 번째"
    assert check_text(text, 1000) == text


def test_text_is_not_stripped() -> None:
    assert check_text("  spaced  ", 100) == "  spaced  "


@pytest.mark.parametrize("text", ["", " ", "\n\n", "\t "])
def test_empty_text(text: str) -> None:
    assert code_of(check_text, text, 100) == "empty_message"


def test_text_limit_is_in_utf8_bytes() -> None:
    assert check_text("x" * 30, 30)
    assert code_of(check_text, "x" * 31, 30) == "message_too_long"
    assert check_text("가" * 10, 30)                 # 3 bytes each
    assert code_of(check_text, "가" * 11, 30) == "message_too_long"
    assert code_of(check_text, "😀" * 8, 30) == "message_too_long"   # 4 bytes each


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f", "\ud800", *BIDI])
def test_text_refuses_control_and_bidi_characters(char: str) -> None:
    assert code_of(check_text, f"hello{char}world", 1000) == "bad_message"


def test_text_from_windows_has_its_line_endings_normalised() -> None:
    assert check_text("one\r\ntwo\rthree", 1000) == "one\ntwo\nthree"


def test_nicks_are_compared_in_nfc() -> None:
    assert check_nick("e\u0301mile") == check_nick("\u00e9mile")


def test_text_with_a_lone_surrogate_is_refused_not_raised() -> None:
    assert code_of(check_text, "\udfff" * 5, 1000) == "bad_message"


# ----------------------------------------------------------------------------- ports, addresses


def test_ports() -> None:
    assert check_port(1) == 1 and check_port(65530) == 65530  # 65530..65535: P..P+5
    for bad in [0, -1, 65531, 70000]:
        assert code_of(check_port, bad) == "bad_port"


def test_ip() -> None:
    assert check_ip(" 127.0.0.2 ") == "127.0.0.2"
    for bad in ["", "127.0.0", "127.0.0.256", "::1", "localhost", "127.0.0.1/32", "1.2.3.4.5"]:
        assert code_of(check_ip, bad) == "bad_address"


def test_cidr_parsing_tolerates_host_bits() -> None:
    assert str(parse_network("192.168.1.7/24")) == "192.168.1.0/24"  # parser only: never connects
    assert str(parse_network(" 127.0.0.0/24 ")) == "127.0.0.0/24"
    assert str(parse_network("10.1.2.3")) == "10.1.2.3/32"  # parser only: never connects
    for bad in ["", "127.0.0.0/33", "fe80::/64", "net", "127.0.0.0/-1"]:
        assert code_of(parse_network, bad) == "bad_network"


def test_scan_addresses_of_a_24_are_its_254_hosts_in_order() -> None:
    addrs = scan_addresses(["127.0.0.0/24"])
    assert len(addrs) == 254 and addrs[0] == "127.0.0.1" and addrs[-1] == "127.0.0.254"
    assert addrs == sorted(addrs, key=lambda a: int(a.split(".")[-1]))


def test_scan_addresses_slash32_and_slash31() -> None:
    assert scan_addresses(["127.0.0.9/32"]) == ["127.0.0.9"]
    assert scan_addresses(["127.0.0.9"]) == ["127.0.0.9"]
    assert scan_addresses(["127.0.0.8/31"]) == ["127.0.0.8", "127.0.0.9"]


@pytest.mark.parametrize("cidr", ["10.1.2.0/24", "192.168.1.7/24", "10.0.0.0/30", "10.0.0.0/29", "10.0.0.0/22",  # parser only: never connects
                                  "0.0.0.0/28", "255.255.255.240/28"])
def test_scan_addresses_are_the_hosts_ipaddress_lists(cidr: str) -> None:
    assert scan_addresses([cidr]) == [str(ip) for ip in ipaddress.IPv4Network(cidr, strict=False).hosts()]


def test_scan_addresses_dedupe_keeps_first_order() -> None:
    assert scan_addresses(["127.0.0.5/32", "127.0.0.4/30", "127.0.0.5"]) == ["127.0.0.5", "127.0.0.6"]
    assert scan_addresses([]) == []


def test_scan_addresses_bound_per_range() -> None:
    assert len(scan_addresses(["10.0.0.0/22"])) == MAX_SCAN_ADDRESSES - 2  # exactly at the bound; parser only: never connects
    assert code_of(scan_addresses, ["10.0.0.0/21"]) == "bad_network"  # parser only: never connects
    assert code_of(scan_addresses, ["10.0.0.0/8"]) == "bad_network"  # parser only: never connects
    assert code_of(scan_addresses, ["127.0.0.0/24", "garbage"]) == "bad_network"


def test_allowed_nets() -> None:
    assert parse_allowed_nets(None) == () and parse_allowed_nets("") == ()
    nets = parse_allowed_nets("127.0.0.0/8, 10.1.2.3/24  192.168.0.0/16")  # parser only: never connects
    assert nets == ("127.0.0.0/8", "10.1.2.0/24", "192.168.0.0/16")  # parser only: never connects
    assert is_allowed("127.44.5.6", nets) and is_allowed("10.1.2.200", nets)  # membership check only: never connects
    assert not is_allowed("10.1.3.1", nets) and not is_allowed("8.8.8.8", nets)  # membership check only: never connects
    assert is_allowed("8.8.8.8", ())  # membership check only: never connects
    assert code_of(parse_allowed_nets, "127.0.0.0/8,nope") == "bad_network"


def test_ranges_allowed_vouches_only_for_ranges_inside_one_allowed_range() -> None:
    """The start's quick check (engine/node.py): membership checks only, nothing connects."""
    nets = parse_allowed_nets("127.0.0.0/8, 10.1.2.0/24")  # parser only: never connects
    assert ranges_allowed(["127.3.4.0/24", "10.1.2.9/32", "10.1.2.0/24"], nets)  # membership check only: never connects
    assert ranges_allowed(["8.8.8.0/24"], ())  # no restriction; membership check only: never connects
    assert ranges_allowed([], nets)
    assert not ranges_allowed(["10.1.2.0/23"], nets)  # half of it outside; membership check only: never connects
    assert not ranges_allowed(["127.3.4.0/24", "8.8.8.8/32"], nets)  # membership check only: never connects
    halves = parse_allowed_nets("127.0.0.0/25, 127.0.0.128/25")
    assert not ranges_allowed(["127.0.0.0/24"], halves)  # split across two: the caller checks each address
    assert all(is_allowed(ip, halves) for ip in scan_addresses(["127.0.0.0/24"]))


@pytest.mark.parametrize("scan", ["127.9.9.0/24", "127.9.9.0/23", "127.9.9.64/26", "127.9.8.0/22", "10.0.0.0/30"])  # parsed only: never connects
@pytest.mark.parametrize("allowed", ["127.9.9.0/24", "127.0.0.0/8", "127.9.9.0/25 127.9.9.128/25", "10.0.0.0/31"])  # parsed only: never connects
def test_ranges_allowed_never_vouches_for_an_address_outside(scan: str, allowed: str) -> None:
    nets = parse_allowed_nets(allowed)
    if ranges_allowed([scan], nets):
        assert all(is_allowed(ip, nets) for ip in scan_addresses([scan]))  # membership checks only: never connects
