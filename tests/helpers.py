"""Helpers shared by several test modules (imported, never collected as tests).

Dash's page registry imports each page as ``pages.<name>``; :func:`page`
and :func:`callback` reach them after :func:`dashboard.app.create_app` ran.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from dash import dcc

from cso_network.core.model import Dataset, frame_from_records
from cso_network.ingest.excel import write_workbook

__all__ = ["ROOT", "DEMO", "ARTIFACTS", "tiny_records", "dataset_from_records", "SheetSpec",
           "write_sheets_to", "minimal_sheets", "bigger_workbook", "store_snapshot",
           "assert_store_unchanged", "hostile_records", "page", "callback", "graphs", "dropdowns", "strings",
           "drawn_figures", "BACKENDS"]


#: The repository's root, the committed demo workbook, and where browser tests put screenshots.
ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo" / "pcrc_demo.xlsx"
ARTIFACTS = ROOT / "test-artifacts"


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


def bigger_workbook(tmp_path: Path) -> Path:
    """tiny plus organization D (HR) with one participant; without tiny's engagement."""
    records = tiny_records()
    records["organizations"].append(
        {"org_id": "D", "name": "Udruga Delta", "country": "HR", "city": "Zagreb",
         "fields": ("transitional justice",), "practices": (), "risk_factors": ()})
    records["participants"].append({"participant_id": "p5", "full_name": "Eva Test", "org_id": "D"})
    records["attendance"].append({"participant_id": "p5", "seminar_id": "S2"})
    records["engagements"] = []
    return write_workbook(dataset_from_records(records), tmp_path / "cohort-new.xlsx")


def hostile_records(names: dict[str, str], city: str | None = None) -> dict[str, list[dict]]:
    """The tiny programme with organizations renamed (and A's city replaced)."""
    records = tiny_records()
    for org in records["organizations"]:
        org["name"] = names.get(org["org_id"], org["name"])
        if city is not None and org["org_id"] == "A":
            org["city"] = city
    return records


def page(name: str):
    """A page module as Dash registered it (create_app imports the pages)."""
    return sys.modules[f"pages.{name}"]


def callback(module: str, name: str):
    func = getattr(page(module), name)
    return getattr(func, "__wrapped__", func)


def graphs(component) -> list:
    """Every dcc.Graph figure in a Dash component tree."""
    found = []
    if isinstance(component, dcc.Graph):
        found.append(component.figure)
    children = getattr(component, "children", None)
    if isinstance(children, (list, tuple)):
        for child in children:
            found += graphs(child)
    elif children is not None and hasattr(children, "to_plotly_json"):
        found += graphs(children)
    return found


def dropdowns(component) -> list:
    """Every dcc.Dropdown in a Dash component tree."""
    found = [component] if isinstance(component, dcc.Dropdown) else []
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if hasattr(child, "to_plotly_json"):
            found += dropdowns(child)
    return found


def strings(value: Any) -> list[str]:
    """Every string in a figure (its JSON form: data, layout, nested lists)."""
    if hasattr(value, "to_plotly_json"):
        value = value.to_plotly_json()
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, (list, tuple)) or type(value).__name__ == "ndarray":
        return [s for v in list(value) for s in strings(v)]
    return []


def drawn_figures(app, orgs: list[str]) -> list:
    """The figures the pages draw, each organization in ``orgs`` focused in turn."""
    drawn = []
    with app.server.test_request_context("/"):
        drawn += graphs(page("overview").layout())
        drawn += graphs(page("gaps")._content("collaborated", None, None))
        drawn += graphs(callback("unogp", "_focal")(None))
        for org in orgs:
            for view, colour in (("geographic", "country"), ("force", "field"),
                                 ("force", "community")):
                drawn.append(callback("network", "_render")(
                    "combined", view, colour, "degree", org, None, None, None, None, None,
                    None)[0])
            drawn += graphs(callback("partners", "_results")(org, "balanced", None, None, None))
            drawn += graphs(page("org").layout(org_id=org))
    return drawn


def store_snapshot(store) -> tuple[dict, list]:
    """Every table of ``store`` (copies) and its import history, to compare after a refusal."""
    from cso_network.core.model import TABLE_ORDER

    data = store.load()
    return {t: data.table(t).copy() for t in TABLE_ORDER}, store.imports()


def assert_store_unchanged(store, before: tuple[dict, list]) -> None:
    """``store`` holds exactly what :func:`store_snapshot` saw: same rows, same history."""
    import pandas as pd

    frames, imports = store_snapshot(store)
    for table, frame in frames.items():
        pd.testing.assert_frame_equal(frame, before[0][table])
    assert imports == before[1]


#: The store's backends, as fixture parameters: SQLite, and PostgreSQL (marked ``postgresql``,
#: so ``-m "not postgresql"`` leaves it out).
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]
