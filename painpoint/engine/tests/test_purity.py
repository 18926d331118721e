"""The engine stays pure: no Django and no I/O in it, so every door gets the same answer."""

from __future__ import annotations

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[1]
FORBIDDEN = (
    "django",
    "painpoint.knowledge",
    "painpoint.api",
    "painpoint.assessment",
    "painpoint.clinics",
    "os",
    "io",
    "socket",
    "sqlite3",
    "pathlib",
    "subprocess",
    "random",
    "time",
    "datetime",
    "yaml",
)


def test_no_engine_module_imports_django_or_does_io():
    offenders = []
    for path in sorted(ENGINE.glob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.name}: {name}"
                for name in names
                if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
            ]
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("open", "print", "input"):
                offenders.append(f"{path.name}: calls {node.func.id}()")
    assert offenders == []
