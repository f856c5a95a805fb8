"""Check a master workbook and turn it into a canonical :class:`~cso_network.core.model.Dataset`.

Validation reports *every* problem at once, each naming the file, sheet, Excel
row, column, the value and what is expected. Errors stop any import; warnings
(unknown fields or practices kept as written, ignored columns, merged repeats)
and notes (ignored sheets) do not.

The checks, in order:

1. required sheets exist (``seminars``, ``organizations``, ``participants``,
   ``attendance``); other unknown sheets are ignored with a note;
2. required columns exist; extra columns are ignored with a warning;
3. every cell parses for its column's kind (country, date, yes/no, fields,
   practices, risk factors); required cells are not blank;
4. ids are unique; attendance rows are not repeated; a collaboration does not
   link an organization with itself, and a repeated tie (A-B and B-A count as
   the same) is merged with a warning; end dates are not before start dates;
5. every reference points to an existing id, in the file or, when importing
   into a workspace, in the workspace (``base``).

Within :class:`~cso_network.ingest.limits.Limits`: a cell longer than
``max_cell_chars`` and an organization ``name`` or participant ``full_name``
longer than ``max_name_chars`` are errors; a report lists at most
``max_problems`` problems (errors first) and then one note saying how many
more were found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from cso_network import vocab
from cso_network.core.exceptions import ValidationError, VocabularyError
from cso_network.core.messages import Message, Seq, country_with_code, msg, nmsg, term
from cso_network.core.model import (
    DEFAULT_COLLABORATION_KIND,
    REQUIRED_SHEETS,
    TABLE_ORDER,
    TABLES,
    Column,
    Dataset,
    empty_frame,
)
from cso_network.core.problems import Problem, has_errors, sort_problems
from cso_network.ingest.excel import (
    ROW_COLUMN,
    RawTable,
    RawWorkbook,
    cell_too_long,
    read_workbook,
    short_value,
)
from cso_network.ingest.headers import closest, closest_header, column_of_header, table_of_sheet
from cso_network.ingest.limits import Limits

__all__ = ["ValidationReport", "validate_workbook", "validate_raw", "parse_cell"]


@dataclass
class ValidationReport:
    """What validation found.

    Attributes
    ----------
    file : str
        File name.
    dataset : Dataset or None
        The canonical data, or None when the file could not be read at all.
        Present even with errors (rows with errors dropped) so a preview can
        show what was understood; never import it when ``ok`` is False.
    problems : list of Problem
        Errors first, then warnings and notes, by sheet and row; at most
        ``Limits.max_problems`` of them, then (when more were found) one
        note saying how many more.
    omitted : int
        How many problems were found beyond those listed.
    """

    file: str
    dataset: Dataset | None
    problems: list[Problem] = field(default_factory=list)
    omitted: int = 0

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not has_errors(self.problems)

    @property
    def errors(self) -> list[Problem]:
        """The problems of severity ``error``."""
        return [p for p in self.problems if p.severity == "error"]

    def raise_for_errors(self) -> Dataset:
        """Return the dataset, or raise :class:`ValidationError` if there are errors."""
        if not self.ok or self.dataset is None:
            raise ValidationError(self.problems)
        return self.dataset


# ----------------------------------------------------------------------------- cells


def _text(value: Any) -> str:
    """Cell value as clean text (integral floats lose their ``.0``)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat") and not isinstance(value, str):
        value = value.isoformat()[:10] if getattr(value, "hour", 0) == 0 else value.isoformat()
    from cso_network.core.text import normalize_space

    return normalize_space(str(value))


def _unknown_field(piece: str) -> Message:
    known = Seq([term("field", f) for f in vocab.FIELDS])
    return msg("unknown field '{value}' is kept as written; known fields are: {known}",
               value=piece, known=known)


def _unknown_practice(piece: str) -> Message:
    known = Seq([term("practice", p) for p in vocab.PRACTICES])
    return msg("unknown practice '{value}' is kept as written; known practices are: {known}",
               value=piece, known=known)


