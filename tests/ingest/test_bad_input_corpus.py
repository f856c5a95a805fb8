"""Hostile workbooks: small files that unpack to too much, refused with a clear problem.

Every file here is built by the test, in ``tmp_path``, straight as zip parts
and sheet XML (never through openpyxl, which would be slow for a million rows
and cuts long cells): nothing of it is committed. Each is checked to give a
:class:`ValidationError` (or an error in the report) whose problem names the
file, the sheet (and row and column where known), the limit crossed and the
environment variable that raises it, and that nothing else is raised.

Expected figures are worked out from what each builder writes: e.g. a sheet
of 1,000,000 rows against the default limit of 200,000 rows, or a declared
part size of 4 GiB against 64 MiB.
"""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from cso_network.core.exceptions import ValidationError
from cso_network.core.problems import Problem
from cso_network.ingest.excel import read_workbook
from cso_network.ingest.limits import ENV_VARS, MIB, Limits
from cso_network.ingest.validate import validate_workbook
from tests.ingest.xlsx_parts import (
    HEADERS,
    MAIN,
    cell_xml,
    master_sheets,
    row_xml,
    rows_xml,
    sheet_xml,
    write_xlsx,
)


def repeated(unit: bytes, times: int, block: int = 10_000) -> Iterator[bytes]:
    """``unit`` ``times`` times, in blocks (fast to write, never all in memory)."""
    chunk = unit * block
    for _ in range(times // block):
        yield chunk
    yield unit * (times % block)


def million_rows(dimension: str | None) -> Iterator[bytes]:
    """An organizations sheet of a header and 1,000,000 identical rows (no ``r`` attributes)."""
    header = row_xml(HEADERS["organizations"])
    same = row_xml(["A", "Alfa", "BA", "Tuzla"]).encode()
    return sheet_xml(_chain(header.encode(), repeated(same, 1_000_000)), dimension)


#: Limits that let a million-row sheet past the archive checks, to reach the sheet checks.
ROOMY = Limits(max_part_bytes=1024 * MIB, max_uncompressed_bytes=1024 * MIB,
               max_compression_ratio=10**6)


def _chain(first: bytes, rest: Iterable[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def declare_size(path: Path, part: str, size: int) -> None:
    """Make the central directory declare ``size`` unpacked bytes for ``part`` (a lie)."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")  # the first central directory header
    while at != -1:
        name_len, = struct.unpack_from("<H", data, at + 28)
        name = bytes(data[at + 46: at + 46 + name_len]).decode()
        if name == part:
            struct.pack_into("<I", data, at + 24, size)
            path.write_bytes(bytes(data))
            return
        at = data.find(b"PK\x01\x02", at + 46)
    raise AssertionError(f"{part} not in {path}")


# ----------------------------------------------------------------------------- checking refusals


def refusal(path: Path, limits: Limits | None = None) -> Problem:
    """The one problem ``read_workbook`` raises, checked to agree with ``validate_workbook``."""
    with pytest.raises(ValidationError) as info:
        read_workbook(path, limits)
    [problem] = info.value.problems
    report = validate_workbook(path, limits=limits)
    assert report.dataset is None and report.problems == [problem]
    assert problem.severity == "error" and problem.file == path.name
    return problem


def names_limit(problem: Problem, field: str, limit: str) -> None:
    """The message says the limit and the environment variable that raises it."""
    assert f"the limit is {limit}" in problem.message
    assert ENV_VARS[field] in problem.message


@pytest.fixture
def openpyxl_never_opens(monkeypatch):
    """Fail if openpyxl is asked to open the workbook: the refusal must come first."""
    import openpyxl

    def refuse(*_args, **_kwargs):
        raise AssertionError("openpyxl.load_workbook was called")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


# ----------------------------------------------------------------------------- the corpus


def test_a_million_identical_rows_are_refused_unread(tmp_path, openpyxl_never_opens):
    path = write_xlsx(tmp_path / "million.xlsx",
                      master_sheets(organizations=million_rows("A1:D1000001")))
    assert path.stat().st_size < 2 * MIB  # small on disk
    with zipfile.ZipFile(path) as zf:
        unpacked = zf.getinfo("xl/worksheets/sheet2.xml").file_size
    assert unpacked > 64 * MIB
    problem = refusal(path)
    assert (problem.sheet, problem.value) == ("organizations", "xl/worksheets/sheet2.xml")
    assert f"unpacks to {unpacked / MIB:,.0f} MiB" in problem.message
    names_limit(problem, "max_part_bytes", "64 MiB per part")


def test_a_million_rows_declared_by_the_dimension_are_refused(tmp_path, openpyxl_never_opens):
    path = write_xlsx(tmp_path / "million.xlsx",
                      master_sheets(organizations=million_rows("A1:D1000001")))
    assert path.stat().st_size < 2 * MIB  # small on disk
    problem = refusal(path, ROOMY)
    assert (problem.sheet, problem.row, problem.column) == ("organizations", None, None)
    assert "the sheet has 1,000,001 rows or more" in problem.message
    names_limit(problem, "max_rows", "200,000 rows per sheet")


def test_a_million_rows_without_a_dimension_are_counted_and_refused(tmp_path, openpyxl_never_opens):
    path = write_xlsx(tmp_path / "million.xlsx",
                      master_sheets(organizations=million_rows(None)))
    problem = refusal(path, ROOMY)
    assert problem.sheet == "organizations"
    # Counting stops within a chunk (1 MiB, under 7,000 rows here) of the limit.
    rows = int(re.search(r"the sheet has ([\d,]+) rows or more", problem.message)[1].replace(",", ""))
    assert 200_000 < rows < 207_000
    names_limit(problem, "max_rows", "200,000 rows per sheet")


def test_a_lying_dimension_does_not_hide_rows_beyond_the_limit(tmp_path):
    rows = [HEADERS["attendance"]] + [[f"p{i}", "S1"] for i in range(1, 50)]
    path = write_xlsx(tmp_path / "lying.xlsx",
                      master_sheets(attendance=sheet_xml(rows_xml(rows), "A1:B3")))
    problem = refusal(path, Limits(max_rows=10))
    assert problem.sheet == "attendance"
    assert "the sheet has 50 rows or more" in problem.message  # all 50 counted in one chunk
    names_limit(problem, "max_rows", "10 rows per sheet")


def test_rows_far_below_are_caught_while_reading(tmp_path):
    # Two row elements (the scan counts 2), but the second is row 50: the
    # reader would produce 48 blank rows before it; it stops at row 11.
    body = rows_xml([HEADERS["attendance"]]) + row_xml(["p1", "S1"], 50)
    path = write_xlsx(tmp_path / "gap.xlsx",
                      master_sheets(attendance=sheet_xml(body, "A1:B2")))
    problem = refusal(path, Limits(max_rows=10))
    assert (problem.sheet, problem.row) == ("attendance", 11)
    names_limit(problem, "max_rows", "10 rows per sheet")


def test_a_small_lying_dimension_does_not_cut_the_data(tmp_path):
    # Some programs write <dimension ref="A1"/> for every sheet; every row and column is read.
    rows = [HEADERS["collaborations"], ["A", "B", "joint project", "2014", "survey", "first"],
            ["A", "C", None, None, None, "second"]]
    path = write_xlsx(tmp_path / "a1.xlsx",
                      master_sheets(collaborations=sheet_xml(rows_xml(rows), "A1")))
    frame = read_workbook(path).tables["collaborations"].frame
    assert list(frame["note"]) == ["first", "second"]
    assert list(frame["__row__"]) == [2, 3]


def test_more_columns_than_allowed_declared_by_the_dimension(tmp_path, openpyxl_never_opens):
    path = write_xlsx(tmp_path / "wide.xlsx",
                      master_sheets(organizations=sheet_xml(rows_xml([HEADERS["organizations"]]),
                                                            "A1:XFD3")))
    problem = refusal(path)
    assert problem.sheet == "organizations"
    assert "the sheet has 16,384 columns or more" in problem.message
    names_limit(problem, "max_columns", "100 columns")


def test_a_row_of_more_cells_than_allowed_is_refused_before_parsing(tmp_path, openpyxl_never_opens):
    wide = HEADERS["organizations"] + [f"extra {i}" for i in range(200)]
    path = write_xlsx(tmp_path / "wide.xlsx",
                      master_sheets(organizations=sheet_xml(row_xml(wide), "A1:H1")))
    problem = refusal(path)
    assert problem.sheet == "organizations"
    assert "the sheet has 208 columns or more" in problem.message
    names_limit(problem, "max_columns", "100 columns")


def test_a_far_cell_is_caught_while_reading(tmp_path):
    # One cell, but in column XFD: the row would be 16,384 values wide.
    body = rows_xml([HEADERS["attendance"]]) + f'<row r="2">{cell_xml("x", "XFD2")}</row>'
    path = write_xlsx(tmp_path / "far.xlsx", master_sheets(attendance=sheet_xml(body)))
    problem = refusal(path)
    assert (problem.sheet, problem.row, problem.column) == ("attendance", 2, "XFD")
    assert "the sheet has 16,384 columns or more" in problem.message
    names_limit(problem, "max_columns", "100 columns")


def test_a_huge_shared_string_is_refused_before_openpyxl_reads_it(tmp_path, openpyxl_never_opens):
    huge = _chain(f'<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>'.encode(),
                  _chain(b"", [*repeated(b"a", 3 * MIB, block=MIB), b"</t></si></sst>"]))
    path = write_xlsx(tmp_path / "sst.xlsx", master_sheets(), shared_strings=huge)
    problem = refusal(path, Limits(max_part_bytes=2 * MIB))
    assert problem.value == "xl/sharedStrings.xml" and problem.sheet is None
    assert "part xl/sharedStrings.xml of the workbook unpacks to 3.0 MiB" in problem.message
    names_limit(problem, "max_part_bytes", "2 MiB per part")


def test_a_part_declaring_more_than_the_limit_is_refused_unread(tmp_path, openpyxl_never_opens):
    path = write_xlsx(tmp_path / "declared.xlsx", master_sheets())
    declare_size(path, "xl/worksheets/sheet2.xml", 4 * 2**30 - 1)
    problem = refusal(path)
    assert (problem.sheet, problem.value) == ("organizations", "xl/worksheets/sheet2.xml")
    assert "unpacks to 4,096 MiB" in problem.message
    names_limit(problem, "max_part_bytes", "64 MiB per part")


def test_a_part_holding_more_than_it_declares_is_not_read_beyond_it(tmp_path, openpyxl_never_opens):
    # zipfile stops at the declared size and finds the checksum wrong: the part is never
    # unpacked beyond what the size checks passed.
    rows = [HEADERS["attendance"]] + [[f"p{i}", "S1"] for i in range(1, 50)]
    path = write_xlsx(tmp_path / "short.xlsx", master_sheets(attendance=rows_xml(rows)))
    declare_size(path, "xl/worksheets/sheet4.xml", 100)
    problem = refusal(path)
    assert problem.message.startswith("the workbook cannot be opened (BadZipFile: Bad CRC-32")
    assert problem.message.endswith("open it in Excel and save it again as .xlsx")


def test_the_declared_total_is_limited(tmp_path, openpyxl_never_opens):
    filler = rows_xml([HEADERS["attendance"]]) + row_xml(["p1", "S1"]) * 7_000  # ~0.6 MiB
    sheets = master_sheets(attendance=filler, collaborations=filler)
    path = write_xlsx(tmp_path / "total.xlsx", sheets)
    with zipfile.ZipFile(path) as zf:
        total = sum(i.file_size for i in zf.infolist())
    assert MIB < total < 1.5 * MIB
    problem = refusal(path, Limits(max_uncompressed_bytes=MIB))
    assert problem.sheet is None
    assert f"the workbook unpacks to {total / MIB:.1f} MiB" in problem.message
    names_limit(problem, "max_uncompressed_bytes", "1 MiB")


def test_a_part_compressed_hundreds_of_times_is_refused(tmp_path, openpyxl_never_opens):
    same = row_xml(["p1", "S1"]).encode()
    body = sheet_xml(_chain(row_xml(HEADERS["attendance"]).encode(), repeated(same, 60_000)))
    path = write_xlsx(tmp_path / "ratio.xlsx", master_sheets(attendance=body))
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet4.xml")
    assert info.file_size > 100 * info.compress_size and info.file_size > MIB
    problem = refusal(path)
    assert problem.sheet == "attendance"
    assert "is compressed" in problem.message
    names_limit(problem, "max_compression_ratio", "100 times")


def test_a_compression_excel_does_not_use_is_refused(tmp_path, openpyxl_never_opens):
    path = write_xlsx(tmp_path / "bz2.xlsx", master_sheets(), method=zipfile.ZIP_BZIP2)
    problem = refusal(path)
    assert "compressed in a way Excel does not use" in problem.message


def test_a_cell_of_40000_characters_is_an_error_at_its_place(tmp_path):
    rows = [HEADERS["collaborations"], ["A", "B", None, None, None, "x" * 40_000]]
    orgs = [HEADERS["organizations"], ["A", "Alfa", "BA"], ["B", "Beta", "ME"]]
    path = write_xlsx(tmp_path / "long.xlsx", master_sheets(
        organizations=rows_xml(orgs), collaborations=rows_xml(rows)))
    report = validate_workbook(path)
    [error] = report.errors  # said once, by the reader, not again by the validator
    assert (error.sheet, error.row, error.column) == ("collaborations", 2, "note")
    assert error.message == ("the cell holds 40,000 characters; the limit is 32,767 (an Excel cell "
                             "holds at most 32,767): shorten it")
    assert error.value == "x" * 100 + "…"
    assert report.dataset.collaborations.empty  # the row is left out
    with pytest.raises(ValidationError) as info:
        report.raise_for_errors()
    assert error in info.value.problems


def test_a_long_cell_in_an_ignored_column_is_still_an_error(tmp_path):
    rows = [HEADERS["organizations"] + ["remarks"], ["A", "Alfa", "BA"] + [None] * 5 + ["y" * 33_000]]
    path = write_xlsx(tmp_path / "long.xlsx", master_sheets(organizations=rows_xml(rows)))
    errors = validate_workbook(path).errors
    assert [(p.sheet, p.row, p.column) for p in errors] == [("organizations", 2, "remarks")]


def test_a_name_of_5000_characters_is_an_error(tmp_path):
    orgs = [HEADERS["organizations"], ["A", "N" * 5_000, "BA"]]
    path = write_xlsx(tmp_path / "name.xlsx", master_sheets(organizations=rows_xml(orgs)))
    report = validate_workbook(path)
    [error] = report.errors
    assert (error.sheet, error.row, error.column) == ("organizations", 2, "name")
    assert "the name has 5,000 characters" in error.message
    names_limit(error, "max_name_chars", "300")
    assert report.dataset.organizations.empty


def test_too_many_problems_are_capped_with_a_note(tmp_path):
    # 1,500 rows of the same organization: 1,499 duplicate-id errors.
    orgs = [HEADERS["organizations"]] + [["A", "Alfa", "BA"]] * 1_500
    path = write_xlsx(tmp_path / "dupes.xlsx", master_sheets(organizations=rows_xml(orgs)))
    report = validate_workbook(path)
    assert len(report.problems) == 1_001 and report.omitted == 499
    assert [p.row for p in report.problems[:1_000]] == list(range(3, 1_003))
    note = report.problems[-1]
    assert (note.severity, note.sheet, note.row) == ("note", None, None)
    assert note.message == (
        "499 more problems were found but not listed (a report lists at most 1,000; raise it with "
        "the environment variable CSO_NETWORK_MAX_PROBLEMS); fix these first and check again")
    assert not report.ok


def test_the_problem_cap_keeps_errors_before_warnings(tmp_path):
    # 3 unknown-column warnings on row 1 and 4 duplicate-id errors; 2 listed: the first 2 errors.
    orgs = [HEADERS["organizations"] + ["x1", "x2", "x3"]] + [["A", "Alfa", "BA"]] * 5
    path = write_xlsx(tmp_path / "mixed.xlsx", master_sheets(organizations=rows_xml(orgs)))
    report = validate_workbook(path, limits=Limits(max_problems=2))
    assert [(p.severity, p.row) for p in report.problems] == [
        ("error", 3), ("error", 4), ("note", None)]
    assert report.omitted == 5
    assert report.problems[-1].message.startswith("5 more problems were found but not listed")


def test_a_single_omitted_problem_is_said_in_the_singular(tmp_path):
    orgs = [HEADERS["organizations"]] + [["A", "Alfa", "BA"]] * 3
    path = write_xlsx(tmp_path / "two.xlsx", master_sheets(organizations=rows_xml(orgs)))
    report = validate_workbook(path, limits=Limits(max_problems=1))
    assert report.problems[-1].message.startswith("1 more problem was found but not listed")


def test_limits_come_from_the_environment_by_default(tmp_path, monkeypatch):
    rows = [HEADERS["attendance"]] + [[f"p{i}", "S1"] for i in range(1, 30)]
    path = write_xlsx(tmp_path / "env.xlsx", master_sheets(attendance=rows_xml(rows)))
    monkeypatch.setenv("CSO_NETWORK_MAX_ROWS", "20")
    problem = refusal(path)
    names_limit(problem, "max_rows", "20 rows per sheet")
    monkeypatch.setenv("CSO_NETWORK_MAX_ROWS", "30")
    assert len(read_workbook(path).tables["attendance"].frame) == 29
