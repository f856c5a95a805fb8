"""Validation problems: one record per thing wrong (or worth a warning) in the input.

A :class:`Problem` names the file, sheet, Excel row number and column of the
offending cell, the value found and what was expected, so a non-programmer can
open the workbook and fix it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any, Literal

__all__ = ["Problem", "Severity", "has_errors", "problems_to_json", "sort_problems"]

Severity = Literal["error", "warning", "note"]
_SEVERITY_ORDER = {"error": 0, "warning": 1, "note": 2}


@dataclass(frozen=True)
class Problem:
    """One problem in the input.

    Attributes
    ----------
    severity : {"error", "warning", "note"}
        Errors stop an import; warnings and notes do not.
    file : str
        File name (not the full path, which may reveal a user's folders).
    sheet : str or None
        Sheet name, or None for a problem with the file itself.
    row : int or None
        Excel row number (header is row 1), or None for a sheet-level problem.
    column : str or None
        Column header as written in the file, or None.
    value : str or None
        The offending value, as text.
    message : str
        What is wrong and what is expected: a
        :class:`~cso_network.core.messages.Message` (English text that a front end
        can say in another language) from the validator and the reader.
    """

    severity: Severity
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        """Return the problem as a JSON-ready dict (keys in report order), texts as plain ``str``."""
        out = asdict(self)
        out["message"] = str(self.message)
        return out

    def location(self) -> str:
        """Human-readable location, e.g. ``demo.xlsx, sheet 'organizations', row 7, column 'country'``."""
        parts = [self.file]
        if self.sheet is not None:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        value = f" (value: {self.value!r})" if self.value not in (None, "") else ""
        return f"{self.severity}: {self.location()}: {self.message}{value}"


def has_errors(problems: list[Problem]) -> bool:
    """Return True if any problem is an error."""
    return any(p.severity == "error" for p in problems)


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Return problems in report order: errors first, then by sheet, row, column."""
    return sorted(
        problems,
        key=lambda p: (
            _SEVERITY_ORDER[p.severity],
            p.sheet or "",
            p.row if p.row is not None else -1,
            p.column or "",
        ),
    )


def problems_to_json(problems: list[Problem]) -> str:
    """Serialize problems as a JSON list of objects."""
    return json.dumps([p.to_dict() for p in problems], ensure_ascii=False, indent=2)
