"""Tests of cso_network.analysis.brokerage.

Where the expected values come from:

- betweenness: ``nx.betweenness_centrality`` (exact, and with ``k`` sampled
  sources given the same sample); Medici 0.522 on the Florentine families is
  the textbook value (Padgett and Ansell 1993; networkx docs).
- constraint and effective size: ``nx.constraint`` and networkx's per-node
  ``nx.effective_size(G, nodes=list(G), ...)`` (its vectorized weighted path has
  the row/column normalization bug of networkx PR #8906, see
  ``test_effective_size_weighted_follows_burt_not_networkx_fast_path``).
- brokerage roles: four-node examples worked by hand below, and a brute-force
  loop over every broker and ordered pair of its partners, written from
  Gould and Fernandez (1989), independent of the sparse algebra.
- cut points: brute force (remove the node, ``nx.connected_components``);
  Florentine articulation points and bridges as listed in the issue.
- eigenvector: ``nx.eigenvector_centrality_numpy`` on connected graphs.
"""

from __future__ import annotations

import random
from collections import Counter

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cso_network.analysis import brokerage
from cso_network.analysis.brokerage import (
    MISSING_GROUP,
    ROLES,
    auto_sources,
    betweenness,
    bridges,
    brokerage_roles,
    burt_constraint,
    centrality_table,
    cut_points,
    effective_size,
)

ATOL = 1e-9


def assert_matches(series: pd.Series, ref: dict, atol: float = ATOL) -> None:
    """Series equals a networkx dict node by node (NaN where the dict has NaN)."""
    assert list(series.index) == list(ref)
    expected = np.array([ref[v] for v in series.index], dtype=float)
    np.testing.assert_allclose(series.to_numpy(), expected, rtol=0, atol=atol, equal_nan=True)


def with_isolates(G: nx.Graph, k: int = 2) -> nx.Graph:
    G = G.copy()
    for i in range(k):
        G.add_node(f"isolate{i}")
    return G


def weighted_gnp(n: int, p: float, seed: int) -> nx.Graph:
    G = nx.gnp_random_graph(n, p, seed=seed)
    rng = np.random.default_rng(seed)
    for u, v in G.edges:
        G[u][v]["weight"] = float(rng.integers(1, 6))
    return G


def florentine() -> nx.Graph:
    return nx.florentine_families_graph()


def karate() -> nx.Graph:
    return nx.karate_club_graph()


def disconnected() -> nx.Graph:
    G = nx.disjoint_union(nx.path_graph(4), nx.cycle_graph(5))
    G = nx.disjoint_union(G, nx.star_graph(3))
    G.add_nodes_from([100, 101])
    return G


REFERENCE_GRAPHS = {
    "karate": karate,
    "florentine": florentine,
    "disconnected": disconnected,
    "path": lambda: nx.path_graph(7),
    "star": lambda: nx.star_graph(6),
    "gnp0": lambda: nx.gnp_random_graph(40, 0.08, seed=0),
    "gnp1": lambda: nx.gnp_random_graph(60, 0.05, seed=1),
    "gnp2": lambda: with_isolates(nx.gnp_random_graph(50, 0.1, seed=2)),
}


# ---------------------------------------------------------------------------
# betweenness
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(REFERENCE_GRAPHS))
@pytest.mark.parametrize("normalized", [True, False])
def test_betweenness_equals_networkx(name: str, normalized: bool) -> None:
    G = REFERENCE_GRAPHS[name]()
    got = betweenness(G, normalized=normalized)
    assert got.dtype == float
    assert_matches(got, nx.betweenness_centrality(G, normalized=normalized))


def test_betweenness_medici() -> None:
    assert round(betweenness(florentine())["Medici"], 3) == 0.522


def test_betweenness_several_batches() -> None:
    # several batches of sources, with isolates and small components
    G = with_isolates(nx.gnp_random_graph(600, 0.006, seed=5), 3)
    assert_matches(betweenness(G), nx.betweenness_centrality(G))


