"""The plain command-line reader (cli.read_plain) gives exactly argparse's values, and leaves to
argparse every command line it is not sure of, so help, the version and errors stay argparse's."""

from __future__ import annotations

import pytest

from zp2p_gui.cli import build_parser, parse_command_line, read_plain

PLAIN = [
    [],
    ["--headless"],
    ["--headless", "--nick", "amy", "--bind", "127.0.3.2", "--scan", "127.0.3.0/24", "--port", "25304"],
    ["--nick=amy", "--port=25304", "--discovery-window=0.5", "--rate-limit", "12.5"],
    ["--scan", "127.0.3.0/24", "--scan=127.0.4.0/24", "--scan", "127.0.5.0/24"],
    ["--nick", "amy", "--nick", "bob"],  # the last one wins
    ["-v", "--verbose", "--auto-accept", "--connect", "--self-test", "--doctor"],
    ["--room", "team room", "--data-dir", "/tmp/zp2p x", "--passphrase-file", "p.txt", "--host", "127.0.3.1"],
    ["--port=-5"],  # a value after '=' is the flag's, whatever it starts with
    ["--nick", "ämy=1", "--interface", "lo", "--downloads", "d", "--offer-timeout", "30"],
]


@pytest.mark.parametrize("argv", PLAIN)
def test_a_plain_command_line_reads_as_argparse_reads_it(argv: list[str]) -> None:
    plain = read_plain(argv)
    assert plain is not None
    assert vars(plain) == vars(build_parser().parse_args(argv))


LEFT_TO_ARGPARSE = [
    ["--help"], ["-h"], ["--version"],
    ["--nick"],  # no value
    ["--nick", "-amy"],  # argparse decides whether a value that starts with '-' is one
    ["--port", "-1"],
    ["--nick", ""], ["--nick="],
    ["--port", "x"], ["--discovery-window", "soon"],  # argparse's own error message
    ["--hea"], ["--nic", "amy"],  # abbreviations
    ["--headless=1"], ["-vv"], ["--"], ["-"], ["amy"], ["--bogus"],
]


@pytest.mark.parametrize("argv", LEFT_TO_ARGPARSE)
def test_anything_else_is_left_to_argparse(argv: list[str]) -> None:
    assert read_plain(argv) is None


def test_argparse_reads_what_the_plain_reader_leaves() -> None:
    assert vars(parse_command_line(["--nick", "", "--hea"])) == vars(build_parser().parse_args(["--nick", "", "--hea"]))


def test_argparse_still_answers_help_and_errors(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as help_exit:
        parse_command_line(["--help"])
    assert help_exit.value.code == 0 and "Serverless LAN chat." in capsys.readouterr().out
    with pytest.raises(SystemExit) as error_exit:
        parse_command_line(["--port", "x"])
    assert error_exit.value.code == 2 and "invalid int value: 'x'" in capsys.readouterr().err
