"""Read and write the master workbook (.xlsx), safely.

Reading never raises on bad input: a file that is missing, empty, encrypted,
not a workbook or corrupt becomes a :class:`~cso_network.core.problems.Problem`
(raised inside a :class:`~cso_network.core.exceptions.ValidationError`), so every
caller can show the same clear report. Workbooks are opened read-only with
``data_only=True`` (cached values, never formulas) and openpyxl parses XML
through defusedxml, which is a hard dependency of cso-network.

A small file can unpack to far more than it looks (a zip bomb, a million
repeated rows, one cell of a gigabyte), so reading is bounded by
:class:`~cso_network.ingest.limits.Limits`, in three steps:

1. before openpyxl opens the file, the sizes the archive declares for its
   parts (each and in total) and their compression ratios are checked
   (:mod:`zipfile` never unpacks a part beyond its declared size);
2. each sheet's XML is then streamed once without building it: its
   ``<dimension>`` (read from the first kilobytes) and its count of rows and
   of cells per row are checked, so a sheet too large is refused before it is
   parsed;
3. while rows are read, the row number, the row's width and each cell's
   length are checked again (a ``<dimension>`` may lie; the reader ignores it
   and reads every row the sheet holds).

A refusal is a :class:`~cso_network.core.exceptions.ValidationError` whose one
problem names the file, the sheet (and row and column where known), the limit
and the environment variable that raises it. A cell longer than the cell limit
is an error problem of the workbook (every such cell is listed), not a refusal.

Writing guards against formula injection: a text cell that starts with ``=``
is stored as text, never as a formula; and it refuses a text longer than an
Excel cell holds (:data:`~cso_network.ingest.limits.EXCEL_MAX_CELL_CHARS`) rather
than let it be cut.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from cso_network.core.exceptions import ValidationError
from cso_network.core.messages import Message, msg
from cso_network.core.model import TABLE_ORDER, TABLES, Dataset
from cso_network.core.problems import Problem
from cso_network.ingest.limits import (
    EXCEL_MAX_CELL_CHARS,
    MIB,
    RATIO_FLOOR_BYTES,
    Limits,
)

__all__ = [
    "RawTable",
    "RawWorkbook",
    "read_workbook",
    "write_workbook",
    "write_template",
    "normalize_header",
    "cell_too_long",
    "short_value",
    "SHOWN_CHARS",
]

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
    head_rows : tuple of tuple
        The sheet's first rows as written (the header row first), so a
        reader of the sheet can tell a title row above the real header.
    """

    sheet: str
    frame: pd.DataFrame
    headers: dict[str, str] = field(default_factory=dict)
    head_rows: tuple[tuple[Any, ...], ...] = ()


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


def _file_problem(file: str, message: str, value: str | None = None,
                  sheet: str | None = None, row: int | None = None,
                  column: str | None = None) -> ValidationError:
    return ValidationError([Problem("error", file, sheet, row, column, value, message)])


def _mib(n: int) -> str:
    """Bytes as MiB for messages: ``'1,024'``, ``'1.5'``."""
    value = n / MIB
    return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:,.1f}"


def _check_file(path: Path, limits: Limits) -> None:
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
    if size > limits.max_file_bytes:
        raise _file_problem(
            name,
            msg("the file is {size:.0f} MB; the limit is {limit} MiB (raise it with the "
                "environment variable {env})",
                size=size / 1e6, limit=_mib(limits.max_file_bytes),
                env=Limits.env_var("max_file_bytes")),
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


# --------------------------------------------------------------------------- limits before parsing

#: Decompressed bytes of a sheet read to find its ``<dimension>`` (it comes before the rows).
_HEAD_BYTES = 64 * 1024
_CHUNK_BYTES = 1 << 20
#: The root element, and the namespace prefix the sheet's tags carry (``<x:worksheet>``).
_ROOT = re.compile(rb"<(?:([A-Za-z_][\w.-]{0,31}):)?worksheet[\s>/]")
_DIMENSION = re.compile(rb'<(?:[A-Za-z_][\w.-]{0,31}:)?dimension\s[^>]*?ref\s*=\s*["\']([^"\']{1,40})["\']')
_SHEET_DATA = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,31}:)?sheetData[\s>/]")
#: Longer than any row or cell start tag that the scan looks for.
_TAG_MAX = 64
_WORKSHEET_PART = re.compile(r"(?:^|/)worksheets/[^/]+\.xml$", re.IGNORECASE)