def test_betweenness_same_on_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    G = nx.gnp_random_graph(300, 0.02, seed=6)
    threaded = betweenness(G)
    monkeypatch.setattr(brokerage, "_WORKERS", 1)
    pd.testing.assert_series_equal(betweenness(G), threaded, check_exact=True)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(0, 25), p=st.floats(0, 0.5), seed=st.integers(0, 10_000))
def test_betweenness_random_graphs(n: int, p: float, seed: int) -> None:
    G = nx.gnp_random_graph(n, p, seed=seed)
    assert_matches(betweenness(G), nx.betweenness_centrality(G))


@pytest.mark.parametrize("name", ["karate", "florentine", "disconnected", "gnp1"])
@pytest.mark.parametrize("k", [1, 3, 10])
def test_betweenness_given_sources_equals_networkx_k(name: str, k: int) -> None:
    # networkx samples its k sources with random.Random(seed).sample(list(G), k)
    G = REFERENCE_GRAPHS[name]()
    chosen = random.Random(7).sample(list(G), k)
    ref = nx.betweenness_centrality(G, k=k, seed=7)
    assert_matches(betweenness(G, sources=chosen), ref)
    ref = nx.betweenness_centrality(G, k=k, seed=7, normalized=False)
    assert_matches(betweenness(G, sources=chosen, normalized=False), ref)


def test_betweenness_sampled_is_seeded_and_exact_at_n() -> None:
    G = karate()
    a = betweenness(G, sources=10, seed=1)
    pd.testing.assert_series_equal(a, betweenness(G, sources=10, seed=1))
    assert not np.allclose(a, betweenness(G, sources=10, seed=2))
    exact = betweenness(G)
    pd.testing.assert_series_equal(betweenness(G, sources=len(G)), exact)
    pd.testing.assert_series_equal(betweenness(G, sources=10 * len(G)), exact)
    pd.testing.assert_series_equal(betweenness(G, sources=list(G)), exact)


def test_betweenness_sampled_estimates_exact_value() -> None:
    G = nx.gnp_random_graph(300, 0.03, seed=3)
    exact = betweenness(G)
    mean = np.mean([betweenness(G, sources=100, seed=s) for s in range(20)], axis=0)
    top = exact.nlargest(10).index
    np.testing.assert_allclose(pd.Series(mean, index=exact.index)[top], exact[top], rtol=0.1)


def test_betweenness_rejects_weights_and_bad_sources() -> None:
    with pytest.raises(ValueError, match="unweighted"):
        betweenness(karate(), weight="weight")
    with pytest.raises(ValueError):
        betweenness(karate(), sources=0)


def test_auto_sources() -> None:
    assert auto_sources(0) is None
    assert auto_sources(3000) is None
    assert auto_sources(3001) == 1024


# ---------------------------------------------------------------------------
# structural holes
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(REFERENCE_GRAPHS))
def test_constraint_and_effective_size_equal_networkx(name: str) -> None:
    G = with_isolates(REFERENCE_GRAPHS[name](), 1)
    assert_matches(burt_constraint(G), nx.constraint(G))
    assert_matches(effective_size(G), nx.effective_size(G))
    assert burt_constraint(G)["isolate0"] != burt_constraint(G)["isolate0"]  # NaN


@pytest.mark.parametrize(
    "G",
    [karate(), with_isolates(weighted_gnp(40, 0.1, 0)), weighted_gnp(80, 0.05, 1),
     weighted_gnp(30, 0.3, 2)],
    ids=["karate", "gnp0", "gnp1", "gnp2"],
)
def test_weighted_constraint_and_effective_size_equal_networkx(G: nx.Graph) -> None:
    assert_matches(burt_constraint(G, weight="weight"), nx.constraint(G, weight="weight"))
    ref = nx.effective_size(G, nodes=list(G), weight="weight")
    assert_matches(effective_size(G, weight="weight"), ref)


def test_unweighted_effective_size_general_formula_agrees_with_borgatti() -> None:
    G = nx.gnp_random_graph(50, 0.1, seed=4)
    nx.set_edge_attributes(G, 1.0, "w")
    np.testing.assert_allclose(effective_size(G, weight="w"), effective_size(G), atol=ATOL)


