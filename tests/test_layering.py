"""Dependencies point one way: the layer order of docs/architecture.md, checked module by module.

Every module of ``cso_network`` belongs to a layer; it may import modules of
its own layer or of lower ones, never of a higher one, and the imports
between modules have no cycle. Lazy imports inside functions count too. The
library never imports the dashboard, and analysis never touches files.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "cso_network"
UI = {"dash", "dashboard", "flask", "plotly"}
FILES = {"cso_network.ingest", "cso_network.store", "cso_network.views.uploads", "openpyxl",
         "sqlalchemy"}

#: The layers, lowest first (docs/architecture.md). A name is a module or a package prefix.
LAYERS: list[tuple[str, ...]] = [
    ("cso_network.vocab.tables",),
    ("cso_network.core",),
    ("cso_network.vocab",),
    ("cso_network.ingest", "cso_network.store", "cso_network.network"),
    ("cso_network.analysis",),
    ("cso_network.recommend", "cso_network.backtest", "cso_network.unogp", "cso_network.demo"),
    ("cso_network.access",),
    ("cso_network.workspace",),
    ("cso_network.views",),
    ("cso_network.cli", "cso_network.__main__", "cso_network"),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer_of(module: str) -> int:
    """The layer of ``module``: the most specific prefix in :data:`LAYERS` that it starts with."""
    best, length = None, -1
    for index, names in enumerate(LAYERS):
        for name in names:
            if (module == name or module.startswith(name + ".")) and len(name) > length:
                best, length = index, len(name)
    assert best is not None, f"{module} belongs to no layer; add it to LAYERS and the docs"
    return best


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth (lazy imports included)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            # `from cso_network.core import messages` imports the module messages.
            names |= {f"{node.module}.{a.name}" for a in node.names
                      if f"{node.module}.{a.name}" in MODULES}
    return names


def internal_imports(module: str) -> set[str]:
    """The cso_network modules ``module`` imports (packages resolved to their own module)."""
    found = set()
    for name in imported_modules(MODULES[module]):
        while name and name not in MODULES:
            name = name.rpartition(".")[0]
        if name and name != module:
            found.add(name)
    return found


@pytest.mark.parametrize("module", sorted(MODULES))
def test_each_module_imports_only_its_own_layer_or_lower(module):
    mine = layer_of(module)
    higher = {m for m in internal_imports(module) if layer_of(m) > mine
              and not module.startswith(m + ".")}
    assert higher == set(), f"{module} (layer {mine}) imports higher layers: {sorted(higher)}"


def test_modules_import_each_other_without_cycles():
    graph = nx.DiGraph()
    for module in MODULES:
        for target in internal_imports(module):
            # A package's __init__ re-exporting its own modules is not a dependency cycle.
            if not target.startswith(module + "."):
                graph.add_edge(module, target)
    cycles = list(nx.simple_cycles(graph))
    assert cycles == [], cycles[:5]


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