def _multi(
    parser: Callable[[str], tuple[str, bool]], vocabulary: tuple[str, ...],
    unknown: Callable[[str], Message],
) -> Callable[[Any], tuple[tuple[str, ...], list[str]]]:
    def parse(value: Any) -> tuple[tuple[str, ...], list[str]]:
        items, warnings = [], []
        for piece in vocab.split_multi(value):
            label, known = parser(piece)
            if not known:
                warnings.append(unknown(piece))
            items.append(label)
        return vocab.order_items(items, vocabulary), warnings

    return parse


def _risk_factors(value: Any) -> tuple[tuple[int, ...], list[str]]:
    numbers = {vocab.parse_risk_factor(piece) for piece in vocab.split_multi(value)}
    return tuple(sorted(numbers)), []


_MULTI_PARSERS = {
    "fields": _multi(vocab.parse_field, vocab.FIELDS, _unknown_field),
    "practices": _multi(vocab.parse_practice, vocab.PRACTICES, _unknown_practice),
    "risk_factors": _risk_factors,
}


def parse_cell(column: Column, value: Any) -> tuple[Any, list[str]]:
    """Parse one cell for its column's kind.

    Parameters
    ----------
    column : Column
        The column, whose ``kind`` chooses the parser.
    value : Any
        The cell as read from Excel.

    Returns
    -------
    (value, warnings)
        The canonical value and warning messages (unknown vocabulary items),
        as :class:`~cso_network.core.messages.Message` values.

    Raises
    ------
    VocabularyError
        The value cannot be parsed; the message (a
        :class:`~cso_network.core.messages.Message`, its first argument) says what
        is expected.

    Examples
    --------
    >>> from cso_network.core.model import TABLES
    >>> parse_cell(TABLES["organizations"].column("country"), "Crna Gora")
    ('ME', [])
    >>> parse_cell(TABLES["organizations"].column("risk_factors"), "8; 1, 8")
    ((1, 8), [])
    """
    kind = column.kind
    if kind in _MULTI_PARSERS:
        return _MULTI_PARSERS[kind](value)
    if value is None:
        return None, []
    if kind == "country":
        code = vocab.parse_country(_text(value))
        if vocab.country_entity(_text(value)) is not None:
            return code, [msg("'{value}' is a part of {country}; read as {country}",
                              value=_text(value), country=country_with_code(code))]
        if code in vocab.REGION:
            return code, []
        # e.g. "BH" is Bahrain, not BiH: worth a second look, not an error.
        return code, [msg(
            "'{value}' is read as {country}, outside the programme's region ({region}); "
            "check that this is meant",
            value=_text(value), country=country_with_code(code), region=Seq(vocab.REGION),
        )]
    if kind == "date":
        return vocab.parse_date(value), []
    if kind == "bool":
        return vocab.parse_bool(value), []
    text = _text(value)
    return (text or None), []


# ----------------------------------------------------------------------------- tables


def _error_message(exc: Exception) -> str:
    """The message of a parse error, as the :class:`Message` it was raised with when it is one.

    ``str(exc)`` would give plain English text: the dashboard could no longer
    say it in another language.
    """
    first = exc.args[0] if len(exc.args) == 1 else None
    return first if isinstance(first, Message) else str(exc)


def _cached_parser() -> Callable[[Column, Any], tuple[Any, list[str]]]:
    """Return :func:`parse_cell` memoized on (column, value): sheets repeat values a lot."""
    cache: dict[tuple[str, Any], tuple[Any, list[str]] | VocabularyError] = {}

    def parse(col: Column, value: Any) -> tuple[Any, list[str]]:
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            return parse_cell(col, value)
        key = (col.name, value)
        if key not in cache:
            try:
                cache[key] = parse_cell(col, value)
            except VocabularyError as exc:
                cache[key] = exc
        hit = cache[key]
        if isinstance(hit, VocabularyError):
            raise hit
        return hit

    return parse


