"""The collector pause around start-up imports must never leave a process without collection."""

from __future__ import annotations

import gc
from typing import Iterator

import pytest

from zp2p_gui.collector import collector_paused


@pytest.fixture
def collector_state() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    gc.unfreeze()  # the test process's own objects go back to the collector
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_paused_inside_and_running_after(collector_state: None) -> None:
    gc.enable()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_restores_it(collector_state: None) -> None:
    gc.enable()
    with pytest.raises(ImportError), collector_paused():
        raise ImportError("a module that is not there")
    assert gc.isenabled()


def test_a_caller_that_turned_it_off_keeps_it_off(collector_state: None) -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_importing_the_entry_point_leaves_it_running(collector_state: None) -> None:
    """`zp2p_gui.__main__` loads its modules with the collector paused, at import time."""
    import zp2p_gui.__main__  # noqa: F401

    assert gc.isenabled()


def test_what_was_loaded_is_frozen_and_later_objects_are_collected(collector_state: None) -> None:
    gc.enable()
    with collector_paused():
        loaded = [object()]
    assert gc.get_freeze_count() > 0
    later: list[object] = []
    later.append(later)  # a cycle made afterwards: garbage the collector must still find
    del later
    assert gc.collect() >= 1
    assert loaded
