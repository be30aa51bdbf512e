"""Issue 16's import-to-search (zp2p's first line -> `searching`, target < 40 ms) is in every
benchmark's bench.json and report beside the older start figure (process start -> `searching`),
taken from the stamps the node itself puts on its `searching` event."""

from __future__ import annotations

from pathlib import Path

import pytest

import zp2p_gui
from zp2p_gui.bench import measures, report
from zp2p_gui.core.config import Config
from zp2p_gui.core.events import Event, Searching
from zp2p_gui.node import Node


def joins(n: int) -> measures.Samples:
    ms = [float(i) for i in range(1, n + 1)]
    return measures.Samples(join_ms=[100 + x for x in ms], join_engine_ms=ms, start_ms=[80 + x for x in ms],
                            import_ms=[30 + x for x in ms], import_cpu_ms=[20 + x for x in ms])


def test_join_figures_keep_the_start_figure_and_add_import_to_search() -> None:
    figures = measures.join_figures(joins(5))
    assert figures["start_ms_p50"] == 83.0
    assert set(measures.IMPORT_KEYS) <= set(figures)
    assert (figures["import_ms_p50"], figures["import_ms_min"]) == (33.0, 31.0)
    assert (figures["import_cpu_ms_p50"], figures["import_cpu_ms_min"]) == (23.0, 21.0)


def test_the_report_judges_import_to_search_against_40_ms() -> None:
    result = {**measures.join_figures(joins(5)), "fanout": []}
    rows = {t.label: t.verdict(result) for t in report.targets(result)}
    assert rows["start p50 (process start → searching)"] == ("83 ms", "—", "")
    assert rows["import-to-search p50 (zp2p's first line → searching)"] == ("33 ms", "< 40 ms", "pass")
    assert rows["same, the process's CPU"] == ("23 ms", "< 40 ms", "pass")


def test_a_run_without_the_stamps_shows_an_error_not_a_pass() -> None:
    result = {"fanout": []}
    rows = {t.label: t.verdict(result) for t in report.targets(result)}
    assert rows["import-to-search p50 (zp2p's first line → searching)"][2] == "**error**"


def test_the_engine_stamps_searching_with_the_time_since_zp2p_began(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[Event] = []
    config = Config(nick="amy", bind="127.0.0.2", scan=("127.0.0.0/24",), allowed_nets=("127.0.0.0/8",),
                    data_dir=tmp_path)
    node = Node(config, events.append)
    monkeypatch.setattr(node, "_search", lambda targets, promote_after: None)  # no discovery: no sockets
    monkeypatch.setattr(node, "_set_up", lambda: None)
    before = zp2p_gui.since_start()
    node._begin()
    after = zp2p_gui.since_start()
    searching = next(e for e in events if isinstance(e, Searching))
    assert before[0] - 0.01 <= searching.import_ms <= after[0] + 0.01  # rounded to 0.01 ms
    assert before[1] - 0.01 <= searching.import_cpu_ms <= after[1] + 0.01
    line = searching.to_json()
    assert {"import_ms", "import_cpu_ms"} <= set(line)
