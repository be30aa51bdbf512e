"""Options are validated once, at the boundary, with messages fit for a person."""

from __future__ import annotations

from pathlib import Path

import pytest

from zp2p_gui.cli import build_parser, config_from_args
from zp2p_gui.core.validation import ValidationError

ENV = {"ZP2P_ALLOWED_NETS": "127.0.0.0/8"}


def config(*argv: str):
    return config_from_args(build_parser().parse_args(["--nick", "amy", *argv]), environ=ENV)


def refusal(*argv: str) -> str:
    with pytest.raises(ValidationError) as caught:
        config(*argv)
    return caught.value.code


def test_defaults_and_allowed_nets_from_the_environment() -> None:
    c = config()
    assert (c.port, c.room, c.allowed_nets) == (27800, "lobby", ("127.0.0.0/8",))
    assert c.limits.rate_per_s == 0  # no ceiling: the relay shares itself out in turns (core/fairshare.py)


@pytest.mark.parametrize("argv, code", [
    (("--port", "70000"), "bad_port"),
    (("--scan", "not-a-net"), "bad_network"),
    (("--host", "host.example"), "bad_address"),
    (("--bind", "300.1.1.1"), "bad_address"),  # not an address: refused before any socket
    (("--room", ""), "bad_room"),
    (("--discovery-window", "0"), "bad_option"),
    (("--rate-limit", "-1"), "bad_option"),
    (("--rate-limit", "nan"), "bad_option"),
    (("--backlog-bytes", "10"), "bad_option"),
    (("--offer-timeout", "0"), "bad_option"),
])
def test_bad_options_are_refused_with_a_code(argv: tuple[str, ...], code: str) -> None:
    assert refusal(*argv) == code


def test_rate_limit_zero_turns_the_limit_off_and_sets_a_burst_otherwise() -> None:
    assert config("--rate-limit", "0").limits.rate_per_s == 0
    assert config("--rate-limit", "50").limits.rate_burst == 100


def test_the_offer_timeout_is_a_limit() -> None:
    assert config("--offer-timeout", "3").limits.offer_timeout_s == 3
    assert config().limits.offer_timeout_s == 300


def test_the_hidden_backlog_option_sets_the_byte_budget() -> None:
    assert config("--backlog-bytes", "65536").limits.backlog_bytes == 65536
    assert config().limits.backlog_bytes == 32 * 1024 * 1024


def test_passphrase_file_must_be_readable_and_non_empty(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.write_text("\n")
    assert refusal("--passphrase-file", str(empty)) == "bad_passphrase_file"
    assert refusal("--passphrase-file", str(tmp_path / "missing")) == "bad_passphrase_file"