def test_effective_size_weighted_follows_burt_not_networkx_fast_path() -> None:
    # a - b heavy, b - c light: for ego a, m_bc = 1/3 (b's strongest tie has weight 3)
    G = nx.Graph()
    G.add_edge("a", "b", weight=3)
    G.add_edge("b", "c", weight=1)
    G.add_edge("a", "c", weight=1)
    # e_a = (1 - p_ac m_bc) + (1 - p_ab m_cb) = (1 - 1/4 * 1/3) + (1 - 3/4 * 1/1)
    assert effective_size(G, weight="weight")["a"] == pytest.approx(2 - 1 / 12 - 3 / 4)


def test_florentine_structural_holes_values() -> None:
    G = florentine()
    c = burt_constraint(G)
    e = effective_size(G)
    assert c.idxmin() == "Medici"
    assert e["Medici"] == pytest.approx(6 - 2 * 1 / 6)  # 6 partners, 1 tie among them


# ---------------------------------------------------------------------------
# Gould-Fernandez brokerage
# ---------------------------------------------------------------------------


def grouped(edges: list[tuple[str, str]], groups: dict[str, str]) -> nx.Graph:
    G = nx.Graph(edges)
    nx.set_node_attributes(G, groups, "country")
    return G


def roles_of(G: nx.Graph, node: str) -> dict[str, int]:
    return brokerage_roles(G).loc[node].to_dict()


def only(**counts: int) -> dict[str, int]:
    return {r: counts.get(r, 0) for r in ROLES}


def test_coordinator_four_nodes() -> None:
    #   a(BA) --- v(BA) --- b(BA)
    #              |       /
    #             c(BA) --
    # v's ordered pairs: a-v-b, b-v-a, a-v-c, c-v-a open (all BA: coordinator);
    # b-v-c, c-v-b closed by the b-c tie. b and c broker nothing (their partners
    # are tied), a has one partner.
    G = grouped([("a", "v"), ("v", "b"), ("v", "c"), ("b", "c")],
                {"a": "BA", "v": "BA", "b": "BA", "c": "BA"})
    assert roles_of(G, "v") == only(coordinator=4)
    for x in "abc":
        assert roles_of(G, x) == only()


def test_itinerant_four_nodes() -> None:
    #   a(BA) --- v(RS) --- c(BA)
    #     \        |
    #      ----- b(BA)
    # v (RS) between BA partners: a-v-c, c-v-a, b-v-c, c-v-b open: itinerant
    # (consultant); a-v-b, b-v-a closed by a-b.
    G = grouped([("v", "a"), ("v", "b"), ("v", "c"), ("a", "b")],
                {"a": "BA", "v": "RS", "b": "BA", "c": "BA"})
    assert roles_of(G, "v") == only(itinerant=4)
    for x in "abc":
        assert roles_of(G, x) == only()


def test_gatekeeper_four_nodes() -> None:
    #   a(RS) --- v(BA) --- b(BA)
    #              |       /
    #             c(BA) --
    # a-v-b and a-v-c: outsider a reaches BA through v: gatekeeper (2);
    # the reverse paths b-v-a, c-v-a: representative (2);
    # b-v-c, c-v-b closed (would be coordinator).
    G = grouped([("a", "v"), ("v", "b"), ("v", "c"), ("b", "c")],
                {"a": "RS", "v": "BA", "b": "BA", "c": "BA"})
    assert roles_of(G, "v") == only(gatekeeper=2, representative=2)
    for x in "abc":
        assert roles_of(G, x) == only()


def test_representative_four_nodes() -> None:
    #   a(BA) --- v(BA) --- b(RS)
    #              |       /
    #             c(RS) --
    # a-v-b and a-v-c: v speaks for its BA partner a to RS: representative (2);
    # reverse b-v-a, c-v-a: gatekeeper (2); b-v-c, c-v-b closed (would be
    # itinerant: b, c both RS, the closing tie is within RS).
    G = grouped([("a", "v"), ("v", "b"), ("v", "c"), ("b", "c")],
                {"a": "BA", "v": "BA", "b": "RS", "c": "RS"})
    assert roles_of(G, "v") == only(representative=2, gatekeeper=2)
    for x in "abc":
        assert roles_of(G, x) == only()