class _Collector:
    """Collects problems for one file with less repetition at call sites.

    Keeps the first ``limit`` problems in report order (:func:`sort_problems`)
    and counts the rest: a workbook of a million repeated rows must not make a
    million problems to hold and print.
    """

    def __init__(self, file: str, limit: int) -> None:
        self.file = file
        self.limit = limit
        self.found = 0
        self._kept: list[Problem] = []

    def add(self, severity, sheet, row, column, value, message) -> None:
        shown = None if value is None else _text(value) if not isinstance(value, str) else value
        shown = None if shown is None else short_value(shown)
        self.append(Problem(severity, self.file, sheet, row, column, shown, message))

    def append(self, problem: Problem) -> None:
        self.found += 1
        self._kept.append(problem)
        if len(self._kept) >= 2 * self.limit + 1024:
            # Stable sort: the same first ``limit`` as sorting everything at the end.
            self._kept = sort_problems(self._kept)[: self.limit]

    def problems(self) -> list[Problem]:
        """The first ``limit`` problems in report order, then a note on the rest."""
        kept = sort_problems(self._kept)[: self.limit]
        omitted = self.found - len(kept)
        if omitted:
            kept.append(Problem(
                "note", self.file, None, None, None, None,
                nmsg("{n:,} more problem was found but not listed (a report lists at most "
                     "{limit:,}; raise it with the environment variable {env}); fix these first "
                     "and check again",
                     "{n:,} more problems were found but not listed (a report lists at most "
                     "{limit:,}; raise it with the environment variable {env}); fix these first "
                     "and check again",
                     omitted, limit=self.limit, env=Limits.env_var("max_problems")),
            ))
        return kept

    @property
    def omitted(self) -> int:
        """Problems found beyond the ``limit`` listed."""
        return max(0, self.found - self.limit)


#: Marks rows with a cell error: kept for id look-ups (so one bad cell does not
#: cascade into "unknown id" errors elsewhere) but left out of the dataset.
BAD_COLUMN = "__bad__"


#: Tables whose ids other tables point to: their rows with errors still count as existing ids.
_ID_TABLES = ("seminars", "organizations", "participants")


def _empty_parsed(table_name: str) -> pd.DataFrame:
    return empty_frame(table_name).assign(
        **{ROW_COLUMN: pd.Series([], dtype="int64"), BAD_COLUMN: pd.Series([], dtype=bool)}
    )


#: (table, column) of the names held to ``Limits.max_name_chars``.
NAME_COLUMNS = frozenset({("organizations", "name"), ("participants", "full_name")})


def _missing_columns(raw: RawTable, table_name: str, missing: list[str], unknown: list[str],
                     out: _Collector) -> None:
    """The error for required columns a sheet lacks, with what may have been meant.

    A column written under another name is offered as "did you mean"; a title
    row above the header (a later row names the columns) is said as such.
    """
    table = TABLES[table_name]
    for offset, row in enumerate(raw.head_rows[1:], start=2):
        named = {column_of_header(table_name, cell) for cell in row if cell is not None}
        if set(missing) <= named:
            out.add("error", raw.sheet, offset, None, None,
                    nmsg("row {row} looks like the header row (it names {columns}): delete the "
                         "{n} row above it, so that the header is row 1",
                         "row {row} looks like the header row (it names {columns}): delete the "
                         "{n} rows above it, so that the header is row 1",
                         offset - 1, row=offset, columns=Seq(missing)))
            return
    hints = []
    for column in missing:
        written = closest_header(table_name, column, unknown)
        if written is not None:
            hints.append(msg("'{written}' for '{column}'", written=written, column=column))
    # English says "column(s)" either way; other languages choose their plural form.
    if hints:
        out.add("error", raw.sheet, 1, None, None,
                nmsg("missing required column(s): {missing}; the header row must name: "
                     "{columns}. Did you mean {hints}? Rename the column to the expected name",
                     "missing required column(s): {missing}; the header row must name: "
                     "{columns}. Did you mean {hints}? Rename the columns to the expected names",
                     len(missing), missing=Seq(missing), columns=Seq(table.column_names),
                     hints=Seq(hints)))
        return
    out.add(
        "error", raw.sheet, 1, None, None,
        nmsg("missing required column(s): {missing}; the header row must name: {columns}",
             "missing required column(s): {missing}; the header row must name: {columns}",
             len(missing), missing=Seq(missing), columns=Seq(table.column_names)),
    )


