"""Read and write the master workbook (.xlsx), safely.

Reading never raises on bad input: a file that is missing, empty, encrypted,
not a workbook or corrupt becomes a :class:`~cso_network.problems.Problem`
(raised inside a :class:`~cso_network.exceptions.ValidationError`), so every
caller can show the same clear report. Workbooks are opened read-only with
``data_only=True`` (cached values, never formulas) and openpyxl parses XML
through defusedxml, which is a hard dependency of cso-network.

Writing guards against formula injection: a text cell that starts with ``=``
is stored as text, never as a formula.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from cso_network.exceptions import ValidationError
from cso_network.messages import msg
from cso_network.model import TABLE_ORDER, TABLES, Dataset
from cso_network.problems import Problem

__all__ = [
    "RawTable",
    "RawWorkbook",
    "read_workbook",
    "write_workbook",
    "write_template",
    "normalize_header",
    "MAX_WORKBOOK_BYTES",
]

#: Refuse files larger than this (a master workbook of 10,000 organizations is ~3 MB).
MAX_WORKBOOK_BYTES = 50 * 1024 * 1024

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ROW_COLUMN = "__row__"


@dataclass
class RawTable:
    """One sheet as read: cell values as Excel gave them, plus row numbers.

    Attributes
    ----------
    sheet : str
        Sheet name as written in the file.
    frame : pandas.DataFrame
        One row per non-blank Excel row below the header; columns are the
        normalized header names (see :func:`normalize_header`) plus
        ``__row__``, the Excel row number (the header is row 1).
    headers : dict
        Normalized header -> header as written, for error messages.
    """

    sheet: str
    frame: pd.DataFrame
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class RawWorkbook:
    """All sheets of a workbook, keyed by normalized sheet name.

    Attributes
    ----------
    file : str
        The file's name (no folders), used in problem reports.
    tables : dict of str to RawTable
        Normalized sheet name -> sheet.
    problems : list of Problem
        Sheet-level findings made while reading (duplicate headers...).
    """

    file: str
    tables: dict[str, RawTable]
    problems: list[Problem] = field(default_factory=list)


def normalize_header(text: Any) -> str:
    """Normalize a header or sheet name: lower case, spaces and dashes to ``_``.

    Examples
    --------
    >>> normalize_header("  Org ID ")
    'org_id'
    >>> normalize_header("Start-Date")
    'start_date'
    """
    s = "" if text is None else str(text)
    return re.sub(r"[\s\-]+", "_", s.strip().lower())


def _file_problem(file: str, message: str, value: str | None = None) -> ValidationError:
    return ValidationError([Problem("error", file, None, None, None, value, message)])


def _check_file(path: Path) -> None:
    """Raise ValidationError when ``path`` cannot be an .xlsx workbook."""
    name = path.name
    if not path.exists():
        raise _file_problem(name, msg("file not found; check the name and folder"))
    if path.is_dir():
        raise _file_problem(name, msg("this is a folder, not an Excel workbook (.xlsx)"))
    size = path.stat().st_size
    if size == 0:
        raise _file_problem(
            name, msg("the file is empty (0 bytes); expected an Excel workbook (.xlsx)"))
    if size > MAX_WORKBOOK_BYTES:
        raise _file_problem(
            name,
            msg("the file is {size:.0f} MB; the limit is {limit} MiB",
                size=size / 1e6, limit=MAX_WORKBOOK_BYTES // 2**20),
        )
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(_OLE_MAGIC):
        raise _file_problem(
            name,
            msg("the workbook is password-protected (encrypted) or in the old .xls format; "
                "remove the password and save it as an Excel workbook (.xlsx)"),
        )
    if not head.startswith(_ZIP_MAGIC) or not zipfile.is_zipfile(path):
        raise _file_problem(name, msg("not an Excel workbook: expected an .xlsx file"))


def _sheet_rows(ws) -> Iterable[tuple[Any, ...]]:
    return ws.iter_rows(values_only=True)


def _read_sheet(file: str, title: str, rows: Iterable[tuple[Any, ...]]) -> tuple[RawTable, list[Problem]]:
    """Turn a sheet's rows into a RawTable; header is the first row."""
    problems: list[Problem] = []
    it = iter(rows)
    header_row = next(it, None) or ()
    # Trailing blank header cells are not columns.
    header_cells = list(header_row)
    while header_cells and (header_cells[-1] is None or str(header_cells[-1]).strip() == ""):
        header_cells.pop()
    names: list[str | None] = []
    headers: dict[str, str] = {}
    duplicates: set[int] = set()
    for idx, cell in enumerate(header_cells):
        text = "" if cell is None else str(cell).strip()
        norm = normalize_header(text)
        if not norm:
            names.append(None)
            continue
        if norm in headers:
            problems.append(
                Problem(
                    "error", file, title, 1, text, text,
                    msg("column '{column}' appears twice in the header row (column {position}); "
                        "keep one", column=text, position=idx + 1),
                )
            )
            duplicates.add(idx)
            names.append(None)
            continue
        headers[norm] = text
        names.append(norm)
    width = len(names)
    records: list[list[Any]] = []
    row_numbers: list[int] = []
    unnamed_with_data: set[int] = set()
    for offset, row in enumerate(it, start=2):
        values = list(row[:width]) + [None] * max(0, width - len(row))
        values = [v.strip() if isinstance(v, str) else v for v in values]
        values = [None if v == "" else v for v in values]
        extra = [width + j for j, v in enumerate(row[width:])
                 if v is not None and str(v).strip() != ""]
        if all(v is None for v in values) and not extra:
            continue
        for i, name in enumerate(names):
            if name is None and i not in duplicates and values[i] is not None:
                unnamed_with_data.add(i)
        unnamed_with_data.update(extra)
        records.append([v for v, n in zip(values, names, strict=True) if n is not None])
        row_numbers.append(offset)
    for i in sorted(unnamed_with_data):
        letter = _column_letter(i)
        problems.append(
            Problem(
                "warning", file, title, 1, letter, None,
                msg("column {letter} has values but no header; it is ignored", letter=letter),
            )
        )
    cols = [n for n in names if n is not None]
    frame = pd.DataFrame(records, columns=cols, dtype=object) if records else pd.DataFrame(
        {c: pd.Series([], dtype=object) for c in cols}
    )
    frame[ROW_COLUMN] = pd.Series(row_numbers, dtype="int64")
    return RawTable(title, frame, headers), problems


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def read_workbook(path: str | Path) -> RawWorkbook:
    """Read every sheet of an .xlsx workbook.

    Parameters
    ----------
    path : str or Path
        The workbook.

    Returns
    -------
    RawWorkbook
        Sheets keyed by normalized name; values as Excel stored them
        (text, numbers, ``datetime`` for date cells, booleans, ``None``).

    Raises
    ------
    ValidationError
        The file is missing, empty, too large, encrypted, not an .xlsx
        workbook, or corrupt; the single problem says which.
    """
    path = Path(path)
    _check_file(path)
    file = path.name
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (KeyError, zipfile.BadZipFile):
        raise _file_problem(
            file, msg("a zip archive but not an Excel workbook (parts of an .xlsx are missing); "
                      "open it in Excel and save it again as .xlsx"),
        ) from None
    except Exception as exc:  # openpyxl raises many types on corrupt files
        # The exception's own text is technical detail, shown as it is in every language.
        raise _file_problem(
            file, msg("the workbook cannot be opened ({error}: {detail}); "
                      "open it in Excel and save it again as .xlsx",
                      error=type(exc).__name__, detail=str(exc)),
        ) from None
    tables: dict[str, RawTable] = {}
    problems: list[Problem] = []
    try:
        for ws in wb.worksheets:
            try:
                table, sheet_problems = _read_sheet(file, ws.title, _sheet_rows(ws))
            except Exception as exc:
                raise _file_problem(
                    file, msg("sheet '{sheet}' cannot be read ({error}: {detail})",
                              sheet=ws.title, error=type(exc).__name__, detail=str(exc)),
                ) from None
            key = normalize_header(ws.title)
            if key in tables:
                problems.append(
                    Problem(
                        "error", file, ws.title, None, None, None,
                        msg("two sheets are named '{sheet}' (ignoring case and spaces); "
                            "rename one", sheet=ws.title),
                    )
                )
                continue
            tables[key] = table
            problems.extend(sheet_problems)
    finally:
        wb.close()
    return RawWorkbook(file, tables, problems)


