"""The committed demo and template are what the generator writes, and they load cleanly."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cso_network.cli import app
from cso_network.demo.synth import DEMO_SEED, generate_programme
from cso_network.ingest.validate import validate_workbook
from cso_network.store.sql import Store
from cso_network.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo" / "pcrc_demo.xlsx"
TEMPLATE = ROOT / "data" / "template.xlsx"


def test_committed_demo_is_the_seeded_generator_output():
    report = validate_workbook(DEMO)
    assert report.ok, [str(p) for p in report.errors]
    generated = generate_programme(seed=DEMO_SEED).dataset
    for name, frame in generated.frames().items():
        committed = report.dataset.table(name)
        assert committed.to_dict("records") == frame.to_dict("records"), name


def test_committed_demo_is_labelled_synthetic():
    assert "SYNTHETIC DATA" in (DEMO.parent / "README.md").read_text(encoding="utf-8")
    import openpyxl

    wb = openpyxl.load_workbook(DEMO, read_only=True)
    first_cells = [row[0] for row in wb["README"].iter_rows(max_row=5, values_only=True)]
    wb.close()
    assert any(c and "SYNTHETIC DATA" in c for c in first_cells)


def test_demo_has_no_warnings_or_errors():
    report = validate_workbook(DEMO)
    assert [p for p in report.problems if p.severity != "note"] == []


def test_template_validates_as_an_empty_workbook():
    report = validate_workbook(TEMPLATE)
    assert report.ok and report.dataset.is_empty()


def test_init_demo_twice_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    db = str(tmp_path / "ws.sqlite")
    runner = CliRunner()
    assert runner.invoke(app, ["init", "--demo", "--db", db]).exit_code == 0
    version = Store(db).version()
    second = runner.invoke(app, ["init", "--demo", "--db", db])
    assert second.exit_code == 0 and "already loaded" in second.stdout
    assert Store(db).version() == version == 1
    summary = json.loads(runner.invoke(app, ["summary", "--db", db, "--json"]).stdout)
    direct = json.loads(runner.invoke(app, ["summary", "--data", str(DEMO), "--json"]).stdout)
    assert summary == direct == Workspace.from_workbook(DEMO).summary()
