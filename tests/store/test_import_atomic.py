"""Import is validated first and atomic: a bad file, or a failure half way, changes nothing.

The good file is conftest's ``sheets`` workbook: 1 seminar, 2 organizations
(A, B), 2 participants, 2 attendance rows, 1 tie A-B, 1 engagement of A.
Every test runs on SQLite and on PostgreSQL (``fresh_store``, ``db_url``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa

from cso_network.core.exceptions import StoreError, ValidationError
from cso_network.core.model import TABLE_ORDER
from cso_network.store.sql import Store
from cso_network.workspace import import_workbook
from tests.helpers import BACKENDS

Sheets = dict[str, list[list[Any]]]

GOOD_COUNTS = {"seminars": 1, "organizations": 2, "participants": 2, "attendance": 2,
               "collaborations": 1, "engagements": 1}


def _added(counts: dict[str, int]) -> dict[str, dict[str, int]]:
    return {t: {"added": n, "updated": 0, "removed": 0, "unchanged": 0} for t, n in counts.items()}


def _snapshot(store: Store) -> tuple:
    return store.load(), store.imports(), store.version()


def _assert_unchanged(store: Store, before: tuple) -> None:
    dataset, imports, version = before
    now = store.load()
    for name in TABLE_ORDER:
        pd.testing.assert_frame_equal(now.table(name), dataset.table(name), obj=name)
    assert store.imports() == imports
    assert store.version() == version


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ----------------------------------------------------------------- bad workbooks


def _append(sheet: str, row: list[Any]) -> Callable[[Sheets], None]:
    return lambda s: s[sheet].append(row)


def _drop(sheet: str) -> Callable[[Sheets], None]:
    return lambda s: s.pop(sheet)


# (edit of the good rows, the one expected error as (sheet, Excel row, column, value))
BAD_WORKBOOKS = [
    pytest.param(_drop("attendance"), ("attendance", None, None, None), id="missing-sheet"),
    pytest.param(lambda s: s.__setitem__("attendance", [["participant_id"], ["p1"]]),
                 ("attendance", 1, None, None), id="missing-required-column"),
    pytest.param(_append("organizations", ["A", "Again", "BA"]),
                 ("organizations", 4, "org_id", "A"), id="duplicate-org_id"),
    pytest.param(_append("seminars", ["S1", "Budva", "ME", 2013]),
                 ("seminars", 3, "seminar_id", "S1"), id="duplicate-seminar_id"),
    pytest.param(_append("participants", ["p1", "Ana Again", "B"]),
                 ("participants", 4, "participant_id", "p1"), id="duplicate-participant_id"),
    pytest.param(_append("participants", ["p3", "Cveta", "Z"]),
                 ("participants", 4, "org_id", "Z"), id="ref-participant-org"),
    pytest.param(_append("attendance", ["p9", "S1"]),
                 ("attendance", 4, "participant_id", "p9"), id="ref-attendance-participant"),
    pytest.param(_append("attendance", ["p1", "S9"]),
                 ("attendance", 4, "seminar_id", "S9"), id="ref-attendance-seminar"),
    pytest.param(_append("collaborations", ["A0", "B"]),
                 ("collaborations", 3, "org_a", "A0"), id="ref-collab-org_a"),
    pytest.param(_append("collaborations", ["A", "Z"]),
                 ("collaborations", 3, "org_b", "Z"), id="ref-collab-org_b"),
    pytest.param(_append("engagements", ["Z", "briefing"]),
                 ("engagements", 3, "org_id", "Z"), id="ref-engagement-org"),
    pytest.param(_append("collaborations", ["B", "B"]),
                 ("collaborations", 3, "org_b", "B"), id="collab-self-tie"),
    pytest.param(_append("organizations", ["C", "Gama", "Narnia"]),
                 ("organizations", 4, "country", "Narnia"), id="unknown-country"),
    pytest.param(_append("seminars", ["S2", "Skopje", "MK", "05/03/2014"]),
                 ("seminars", 3, "start_date", "05/03/2014"), id="date-slashes"),
    pytest.param(_append("seminars", ["S2", "Skopje", "MK", "next year"]),
                 ("seminars", 3, "start_date", "next year"), id="date-words"),
    pytest.param(_append("seminars", ["S2", "Skopje", "MK", "2014-05-03", "2014-05-01"]),
                 ("seminars", 3, "end_date", "2014-05-01"), id="end-before-start"),
    pytest.param(_append("organizations", ["C", "Gama", "RS", None, None, None, None, 15]),
                 ("organizations", 4, "risk_factors", "15"), id="risk-factor-15"),
    pytest.param(_append("organizations", ["C", "Gama", "RS", None, None, None, None, 0]),
                 ("organizations", 4, "risk_factors", "0"), id="risk-factor-0"),
    pytest.param(_append("organizations", ["C", "Gama", "RS", None, None, None, None, "banana"]),
                 ("organizations", 4, "risk_factors", "banana"), id="risk-factor-banana"),
    pytest.param(_append("attendance", ["p1", "S1"]),
                 ("attendance", 4, "participant_id", "p1 / S1"), id="duplicate-attendance"),
    pytest.param(_append("organizations", ["C", None, "RS"]),
                 ("organizations", 4, "name", None), id="blank-required-cell"),
    pytest.param(lambda s: s["attendance"].__setitem__(0, ["participant_id", "seminar_id",
                                                           "Seminar ID"]),
                 ("attendance", 1, "Seminar ID", "Seminar ID"), id="duplicate-header"),
]


@pytest.fixture
def good_file(write_sheets, sheets) -> Path:
    return write_sheets(sheets, "good.xlsx")


@pytest.fixture
def imported(fresh_store: Store, good_file: Path) -> Store:
    import_workbook(fresh_store, good_file)
    return fresh_store


@pytest.mark.parametrize("mirror", [False, True], ids=["upsert", "mirror"])
@pytest.mark.parametrize(("edit", "where"), BAD_WORKBOOKS)
def test_bad_workbook_raises_and_changes_nothing(
    imported: Store, write_sheets, sheets, edit, where: tuple, mirror: bool
) -> None:
    before = _snapshot(imported)
    assert before[2] == 1
    edit(sheets)
    path = write_sheets(sheets, "bad.xlsx")
    with pytest.raises(ValidationError) as info:
        import_workbook(imported, path, mirror=mirror)
    errors = [p for p in info.value.problems if p.severity == "error"]
    assert [(p.file, p.sheet, p.row, p.column, p.value) for p in errors] == [("bad.xlsx", *where)]
    _assert_unchanged(imported, before)


def _not_a_workbook(path: Path) -> None:
    path.write_text("just text\n")


def _corrupt_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "no workbook here")


BAD_FILES = [
    pytest.param(_not_a_workbook, "not an Excel workbook", id="text-file"),
    pytest.param(lambda p: p.write_bytes(b""), "empty (0 bytes)", id="empty-file"),
    pytest.param(lambda p: p.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"x" * 512),
                 "password-protected", id="encrypted"),
    pytest.param(_corrupt_zip, "not an Excel workbook", id="corrupt-zip"),
    pytest.param(lambda p: None, "file not found", id="missing-file"),
    pytest.param(lambda p: p.mkdir(), "folder", id="folder"),
]


@pytest.mark.parametrize(("make", "fragment"), BAD_FILES)
def test_unreadable_file_raises_and_changes_nothing(
    imported: Store, tmp_path: Path, make, fragment: str
) -> None:
    before = _snapshot(imported)
    path = tmp_path / "cohort.xlsx"
    make(path)
    with pytest.raises(ValidationError) as info:
        import_workbook(imported, path)
    [problem] = info.value.problems
    assert (problem.severity, problem.file, problem.sheet) == ("error", "cohort.xlsx", None)
    assert fragment in problem.message
    _assert_unchanged(imported, before)


def test_validation_error_message_counts_errors(imported: Store, write_sheets, sheets) -> None:
    sheets["organizations"].append(["C", "Gama", "Narnia"])
    sheets["attendance"].append(["p1", "S1"])
    with pytest.raises(ValidationError, match=r"^2 errors in the input; nothing was changed$"):
        import_workbook(imported, write_sheets(sheets))


# ----------------------------------------------------------------- good imports


def test_first_import_is_recorded_with_name_sha256_and_counts(
    fresh_store: Store, good_file: Path
) -> None:
    result, warnings = import_workbook(fresh_store, good_file)
    assert warnings == []
    assert result.changed and not result.dry_run
    [record] = fresh_store.imports()
    assert record == result.record
    assert record.import_id == 1 and fresh_store.version() == 1
    assert record.file_name == "good.xlsx"
    assert record.sha256 == _sha256(good_file)
    assert len(record.sha256) == 64
    assert record.mode == "upsert"
    assert record.counts == _added(GOOD_COUNTS)
    stamp = dt.datetime.fromisoformat(record.imported_at)
    assert stamp.tzinfo is not None
    assert abs(dt.datetime.now(dt.UTC) - stamp) < dt.timedelta(minutes=5)
    assert fresh_store.load().counts() == GOOD_COUNTS


def test_imported_store_holds_the_canonical_rows(imported: Store) -> None:
    ds = imported.load()
    assert ds.organizations[["org_id", "country", "fields", "risk_factors"]].values.tolist() == [
        ["A", "BA", ("human rights", "law"), (1, 8)],
        ["B", "ME", ("peacebuilding",), (9,)],
    ]
    assert ds.participants[["participant_id", "consent_contact", "consent_directory"]].values.tolist() == [
        ["p1", True, False], ["p2", True, None],
    ]
    assert ds.seminars.loc[0, "start_date"] == "2012-05-03"


def test_same_file_twice_is_a_no_op(imported: Store, good_file: Path) -> None:
    before = _snapshot(imported)
    result, _ = import_workbook(imported, good_file)
    assert result.record is None and not result.changed
    assert {t: c["unchanged"] for t, c in result.changes.counts().items()} == GOOD_COUNTS
    _assert_unchanged(imported, before)
    assert len(imported.imports()) == 1


def test_dry_run_writes_nothing_but_reports_counts(fresh_store: Store, good_file: Path) -> None:
    result, _ = import_workbook(fresh_store, good_file, dry_run=True)
    assert result.dry_run and result.record is None and result.changed
    assert result.changes.counts() == _added(GOOD_COUNTS)
    assert fresh_store.load().is_empty()
    assert fresh_store.imports() == [] and fresh_store.version() == 0


def _second_file(write_sheets, sheets: Sheets) -> Path:
    """Org A renamed, org C added; B, p2 and everything else absent."""
    sheets["organizations"] = [sheets["organizations"][0],
                               ["A", "Alfa Plus", "BA", "Tuzla", "association",
                                "human rights; law", "advocacy", "1, 8"],
                               ["C", "Gama", "Srbija"]]
    sheets["participants"] = sheets["participants"][:2]
    sheets["attendance"] = sheets["attendance"][:2]
    sheets["collaborations"] = sheets["collaborations"][:1]
    del sheets["engagements"]
    return write_sheets(sheets, "second.xlsx")


def test_dry_run_of_a_second_file_reports_updates(imported: Store, write_sheets, sheets) -> None:
    before = _snapshot(imported)
    result, _ = import_workbook(imported, _second_file(write_sheets, sheets), dry_run=True)
    assert result.changes.counts()["organizations"] == {
        "added": 1, "updated": 1, "removed": 0, "unchanged": 1,
    }
    _assert_unchanged(imported, before)


def test_mirror_dry_run_reports_removals(imported: Store, write_sheets, sheets) -> None:
    before = _snapshot(imported)
    result, _ = import_workbook(imported, _second_file(write_sheets, sheets),
                                mirror=True, dry_run=True)
    counts = result.changes.counts()
    assert counts["organizations"] == {"added": 1, "updated": 1, "removed": 1, "unchanged": 0}
    assert counts["engagements"] == {"added": 0, "updated": 0, "removed": 1, "unchanged": 0}
    _assert_unchanged(imported, before)


def test_upsert_keeps_rows_absent_from_the_file(imported: Store, write_sheets, sheets) -> None:
    path = _second_file(write_sheets, sheets)
    result, _ = import_workbook(imported, path)
    ds = imported.load()
    assert ds.organizations[["org_id", "name", "country"]].values.tolist() == [
        ["A", "Alfa Plus", "BA"], ["B", "Beta", "ME"], ["C", "Gama", "RS"],
    ]
    assert ds.counts() == {**GOOD_COUNTS, "organizations": 3}
    assert result.record.mode == "upsert"
    assert result.record.counts["organizations"] == {
        "added": 1, "updated": 1, "removed": 0, "unchanged": 1,
    }
    assert result.record.counts["participants"] == {
        "added": 0, "updated": 0, "removed": 0, "unchanged": 2,
    }
    assert [r.file_name for r in imported.imports()] == ["good.xlsx", "second.xlsx"]
    assert imported.version() == 2


def test_mirror_removes_rows_absent_from_the_file(imported: Store, write_sheets, sheets) -> None:
    result, _ = import_workbook(imported, _second_file(write_sheets, sheets), mirror=True)
    ds = imported.load()
    assert ds.organizations["org_id"].tolist() == ["A", "C"]
    assert ds.participants["participant_id"].tolist() == ["p1"]
    assert ds.attendance.values.tolist() == [["p1", "S1"]]
    assert ds.counts() == {"seminars": 1, "organizations": 2, "participants": 1,
                           "attendance": 1, "collaborations": 0, "engagements": 0}
    assert result.record.mode == "mirror"
    assert result.record.counts == {
        "seminars": {"added": 0, "updated": 0, "removed": 0, "unchanged": 1},
        "organizations": {"added": 1, "updated": 1, "removed": 1, "unchanged": 0},
        "participants": {"added": 0, "updated": 0, "removed": 1, "unchanged": 1},
        "attendance": {"added": 0, "updated": 0, "removed": 1, "unchanged": 1},
        "collaborations": {"added": 0, "updated": 0, "removed": 1, "unchanged": 0},
        "engagements": {"added": 0, "updated": 0, "removed": 1, "unchanged": 0},
    }


def _cohort_two(write_sheets, sheets: Sheets) -> Path:
    """A second seminar whose participant belongs to organization B from the first file."""
    cohort = {
        "seminars": [sheets["seminars"][0], ["S2", "Skopje", "MK", "2014", "2014"]],
        "organizations": [sheets["organizations"][0]],
        "participants": [sheets["participants"][0], ["p9", "Nada Test", "B"]],
        "attendance": [sheets["attendance"][0], ["p9", "S2"], ["p1", "S2"]],
        "collaborations": [sheets["collaborations"][0], ["A", "B", "exchange", 2015]],
    }
    return write_sheets(cohort, "cohort2.xlsx")


def test_second_cohort_may_refer_to_organizations_imported_earlier(
    imported: Store, write_sheets, sheets
) -> None:
    path = _cohort_two(write_sheets, sheets)
    result, warnings = import_workbook(imported, path)
    assert warnings == []
    assert result.record.file_name == "cohort2.xlsx"
    assert result.record.sha256 == _sha256(path)
    ds = imported.load()
    assert ds.counts() == {"seminars": 2, "organizations": 2, "participants": 3,
                           "attendance": 4, "collaborations": 2, "engagements": 1}
    assert ds.collaborations[["org_a", "org_b", "kind", "since"]].values.tolist() == [
        ["A", "B", "exchange", "2015"], ["A", "B", "joint project", "2014"],
    ]


def test_second_cohort_alone_cannot_be_mirrored(imported: Store, write_sheets, sheets) -> None:
    before = _snapshot(imported)
    with pytest.raises(ValidationError) as info:
        import_workbook(imported, _cohort_two(write_sheets, sheets), mirror=True)
    assert sorted((p.sheet, p.row, p.column, p.value) for p in info.value.problems) == [
        ("attendance", 3, "participant_id", "p1"),
        ("collaborations", 2, "org_a", "A"),
        ("collaborations", 2, "org_b", "B"),
        ("participants", 2, "org_id", "B"),
    ]
    _assert_unchanged(imported, before)


# ----------------------------------------------------------------- failure while writing


def _failing_write(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make Store._write_changes write one organization row, then fail like a full disk."""
    calls: list[str] = []

    def write_then_fail(self: Store, conn: sa.Connection, changes, import_id: int) -> None:
        conn.execute(self.tables["organizations"].insert().values(
            org_id="HALF", name="Half written", country="BA"))
        calls.append("wrote one row")
        raise sa.exc.OperationalError("INSERT INTO organizations", {},
                                      Exception("database or disk is full"))

    monkeypatch.setattr(Store, "_write_changes", write_then_fail)
    return calls