def _sheet_titles(zf: zipfile.ZipFile) -> dict[str, str]:
    """Archive part name -> sheet title, from ``xl/workbook.xml`` and its relationships.

    Read with defusedxml; an empty dict when the parts are missing or odd
    (the reader then names a sheet by its part).
    """
    from defusedxml import ElementTree as SafeET

    try:
        workbook = SafeET.fromstring(zf.read("xl/workbook.xml"))
        rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except Exception:  # a missing or damaged part: openpyxl reports it later
        return {}
    targets: dict[str, str] = {}
    for rel in rels.iter():
        if str(rel.tag).endswith("Relationship") and rel.get("Id") and rel.get("Target"):
            target = str(rel.get("Target"))
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))
            targets[str(rel.get("Id"))] = part
    titles: dict[str, str] = {}
    for sheet in workbook.iter():
        if not str(sheet.tag).endswith("}sheet"):
            continue
        rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
        if rid in targets and sheet.get("name") is not None:
            titles[targets[rid]] = str(sheet.get("name"))
    return titles


def _limit_problem(file: str, message: Message, *, sheet: str | None = None,
                   row: int | None = None, column: str | None = None,
                   value: str | None = None) -> ValidationError:
    return _file_problem(file, message, value, sheet, row, column)


def _rows_message(rows: int, limits: Limits) -> Message:
    return msg("the sheet has {rows:,} rows or more; the limit is {limit:,} rows per sheet "
               "(header and blank rows included): delete unused rows or split the workbook, "
               "or raise the limit with the environment variable {env}",
               rows=rows, limit=limits.max_rows, env=Limits.env_var("max_rows"))


def _columns_message(columns: int, limits: Limits) -> Message:
    return msg("the sheet has {columns:,} columns or more; the limit is {limit:,} columns "
               "(empty formatted cells count): delete unused columns, or raise the limit "
               "with the environment variable {env}",
               columns=columns, limit=limits.max_columns, env=Limits.env_var("max_columns"))


def _check_archive(path: Path, file: str, limits: Limits) -> None:
    """Refuse a workbook whose parts are too large, before openpyxl reads any of them.

    Checks, in order: each part's declared unpacked size, compression method
    and compression ratio; the declared total; then each sheet's dimension,
    row count and widest row (:func:`_scan_sheet`).
    """
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            sizes = {i.filename: i.file_size for i in infos}
            small = all(sizes.get(part, 0) <= limits.max_part_bytes
                        for part in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"))
            titles = _sheet_titles(zf) if small else {}
            total = 0
            for info in infos:
                sheet = titles.get(info.filename)
                if info.file_size > limits.max_part_bytes:
                    raise _limit_problem(
                        file, msg("part {part} of the workbook unpacks to {size} MiB; the limit is "
                                  "{limit} MiB per part (raise it with the environment variable "
                                  "{env})", part=info.filename, size=_mib(info.file_size),
                                  limit=_mib(limits.max_part_bytes),
                                  env=Limits.env_var("max_part_bytes")),
                        sheet=sheet, value=info.filename)
                if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                    raise _limit_problem(
                        file, msg("part {part} of the workbook is compressed in a way Excel does "
                                  "not use; open the file in Excel and save it again as .xlsx",
                                  part=info.filename),
                        sheet=sheet, value=info.filename)
                if info.file_size > RATIO_FLOOR_BYTES and (
                        info.file_size > limits.max_compression_ratio * max(info.compress_size, 1)):
                    raise _limit_problem(
                        file, msg("part {part} of the workbook is compressed {ratio:,.0f} times; "
                                  "the limit is {limit:,} times, beyond which a file is treated "
                                  "as a zip bomb (raise it with the environment variable {env})",
                                  part=info.filename,
                                  ratio=info.file_size / max(info.compress_size, 1),
                                  limit=limits.max_compression_ratio,
                                  env=Limits.env_var("max_compression_ratio")),
                        sheet=sheet, value=info.filename)
                total += info.file_size
            if total > limits.max_uncompressed_bytes:
                raise _limit_problem(
                    file, msg("the workbook unpacks to {size} MiB; the limit is {limit} MiB "
                              "(raise it with the environment variable {env})",
                              size=_mib(total), limit=_mib(limits.max_uncompressed_bytes),
                              env=Limits.env_var("max_uncompressed_bytes")))
            for info in infos:
                if info.filename in titles or _WORKSHEET_PART.search(info.filename):
                    _scan_sheet(zf, info, file, titles.get(info.filename, info.filename), limits)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError,
            NotImplementedError) as exc:
        # A damaged or encrypted part (zipfile checks each part's CRC and declared size).
        raise _file_problem(
            file, msg("the workbook cannot be opened ({error}: {detail}); "
                      "open it in Excel and save it again as .xlsx",
                      error=type(exc).__name__, detail=str(exc)),
        ) from None


