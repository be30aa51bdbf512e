"""The side by side's pure parts: ratios, the room predicates, the table and the plan's ticks
(the measurement itself runs as root in tests/netns/test_bench_pyre.py)."""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

import pytest

from zp2p_gui.bench import __main__ as bench
from zp2p_gui.bench import peers, report, suite
from zp2p_gui.bench.plan import SMOKE


def side(**figures: float) -> dict[str, Any]:
    row: dict[str, Any] = {key: 1.0 for key in peers.FIGURES}
    return {**row, "room_nodes": 10, "burst_msgs": 20_000, "stopped_s": 4.0, "version": "0.1", **figures}


def test_ratio_is_zp2p_over_pyre_for_every_figure() -> None:
    out = peers.ratios(side(join_ms_p50=300.0, throughput_msgs_per_s=2000.0),
                       side(join_ms_p50=100.0, throughput_msgs_per_s=8000.0))
    assert set(out) == set(peers.FIGURES)
    assert out["join_ms_p50"] == pytest.approx(3.0)
    assert out["throughput_msgs_per_s"] == pytest.approx(0.25)


def test_ratio_is_none_where_a_side_has_no_number_or_pyre_zero() -> None:
    out = peers.ratios(side(p50_ms=2.0, stopped_shown=100), {**side(stopped_shown=0), "p50_ms": None})
    assert out["p50_ms"] is None and out["stopped_shown"] is None
    assert peers.ratios({}, side())["join_ms_p50"] is None


def test_pyre_sees_a_room_when_n_minus_one_distinct_peers_joined() -> None:
    pred = peers._pyre_sees_room(3)
    assert not pred({"event": "join", "peer": "pyre1"})
    assert not pred({"event": "join", "peer": "pyre1"})  # the same peer again
    assert not pred({"event": "message", "peer": "pyre3", "text": "x"})
    assert pred({"event": "join", "peer": "pyre3"})


def test_zp2p_sees_a_room_from_its_member_list() -> None:
    pred = peers._zp2p_sees_room(3)
    assert not pred({"event": "presence", "users": [{}, {}]})
    assert not pred({"event": "message", "users": [{}, {}, {}]})
    assert pred({"event": "joined", "users": [{}, {}, {}]})


def test_pyre_notices_only_the_dead_peers_exit() -> None:
    dead = type("FakeChild", (), {"nick": "pyre1"})()
    noticed = peers.kinds()["pyre"].noticed_death(dead)  # type: ignore[arg-type]
    assert noticed({"event": "exit", "peer": "pyre1"})
    assert not noticed({"event": "exit", "peer": "pyre2"})


def result_with(sides: dict[str, Any], expired: float | None = None) -> dict[str, Any]:
    mc = {"cores": 2, "cpu": "", "python": "3.11", "pyzmq": "27", "libzmq": "4.3", "platform": "linux",
          "loadavg_start": [0.0, 0.0, 0.0]}
    return {"mode": "smoke", "machine": mc, "msg_bytes": 100, "fanout": [], "errors": [], "peers_only": True,
            "peers": sides, "pyre_expired_s": expired}


def test_table_has_pyre_zp2p_and_ratio_columns_and_a_row_per_figure() -> None:
    zp2p, pyre = side(join_ms_p50=300.0), side(join_ms_p50=100.0)
    text = report.markdown(result_with({"zp2p_netns": zp2p, "pyre": pyre, "ratio": peers.ratios(zp2p, pyre)}))
    assert "| Measure | Pyre 0.1 | zp2p 0.1 | zp2p ÷ Pyre |" in text
    assert "| join p50 (process start → sees the other) | 100 ms | 300 ms | 3 |" in text
    assert "10 nodes" in text and "20,000" in text
    assert "| zp2p | Target |" not in text  # --peers-only: no loopback table full of errors
    rows = [line for line in text.splitlines() if line.startswith("| ") and "Measure" not in line]
    assert len(rows) == len(peers.FIGURES)


def test_a_failed_side_shows_error_and_no_ratio() -> None:
    text = report.markdown(result_with({"zp2p_netns": side()}, expired=3.0))
    assert "| message latency p50, 2 nodes | error | 1 ms | — |" in text
    assert "silence limit cut to 3 s" in text


def test_progress_ticks_of_the_side_by_side_alone() -> None:
    per_side = SMOKE.peer_join_runs + 4 + SMOKE.peer_death_runs
    assert suite.steps(SMOKE, ("pyre",), peers_only=True) == 2 * per_side
    assert suite.steps(SMOKE, ("pyre",)) == suite.steps(SMOKE) + 2 * per_side


def test_peers_only_without_peers_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        bench.main(["--peers-only", "--smoke"])
    assert exit_.value.code == 2
    assert "--peers-only needs --peers" in capsys.readouterr().err


def test_expire_after_shortens_pyres_silence_limits_but_not_its_queue(monkeypatch: pytest.MonkeyPatch) -> None:
    pyre_peer_mod = pytest.importorskip("pyre.pyre_peer")
    from zp2p_gui.bench import pyre_peer

    monkeypatch.setattr(pyre_peer_mod.PyrePeer, "refresh", pyre_peer_mod.PyrePeer.refresh)
    pyre_peer.expire_after(3.0)
    peer = SimpleNamespace()  # refresh only sets the two deadlines; a real PyrePeer needs a socket
    before = time.time()
    pyre_peer_mod.PyrePeer.refresh(peer)
    assert before + 3.0 <= peer.expired_at <= time.time() + 3.0
    assert peer.evasive_at <= peer.expired_at
    assert pyre_peer_mod.PyrePeer.PEER_EXPIRED == 30  # the send queue (SNDHWM) is sized from it