@pytest.fixture(params=["memory", "file", BACKENDS[1]])
def any_store(request, tmp_path: Path) -> Store:
    """A store in memory, in an SQLite file, and in a PostgreSQL database."""
    if request.param == "memory":
        store = Store.memory()
    elif request.param == "file":
        store = Store(tmp_path / "ws.sqlite")
    else:
        store = Store(request.getfixturevalue("pg_url"))
    yield store
    store.dispose()


def test_failure_while_writing_leaves_the_store_unchanged(
    any_store: Store, good_file: Path, write_sheets, sheets, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_workbook(any_store, good_file)
    before = _snapshot(any_store)
    calls = _failing_write(monkeypatch)
    with pytest.raises(StoreError, match="rolled back; nothing changed") as info:
        import_workbook(any_store, _second_file(write_sheets, sheets))
    assert "database or disk is full" in str(info.value)
    assert calls == ["wrote one row"]
    _assert_unchanged(any_store, before)
    assert "HALF" not in set(any_store.load().organizations["org_id"])


def test_failure_on_the_first_import_leaves_an_empty_store(
    fresh_store: Store, good_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _failing_write(monkeypatch)
    with pytest.raises(StoreError):
        import_workbook(fresh_store, good_file)
    assert fresh_store.load().is_empty()
    assert fresh_store.imports() == [] and fresh_store.version() == 0


def test_store_works_after_a_failed_write(
    fresh_store: Store, good_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as m:
        _failing_write(m)
        with pytest.raises(StoreError):
            import_workbook(fresh_store, good_file)
    result, _ = import_workbook(fresh_store, good_file)
    # The only recorded import, and the store's version. Its id may be 2: the id the
    # failed import drew stays used on PostgreSQL, whose sequences ignore rollbacks.
    assert fresh_store.imports() == [result.record]
    assert fresh_store.version() == result.record.import_id
    assert fresh_store.load().counts() == GOOD_COUNTS


def test_store_survives_reopening(db_url: str, good_file: Path) -> None:
    store = Store(db_url)
    import_workbook(store, good_file)
    store.dispose()
    again = Store(db_url, create=False)
    try:
        assert again.load().counts() == GOOD_COUNTS
        [record] = again.imports()
        assert record.sha256 == _sha256(good_file)
    finally:
        again.dispose()