def test_liaison_four_nodes() -> None:
    #   a(RS) --- v(BA) --- c(HR)
    #     \        |
    #      ----- b(ME)
    # a-v-c, c-v-a, b-v-c, c-v-b open, all three countries differ: liaison (4);
    # a-v-b, b-v-a closed by the cross-border a-b tie.
    G = grouped([("v", "a"), ("v", "b"), ("v", "c"), ("a", "b")],
                {"a": "RS", "v": "BA", "b": "ME", "c": "HR"})
    assert roles_of(G, "v") == only(liaison=4)
    for x in "abc":
        assert roles_of(G, x) == only()


def brute_force_roles(G: nx.Graph, attr: str) -> pd.DataFrame:
    """Loop over every broker v and ordered pair (a, b) of distinct, untied partners."""

    def group(x):
        value = G.nodes[x].get(attr)
        return MISSING_GROUP if value is None else value

    rows = []
    for v in G:
        counts = dict.fromkeys(ROLES, 0)
        partners = [u for u in G[v] if u != v]
        for a in partners:
            for b in partners:
                if a == b or G.has_edge(a, b):
                    continue
                ga, gv, gb = group(a), group(v), group(b)
                if ga == gv == gb:
                    counts["coordinator"] += 1
                elif ga == gb:
                    counts["itinerant"] += 1
                elif gv == gb:
                    counts["gatekeeper"] += 1
                elif ga == gv:
                    counts["representative"] += 1
                else:
                    counts["liaison"] += 1
        rows.append(counts)
    return pd.DataFrame(rows, index=pd.Index(list(G), dtype=object), columns=list(ROLES))


def assert_roles_match(G: nx.Graph, attr: str) -> None:
    got = brokerage_roles(G, attr=attr)
    assert list(got.columns) == list(ROLES)
    assert all(got[c].dtype == np.int64 for c in ROLES)
    pd.testing.assert_frame_equal(got, brute_force_roles(G, attr), check_dtype=False)
    assert (got["gatekeeper"] == got["representative"]).all()
    assert (got[["coordinator", "itinerant", "liaison"]] % 2 == 0).all().all()


def test_roles_karate_factions() -> None:
    G = karate()
    assert_roles_match(G, "club")
    assert brokerage_roles(G, "club").to_numpy().sum() > 0


@pytest.mark.parametrize("seed", range(6))
def test_roles_random_groups(seed: int) -> None:
    rng = np.random.default_rng(seed)
    G = nx.gnp_random_graph(60, 0.1 + 0.03 * seed, seed=seed)
    groups = ["BA", "ME", "RS", "MK"][: 3 + seed % 2]
    for v in G:
        G.nodes[v]["country"] = groups[rng.integers(len(groups))]
    del G.nodes[0]["country"]  # a missing value: group "?"
    G.nodes[1]["country"] = None
    G.add_edge(2, 2)  # self-loops are ignored
    assert_roles_match(G, "country")


def test_roles_florentine_invented_grouping() -> None:
    G = florentine()
    invented = {"Medici": "FI", "Tornabuoni": "FI", "Ridolfi": "FI", "Albizzi": "FI",
                "Salviati": "PI", "Pazzi": "PI", "Acciaiuoli": "PI", "Barbadori": "SI",
                "Castellani": "SI", "Strozzi": "SI", "Peruzzi": "SI", "Bischeri": "LU",
                "Guadagni": "LU", "Lamberteschi": "LU", "Ginori": "FI"}
    nx.set_node_attributes(G, invented, "country")
    assert_roles_match(G, "country")
    medici = brokerage_roles(G).loc["Medici"]
    assert medici["gatekeeper"] > 0 and medici["liaison"] > 0


def test_roles_missing_attribute_is_own_group() -> None:
    # a and b lack the attribute: both "?", so v (BA) between them is itinerant
    G = nx.Graph([("a", "v"), ("v", "b")])
    G.nodes["v"]["country"] = "BA"
    assert roles_of(G, "v") == only(itinerant=2)


