"""Tests for cso_network.ingest.validate: every failure the issue names, one at a time.

Each case starts from the valid ``sheets`` workbook (conftest) and makes ONE
thing wrong. Where the wrong thing is a new row, the row is one no other sheet
refers to, so the expected report is exactly one problem. Rows of ``sheets``
(Excel row numbers; the header is row 1):

- seminars: 2 S1 (BA, 03.05.2012-06.05.2012)
- organizations: 2 A (BA), 3 B (Crna Gora)
- participants: 2 p1 (org A, da/ne), 3 p2 (org B, yes/blank)
- attendance: 2 p1-S1, 3 p2-S1
- collaborations: 2 A-B joint project 2014
- engagements: 2 A briefing 2015
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from cso_network.core.model import TABLE_ORDER, TABLES, Dataset, frame_from_records
from cso_network.ingest.validate import ValidationReport, validate_workbook

Sheets = dict[str, list[list[Any]]]


def _validate(write_sheets, sheets: Sheets, base: Dataset | None = None) -> ValidationReport:
    return validate_workbook(write_sheets(sheets), base=base)


def _located(report: ValidationReport, severity: str | None = None) -> list[tuple]:
    return [
        (p.severity, p.sheet, p.row, p.column, p.value)
        for p in report.problems
        if severity is None or p.severity == severity
    ]


# ----------------------------------------------------------------- the valid workbook


def test_valid_sheets_give_the_canonical_dataset(write_sheets, sheets) -> None:
    report = _validate(write_sheets, sheets)
    assert report.ok and report.problems == [] and report.file == "bad.xlsx"
    ds = report.dataset
    assert ds.counts() == {
        "seminars": 1, "organizations": 2, "participants": 2, "attendance": 2,
        "collaborations": 1, "engagements": 1,
    }
    assert ds.seminars.to_dict("records") == [
        {"seminar_id": "S1", "city": "Sarajevo", "country": "BA",
         "start_date": "2012-05-03", "end_date": "2012-05-06"},
    ]
    assert ds.organizations.to_dict("records") == [
        {"org_id": "A", "name": "Alfa", "country": "BA", "city": "Tuzla", "type": "association",
         "fields": ("human rights", "law"), "practices": ("advocacy",), "risk_factors": (1, 8)},
        {"org_id": "B", "name": "Beta", "country": "ME", "city": "Budva", "type": None,
         "fields": ("peacebuilding",), "practices": (), "risk_factors": (9,)},
    ]
    assert ds.participants.to_dict("records") == [
        {"participant_id": "p1", "full_name": "Ana Test", "org_id": "A", "role": None,
         "gender": None, "email": "ana@example.org", "phone": None,
         "consent_contact": True, "consent_directory": False},
        {"participant_id": "p2", "full_name": "Bojan Test", "org_id": "B", "role": None,
         "gender": None, "email": None, "phone": None,
         "consent_contact": True, "consent_directory": None},
    ]
    assert ds.attendance.to_dict("records") == [
        {"participant_id": "p1", "seminar_id": "S1"},
        {"participant_id": "p2", "seminar_id": "S1"},
    ]
    assert ds.collaborations.to_dict("records") == [
        {"org_a": "A", "org_b": "B", "kind": "joint project", "since": "2014",
         "source": "survey", "note": None},
    ]
    assert ds.engagements.to_dict("records") == [
        {"org_id": "A", "kind": "briefing", "date": "2015", "note": None},
    ]
    for name in TABLE_ORDER:
        assert list(ds.table(name).columns) == TABLES[name].column_names


def test_canonical_types(write_sheets, sheets) -> None:
    ds = _validate(write_sheets, sheets).dataset
    a = ds.organizations.iloc[0]
    assert type(a["fields"]) is tuple and type(a["risk_factors"]) is tuple
    assert all(type(n) is int for n in a["risk_factors"])
    assert type(ds.participants.iloc[0]["consent_contact"]) is bool


def test_fields_are_ordered_by_vocabulary_and_risk_factors_sorted(write_sheets, sheets) -> None:
    sheets["organizations"][1][5] = "law\nHuman Rights; law"
    sheets["organizations"][1][7] = "RF 8; 1, 8"
    org = _validate(write_sheets, sheets).dataset.organizations.iloc[0]
    assert org["fields"] == ("human rights", "law")
    assert org["risk_factors"] == (1, 8)


def test_collaboration_pair_is_ordered_and_blank_kind_defaults(write_sheets, sheets) -> None:
    sheets["collaborations"][1] = ["B", "A", None, None, None, None]
    report = _validate(write_sheets, sheets)
    assert report.problems == []
    assert report.dataset.collaborations.to_dict("records") == [
        {"org_a": "A", "org_b": "B", "kind": "collaboration", "since": None,
         "source": None, "note": None},
    ]


# ----------------------------------------------------------------- sheets and columns


@pytest.mark.parametrize("sheet", ["seminars", "organizations", "participants", "attendance"])
def test_missing_required_sheet_is_named(write_sheets, sheets, sheet: str) -> None:
    del sheets[sheet]
    report = _validate(write_sheets, sheets)
    sheet_level = [p for p in report.problems if p.row is None]
    assert [(p.severity, p.sheet, p.column, p.value) for p in sheet_level] == [
        ("error", sheet, None, None),
    ]
    assert sheet_level[0].message.startswith(f"sheet '{sheet}' is missing")
    assert "seminars, organizations, participants, attendance" in sheet_level[0].message


def test_missing_required_columns_are_named(write_sheets, sheets) -> None:
    sheets["attendance"] = [["participant_id", "note"], ["p1", None]]
    report = _validate(write_sheets, sheets)
    assert _located(report, "error") == [("error", "attendance", 1, None, None)]
    message = report.errors[0].message
    assert message.startswith("missing required column(s): seminar_id;")
    assert "participant_id, seminar_id" in message


def test_every_missing_required_column_is_named(write_sheets, sheets) -> None:
    sheets["engagements"] = [["kind", "date"], ["briefing", 2015]]
    report = _validate(write_sheets, sheets)
    assert _located(report) == [("error", "engagements", 1, None, None)]
    assert "missing required column(s): org_id;" in report.errors[0].message


def test_extra_column_is_a_warning_and_ignored(write_sheets, sheets) -> None:
    sheets["participants"][0].append("Shoe size")
    sheets["participants"][1].append(42)
    report = _validate(write_sheets, sheets)
    assert report.ok
    assert _located(report) == [("warning", "participants", 1, "Shoe size", None)]
    assert "column 'Shoe size' is not part of the 'participants' sheet" in report.problems[0].message
    assert list(report.dataset.participants.columns) == TABLES["participants"].column_names


def test_unknown_sheet_is_a_note(write_sheets, sheets) -> None:
    sheets["Notes"] = [["anything"], ["at all"]]
    report = _validate(write_sheets, sheets)
    assert report.ok
    assert _located(report) == [("note", "Notes", None, None, None)]
    assert "it is ignored" in report.problems[0].message


def test_header_only_required_sheets_and_missing_optional_sheets_are_valid(
    write_sheets, sheets
) -> None:
    only_headers = {name: rows[:1] for name, rows in sheets.items()
                    if name not in ("collaborations", "engagements")}
    report = _validate(write_sheets, only_headers)
    assert report.ok and report.problems == []
    assert report.dataset.is_empty()
    for name in TABLE_ORDER:
        assert list(report.dataset.table(name).columns) == TABLES[name].column_names


def test_missing_optional_sheets_keep_the_data(write_sheets, sheets) -> None:
    del sheets["collaborations"], sheets["engagements"]
    report = _validate(write_sheets, sheets)
    assert report.problems == []
    assert report.dataset.counts()["organizations"] == 2
    assert report.dataset.counts()["collaborations"] == 0


# ----------------------------------------------------------------- one thing wrong per case


def _append(sheet: str, row: list[Any]) -> Callable[[Sheets], None]:
    def edit(s: Sheets) -> None:
        s[sheet].append(row)

    return edit


def _set(sheet: str, row: int, col: int, value: Any) -> Callable[[Sheets], None]:
    """Set the cell at Excel ``row`` (header = 1) and 0-based column ``col``."""

    def edit(s: Sheets) -> None:
        s[sheet][row - 1][col] = value

    return edit


# (edit, (sheet, Excel row, column, value), fragments the message must contain)
ONE_ERROR = [
    pytest.param(_append("organizations", ["A", "Again", "BA"]),
                 ("organizations", 4, "org_id", "A"),
                 ["duplicate org_id", "already used in row 2"], id="duplicate-org_id"),
    pytest.param(_append("seminars", ["S1", "Budva", "ME", 2013]),
                 ("seminars", 3, "seminar_id", "S1"),
                 ["duplicate seminar_id", "already used in row 2"], id="duplicate-seminar_id"),
    pytest.param(_append("participants", ["p1", "Ana Again", "B"]),
                 ("participants", 4, "participant_id", "p1"),
                 ["duplicate participant_id", "already used in row 2"],
                 id="duplicate-participant_id"),
    pytest.param(_append("participants", ["p3", "Cveta", "Z"]),
                 ("participants", 4, "org_id", "Z"),
                 ["org_id 'Z' does not exist in sheet 'organizations'"], id="ref-participant-org"),
    pytest.param(_append("attendance", ["p9", "S1"]),
                 ("attendance", 4, "participant_id", "p9"),
                 ["participant_id 'p9' does not exist in sheet 'participants'"],
                 id="ref-attendance-participant"),
    pytest.param(_append("attendance", ["p1", "S9"]),
                 ("attendance", 4, "seminar_id", "S9"),
                 ["seminar_id 'S9' does not exist in sheet 'seminars'"],
                 id="ref-attendance-seminar"),
    pytest.param(_append("collaborations", ["A0", "B", "exchange"]),
                 ("collaborations", 3, "org_a", "A0"),
                 ["org_a 'A0' does not exist in sheet 'organizations'"], id="ref-collab-org_a"),
    pytest.param(_append("collaborations", ["A", "Z", "exchange"]),
                 ("collaborations", 3, "org_b", "Z"),
                 ["org_b 'Z' does not exist in sheet 'organizations'"], id="ref-collab-org_b"),
    pytest.param(_append("engagements", ["Z", "briefing", 2016]),
                 ("engagements", 3, "org_id", "Z"),
                 ["org_id 'Z' does not exist in sheet 'organizations'"], id="ref-engagement-org"),
    pytest.param(_append("collaborations", ["A", "A", "exchange"]),
                 ("collaborations", 3, "org_b", "A"),
                 ["two different organizations", "org_a and org_b are the same"],
                 id="collab-self-tie"),
    pytest.param(_append("organizations", ["C", "Gama", "Narnia"]),
                 ("organizations", 4, "country", "Narnia"),
                 ["unknown country 'Narnia'", "expected an ISO 3166 code"], id="unknown-country"),
    pytest.param(_append("seminars", ["S2", "Skopje", "Atlantis", 2014]),
                 ("seminars", 3, "country", "Atlantis"),
                 ["unknown country 'Atlantis'"], id="unknown-seminar-country"),
    pytest.param(_append("seminars", ["S2", "Skopje", "MK", "05/03/2014"]),
                 ("seminars", 3, "start_date", "05/03/2014"),
                 ["date '05/03/2014' is not a date", "expected a year (2014)", "03.05.2014"],
                 id="date-slashes"),
    pytest.param(_append("seminars", ["S2", "Skopje", "MK", "next year"]),
                 ("seminars", 3, "start_date", "next year"),
                 ["date 'next year' is not a date", "expected"], id="date-words"),
    pytest.param(_append("seminars", ["S2", "Skopje", "MK", "31.02.2014"]),
                 ("seminars", 3, "start_date", "31.02.2014"),
                 ["does not exist in the calendar"], id="date-not-in-calendar"),
    pytest.param(_append("collaborations", ["A", "B", "exchange", "soon"]),
                 ("collaborations", 3, "since", "soon"),
                 ["date 'soon' is not a date"], id="date-since"),
    pytest.param(_append("seminars", ["S2", "Skopje", "MK", "2014-05-03", "2014-05-01"]),
                 ("seminars", 3, "end_date", "2014-05-01"),
                 ["end_date 2014-05-01 is before start_date 2014-05-03"], id="end-before-start"),
    pytest.param(_append("seminars", ["S2", "Skopje", "MK", 2014, "2013-12-31"]),
                 ("seminars", 3, "end_date", "2013-12-31"),
                 ["end_date 2013-12-31 is before start_date 2014"], id="end-before-start-year"),
    pytest.param(_append("organizations", ["C", "Gama", "RS", None, None, None, None, 15]),
                 ("organizations", 4, "risk_factors", "15"),
                 ["risk factor '15'", "expected a number 1-14"], id="risk-factor-15"),
    pytest.param(_append("organizations", ["C", "Gama", "RS", None, None, None, None, 0]),
                 ("organizations", 4, "risk_factors", "0"),
                 ["risk factor '0'", "expected a number 1-14"], id="risk-factor-0"),
    pytest.param(_append("organizations", ["C", "Gama", "RS", None, None, None, None, "banana"]),
                 ("organizations", 4, "risk_factors", "banana"),
                 ["risk factor 'banana'", "expected a number 1-14 or its title"],
                 id="risk-factor-banana"),
    pytest.param(_append("organizations", ["C", "Gama", "RS", None, None, None, None, "3; 15"]),
                 ("organizations", 4, "risk_factors", "3; 15"),
                 ["risk factor '15'"], id="risk-factor-one-bad-of-two"),
    pytest.param(_append("attendance", ["p1", "S1"]),
                 ("attendance", 4, "participant_id", "p1 / S1"),
                 ["attendance row repeats row 2"], id="duplicate-attendance"),
    pytest.param(_append("organizations", ["C", None, "RS"]),
                 ("organizations", 4, "name", None),
                 ["required value is missing: fill in name"], id="blank-org-name"),
    pytest.param(_append("organizations", ["C", "Gama", None]),
                 ("organizations", 4, "country", None),
                 ["fill in country"], id="blank-org-country"),
    pytest.param(_append("seminars", ["S2", "Skopje", "MK", None]),
                 ("seminars", 3, "start_date", None),
                 ["fill in start_date"], id="blank-seminar-start"),
    pytest.param(_append("attendance", ["p1", None]),
                 ("attendance", 4, "seminar_id", None),
                 ["fill in seminar_id"], id="blank-attendance-seminar"),
    pytest.param(_append("collaborations", [None, "B", "exchange"]),
                 ("collaborations", 3, "org_a", None),
                 ["fill in org_a"], id="blank-collab-org_a"),
    pytest.param(_append("participants", [None, "Nobody", "A"]),
                 ("participants", 4, "participant_id", None),
                 ["fill in participant_id"], id="blank-participant-id"),
    pytest.param(_append("participants", ["p3", "Cveta", "A", None, None, None, None, "maybe"]),
                 ("participants", 4, "consent_contact", "maybe"),
                 ["expected yes or no", "got 'maybe'"], id="yes-no-unknown"),
]


@pytest.mark.parametrize(("edit", "where", "fragments"), ONE_ERROR)
def test_one_thing_wrong_gives_exactly_that_error(
    write_sheets, sheets, edit, where: tuple, fragments: list[str]
) -> None:
    edit(sheets)
    report = _validate(write_sheets, sheets)  # never raises
    assert not report.ok
    assert _located(report) == [("error", *where)]
    [problem] = report.problems
    assert problem.file == "bad.xlsx"
    for fragment in fragments:
        assert fragment in problem.message
    # The rest of the workbook is still understood (a preview can show it).
    assert report.dataset is not None
    assert report.dataset.counts()["organizations"] >= 2


def test_duplicate_id_keeps_the_first_row(write_sheets, sheets) -> None:
    sheets["organizations"].append(["A", "Again", "BA"])
    orgs = _validate(write_sheets, sheets).dataset.organizations
    assert orgs["org_id"].tolist() == ["A", "B"]
    assert orgs.loc[0, "name"] == "Alfa"


def test_missing_org_in_org_a_is_reported_in_org_a_even_when_the_pair_is_swapped(
    write_sheets, sheets
) -> None:
    sheets["collaborations"].append(["Z", "A", "exchange"])
    report = _validate(write_sheets, sheets)
    assert _located(report) == [("error", "collaborations", 3, "org_a", "Z")]


def test_duplicate_id_names_the_header_as_written(write_sheets, sheets) -> None:
    sheets["organizations"][0][0] = "Org ID"
    sheets["organizations"].append(["A", "Again", "BA"])
    report = _validate(write_sheets, sheets)
    assert _located(report) == [("error", "organizations", 4, "Org ID", "A")]


# An error in a sheet that others refer to should be reported once, where it is;
# rows elsewhere that name the same id are not "references to ids that do not exist".
CASCADES = [
    pytest.param(_set("organizations", 3, 2, "Narnia"),
                 [("error", "organizations", 3, "country", "Narnia")],
                 id="referenced-org-has-bad-country"),
    pytest.param(_set("seminars", 2, 3, "next year"),
                 [("error", "seminars", 2, "start_date", "next year")],
                 id="referenced-seminar-has-bad-date"),
    pytest.param(_set("participants", 3, 7, "maybe"),
                 [("error", "participants", 3, "consent_contact", "maybe")],
                 id="referenced-participant-has-bad-yes-no"),
    pytest.param(lambda s: s.__setitem__("seminars", [["seminar_id", "city"], ["S1", "X"]]),
                 [("error", "seminars", 1, None, None)],
                 id="referenced-sheet-misses-required-columns"),
    pytest.param(lambda s: s.pop("organizations"),
                 [("error", "organizations", None, None, None)],
                 id="referenced-sheet-missing"),
]


@pytest.mark.parametrize(("edit", "expected"), CASCADES)
def test_an_error_in_a_referenced_row_is_reported_once(
    write_sheets, sheets, edit, expected: list[tuple]
) -> None:
    edit(sheets)
    report = _validate(write_sheets, sheets)
    assert _located(report) == expected


def test_a_row_with_an_error_is_not_in_the_dataset(write_sheets, sheets) -> None:
    sheets["organizations"][2][2] = "Narnia"
    report = _validate(write_sheets, sheets)
    assert report.dataset.organizations["org_id"].tolist() == ["A"]


def test_end_before_start_shows_the_value_as_written(write_sheets, sheets) -> None:
    sheets["seminars"].append(["S2", "Skopje", "MK", 2014, "31.12.2013"])
    report = _validate(write_sheets, sheets)
    assert _located(report) == [("error", "seminars", 3, "end_date", "31.12.2013")]


# ----------------------------------------------------------------- warnings and spellings


def test_repeated_tie_is_merged_with_a_warning(write_sheets, sheets) -> None:
    sheets["collaborations"].append(["B", "A", "joint project", None, None, "seen twice"])
    report = _validate(write_sheets, sheets)
    assert report.ok
    assert _located(report) == [
        ("warning", "collaborations", 3, "org_a", "A / B / joint project"),
    ]
    message = report.problems[0].message
    assert "repeats row 2" in message and "A-B and B-A are the same tie" in message
    # First row's values kept; its blank note filled from the repeat.
    assert report.dataset.collaborations.to_dict("records") == [
        {"org_a": "A", "org_b": "B", "kind": "joint project", "since": "2014",
         "source": "survey", "note": "seen twice"},
    ]


def test_same_pair_with_another_kind_is_another_tie(write_sheets, sheets) -> None:
    sheets["collaborations"].append(["B", "A", "network membership"])
    report = _validate(write_sheets, sheets)
    assert report.problems == []
    assert report.dataset.collaborations[["org_a", "org_b", "kind"]].values.tolist() == [
        ["A", "B", "joint project"], ["A", "B", "network membership"],
    ]


def test_unknown_field_and_practice_are_kept_with_warnings(write_sheets, sheets) -> None:
    sheets["organizations"][1][5] = "sports; human rights"
    sheets["organizations"][1][6] = "advocacy, juggling"
    report = _validate(write_sheets, sheets)
    assert report.ok
    assert _located(report) == [
        ("warning", "organizations", 2, "fields", "sports; human rights"),
        ("warning", "organizations", 2, "practices", "advocacy, juggling"),
    ]
    assert report.problems[0].message.startswith("unknown field 'sports' is kept as written")
    assert "human rights, social work, law, peacebuilding, transitional justice" in (
        report.problems[0].message
    )
    assert report.problems[1].message.startswith("unknown practice 'juggling' is kept")
    org = report.dataset.organizations.iloc[0]
    assert org["fields"] == ("human rights", "sports")
    assert org["practices"] == ("advocacy", "juggling")


@pytest.mark.parametrize(
    ("written", "expected"),
    [("da", True), ("ne", False), ("да", True), ("не", False), ("DA", True),
     ("Yes", True), ("no", False), ("true", True), ("FALSE", False), (1, True), (0, False),
     (True, True), (False, False), (None, None)],
    ids=lambda v: repr(v),
)
def test_yes_no_spellings(write_sheets, sheets, written: Any, expected: bool | None) -> None:
    sheets["participants"][2][7] = written
    report = _validate(write_sheets, sheets)
    assert report.problems == []
    assert report.dataset.participants.loc[1, "consent_contact"] is expected


def test_date_cell_and_bare_year_are_accepted(write_sheets, sheets) -> None:
    sheets["seminars"][1][3] = dt.datetime(2012, 5, 3)
    sheets["seminars"][1][4] = dt.date(2012, 5, 6)
    sheets["collaborations"][1][3] = 2014
    sheets["engagements"][1][2] = dt.datetime(2015, 3, 1)
    sheets["seminars"].append(["S2", "Budva", "ME", 2013, "2013"])
    report = _validate(write_sheets, sheets)
    assert report.problems == []
    ds = report.dataset
    assert ds.seminars[["start_date", "end_date"]].values.tolist() == [
        ["2012-05-03", "2012-05-06"], ["2013", "2013"],
    ]
    assert ds.collaborations.loc[0, "since"] == "2014"
    assert ds.engagements.loc[0, "date"] == "2015-03-01"


def test_countries_in_any_form_become_iso_codes(write_sheets, sheets) -> None:
    for i, name in enumerate(["Srbija", "Северна Македонија", "Kosovo", " bih "], start=3):
        sheets["organizations"].append([f"O{i}", f"Org {i}", name])
    report = _validate(write_sheets, sheets)
    assert report.problems == []
    assert report.dataset.organizations["country"].tolist() == ["BA", "ME", "RS", "MK", "XK", "BA"]


# ----------------------------------------------------------------- everything at once


def test_many_problems_are_reported_at_once(write_sheets, sheets) -> None:
    s = sheets
    s["seminars"].append(["S2", "Skopje", "MK", "next year"])                 # E1 row 3
    s["seminars"].append(["S3", "Belgrade", "RS", "2016-05-03", "2016-05-01"])  # E2 row 4
    s["organizations"][1][5] = "sports; law"                                    # W1 row 2
    s["organizations"].append(["C", "Gama", "Narnia"])                          # E3 row 4
    s["organizations"].append(["D", "Delta", "RS", None, None, None, None, 15])  # E4 row 5
    s["organizations"].append(["A", "Alfa again", "BA"])                        # E5 row 6
    s["participants"].append(["p3", "Cveta", "Z"])                              # E6 row 4
    s["participants"].append(["p4", "Dino", "B", None, None, None, None, "maybe"])  # E7 row 5
    s["attendance"][0].append("comment")                                        # W2 row 1
    s["attendance"].append(["p1", "S1"])                                        # E8 row 4
    s["attendance"].append(["p9", "S1"])                                        # E9 row 5
    s["collaborations"].append(["A", "A"])                                      # E10 row 3
    s["collaborations"].append(["B", "A", "joint project"])                     # W3 row 4
    s["engagements"].append(["Z", "briefing"])                                  # E11 row 3
    s["README"] = [["About this file"]]                                         # N1
    report = _validate(write_sheets, s)
    assert _located(report) == [
        ("error", "attendance", 4, "participant_id", "p1 / S1"),
        ("error", "attendance", 5, "participant_id", "p9"),
        ("error", "collaborations", 3, "org_b", "A"),
        ("error", "engagements", 3, "org_id", "Z"),
        ("error", "organizations", 4, "country", "Narnia"),
        ("error", "organizations", 5, "risk_factors", "15"),
        ("error", "organizations", 6, "org_id", "A"),
        ("error", "participants", 4, "org_id", "Z"),
        ("error", "participants", 5, "consent_contact", "maybe"),
        ("error", "seminars", 3, "start_date", "next year"),
        ("error", "seminars", 4, "end_date", "2016-05-01"),
        ("warning", "attendance", 1, "comment", None),
        ("warning", "collaborations", 4, "org_a", "A / B / joint project"),
        ("warning", "organizations", 2, "fields", "sports; law"),
        ("note", "README", None, None, None),
    ]
    assert len(report.errors) == 11
    assert all(p.file == "bad.xlsx" for p in report.problems)


def test_validate_does_not_change_the_input_rows(write_sheets, sheets) -> None:
    before = copy.deepcopy(sheets)
    _validate(write_sheets, sheets)
    assert sheets == before


# ----------------------------------------------------------------- references into a workspace


def _base() -> Dataset:
    return Dataset.from_frames({
        "seminars": frame_from_records("seminars", [
            {"seminar_id": "S0", "country": "RS", "start_date": "2011"}]),
        "organizations": frame_from_records("organizations", [
            {"org_id": "W", "name": "In the workspace", "country": "RS",
             "fields": (), "practices": (), "risk_factors": ()}]),
        "participants": frame_from_records("participants", [
            {"participant_id": "pw", "org_id": "W"}]),
    })


def test_references_to_ids_only_in_base_are_accepted(write_sheets, sheets) -> None:
    sheets["participants"].append(["p3", "Cveta", "W"])
    sheets["attendance"].append(["pw", "S0"])
    sheets["collaborations"].append(["W", "A", "exchange"])
    sheets["engagements"].append(["W", "briefing", 2016])
    path = write_sheets(sheets)
    assert len(validate_workbook(path).errors) == 5  # without the workspace, 5 dangling ids
    report = validate_workbook(path, base=_base())
    assert report.problems == []
    # The base is not merged into the result: the dataset is the file's.
    assert report.dataset.counts()["participants"] == 3
    assert "W" not in set(report.dataset.organizations["org_id"])


def test_ids_in_neither_file_nor_base_name_the_workspace(write_sheets, sheets) -> None:
    sheets["participants"].append(["p3", "Cveta", "Z"])
    report = validate_workbook(write_sheets(sheets), base=_base())
    assert _located(report) == [("error", "participants", 4, "org_id", "Z")]
    assert report.errors[0].message == (
        "org_id 'Z' does not exist in the workspace or in sheet 'organizations'"
    )


def test_base_does_not_hide_duplicates_within_the_file(write_sheets, sheets) -> None:
    sheets["organizations"].append(["A", "Again", "BA"])
    report = validate_workbook(write_sheets(sheets), base=_base())
    assert _located(report) == [("error", "organizations", 4, "org_id", "A")]


def test_empty_base_behaves_like_no_base(write_sheets, sheets) -> None:
    sheets["attendance"].append(["p1", "S9"])
    path = write_sheets(sheets)
    assert _located(validate_workbook(path, base=Dataset.empty())) == _located(
        validate_workbook(path)
    )


def test_report_frames_are_object_dtype_with_none_for_blanks(write_sheets, sheets) -> None:
    ds = _validate(write_sheets, sheets).dataset
    for name in TABLE_ORDER:
        frame = ds.table(name)
        assert all(dtype is object or dtype == "object" for dtype in frame.dtypes), name
        for value in frame.to_numpy().ravel():
            assert not (isinstance(value, float) and pd.isna(value)), name
    assert ds.organizations.loc[1, "type"] is None


def test_countries_as_the_region_writes_them(write_sheets, sheets):
    """BH and CG are BA and ME; an entity is its country with a warning; Bahrain is flagged."""
    sheets["organizations"][1][2] = "BH"
    sheets["organizations"][2][2] = "CG"
    sheets["organizations"].append(["C", "Gama", "Republika Srpska"])
    sheets["organizations"].append(["D", "Delta", "Bahrain"])
    report = validate_workbook(write_sheets(sheets, "region.xlsx"))
    assert report.ok
    countries = dict(zip(report.dataset.organizations["org_id"],
                         report.dataset.organizations["country"], strict=True))
    assert countries == {"A": "BA", "B": "ME", "C": "BA", "D": "BH"}
    warnings = {(p.row, p.value): p.message for p in report.problems
                if p.sheet == "organizations" and p.column == "country"}
    assert set(warnings) == {(4, "Republika Srpska"), (5, "Bahrain")}
    assert warnings[(4, "Republika Srpska")] == (
        "'Republika Srpska' is a part of Bosnia and Herzegovina (BA); read as Bosnia and "
        "Herzegovina (BA)")
    assert "outside the programme's region" in warnings[(5, "Bahrain")]


def test_a_renamed_column_hides_nothing_else(write_sheets, sheets):
    """'name' renamed 'naem': said once with a hint; the sheet's other errors still show."""
    sheets["organizations"][0][1] = "naem"
    sheets["organizations"][2][2] = "Atlantis"  # row 3: an unknown country, reported at once
    report = validate_workbook(write_sheets(sheets, "renamed.xlsx"))
    errors = [(p.sheet, p.row, p.column) for p in report.errors]
    assert errors == [("organizations", 1, None), ("organizations", 3, "country")]
    header = report.errors[0].message
    assert header.startswith("missing required column(s): name;")
    assert "Did you mean 'naem' for 'name'?" in header
    # Participants of A and B are not "unknown organizations": their ids still count.
    assert not [p for p in report.problems if p.sheet == "participants"]


