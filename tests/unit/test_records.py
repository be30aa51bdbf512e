"""core/records.py stands in for `dataclasses` on the start path, so every class it builds must
behave as the dataclass it replaced: each converted class is checked against a dataclass twin made
from the same fields (signature, defaults, repr, equality, hashing, immutability, replace, pickle),
and the builder's own rules (what it refuses) are checked on small classes."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pickle
import sys
import threading
import time
from typing import Any, ClassVar

import pytest

from zp2p_gui.core import records
from zp2p_gui.core.records import FrozenInstanceError, asdict, field, fields, make_record, record, replace

CONVERTED = ("zp2p_gui.core.codec", "zp2p_gui.core.config", "zp2p_gui.core.crypto", "zp2p_gui.core.events",
             "zp2p_gui.core.ordering", "zp2p_gui.core.outbox", "zp2p_gui.core.room", "zp2p_gui.core.settings",
             "zp2p_gui.dm_store", "zp2p_gui.engine.direct", "zp2p_gui.engine.files", "zp2p_gui.identity", "zp2p_gui.net.interfaces",
             "zp2p_gui.net.messages", "zp2p_gui.net.roles")


def converted_classes() -> list[type]:
    found = []
    for name in CONVERTED:
        module = importlib.import_module(name)
        found += [c for c in vars(module).values()
                  if isinstance(c, type) and c.__module__ == name and records.FIELDS in c.__dict__]
    return found


def twin(cls: type) -> type:
    """The dataclass `@dataclass` would have made of cls's fields."""
    spec = [(f.name, Any, dataclasses.field(
        **({"default": f.default} if f.default is not records.MISSING else {}),
        **({"default_factory": f.default_factory} if f.default_factory is not records.MISSING else {}),
        repr=f.repr, compare=f.compare, kw_only=f.kw_only)) for f in fields(cls)]
    made = dataclasses.make_dataclass(cls.__name__, spec, frozen=cls.__dict__[records.FROZEN])
    made.__qualname__ = cls.__qualname__
    return made


def sample(cls: type, tag: str) -> dict[str, Any]:
    """A distinct (hashable) value for every field: records do not check types."""
    return {f.name: f"{tag}-{f.name}" for f in fields(cls)}


CLASSES = converted_classes()


def test_every_start_path_module_was_found() -> None:
    assert len(CLASSES) >= 90
    assert {c.__module__ for c in CLASSES} == set(CONVERTED)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: f"{c.__module__.rsplit('.', 1)[1]}.{c.__qualname__}")
def test_a_record_behaves_as_its_dataclass(cls: type) -> None:
    dc = twin(cls)
    assert [(p.name, p.kind) for p in inspect.signature(cls).parameters.values()] == \
        [(p.name, p.kind) for p in inspect.signature(dc).parameters.values()]
    assert cls.__match_args__ == dc.__match_args__  # type: ignore[attr-defined]
    values = sample(cls, "a")
    made, other = cls(**values), dc(**values)
    assert repr(made) == repr(other)
    assert made == cls(**values) and not made != cls(**values)
    assert made != other  # another class never compares equal
    compared = [f.name for f in fields(cls) if f.compare]
    for name in compared:
        assert made != cls(**{**values, name: "changed"})
    frozen = cls.__dict__[records.FROZEN]
    if frozen:
        assert hash(made) == hash(cls(**values)) == hash(other)
    else:
        assert cls.__hash__ is None
    for f in fields(cls):
        if frozen:
            with pytest.raises(FrozenInstanceError):
                setattr(made, f.name, "x")
            with pytest.raises(FrozenInstanceError):
                delattr(made, f.name)
        assert replace(made, **{f.name: "new"}) == cls(**{**values, f.name: "new"})
    assert pickle.loads(pickle.dumps(made)) == made  # commands cross to role threads pickled


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: f"{c.__module__.rsplit('.', 1)[1]}.{c.__qualname__}")
def test_a_record_takes_the_same_defaults(cls: type) -> None:
    required = {f.name: f"r-{f.name}" for f in fields(cls) if f.required}
    made, other = cls(**required), twin(cls)(**required)
    for f in fields(cls):
        mine, theirs = getattr(made, f.name), getattr(other, f.name)
        if f.default_factory is records.MISSING:
            assert mine == theirs
        else:
            assert type(mine) is type(theirs)
            if f.default_factory is not time.time:
                assert mine == theirs and mine is not getattr(cls(**required), f.name)


