"""Tests for cso_network.ingest.excel: reading any file safely, headers, rows, writing.

Every expected value (sheet, Excel row, column letter or header, message) is
worked out by hand from the few rows each test writes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from cso_network.core.exceptions import ValidationError
from cso_network.core.model import Dataset
from cso_network.core.problems import Problem
from cso_network.ingest.excel import ROW_COLUMN, normalize_header, read_workbook, write_workbook
from cso_network.ingest.validate import validate_workbook

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


# ----------------------------------------------------------------- files that are not workbooks


def _text_file(path: Path) -> None:
    path.write_text("org_id;name\nA;Alfa\n", encoding="utf-8")


def _random_bytes(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 4)


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _encrypted(path: Path) -> None:
    # Excel saves password-protected workbooks as OLE compound files.
    path.write_bytes(OLE_MAGIC + b"\x00junk junk junk" * 40)


def _zip_without_workbook(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "a zip archive, but no workbook parts in it")


def _truncated_xlsx(path: Path) -> None:
    buf = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.append(["org_id", "name"])
    wb.save(buf)
    data = buf.getvalue()
    path.write_bytes(data[: len(data) // 2])  # starts with PK\x03\x04, central directory lost


def _folder(path: Path) -> None:
    path.mkdir()


def _missing(path: Path) -> None:
    pass


BAD_FILES = [
    pytest.param(_text_file, "not an Excel workbook", id="text-renamed-xlsx"),
    pytest.param(_random_bytes, "not an Excel workbook", id="random-bytes"),
    pytest.param(_empty, "empty (0 bytes)", id="empty-0-bytes"),
    pytest.param(_encrypted, "password-protected (encrypted)", id="encrypted-ole"),
    pytest.param(_zip_without_workbook, "not an Excel workbook", id="zip-without-workbook-parts"),
    pytest.param(_truncated_xlsx, "not an Excel workbook", id="truncated-xlsx"),
    pytest.param(_missing, "file not found", id="missing-file"),
    pytest.param(_folder, "folder, not an Excel workbook", id="folder"),
]


@pytest.mark.parametrize(("make", "fragment"), BAD_FILES)
def test_bad_file_gives_one_file_level_error(
    tmp_path: Path, make: Callable[[Path], None], fragment: str
) -> None:
    path = tmp_path / "records.xlsx"
    make(path)
    report = validate_workbook(path)  # must not raise
    assert report.dataset is None
    assert not report.ok
    assert len(report.problems) == 1
    p = report.problems[0]
    assert (p.severity, p.file, p.sheet, p.row, p.column) == (
        "error", "records.xlsx", None, None, None,
    )
    assert fragment in p.message
    # The message tells the user what is expected (or what to do).
    assert ".xlsx" in p.message or "not found" in p.message


@pytest.mark.parametrize(("make", "fragment"), BAD_FILES)
def test_read_workbook_raises_validation_error_with_the_same_problem(
    tmp_path: Path, make: Callable[[Path], None], fragment: str
) -> None:
    path = tmp_path / "records.xlsx"
    make(path)
    with pytest.raises(ValidationError) as info:
        read_workbook(path)
    [p] = info.value.problems
    assert p.severity == "error" and p.sheet is None and fragment in p.message


def test_encrypted_message_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "locked.xlsx"
    _encrypted(path)
    [p] = validate_workbook(path).problems
    assert p.message == (
        "the workbook is password-protected (encrypted) or in the old .xls format; "
        "remove the password and save it as an Excel workbook (.xlsx)"
    )


# ----------------------------------------------------------------- headers


def _problems(report) -> list[tuple]:
    return [(p.severity, p.sheet, p.row, p.column, p.value) for p in report.problems]


def test_duplicate_header_is_an_error_on_row_1(write_sheets, sheets) -> None:
    sheets["attendance"] = [
        ["participant_id", "seminar_id", "Seminar ID"],
        ["p1", "S1", "S1"],
        ["p2", "S1", None],
    ]
    report = validate_workbook(write_sheets(sheets))
    errors = [p for p in report.problems if p.severity == "error"]
    assert [(p.sheet, p.row, p.column, p.value) for p in errors] == [
        ("attendance", 1, "Seminar ID", "Seminar ID"),
    ]
    assert "appears twice in the header row (column 3)" in errors[0].message
    # The first column of that name is the one read.
    assert report.dataset.attendance.to_dict("records") == [
        {"participant_id": "p1", "seminar_id": "S1"},
        {"participant_id": "p2", "seminar_id": "S1"},
    ]


def test_duplicate_header_is_reported_once(write_sheets, sheets) -> None:
    sheets["attendance"] = [
        ["participant_id", "seminar_id", "Seminar ID"],
        ["p1", "S1", "S1"],
    ]
    report = validate_workbook(write_sheets(sheets))
    assert _problems(report) == [("error", "attendance", 1, "Seminar ID", "Seminar ID")]


def test_column_with_values_but_no_header_is_a_warning(write_sheets, sheets) -> None:
    sheets["attendance"] = [
        ["participant_id", None, "seminar_id"],
        ["p1", "late", "S1"],
        ["p2", None, "S1"],
    ]
    report = validate_workbook(write_sheets(sheets))
    assert report.ok
    assert _problems(report) == [("warning", "attendance", 1, "B", None)]
    assert report.problems[0].message == "column B has values but no header; it is ignored"
    # The column after the gap is still read as seminar_id.
    assert report.dataset.attendance["seminar_id"].tolist() == ["S1", "S1"]


def test_blank_header_column_without_values_is_silent(write_sheets, sheets) -> None:
    sheets["attendance"] = [["participant_id", None, "seminar_id"], ["p1", None, "S1"]]
    report = validate_workbook(write_sheets(sheets))
    assert report.problems == []


def test_values_beyond_the_header_name_their_own_column(write_sheets, sheets) -> None:
    sheets["attendance"] = [["participant_id", "seminar_id"], ["p1", "S1", None, "note"]]
    report = validate_workbook(write_sheets(sheets))
    assert _problems(report) == [("warning", "attendance", 1, "D", None)]


def test_headers_and_sheet_names_match_case_and_space_insensitively(
    write_sheets, sheets
) -> None:
    valid = validate_workbook(write_sheets(sheets, "valid.xlsx")).dataset
    sheets["organizations"][0] = [
        "Org ID", " NAME ", "Country", "city", "Type", "Fields", "practices", "Risk-Factors",
    ]
    sheets["Organizations "] = sheets.pop("organizations")
    path = write_sheets(sheets)
    raw = read_workbook(path)
    table = raw.tables["organizations"]
    assert table.sheet == "Organizations "
    assert table.headers["org_id"] == "Org ID"
    assert table.headers["name"] == "NAME"
    assert table.headers["risk_factors"] == "Risk-Factors"
    report = validate_workbook(path)
    assert report.problems == []
    pd.testing.assert_frame_equal(report.dataset.organizations, valid.organizations)


def test_problems_name_the_header_as_written(write_sheets, sheets) -> None:
    sheets["organizations"][0][2] = "Country "
    sheets["organizations"].append(["C", "Gama", "Narnia"])
    report = validate_workbook(write_sheets(sheets))
    assert _problems(report) == [("error", "organizations", 4, "Country", "Narnia")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Org ID", "org_id"), ("  start-date ", "start_date"), ("RISK  FACTORS", "risk_factors")],
)
def test_normalize_header(text: str, expected: str) -> None:
    assert normalize_header(text) == expected


# ----------------------------------------------------------------- rows


def test_blank_rows_are_skipped_and_row_numbers_stay_excel_rows(write_sheets, sheets) -> None:
    blank = [None] * 8
    orgs = sheets["organizations"]
    # Excel rows: 1 header, 2 A, 3 blank, 4 blank (spaces only), 5 B, 6 C.
    orgs.insert(2, blank)
    orgs.insert(3, ["  ", None, " "])
    orgs.append(["C", "Gama", "Narnia"])
    path = write_sheets(sheets)
    frame = read_workbook(path).tables["organizations"].frame
    assert frame["org_id"].tolist() == ["A", "B", "C"]
    assert frame[ROW_COLUMN].tolist() == [2, 5, 6]
    report = validate_workbook(path)
    assert _problems(report) == [("error", "organizations", 6, "country", "Narnia")]


def test_cells_are_stripped_and_blank_text_is_none(write_sheets, sheets) -> None:
    sheets["participants"][1][1] = "  Ana Test  "
    sheets["participants"][1][3] = "   "
    frame = read_workbook(write_sheets(sheets)).tables["participants"].frame
    assert frame.loc[0, "full_name"] == "Ana Test"
    assert frame.loc[0, "role"] is None


def test_header_only_sheet_reads_as_empty_frame(write_sheets, sheets) -> None:
    sheets["attendance"] = [["participant_id", "seminar_id"]]
    frame = read_workbook(write_sheets(sheets)).tables["attendance"].frame
    assert list(frame.columns) == ["participant_id", "seminar_id", ROW_COLUMN]
    assert len(frame) == 0


def test_raw_values_keep_excel_types(write_sheets, sheets) -> None:
    raw = read_workbook(write_sheets(sheets))
    orgs = raw.tables["organizations"].frame
    assert orgs.loc[1, "risk_factors"] == 9 and isinstance(orgs.loc[1, "risk_factors"], int)
    assert raw.tables["collaborations"].frame.loc[0, "since"] == 2014
    assert raw.file == "bad.xlsx"
    assert raw.problems == []


# ----------------------------------------------------------------- writing


def test_formula_injection_guard_writes_text_and_reads_it_back(
    tmp_path: Path, tiny_dataset: Dataset
) -> None:
    orgs = tiny_dataset.organizations.copy()
    orgs.loc[0, "name"] = '=HYPERLINK("x")'
    dataset = Dataset.from_frames({**tiny_dataset.frames(), "organizations": orgs})
    path = write_workbook(dataset, tmp_path / "guard.xlsx")

    wb = openpyxl.load_workbook(path)
    ws = wb["organizations"]
    assert ws["B1"].value == "name"
    cell = ws["B2"]
    assert cell.value == '=HYPERLINK("x")'
    assert cell.data_type == "s"
    wb.close()

    report = validate_workbook(path)
    assert report.problems == []
    assert report.dataset.organizations.loc[0, "name"] == '=HYPERLINK("x")'


def test_write_then_read_round_trips_the_tiny_dataset(
    tiny_workbook: Path, tiny_dataset: Dataset
) -> None:
    report = validate_workbook(tiny_workbook)
    assert report.problems == []
    for name, frame in tiny_dataset.frames().items():
        pd.testing.assert_frame_equal(report.dataset.table(name), frame, obj=name)


def test_written_cells_hold_excel_forms(tiny_workbook: Path) -> None:
    wb = openpyxl.load_workbook(tiny_workbook)
    orgs = wb["organizations"]
    assert [c.value for c in orgs[1]] == [
        "org_id", "name", "country", "city", "type", "fields", "practices", "risk_factors",
    ]
    assert orgs["F2"].value == "human rights; law"
    assert orgs["H2"].value == "1; 8"
    assert wb["collaborations"]["D2"].value == 2014  # a bare year is written as a number
    assert wb["participants"]["H3"].value == "no"
    wb.close()


def test_readme_sheet_is_written_first_and_ignored_with_a_note(
    tmp_path: Path, tiny_dataset: Dataset
) -> None:
    path = write_workbook(tiny_dataset, tmp_path / "r.xlsx", readme="# Synthetic\nNot real.")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "README"
    wb.close()
    report = validate_workbook(path)
    assert [(p.severity, p.sheet, p.row) for p in report.problems] == [("note", "README", None)]
    assert report.ok


def test_problem_str_names_the_location() -> None:
    p = Problem("error", "x.xlsx", "organizations", 7, "country", "Narnia", "unknown country")
    assert str(p) == (
        "error: x.xlsx, sheet 'organizations', row 7, column 'country': unknown country "
        "(value: 'Narnia')"
    )
