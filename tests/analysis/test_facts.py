"""One partition into clusters and one set of country-pair gaps, for every page and every score.

Checked the way a user meets them: a suggestion whose reason says it "would
connect two different clusters" joins organizations that the profile shows
in different clusters, and a pair of countries that earns the cross-border
part in full is on the Gaps page's list. On the demo and on a generated
programme of 2,000 organizations.
"""

from __future__ import annotations

import json

import networkx as nx
import pytest
from typer.testing import CliRunner

from cso_network.analysis.communities import detect_communities
from cso_network.analysis.facts import network_facts
from cso_network.analysis.mixing import missing_bridges, mixing_table
from cso_network.cli import app
from cso_network.demo.synth import generate_programme
from cso_network.network.layers import build_layer
from cso_network.recommend.explain import suggestions_records
from cso_network.recommend.score import recommend_all
from cso_network.views.explore import brokers_index
from cso_network.workspace import Workspace
from tests.helpers import DEMO

CLUSTERS = "Would connect two different clusters of the network"


@pytest.fixture(scope="module", params=["demo", "2000"])
def workspace(request) -> Workspace:
    if request.param == "demo":
        return Workspace.open(data=DEMO)
    dataset = generate_programme(seed=3, n_orgs=2000).dataset
    return Workspace(dataset, version="generated-2000", name="generated")


def test_the_facts_are_louvain_and_the_gap_rule_on_declared_collaboration(workspace):
    """Recomputed here from networkx and the mixing table, with the documented settings."""
    G = build_layer(workspace.dataset, "collaborated")
    facts = workspace.facts()
    assert facts.partition == detect_communities(G, weight=None, seed=0).partition
    expected = missing_bridges(mixing_table(G), threshold=0.5, min_expected=1.0)
    assert sorted(facts.gap_pairs) == sorted(
        [(a, b) for a, b in zip(expected["a"], expected["b"], strict=True)]
        + [(b, a) for a, b in zip(expected["a"], expected["b"], strict=True)])
    # Louvain's partition covers every organization once.
    assert set(facts.partition) == set(G.nodes)


def test_a_different_clusters_reason_joins_organizations_the_profile_shows_apart(workspace):
    features = workspace.recommend_features()
    profile = brokers_index(workspace)  # what /org/<id> and the Network page show
    frame = recommend_all(workspace.dataset, features=features, top=10)
    said = apart = 0
    for org_id, rows in frame.groupby("org_id", sort=False):
        for record in suggestions_records(rows, features, workspace.dataset):
            partner = record["partner_id"]
            different = profile[org_id]["community"] != profile[partner]["community"]
            if CLUSTERS in [str(r) for r in record["reasons"]]:
                said += 1
                assert different, (org_id, partner)
            apart += different
    assert said > 0 and apart >= said


def test_a_country_pair_that_earns_cross_border_in_full_is_on_the_gap_list(workspace):
    features = workspace.recommend_features()
    # The Gaps page's list: its cross-border gaps, missing or thin.
    listed = {tuple(sorted(g["pair"])) for g in workspace.analysis()["gaps"]
              if g["kind"] in ("missing_bridge", "thin_bridge")}
    frame = recommend_all(workspace.dataset, features=features, top=10, preset="integration")
    full = set()
    for org, cand, part in zip(frame["org_id"], frame["candidate"], frame["cross_border"],
                               strict=True):
        if part > 0:
            a = features.countries[features.country[features.index[org]]]
            b = features.countries[features.country[features.index[cand]]]
            raw = _raw_part(features, org, cand)
            if raw == 1.0:
                full.add(tuple(sorted((a, b))))
    assert full, "no suggestion earned the cross-border part in full"
    assert full <= listed, sorted(full - listed)


def _raw_part(features, org: str, cand: str) -> float:
    from cso_network.recommend.components import cross_border

    return float(cross_border(features, [features.index[org]], [features.index[cand]])[0])


def test_analyze_json_lists_each_communitys_members():
    result = CliRunner().invoke(app, ["analyze", "--data", str(DEMO), "--json",
                                      "--permutations", "10"], env={"CSO_NETWORK_DB": ""})
    assert result.exit_code == 0
    communities = json.loads(result.stdout)["communities"]
    members = [m for c in communities for m in c["members"]]
    assert len(members) == len(set(members)) == sum(c["size"] for c in communities)
    G = build_layer(Workspace.open(data=DEMO).dataset, "collaborated")
    assert set(members) == set(G.nodes)
    by_org = {m: c["id"] for c in communities for m in c["members"]}
    assert nx.community.is_partition(G, [set(c["members"]) for c in communities])
    assert by_org == network_facts(Workspace.open(data=DEMO).dataset).partition