def _canonical_names(raw: RawWorkbook, out: _Collector) -> RawWorkbook:
    """``raw`` with sheets and columns under their master names (BCS and other aliases read).

    Unknown sheets and columns keep their own names (reported later); a
    second sheet or column that means one already there is kept as unknown
    too, and a second sheet is said to be one.
    """
    tables: dict[str, RawTable] = {}
    for key, rt in raw.tables.items():
        name = table_of_sheet(rt.sheet) or key
        if name in tables:
            out.add("error", rt.sheet, None, None, None,
                    msg("sheets '{first}' and '{second}' both hold the {table} sheet; keep one",
                        first=tables[name].sheet, second=rt.sheet, table=name))
            continue
        tables[name] = _canonical_columns(name, rt) if name in TABLES else rt
    return RawWorkbook(raw.file, tables, raw.problems)


def _canonical_columns(table_name: str, rt: RawTable) -> RawTable:
    rename: dict[str, str] = {}
    headers: dict[str, str] = {}
    for norm, written in rt.headers.items():
        column = column_of_header(table_name, written)
        target = column if column is not None and column not in headers else f"?{norm}"
        rename[norm] = target
        headers[target] = written
    frame = rt.frame.rename(columns=rename)
    return RawTable(rt.sheet, frame, headers, rt.head_rows)


def _parse_table(raw: RawTable, table_name: str, out: _Collector, limits: Limits,
                 reported: frozenset[tuple[Any, ...]] = frozenset()) -> tuple[pd.DataFrame, bool]:
    """Parse every cell of one sheet.

    Returns the parsed rows (``__bad__`` marks rows with a cell error) and
    whether the sheet could be read at all (False when required columns are
    missing). A cell longer than ``limits.max_cell_chars`` is an error, said
    once (``reported`` holds the (sheet, row, column) the reader already
    reported); a name longer than ``limits.max_name_chars`` is an error.
    """
    table = TABLES[table_name]
    frame = raw.frame
    known = set(table.column_names)
    absent = [c for c in table.column_names if c not in frame]
    unknown = {norm: written for norm, written in raw.headers.items() if norm not in known}
    for written in unknown.values():
        hint = closest(written, absent)
        if hint is None:
            out.add(
                "warning", raw.sheet, 1, written, None,
                msg("column '{column}' is not part of the '{sheet}' sheet; it is ignored "
                    "(expected columns: {columns})",
                    column=written, sheet=table_name, columns=Seq(table.column_names)),
            )
        else:
            out.add(
                "warning", raw.sheet, 1, written, None,
                msg("column '{column}' is not part of the '{sheet}' sheet; it is ignored. "
                    "Did you mean '{hint}'? (expected columns: {columns})",
                    column=written, sheet=table_name, hint=hint,
                    columns=Seq(table.column_names)),
            )
    if not raw.headers and frame.empty:
        out.add("note", raw.sheet, None, None, None,
                msg("sheet '{sheet}' is blank (no header row); it is read as empty",
                    sheet=raw.sheet))
        return _empty_parsed(table_name), True
    missing_required = [c.name for c in table.columns if c.required and c.name not in frame]
    if missing_required:
        _missing_columns(raw, table_name, missing_required, list(unknown.values()), out)
        if any(k in missing_required for k in table.key):
            # Rows cannot be told apart: nothing else of the sheet can be checked.
            return _empty_parsed(table_name), False
        # The other columns are still checked, and the rows' ids still count for
        # references, so one renamed column does not hide the sheet's other errors.
    records: list[dict[str, Any]] = []
    parse = _cached_parser()
    present = [c for c in table.columns if c.name in frame]
    rows = frame[[c.name for c in present] + [ROW_COLUMN]].itertuples(index=False, name=None)
    for values in rows:
        excel_row = values[-1]
        record: dict[str, Any] = {c.name: None for c in table.columns}
        record[ROW_COLUMN] = excel_row
        bad = bool(missing_required)
        for col, value in zip(present, values[:-1], strict=True):
            header = raw.headers.get(col.name, col.name)
            if isinstance(value, str) and len(value) > limits.max_cell_chars:
                if (raw.sheet, excel_row, header) not in reported:
                    out.add("error", raw.sheet, excel_row, header, value,
                            cell_too_long(len(value), limits))
                bad = True
                continue
            if value is None and col.required:
                out.add("error", raw.sheet, excel_row, header, None,
                        msg("required value is missing: fill in {column}", column=col.name))
                bad = True
                continue
            try:
                parsed, warnings = parse(col, value)
            except VocabularyError as exc:
                out.add("error", raw.sheet, excel_row, header, value, _error_message(exc))
                bad = True
                continue
            for w in warnings:
                out.add("warning", raw.sheet, excel_row, header, value, w)
            if ((table_name, col.name) in NAME_COLUMNS and isinstance(parsed, str)
                    and len(parsed) > limits.max_name_chars):
                out.add("error", raw.sheet, excel_row, header, value,
                        msg("the name has {length:,} characters; the limit is {limit:,}: keep the "
                            "name itself here and move other text elsewhere, or raise the limit "
                            "with the environment variable {env}",
                            length=len(parsed), limit=limits.max_name_chars,
                            env=Limits.env_var("max_name_chars")))
                bad = True
                continue
            record[col.name] = parsed
        record[BAD_COLUMN] = bad
        records.append(record)
    cols = table.column_names + [ROW_COLUMN, BAD_COLUMN]
    if not records:
        return _empty_parsed(table_name), True
    return pd.DataFrame([[r[c] for c in cols] for r in records], columns=cols, dtype=object), True


