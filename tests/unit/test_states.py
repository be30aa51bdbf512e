"""The state machine: the table in docs/architecture.md is the code's table, every state is
reachable from idle and can end in left, and a pair outside the table raises."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from zp2p_gui.engine.states import TRANSITIONS, IllegalTransition, Machine, State, Trigger, table_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"


def test_the_documented_table_is_the_code_table() -> None:
    text = DOC.read_text(encoding="utf-8")
    documented = re.search(r"<!-- transitions:.*?-->\n(.*?)\n<!-- /transitions -->", text, re.S)
    assert documented, "docs/architecture.md lost its transitions block"
    assert documented.group(1).strip() == table_markdown(), "regenerate it with states.table_markdown()"


def test_every_state_is_reachable_and_can_end() -> None:
    reached, frontier = {State.IDLE}, [State.IDLE]
    while frontier:
        state = frontier.pop()
        for (source, _), target in TRANSITIONS.items():
            if source is state and target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(State)
    assert all((s, Trigger.FAIL) in TRANSITIONS for s in State if s is not State.LEFT)


def test_a_pair_outside_the_table_raises_and_keeps_the_state() -> None:
    machine = Machine()
    with pytest.raises(IllegalTransition, match="welcomed is not allowed while idle"):
        machine.fire(Trigger.WELCOMED)
    assert machine.state is State.IDLE


def test_leaving_remembers_what_it_left() -> None:
    machine = Machine()
    for trigger in (Trigger.START, Trigger.PROMOTE, Trigger.WELCOMED, Trigger.QUIT):
        machine.fire(trigger)
    assert machine.state is State.LEAVING and machine.hosting and machine.connected
    machine.fire(Trigger.FLUSHED)
    assert machine.hosting and machine.state is State.FAREWELL


def test_every_arrow_of_the_diagram_is_in_the_table() -> None:
    text = DOC.read_text(encoding="utf-8")
    arrows = re.findall(r"^\s+(\w+) --> (\w+): (\w+)", text, re.M)
    assert len(arrows) > 10
    for source, target, trigger in arrows:
        assert TRANSITIONS.get((State(source), Trigger(trigger))) is State(target), (source, trigger, target)
