"""The store keeps its data whole: serialized imports, unique keys, strict consent, honest refusals.

Each test sets up the failure by hand (two processes importing at once, a
store edited by hand, a database that is not a workspace) and checks the
store's answer against counts taken from the input itself. Tests taking
``db_url`` or ``fresh_store`` run on SQLite and on PostgreSQL (see
``tests/conftest.py``); those on what only SQLite allows (a damaged file,
text in a yes/no column) stay on SQLite.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from cso_network.access.privacy import public_participants
from cso_network.cli import app
from cso_network.core.exceptions import StoreError
from cso_network.store.sql import SCHEMA_VERSION, Store
from cso_network.workspace import import_workbook
from tests.helpers import bigger_workbook, dataset_from_records, tiny_records

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo" / "pcrc_demo.xlsx"
runner = CliRunner()


def cli(*args: str):
    return runner.invoke(app, list(args), env={"CSO_NETWORK_DB": ""})


def table_names(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def execute(url: str, *statements: str) -> None:
    """Run SQL statements in one transaction, as a person with a database tool would."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(sa.text(statement))
    finally:
        engine.dispose()


# ----------------------------------------------------------------------------- concurrent imports


def test_two_imports_at_once_store_each_row_once(db_url):
    """Two first ``cso-network import`` processes of the same workbook into a new workspace.

    One makes the workspace and writes; the other waits for it, then finds nothing new.
    """
    command = [sys.executable, "-m", "cso_network", "import", str(DEMO), "--db", db_url]
    env = dict(os.environ, CSO_NETWORK_DB="")
    procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
             for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    store = Store(db_url)
    expected = import_workbook(Store.memory(), DEMO)[0].changes.counts()
    data = store.load()
    for table, counts in expected.items():
        assert len(data.table(table)) == counts["added"], table
    # One recorded import; the other saw that the workspace already held the file.
    assert len(store.imports()) == 1
    assert sum("Nothing to change" in out.decode() for out, _ in outputs) == 1
    store.dispose()


#: Seconds the first of two openings waits for the second to reach the same point.
MEET_WITHIN = 0.5


