"""Tests for cso_network.ingest.limits: defaults, the environment, and the cell limit shared with the writer.

The headroom figures are those of the 10,000-organization benchmark workbook
(``generate_programme(seed=1, n_orgs=10_000)`` written by ``write_workbook``,
as ``scripts/bench/import.py`` makes it), measured with ``zipfile.infolist()``
and the sheets' ``<dimension>``: 54,480 rows in its largest sheet
(collaborations, header included), 9 columns, 16,907,215 bytes for its largest
part, 33,633,973 bytes unpacked in all, compression at most 11.2 times. They
are restated in docs/data-format.md.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cso_network.core.exceptions import CsoNetworkError, ValidationError
from cso_network.demo.synth import generate_programme
from cso_network.ingest.excel import read_workbook, write_workbook
from cso_network.ingest.limits import ENV_VARS, EXCEL_MAX_CELL_CHARS, MIB, Limits
from cso_network.ingest.validate import validate_workbook
from tests.helpers import dataset_from_records, tiny_records
from tests.ingest.xlsx_parts import HEADERS, master_sheets, rows_xml, write_xlsx

MIB_FIELDS = {"max_file_bytes", "max_uncompressed_bytes", "max_part_bytes"}


# ----------------------------------------------------------------------------- defaults


def test_defaults_leave_three_times_the_benchmark_workbook():
    limits = Limits()
    assert limits.max_rows >= 3 * 54_480
    assert limits.max_columns >= 3 * 9
    assert limits.max_part_bytes >= 3 * 16_907_215
    assert limits.max_uncompressed_bytes >= 3 * 33_633_973
    assert limits.max_compression_ratio >= 3 * 11.2
    assert limits.max_file_bytes >= 3 * 3_292_990  # the file itself


def test_defaults_are_the_documented_ones():
    assert Limits() == Limits(
        max_file_bytes=50 * MIB, max_uncompressed_bytes=256 * MIB, max_part_bytes=64 * MIB,
        max_compression_ratio=100, max_rows=200_000, max_columns=100, max_cell_chars=32_767,
        max_name_chars=300, max_problems=1_000)
    assert Limits().max_file_bytes == 50 * 2**20


def test_a_generated_programme_passes_the_default_limits(tmp_path):
    programme = generate_programme(seed=1, n_orgs=300)
    path = write_workbook(programme.dataset, tmp_path / "programme.xlsx")
    report = validate_workbook(path, limits=Limits())
    assert report.ok, report.problems[:3]
    assert report.dataset.counts() == programme.dataset.counts()


def test_every_variable_is_documented():
    text = (Path(__file__).resolve().parents[2] / "docs" / "data-format.md").read_text(
        encoding="utf-8")
    assert [v for v in ENV_VARS.values() if v not in text] == []


# ----------------------------------------------------------------------------- the environment


def _spaces():
    return st.text(alphabet=" \t", max_size=3)


@given(field=st.sampled_from(sorted(ENV_VARS)), number=st.integers(1, 10**18 - 1),
       before=_spaces(), after=_spaces())
def test_from_env_reads_whole_numbers_and_mebibytes(field, number, before, after):
    if field == "max_cell_chars":
        number = number % EXCEL_MAX_CELL_CHARS + 1
    limits = Limits.from_env({ENV_VARS[field]: f"{before}{number}{after}"})
    expected = number * MIB if field in MIB_FIELDS else number
    assert getattr(limits, field) == expected
    # The other fields keep their defaults.
    assert {f: getattr(limits, f) for f in ENV_VARS if f != field} == {
        f: getattr(Limits(), f) for f in ENV_VARS if f != field}


_NOT_A_NUMBER = st.text(max_size=12).filter(
    lambda t: t.strip() != "" and not re.fullmatch(r"\s*[0-9]+\s*", t))


@given(field=st.sampled_from(sorted(ENV_VARS)),
       text=st.one_of(_NOT_A_NUMBER, st.sampled_from(["0", "-5", "1.5", "10MB", "1e6", "1_000",
                                                       "0000"])))
def test_from_env_refuses_anything_else_naming_the_variable(field, text):
    with pytest.raises(CsoNetworkError) as info:
        Limits.from_env({ENV_VARS[field]: text})
    message = str(info.value)
    assert message.startswith(f"environment variable {ENV_VARS[field]} is '{text}'")
    assert "expected a whole number of at least 1" in message


@given(text=st.sampled_from(["", " ", "\t"]))
def test_an_empty_variable_counts_as_unset(text):
    assert Limits.from_env({v: text for v in ENV_VARS.values()}) == Limits()


def test_the_cell_limit_cannot_pass_excel():
    with pytest.raises(CsoNetworkError, match="an Excel cell holds at most 32767 characters"):
        Limits.from_env({"CSO_NETWORK_MAX_CELL_CHARS": "32768"})
    with pytest.raises(CsoNetworkError, match="an Excel cell holds at most 32767 characters"):
        Limits(max_cell_chars=32_768)
    assert Limits.from_env({"CSO_NETWORK_MAX_CELL_CHARS": "32767"}).max_cell_chars == 32_767


def test_unrelated_variables_are_ignored():
    assert Limits.from_env({"CSO_NETWORK_MAX_SOMETHING": "x", "PATH": "/bin"}) == Limits()


@pytest.mark.parametrize("value", [0, -1, True, 1.5, "10"])
def test_limits_refuse_values_that_are_not_whole_numbers(value):
    with pytest.raises(CsoNetworkError, match="limit max_rows is"):
        Limits(max_rows=value)


def test_reading_with_a_bad_variable_is_a_clear_error(tmp_path, monkeypatch, tiny_workbook):
    monkeypatch.setenv("CSO_NETWORK_MAX_ROWS", "many")
    with pytest.raises(CsoNetworkError, match="CSO_NETWORK_MAX_ROWS is 'many'"):
        validate_workbook(tiny_workbook)


def test_the_file_size_refusal_names_its_variable(tmp_path):
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(2_000_000))
    with pytest.raises(ValidationError) as info:
        read_workbook(path, Limits(max_file_bytes=MIB))
    [problem] = info.value.problems
    assert problem.message == ("the file is 2 MB; the limit is 1 MiB (raise it with the "
                               "environment variable CSO_NETWORK_MAX_FILE_MB)")


# ----------------------------------------------------------------------------- one cell limit


def _with_note(note: str):
    records = tiny_records()
    records["collaborations"][0]["note"] = note
    return dataset_from_records(records)


def test_a_note_of_32767_characters_survives_export_and_import(tmp_path):
    note = ("Bilješka o saradnji, čćžšđ; " * 1_200)[:EXCEL_MAX_CELL_CHARS]
    assert len(note) == 32_767
    path = write_workbook(_with_note(note), tmp_path / "export.xlsx")
    report = validate_workbook(path)
    assert report.ok, report.problems
    assert list(report.dataset.collaborations["note"]) == [note]


def test_the_writer_refuses_a_note_of_32768_characters_rather_than_cut_it(tmp_path):
    path = tmp_path / "export.xlsx"
    with pytest.raises(ValidationError) as info:
        write_workbook(_with_note("n" * 32_768), path)
    [problem] = info.value.problems
    assert (problem.file, problem.sheet, problem.row, problem.column) == (
        "export.xlsx", "collaborations", 2, "note")
    assert problem.message == (
        "the text has 32,768 characters, more than the 32,767 an Excel cell holds; the workbook "
        "is not written, as the cell would be cut: shorten the text first")
    assert not path.exists() and list(tmp_path.iterdir()) == []


def test_a_note_of_32768_characters_is_refused_on_import(tmp_path):
    orgs = [HEADERS["organizations"], ["A", "Alfa", "BA"], ["B", "Beta", "ME"]]
    ties = [HEADERS["collaborations"], ["A", "B", None, None, None, "n" * 32_768]]
    path = write_xlsx(tmp_path / "long.xlsx", master_sheets(
        organizations=rows_xml(orgs), collaborations=rows_xml(ties)))
    report = validate_workbook(path)
    [error] = report.errors
    assert (error.sheet, error.row, error.column) == ("collaborations", 2, "note")
    assert error.message == ("the cell holds 32,768 characters; the limit is 32,767 (an Excel "
                             "cell holds at most 32,767): shorten it")


def test_a_lower_cell_limit_applies_to_every_cell(tmp_path):
    path = write_workbook(_with_note("n" * 200), tmp_path / "export.xlsx")
    report = validate_workbook(path, limits=Limits(max_cell_chars=100))
    assert [(p.sheet, p.row, p.column) for p in report.errors] == [("collaborations", 2, "note")]
    assert "the limit is 100" in report.errors[0].message


def test_a_name_at_the_limit_is_accepted_and_one_more_is_not(tmp_path):
    records = tiny_records()
    records["organizations"][0]["name"] = "A" * 300
    records["participants"][0]["full_name"] = "P" * 301
    path = write_workbook(dataset_from_records(records), tmp_path / "names.xlsx")
    report = validate_workbook(path)
    assert [(p.sheet, p.row, p.column) for p in report.errors] == [("participants", 2, "full_name")]
    assert report.errors[0].message.startswith("the name has 301 characters; the limit is 300")
    loose = validate_workbook(path, limits=Limits(max_name_chars=301))
    assert loose.ok
