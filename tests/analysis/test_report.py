"""The whole gap analysis: the CLI contract, the planted demo gaps, and empty workspaces."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from typer.testing import CliRunner

from cso_network.analysis.report import analyze, select_gaps
from cso_network.cli import app
from cso_network.core.model import Dataset
from cso_network.demo.synth import generate_programme


@pytest.fixture(scope="module")
def demo():
    return generate_programme()


@pytest.fixture(scope="module")
def demo_result(demo):
    return analyze(demo.dataset, permutations=200, seed=0)


def planted(demo, kind):
    return next(g for g in demo.planted if g.kind == kind)


SUMMARY_KEYS = {"ei_index", "ei_expected", "ei_p_value", "cross_border_share",
                "country_assortativity", "components", "isolates", "modularity",
                "community_country_nmi"}
ROLE_KEYS = {"coordinator", "itinerant", "gatekeeper", "representative", "liaison"}


def test_contract_keys(demo_result):
    r = demo_result
    assert set(r["summary"]) == SUMMARY_KEYS
    assert set(r["coverage"]) == {"fields", "practices", "risk_factors"}
    assert {"a", "b", "observed", "expected", "ratio"} <= set(r["country_pairs"][0])
    assert {"kind", "country", "item", "pair", "organizations", "detail"} <= set(r["gaps"][0])
    b = r["brokers"][0]
    assert {"org_id", "name", "country", "degree", "betweenness", "constraint",
            "effective_size", "brokerage"} <= set(b)
    assert set(b["brokerage"]) == ROLE_KEYS
    assert {"seminar_id", "ties_before", "ties_after", "cross_border_after",
            "met_then_collaborated"} <= set(r["cohorts"][0])
    assert {"id", "size", "countries"} <= set(r["communities"][0])
    betweenness = [x["betweenness"] for x in r["brokers"]]
    assert betweenness == sorted(betweenness, reverse=True)
    severities = [g["severity"] for g in r["gaps"]]
    assert severities == sorted(severities, reverse=True)
    json.dumps(r, allow_nan=False)  # no NaN anywhere


def test_planted_missing_country_pair_is_the_worst_gap(demo, demo_result):
    gap = demo_result["gaps"][0]
    assert gap["kind"] == "missing_bridge" and sorted(gap["pair"]) == ["ME", "MK"]
    met_pairs = planted(demo, "missing_country_pair").details["co_attending_pairs"]
    assert f"{met_pairs} pairs of them met" in gap["detail"]


def test_planted_fragile_risk_factor_and_missing_field(demo, demo_result):
    fragile = planted(demo, "fragile_risk_factor").details
    assert any(g["kind"] == "fragile_risk_factor" and g["country"] == "BA" and g["item"] == "14"
               and g["organizations"] == [fragile["org_id"]] for g in demo_result["gaps"])
    missing = planted(demo, "missing_field").details
    assert any(g["kind"] == "uncovered_field" and g["country"] == missing["country"]
               and g["item"] == missing["field"] for g in demo_result["gaps"])
    assert demo_result["coverage"]["fields"]["ME"]["social work"] == 0
    assert demo_result["coverage"]["risk_factors"]["BA"]["14"] == 1


def test_planted_cut_point_and_isolates(demo, demo_result):
    cut = planted(demo, "cut_point").details
    entry = next(c for c in demo_result["cut_points"] if c["org_id"] == cut["org_id"])
    assert entry["cut_off"] >= len(cut["cluster"])
    assert any(g["kind"] == "cut_point" and g["organizations"] == [cut["org_id"]]
               for g in demo_result["gaps"])
    isolated = {g["organizations"][0] for g in demo_result["gaps"] if g["kind"] == "isolated"}
    assert isolated == set(planted(demo, "isolate").details["org_ids"])
    assert demo_result["summary"]["isolates"] == len(isolated)


def test_summary_counts_match_networkx(demo, demo_result):
    from cso_network.network.layers import collaboration_graph

    g = collaboration_graph(demo.dataset)
    assert demo_result["summary"]["components"] == nx.number_connected_components(g)
    assert sorted(map(sorted, demo_result["bridges"])) == sorted(sorted(e) for e in nx.bridges(g))
    cross = sum(g.nodes[u]["country"] != g.nodes[v]["country"] for u, v in g.edges)
    assert demo_result["summary"]["cross_border_share"] == pytest.approx(cross / g.number_of_edges())


def test_empty_dataset_gives_empty_results():
    r = analyze(Dataset.empty(), permutations=10)
    assert r["gaps"] == [] and r["brokers"] == [] and r["cohorts"] == []
    assert r["summary"]["ei_index"] is None and r["summary"]["components"] == 0
    json.dumps(r, allow_nan=False)


def test_tiny_dataset_runs_on_every_layer(tiny_dataset):
    for layer in ("met", "collaborated", "combined"):
        r = analyze(tiny_dataset, layer=layer, permutations=20)
        assert r["meta"]["layer"] == layer
        json.dumps(r, allow_nan=False)


def test_select_gaps_filters_by_pair_country_and_item(demo_result):
    mk = select_gaps(demo_result["gaps"], countries=["MK"])
    assert mk and all("MK" in {g["country"], *(g["pair"] or [])} for g in mk)
    law = select_gaps(demo_result["gaps"], items=["law"])
    assert law and all(g["item"] == "law" for g in law)


def test_cli_analyze_json_on_the_demo_workbook(tmp_path):
    from cso_network.ingest.excel import write_workbook

    prog = generate_programme()
    path = write_workbook(prog.dataset, tmp_path / "demo.xlsx")
    result = CliRunner().invoke(app, ["analyze", "--data", str(path), "--json",
                                      "--permutations", "50"])
    assert result.exit_code == 0, result.output
    r = json.loads(result.stdout)
    assert set(r["summary"]) == SUMMARY_KEYS
    assert r["meta"]["layer"] == "collaborated" and r["meta"]["permutations"] == 50
    readable = CliRunner().invoke(app, ["analyze", "--data", str(path), "--permutations", "50"])
    assert readable.exit_code == 0
    words = " ".join(readable.stdout.replace("│", " ").split())  # undo rich's wrapping
    assert "missing_bridge" in words and "No declared" in words


def test_cli_analyze_rejects_unknown_layer(tiny_workbook):
    result = CliRunner().invoke(app, ["analyze", "--data", str(tiny_workbook), "--layer", "friends"])
    assert result.exit_code == 1 and "collaborated" in result.output
