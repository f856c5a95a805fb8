"""The store keeps its data whole: serialized imports, unique keys, strict consent, honest refusals.

Each test sets up the failure by hand (two processes importing at once, a
store edited with an SQLite tool, a file that is not a workspace) and checks
the store's answer against counts taken from the input itself.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from cso_network.access.privacy import public_participants
from cso_network.cli import app
from cso_network.core.exceptions import StoreError
from cso_network.store.sql import SCHEMA_VERSION, Store
from cso_network.workspace import import_workbook

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo" / "pcrc_demo.xlsx"
runner = CliRunner()


def cli(*args: str):
    return runner.invoke(app, list(args), env={"CSO_NETWORK_DB": ""})


def sqlite_tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


# ----------------------------------------------------------------------------- concurrent imports


def test_two_imports_at_once_store_each_row_once(tmp_path):
    """Two ``cso-network import`` processes of the same workbook: one writes, the other finds nothing new."""
    db = tmp_path / "ws.sqlite"
    Store(db).dispose()
    command = [sys.executable, "-m", "cso_network", "import", str(DEMO), "--db", str(db)]
    env = dict(os.environ, CSO_NETWORK_DB="")
    procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
             for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    store = Store(db)
    expected = import_workbook(Store.memory(), DEMO)[0].changes.counts()
    data = store.load()
    for table, counts in expected.items():
        assert len(data.table(table)) == counts["added"], table
    # One recorded import; the other saw that the workspace already held the file.
    assert len(store.imports()) == 1
    assert sum("Nothing to change" in out.decode() for out, _ in outputs) == 1


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


def _schema_1_store(path: Path, tiny_workbook: Path) -> None:
    """A workspace as schema 1 left it: no engagement key, no consent checks."""
    store = Store(path)
    import_workbook(store, tiny_workbook)
    store.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP INDEX uq_engagements_natural_key")
        conn.execute("DROP TRIGGER participants_consent_insert")
        conn.execute("DROP TRIGGER participants_consent_update")
        conn.execute("UPDATE meta SET value='1' WHERE key='schema_version'")


def test_upgrading_a_schema_1_store_removes_repeated_engagements_as_a_recorded_change(
        tmp_path, tiny_workbook):
    path = tmp_path / "old.sqlite"
    _schema_1_store(path, tiny_workbook)
    with sqlite3.connect(path) as conn:
        for _ in range(3):  # what two concurrent schema-1 imports could leave
            conn.execute("INSERT INTO engagements (org_id, kind, date, note) "
                         "VALUES ('B', 'briefing', '2015-03-01', NULL)")
    store = Store(path)
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


# ----------------------------------------------------------------------------- consent


@pytest.mark.parametrize("stored", ["no", "false", "No", "n", 2, "yes"])
def test_consent_is_yes_only_when_the_store_says_an_explicit_yes(tmp_path, tiny_workbook, stored):
    path = tmp_path / "edited.sqlite"
    _schema_1_store(path, tiny_workbook)
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


@pytest.mark.parametrize("value", ["no", "yes", 2, -1, "1x"])
def test_the_store_refuses_consent_values_outside_yes_and_no(fresh_store, tiny_workbook, value):
    import_workbook(fresh_store, tiny_workbook)
    with pytest.raises(sa.exc.IntegrityError, match="consent"), fresh_store.engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE participants SET consent_contact=? WHERE participant_id='p1'", (value,))
    assert fresh_store.load().participants.set_index("participant_id").loc["p1",
                                                                          "consent_contact"] is True


# ----------------------------------------------------------------------------- refusals


def test_reading_commands_never_turn_another_sqlite_file_into_a_workspace(tmp_path):
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    for args in (["summary"], ["history"], ["analyze"]):
        result = cli(*args, "--db", str(other))
        assert result.exit_code == 1, (args, result.output)
        assert "not a cso-network workspace" in result.output
        assert "Traceback" not in result.output
    assert sqlite_tables(other) == {"notes"}
    with pytest.raises(StoreError, match="not a cso-network workspace"):
        Store(other, create=False)
    assert sqlite_tables(other) == {"notes"}


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
def test_a_store_of_another_schema_is_refused_with_what_to_do(tmp_path, version, expected):
    path = tmp_path / "ws.sqlite"
    Store(path).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value=? WHERE key='schema_version'", (version,))
    result = cli("summary", "--db", str(path))
    assert result.exit_code == 1
    assert expected in result.output and "bug" not in result.output.lower()
