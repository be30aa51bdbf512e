"""The open-file soft limit goes up to the hard one at start-up, and a refusal is not fatal."""

from __future__ import annotations

import resource

import pytest

from zp2p_gui import fdlimit


@pytest.fixture
def limits(monkeypatch: pytest.MonkeyPatch) -> dict:
    state = {"now": (1024, 20000), "refuse": False}

    def setrlimit(which: int, value: tuple[int, int]) -> None:
        if state["refuse"]:
            raise ValueError("not allowed")
        state["now"] = value

    monkeypatch.setattr(resource, "getrlimit", lambda which: state["now"])
    monkeypatch.setattr(resource, "setrlimit", setrlimit)
    return state


def test_soft_goes_up_to_hard(limits: dict) -> None:
    assert fdlimit.raise_fd_limit() == 20000
    assert limits["now"] == (20000, 20000)


def test_an_unlimited_hard_limit_gets_a_finite_soft_one(limits: dict) -> None:
    limits["now"] = (256, resource.RLIM_INFINITY)
    assert fdlimit.raise_fd_limit() == fdlimit.UNLIMITED_TARGET


def test_a_refusal_keeps_the_old_limit(limits: dict) -> None:
    limits["refuse"] = True
    assert fdlimit.raise_fd_limit() == 1024