def _scan_sheet(zf: zipfile.ZipFile, info: zipfile.ZipInfo, file: str, sheet: str,
                limits: Limits) -> None:
    """Refuse a sheet with too many rows or too wide a row, without parsing its XML.

    The declared ``<dimension>`` (if any, in the first :data:`_HEAD_BYTES`)
    refuses a sheet at once; then the part is streamed and its row start
    tags counted, stopping at the first limit crossed. Cells are counted in a
    row only when it is long enough to hold more than ``limits.max_columns``
    of them (the shortest cell, ``<c/>``, is 4 bytes). Every start tag begins
    with ``<`` and holds no other ``<``, so a chunk is cut at its last ``<``
    and the rest carried over; the counts are exact for tags written as
    Excel writes them.
    """
    with zf.open(info) as fh:
        head = b""
        while len(head) < _HEAD_BYTES and not _SHEET_DATA.search(head):
            piece = fh.read(_HEAD_BYTES - len(head))
            if not piece:
                break
            head += piece
        data_at = _SHEET_DATA.search(head)
        dim = _DIMENSION.search(head, 0, data_at.start() if data_at else len(head))
        if dim:
            _check_dimension(dim.group(1), file, sheet, limits)
        root = _ROOT.search(head)
        prefix = root.group(1) + b":" if root and root.group(1) else b""
        # The sheet's own prefix, as a literal: several times faster to search for.
        row_tag = re.compile(b"<" + re.escape(prefix) + rb"row[\s>/]")
        needles = [b"<" + prefix + b"c" + end for end in (b" ", b">", b"/", b"\t", b"\n", b"\r")]

        loose = b"<" + prefix + b"c"  # also finds <color>...: never fewer than the cells

        def count_cells(segment: bytes) -> int:
            return sum(segment.count(needle) for needle in needles)

        wide = 4 * limits.max_columns
        rows = 0
        cells = 0  # in the row that runs on into the next chunk
        carry = b""
        chunk = head
        while True:
            last = not chunk
            buf = carry + chunk
            cut = len(buf) if last else buf.rfind(b"<")
            if cut < 0 or len(buf) - cut > _TAG_MAX:
                cut = len(buf)
            segments = row_tag.split(buf[:cut])
            carry = buf[cut:]
            if len(segments) > 1:
                # segments[0] ends the row begun in an earlier chunk; segments[-1] may go on.
                widest = cells + count_cells(segments[0])
                for segment in segments[1:-1]:
                    if len(segment) > wide and segment.count(loose) > limits.max_columns:
                        widest = max(widest, count_cells(segment))
                if widest > limits.max_columns:
                    raise _limit_problem(file, _columns_message(widest, limits), sheet=sheet)
                rows += len(segments) - 1
                if rows > limits.max_rows:
                    raise _limit_problem(file, _rows_message(rows, limits), sheet=sheet)
                cells = 0
            cells += count_cells(segments[-1])
            if cells > limits.max_columns:
                raise _limit_problem(file, _columns_message(cells, limits), sheet=sheet)
            if last:
                return
            chunk = fh.read(_CHUNK_BYTES)


def _check_dimension(ref: bytes, file: str, sheet: str, limits: Limits) -> None:
    """Refuse a sheet whose declared ``<dimension ref="A1:D1000000"/>`` is beyond the limits."""
    from openpyxl.utils.cell import range_boundaries

    try:
        _min_col, _min_row, max_col, max_row = range_boundaries(ref.decode("ascii").upper())
    except (ValueError, TypeError, UnicodeDecodeError):
        return  # an odd dimension is ignored, as the rows are counted anyway
    if max_row is not None and max_row > limits.max_rows:
        raise _limit_problem(file, _rows_message(max_row, limits), sheet=sheet)
    if max_col is not None and max_col > limits.max_columns:
        raise _limit_problem(file, _columns_message(max_col, limits), sheet=sheet)


def _sheet_rows(ws) -> Iterable[tuple[Any, ...]]:
    # The declared <dimension> may be wrong (some programs write "A1" for every
    # sheet); openpyxl would then cut rows and columns to it. Read what is there:
    # _read_sheet bounds it.
    reset = getattr(ws, "reset_dimensions", None)
    if reset is not None:
        reset()
    return ws.iter_rows(values_only=True)


