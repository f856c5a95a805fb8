"""Tests of cso_network.unogp.paths (introduction paths to UNOGP).

Cross-checks: on seeded random graphs the cost of every introduction path is
compared with ``networkx.dijkstra_path`` / ``dijkstra_path_length`` from the
organization to a super-target joined at cost 0 to every engaged organization,
with the same edge costs (collaboration 1, met-only 3); hand-worked graphs check
the choice of a longer but more trusted route and the sentences.
"""

from __future__ import annotations

import random

import networkx as nx
import pytest

from cso_network.core.exceptions import CsoNetworkError, NotFound
from cso_network.demo.synth import generate_programme
from cso_network.network.layers import collaboration_graph, combined_graph
from cso_network.unogp.paths import (
    COLLABORATION_COST,
    MET_COST,
    IntroPath,
    engagement_summary,
    introduction_path,
    introduction_paths,
    paths_frame,
)
from tests.helpers import dataset_from_records


def trusted_route_records():
    """X met T (Skopje 2014); X-A and A-T are collaborations; T briefed UNOGP in 2019.

    The collaborated route X-A-T has two hops but costs 2; the direct met tie costs 3.
    L is on its own; M only met X.
    """
    org = {"fields": (), "practices": (), "risk_factors": ()}
    return {
        "seminars": [
            {"seminar_id": "SEM-2014-SK", "city": "Skopje", "country": "MK",
             "start_date": "2014-06-01"},
            {"seminar_id": "SEM-2016-BG", "city": "Belgrade", "country": "RS",
             "start_date": "2016-05-01"},
        ],
        "organizations": [
            {"org_id": "A", "name": "Alfa", "country": "BA", **org},
            {"org_id": "L", "name": "Lone", "country": "AL", **org},
            {"org_id": "M", "name": "Mali", "country": "ME", **org},
            {"org_id": "T", "name": "Target", "country": "RS", **org},
            {"org_id": "X", "name": "Iks", "country": "MK", **org},
        ],
        "participants": [
            {"participant_id": "px", "org_id": "X"},
            {"participant_id": "pt", "org_id": "T"},
            {"participant_id": "pm", "org_id": "M"},
            {"participant_id": "px2", "org_id": "X"},
        ],
        "attendance": [
            {"participant_id": "px", "seminar_id": "SEM-2014-SK"},
            {"participant_id": "pt", "seminar_id": "SEM-2014-SK"},
            {"participant_id": "px2", "seminar_id": "SEM-2016-BG"},
            {"participant_id": "pm", "seminar_id": "SEM-2016-BG"},
        ],
        "collaborations": [
            {"org_a": "A", "org_b": "X", "kind": "joint project", "since": "2015"},
            {"org_a": "A", "org_b": "T", "kind": "exchange", "since": "2017-03-01"},
        ],
        "engagements": [
            {"org_id": "T", "kind": "consultation", "date": "2013"},
            {"org_id": "T", "kind": "briefing", "date": "2019-05-13"},
        ],
    }


@pytest.fixture
def trusted():
    ds = dataset_from_records(trusted_route_records())
    return combined_graph(ds), ds


def test_collaborated_route_longer_in_hops_but_cheaper(trusted):
    G, ds = trusted
    assert G.edges["T", "X"]["met"] and not G.edges["T", "X"]["collaborated"]
    r = introduction_path(G, "X", dataset=ds)
    assert (r.org_id, r.target, r.path, r.cost) == ("X", "T", ["X", "A", "T"], 2.0)
    assert r.steps == [
        {"from": "X", "to": "A", "via": "collaborated", "since": "2015", "seminars": ()},
        {"from": "A", "to": "T", "via": "collaborated", "since": "2017-03-01", "seminars": ()},
    ]
    assert r.sentence == ("Ask A (Alfa), your partner since 2015, who has worked with "
                          "T (Target) since 2017, which briefed UNOGP in 2019.")
    # when meeting costs less than two collaborations the direct tie wins
    cheap = introduction_path(G, "X", dataset=ds, met_cost=1.5)
    assert (cheap.path, cheap.cost) == (["X", "T"], 1.5)
    assert cheap.steps[0]["via"] == "met" and cheap.steps[0]["seminars"] == ("SEM-2014-SK",)
    assert cheap.sentence == ("Ask T (Target), whom you met at Skopje 2014, "
                              "which briefed UNOGP in 2019.")


