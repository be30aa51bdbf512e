"""The `__init__` of each record shape (core/records.py: which fields have a factory, and whether
the record is frozen): its source, one line, and the shapes this package's records use written out
below from it, so a start takes their code from bytecode instead of compiling ~8 of them (~2 ms
before `searching`). tests/unit/test_record_shapes.py checks that the written ones are what `line`
gives and cover every record class of the package; `python -m tests.unit.test_record_shapes`
writes them again."""

from __future__ import annotations

import types
from typing import Any, Callable

Shape = tuple[tuple[bool, ...], bool]
MARK = "# ---- written by tests/unit/test_record_shapes.py from `line`: not edited by hand\n"


def line(shape: Shape, name: str = "__init__") -> str:
    """def __init__(self, _0, _1, ...): one positional parameter per field; core/records.py
    `_init_fn` makes the keyword-only ones so, since which are keyword-only does not change the
    body. Its free variables: `_set` (object.__setattr__), `_FACTORY` and `_f0`, `_f1`, ... (the
    factories)."""
    factories, frozen = shape
    sets = []
    for i, made in enumerate(factories):
        value = f"_f{i}() if _{i} is _FACTORY else _{i}" if made else f"_{i}"
        sets.append(f"_set(self, '_{i}', {value})" if frozen else f"self._{i} = {value}")
    params = ", ".join(["self", *(f"_{i}" for i in range(len(factories)))])
    return f"def {name}({params}): {'; '.join(sets) or 'pass'}"


def template(shape: Shape) -> types.CodeType:
    """The shape's __init__ code: written below, or compiled now (a shape no record here uses)."""
    name = WRITTEN.get(shape)
    if name is not None:
        return next(c for c in _written.__code__.co_consts if isinstance(c, types.CodeType) and c.co_name == name)
    cells = ", ".join(["_set", "_FACTORY", *(f"_f{i}" for i, made in enumerate(shape[0]) if made)])
    scope: dict[str, Any] = {}
    exec(f"def _make({cells}):\n    {line(shape)}\n    return __init__\n", {}, scope)
    return next(c for c in scope["_make"].__code__.co_consts if isinstance(c, types.CodeType))


