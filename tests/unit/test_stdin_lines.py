"""The headless reader splits piped bytes into lines itself (headless.line_batches); a pipe hands
over whatever the writer wrote, so a character or a line end can arrive cut in two."""

from __future__ import annotations

import io

from zp2p_gui.headless import line_batches


class Trickle(io.RawIOBase):
    """A pipe that returns at most `step` bytes per read, as a slow writer's would."""

    def __init__(self, data: bytes, step: int) -> None:
        self.data, self.step = data, step

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        n = min(len(buffer), self.step, len(self.data))
        buffer[:n], self.data = self.data[:n], self.data[n:]
        return n


def lines_of(data: bytes, step: int) -> list[str]:
    stdin = io.TextIOWrapper(io.BufferedReader(Trickle(data, step), buffer_size=step), encoding="utf-8")
    return [line for batch in line_batches(stdin) for line in batch if line]


def test_a_character_cut_between_two_reads_arrives_whole() -> None:
    text = "안녕 zoë 🙂\n두 번째\n"
    for step in range(1, 8):
        assert lines_of(text.encode(), step) == ["안녕 zoë 🙂", "두 번째"]


def test_windows_and_old_mac_line_ends_end_lines_even_when_cut() -> None:
    for step in range(1, 5):
        assert lines_of(b"a\r\nb\rc\nd", step) == ["a", "b", "c", "d"]


def test_the_last_line_needs_no_line_end() -> None:
    assert lines_of(b"one\ntwo", 64) == ["one", "two"]


def test_lines_already_in_the_pipe_come_as_one_batch() -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b"a\nb\nc\n"), encoding="utf-8")
    assert list(line_batches(stdin)) == [["a", "b", "c"]]


def test_a_stream_without_bytes_gives_its_lines_one_by_one() -> None:
    assert list(line_batches(io.StringIO("a\nb\n"))) == [["a\n"], ["b\n"]]
