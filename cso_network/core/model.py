"""The data model: the six tables of the master workbook and the in-memory Dataset.

Each table is described once here (columns, which are required, how each cell is
parsed, the key used to upsert rows, and references to other tables). The
Excel reader, the validator, the store and the demo generator all read these
descriptions, so a column is added in one place.

Canonical in-memory form (a :class:`Dataset`): one pandas DataFrame per table,
``object`` dtype, missing values as ``None``:

- ids and text: ``str``
- ``country``: ISO 3166 alpha-2 code (``"BA"``, ``"XK"`` for Kosovo)
- dates: ISO text, either a full date ``"2014-05-03"`` or a bare year ``"2014"``
  (both sort correctly as text)
- multi-value cells: tuples (``fields`` and ``practices`` of ``str``,
  ``risk_factors`` of ``int`` 1-14), sorted in vocabulary order
- yes/no: ``True`` / ``False`` / ``None`` (not answered)
- collaborations: ``org_a < org_b`` (a tie is an unordered pair)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

__all__ = [
    "Column",
    "Table",
    "TABLES",
    "TABLE_ORDER",
    "REQUIRED_SHEETS",
    "Dataset",
    "CellKind",
    "org_matches",
]

CellKind = Literal[
    "id", "text", "country", "date", "bool", "fields", "practices", "risk_factors"
]


@dataclass(frozen=True)
class Column:
    """One column of a table.

    Attributes
    ----------
    name : str
        Header in the workbook (matched case- and space-insensitively).
    kind : CellKind
        How cells are parsed: see the module docstring for canonical forms.
    required : bool
        A blank cell is an error.
    ref : tuple of (table, column) or None
        The value must exist as that table's id.
    description : str
        One line for the template's instruction sheet and the docs.
    """

    name: str
    kind: CellKind = "text"
    required: bool = False
    ref: tuple[str, str] | None = None
    description: str = ""


@dataclass(frozen=True)
class Table:
    """One table (one sheet of the master workbook).

    Attributes
    ----------
    name : str
        Sheet name.
    columns : tuple of Column
        In workbook order.
    key : tuple of str
        Columns that identify a row; imports upsert by this key.
    required_sheet : bool
        The sheet must exist (it may hold only the header row).
    """

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    required_sheet: bool = True
    description: str = ""

    @property
    def column_names(self) -> list[str]:
        """Column names in workbook order."""
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        """Return the column called ``name``."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "seminars",
            (
                Column("seminar_id", "id", True, description="Short unique id, e.g. SEM-2014-SKP"),
                Column("city", description="City where the seminar was held"),
                Column("country", "country", True, description="Country (name or ISO code)"),
                Column("start_date", "date", True, description="First day (date or year)"),
                Column("end_date", "date", description="Last day (date or year)"),
            ),
            key=("seminar_id",),
            description="One row per regional seminar.",
        ),
        Table(
            "organizations",
            (
                Column("org_id", "id", True, description="Short unique id, e.g. ORG-001"),
                Column("name", "text", True, description="Organization name as it writes it"),
                Column("country", "country", True, description="Country (name or ISO code)"),
                Column("city", description="City"),
                Column("type", description="Legal form or kind: association, foundation, network..."),
                Column("fields", "fields", description="Fields of work, separated by ; or ,"),
                Column("practices", "practices", description="Practices, separated by ; or ,"),
                Column(
                    "risk_factors",
                    "risk_factors",
                    description="UN Framework risk factors covered: numbers 1-14 or titles",
                ),
            ),
            key=("org_id",),
            description="One row per civil-society organization.",
        ),
        Table(
            "participants",
            (
                Column("participant_id", "id", True, description="Short unique id, e.g. P-0001"),
                Column("full_name", description="Full name"),
                Column(
                    "org_id", "id", True, ref=("organizations", "org_id"),
                    description="Organization the person represented",
                ),
                Column("role", description="Role in the organization"),
                Column("gender", description="As the person stated it"),
                Column("email", description="E-mail"),
                Column("phone", description="Phone"),
                Column("consent_contact", "bool", description="May others contact them? yes/no"),
                Column(
                    "consent_directory", "bool",
                    description="May they be listed in the directory? yes/no",
                ),
            ),
            key=("participant_id",),
            description="One row per person who attended a seminar.",
        ),
        Table(
            "attendance",
            (
                Column(
                    "participant_id", "id", True, ref=("participants", "participant_id"),
                    description="Who attended",
                ),
                Column(
                    "seminar_id", "id", True, ref=("seminars", "seminar_id"),
                    description="Which seminar",
                ),
            ),
            key=("participant_id", "seminar_id"),
            description="One row per person per seminar attended.",
        ),
        Table(
            "collaborations",
            (
                Column(
                    "org_a", "id", True, ref=("organizations", "org_id"),
                    description="One organization",
                ),
                Column(
                    "org_b", "id", True, ref=("organizations", "org_id"),
                    description="The other organization (order does not matter)",
                ),
                Column("kind", description="joint project, network membership, exchange..."),
                Column("since", "date", description="When it started (date or year)"),
                Column("source", description="Where we know it from: survey, report..."),
                Column("note", description="Free text"),
            ),
            key=("org_a", "org_b", "kind"),
            required_sheet=False,
            description="Declared collaborations between two organizations (undirected).",
        ),
        Table(
            "engagements",
            (
                Column(
                    "org_id", "id", True, ref=("organizations", "org_id"),
                    description="Organization",
                ),
                Column("kind", description="briefing, report submitted, consultation, joint event..."),
                Column("date", "date", description="When (date or year)"),
                Column("note", description="Free text"),
            ),
            key=("org_id", "kind", "date"),
            required_sheet=False,
            description="An organization's contacts with UNOGP.",
        ),
    )
}

