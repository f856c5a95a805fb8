"""The blank template, in English and BCS: both read by import, yes/no typed any accepted way."""

from __future__ import annotations

import openpyxl
import pytest
from typer.testing import CliRunner

from cso_network.cli import app
from cso_network.ingest.excel import write_template
from cso_network.ingest.template import column_header, sheet_name
from cso_network.ingest.validate import validate_workbook
from cso_network.vocab.tables import BOOL_SPELLINGS


def _fill(path, lang: str, consent: str):
    """One seminar, organization, participant and attendance row, typed into the template."""
    wb = openpyxl.load_workbook(path)
    rows = {
        "seminars": ["S1", "Sarajevo", "BiH", "03.05.2012", None],
        "organizations": ["A", "Udruženje Alfa", "Crna Gora", "Budva", None, "ljudska prava",
                          None, "1, 8"],
        "participants": ["p1", "Ana Test", "A", None, None, None, None, consent, consent],
        "attendance": ["p1", "S1"],
    }
    for table, row in rows.items():
        wb[sheet_name(table, lang)].append(row)
    wb.save(path)
    return path


@pytest.mark.parametrize("lang", ["en", "bs"])
def test_the_template_is_read_back_in_either_language(tmp_path, lang):
    path = write_template(tmp_path / f"t-{lang}.xlsx", lang=lang)
    wb = openpyxl.load_workbook(path)
    assert wb["organizations" if lang == "en" else "organizacije"]["B1"].value == (
        "name" if lang == "en" else "naziv")
    empty = validate_workbook(path)
    assert empty.ok and empty.dataset.is_empty()
    report = validate_workbook(_fill(path, lang, "da"))
    assert report.ok, report.errors
    people = report.dataset.participants
    assert people["consent_contact"].tolist() == [True]
    assert report.dataset.organizations["country"].tolist() == ["ME"]
    assert report.dataset.organizations["fields"].tolist() == [("human rights",)]


def test_the_bcs_template_speaks_bcs():
    assert sheet_name("participants", "bs") == "ucesnici"
    assert column_header("participants", "consent_contact", "bs") == "saglasnost_za_kontakt"


@pytest.mark.parametrize("lang", ["en", "bs"])
def test_yes_no_dropdowns_accept_every_spelling_the_reader_does(tmp_path, lang):
    path = write_template(tmp_path / "t.xlsx", lang=lang)
    ws = openpyxl.load_workbook(path)[sheet_name("participants", lang)]
    validations = ws.data_validations.dataValidation
    consent = [dv for dv in validations if "H2" in str(dv.sqref) or "I2" in str(dv.sqref)]
    assert consent and all(not dv.showErrorMessage for dv in consent)
    for spelling in [*BOOL_SPELLINGS[True], *BOOL_SPELLINGS[False]]:
        report = validate_workbook(_fill(write_template(tmp_path / f"{spelling}.xlsx", lang=lang),
                                         lang, spelling))
        assert report.ok, (spelling, report.errors)


def test_cli_template_lang(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["template", "--lang", "bs", "--out", str(tmp_path / "bs.xlsx")])
    assert result.exit_code == 0
    assert "organizacije" in openpyxl.load_workbook(tmp_path / "bs.xlsx").sheetnames
    bad = runner.invoke(app, ["template", "--lang", "de", "--out", str(tmp_path / "de.xlsx")])
    assert bad.exit_code == 2 and not (tmp_path / "de.xlsx").exists()
