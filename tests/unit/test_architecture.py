"""core/ stays pure: it imports nothing from Django, io, cli or the web apps."""

from __future__ import annotations

import ast
from pathlib import Path

import socready.core

FORBIDDEN = ("django", "socready.io", "socready.cli", "socready.web", "socready.accounts", "socready.audit",
             "socready.programs", "socready.evidence", "socready.questionnaires", "socready.reports")


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_core_modules_import_nothing_from_outer_layers() -> None:
    core_dir = Path(socready.core.__file__).parent
    modules = sorted(core_dir.rglob("*.py"))
    assert modules, "no core modules found"
    offenders = [
        f"{path.relative_to(core_dir)} imports {name}"
        for path in modules
        for name in _imports(path)
        if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN)
    ]
    assert offenders == []


def test_the_checker_itself_catches_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("from django.db import models\nimport socready.io.xlsx\n", encoding="utf-8")
    assert _imports(module) == ["django.db", "socready.io.xlsx"]
