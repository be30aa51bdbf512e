"""Small enough to read: no module over 400 lines and no class over 250, so a newcomer can hold
one piece in their head. A file that must grow splits, as node.py did into engine/."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "zp2p_gui"
MAX_MODULE_LINES = 400
MAX_CLASS_LINES = 250
# The window's two largest pieces grew with its recent rework; splitting them belongs to the
# window's own next change, not to this test. Nothing else may join this list without a reason.
LONG_MODULES_ALLOWED = {"ui/main_window.py"}
LONG_CLASSES_ALLOWED = {"ui/main_window.py:MainWindow", "ui/settings_dialog.py:SettingsDialog"}


def test_no_module_is_longer_than_400_lines() -> None:
    long = {name: n for p in PACKAGE.rglob("*.py") if (name := p.relative_to(PACKAGE).as_posix()) not in
            LONG_MODULES_ALLOWED and (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, long


def test_no_class_is_longer_than_250_lines() -> None:
    long = {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = f"{path.relative_to(PACKAGE).as_posix()}:{getattr(node, 'name', '')}"
            if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 > MAX_CLASS_LINES \
                    and name not in LONG_CLASSES_ALLOWED:
                long[name] = node.end_lineno - node.lineno + 1
    assert not long, long