#: Characters of a value a problem shows; a longer value is cut, with "…".
SHOWN_CHARS = 100


def short_value(text: str) -> str:
    """``text`` as a problem shows it: its first :data:`SHOWN_CHARS` characters, then "…".

    >>> short_value("x" * 150) == "x" * 100 + "…"
    True
    """
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


def cell_too_long(length: int, limits: Limits) -> Message:
    """What a problem says of a cell of ``length`` characters, beyond ``limits.max_cell_chars``."""
    return msg("the cell holds {length:,} characters; the limit is {limit:,} (an Excel cell holds "
               "at most {most:,}): shorten it", length=length, limit=limits.max_cell_chars,
               most=EXCEL_MAX_CELL_CHARS)


def _long_cell(file: str, title: str, row: int, column: str, text: str,
               limits: Limits) -> Problem:
    return Problem("error", file, title, row, column, short_value(text), cell_too_long(len(text), limits))


#: How many first rows of a sheet :class:`RawTable` keeps as written.
HEAD_ROWS = 6


def _read_sheet(file: str, title: str, rows: Iterable[tuple[Any, ...]],
                limits: Limits | None = None) -> tuple[RawTable, list[Problem]]:
    """Turn a sheet's rows into a RawTable; header is the first row.

    Rows beyond ``limits.max_rows`` or wider than ``limits.max_columns``
    raise :class:`ValidationError`; each cell longer than
    ``limits.max_cell_chars`` is an error problem (its text stays in the
    frame, for the validator to skip).
    """
    limits = Limits() if limits is None else limits
    problems: list[Problem] = []
    it = iter(rows)

    def bounded(row: tuple[Any, ...] | None, number: int) -> tuple[Any, ...]:
        if number > limits.max_rows:
            raise _limit_problem(file, _rows_message(number, limits), sheet=title, row=number)
        row = row or ()
        if len(row) > limits.max_columns:
            width = len(row)
            raise _limit_problem(file, _columns_message(width, limits), sheet=title, row=number,
                                 column=_column_letter(width - 1))
        return row

    header_row = bounded(next(it, None), 1)
    head_rows: list[tuple[Any, ...]] = [tuple(header_row)]
    # Trailing blank header cells are not columns.
    header_cells = list(header_row)
    while header_cells and (header_cells[-1] is None or str(header_cells[-1]).strip() == ""):
        header_cells.pop()
    for idx, cell in enumerate(header_cells):
        if isinstance(cell, str) and len(cell) > limits.max_cell_chars:
            problems.append(_long_cell(file, title, 1, _column_letter(idx), cell, limits))
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
    for offset, raw_row in enumerate(it, start=2):
        row = bounded(raw_row, offset)
        if offset <= HEAD_ROWS:
            head_rows.append(tuple(row))
        for j, v in enumerate(row):
            if isinstance(v, str) and len(v) > limits.max_cell_chars:
                name = names[j] if j < width else None
                column = headers[name] if name is not None else _column_letter(j)
                problems.append(_long_cell(file, title, offset, column, v, limits))
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
    return RawTable(title, frame, headers, tuple(head_rows)), problems


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def read_workbook(path: str | Path, limits: Limits | None = None) -> RawWorkbook:
    """Read every sheet of an .xlsx workbook, within ``limits``.

    Parameters
    ----------
    path : str or Path
        The workbook.
    limits : Limits, optional
        What the workbook may hold; default :meth:`Limits.from_env()
        <cso_network.ingest.limits.Limits.from_env>` (the defaults, changed by the
        ``CSO_NETWORK_MAX_...`` environment variables).

    Returns
    -------
    RawWorkbook
        Sheets keyed by normalized name; values as Excel stored them
        (text, numbers, ``datetime`` for date cells, booleans, ``None``).
        Cells longer than ``limits.max_cell_chars`` are error problems in
        ``problems``.

    Raises
    ------
    ValidationError
        The file is missing, empty, too large, encrypted, not an .xlsx
        workbook, or corrupt, or it unpacks to more than ``limits`` allow
        (parts too large or too compressed, a sheet with too many rows or
        columns); the single problem says which, and names the environment
        variable that raises a limit.
    CsoNetworkError
        ``limits`` is None and a ``CSO_NETWORK_MAX_...`` environment variable
        is not a whole number.
    """
    limits = Limits.from_env() if limits is None else limits
    path = Path(path)
    _check_file(path, limits)
    file = path.name
    _check_archive(path, file, limits)
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
                table, sheet_problems = _read_sheet(file, ws.title, _sheet_rows(ws), limits)
            except ValidationError:
                raise
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