def _check_unique(frame: pd.DataFrame, raw: RawTable, table_name: str, out: _Collector) -> pd.DataFrame:
    """Errors for repeated ids / attendance rows; warnings + merge for repeated ties."""
    table = TABLES[table_name]
    if frame.empty:
        return frame
    sheet = raw.sheet
    key = list(table.key)
    column = raw.headers.get(key[0], key[0])
    dup = frame.duplicated(subset=key, keep="first") & frame[key].notna().all(axis=1)
    if not dup.any():
        return frame
    firsts = frame.drop_duplicates(subset=key, keep="first")
    first_rows = {tuple(k): r for k, r in zip(
        firsts[key].itertuples(index=False, name=None), firsts[ROW_COLUMN], strict=True)}
    for values, excel_row in zip(
        frame.loc[dup, key].itertuples(index=False, name=None), frame.loc[dup, ROW_COLUMN],
        strict=True,
    ):
        shown = " / ".join("" if v is None else str(v) for v in values)
        where = first_rows[tuple(values)]
        if table_name == "collaborations":
            out.add(
                "warning", sheet, excel_row, column, shown,
                msg("this collaboration repeats row {row} (same {columns}; A-B and B-A are the "
                    "same tie); the rows are merged, keeping the first row's values and filling "
                    "its blanks from the repeat", row=where, columns=Seq(key)),
            )
        elif table_name == "engagements":
            out.add("warning", sheet, excel_row, column, shown,
                    msg("this engagement repeats row {row} (same {columns}); the rows are merged",
                        row=where, columns=Seq(key)))
        elif table_name == "attendance":
            out.add("error", sheet, excel_row, column, shown,
                    msg("attendance row repeats row {row}; delete one of them", row=where))
        else:
            out.add("error", sheet, excel_row, column, shown,
                    msg("duplicate {column}: the same id is already used in row {row}; "
                        "ids must be unique", column=key[0], row=where))
    if table_name in ("collaborations", "engagements"):
        merged = frame.groupby(key, sort=False, dropna=False).first().reset_index()
        merged[ROW_COLUMN] = [first_rows[tuple(v)] for v in merged[key].itertuples(index=False, name=None)]
        merged = merged.astype(object).where(merged.notna(), None)
        merged[ROW_COLUMN] = merged[ROW_COLUMN].astype("int64")
        return merged[frame.columns]
    return frame.loc[~dup]


