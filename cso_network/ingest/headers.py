"""Sheet and column names as people write them: in English or BCS, renamed, misspelled.

The master workbook's sheets and columns have English names (see
:mod:`cso_network.core.model`); the BCS template writes its own names, and
people rename things. This module reads a sheet or column name into the
table or column it means, through the aliases of
:data:`cso_network.vocab.tables.SHEET_ALIASES` and
:data:`~cso_network.vocab.tables.COLUMN_ALIASES`, matched after
:func:`cso_network.core.text.fold` (case, accents, Cyrillic or Latin, spaces
and underscores do not matter). A name it cannot read is never guessed: it
is reported, with the closest known name offered as "did you mean"
(:func:`closest`, rapidfuzz).
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process

from cso_network.core.model import TABLE_ORDER, TABLES
from cso_network.core.text import fold
from cso_network.vocab.tables import COLUMN_ALIASES, SHEET_ALIASES

__all__ = ["header_key", "table_of_sheet", "column_of_header", "closest", "closest_header",
           "SUGGEST_SCORE"]

#: The least rapidfuzz ratio (0-100) at which a known name is offered as "did you mean".
SUGGEST_SCORE = 75.0


def header_key(text: object) -> str:
    """The matching key of a sheet or column name: folded, ``_`` and ``-`` as spaces.

    >>> header_key("  Org_ID "), header_key("Država"), header_key("Организације")
    ('org id', 'drzava', 'organizacije')
    """
    return " ".join(fold(str(text or "").replace("_", " ").replace("-", " ")).split())


_SHEETS: dict[str, str] = {}
for _table in TABLE_ORDER:
    for _name in (_table, *SHEET_ALIASES.get(_table, ())):
        _SHEETS.setdefault(header_key(_name), _table)

_COLUMNS: dict[str, dict[str, str]] = {}
for _table, _spec in TABLES.items():
    _index: dict[str, str] = {header_key(c): c for c in _spec.column_names}
    for _column in _spec.column_names:
        for _name in COLUMN_ALIASES.get((_table, _column), ()):
            _index.setdefault(header_key(_name), _column)
    _COLUMNS[_table] = _index


def table_of_sheet(name: object) -> str | None:
    """The master table a sheet name means, or None.

    >>> table_of_sheet("Organizacije"), table_of_sheet("УЧЕСНИЦИ"), table_of_sheet("Notes")
    ('organizations', 'participants', None)
    """
    return _SHEETS.get(header_key(name))


def column_of_header(table: str, header: object) -> str | None:
    """The column of ``table`` a header means, or None.

    >>> column_of_header("organizations", "Naziv"), column_of_header("participants", "E-mail")
    ('name', 'email')
    >>> column_of_header("organizations", "Remarks") is None
    True
    """
    return _COLUMNS[table].get(header_key(header))


def closest(name: object, choices: Iterable[str]) -> str | None:
    """The choice most like ``name`` when it is close enough to offer, else None.

    Compared on :func:`header_key` with rapidfuzz's ratio; at least
    :data:`SUGGEST_SCORE`.

    >>> closest("Organisations", ["seminars", "organizations"])
    'organizations'
    >>> closest("naem", ["org_id", "name", "country"])
    'name'
    >>> closest("Remarks", ["org_id", "name", "country"]) is None
    True
    """
    choices = list(choices)
    if not choices:
        return None
    found = process.extractOne(header_key(name), [header_key(c) for c in choices],
                               scorer=fuzz.ratio, score_cutoff=SUGGEST_SCORE)
    return None if found is None else choices[found[2]]


def closest_header(table: str, column: str, headers: Iterable[str]) -> str | None:
    """The header, among ``headers``, most like ``column`` of ``table`` or one of its other names.

    For "did you mean" when a required column is missing: a header written
    close to the column's own name, else close to one of its aliases.

    >>> closest_header("organizations", "name", ["Organisation nam", "Grad"])
    'Organisation nam'
    >>> closest_header("organizations", "name", ["Remarks"]) is None
    True
    """
    headers = list(headers)
    for name in (column, *COLUMN_ALIASES.get((table, column), ())):
        found = closest(name, headers)
        if found is not None:
            return found
    return None