TABLE_ORDER: tuple[str, ...] = tuple(TABLES)
REQUIRED_SHEETS: tuple[str, ...] = tuple(t.name for t in TABLES.values() if t.required_sheet)

#: Collaboration kind stored when the cell is blank (the key needs a value).
DEFAULT_COLLABORATION_KIND = "collaboration"


def empty_frame(table: str) -> pd.DataFrame:
    """Return an empty frame with ``table``'s columns (object dtype)."""
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in TABLES[table].column_names})


def frame_from_records(table: str, records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Build a canonical frame for ``table`` from dict records (missing keys -> None)."""
    cols = TABLES[table].column_names
    rows = [[rec.get(c) for c in cols] for rec in records]
    if not rows:
        return empty_frame(table)
    return pd.DataFrame(rows, columns=cols, dtype=object)


def row_key(table: str, row: Mapping[str, Any]) -> tuple:
    """Return the upsert key of ``row`` in ``table``."""
    return tuple(row[c] for c in TABLES[table].key)


@dataclass
class Dataset:
    """All six tables in canonical form (see the module docstring).

    Examples
    --------
    >>> ds = Dataset.empty()
    >>> ds.counts()["organizations"]
    0
    """

    seminars: pd.DataFrame = field(default_factory=lambda: empty_frame("seminars"))
    organizations: pd.DataFrame = field(default_factory=lambda: empty_frame("organizations"))
    participants: pd.DataFrame = field(default_factory=lambda: empty_frame("participants"))
    attendance: pd.DataFrame = field(default_factory=lambda: empty_frame("attendance"))
    collaborations: pd.DataFrame = field(default_factory=lambda: empty_frame("collaborations"))
    engagements: pd.DataFrame = field(default_factory=lambda: empty_frame("engagements"))

    @classmethod
    def empty(cls) -> Dataset:
        """Return a dataset with six empty tables."""
        return cls()

    @classmethod
    def from_frames(cls, frames: Mapping[str, pd.DataFrame]) -> Dataset:
        """Build a dataset from ``{table: frame}``; absent tables are empty.

        Columns are put in schema order; extra columns are dropped.
        """
        kwargs = {}
        for name in TABLE_ORDER:
            frame = frames.get(name)
            if frame is None:
                kwargs[name] = empty_frame(name)
            else:
                cols = TABLES[name].column_names
                out = frame.reindex(columns=cols).astype(object)
                kwargs[name] = out.where(out.notna(), None).reset_index(drop=True)
        return cls(**kwargs)

    def table(self, name: str) -> pd.DataFrame:
        """Return the frame of table ``name``."""
        if name not in TABLES:
            raise KeyError(f"unknown table {name!r}; tables are {', '.join(TABLE_ORDER)}")
        return getattr(self, name)

    def frames(self) -> dict[str, pd.DataFrame]:
        """Return ``{table: frame}`` in table order."""
        return {name: self.table(name) for name in TABLE_ORDER}

    def counts(self) -> dict[str, int]:
        """Return the number of rows per table."""
        return {name: len(self.table(name)) for name in TABLE_ORDER}

    def is_empty(self) -> bool:
        """True when no table has a row."""
        return not any(self.counts().values())


def org_matches(org: Mapping[str, Any], *, countries: Iterable[str] = (),
                fields: Iterable[str] = (), practices: Iterable[str] = (),
                risk_factors: Iterable[int] = (), seminars: Iterable[str] = ()) -> bool:
    """Whether an organization meets every criterion given: the one organization filter.

    An empty criterion asks nothing. Otherwise the organization's country must
    be one of ``countries``, and it must share at least one value with each of
    ``fields``, ``practices``, ``risk_factors`` and ``seminars`` (the seminars
    its people attended). The network explorer and the partner list filter
    with it, so a filter means the same on every page.

    Parameters
    ----------
    org : mapping
        An ``organizations`` row, or a node's data in a network layer (which
        also holds ``seminars``).

    Examples
    --------
    >>> org = {"country": "BA", "fields": ("law",), "risk_factors": (8,)}
    >>> org_matches(org), org_matches(org, countries=["ME"]), org_matches(org, risk_factors=[8, 9])
    (True, False, True)
    """
    countries, fields, practices = set(countries), set(fields), set(practices)
    risk_factors, seminars = set(risk_factors), set(seminars)
    if countries and org.get("country") not in countries:
        return False
    for wanted, column in ((fields, "fields"), (practices, "practices"),
                           (risk_factors, "risk_factors"), (seminars, "seminars")):
        if wanted and not wanted & set(org.get(column) or ()):
            return False
    return True
