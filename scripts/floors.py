"""Print a pip constraints file that pins every dependency of cso-network to its floor.

The floor of a requirement is the version after ``>=`` in ``pyproject.toml``, in
``[project].dependencies`` and the ``dev`` extra. ``scripts/test --floors`` installs
the project with these constraints, so that the suite runs on the oldest versions
that ``pyproject.toml`` promises to work with. Extras are dropped (a constraints
file cannot carry them), environment markers are kept, and a package named twice
(``dash`` and ``dash[testing]``) is pinned to the higher of its floors.

Usage: ``python scripts/floors.py [path/to/pyproject.toml]`` (standard library only).
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"

_REQUIREMENT = re.compile(
    r"""^\s*(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*
        (?:\[[^\]]*\])?\s*
        (?P<spec>[^;]*?)\s*
        (?:;\s*(?P<marker>.+?))?\s*$""",
    re.VERBOSE,
)
_FLOOR = re.compile(r"^>=\s*(?P<version>\d+(?:\.\d+)*)$")


def _key(name: str) -> str:
    """The normalized form of a project name (PEP 503), to recognize ``Babel`` as ``babel``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _release(version: str) -> tuple[int, ...]:
    """``"2.0"`` -> ``(2, 0)``, trailing zeros dropped, so that ``2.0`` and ``2.0.0`` compare equal."""
    parts = [int(p) for p in version.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def floor(requirement: str) -> tuple[str, str, str | None]:
    """``(name, floor version, marker or None)`` of one requirement string.

    Raises
    ------
    ValueError
        When the requirement has no ``>=`` floor, or the floor is not a plain
        release number (``2.0``, ``0.7.1``): the floors run needs one exact
        version to install.
    """
    match = _REQUIREMENT.match(requirement)
    if match is None:
        raise ValueError(f"cannot read the requirement {requirement!r} in pyproject.toml")
    floors = [m.group("version") for part in match.group("spec").split(",")
              if (m := _FLOOR.match(part.strip()))]
    if len(floors) != 1:
        raise ValueError(
            f"{requirement!r} in pyproject.toml needs exactly one floor written as "
            "'>=X.Y' (a plain release number) for scripts/test --floors")
    return match.group("name"), floors[0], match.group("marker")


def requirements(pyproject: dict) -> list[str]:
    """The requirement strings the floors run installs: the runtime dependencies and the dev extra."""
    project = pyproject.get("project")
    if not isinstance(project, dict):
        raise ValueError("no [project] table")
    return [*project.get("dependencies", []),
            *project.get("optional-dependencies", {}).get("dev", [])]


def constraints(pyproject: dict) -> str:
    """The constraints file text: one ``name==floor`` line per package, in pyproject order."""
    pins: dict[str, tuple[str, str, str | None]] = {}
    for requirement in requirements(pyproject):
        name, version, marker = floor(requirement)
        key = _key(name)
        if key not in pins or _release(version) > _release(pins[key][1]):
            pins[key] = (pins.get(key, (name,))[0], version, marker)
    lines = [f"{name}=={version}" + (f"; {marker}" if marker else "")
             for name, version, marker in pins.values()]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else PYPROJECT
    try:
        text = constraints(tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        print(f"scripts/floors.py: {path}: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
