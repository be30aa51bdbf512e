"""One declaration per option: the parser, the saved preferences and the Config builder all
follow OPTIONS, and the builder says where each value came from."""

from __future__ import annotations

import pytest

from zp2p_gui.cli import build_parser, command_line_values
from zp2p_gui.core.records import fields
from zp2p_gui.core.settings import OPTIONS, SAVED, Preferences, Source, build_config, resolve
from zp2p_gui.core.validation import ValidationError

ENV = {"ZP2P_ALLOWED_NETS": "127.0.0.0/8"}


def test_every_flag_is_in_the_parser_and_every_saved_option_in_preferences() -> None:
    parser_dests = {action.dest for action in build_parser()._actions}
    assert {o.name for o in OPTIONS if o.flag} <= parser_dests
    assert [f.name for f in fields(Preferences)] == [o.name for o in SAVED]
    assert Preferences() == Preferences(**{o.name: o.default for o in SAVED})


def test_command_line_wins_over_saved_which_wins_over_default() -> None:
    args = build_parser().parse_args(["--port", "25304", "--scan", "127.0.6.0/24"])
    saved = {"port": 25300, "room": "team", "scan": ("127.0.7.0/24",)}
    built = build_config(saved, command_line_values(args), nick="amy", environ=ENV)
    assert (built.config.port, built.config.room, built.config.scan) == (25304, "team", ("127.0.6.0/24",))
    assert built.sources["port"] is Source.COMMAND_LINE and built.sources["scan"] is Source.COMMAND_LINE
    assert built.sources["room"] is Source.SAVED and built.sources["host"] is Source.DEFAULT


def test_resolve_shows_bad_values_without_refusing_them_and_build_refuses_them() -> None:
    resolved = resolve({}, {"port": 0})
    assert resolved["port"] == 0 and resolved.from_command_line("port")
    with pytest.raises(ValidationError) as caught:
        build_config({}, {"port": 0}, nick="amy", environ=ENV)
    assert caught.value.code == "bad_port"


def test_saved_empty_values_mean_not_set_but_an_empty_command_line_value_is_refused() -> None:
    assert resolve({"room": ""}, {})["room"] == "lobby"
    with pytest.raises(ValidationError):
        build_config({}, {"room": ""}, nick="amy", environ=ENV)


def test_preferences_report_problems_with_codes() -> None:
    problems = Preferences(scan=("nope",), port=0, language="xx").problems()
    assert {name: exc.code for name, exc in problems.items()} == {
        "scan": "bad_network", "port": "bad_port", "language": "bad_option"}
