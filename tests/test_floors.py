"""The dependency floors: what ``scripts/floors.py`` pins, and why no floor may be lower.

``scripts/test --floors`` installs the project with every dependency pinned to the
``>=`` floor it has in ``pyproject.toml`` (the pins come from ``scripts/floors.py``)
and runs the suite there. These tests check the pins against ``packaging``'s reading
of the same requirements, and that each floor is at least the version that brought
something the code uses: a lower floor installs without complaint and fails at run time.
"""

from __future__ import annotations

import importlib.util
import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

_spec = importlib.util.spec_from_file_location("floors", ROOT / "scripts" / "floors.py")
floors = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(floors)


def _declared() -> list[Requirement]:
    project = PYPROJECT["project"]
    return [Requirement(r) for r in [*project["dependencies"],
                                     *project["optional-dependencies"]["dev"]]]


def _floor_of(package: str) -> Version:
    """The highest ``>=`` bound pyproject.toml gives ``package``, read by ``packaging``."""
    bounds = [Version(s.version) for r in _declared()
              if canonicalize_name(r.name) == canonicalize_name(package)
              for s in r.specifier if s.operator == ">="]
    assert bounds, f"{package} has no '>=' floor in pyproject.toml"
    return max(bounds)


# ---------------------------------------------------------------------------
# scripts/floors.py
# ---------------------------------------------------------------------------


def test_every_declared_dependency_is_pinned_to_its_floor():
    pins = [Requirement(line) for line in floors.constraints(PYPROJECT).splitlines()]
    for pin in pins:  # a constraints file takes neither extras nor ranges
        assert not pin.extras and [s.operator for s in pin.specifier] == ["=="], str(pin)
    pinned = {canonicalize_name(p.name): p for p in pins}
    assert len(pinned) == len(pins)  # one pin a package (dash and dash[testing]: one)
    declared = {canonicalize_name(r.name): r for r in _declared()}
    assert pinned.keys() == declared.keys()
    for key, pin in pinned.items():
        assert Version(next(iter(pin.specifier)).version) == _floor_of(key), str(pin)
        assert str(pin.marker) == str(declared[key].marker), str(pin)


def test_a_package_named_twice_gets_the_higher_floor_and_no_extras():
    pyproject = {"project": {
        "dependencies": ["dash>=3.0", "foo_bar >= 1.2 ; python_version < '3.12'", "x>=2.0"],
        "optional-dependencies": {"dev": ["dash[testing]>=3.1", "Foo-Bar>=1.0", "x>=2.0.0"]},
    }}
    assert floors.constraints(pyproject) == (
        "dash==3.1\nfoo_bar==1.2; python_version < '3.12'\nx==2.0\n")


def test_an_upper_bound_beside_the_floor_is_left_out():
    assert floors.floor("selenium>=4.2,<5") == ("selenium", "4.2", None)


@pytest.mark.parametrize("requirement", [
    "numpy", "numpy<3", "numpy==2.0", "numpy>=1.0,>=2.0", "numpy>=2.0rc1", "numpy>=2.*", "[x]>=1",
])
def test_a_requirement_without_one_plain_floor_is_refused(requirement):
    with pytest.raises(ValueError, match=re.escape(repr(requirement))):
        floors.floor(requirement)


_names = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9._-]{0,8}[A-Za-z0-9])?", fullmatch=True)
_versions = st.lists(st.integers(0, 300), min_size=1, max_size=4).map(
    lambda parts: ".".join(map(str, parts)))
_extras = st.sampled_from(["", "[testing]", "[a,b]"])
_markers = st.sampled_from([None, "sys_platform != 'win32'", 'python_version < "3.12"'])
_space = st.sampled_from(["", " "])


@given(name=_names, version=_versions, extras=_extras, marker=_markers, sp=_space)
def test_floor_reads_what_packaging_reads(name, version, extras, marker, sp):
    text = f"{name}{extras}{sp}>={sp}{version}" + (f"{sp};{sp}{marker}" if marker else "")
    reference = Requirement(text)
    got_name, got_version, got_marker = floors.floor(text)
    assert got_name == reference.name
    assert Version(got_version) == Version(next(iter(reference.specifier)).version)
    assert (got_marker is None) == (reference.marker is None)
    if marker:
        assert Requirement(f"x; {got_marker}").marker == reference.marker