# ---------------------------------------------------------------------------
# centrality table
# ---------------------------------------------------------------------------

TABLE_COLUMNS = ["degree", "weighted_degree", "betweenness", "eigenvector", "constraint",
                 "effective_size"]


def test_centrality_table_florentine() -> None:
    G = florentine()
    t = centrality_table(G)
    assert list(t.columns) == TABLE_COLUMNS
    assert t.index.name == "org_id"
    assert list(t.index) == list(G)
    assert t["degree"].dtype == np.int64
    assert t.attrs["betweenness_sources"] is None
    assert (t["weighted_degree"] == t["degree"]).all()
    assert round(t.loc["Medici", "betweenness"], 3) == 0.522
    assert_matches(t["eigenvector"], nx.eigenvector_centrality_numpy(G))
    assert_matches(t["constraint"], nx.constraint(G))
    assert_matches(t["effective_size"], nx.effective_size(G))


def test_centrality_table_weighted() -> None:
    G = karate()
    t = centrality_table(G, weight="weight")
    assert_matches(t["weighted_degree"], dict(G.degree(weight="weight")))
    assert_matches(t["eigenvector"], nx.eigenvector_centrality_numpy(G, weight="weight"))
    assert_matches(t["constraint"], nx.constraint(G, weight="weight"))
    assert_matches(t["betweenness"], nx.betweenness_centrality(G))  # never weighted
    # without weight=..., weighted_degree still sums the weight attribute
    assert_matches(centrality_table(G)["weighted_degree"], dict(G.degree(weight="weight")))


def test_centrality_table_sampled_sources() -> None:
    G = karate()
    t = centrality_table(G, sources=5, seed=3)
    assert t.attrs["betweenness_sources"] == 5
    assert_matches(t["betweenness"], betweenness(G, sources=5, seed=3).to_dict())


def test_eigenvector_on_largest_component_only() -> None:
    G = nx.disjoint_union(nx.path_graph(2), nx.cycle_graph(5))
    G.add_node("iso")
    ev = centrality_table(G)["eigenvector"]
    assert ev[[0, 1, "iso"]].isna().all()
    main = nx.eigenvector_centrality_numpy(nx.cycle_graph(5))
    np.testing.assert_allclose(ev[[2, 3, 4, 5, 6]], [main[i] for i in range(5)], atol=ATOL)
    pair = centrality_table(nx.path_graph(2))["eigenvector"]
    np.testing.assert_allclose(pair, [2**-0.5, 2**-0.5])


# ---------------------------------------------------------------------------
# cut points and bridges
# ---------------------------------------------------------------------------


def brute_force_cut_points(G: nx.Graph, attr: str = "country") -> pd.DataFrame:
    """Remove each articulation point and look at the pieces of its component."""
    position = {v: i for i, v in enumerate(G)}
    rows = []
    for v in nx.articulation_points(G):
        component = nx.node_connected_component(G, v)
        H = G.subgraph(component - {v})
        pieces = list(nx.connected_components(H))
        largest = min(pieces, key=lambda p: (-len(p), min(position[x] for x in p)))
        cut = component - {v} - largest
        counts = Counter(G.nodes[x].get(attr) or "?" for x in cut)
        countries = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        rows.append({"org_id": v, "cut_off": len(cut), "countries": countries,
                     "component_size": len(component)})
    frame = pd.DataFrame(rows, columns=["org_id", "cut_off", "countries", "component_size"])
    frame = frame.sort_values(["cut_off", "org_id"], ascending=[False, True], kind="stable")
    return frame.reset_index(drop=True)


def assert_cut_points_match(G: nx.Graph) -> None:
    got = cut_points(G)
    ref = brute_force_cut_points(G)
    assert list(got.columns) == ["org_id", "cut_off", "countries", "component_size"]
    assert got["org_id"].tolist() == ref["org_id"].tolist()
    assert got["cut_off"].tolist() == ref["cut_off"].tolist()
    assert got["component_size"].tolist() == ref["component_size"].tolist()
    for a, b in zip(got["countries"], ref["countries"], strict=True):
        assert list(a.items()) == list(b.items())


