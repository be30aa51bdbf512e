"""core/record_shapes.py holds the `__init__` of every record shape this package uses written out
as source, so a start does not compile them: the written ones must be exactly what
`record_shapes.source` gives, and there must be one for every record class's shape.
`python -m tests.unit.test_record_shapes` writes them again after a record changes shape."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from zp2p_gui.core import record_shapes, records
from zp2p_gui.core.record_shapes import MARK, Shape

from .test_records import CLASSES

PATH = Path(record_shapes.__file__)


def shape_of(cls: type) -> Shape:
    fields = records.fields(cls)
    ordered = [f for f in fields if not f.kw_only] + [f for f in fields if f.kw_only]
    return tuple(f.default_factory is not records.MISSING for f in ordered), cls.__dict__[records.FROZEN]


def used() -> list[Shape]:
    return sorted({shape_of(cls) for cls in CLASSES}, key=lambda s: (len(s[0]), s))


def written() -> str:
    """What follows MARK in core/record_shapes.py for the shapes the package's records use: one
    function whose locals are every free variable a shape's __init__ uses, the __init__s inside it,
    one line each (never called: record_shapes.template takes their code), and the table."""
    shapes = used()
    factories = max(len(factories) for factories, _ in shapes)
    cells = ", ".join(["_set", "_FACTORY", *(f"_f{i}" for i in range(factories))])
    lines = "".join(f"    {record_shapes.line(shape, f'_shape_{i}')}\n" for i, shape in enumerate(shapes))
    table = "".join(f"    {shape!r}: '_shape_{i}',\n" for i, shape in enumerate(shapes))
    return (f"def _written({cells}) -> None:\n{lines}\n\n"
            f"WRITTEN: dict[Shape, str] = {{\n{table}}}\n")


def test_the_written_shapes_are_the_ones_the_records_use() -> None:
    head, mark, tail = PATH.read_text(encoding="utf-8").partition(MARK)
    assert mark, "core/record_shapes.py lost its mark"
    assert tail == written(), "a record changed shape: python -m tests.unit.test_record_shapes"


@pytest.mark.parametrize("shape", used(), ids=str)
def test_a_written_shape_is_the_compiled_one(shape: Shape) -> None:
    cells = ", ".join(["_set", "_FACTORY", *(f"_f{i}" for i, made in enumerate(shape[0]) if made)])
    scope: dict[str, object] = {}
    exec(f"def _make({cells}):\n    {record_shapes.line(shape)}\n    return __init__\n", {}, scope)
    compiled = next(c for c in scope["_make"].__code__.co_consts if isinstance(c, types.CodeType))  # type: ignore[attr-defined]
    taken = record_shapes.template(shape)
    assert taken.co_name != "__init__", "not the written one"
    for part in ("co_code", "co_varnames", "co_names", "co_consts", "co_freevars", "co_argcount"):
        assert getattr(taken, part) == getattr(compiled, part), part


def test_a_shape_no_record_uses_is_compiled() -> None:
    shape = ((True,) * 17, False)
    assert shape not in record_shapes.WRITTEN
    assert record_shapes.template(shape).co_argcount == 18


if __name__ == "__main__":
    text = PATH.read_text(encoding="utf-8")
    PATH.write_text(text.partition(MARK)[0] + MARK + written(), encoding="utf-8")