def test_the_command_prints_the_constraints_or_says_what_is_wrong(tmp_path, capsys):
    assert floors.main(["floors.py"]) == 0
    assert capsys.readouterr().out == floors.constraints(PYPROJECT)
    bad = tmp_path / "pyproject.toml"
    bad.write_text('[project]\ndependencies = ["numpy"]\n', encoding="utf-8")
    assert floors.main(["floors.py", str(bad)]) == 1
    err = capsys.readouterr().err
    assert str(bad) in err and "'numpy'" in err and "'>=X.Y'" in err
    bad.write_text('[tool.x]\na = 1\n', encoding="utf-8")
    assert floors.main(["floors.py", str(bad)]) == 1
    assert "no [project] table" in capsys.readouterr().err


# ---------------------------------------------------------------------------
# Why each floor is where it is
# ---------------------------------------------------------------------------

LIBRARY = ("cso_network/**/*.py", "dashboard/**/*.py")

#: (package, lowest floor, what needs it, where, pattern found there). Below each of these
#: versions the suite fails: the API is missing, or gives other numbers than the tests expect.
NEEDS = [
    ("numpy", "2.0", "np.bitwise_count, new in NumPy 2.0",
     LIBRARY, r"\bnp\.bitwise_count\("),
    ("scipy", "1.15", "the rng= argument of scipy.stats.bootstrap, new in SciPy 1.15",
     LIBRARY, r"\bbootstrap\((?:[^()]|\([^()]*\))*?\brng="),
    ("networkx", "3.5", "sampled betweenness compared with nx.betweenness_centrality(G, k=...), "
     "whose scaling with k NetworkX 3.5 corrected",
     ("tests/**/test_brokerage.py",), r"\bnx\.betweenness_centrality\(G, k="),
    ("typer", "0.17.5", "required typer.Argument: typer 0.16.0 to 0.17.4 allow Click 8.3, where a "
     "missing argument crashes instead of being a usage error; typer before 0.16 breaks on "
     "Click 8.2 (--help fails), and under Click 8.1 CliRunner mixes stderr into result.stdout, "
     "which the CLI tests read as JSON",
     LIBRARY, r"\btyper\.Argument\("),
    ("SQLAlchemy", "2.0", "sa.Connection, exported at the top level from SQLAlchemy 2.0",
     LIBRARY, r"\bsa\.Connection\b"),
    ("dash", "3.1.1", "pages whose path has a variable (/org/<org_id>): with the same name in the "
     "query string Dash 3.0 passes it to layout() twice, and its router fails on a None "
     "pathname (server errors in test_web_hardening.py); Dash 3.1.0's router fails with "
     "UnboundLocalError",
     LIBRARY, r"\bpath_template=\"[^\"]*<"),
    ("plotly", "5.5", "texttemplate on heatmaps, new in plotly 5.5",
     LIBRARY, r'\btrace\("heatmap",(?:[^()]|\([^()]*\))*?\btexttemplate='),
]


@pytest.mark.parametrize(("package", "lowest", "why", "where", "pattern"), NEEDS,
                         ids=[row[0] for row in NEEDS])
def test_no_floor_below_what_the_code_uses(package, lowest, why, where, pattern):
    sources = [p for glob in where for p in sorted(ROOT.glob(glob))]
    assert any(re.search(pattern, p.read_text(encoding="utf-8"), re.DOTALL) for p in sources), (
        f"nothing in {where} matches {pattern!r} any more: the {package} floor may be lower "
        "now; update NEEDS")
    assert _floor_of(package) >= Version(lowest), f"{package} needs >= {lowest}: {why}"


def test_the_floors_install_together_with_numpy_2():
    """pandas before 2.2.2 requires numpy<2, and SciPy before 1.13 is built for NumPy 1 only."""
    assert _floor_of("numpy") >= Version("2.0")
    assert _floor_of("pandas") >= Version("2.2.2")
    assert _floor_of("scipy") >= Version("1.13")