def test_class_attributes_keep_their_defaults() -> None:
    from zp2p_gui.core.config import Config, Limits, Timings

    assert Timings.discovery_window == 1.0 and Limits.rate_per_s == 0.0
    assert not hasattr(Config, "timings")  # a factory field leaves no class attribute, as in a dataclass


def test_a_frozen_record_hashes_and_shows_as_a_dataclass() -> None:
    @record(frozen=True)
    class Point:
        kind: ClassVar[str] = "point"
        x: int
        y: int = 0
        secret: bytes = field(default=b"", repr=False)
        note: str = field(default="", compare=False)

    p = Point(1, 2, b"k", note="a")
    assert repr(p) == "test_a_frozen_record_hashes_and_shows_as_a_dataclass.<locals>.Point(x=1, y=2, note='a')"
    assert p == Point(1, 2, b"k", note="b") and hash(p) == hash((1, 2, b"k"))
    assert [f.name for f in fields(p)] == ["x", "y", "secret", "note"] and Point.kind == "point"
    assert asdict(p) == {"x": 1, "y": 2, "secret": b"k", "note": "a"}
    with pytest.raises(FrozenInstanceError, match="cannot assign to field 'x'"):
        p.x = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point(1, z=2)  # type: ignore[call-arg]


def test_inheritance_puts_keyword_only_fields_last() -> None:
    @record(frozen=True)
    class Base:
        t: float = field(default_factory=lambda: 1.5, kw_only=True)
        a: int = 0

    @record(frozen=True)
    class Child(Base):
        b: str = ""
        a: int = 7  # a redefined field keeps its place, with the new default

    assert str(inspect.signature(Child)) == "(a=7, b='', *, t=<factory>)"
    c = Child(1, "x")
    assert (c.a, c.b, c.t) == (1, "x", 1.5) and [f.name for f in fields(Child)] == ["t", "a", "b"]
    assert Child(1, "x", t=2.0).t == 2.0


def test_a_plain_subclass_of_a_frozen_record_may_add_attributes() -> None:
    @record(frozen=True)
    class Base:
        a: int

    class Plain(Base):
        pass

    p = Plain(1)
    p.extra = 2  # as with a frozen dataclass: only the record's own instances and fields are frozen
    with pytest.raises(FrozenInstanceError):
        p.a = 3  # type: ignore[misc]


def test_a_mutable_record_is_unhashable_and_keeps_its_own_methods() -> None:
    @record
    class Box:
        items: list[int] = field(default_factory=list)
        size: int = 0

        def __repr__(self) -> str:
            return "box"

    a, b = Box(), Box()
    a.items.append(1)
    assert b.items == [] and repr(a) == "box" and Box.__hash__ is None
    a.size = 3
    assert a == Box([1], 3)

    @record
    class Keyed:
        k: int

        def __hash__(self) -> int:
            return 42

    assert hash(Keyed(1)) == 42


def test_make_record_as_make_dataclass() -> None:
    Made = make_record("Made", [("a", int, field(default=1)), ("b", str, "x")], frozen=True,
                       namespace={"double": lambda self: self.a * 2})
    assert Made().double() == 2 and Made(b="y") == Made(1, "y") and replace(Made(), a=3).double() == 6


@pytest.mark.parametrize("body, error", [
    ("a: int = 1\n    b: int", TypeError),  # non-default after default
    ("a: list = []", ValueError),  # a mutable default is shared: use a factory
    ("a = field(default=1)", TypeError),  # a field without an annotation
    ("a: InitVar[int]", TypeError),
    ("a: int\n    def __post_init__(self): pass", TypeError),  # record never calls it
    ("_set: int", TypeError),  # a name the compiled __init__ uses itself
    ("self: int", TypeError),
])
def test_what_a_record_refuses(body: str, error: type[Exception]) -> None:
    source = f"class Bad:\n    {body}\n"
    scope: dict[str, Any] = {"field": field}
    exec(source, scope)
    made = record(frozen=True)(scope["Bad"])  # a record is completed, and checked, at its first use
    with pytest.raises(error):
        fields(made)