def test_bcs_sheet_and_column_names_are_read(write_sheets, sheets):
    bcs = {"seminars": "Seminari", "organizations": "Organizacije", "participants": "Učesnici",
           "attendance": "Prisustvo", "collaborations": "Saradnje", "engagements": "Angažmani"}
    headers = {"org_id": "id_organizacije", "name": "Naziv", "country": "Država", "city": "Grad"}
    sheets["organizations"][0] = [headers.get(h, h) for h in sheets["organizations"][0]]
    renamed = {bcs[name]: rows for name, rows in sheets.items()}
    report = validate_workbook(write_sheets(renamed, "bcs.xlsx"))
    assert report.ok, report.errors
    assert [p for p in report.problems if p.severity != "note"] == []
    assert sorted(report.dataset.organizations["name"]) == ["Alfa", "Beta"]
    assert len(report.dataset.attendance) == 2


def test_a_title_row_above_the_header_is_named(write_sheets, sheets):
    sheets["organizations"].insert(0, ["Organizations of the 2014 cohort"])
    report = validate_workbook(write_sheets(sheets, "titled.xlsx"))
    [error] = [p for p in report.errors if p.sheet == "organizations"]
    assert error.row == 2
    assert error.message == ("row 2 looks like the header row (it names org_id, name, country): "
                             "delete the 1 row above it, so that the header is row 1")


def test_a_misspelled_sheet_gets_a_hint(write_sheets, sheets):
    sheets["Organisatons"] = sheets.pop("organizations")
    report = validate_workbook(write_sheets(sheets, "sheet.xlsx"))
    missing = [p for p in report.errors if p.sheet == "organizations"]
    assert missing and "did you mean the sheet 'Organisatons'?" in missing[0].message
    # References into the missing sheet are not each reported.
    assert not [p for p in report.errors if p.sheet in ("participants", "collaborations")]