def test_a_new_workspace_opened_twice_at_once_is_made_once(db_url):
    """Both openings find no tables; the second must wait until the first has made them.

    Each opening, about to create the ``meta`` table, waits for the other to
    get there too. Unserialized, both arrive and both create it, and one
    fails; serialized, the second waits for the first's transaction, so
    the first goes on alone after ``MEET_WITHIN`` and the second finds the
    workspace made.
    """
    meet = threading.Barrier(2, timeout=MEET_WITHIN)

    def before_create(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("CREATE TABLE META"):
            with contextlib.suppress(threading.BrokenBarrierError):
                meet.wait()

    failures: list[BaseException] = []

    def open_store() -> None:
        try:
            Store(db_url).dispose()
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", before_create)
    try:
        threads = [threading.Thread(target=open_store) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", before_create)
    assert failures == []
    store = Store(db_url, create=False)
    assert store.schema_version() == SCHEMA_VERSION
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(store.tables["meta"])).all() == [
            ("schema_version", str(SCHEMA_VERSION))]
    store.dispose()


def test_the_store_refuses_a_second_copy_of_an_engagement(tiny_workbook, fresh_store):
    import_workbook(fresh_store, tiny_workbook)
    eng = fresh_store.tables["engagements"]
    row = {"org_id": "B", "kind": "briefing", "date": "2015-03-01", "note": "again"}
    with pytest.raises(sa.exc.IntegrityError), fresh_store.engine.begin() as conn:
        conn.execute(eng.insert().values(row))
    # Blank key cells are part of the key too.
    blank = {"org_id": "B", "kind": None, "date": None, "note": None}
    with fresh_store.engine.begin() as conn:
        conn.execute(eng.insert().values(blank))
    with pytest.raises(sa.exc.IntegrityError), fresh_store.engine.begin() as conn:
        conn.execute(eng.insert().values(blank))


def _schema_1_store(url: str, tiny_workbook: Path) -> None:
    """A workspace as schema 1 left it: no engagement key, no consent checks."""
    store = Store(url)
    import_workbook(store, tiny_workbook)
    sqlite = store.engine.dialect.name == "sqlite"
    store.dispose()
    execute(url, "DROP INDEX uq_engagements_natural_key",
            *(["DROP TRIGGER participants_consent_insert",
               "DROP TRIGGER participants_consent_update"] if sqlite else []),
            "UPDATE meta SET value='1' WHERE key='schema_version'")


def test_upgrading_a_schema_1_store_removes_repeated_engagements_as_a_recorded_change(
        db_url, tiny_workbook):
    _schema_1_store(db_url, tiny_workbook)
    # What two concurrent schema-1 imports could leave.
    execute(db_url, *["INSERT INTO engagements (org_id, kind, date, note) "
                      "VALUES ('B', 'briefing', '2015-03-01', NULL)"] * 3)
    store = Store(db_url)
    assert store.schema_version() == SCHEMA_VERSION
    engagements = store.load().engagements
    assert len(engagements) == 1
    repair = store.imports()[-1]
    assert repair.mode == "repair" and repair.counts["engagements"]["removed"] == 3
    log = store.changes_of(repair.import_id)
    assert list(log["action"]) == ["remove"] * 3
    with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as conn:
        conn.execute(store.tables["engagements"].insert().values(
            org_id="B", kind="briefing", date="2015-03-01"))
    store.dispose()


# ----------------------------------------------------------------------------- consent


@pytest.mark.parametrize("stored", ["no", "false", "No", "n", 2, "yes"])
def test_consent_is_yes_only_when_the_store_says_an_explicit_yes(tmp_path, tiny_workbook, stored):
    path = tmp_path / "edited.sqlite"
    _schema_1_store(f"sqlite:///{path}", tiny_workbook)
    with sqlite3.connect(path) as conn:  # a hand edit with an SQLite tool
        conn.execute("UPDATE participants SET consent_directory=?, consent_contact=? "
                     "WHERE participant_id='p2'", (stored, stored))
        conn.execute("UPDATE participants SET email='bojan@example.org' WHERE participant_id='p2'")
    data = Store(path).load()
    p2 = data.participants.set_index("participant_id").loc["p2"]
    assert p2["consent_directory"] is None and p2["consent_contact"] is None
    shown = public_participants(data, "B")
    assert shown == {"listed": [], "unlisted": 1}


def test_consent_read_as_yes_and_no_from_a_normal_store(fresh_store, tiny_workbook):
    import_workbook(fresh_store, tiny_workbook)
    people = fresh_store.load().participants.set_index("participant_id")
    assert people.loc["p1", "consent_contact"] is True
    assert people.loc["p2", "consent_contact"] is False
    assert people.loc["p3", "consent_contact"] is None


def _consent_of(store: Store, participant: str) -> bool | None:
    return store.load().participants.set_index("participant_id").loc[participant,
                                                                      "consent_contact"]


SET_CONSENT = sa.text("UPDATE participants SET consent_contact = :value "
                      "WHERE participant_id = :participant")


@pytest.mark.parametrize("value", [2, -1, "1x", "maybe"])
def test_the_store_refuses_consent_values_outside_yes_and_no(fresh_store, tiny_workbook, value):
    """SQLite's triggers refuse them, PostgreSQL's boolean type does by itself."""
    import_workbook(fresh_store, tiny_workbook)
    refusal = {"sqlite": "consent_contact and consent_directory hold 1 .yes., 0 .no. or nothing",
               "postgresql": "boolean"}[fresh_store.engine.dialect.name]
    with pytest.raises(sa.exc.DBAPIError, match=refusal), fresh_store.engine.begin() as conn:
        conn.execute(SET_CONSENT, {"value": value, "participant": "p1"})
    assert _consent_of(fresh_store, "p1") is True


@pytest.mark.parametrize(("text", "meaning"), [("no", False), ("yes", True)])
def test_yes_and_no_written_as_text_are_refused_or_stored_as_what_they_spell(
        fresh_store, tiny_workbook, text, meaning):
    """SQLite's triggers refuse the text; PostgreSQL's boolean type reads it as yes or no.

    Either way the column never holds text, and p3's consent (unknown) changes
    only to what the text says.
    """
    import_workbook(fresh_store, tiny_workbook)
    assert _consent_of(fresh_store, "p3") is None
    if fresh_store.engine.dialect.name == "sqlite":
        with pytest.raises(sa.exc.IntegrityError, match="consent"), \
                fresh_store.engine.begin() as conn:
            conn.execute(SET_CONSENT, {"value": text, "participant": "p3"})
        assert _consent_of(fresh_store, "p3") is None
    else:
        with fresh_store.engine.begin() as conn:
            conn.execute(SET_CONSENT, {"value": text, "participant": "p3"})
            stored = conn.execute(sa.text(
                "SELECT consent_contact FROM participants WHERE participant_id = 'p3'")).scalar()
        assert stored is meaning
        assert _consent_of(fresh_store, "p3") is meaning


# ----------------------------------------------------------------------------- refusals


def test_reading_commands_never_turn_another_database_into_a_workspace(db_url):
    # An empty database first (a new one, or a wrong name), then one with a table of its own.
    execute(db_url)
    result = cli("summary", "--db", db_url)
    assert result.exit_code == 1 and "not a cso-network workspace" in result.output
    assert table_names(db_url) == set()
    execute(db_url, "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)",
            "INSERT INTO notes (id, text) VALUES (1, 'keep me')")
    for args in (["summary"], ["history"], ["analyze"]):
        result = cli(*args, "--db", db_url)
        assert result.exit_code == 1, (args, result.output)
        assert "not a cso-network workspace" in result.output
        assert "Traceback" not in result.output
    assert table_names(db_url) == {"notes"}
    with pytest.raises(StoreError, match="not a cso-network workspace"):
        Store(db_url, create=False)
    assert table_names(db_url) == {"notes"}
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT id, text FROM notes")).all() == [(1, "keep me")]
    engine.dispose()


def test_a_damaged_store_is_reported_as_such(tmp_path, tiny_workbook):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database at all" * 200)
    result = cli("summary", "--db", str(junk))
    assert result.exit_code == 1
    assert "damaged or is not a cso-network workspace" in result.output
    assert "bug" not in result.output.lower()
    # A real workspace cut in half.
    whole = tmp_path / "whole.sqlite"
    import_workbook(Store(whole), DEMO)
    cut = tmp_path / "cut.sqlite"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    result = cli("summary", "--db", str(cut))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "bug" not in result.output.lower()


@pytest.mark.parametrize(("version", "expected"), [
    ("99", "newer cso-network"),
    ("two", "not a number"),
])
def test_a_store_of_another_schema_is_refused_with_what_to_do(db_url, version, expected):
    Store(db_url).dispose()
    execute(db_url, f"UPDATE meta SET value='{version}' WHERE key='schema_version'")
    result = cli("summary", "--db", db_url)
    assert result.exit_code == 1
    assert expected in result.output and "bug" not in result.output.lower()


def test_opening_an_up_to_date_workspace_writes_nothing(db_url, tiny_workbook):
    """So a read-only copy (a shared folder, a file with no write permission) still opens."""
    store = Store(db_url)
    import_workbook(store, tiny_workbook)
    store.dispose()
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement.split()[0].upper())

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", record)
    try:
        store = Store(db_url, create=False)
        assert sorted(store.load().organizations["org_id"]) == ["A", "B", "C"]
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", record)
        store.dispose()
    # PRAGMA on SQLite; SHOW when PostgreSQL's driver connects.
    assert statements and set(statements) <= {"SELECT", "PRAGMA", "SHOW"}, statements