def test_field_refuses_a_default_and_a_factory() -> None:
    with pytest.raises(ValueError):
        field(default=1, default_factory=list)


def test_the_helpers_refuse_other_objects() -> None:
    with pytest.raises(TypeError):
        fields(object())
    with pytest.raises(TypeError):
        replace(object())
    with pytest.raises(TypeError):
        asdict(fields)


def test_records_do_not_compile_per_class() -> None:
    """The point of records: classes of one shape share one compiled __init__ body."""

    def make(name: str) -> type:
        return record(frozen=True)(type(name, (), {"__annotations__": {"p": "int", "q": "str"}, "q": ""}))

    one, two = make("One"), make("Two")
    assert one.__init__.__code__.co_code == two.__init__.__code__.co_code
    assert one.__init__.__code__.co_qualname == "One.__init__"
    assert one(1) == one(p=1, q="") and one(1) != two(1)


def test_threads_first_using_one_record_at_once_all_get_it_whole() -> None:
    """A record is completed at its first use, and the engine, the front end and the role threads
    may all make one of a class nobody has made yet at the same moment: each must wait for the one
    completing it, never see it half built (fields, __init__ and eq all in place)."""
    cls = _fresh_shape("Raced", 13, (3, 12))
    start = threading.Barrier(8)
    made: list[Any] = []
    failures: list[BaseException] = []

    def make() -> None:
        start.wait(timeout=10)
        try:
            made.append(cls(f0=7))
        except BaseException as exc:  # noqa: BLE001 - the assertion below reports it
            failures.append(exc)

    threads = [threading.Thread(target=make) for _ in range(8)]
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # the threads take turns every few bytecodes, inside the completion too
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
    finally:
        sys.setswitchinterval(switch)
    assert not failures and len(made) == 8
    assert all(m == made[0] for m in made)
    assert [f.name for f in fields(cls)] == [f"f{i}" for i in range(13)] and made[0].f3 == 0


def _fresh_shape(name: str, count: int = 11, factories: tuple[int, ...] = (0, 2, 10)) -> type:
    """A record of a shape no other test uses: `count` int fields, those at `factories` with one."""
    body: dict[str, Any] = {"__annotations__": {f"f{i}": "int" for i in range(count)}}
    body.update((f"f{i}", field(default_factory=int) if i in factories else i) for i in range(count))
    return record(type(name, (), body))


def test_init_is_built_when_first_looked_up() -> None:
    """Most record classes a node defines are not made before it joins; their __init__ (and their
    shape's compiled body) wait until they are (core/records.py _Pending)."""
    cls = _fresh_shape("Lazy", 12, (1, 4, 11))
    shape = (tuple(i in (1, 4, 11) for i in range(12)), False)
    assert shape not in records._templates and type(cls.__dict__["__init__"]) is records._Pending
    assert fields(cls) and type(cls.__dict__["__init__"]) is records._Pending  # completed, __init__ not built
    made = cls(f0=5)
    assert shape in records._templates and inspect.isfunction(cls.__dict__["__init__"])
    assert (made.f0, made.f1, made.f11) == (5, 0, 0) and cls.__init__.__qualname__ == "Lazy.__init__"


def test_a_plain_subclass_builds_its_records_init() -> None:
    base = _fresh_shape("LazyBase")
    child = type("Child", (base,), {})
    assert child(f3=9).f3 == 9 and inspect.isfunction(base.__dict__["__init__"]) and "__init__" not in vars(child)


def test_signature_before_any_instance() -> None:
    cls = _fresh_shape("Signed")
    assert str(inspect.signature(cls)).startswith("(f0=<factory>, f1=1, f2=<factory>, f3=3")
