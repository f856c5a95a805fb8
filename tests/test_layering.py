"""Dependencies point one way: dashboard -> cso_network; analysis never touches files."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "cso_network"
UI = {"dash", "dashboard", "flask", "plotly"}
FILES = {"cso_network.io", "cso_network.store", "cso_network.uploads", "openpyxl", "sqlalchemy"}


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth (lazy imports included)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_library_never_imports_the_dashboard(path):
    ui = {m for m in imported_modules(path) if m.split(".")[0] in UI}
    assert ui == set(), f"{path.name} imports {sorted(ui)}"


@pytest.mark.parametrize("path", sorted((PACKAGE / "analysis").glob("*.py")), ids=lambda p: p.name)
def test_analysis_never_touches_files(path):
    bad = {m for m in imported_modules(path) if any(m == f or m.startswith(f + ".") for f in FILES)}
    assert bad == set(), f"{path.name} imports {sorted(bad)}"
    calls = [n for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "open"]
    assert calls == []


def test_the_cli_runs_without_loading_dash():
    code = ("import sys, cso_network.cli as c; c.app; "
            "print(any(m == 'dash' or m.startswith('dash.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