def test_met_only_chain_and_sentence(trusted):
    G, ds = trusted
    r = introduction_path(G, "M", dataset=ds)
    # M met X at Belgrade 2016 (3), then X-A-T (2)
    assert (r.path, r.cost) == (["M", "X", "A", "T"], 5.0)
    assert [s["via"] for s in r.steps] == ["met", "collaborated", "collaborated"]
    assert r.sentence == (
        "Ask X (Iks), whom you met at Belgrade 2016, who has worked with A (Alfa) since 2015, "
        "who has worked with T (Target) since 2017, which briefed UNOGP in 2019.")
    # without the dataset seminars are named by id and the engagement is not described
    bare = introduction_path(G, "M")
    assert bare.path == r.path
    assert bare.sentence.startswith("Ask X (Iks), whom you met at SEM-2016-BG, ")
    assert bare.sentence.endswith("which has had 2 contacts with UNOGP.")


def test_engaged_org_itself(trusted):
    G, ds = trusted
    r = introduction_path(G, "T", dataset=ds)
    assert (r.target, r.path, r.cost, r.steps) == ("T", ["T"], 0.0, [])
    assert r.sentence == "T (Target) already has a UNOGP contact: it briefed UNOGP in 2019."


def test_unreachable_org(trusted):
    G, ds = trusted
    r = introduction_path(G, "L", dataset=ds)
    assert (r.org_id, r.target, r.path, r.cost, r.steps) == ("L", None, None, None, [])
    assert "No chain" in r.sentence and "L (Lone)" in r.sentence
    nobody = introduction_path(G, "X", engaged=[])
    assert nobody.path is None and "No organization has UNOGP engagements" in nobody.sentence
    assert all(p.path is None for p in introduction_paths(G, engaged=[]).values())


def test_unknown_org(trusted):
    G, _ = trusted
    with pytest.raises(NotFound, match="ORG-999"):
        introduction_path(G, "ORG-999")


def test_bad_costs(trusted):
    G, _ = trusted
    with pytest.raises(CsoNetworkError, match="met_cost"):
        introduction_path(G, "X", met_cost=0)
    with pytest.raises(CsoNetworkError, match="collaboration_cost"):
        introduction_paths(G, collaboration_cost=-1)


def test_engaged_override_and_unknown_engaged_ignored(trusted):
    G, _ = trusted
    r = introduction_path(G, "X", engaged=["M", "NOT-THERE"])
    assert (r.path, r.cost, r.target) == (["X", "M"], 3.0, "M")
    assert introduction_path(G, "T", engaged=["M"]).target == "M"


def test_single_layer_graph_counts_every_tie_as_collaboration(trusted):
    _, ds = trusted
    C = collaboration_graph(ds)
    r = introduction_path(C, "X", dataset=ds)
    assert (r.path, r.cost) == (["X", "A", "T"], 2.0)
    assert introduction_path(C, "M").path is None  # M has no collaboration


def test_engagement_summary(trusted):
    _, ds = trusted
    assert engagement_summary(ds) == {"T": ("briefing", "2019-05-13")}
    assert engagement_summary(None) == {}


# --------------------------------------------------------------------------- random graphs


