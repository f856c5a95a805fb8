"""The command line prints the user's text as written and reports the user's environment plainly.

Names, ids, values, file names and arguments that look like rich markup
(``[/]``, ``[bold red]x[/]``, ``[link=...]``) or emoji codes are printed as
they are; a file or folder that cannot be read or written is a message naming
it (exit 1), not an internal error; the exit statuses are the ones
docs/cli.md lists; and ``demo`` never overwrites a README.md it did not write.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from cso_network import cli
from cso_network.cli import EXIT_BUG, EXIT_ERROR, EXIT_OK, EXIT_USAGE, app
from cso_network.ingest.excel import write_workbook
from cso_network.ingest.validate import validate_workbook
from cso_network.store.sql import Store
from cso_network.workspace import Workspace
from tests.helpers import dataset_from_records, minimal_sheets, tiny_records, write_sheets_to

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()

BOOM = "[bold red]boom[/]"
#: Organization ids and names that rich would read as markup or emoji codes.
IDS = {"A": "[/]", "B": "[link=https://example.org]B", "C": "C"}
NAMES = {"A": BOOM, "B": ":warning: Beta [/link]", "C": "[link=https://example.org]Gama"}


def run(*args: str, env: dict | None = None):
    # Wide enough that no table cell is folded or cut, so the texts can be found whole.
    return runner.invoke(app, list(args), env={"CSO_NETWORK_DB": "", "COLUMNS": "250",
                                               **(env or {})})


def clean(result) -> None:
    """No traceback and no rich markup error in the output."""
    assert "Traceback" not in result.output, result.output
    assert "MarkupError" not in result.output, result.output
    assert "Internal error" not in result.output, result.output


def _rename(value: str) -> str:
    return IDS.get(value, value)


@pytest.fixture
def markup_workbook(tmp_path: Path) -> Path:
    """The tiny dataset with markup-like ids and names, and a warning whose value is markup."""
    records = tiny_records()
    for org in records["organizations"]:
        org["name"] = NAMES[org["org_id"]]
        org["org_id"] = _rename(org["org_id"])
    records["organizations"][0]["fields"] = ("human rights", BOOM)  # unknown field: a warning
    for row in records["participants"] + records["engagements"]:
        row["org_id"] = _rename(row["org_id"])
    for row in records["collaborations"]:
        row["org_a"], row["org_b"] = _rename(row["org_a"]), _rename(row["org_b"])
    return write_workbook(dataset_from_records(records), tmp_path / "markup.xlsx")


# ----------------------------------------------------------------------------- user text


def test_markup_like_names_and_values_are_printed_as_written(markup_workbook, tmp_path):
    db = str(tmp_path / "ws.sqlite")

    result = run("validate", str(markup_workbook))
    clean(result)
    assert result.exit_code == EXIT_OK, result.output  # the unknown field is only a warning
    assert f"human rights; {BOOM}" in result.output  # the value cell
    assert f"unknown field '{BOOM}'" in result.output  # the message cell

    result = run("import", str(markup_workbook), "--db", db)
    clean(result)
    assert result.exit_code == EXIT_OK, result.output
    assert f"unknown field '{BOOM}'" in result.output
    assert set(Store(db).load().organizations["name"]) == set(NAMES.values())

    result = run("analyze", "--db", db, "--permutations", "10")
    clean(result)
    assert result.exit_code == EXIT_OK, result.output
    for org in "ABC":  # the brokers table lists all three, with their names
        assert NAMES[org] in result.output, NAMES[org]
    assert "[link=https://example.org]B " in result.output  # an id cell

    result = run("recommend", "--org", "[/]", "--db", db)
    clean(result)
    assert result.exit_code == EXIT_OK, result.output
    assert f"Suggested partners for {BOOM} ([/])" in result.output
    # B is suggested: A and B met at S1 and have no tie yet.
    assert f"{NAMES['B']} ({IDS['B']})" in result.output

    result = run("intro-path", "--org", "[/]", "--db", db)
    clean(result)
    assert result.exit_code == EXIT_OK, result.output
    # A reaches UNOGP through B, the engaged organization it met at S1.
    assert f"Path: [/] → {IDS['B']}" in result.output
    assert NAMES["B"] in result.output


def test_markup_like_values_in_errors_are_printed_as_written(tmp_path):
    sheets = minimal_sheets()
    sheets["organizations"][1][2] = BOOM  # unknown country: an error
    path = write_sheets_to(tmp_path / "bad.xlsx", sheets)
    db = str(tmp_path / "ws.sqlite")
    for args in (("validate", str(path)), ("import", str(path), "--db", db),
                 ("summary", "--data", str(path))):
        result = run(*args)
        clean(result)
        assert result.exit_code == EXIT_ERROR, (args, result.output)
        assert re.search(r"│ country\s*│ \[bold red\]boom\[/\]\s*│", result.output), (
            args, result.output)


def test_a_markup_like_file_name_is_printed_as_written(tmp_path):
    path = tmp_path / "[red]bad.xlsx"
    path.write_bytes(b"not a workbook")
    result = run("validate", str(path))
    clean(result)
    assert result.exit_code == EXIT_ERROR
    assert "File: [red]bad.xlsx" in result.output


@pytest.mark.parametrize("org", ["[/]", BOOM, "[link=https://example.org]x"])
def test_an_unknown_markup_like_org_is_a_clean_error(tiny_workbook, org):
    for command in ("recommend", "intro-path"):
        result = run(command, "--org", org, "--data", str(tiny_workbook))
        clean(result)
        assert result.exit_code == EXIT_ERROR, result.output
        assert f"no organization with id {org!r}" in result.output


def test_close_matches_are_named_as_written(markup_workbook):
    result = run("recommend", "--org", "boom", "--data", str(markup_workbook))
    clean(result)
    assert result.exit_code == EXIT_ERROR
    assert f"did you mean [/] ({BOOM})" in result.output


def test_the_progress_bar_shows_a_markup_like_file_name_as_written(tmp_path, monkeypatch,
                                                                   tiny_dataset):
    path = write_workbook(tiny_dataset, tmp_path / "[red]tiny.xlsx")
    terminal = io.StringIO()
    monkeypatch.setattr(cli, "err", Console(file=terminal, force_terminal=True, width=200))
    result = run("import", str(path), "--db", str(tmp_path / "ws.sqlite"))
    assert result.exit_code == EXIT_OK, result.output
    assert "Importing [red]tiny.xlsx" in terminal.getvalue()


# ----------------------------------------------------------------------------- environment


def test_an_unreadable_workbook_is_an_error_naming_it(tiny_workbook, monkeypatch, tmp_path):
    real_open = Path.open

    def deny(self, *args, **kwargs):  # what the system does for a file one may not read
        if self.name == tiny_workbook.name:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    for args in (("validate", str(tiny_workbook)),
                 ("import", str(tiny_workbook), "--db", str(tmp_path / "ws.sqlite"))):
        result = run(*args)
        clean(result)
        assert result.exit_code == EXIT_ERROR, (args, result.output)
        assert f"cannot use {tiny_workbook}: permission denied" in result.output
        assert "This is a bug" not in result.output


def test_an_unwritable_workspace_is_an_error_naming_it(monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", "/srv/cso/ws.sqlite")

    monkeypatch.setattr("cso_network.store.sql.Store", refuse)
    for args in (("init", "--db", "/srv/cso/ws.sqlite"), ("history", "--db", "/srv/cso/ws.sqlite")):
        result = run(*args)
        clean(result)
        assert result.exit_code == EXIT_ERROR, (args, result.output)
        assert "cannot use /srv/cso/ws.sqlite: permission denied" in result.output


@pytest.fixture
def a_file(tmp_path: Path) -> Path:
    """A regular file, so that a path under it cannot be created."""
    path = tmp_path / "notes.txt"
    path.write_text("a file, not a folder\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("args", [
    ("demo", "--out", "{file}/x.xlsx"),
    ("template", "--out", "{file}/t.xlsx"),
    ("init", "--db", "{file}/sub/ws.sqlite"),
    ("import", "{workbook}", "--db", "{file}/sub/ws.sqlite"),
])
def test_a_path_under_a_file_is_an_error_naming_it(args, a_file, tiny_workbook):
    result = run(*(a.format(file=a_file, workbook=tiny_workbook) for a in args))
    clean(result)
    assert result.exit_code == EXIT_ERROR, result.output
    assert str(a_file) in result.output
    assert a_file.read_text(encoding="utf-8") == "a file, not a folder\n"


def test_a_folder_given_as_the_output_file_is_an_error(tmp_path):
    result = run("template", "--out", str(tmp_path))
    clean(result)
    assert result.exit_code == EXIT_ERROR, result.output
    assert "this is a folder: give a file name" in result.output


def test_describe_os_error_names_the_path_and_what_to_do():
    text = cli.describe_os_error(PermissionError(13, "Permission denied", "/some/path"))
    assert text.startswith("cannot use /some/path: permission denied: ")
    assert "choose another path" in text
    assert cli.describe_os_error(NotADirectoryError(20, "Not a directory", "/a/f/x")) == (
        "cannot use /a/f/x: a part of the path is a file, not a folder: check the path")
    no_path = OSError(28, "No space left on device")
    assert cli.describe_os_error(no_path) == "No space left on device"


@pytest.mark.parametrize("command", ["demo", "analyze", "backtest"])
def test_a_negative_seed_is_a_usage_error(command, tmp_path):
    where = (["--out", str(tmp_path / "x.xlsx")] if command == "demo"
             else ["--data", str(ROOT / "data" / "demo" / "pcrc_demo.xlsx")])
    result = run(command, "--seed", "-1", *where)
    clean(result)
    assert result.exit_code == EXIT_USAGE, result.output
    assert "--seed" in result.output
    assert list(tmp_path.iterdir()) == []


# ----------------------------------------------------------------------------- demo notes


def test_demo_keeps_a_readme_it_did_not_write(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# My project\n\nMy own notes.\n", encoding="utf-8")
    result = run("demo", "--out", str(tmp_path / "x.xlsx"), "--orgs", "50")
    assert result.exit_code == EXIT_OK, result.output
    assert readme.read_text(encoding="utf-8") == "# My project\n\nMy own notes.\n"
    notes = tmp_path / "x.README.md"
    assert "SYNTHETIC DATA" in notes.read_text(encoding="utf-8")
    assert str(notes) in result.output
    assert (tmp_path / "x.xlsx").exists()


def test_demo_writes_readme_in_a_fresh_folder_and_replaces_its_own(tmp_path):
    assert run("demo", "--out", str(tmp_path / "x.xlsx"), "--seed", "1").exit_code == EXIT_OK
    first = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "seed=1)" in first
    assert run("demo", "--out", str(tmp_path / "x.xlsx"), "--seed", "2").exit_code == EXIT_OK
    assert "seed=2)" in (tmp_path / "README.md").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "x.xlsx"]


def test_demo_over_the_committed_layout_writes_the_same_readme(tmp_path):
    committed = (ROOT / "data" / "demo" / "README.md").read_bytes()
    (tmp_path / "README.md").write_bytes(committed)
    result = run("demo", "--out", str(tmp_path / "pcrc_demo.xlsx"))
    assert result.exit_code == EXIT_OK, result.output
    assert (tmp_path / "README.md").read_bytes() == committed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "pcrc_demo.xlsx"]


# ----------------------------------------------------------------------------- exit statuses


def test_every_documented_exit_status(tiny_workbook, tmp_path, monkeypatch):
    assert (EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_BUG) == (0, 1, 2, 3)
    assert run("validate", str(tiny_workbook)).exit_code == EXIT_OK
    missing = run("validate", str(tmp_path / "missing.xlsx"))
    assert missing.exit_code == EXIT_ERROR and "file not found" in missing.output
    for args in (("validate", "--no-such-option", str(tiny_workbook)), ("validate",),
                 ("recommend", "--org", "A", "--top", "0"), ("no-such-command",)):
        assert run(*args).exit_code == EXIT_USAGE, args

    def broken(path):
        raise RuntimeError("[/] went wrong")

    monkeypatch.setattr("cso_network.ingest.validate.validate_workbook", broken)
    bug = run("validate", str(tiny_workbook))
    assert bug.exit_code == EXIT_BUG
    assert "Internal error: RuntimeError: [/] went wrong" in bug.output
    assert "This is a bug" in bug.output and "Traceback" not in bug.output
    with pytest.raises(RuntimeError, match="went wrong"):  # the details, for debugging
        runner.invoke(app, ["validate", str(tiny_workbook)], env={"CSO_NETWORK_DEBUG": "1"},
                      catch_exceptions=False)


def test_the_docs_list_every_exit_status():
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    section = text.split("**Exit status.**", 1)[1].split("\n## ", 1)[0]
    for code, words in ((EXIT_OK, "success"), (EXIT_ERROR, "environment"),
                        (EXIT_USAGE, "usage error"), (EXIT_BUG, "internal error")):
        assert re.search(rf"`{code}`[^`]*{words}", section, re.IGNORECASE), (code, section)


# ----------------------------------------------------------------------------- streams


def _drain(fd: int, sink: list[bytes]) -> None:
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return
        if not chunk:
            return
        sink.append(chunk)


def test_json_goes_to_stdout_while_the_progress_bar_is_on_a_terminal(tmp_path):
    """`recommend --all --json > out.jsonl` in a terminal: the file holds every line."""
    import pty
    import threading

    from tests.helpers import DEMO

    master, slave = pty.openpty()
    screen: list[bytes] = []
    reader = threading.Thread(target=_drain, args=(master, screen), daemon=True)
    reader.start()
    out_file = tmp_path / "out.jsonl"
    with out_file.open("w") as fh:
        done = subprocess.run(
            [sys.executable, "-m", "cso_network", "recommend", "--all", "--json", "--data", str(DEMO)],
            stdout=fh, stderr=slave, stdin=slave, timeout=300,
            env=dict(os.environ, CSO_NETWORK_DB="", COLUMNS="100"))
    os.close(slave)
    reader.join(timeout=5)
    os.close(master)
    assert done.returncode == 0
    lines = out_file.read_text(encoding="utf-8").splitlines()
    organizations = len(Workspace.open(data=DEMO).dataset.organizations)
    assert len(lines) == organizations
    assert all(json.loads(line)["org_id"] for line in lines)
    assert b'"suggestions"' not in b"".join(screen)  # nothing of the document on the terminal


def test_output_to_a_pipe_is_never_cut_or_wrapped(tmp_path):
    """Piped, a table row is one line with whole values: grep finds them."""
    long_value = "sometime in spring " * 8 + "of the year the seminar was held"
    records = tiny_records()
    records["seminars"][0]["start_date"] = long_value
    records["organizations"][0]["name"] = "Organizacija za ljudska prava i tranzicijsku pravdu " * 3
    path = write_workbook(dataset_from_records(records), tmp_path / "dates.xlsx")
    done = subprocess.run([sys.executable, "-m", "cso_network", "validate", str(path)],
                          capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, CSO_NETWORK_DB="", COLUMNS="80"))
    assert done.returncode == 1
    rows = [line for line in done.stdout.splitlines() if "start_date" in line]
    assert len(rows) == 1 and long_value.strip() in rows[0]
    # Every problem is one line of the table, however long (none wrapped onto the next).
    table_rows = [line for line in done.stdout.splitlines() if line.startswith("│")]
    assert len(table_rows) == len(validate_workbook(path).problems)