# --------------------------------------------------------------------------- writing


def _excel_value(column_kind: str, value: Any) -> Any:
    """Convert a canonical value to what an Excel cell should hold."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if column_kind in ("fields", "practices", "risk_factors"):
        return "; ".join(str(v) for v in value) or None
    if column_kind == "bool":
        return "yes" if value else "no"
    if column_kind == "date":
        text = str(value)
        if len(text) == 4 and text.isdigit():
            return int(text)
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    return value


def _set_text_safe(cell) -> None:
    """Keep strings that look like formulas as text (formula injection guard)."""
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"


def _write_table(ws, table_name: str, frame: pd.DataFrame | None) -> None:
    from openpyxl.styles import Font, PatternFill

    table = TABLES[table_name]
    ws.append(table.column_names)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
    ws.freeze_panes = "A2"
    if frame is not None:
        kinds = [c.kind for c in table.columns]
        # ws.cell() is O(1); ws[ws.max_row] rescans the sheet and made writing quadratic.
        for r, values in enumerate(frame[table.column_names].itertuples(index=False, name=None), 2):
            for j, (kind, value) in enumerate(zip(kinds, values, strict=True), 1):
                shown = _excel_value(kind, value)
                if shown is None:
                    continue
                cell = ws.cell(row=r, column=j, value=shown)
                if isinstance(shown, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                _set_text_safe(cell)
    for idx, col in enumerate(table.columns, start=1):
        width = max(12, min(40, len(col.name) + 4))
        ws.column_dimensions[_column_letter(idx - 1)].width = width


def _write_readme(ws, text: str) -> None:
    from openpyxl.styles import Font

    ws.column_dimensions["A"].width = 110
    for r, line in enumerate(text.splitlines(), 1):
        clean = line.lstrip("#").strip().replace("**", "")
        cell = ws.cell(row=r, column=1, value=clean or None)
        if line.startswith("#") or line.startswith("**"):
            cell.font = Font(bold=True)
        _set_text_safe(cell)


def write_workbook(dataset: Dataset, path: str | Path, readme: str | None = None) -> Path:
    """Write ``dataset`` as a master workbook (one sheet per table).

    Parameters
    ----------
    dataset : Dataset
        Canonical tables.
    path : str or Path
        Where to write (.xlsx); parent folders are created.
    readme : str, optional
        Text for a first ``README`` sheet (Markdown-ish lines; ``#`` headings
        are bolded). The reader ignores this sheet with a note.

    Returns
    -------
    Path
        The written file.
    """
    import openpyxl

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    if readme:
        _write_readme(wb.create_sheet("README"), readme)
    for name in TABLE_ORDER:
        _write_table(wb.create_sheet(name), name, dataset.table(name))
    tmp = path.with_name(path.name + ".part")
    wb.save(tmp)
    tmp.replace(path)
    return path


TEMPLATE_README = """# cso-network master workbook (blank template)
Fill one sheet per table. Row 1 is the header: do not rename or remove these columns.
Sheets seminars, organizations, participants and attendance are required (they may be empty);
collaborations and engagements are optional. This README sheet and the lists sheet are ignored.
Multi-value cells (fields, practices, risk_factors): separate values with ; or , or new lines.
Dates: 2014-05-03, 03.05.2014 or a bare year such as 2014.
Yes/no cells: yes/no (also da/ne, да/не, true/false, 1/0).
Countries: an ISO code (BA, ME, MK, RS, HR, SI, AL, XK) or the name in any script.
Risk factors: numbers 1-14 of the UN Framework of Analysis for Atrocity Crimes, or their titles.
Check the file before importing: cso-network validate FILE

