"""The import graph points downwards only: core <- net <- engine <- front ends. Parsed from the
source (ast), so a new import that breaks the layering fails here before anyone depends on it.
docs/architecture.md explains the layers and the one exception below."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "zp2p_gui"

CORE, NET, ENGINE, FRONT = 0, 1, 2, 3
LAYER_OF_TOP = {"__init__": CORE, "core": CORE, "net": NET, "identity": NET, "keycache": NET, "dm_store": NET, "engine": ENGINE,
                "node": ENGINE}
# Everything else (headless, cli, ui, selftest, doctor, history, bench, __main__) is a front end.
NAMES = {CORE: "core", NET: "net", ENGINE: "engine", FRONT: "front end"}
ZMQ_ALLOWED = {
    "core/crypto.py": "CURVE key pairs and Z85 come from libzmq; pure functions, no socket",
    "ui/about_dialog.py": "shows the pyzmq and libzmq version numbers",
}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def dotted(path: Path) -> list[str]:
    return ["zp2p_gui", *path.relative_to(PACKAGE).with_suffix("").parts]


def layer(parts: list[str]) -> int:
    top = parts[1] if len(parts) > 1 else "__init__"
    return LAYER_OF_TOP.get(top, FRONT)


def imports(path: Path) -> list[tuple[str, int]]:
    """(absolute module name, line) for every import in the file, relative ones resolved."""
    here = dotted(path)
    package = here if path.name == "__init__.py" else here[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found += [(submodule(module, alias.name), node.lineno) for alias in node.names]
    return found


def submodule(module: str, name: str) -> str:
    """`from pkg import name`: the module pkg.name when it is one, else pkg (name is an attribute)."""
    parts = module.split(".")
    if parts[0] != "zp2p_gui":
        return module
    base = PACKAGE.joinpath(*parts[1:], name)
    return f"{module}.{name}" if base.is_dir() or base.with_suffix(".py").is_file() else module


def where(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


@pytest.mark.parametrize("path", modules(), ids=where)
def test_imports_point_downwards(path: Path) -> None:
    mine = layer(dotted(path))
    upward = [f"{name} (line {line}, a {NAMES[layer(name.split('.'))]} module)" for name, line in imports(path)
              if name.split(".")[0] == "zp2p_gui" and layer(name.split(".")) > mine]
    assert not upward, f"{where(path)} is a {NAMES[mine]} module but imports " + "; ".join(upward)


@pytest.mark.parametrize("path", modules(), ids=where)
def test_zmq_stays_out_of_core_and_ui_and_qt_stays_in_ui(path: Path) -> None:
    names = {name.split(".")[0] for name, _ in imports(path)}
    rel = where(path)
    if rel.startswith(("core/", "ui/")) and rel not in ZMQ_ALLOWED:
        assert "zmq" not in names, f"{rel} imports zmq"
    if not rel.startswith("ui/"):
        assert "PySide6" not in names, f"{rel} imports PySide6"


def test_the_parser_sees_relative_imports() -> None:
    """Guards the test itself: node.py's relative import must resolve to the engine package."""
    assert ("zp2p_gui.engine", 3) in imports(PACKAGE / "node.py")
