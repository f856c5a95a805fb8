"""Arbitrary text as names: through validate, import, every command's output and every figure.

Names are what people type, and what an attacker types: rich markup
(``[/]``, ``[bold red]…``), HTML (``<a href=…>``), control and right-to-left
override characters, and 32,767-character strings (an Excel cell's most).
Whatever the name, reading it gives the name back or a problem naming the
limit it breaks; every command exits 0 or 1 with no traceback and prints the
name as written; and no figure the pages draw holds raw markup from the data
or unbounded text.
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cso_network.cli import app as cli_app
from cso_network.core.text import normalize_space
from cso_network.ingest.excel import write_workbook
from cso_network.ingest.limits import EXCEL_MAX_CELL_CHARS, Limits
from cso_network.ingest.validate import validate_workbook
from cso_network.store.sql import Store
from cso_network.workspace import Workspace, import_workbook
from dashboard.app import create_app
from dashboard.components import DISPLAY_CHARS
from tests.helpers import dataset_from_records, drawn_figures, hostile_records, strings

runner = CliRunner()

#: Characters an .xlsx file cannot hold (XML 1.0 forbids them); a workbook never carries them.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

HOSTILE = [
    "[/]",
    "[bold red]boom[/]",
    "[link=https://phish.example]x[/link]",
    '<a href="https://phish.example/login">Udruženje</a>',
    "<b>bold</b><style>body{display:none}</style>",
    "\u202eevil\u202c Centar",  # right-to-left override
    "Tab\tand\nnew line",
    ":warning: :smile:",
    "=HYPERLINK(\"https://phish.example\")",
    "Центар [за] <мир>",
]

#: Texts built from the troublesome pieces, any order, any length up to Excel's cell limit.
pieces = st.sampled_from(["[", "]", "/", "<", ">", "&", "\"", "'", "=", "\u202e", "\t", "\n",
                          "a", "Ž", "Ш", " ", "[/]", "<a href='x'>", "bold", ":", "\\"])
hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.lists(pieces, min_size=1, max_size=40).map("".join),
    st.text(min_size=1, max_size=60),
    st.integers(min_value=301, max_value=EXCEL_MAX_CELL_CHARS).map(lambda n: ("N" * n)),
)


def _workbook_name(text: str) -> str:
    """``text`` as a workbook can hold it, or "" when nothing printable is left."""
    return _XML_ILLEGAL.sub("", text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=hostile_text)
def test_any_name_is_read_back_or_refused_with_the_limit_it_breaks(tmp_path_factory, name):
    name = _workbook_name(name)
    expected = normalize_space(name)  # what the reader keeps of a name (NFKC, one space)
    records = hostile_records({"A": name})
    path = write_workbook(dataset_from_records(records), tmp_path_factory.mktemp("n") / "n.xlsx")
    report = validate_workbook(path)
    limit = Limits().max_name_chars
    if not expected:
        assert not report.ok  # a required name left blank
        return
    if len(expected) > limit:
        problems = [p for p in report.errors if p.sheet == "organizations" and p.column == "name"]
        assert problems and problems[0].row == 2
        assert f"the limit is {limit}" in problems[0].message
        return
    assert report.ok, report.errors
    store = Store.memory()
    import_workbook(store, path)
    names = dict(zip(store.load().organizations["org_id"], store.load().organizations["name"],
                     strict=True))
    assert names["A"] == expected


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> str:
    """A workspace whose organizations carry hostile names (A, B and C) and a long one (C)."""
    names = {"A": HOSTILE[1], "B": HOSTILE[3], "C": HOSTILE[0] + " " + "x" * 290}
    path = write_workbook(dataset_from_records(hostile_records(names)),
                          tmp_path_factory.mktemp("h") / "hostile.xlsx")
    db = tmp_path_factory.mktemp("db") / "ws.sqlite"
    import_workbook(Store(db), path)
    return str(db)


COMMANDS = [
    ["summary"], ["summary", "--json"],
    ["analyze", "--permutations", "10"], ["analyze", "--permutations", "10", "--json"],
    ["recommend", "--org", "A"], ["recommend", "--org", "A", "--json"],
    ["recommend", "--org", "[/]"],
    ["focal-points"], ["focal-points", "--json"],
    ["intro-path", "--org", "A"], ["intro-path", "--org", "B", "--json"],
    ["backtest"], ["history"], ["history", "--json"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_command_prints_hostile_names_as_written(hostile_db, args):
    result = runner.invoke(cli_app, [*args, "--db", hostile_db], env={"CSO_NETWORK_DB": ""})
    output = result.output
    assert result.exit_code in (0, 1), output
    assert "Traceback" not in output and "Internal error" not in output
    assert "MarkupError" not in output
    if "--json" in args and result.exit_code == 0:
        json.loads(result.stdout)  # one document, whatever the names hold
    if args[:2] == ["recommend", "--org"] and args[2] == "A" and "--json" not in args:
        assert "[bold red]boom[/]" in output  # the organization's own name, as written


def test_the_workbook_commands_print_hostile_values_as_written(tmp_path):
    names = {"A": HOSTILE[1], "B": HOSTILE[3]}
    records = hostile_records(names)
    records["seminars"][0]["country"] = "[bold]Atlantis[/]"  # an error that quotes the value
    path = write_workbook(dataset_from_records(records), tmp_path / "[red]cohort.xlsx")
    for args in (["validate", str(path)], ["import", str(path), "--db", str(tmp_path / "w.sqlite")]):
        result = runner.invoke(cli_app, args, env={"CSO_NETWORK_DB": ""})
        assert result.exit_code == 1
        assert "[bold]Atlantis[/]" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("length", [300, EXCEL_MAX_CELL_CHARS])
def test_no_figure_holds_raw_markup_or_unbounded_text(length):
    """Every page's figures, with names of every kind (a store may hold any length)."""
    long_name = ("<b>" + "L" * length)[:length]
    names = {"A": HOSTILE[3], "B": HOSTILE[4], "C": long_name}
    ws = Workspace(dataset_from_records(hostile_records(names)), version=f"hostile-{length}",
                   name="hostile")
    texts = [s for figure in drawn_figures(create_app(ws), ["A", "B", "C"]) for s in strings(figure)]
    assert texts
    for text in texts:
        # The figures' own <b> and <br> are theirs; the data's markup is never raw.
        assert "<a href" not in text and "<b>bold</b>" not in text and "<style>" not in text
        assert len(text) <= 4 * DISPLAY_CHARS + 2000, len(text)
    assert any("&lt;a href=" in t for t in texts)
