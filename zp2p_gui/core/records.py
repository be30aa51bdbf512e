"""Record classes (`@record`, a light `@dataclass`) for the messages, events and settings a node
creates at start-up.

`dataclasses.dataclass` compiles six methods per class from source text with `exec`, about half a
millisecond a class on this machine; the ~90 classes a headless node defines before it searches
made that a third of its start-up, and `dataclasses` also imports `inspect`. `record` gives the
semantics this code relies on without compiling per class: `__init__` with defaults,
`default_factory` and keyword-only fields (base fields first, keyword-only ones last, as in a
dataclass); `__eq__` and `__hash__` over the compared fields; `__repr__` over the shown ones;
`__match_args__`; for `frozen=True`, assignment and deletion raise `FrozenInstanceError`.
`fields`, `replace` and `asdict` stand in for the `dataclasses` functions (which do not accept a
record). Not supported, and refused when the class is first used (see `_Pending`): `__post_init__`,
`InitVar`, `init=False`.

`__init__` must be real code, since callers pass fields by keyword: its body depends only on the
shape (how many fields, which have a factory), is compiled once per shape (or comes written out:
core/record_shapes.py), and each class gets a copy with its own field names, so calling it costs
what a dataclass's `__init__` costs. A class is completed, and gets its `__init__`, at its first
use (`_Pending`): most classes a node defines at start-up are not made before it joins. eq, hash
and repr are closures over `operator.attrgetter`."""

from __future__ import annotations

import operator
import reprlib
import sys
import threading
import types
from typing import Any, Callable, ClassVar, Iterator, TypeVar, dataclass_transform

from . import record_shapes

T = TypeVar("T", bound=type)

FIELDS = "__record_fields__"
FROZEN = "__record_frozen__"


class _Sentinel:
    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


MISSING: Any = _Sentinel("MISSING")  # no default
FACTORY: Any = _Sentinel("<factory>")  # the default of a field with a factory, as __init__'s signature shows it


class FrozenInstanceError(AttributeError):
    """An assignment to (or deletion of) a field of a frozen record."""


class Field:
    """One field of a record; `name` and `type` (the annotation, as text) are set by `record`."""

    __slots__ = ("name", "type", "default", "default_factory", "repr", "compare", "kw_only")

    def __init__(self, default: Any = MISSING, default_factory: Any = MISSING, repr: bool = True,
                 compare: bool = True, kw_only: bool = False) -> None:
        if default is not MISSING and default_factory is not MISSING:
            raise ValueError("cannot specify both default and default_factory")
        self.name = ""
        self.type: Any = None
        self.default = default
        self.default_factory = default_factory
        self.repr = repr
        self.compare = compare
        self.kw_only = kw_only

    def __repr__(self) -> str:
        return (f"Field(name={self.name!r}, type={self.type!r}, default={self.default!r}, "
                f"default_factory={self.default_factory!r}, repr={self.repr}, compare={self.compare}, "
                f"kw_only={self.kw_only})")

    @property
    def required(self) -> bool:
        return self.default is MISSING and self.default_factory is MISSING


def field(*, default: Any = MISSING, default_factory: Callable[[], Any] | Any = MISSING, repr: bool = True,
          compare: bool = True, kw_only: bool = False) -> Any:
    """As `dataclasses.field`, with the options this code uses."""
    return Field(default, default_factory, repr, compare, kw_only)


@dataclass_transform(field_specifiers=(field, Field))
def record(cls: T | None = None, /, *, frozen: bool = False) -> Any:
    """Make `cls` a record, like `@dataclass` / `@dataclass(frozen=True)`."""

    def wrap(cls: T) -> T:
        return _build(cls, frozen)

    return wrap if cls is None else wrap(cls)


def make_record(name: str, spec: list[tuple[str, Any, Any]], *, frozen: bool = False,
                namespace: dict[str, Any] | None = None) -> type:
    """As `dataclasses.make_dataclass` for (name, type, default or `field(...)`) triples."""
    body: dict[str, Any] = dict(namespace or {})
    body["__annotations__"] = {field_name: kind for field_name, kind, _ in spec}
    body.update((field_name, default) for field_name, _, default in spec if default is not MISSING)
    body.setdefault("__qualname__", name)
    return record(type(name, (), body), frozen=frozen)


def is_record(obj: Any) -> bool:
    return hasattr(obj if isinstance(obj, type) else type(obj), FIELDS)


def fields(obj: Any) -> tuple[Field, ...]:
    """The fields of a record class or instance, in declaration order (base classes' first)."""
    try:
        return getattr(obj, FIELDS)  # type: ignore[no-any-return]
    except AttributeError:
        raise TypeError(f"{obj!r} is not a record") from None


def replace(obj: Any, /, **changes: Any) -> Any:
    """A copy of a record with some fields changed (it goes through `__init__`, so factories and
    checks run as on construction)."""
    for f in fields(obj):
        if f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    return obj.__class__(**changes)