def _too_long_to_write(file: str, sheet: str, row: int, column: str, text: str) -> Problem:
    return Problem(
        "error", file, sheet, row, column, short_value(text),
        msg("the text has {length:,} characters, more than the {most:,} an Excel cell holds; "
            "the workbook is not written, as the cell would be cut: shorten the text first",
            length=len(text), most=EXCEL_MAX_CELL_CHARS),
    )


def _write_table(ws, table_name: str, frame: pd.DataFrame | None, file: str = "",
                 problems: list[Problem] | None = None,
                 headers: list[str] | None = None) -> None:
    """Write one table; texts longer than an Excel cell holds go to ``problems``, unwritten.

    ``headers`` are the header row's names (default: the columns' own).
    """
    from openpyxl.styles import Font, PatternFill

    table = TABLES[table_name]
    ws.append(headers or table.column_names)
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
                if isinstance(shown, str) and len(shown) > EXCEL_MAX_CELL_CHARS:
                    # openpyxl would cut it silently; an export read back must hold the same text.
                    if problems is not None:
                        problems.append(_too_long_to_write(
                            file, table_name, r, table.column_names[j - 1], shown))
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

    Raises
    ------
    ValidationError
        A text is longer than an Excel cell holds
        (:data:`~cso_network.ingest.limits.EXCEL_MAX_CELL_CHARS`, the reader's
        limit too); one problem per such cell (sheet, row, column), and
        nothing is written, rather than a workbook whose cells were cut.
    """
    import openpyxl

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    if readme:
        _write_readme(wb.create_sheet("README"), readme)
    problems: list[Problem] = []
    for name in TABLE_ORDER:
        _write_table(wb.create_sheet(name), name, dataset.table(name), path.name, problems)
    if problems:
        raise ValidationError(problems)
    tmp = path.with_name(path.name + ".part")
    wb.save(tmp)
    tmp.replace(path)
    return path


def write_template(path: str | Path, lang: str = "en") -> Path:
    """Write the blank master workbook with instructions and dropdowns, in English or BCS.

    Dropdowns (data validation) offer countries, fields, practices, risk
    factors and yes/no; they allow other typing too (multi-value cells,
    every yes/no spelling the reader accepts), so the validator remains the
    judge. The BCS template (``lang="bs"``) names its sheets and columns in
    BCS (the first names of :data:`~cso_network.vocab.tables.SHEET_ALIASES`
    and :data:`~cso_network.vocab.tables.COLUMN_ALIASES`), which the reader
    reads like the English ones; its instructions are in BCS.

    Parameters
    ----------
    path : str or Path
        Where to write the template.
    lang : {"en", "bs"}
        The template's language.

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    ValueError
        An unknown ``lang``.
    """
    import openpyxl
    from openpyxl.worksheet.datavalidation import DataValidation

    from cso_network import vocab
    from cso_network.ingest.template import (
        TEMPLATE_LANGUAGES,
        column_description,
        column_header,
        instructions,
        sheet_name,
    )

    if lang not in TEMPLATE_LANGUAGES:
        raise ValueError(f"unknown template language {lang!r}; choose one of: "
                         f"{', '.join(TEMPLATE_LANGUAGES)}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    _write_readme(wb.create_sheet("README"), instructions(lang))
    sheets = {name: wb.create_sheet(sheet_name(name, lang)) for name in TABLE_ORDER}
    for name, ws in sheets.items():
        _write_table(ws, name, None,
                     headers=[column_header(name, c, lang) for c in TABLES[name].column_names])
    lists = wb.create_sheet("lists")
    columns = {
        "country": [f"{code}" for code in vocab.REGION],
        "field": list(vocab.FIELDS),
        "practice": list(vocab.PRACTICES),
        "risk_factor": [str(n) for n in vocab.RISK_FACTORS],
        "yes_no": ["da", "ne"] if lang == "bs" else ["yes", "no"],
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
            # Suggestions, not rules: countries may be typed as names in any
            # script, multi-value cells hold several items, and yes/no has more
            # spellings (da/ne, да/не, true/false...) than a list can show.
            header = column_header(name, col.name, lang)
            dv = DataValidation(
                type="list", formula1=ref(key), allow_blank=True, showErrorMessage=False,
                prompt=column_description(name, col.name, lang)[:255],
                promptTitle=header[:32], showInputMessage=True,
            )
            letter = _column_letter(idx)
            dv.add(f"{letter}2:{letter}2000")
            ws.add_data_validation(dv)
    wb.save(path)
    return path