# ---- written by tests/unit/test_record_shapes.py from `line`: not edited by hand
def _written(_set, _FACTORY, _f0, _f1, _f2, _f3, _f4, _f5, _f6, _f7, _f8, _f9, _f10, _f11, _f12, _f13) -> None:
    def _shape_0(self): pass
    def _shape_1(self, _0): _set(self, '_0', _0)
    def _shape_2(self, _0): _set(self, '_0', _f0() if _0 is _FACTORY else _0)
    def _shape_3(self, _0, _1): _set(self, '_0', _0); _set(self, '_1', _1)
    def _shape_4(self, _0, _1): _set(self, '_0', _0); _set(self, '_1', _f1() if _1 is _FACTORY else _1)
    def _shape_5(self, _0, _1, _2): self._0 = _0; self._1 = _1; self._2 = _2
    def _shape_6(self, _0, _1, _2): _set(self, '_0', _0); _set(self, '_1', _1); _set(self, '_2', _2)
    def _shape_7(self, _0, _1, _2): _set(self, '_0', _0); _set(self, '_1', _1); _set(self, '_2', _f2() if _2 is _FACTORY else _2)
    def _shape_8(self, _0, _1, _2, _3): self._0 = _0; self._1 = _1; self._2 = _2; self._3 = _3
    def _shape_9(self, _0, _1, _2, _3): _set(self, '_0', _0); _set(self, '_1', _1); _set(self, '_2', _2); _set(self, '_3', _3)
    def _shape_10(self, _0, _1, _2, _3): _set(self, '_0', _0); _set(self, '_1', _1); _set(self, '_2', _2); _set(self, '_3', _f3() if _3 is _FACTORY else _3)
    def _shape_11(self, _0, _1, _2, _3, _4): _set(self, '_0', _0); _set(self, '_1', _1); _set(self, '_2', _2); _set(self, '_3', _3); _set(self, '_4', _f4() if _4 is _FACTORY else _4)
    def _shape_12(self, _0, _1, _2, _3, _4, _5): _set(self, '_0', _0); _set(self, '_1', _1); _set(self, '_2', _2); _set(self, '_3', _3); _set(self, '_4', _4); _set(self, '_5', _5)
    def _shape_13(self, _0, _1, _2, _3, _4, _5): _set(self, '_0', _0); _set(self, '_1', _1); _set(self, '_2', _2); _set(self, '_3', _3); _set(self, '_4', _4); _set(self, '_5', _f5() if _5 is _FACTORY else _5)
    def _shape_14(self, _0, _1, _2, _3, _4, _5): self._0 = _0; self._1 = _f1() if _1 is _FACTORY else _1; self._2 = _2; self._3 = _3; self._4 = _4; self._5 = _5
    def _shape_15(self, _0, _1, _2, _3, _4, _5, _6): _set(self, '_0', _0); _set(self, '_1', _1); _set(self, '_2', _2); _set(self, '_3', _3); _set(self, '_4', _4); _set(self, '_5', _5); _set(self, '_6', _f6() if _6 is _FACTORY else _6)
    def _shape_16(self, _0, _1, _2, _3, _4, _5, _6, _7): _set(self, '_0', _0); _set(self, '_1', _1); _set(self, '_2', _2); _set(self, '_3', _3); _set(self, '_4', _4); _set(self, '_5', _5); _set(self, '_6', _6); _set(self, '_7', _f7() if _7 is _FACTORY else _7)
    def _shape_17(self, _0, _1, _2, _3, _4, _5, _6, _7, _8): _set(self, '_0', _0); _set(self, '_1', _1); _set(self, '_2', _2); _set(self, '_3', _3); _set(self, '_4', _4); _set(self, '_5', _5); _set(self, '_6', _6); _set(self, '_7', _7); _set(self, '_8', _f8() if _8 is _FACTORY else _8)
    def _shape_18(self, _0, _1, _2, _3, _4, _5, _6, _7, _8, _9): _set(self, '_0', _0); _set(self, '_1', _1); _set(self, '_2', _2); _set(self, '_3', _3); _set(self, '_4', _4); _set(self, '_5', _5); _set(self, '_6', _6); _set(self, '_7', _7); _set(self, '_8', _8); _set(self, '_9', _9)
    def _shape_19(self, _0, _1, _2, _3, _4, _5, _6, _7, _8, _9): _set(self, '_0', _0); _set(self, '_1', _1); _set(self, '_2', _2); _set(self, '_3', _3); _set(self, '_4', _4); _set(self, '_5', _5); _set(self, '_6', _6); _set(self, '_7', _7); _set(self, '_8', _8); _set(self, '_9', _f9() if _9 is _FACTORY else _9)
    def _shape_20(self, _0, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11): _set(self, '_0', _0); _set(self, '_1', _1); _set(self, '_2', _2); _set(self, '_3', _3); _set(self, '_4', _4); _set(self, '_5', _5); _set(self, '_6', _6); _set(self, '_7', _7); _set(self, '_8', _8); _set(self, '_9', _9); _set(self, '_10', _10); _set(self, '_11', _11)
    def _shape_21(self, _0, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12): _set(self, '_0', _0); _set(self, '_1', _1); _set(self, '_2', _2); _set(self, '_3', _3); _set(self, '_4', _4); _set(self, '_5', _5); _set(self, '_6', _6); _set(self, '_7', _7); _set(self, '_8', _8); _set(self, '_9', _9); _set(self, '_10', _10); _set(self, '_11', _11); _set(self, '_12', _12)
    def _shape_22(self, _0, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13): _set(self, '_0', _0); _set(self, '_1', _1); _set(self, '_2', _2); _set(self, '_3', _3); _set(self, '_4', _4); _set(self, '_5', _5); _set(self, '_6', _6); _set(self, '_7', _7); _set(self, '_8', _8); _set(self, '_9', _9); _set(self, '_10', _10); _set(self, '_11', _11); _set(self, '_12', _f12() if _12 is _FACTORY else _12); _set(self, '_13', _f13() if _13 is _FACTORY else _13)


WRITTEN: dict[Shape, str] = {
    ((), True): '_shape_0',
    ((False,), True): '_shape_1',
    ((True,), True): '_shape_2',
    ((False, False), True): '_shape_3',
    ((False, True), True): '_shape_4',
    ((False, False, False), False): '_shape_5',
    ((False, False, False), True): '_shape_6',
    ((False, False, True), True): '_shape_7',
    ((False, False, False, False), False): '_shape_8',
    ((False, False, False, False), True): '_shape_9',
    ((False, False, False, True), True): '_shape_10',
    ((False, False, False, False, True), True): '_shape_11',
    ((False, False, False, False, False, False), True): '_shape_12',
    ((False, False, False, False, False, True), True): '_shape_13',
    ((False, True, False, False, False, False), False): '_shape_14',
    ((False, False, False, False, False, False, True), True): '_shape_15',
    ((False, False, False, False, False, False, False, True), True): '_shape_16',
    ((False, False, False, False, False, False, False, False, True), True): '_shape_17',
    ((False, False, False, False, False, False, False, False, False, False), True): '_shape_18',
    ((False, False, False, False, False, False, False, False, False, True), True): '_shape_19',
    ((False, False, False, False, False, False, False, False, False, False, False, False), True): '_shape_20',
    ((False, False, False, False, False, False, False, False, False, False, False, False, False), True): '_shape_21',
    ((False, False, False, False, False, False, False, False, False, False, False, False, True, True), True): '_shape_22',
}