# ----------------------------------------------------------------------------- history and order


def test_history_lists_each_import_with_its_changes(db_url, tiny_workbook, tmp_path):
    """tiny, then bigger mirrored: organization D, its participant and attendance in, B's briefing out."""
    assert cli("import", str(tiny_workbook), "--db", db_url).exit_code == 0
    bigger = bigger_workbook(tmp_path)
    assert cli("import", str(bigger), "--mirror", "--db", db_url).exit_code == 0
    result = cli("history", "--db", db_url, "--json")
    assert result.exit_code == 0, result.output
    history = json.loads(result.stdout)
    assert [(h["import_id"], h["file_name"], h["mode"]) for h in history] == [
        (1, "tiny.xlsx", "upsert"), (2, "cohort-new.xlsx", "mirror")]

    def counts(added=0, removed=0, unchanged=0):
        return {"added": added, "updated": 0, "removed": removed, "unchanged": unchanged}

    assert history[0]["counts"] == {
        "seminars": counts(added=2), "organizations": counts(added=3),
        "participants": counts(added=4), "attendance": counts(added=4),
        "collaborations": counts(added=1), "engagements": counts(added=1)}
    assert history[1]["counts"] == {
        "seminars": counts(unchanged=2), "organizations": counts(added=1, unchanged=3),
        "participants": counts(added=1, unchanged=4), "attendance": counts(added=1, unchanged=4),
        "collaborations": counts(unchanged=1), "engagements": counts(removed=1)}
    store = Store(db_url, create=False)
    log = store.changes_of(2)
    store.dispose()
    assert list(zip(log["table"], log["action"], strict=True)) == [
        ("organizations", "add"), ("participants", "add"), ("attendance", "add"),
        ("engagements", "remove")]
    assert json.loads(log["before"].iloc[3]) == {"org_id": "B", "kind": "briefing",
                                                 "date": "2015-03-01", "note": None}
    assert json.loads(log["after"].iloc[0])["org_id"] == "D"