def random_countries(G: nx.Graph, seed: int, k: int = 4) -> nx.Graph:
    rng = np.random.default_rng(seed)
    codes = ["AL", "BA", "ME", "MK", "RS"][:k]
    for v in G:
        G.nodes[v]["country"] = codes[rng.integers(len(codes))]
    return G


def test_cut_points_florentine() -> None:
    G = random_countries(florentine(), 0)
    got = cut_points(G)
    assert set(got["org_id"]) == {"Albizzi", "Guadagni", "Medici", "Salviati"}
    assert_cut_points_match(G)
    medici = got.set_index("org_id").loc["Medici"]
    # without the Medici, Acciaiuoli and the Salviati-Pazzi pair are cut off
    # from the other 11 families (Ginori stays, through Albizzi)
    assert medici["cut_off"] == 3
    assert medici["component_size"] == 15


def test_cut_points_karate() -> None:
    G = karate()
    nx.set_node_attributes(G, {v: d["club"] for v, d in G.nodes(data=True)}, "country")
    assert cut_points(G)["org_id"].tolist() == [0]
    assert_cut_points_match(G)


@pytest.mark.parametrize("seed", range(8))
def test_cut_points_random_trees(seed: int) -> None:
    G = random_countries(nx.random_labeled_tree(40 + seed, seed=seed), seed)
    assert_cut_points_match(G)


@pytest.mark.parametrize("seed", range(8))
def test_cut_points_random_sparse_graphs(seed: int) -> None:
    G = random_countries(nx.gnp_random_graph(80, 1.5 / 80, seed=seed), seed)
    G.nodes[0].pop("country")
    assert_cut_points_match(G)


def test_cut_points_ties_keep_piece_with_first_node() -> None:
    # removing v leaves {a} and {b}: the piece with a (first node) is kept
    G = grouped([("a", "v"), ("v", "b")], {"a": "BA", "v": "RS", "b": "ME"})
    assert cut_points(G).values.tolist() == [["v", 1, {"ME": 1}, 3]]
    assert_cut_points_match(G)


def test_bridges_florentine() -> None:
    got = bridges(florentine())
    assert len(got) == 5
    assert got == sorted(tuple(sorted(e)) for e in nx.bridges(florentine()))
    assert ("Medici", "Salviati") in got


@pytest.mark.parametrize("seed", range(6))
def test_bridges_equal_networkx(seed: int) -> None:
    G = nx.gnp_random_graph(60, 2 / 60, seed=seed)
    G.add_edge(1, 1)
    assert bridges(G) == sorted(tuple(sorted(e)) for e in nx.bridges(G))


# ---------------------------------------------------------------------------
# empty and edgeless graphs, directed graphs
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("G", [nx.Graph(), nx.empty_graph(3), nx.empty_graph(1)],
                         ids=["empty", "edgeless3", "single"])
def test_empty_and_edgeless_graphs(G: nx.Graph) -> None:
    n = len(G)
    assert betweenness(G).tolist() == [0.0] * n
    assert betweenness(G, sources=2).tolist() == [0.0] * n
    assert burt_constraint(G).isna().all() and len(burt_constraint(G)) == n
    assert effective_size(G, weight="weight").isna().all()
    roles = brokerage_roles(G)
    assert roles.shape == (n, 5) and (roles.to_numpy() == 0).all()
    t = centrality_table(G, weight="weight")
    assert list(t.columns) == TABLE_COLUMNS and len(t) == n
    assert t["eigenvector"].isna().all()
    cp = cut_points(G)
    assert cp.empty and list(cp.columns) == ["org_id", "cut_off", "countries", "component_size"]
    assert bridges(G) == []


def test_directed_graphs_are_refused() -> None:
    D = nx.DiGraph([(0, 1), (1, 2)])
    for func in (betweenness, burt_constraint, effective_size, brokerage_roles,
                 centrality_table, cut_points, bridges):
        with pytest.raises(nx.NetworkXNotImplemented):
            func(D)
