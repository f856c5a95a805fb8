"""Graph building, checked against networkx's own constructions.

The Davis Southern Women data (Davis, Gardner & Gardner 1941, shipped with
networkx): 18 women as one-person organizations and 14 events as seminars.
networkx's bipartite projection of it has 139 edges (checked with
``nx.bipartite.projected_graph``), so the ``met`` layer must have 139 pairs
with the same shared-event counts as ``weighted_projected_graph``.
"""

from __future__ import annotations

import networkx as nx
import pytest
from networkx.algorithms import bipartite

from cso_network.core.exceptions import CsoNetworkError
from cso_network.network.layers import (
    COLLABORATION_WEIGHT,
    build_layer,
    collaboration_graph,
    combined_graph,
    incidence_matrix,
    met_graph,
    participant_seminar_graph,
)
from tests.helpers import dataset_from_records, tiny_records


def davis_dataset():
    g = nx.davis_southern_women_graph()
    women = [n for n, d in g.nodes(data=True) if d["bipartite"] == 0]
    events = [n for n, d in g.nodes(data=True) if d["bipartite"] == 1]
    return dataset_from_records({
        "seminars": [{"seminar_id": e, "country": "BA", "start_date": "2000"} for e in events],
        "organizations": [{"org_id": w, "name": w, "country": "BA"} for w in women],
        "participants": [{"participant_id": f"p-{w}", "org_id": w} for w in women],
        "attendance": [{"participant_id": f"p-{w}", "seminar_id": e}
                       for w in women for e in g[w]],
    }), g, women


def test_davis_met_layer_has_139_pairs_with_networkx_weights():
    ds, g, women = davis_dataset()
    met = met_graph(ds)
    assert met.number_of_edges() == 139
    reference = bipartite.weighted_projected_graph(g, women)
    assert reference.number_of_edges() == 139
    for u, v, w in reference.edges(data="weight"):
        assert met[u][v]["weight"] == w
        assert len(met[u][v]["seminars"]) == w
        assert set(met[u][v]["seminars"]) == set(g[u]) & set(g[v])
    assert set(met.nodes) == set(women)


def test_met_pairs_count_organizations_not_people():
    # A's two people at the same seminar give one organization-seminar link.
    ds = dataset_from_records(tiny_records())
    met = met_graph(ds)
    # S1: A (p1), B (p2) -> A-B; S2: C (p3), A (p4) -> A-C. B and C never met.
    assert sorted(tuple(sorted(e)) for e in met.edges) == [("A", "B"), ("A", "C")]
    assert met["A"]["B"]["seminars"] == ("S1",)
    assert met["A"]["C"]["seminars"] == ("S2",)


def test_node_attributes(tiny_dataset):
    g = met_graph(tiny_dataset)
    a = g.nodes["A"]
    assert a["country"] == "BA"
    assert a["fields"] == ("human rights", "law")
    assert a["risk_factors"] == (1, 8)
    assert a["seminars"] == ("S1", "S2")
    assert a["participants"] == 2
    assert a["engagements"] == 0
    assert g.nodes["B"]["engagements"] == 1


def test_collaborated_layer_merges_kinds_and_takes_earliest_since():
    rec = tiny_records()
    rec["collaborations"] = [
        {"org_a": "A", "org_b": "C", "kind": "joint project", "since": "2016", "source": "s1"},
        {"org_a": "A", "org_b": "C", "kind": "exchange visit", "since": "2014-09-01", "source": "s2"},
        {"org_a": "A", "org_b": "B", "kind": "joint report", "since": None, "source": None},
    ]
    g = collaboration_graph(dataset_from_records(rec))
    assert g.number_of_edges() == 2
    e = g["C"]["A"]
    assert e["kinds"] == ("exchange visit", "joint project")
    assert e["kind"] == "exchange visit; joint project"
    assert e["since"] == "2014-09-01"
    assert e["source"] == "s1; s2"
    assert e["weight"] == 2.0
    assert g["A"]["B"]["since"] is None


def test_combined_layer_marks_both_layers(tiny_dataset):
    g = combined_graph(tiny_dataset)
    assert g.number_of_edges() == 2  # A-B met; A-C met and collaborated
    ab, ac = g["A"]["B"], g["A"]["C"]
    assert (ab["met"], ab["collaborated"]) == (True, False)
    assert (ac["met"], ac["collaborated"]) == (True, True)
    assert ab["weight"] == 1.0
    assert ac["weight"] == 1.0 + COLLABORATION_WEIGHT * 1.0
    assert ac["kind"] == "joint project" and ac["since"] == "2014"
    assert ac["seminars"] == ("S2",)


def test_combined_keeps_collaboration_without_meeting():
    rec = tiny_records()
    rec["collaborations"] = [{"org_a": "B", "org_b": "C", "kind": "joint project"}]
    g = combined_graph(dataset_from_records(rec))
    bc = g["B"]["C"]
    assert (bc["met"], bc["collaborated"], bc["seminars"]) == (False, True, ())
    assert bc["weight"] == COLLABORATION_WEIGHT


def test_isolates_are_nodes(tiny_dataset):
    rec = tiny_records()
    rec["organizations"].append({"org_id": "D", "name": "Delta", "country": "XK"})
    for layer in ("met", "collaborated", "combined"):
        g = build_layer(dataset_from_records(rec), layer)
        assert "D" in g and g.degree("D") == 0


def test_unknown_layer_is_a_clear_error(tiny_dataset):
    with pytest.raises(CsoNetworkError, match="met, collaborated, combined"):
        build_layer(tiny_dataset, "friends")


def test_incidence_matrix_product_gives_shared_seminars():
    ds, g, women = davis_dataset()
    orgs, seminars, b = incidence_matrix(ds)
    shared = (b @ b.T).toarray()
    i, j = orgs.index("Evelyn Jefferson"), orgs.index("Laura Mandeville")
    assert shared[i, j] == len(set(g["Evelyn Jefferson"]) & set(g["Laura Mandeville"]))
    assert shared[i, i] == g.degree("Evelyn Jefferson")


def test_participant_seminar_graph_is_the_attendance(tiny_dataset):
    g = participant_seminar_graph(tiny_dataset)
    assert bipartite.is_bipartite(g)
    assert g.number_of_edges() == 4
    assert g.nodes["p1"] == {"bipartite": 0, "org_id": "A"}
    assert g.nodes["S2"]["country"] == "ME"
    assert set(g["S1"]) == {"p1", "p2"}


def test_participant_seminar_graph_rejects_id_clash():
    rec = tiny_records()
    rec["participants"][0]["participant_id"] = "S1"
    rec["attendance"][0]["participant_id"] = "S1"
    with pytest.raises(CsoNetworkError, match="overlap"):
        participant_seminar_graph(dataset_from_records(rec))


def test_empty_dataset_gives_empty_graphs():
    ds = dataset_from_records({})
    for layer in ("met", "collaborated", "combined"):
        g = build_layer(ds, layer)
        assert g.number_of_nodes() == 0 and g.number_of_edges() == 0
