"""The command line: exit codes, JSON output, and clear errors without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cso_network.cli import app
from cso_network.store.sql import Store
from tests.helpers import minimal_sheets, write_sheets_to

runner = CliRunner()

SUMMARY_KEYS = {"organizations", "participants", "seminars", "countries", "attendance",
                "met_pairs", "collaboration_ties", "engagements"}


def run(*args: str, env: dict | None = None):
    return runner.invoke(app, list(args), env=env or {"CSO_NETWORK_DB": ""})


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "ws.sqlite")


@pytest.fixture
def bad_workbook(tmp_path: Path) -> Path:
    sheets = minimal_sheets()
    sheets["organizations"][1][2] = "Narnia"  # unknown country, row 2
    sheets["attendance"].append(["p9", "S1"])  # unknown participant, row 4
    return write_sheets_to(tmp_path / "bad.xlsx", sheets)


def test_validate_ok_exits_0(tiny_workbook):
    result = run("validate", str(tiny_workbook))
    assert result.exit_code == 0, result.output
    assert "OK" in result.stdout


def test_validate_errors_exit_1_and_json_lists_them(bad_workbook):
    result = run("validate", str(bad_workbook), "--json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    errors = [p for p in problems if p["severity"] == "error"]
    assert {(p["sheet"], p["row"], p["column"], p["value"]) for p in errors} == {
        ("organizations", 2, "country", "Narnia"),
        ("attendance", 4, "participant_id", "p9"),
    }
    assert set(problems[0]) == {"severity", "file", "sheet", "row", "column", "value", "message"}
    assert all(p["file"] == "bad.xlsx" for p in problems)


def test_validate_warnings_alone_exit_0(tmp_path):
    sheets = minimal_sheets()
    sheets["organizations"][1][5] = "human rights; basket weaving"
    path = write_sheets_to(tmp_path / "warn.xlsx", sheets)
    result = run("validate", str(path), "--json")
    assert result.exit_code == 0
    problems = json.loads(result.stdout)
    assert [p["severity"] for p in problems] == ["warning"]
    assert "basket weaving" in problems[0]["message"]


@pytest.mark.parametrize("content", [b"", b"hello, I am a CSV file\n", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1junk"])
def test_garbage_files_never_give_a_traceback(tmp_path, content, db):
    path = tmp_path / "garbage.xlsx"
    path.write_bytes(content)
    for args in (("validate", str(path)), ("import", str(path), "--db", db),
                 ("summary", "--data", str(path))):
        result = run(*args)
        assert result.exit_code == 1, (args, result.output)
        assert "Traceback" not in result.output
        assert "garbage.xlsx" in result.output
    assert Store(db).load().is_empty()


def test_import_then_summary_json(tiny_workbook, db):
    result = run("import", str(tiny_workbook), "--db", db, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["changed"] is True and report["import_id"] == 1
    assert report["tables"]["organizations"]["added"] == 3
    summary = json.loads(run("summary", "--db", db, "--json").stdout)
    assert set(summary) == SUMMARY_KEYS
    assert all(isinstance(v, int) for v in summary.values())
    # tiny: A-B met at S1, A-C met at S2; one declared tie; BA, ME, RS.
    assert summary == {"organizations": 3, "participants": 4, "seminars": 2, "countries": 3,
                       "attendance": 4, "met_pairs": 2, "collaboration_ties": 1, "engagements": 1}
    # --data with the workbook gives the same figures.
    assert json.loads(run("summary", "--data", str(tiny_workbook), "--json").stdout) == summary
    # --data with the workspace file too.
    assert json.loads(run("summary", "--data", db, "--json").stdout) == summary


def test_import_twice_changes_nothing_and_dry_run_writes_nothing(tiny_workbook, db):
    dry = json.loads(run("import", str(tiny_workbook), "--db", db, "--dry-run", "--json").stdout)
    assert dry["dry_run"] is True and dry["import_id"] is None
    assert dry["tables"]["participants"]["added"] == 4
    assert Store(db).load().is_empty()
    assert run("import", str(tiny_workbook), "--db", db).exit_code == 0
    again = json.loads(run("import", str(tiny_workbook), "--db", db, "--json").stdout)
    assert again["changed"] is False
    assert again["tables"]["organizations"] == {"added": 0, "updated": 0, "removed": 0, "unchanged": 3}
    history = json.loads(run("history", "--db", db, "--json").stdout)
    assert [h["import_id"] for h in history] == [1]
    assert history[0]["file_name"] == "tiny.xlsx"


def test_import_with_errors_exits_1_and_writes_nothing(bad_workbook, tiny_workbook, db):
    run("import", str(tiny_workbook), "--db", db)
    before = Store(db).load()
    result = run("import", str(bad_workbook), "--db", db)
    assert result.exit_code == 1
    assert "Narnia" in result.output and "nothing was changed" in result.output
    after = Store(db).load()
    for name, frame in before.frames().items():
        assert frame.equals(after.table(name)), name
    assert len(Store(db).imports()) == 1


def test_db_from_environment(tiny_workbook, db):
    assert run("import", str(tiny_workbook), env={"CSO_NETWORK_DB": db}).exit_code == 0
    summary = json.loads(run("summary", "--json", env={"CSO_NETWORK_DB": db}).stdout)
    assert summary["organizations"] == 3


def test_summary_on_a_missing_workspace_says_how_to_create_it(tmp_path):
    result = run("summary", "--db", str(tmp_path / "nope.sqlite"))
    assert result.exit_code == 1
    assert "cso-network init" in result.output
    assert not (tmp_path / "nope.sqlite").exists()


def test_template_is_a_valid_empty_workbook(tmp_path):
    path = tmp_path / "template.xlsx"
    assert run("template", "--out", str(path)).exit_code == 0
    result = run("validate", str(path), "--json")
    assert result.exit_code == 0
    assert {p["severity"] for p in json.loads(result.stdout)} == {"note"}  # README, lists sheets


def test_python_dash_m_runs_the_cli():
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "cso_network", "--help"], capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0 and "validate" in proc.stdout