def asdict(obj: Any) -> dict[str, Any]:
    """As `dataclasses.asdict`: records, lists, tuples and dicts inside are converted too; other
    values are deep-copied."""
    if not is_record(obj) or isinstance(obj, type):
        raise TypeError(f"asdict() wants a record instance, not {obj!r}")
    return _asdict(obj)  # type: ignore[no-any-return]


def _asdict(value: Any) -> Any:
    if is_record(value) and not isinstance(value, type):
        return {f.name: _asdict(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a namedtuple takes its fields one by one
        return type(value)(*[_asdict(v) for v in value])
    if isinstance(value, (list, tuple)):
        return type(value)(_asdict(v) for v in value)
    if isinstance(value, dict):
        return type(value)((_asdict(k), _asdict(v)) for k, v in value.items())
    import copy

    return copy.deepcopy(value)


# ---------------------------------------------------------------------------------- building
def _build(cls: T, frozen: bool) -> T:
    """Mark `cls` a record, complete at its first use (`_Pending`) or now if it has its own `__init__`."""
    setattr(cls, FROZEN, frozen)
    if "__init__" in cls.__dict__:
        _complete(cls, frozen)
    else:
        setattr(cls, FIELDS, _Pending(cls, FIELDS))
        setattr(cls, "__init__", _Pending(cls, "__init__"))
    return cls


class _Pending:
    """A record class's fields until its first construction, `fields` or a subclass's completion
    (`_complete`, ~50 us a class: a node defines ~90 before it searches but makes ~20; the checks
    run then, and tests/unit/test_records.py uses every record class), and its `__init__` until
    looked up (a base completed for its subclasses compiles none)."""

    __slots__ = ("cls", "name")
    lock = threading.RLock()  # one thread completes a class (and its bases) while others wait

    def __init__(self, cls: type, name: str) -> None:
        self.cls, self.name = cls, name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        cls = self.cls
        with self.lock:
            if isinstance(cls.__dict__[FIELDS], _Pending):
                _complete(cls, cls.__dict__[FROZEN])
            if self.name == FIELDS:
                return cls.__dict__[FIELDS]
            if cls.__dict__["__init__"] is self:
                setattr(cls, "__init__", _init_fn(cls, cls.__dict__[FIELDS], cls.__dict__[FROZEN]))
        return cls.__dict__["__init__"].__get__(obj, owner)


def _complete(cls: type, frozen: bool) -> None:
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__qualname__}: record does not call __post_init__")
    collected = _collect(cls, frozen)
    positional = [f for f in collected if not f.kw_only]
    keyword = [f for f in collected if f.kw_only]
    _check_init(cls, positional, keyword)
    setattr(cls, FIELDS, tuple(collected))
    _set_new(cls, "__repr__", _repr_fn(cls, [f.name for f in collected if f.repr]))
    _set_new(cls, "__eq__", _eq_fn(cls, _key([f.name for f in collected if f.compare])))
    _set_hash(cls, frozen, _key([f.name for f in collected if f.compare]))
    if frozen:
        _freeze(cls, frozenset(f.name for f in collected))
    _set_new(cls, "__match_args__", tuple(f.name for f in positional))


def _collect(cls: type, frozen: bool) -> list[Field]:
    """Base records' fields, then this class's annotated ones; a redefined field keeps its place."""
    found: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        inherited = base.__dict__.get(FIELDS)
        if isinstance(inherited, _Pending):
            inherited = inherited.__get__(None, base)
        if inherited is None:
            continue
        if base.__dict__[FROZEN] != frozen:
            raise TypeError(f"{cls.__qualname__}: a record cannot be frozen={frozen} over "
                            f"{base.__qualname__} (frozen={not frozen})")
        found.update((f.name, f) for f in inherited)
    annotations = cls.__dict__.get("__annotations__", {})
    for name, value in cls.__dict__.items():
        if isinstance(value, Field) and name not in annotations:
            raise TypeError(f"{cls.__qualname__}.{name} is a field but has no type annotation")
    for name, kind in annotations.items():
        if _is_classvar(kind):
            continue
        if _is_initvar(kind):
            raise TypeError(f"{cls.__qualname__}.{name}: record does not support InitVar")
        found[name] = _field(cls, name, kind)
    return list(found.values())


def _field(cls: type, name: str, kind: Any) -> Field:
    value = cls.__dict__.get(name, MISSING)
    made = value if isinstance(value, Field) else Field(default=value)
    made.name, made.type = name, kind
    if made.default is not MISSING and type(made.default).__hash__ is None:
        raise ValueError(f"{cls.__qualname__}.{name}: mutable default {type(made.default).__name__} is not "
                         "allowed: use default_factory")
    if isinstance(value, Field):
        if made.default is MISSING:
            delattr(cls, name)
        else:
            setattr(cls, name, made.default)  # as a dataclass leaves it: the class attribute is the default
    return made


def _is_classvar(kind: Any) -> bool:
    if isinstance(kind, str):  # the annotations are text (`from __future__ import annotations`)
        return kind.startswith(("ClassVar", "typing.ClassVar"))
    return kind is ClassVar or getattr(kind, "__origin__", None) is ClassVar


def _is_initvar(kind: Any) -> bool:
    return kind.startswith(("InitVar", "dataclasses.InitVar")) if isinstance(kind, str) else \
        type(kind).__name__ == "InitVar"


def _set_new(cls: type, name: str, value: Any) -> None:
    """Like a dataclass, leave a method the class body defines itself."""
    if name not in cls.__dict__:
        if isinstance(value, types.FunctionType):
            value.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, value)