def random_combined(seed: int) -> nx.Graph:
    rng = random.Random(seed)
    n = rng.randint(5, 30)
    base = nx.gnp_random_graph(n, rng.uniform(0.05, 0.3), seed=seed)
    G = nx.Graph(layer="combined")
    for i in base:
        G.add_node(f"N{i:02d}", name=f"Org {i}", engagements=int(rng.random() < 0.15))
    for u, v in base.edges():
        collaborated = rng.random() < 0.5
        met = not collaborated or rng.random() < 0.5
        G.add_edge(f"N{u:02d}", f"N{v:02d}", collaborated=collaborated, met=met,
                   since="2015" if collaborated else None,
                   seminars=("S1",) if met else ())
    return G


def reference(G: nx.Graph):
    """Same costs, plus a super-target joined at cost 0 to every engaged organization."""
    H = nx.Graph()
    H.add_nodes_from(G)
    for u, v, d in G.edges(data=True):
        H.add_edge(u, v, c=COLLABORATION_COST if d["collaborated"] else MET_COST)
    engaged = [v for v, e in G.nodes(data="engagements") if e > 0]
    for v in engaged:
        H.add_edge(v, "__UNOGP__", c=0.0)
    return H, engaged


def path_cost(G: nx.Graph, path: list) -> float:
    return sum(COLLABORATION_COST if G.edges[u, v]["collaborated"] else MET_COST
               for u, v in zip(path, path[1:], strict=False))


def test_agrees_with_networkx_dijkstra_on_random_graphs():
    checked = 0
    for seed in range(60):
        G = random_combined(seed)
        H, engaged = reference(G)
        everyone = introduction_paths(G)
        for v in G:
            r = everyone[v]
            if not engaged or not nx.has_path(H, v, "__UNOGP__"):
                assert r.path is None and r.cost is None
                continue
            ref_path = nx.dijkstra_path(H, v, "__UNOGP__", weight="c")[:-1]
            ref_cost = nx.dijkstra_path_length(H, v, "__UNOGP__", weight="c")
            assert r.cost == pytest.approx(ref_cost)
            assert path_cost(G, r.path) == pytest.approx(r.cost)
            assert path_cost(G, ref_path) == pytest.approx(r.cost)
            assert r.path[0] == v and r.target == r.path[-1] and r.target in engaged
            assert not set(r.path[:-1]) & set(engaged)  # the first engaged org reached
            assert len(r.steps) == len(r.path) - 1
            assert all(G.has_edge(s["from"], s["to"]) for s in r.steps)
            checked += 1
    assert checked > 200


def test_all_equals_per_org_calls():
    for seed in range(25):
        G = random_combined(seed)
        everyone = introduction_paths(G)
        assert list(everyone) == sorted(G)
        for v in G:
            assert introduction_path(G, v) == everyone[v]


def test_independent_of_input_order():
    for seed in range(25):
        G = random_combined(seed)
        nodes = list(G.nodes(data=True))
        edges = list(G.edges(data=True))
        rng = random.Random(seed)
        rng.shuffle(nodes)
        rng.shuffle(edges)
        H = nx.Graph(layer="combined")
        H.add_nodes_from(nodes)
        H.add_edges_from((v, u, d) for u, v, d in edges)
        a, b = introduction_paths(G), introduction_paths(H)
        for v in G:
            assert (a[v].path, a[v].cost, a[v].sentence) == (b[v].path, b[v].cost, b[v].sentence)


# --------------------------------------------------------------------------- demo


def test_demo_paths():
    prog = generate_programme()
    ds = prog.dataset
    G = combined_graph(ds)
    everyone = introduction_paths(G, dataset=ds)
    assert set(everyone) == set(G)
    engaged = set(ds.engagements["org_id"])
    for v, r in everyone.items():
        assert isinstance(r, IntroPath) and r.sentence.endswith(".")
        if v in engaged:
            assert r.path == [v] and "already has a UNOGP contact" in r.sentence
        elif r.path is not None:
            assert r.sentence.startswith("Ask ") and "UNOGP" in r.sentence
            assert r.target in engaged and r.cost >= 1
    frame = paths_frame(everyone)
    assert list(frame.columns) == ["org_id", "target", "hops", "cost", "sentence"]
    assert len(frame) == len(G)