def test_a_workspace_reads_its_rows_in_code_point_order_on_every_backend(fresh_store):
    """The order of SQLite and of Python's ``sorted``: upper case before lower, then accents.

    A language's collation (PostgreSQL's usual one) would give b, C, Ć, č
    instead; results that break ties by row order would then differ between
    the same workspace on SQLite and on PostgreSQL.
    """
    new_ids = {"A": "b", "B": "č", "C": "C"}
    records = tiny_records()
    for org in records["organizations"]:
        org["org_id"] = new_ids[org["org_id"]]
    for table in ("participants", "engagements"):
        for row in records[table]:
            row["org_id"] = new_ids[row["org_id"]]
    records["collaborations"] = [{"org_a": "C", "org_b": "b", "kind": "joint project"},
                                 {"org_a": "b", "org_b": "č", "kind": "exchange"}]
    records["organizations"].append({"org_id": "Ć", "name": "Ćirilica", "country": "RS"})
    for person in records["participants"]:
        person["participant_id"] = person["participant_id"].replace("p2", "P2")
    for row in records["attendance"]:
        row["participant_id"] = row["participant_id"].replace("p2", "P2")
    fresh_store.import_dataset(dataset_from_records(records), file_name="ids.xlsx",
                               sha256="0" * 64)
    data = fresh_store.load()
    assert list(data.organizations["org_id"]) == ["C", "b", "Ć", "č"]
    assert list(data.participants["participant_id"]) == ["P2", "p1", "p3", "p4"]
    assert data.collaborations[["org_a", "org_b"]].values.tolist() == [["C", "b"], ["b", "č"]]
    assert data.attendance.values.tolist() == [["P2", "S1"], ["p1", "S1"], ["p3", "S2"],
                                               ["p4", "S2"]]