# ------------------------------------------------------------------------------------ __init__
_RESERVED = {"self", "_set", "_FACTORY"}


def _taken(name: str) -> bool:
    """A name the compiled __init__ uses itself: self, its helpers, _0, _1, ... and _f0, _f1, ..."""
    return name in _RESERVED or (name[:1] == "_" and name.removeprefix("_f" if name[1:2] == "f" else "_").isdigit())
_templates: dict[tuple[tuple[bool, ...], bool], types.CodeType] = {}


def _check_init(cls: type, positional: list[Field], keyword: list[Field]) -> None:
    """What a dataclass refuses when it is defined, refused when the record is completed."""
    seen_default = False
    for f in positional:
        if f.required and seen_default:
            raise TypeError(f"{cls.__qualname__}: non-default argument {f.name!r} follows default argument")
        seen_default = seen_default or not f.required
    for f in positional + keyword:
        if _taken(f.name):
            raise TypeError(f"{cls.__qualname__}: record cannot name a field {f.name!r}")


def _init_fn(cls: type, collected: tuple[Field, ...], frozen: bool) -> types.FunctionType:
    """A copy of the shape's compiled __init__ with this class's names, defaults and factories."""
    positional = [f for f in collected if not f.kw_only]
    keyword = [f for f in collected if f.kw_only]
    ordered = positional + keyword
    factories = tuple(f.default_factory is not MISSING for f in ordered)
    template = _templates.get((factories, frozen))
    if template is None:
        template = _templates[factories, frozen] = record_shapes.template((factories, frozen))
    rename = {f"_{i}": f.name for i, f in enumerate(ordered)}
    code = template.replace(
        co_argcount=1 + len(positional),  # the rest keyword-only: the body is the same bytecode
        co_kwonlyargcount=len(keyword),
        co_varnames=tuple(rename.get(n, n) for n in template.co_varnames),
        co_names=tuple(rename.get(n, n) for n in template.co_names),
        co_consts=tuple(rename.get(c, c) if type(c) is str else c for c in template.co_consts),
        co_qualname=f"{cls.__qualname__}.__init__",
    )
    free = {"_set": object.__setattr__, "_FACTORY": FACTORY}
    free.update((f"_f{i}", f.default_factory) for i, f in enumerate(ordered) if factories[i])
    closure = tuple(types.CellType(free[name]) for name in code.co_freevars)
    module = sys.modules.get(cls.__module__)
    init = types.FunctionType(code, module.__dict__ if module else {}, "__init__",
                              _defaults(positional) or None, closure)
    init.__kwdefaults__ = {f.name: _default(f) for f in keyword if not f.required} or None
    return init


def _default(f: Field) -> Any:
    return FACTORY if f.default_factory is not MISSING else f.default


def _defaults(positional: list[Field]) -> tuple[Any, ...]:
    return tuple(_default(f) for f in positional if not f.required)


# ------------------------------------------------------------------------------ eq, hash, repr
def _key(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The tuple of field values a dataclass compares and hashes."""
    if len(names) >= 2:
        return operator.attrgetter(*names)
    if names:
        one = operator.attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


def _eq_fn(cls: type, key: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any, Any], Any]:
    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    return __eq__


def _set_hash(cls: type, frozen: bool, key: Callable[[Any], tuple[Any, ...]]) -> None:
    """As a dataclass with eq: frozen hashes by field values, mutable is unhashable, unless the
    class body defines __hash__ itself."""
    own = cls.__dict__.get("__hash__", MISSING)
    if own is not MISSING and not (own is None and "__eq__" in cls.__dict__):
        return
    if frozen:
        def __hash__(self: Any) -> int:
            return hash(key(self))

        __hash__.__qualname__ = f"{cls.__qualname__}.__hash__"
        cls.__hash__ = __hash__  # type: ignore[method-assign]
    else:
        cls.__hash__ = None  # type: ignore[assignment]


def _repr_fn(cls: type, shown: list[str]) -> Callable[[Any], str]:
    @reprlib.recursive_repr()
    def __repr__(self: Any) -> str:
        return f"{self.__class__.__qualname__}({', '.join(_pairs(self, shown))})"

    return __repr__


def _pairs(obj: Any, names: list[str]) -> Iterator[str]:
    return (f"{name}={getattr(obj, name)!r}" for name in names)


def _freeze(cls: type, names: frozenset[str]) -> None:
    for method in ("__setattr__", "__delattr__"):
        if method in cls.__dict__:
            raise TypeError(f"cannot overwrite attribute {method} in frozen record {cls.__qualname__}")

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    _set_new(cls, "__setattr__", __setattr__)
    _set_new(cls, "__delattr__", __delattr__)
