"""The lock file is code: what is installed is what it names, it satisfies pyproject's ranges, and
every version we chose says why. A venv that drifted (a `pip install -U` by hand) or a pin
bumped without its reason would otherwise pass every other test with untested libraries."""

from __future__ import annotations

import importlib.metadata
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def _lock() -> dict[str, tuple[str, str]]:
    """canonical name -> (version, the line's own comment or the comment block above it)."""
    pins: dict[str, tuple[str, str]] = {}
    above: list[str] = []
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        spec, _, comment = line.partition("#")
        if not spec.strip():
            above.append(comment.strip())
            continue
        name, version = spec.strip().split("==")
        pins[canonicalize_name(name)] = (version, comment.strip() or " ".join(above))
        above = []
    return pins


def _declared() -> list[tuple[str, Requirement]]:
    """(where, requirement) for the runtime dependencies and every optional group."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    found = [("dependencies", Requirement(r)) for r in project["dependencies"]]
    for group, reqs in project["optional-dependencies"].items():
        found += [(group, Requirement(r)) for r in reqs]
    return found


def test_what_is_installed_is_what_the_lock_names() -> None:
    drift = {}
    for name, (version, _) in _lock().items():
        installed = importlib.metadata.version(name)
        if installed != version:
            drift[name] = (version, installed)
    assert not drift, f"installed versions differ from requirements.lock (locked, installed): {drift}"


@pytest.mark.parametrize(("where", "req"), _declared(), ids=lambda v: str(v))
def test_every_declared_dependency_is_locked_within_its_range(where: str, req: Requirement) -> None:
    pins = _lock()
    name = canonicalize_name(req.name)
    assert name in pins, f"{req} ({where}) is not in requirements.lock"
    assert req.specifier.contains(pins[name][0], prereleases=True), \
        f"requirements.lock pins {req.name}=={pins[name][0]}, outside {req} ({where})"


def test_every_direct_dependency_says_why_its_version() -> None:
    pins = _lock()
    silent = sorted({canonicalize_name(req.name) for _, req in _declared()
                     if not pins.get(canonicalize_name(req.name), ("", ""))[1]})
    assert not silent, f"lock lines without a reason (a comment on or above the line): {silent}"


def test_runtime_ranges_say_why_in_pyproject() -> None:
    """Each runtime dependency has a comment block just above it: the library's job, and where
    a version matters, what broke and which test guards it."""
    lines = (ROOT / "pyproject.toml").read_text().splitlines()
    start = lines.index("dependencies = [")
    end = lines.index("]", start)
    silent = []
    for i in range(start + 1, end):
        entry = lines[i].strip()
        if entry.startswith('"') and not lines[i - 1].strip().startswith("#"):
            silent.append(entry)
    assert not silent, f"runtime dependencies without a reason above them: {silent}"


def test_orjson_writes_the_headless_lines_we_rely_on() -> None:
    """headless.JsonPrinter hands orjson an event's dict: text comes out as UTF-8, not escaped,
    each line ends in one newline, tuples and str enums become arrays and strings, and text no
    UTF-8 can carry (a lone surrogate) raises instead of reaching the output."""
    import orjson

    from zp2p_gui.core.events import Cause

    line = orjson.dumps({"text": "é 😀 ✓", "users": ("a",), "cause": Cause.HOST_LEFT, "n": "\n"},
                        option=orjson.OPT_APPEND_NEWLINE)
    assert line == '{"text":"é 😀 ✓","users":["a"],"cause":"host_left","n":"\\n"}\n'.encode()
    with pytest.raises(TypeError):
        orjson.dumps({"text": "\ud800"})


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt: Linux only")
def test_cffi_backend_finds_mallopt_as_the_arena_cap_calls_it() -> None:
    """zp2p_gui/arenas.py calls mallopt through cffi's C module (the calls cffi's own Python layer
    makes), not ctypes: a cffi that changed them would fail here, not leave the arenas uncapped."""
    import _cffi_backend as cffi

    c_int = cffi.new_primitive_type("int")
    mallopt = cffi.load_library(None).load_function(cffi.new_function_type((c_int, c_int), c_int, False), "mallopt")
    assert str(cffi.typeof(mallopt)) == "<ctype 'int(*)(int, int)'>"