def _canonical_collaborations(frame: pd.DataFrame, sheet: str, headers: dict[str, str],
                              out: _Collector) -> pd.DataFrame:
    """Order each pair (org_a < org_b), default the kind, reject self-ties."""
    if frame.empty:
        return frame
    frame = frame.copy()
    self_tie = frame["org_a"] == frame["org_b"]
    for org, excel_row in zip(frame.loc[self_tie, "org_a"], frame.loc[self_tie, ROW_COLUMN], strict=True):
        out.add("error", sheet, excel_row, headers.get("org_b", "org_b"), org,
                msg("a collaboration must link two different organizations; org_a and org_b "
                    "are the same"))
    frame = frame.loc[~self_tie]
    a, b = frame["org_a"], frame["org_b"]
    swap = a > b
    frame.loc[swap, ["org_a", "org_b"]] = frame.loc[swap, ["org_b", "org_a"]].to_numpy()
    frame["kind"] = frame["kind"].map(lambda k: DEFAULT_COLLABORATION_KIND if k is None else k)
    return frame


def _date_order(start: str, end: str) -> bool:
    """True when ``end`` is not before ``start`` (bare years compare as years)."""
    n = min(len(start), len(end))
    return end[:n] >= start[:n]


def _check_dates(frame: pd.DataFrame, raw: RawTable, out: _Collector) -> None:
    """End dates must not be before start dates; the report shows the cell as written."""
    written = dict(zip(raw.frame[ROW_COLUMN], raw.frame["end_date"], strict=True)) \
        if "end_date" in raw.frame else {}
    for start, end, excel_row in frame[["start_date", "end_date", ROW_COLUMN]].itertuples(
        index=False, name=None
    ):
        if start and end and not _date_order(start, end):
            out.add("error", raw.sheet, excel_row, raw.headers.get("end_date", "end_date"),
                    written.get(excel_row, end),
                    msg("end_date {end} is before start_date {start}", end=end, start=start))


def _check_references(frames: dict[str, pd.DataFrame], raws: dict[str, RawTable],
                      readable: set[str], base: Dataset | None, out: _Collector) -> None:
    """Every reference must name an existing id (in the file or in ``base``).

    References into a sheet that is missing or unreadable are not checked:
    that sheet's own error says what to fix, and "does not exist" errors on
    every referring row would bury it.
    """
    ids: dict[str, set] = {}
    for name in ("organizations", "participants", "seminars"):
        key = TABLES[name].key[0]
        own = set(frames[name][key].dropna()) if name in frames else set()
        if base is not None:
            own |= set(base.table(name)[key])
        ids[name] = own
    for name, frame in frames.items():
        for col in TABLES[name].columns:
            if col.ref is None or frame.empty:
                continue
            target, _ = col.ref
            if target not in readable:
                continue
            missing = frame[col.name].notna() & ~frame[col.name].isin(ids[target])
            raw = raws[name]
            for value, excel_row in zip(frame.loc[missing, col.name], frame.loc[missing, ROW_COLUMN],
                                        strict=True):
                if base is not None:
                    message = msg("{column} '{value}' does not exist in the workspace or in sheet "
                                  "'{sheet}'", column=col.name, value=value, sheet=target)
                else:
                    message = msg("{column} '{value}' does not exist in sheet '{sheet}'",
                                  column=col.name, value=value, sheet=target)
                out.add("error", raw.sheet, excel_row, raw.headers.get(col.name, col.name), value,
                        message)


