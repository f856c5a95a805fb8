"""Small, named fixtures shared by the tests.

``tiny_dataset``: three organizations in BA/ME/RS, two seminars, one tie.
``write_sheets``: writes a workbook cell by cell (for deliberately bad input).
``fresh_store``: an empty in-memory store.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from cso_network.io.excel import write_workbook
from cso_network.model import Dataset, frame_from_records
from cso_network.store import Store

# Debian's chromium for dash[testing]'s browser fixture.
if os.path.exists("/usr/bin/chromium"):
    os.environ.setdefault("DASH_TEST_CHROMEPATH", "/usr/bin/chromium")


def tiny_records() -> dict[str, list[dict[str, Any]]]:
    """Three organizations (BA, ME, RS), two seminars, four people, one tie, one engagement."""
    return {
        "seminars": [
            {"seminar_id": "S1", "city": "Sarajevo", "country": "BA",
             "start_date": "2012-05-03", "end_date": "2012-05-06"},
            {"seminar_id": "S2", "city": "Budva", "country": "ME",
             "start_date": "2013-06-10", "end_date": "2013-06-12"},
        ],
        "organizations": [
            {"org_id": "A", "name": "Udruženje Alfa", "country": "BA", "city": "Tuzla",
             "fields": ("human rights", "law"), "practices": ("advocacy",), "risk_factors": (1, 8)},
            {"org_id": "B", "name": "NVO Beta", "country": "ME", "city": "Podgorica",
             "fields": ("peacebuilding",), "practices": (), "risk_factors": (9,)},
            {"org_id": "C", "name": "Центар Гама", "country": "RS", "city": "Niš",
             "fields": ("law",), "practices": ("legal aid",), "risk_factors": ()},
        ],
        "participants": [
            {"participant_id": "p1", "full_name": "Ana Test", "org_id": "A", "consent_contact": True},
            {"participant_id": "p2", "full_name": "Bojan Test", "org_id": "B", "consent_contact": False},
            {"participant_id": "p3", "full_name": "Cveta Test", "org_id": "C"},
            {"participant_id": "p4", "full_name": "Dino Test", "org_id": "A"},
        ],
        "attendance": [
            {"participant_id": "p1", "seminar_id": "S1"},
            {"participant_id": "p2", "seminar_id": "S1"},
            {"participant_id": "p3", "seminar_id": "S2"},
            {"participant_id": "p4", "seminar_id": "S2"},
        ],
        "collaborations": [
            {"org_a": "A", "org_b": "C", "kind": "joint project", "since": "2014",
             "source": "follow-up survey"},
        ],
        "engagements": [
            {"org_id": "B", "kind": "briefing", "date": "2015-03-01"},
        ],
    }


def dataset_from_records(records: dict[str, list[dict[str, Any]]]) -> Dataset:
    """Build a canonical Dataset from ``{table: [row dicts]}``."""
    return Dataset.from_frames({t: frame_from_records(t, rows) for t, rows in records.items()})


@pytest.fixture
def tiny_dataset() -> Dataset:
    return dataset_from_records(tiny_records())


@pytest.fixture
def tiny_workbook(tmp_path: Path, tiny_dataset: Dataset) -> Path:
    return write_workbook(tiny_dataset, tmp_path / "tiny.xlsx")


@pytest.fixture
def fresh_store() -> Store:
    store = Store.memory()
    yield store
    store.dispose()


SheetSpec = dict[str, list[list[Any]]]


def write_sheets_to(path: Path, sheets: SheetSpec) -> Path:
    """Write ``{sheet: [header row, row, ...]}`` cell by cell (no checking)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def write_sheets(tmp_path: Path) -> Callable[..., Path]:
    """Return ``write(sheets, name="bad.xlsx") -> Path``."""

    def write(sheets: SheetSpec, name: str = "bad.xlsx") -> Path:
        return write_sheets_to(tmp_path / name, sheets)

    return write


def minimal_sheets() -> SheetSpec:
    """A valid workbook as raw rows: edit a copy to make one thing wrong."""
    return {
        "seminars": [["seminar_id", "city", "country", "start_date", "end_date"],
                     ["S1", "Sarajevo", "Bosna i Hercegovina", "03.05.2012", "06.05.2012"]],
        "organizations": [["org_id", "name", "country", "city", "type", "fields", "practices",
                           "risk_factors"],
                          ["A", "Alfa", "BA", "Tuzla", "association", "human rights; law",
                           "advocacy", "1, 8"],
                          ["B", "Beta", "Crna Gora", "Budva", None, "peacebuilding", None, 9]],
        "participants": [["participant_id", "full_name", "org_id", "role", "gender", "email",
                          "phone", "consent_contact", "consent_directory"],
                         ["p1", "Ana Test", "A", None, None, "ana@example.org", None, "da", "ne"],
                         ["p2", "Bojan Test", "B", None, None, None, None, "yes", None]],
        "attendance": [["participant_id", "seminar_id"], ["p1", "S1"], ["p2", "S1"]],
        "collaborations": [["org_a", "org_b", "kind", "since", "source", "note"],
                           ["A", "B", "joint project", 2014, "survey", None]],
        "engagements": [["org_id", "kind", "date", "note"], ["A", "briefing", "2015", None]],
    }


@pytest.fixture
def sheets() -> SheetSpec:
    return minimal_sheets()
