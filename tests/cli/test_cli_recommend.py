"""The suggestion commands: recommend, backtest, focal-points, intro-path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cso_network.cli import app
from cso_network.workspace import Workspace

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo" / "pcrc_demo.xlsx"
runner = CliRunner()


def run(*args):
    return runner.invoke(app, [*args, "--data", str(DEMO)])


@pytest.fixture(scope="module")
def ws():
    return Workspace.open(data=DEMO)


def test_recommend_one_org_json_matches_the_library(ws):
    result = run("recommend", "--org", "ORG-011", "--top", "5", "--json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert records == json.loads(json.dumps(ws.suggestions("ORG-011", top=5)))
    assert len(records) == 5
    for r in records:
        assert set(r) == {"partner_id", "name", "country", "score", "components", "reasons"}
        assert 1 <= len(r["reasons"]) <= 3
        assert r["partner_id"] != "ORG-011"
        assert abs(sum(r["components"].values()) - r["score"]) < 1e-3
    partners = {b for a, b in ws.graph("collaborated").edges("ORG-011")}
    assert not partners & {r["partner_id"] for r in records}


def test_recommend_all_streams_json_lines(ws):
    result = run("recommend", "--all", "--top", "3", "--json")
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 79 and lines[0]["org_id"] == "ORG-001"
    assert [line["org_id"] for line in lines] == sorted(ws.dataset.organizations["org_id"])
    # each line is that organization's own list, as --org gives it; the organization is
    # the line's org_id, each suggested partner a record's partner_id
    for line in lines:
        assert line["suggestions"] == json.loads(json.dumps(ws.suggestions(line["org_id"], top=3)))
        assert all(set(r) == {"partner_id", "name", "country", "score", "components", "reasons"}
                   and r["partner_id"] != line["org_id"] for r in line["suggestions"])


def test_recommend_preset_and_weight_change_the_list():
    base = json.loads(run("recommend", "--org", "ORG-011", "--json").stdout)
    similar = json.loads(run("recommend", "--org", "ORG-011", "--preset", "similar-work",
                             "--json").stdout)
    assert [r["partner_id"] for r in base] != [r["partner_id"] for r in similar]
    without_two = json.loads(run("recommend", "--org", "ORG-011", "--weight", "proximity=0",
                                 "--weight", "thematic_fit=0", "--json").stdout)
    assert without_two
    assert all(r["components"]["proximity"] == 0 and r["components"]["thematic_fit"] == 0
               for r in without_two)


def test_recommend_learned_preset_uses_the_workspaces_own_history(ws):
    result = run("recommend", "--org", "ORG-011", "--top", "5", "--preset", "learned", "--json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)  # still a list: the weights go to stderr
    assert records == json.loads(json.dumps(ws.suggestions("ORG-011", preset="learned", top=5)))
    assert records != json.loads(json.dumps(ws.suggestions("ORG-011", top=5)))
    info = ws.learned_weights(details=True)
    said = " ".join(result.stderr.split())
    parts = ", ".join(f"{name} {value:.2f}" for name, value in info["weights"].items())
    assert (f"Learned weights: {parts}. Learned from the collaborations that started in "
            f"{info['inner_split_year']}–{info['last_year']}, predicted from what was known "
            "before them.") in said
    # with --all, every line is the same list as --org gives
    result = run("recommend", "--all", "--top", "3", "--preset", "learned", "--json")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 79
    for line in lines[::10]:
        assert line["suggestions"] == json.loads(json.dumps(
            ws.suggestions(line["org_id"], preset="learned", top=3)))
    # the text output says the weights too, and an override is marked as such
    result = run("recommend", "--org", "ORG-011", "--preset", "learned", "--weight",
                 "language=0")
    assert result.exit_code == 0, result.output
    assert "Learned weights (with the --weight changes):" in result.stderr
    assert "language 0.00" in result.stderr


def test_recommend_learned_preset_on_too_short_a_history_exits_1(tmp_path):
    """Ties of one year only: nothing came before the learning window."""
    from cso_network.ingest.excel import write_workbook
    from tests.helpers import dataset_from_records, tiny_records

    records = tiny_records()
    for row in records["collaborations"]:
        row["since"] = "2014"
    path = write_workbook(dataset_from_records(records), tmp_path / "short.xlsx")
    result = runner.invoke(app, ["recommend", "--org", "A", "--preset", "learned", "--data",
                                 str(path)])
    assert result.exit_code == 1
    assert ("Error: too little history to learn weights: the new collaborations of 2013–2014 "
            "are learned from those before 2013, and the earliest dated collaboration starts "
            "in 2014") in " ".join(result.output.split())
    assert "Traceback" not in result.output
    # the fixed presets still answer
    assert runner.invoke(app, ["recommend", "--org", "A", "--data", str(path)]).exit_code == 0


@pytest.mark.parametrize(("args", "message"), [
    (("recommend", "--org", "ORG-999"), "no organization with id 'ORG-999'"),
    (("recommend",), "either --org"),
    (("recommend", "--org", "ORG-011", "--weight", "bogus"), "NAME=NUMBER"),
    (("recommend", "--org", "ORG-011", "--preset", "nope"),
     "unknown preset 'nope'; presets are balanced, integration, similar-work, coverage, learned"),
    (("recommend", "--all", "--preset", "nope"), "unknown preset 'nope'"),
    (("backtest", "--preset", "nope"),
     "unknown preset 'nope'; presets are balanced, integration, similar-work, coverage, learned"),
    (("intro-path", "--org", "ORG-999"), "ORG-999"),
])
def test_bad_requests_exit_1_with_a_message(args, message):
    result = run(*args)
    assert result.exit_code == 1 and message in result.output
    assert "Traceback" not in result.output


def test_backtest_json_contract(ws):
    result = run("backtest", "--json")
    assert result.exit_code == 0, result.output
    r = json.loads(result.stdout)
    assert r["k"] == 10 and isinstance(r["split_year"], int)
    assert list(r["methods"]) == ["engine", "adamic_adar", "preferential_attachment", "random"]
    for m in r["methods"].values():
        assert set(m) >= {"precision_at_k", "recall_at_k", "auc"}
    ratio = r["precision_ratio"]
    assert (ratio["method"], ratio["baseline"]) == ("engine", "adamic_adar")
    engine, aa = r["methods"]["engine"], r["methods"]["adamic_adar"]
    assert ratio["ratio"] == pytest.approx(engine["precision_at_k"] / aa["precision_at_k"])
    assert ratio["ci"][0] <= ratio["ratio"] <= ratio["ci"][1]
    assert r == json.loads(json.dumps(ws.backtest()))


def test_backtest_split_year_and_k(ws):
    result = run("backtest", "--split-year", "2019", "--k", "5", "--json")
    assert result.exit_code == 0, result.output
    r = json.loads(result.stdout)
    assert (r["split_year"], r["k"]) == (2019, 5)
    # new ties, counted here from the table: pairs whose first dated tie is 2019 or
    # later and that have no undated tie (undated ties count as known)
    c = ws.dataset.collaborations
    pair = [tuple(sorted(p)) for p in zip(c["org_a"], c["org_b"], strict=True)]
    first: dict[tuple, float] = {}
    for p, since in zip(pair, c["since"], strict=True):
        year = int(since[:4]) if isinstance(since, str) and since else float("-inf")
        first[p] = min(first.get(p, float("inf")), year)
    assert r["new_ties"] == sum(1 for y in first.values() if y >= 2019) > 0
    assert r["new_ties"] != ws.backtest()["new_ties"]  # the default split is another year
    for m in r["methods"].values():
        assert 0 <= m["precision_at_k"] <= 1 and 0 <= m["recall_at_k"] <= 1


def test_backtest_text_states_the_ratio_with_its_interval(ws):
    result = run("backtest")
    assert result.exit_code == 0, result.output
    r = ws.backtest()["precision_ratio"]
    low, high = r["ci"]
    assert (f"These suggestions find {r['ratio']:.2f} times as many real new ties in their "
            f"top 10 as Adamic-Adar alone (95% interval {low:.2f}–{high:.2f}; 2000 resamples "
            "of the organizations).") in " ".join(result.stdout.split())


def test_focal_points_and_intro_path_json(ws):
    focal = json.loads(run("focal-points", "--json").stdout)
    assert focal["coverage"] == 1.0 and focal["k"] == len(focal["orgs"])
    assert focal["orgs"] == ws.focal_points().to_dict()["orgs"]
    three = json.loads(run("focal-points", "--k", "3", "--json").stdout)
    assert three["k"] == 3 and three["covered"] <= focal["covered"]
    path = json.loads(run("intro-path", "--org", "ORG-070", "--json").stdout)
    assert path["path"][0] == "ORG-070" and path["path"][-1] == path["target"]
    assert ws.graph("combined").nodes[path["target"]]["engagements"] > 0


def test_recommend_all_gives_a_line_to_an_organization_without_suggestions(tmp_path):
    """Two organizations that are declared partners: neither can be suggested to the other."""
    from cso_network.ingest.excel import write_workbook
    from tests.helpers import dataset_from_records, tiny_records

    records = tiny_records()
    records["organizations"] = records["organizations"][:2]
    records["participants"] = [p for p in records["participants"] if p["org_id"] in "AB"]
    records["attendance"] = [a for a in records["attendance"] if a["participant_id"] in
                             {p["participant_id"] for p in records["participants"]}]
    records["collaborations"] = [{"org_a": "A", "org_b": "B", "kind": "joint project"}]
    path = write_workbook(dataset_from_records(records), tmp_path / "two.xlsx")
    result = runner.invoke(app, ["recommend", "--all", "--json", "--data", str(path)])
    assert result.exit_code == 0, result.output
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        {"org_id": "A", "suggestions": []}, {"org_id": "B", "suggestions": []}]