def validate_raw(raw: RawWorkbook, base: Dataset | None = None,
                 limits: Limits | None = None) -> ValidationReport:
    """Validate a workbook already read by :func:`~cso_network.ingest.excel.read_workbook`.

    Parameters
    ----------
    raw : RawWorkbook
        The sheets as read.
    base : Dataset, optional
        What the workspace already holds: references may point to its ids
        (cohorts imported one file at a time).
    limits : Limits, optional
        Cell and name lengths, and how many problems to list; default
        :meth:`Limits.from_env() <cso_network.ingest.limits.Limits.from_env>`.

    Returns
    -------
    ValidationReport
    """
    limits = Limits.from_env() if limits is None else limits
    out = _Collector(raw.file, limits.max_problems)
    for problem in raw.problems:
        out.append(problem)
    raw = _canonical_names(raw, out)
    reported = frozenset((p.sheet, p.row, p.column) for p in raw.problems if p.severity == "error")
    for key, table in raw.tables.items():
        if key not in TABLES:
            out.add("note", table.sheet, None, None, None,
                    msg("sheet '{sheet}' is not one of the master sheets ({sheets}); it is ignored",
                        sheet=table.sheet, sheets=Seq(TABLE_ORDER)))
    missing = [s for s in REQUIRED_SHEETS if s not in raw.tables]
    others = [t.sheet for k, t in raw.tables.items() if k not in TABLES]
    for sheet in missing:
        hint = closest(sheet, others)
        if hint is None:
            out.add("error", sheet, None, None, None,
                    msg("sheet '{sheet}' is missing; the workbook needs the sheets {sheets} "
                        "(collaborations and engagements are optional)",
                        sheet=sheet, sheets=Seq(REQUIRED_SHEETS)))
        else:
            out.add("error", sheet, None, None, None,
                    msg("sheet '{sheet}' is missing; did you mean the sheet '{hint}'? Rename it "
                        "'{sheet}' (the workbook needs the sheets {sheets})",
                        sheet=sheet, hint=hint, sheets=Seq(REQUIRED_SHEETS)))
    parsed: dict[str, pd.DataFrame] = {}
    raws: dict[str, RawTable] = {}
    readable: set[str] = set()
    for name in TABLE_ORDER:
        if name not in raw.tables:
            continue
        raws[name] = raw.tables[name]
        parsed[name], ok = _parse_table(raws[name], name, out, limits, reported)
        if ok:
            readable.add(name)
    # References first, on the cells as written (before ties are reordered).
    _check_references(parsed, raws, readable, base, out)
    frames: dict[str, pd.DataFrame] = {}
    for name, frame in parsed.items():
        rt = raws[name]
        if name not in _ID_TABLES:
            frame = frame.loc[~frame[BAD_COLUMN].astype(bool)]
        if name == "collaborations":
            frame = _canonical_collaborations(frame, rt.sheet, rt.headers, out)
        if name == "seminars" and not frame.empty:
            _check_dates(frame, rt, out)
        frames[name] = _check_unique(frame, rt, name, out)
    dataset = Dataset.from_frames(
        {k: v.loc[~v[BAD_COLUMN].astype(bool)].drop(columns=[ROW_COLUMN, BAD_COLUMN])
         for k, v in frames.items()}
    )
    return ValidationReport(raw.file, dataset, out.problems(), out.omitted)


def validate_workbook(path: str | Path, base: Dataset | None = None,
                      limits: Limits | None = None) -> ValidationReport:
    """Read and validate a master workbook; never raises for bad input.

    Parameters
    ----------
    path : str or Path
        The .xlsx file.
    base : Dataset, optional
        Workspace contents that references may point to.
    limits : Limits, optional
        What the workbook may hold (see :class:`~cso_network.ingest.limits.Limits`);
        default :meth:`Limits.from_env() <cso_network.ingest.limits.Limits.from_env>`.

    Returns
    -------
    ValidationReport
        With ``dataset=None`` when the file cannot be read as a workbook, or
        is beyond ``limits`` (the one problem names the limit).

    Raises
    ------
    CsoNetworkError
        ``limits`` is None and a ``CSO_NETWORK_MAX_...`` environment variable
        is not a whole number (a configuration error, not bad input).
    """
    limits = Limits.from_env() if limits is None else limits
    try:
        raw = read_workbook(path, limits)
    except ValidationError as exc:
        return ValidationReport(Path(path).name, None, exc.problems)
    return validate_raw(raw, base, limits)