# Columns
"""


def write_template(path: str | Path) -> Path:
    """Write the blank master workbook with instructions and dropdowns.

    Dropdowns (data validation) offer countries, fields, practices, risk
    factors and yes/no; they allow other typing too (multi-value cells),
    so the validator remains the judge.

    Parameters
    ----------
    path : str or Path
        Where to write the template.

    Returns
    -------
    Path
        The written file.
    """
    import openpyxl
    from openpyxl.worksheet.datavalidation import DataValidation

    from cso_network import vocab

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [TEMPLATE_README]
    for table in TABLES.values():
        lines.append(f"## {table.name}: {table.description}")
        for col in table.columns:
            req = " (required)" if col.required else ""
            lines.append(f"{col.name}{req}: {col.description}")
        lines.append("")
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    _write_readme(wb.create_sheet("README"), "\n".join(lines))
    sheets = {name: wb.create_sheet(name) for name in TABLE_ORDER}
    for name, ws in sheets.items():
        _write_table(ws, name, None)
    lists = wb.create_sheet("lists")
    columns = {
        "country": [f"{code}" for code in vocab.REGION],
        "field": list(vocab.FIELDS),
        "practice": list(vocab.PRACTICES),
        "risk_factor": [str(n) for n in vocab.RISK_FACTORS],
        "yes_no": ["yes", "no"],
    }
    for j, (head, values) in enumerate(columns.items(), start=1):
        lists.cell(row=1, column=j, value=head)
        for i, v in enumerate(values, start=2):
            lists.cell(row=i, column=j, value=v)
    lists.sheet_state = "hidden"

    def ref(key: str) -> str:
        j = list(columns).index(key)
        letter = _column_letter(j)
        return f"=lists!${letter}$2:${letter}${len(columns[key]) + 1}"

    kind_to_list = {
        "country": "country",
        "fields": "field",
        "practices": "practice",
        "risk_factors": "risk_factor",
        "bool": "yes_no",
    }
    for name, ws in sheets.items():
        for idx, col in enumerate(TABLES[name].columns):
            key = kind_to_list.get(col.kind)
            if key is None:
                continue
            # Only yes/no is strict: countries may be typed as names in any
            # script and multi-value cells hold several items.
            dv = DataValidation(
                type="list", formula1=ref(key), allow_blank=True,
                showErrorMessage=col.kind == "bool",
                error="Choose a value from the list", errorTitle=col.name,
                prompt=col.description, promptTitle=col.name, showInputMessage=True,
            )
            letter = _column_letter(idx)
            dv.add(f"{letter}2:{letter}2000")
            ws.add_data_validation(dv)
    wb.save(path)
    return path
