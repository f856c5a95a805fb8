"""Tests for cso_network.analysis.mixing.

Where the expected values come from:

- Zachary's karate club (``nx.karate_club_graph()``), its two factions
  (``club`` = "Mr. Hi" / "Officer") used as the "countries": E, I, the
  group-level E-I and Newman's assortativity are computed in the tests with
  plain loops over the edge list and the mixing-matrix formula
  r = (sum e_ii - sum a_i b_i) / (1 - sum a_i b_i), then cross-checked against
  ``nx.attribute_assortativity_coefficient``.
- The mixing table's configuration-null expectations are worked by hand on a
  five-node example (arithmetic written next to the numbers).
- The permutation test's expected E-I is compared with its closed form under
  label shuffling, P(tie external) = 1 - sum_g n_g (n_g - 1) / (n (n - 1)).
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from cso_network.analysis import mixing
from cso_network.analysis.mixing import (
    EITest,
    country_assortativity,
    cross_border_share,
    ei_by_group,
    ei_index,
    ei_permutation_test,
    missing_bridges,
    mixing_table,
)

# ----------------------------------------------------------------------------- fixtures


@pytest.fixture
def karate() -> nx.Graph:
    return nx.karate_club_graph()


def _hand_counts(G: nx.Graph, attr: str, weight: str | None = None) -> tuple[float, float]:
    """E and I by a plain loop over the edges (the reference the library is checked against)."""
    external = internal = 0.0
    for u, v, data in G.edges(data=True):
        value = 1.0 if weight is None else data.get(weight, 1.0)
        if G.nodes[u][attr] == G.nodes[v][attr]:
            internal += value
        else:
            external += value
    return external, internal


def _tiny() -> nx.Graph:
    """Five organizations: a-b-c in RS (a path), d-e in BA, one RS-BA tie c-d.

    Ties: a-b, b-c (RS internal), d-e (BA internal), c-d (RS-BA). m = 4.
    Degrees: a 1, b 2, c 2, d 2, e 1 -> D_RS = 5, D_BA = 3 (sum = 8 = 2m).
    """
    G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")])
    nx.set_node_attributes(G, {"a": "RS", "b": "RS", "c": "RS", "d": "BA", "e": "BA"}, "country")
    return G


def _segregated(size: int = 10) -> nx.Graph:
    """Two cliques of ``size`` nodes, one BA and one RS, joined by a single tie."""
    G = nx.disjoint_union(nx.complete_graph(size), nx.complete_graph(size))
    G.add_edge(0, size)
    nx.set_node_attributes(G, {n: "BA" if n < size else "RS" for n in G}, "country")
    return G


# ----------------------------------------------------------------------------- E-I index


def test_ei_index_karate_matches_hand_count(karate):
    e, i = _hand_counts(karate, "club")
    assert e + i == karate.number_of_edges() == 78
    assert ei_index(karate, "club") == pytest.approx((e - i) / (e + i))
    # homophily: the factions are mostly closed
    assert ei_index(karate, "club") < -0.5


def test_ei_index_karate_weighted_matches_hand_sum(karate):
    e, i = _hand_counts(karate, "club", weight="weight")
    assert ei_index(karate, "club", weight="weight") == pytest.approx((e - i) / (e + i))
    assert ei_index(karate, "club", weight="weight") != ei_index(karate, "club")


def test_ei_by_group_karate_matches_hand_count(karate):
    frame = ei_by_group(karate, "club")
    assert list(frame.columns) == ["group", "internal", "external", "ei"]
    assert list(frame["group"]) == ["Mr. Hi", "Officer"]  # not region codes: alphabetical
    for group, internal, external, ei in frame.itertuples(index=False, name=None):
        hand_i = hand_e = 0
        for u, v in karate.edges():
            inside = (karate.nodes[u]["club"] == group) + (karate.nodes[v]["club"] == group)
            hand_i += inside == 2
            hand_e += inside == 1
        assert (internal, external) == (hand_i, hand_e)
        assert ei == pytest.approx((hand_e - hand_i) / (hand_e + hand_i))
    # each between-faction tie is external to both factions
    e, i = _hand_counts(karate, "club")
    assert frame["external"].sum() == 2 * e
    assert frame["internal"].sum() == i


def test_ei_by_group_region_order_and_tieless_group():
    G = _tiny()
    G.add_node("z", country="ZZ")
    G.add_node("m", country="ME")
    frame = ei_by_group(G)
    assert list(frame["group"]) == ["BA", "ME", "RS", "ZZ"]
    rows = {r.group: r for r in frame.itertuples(index=False)}
    assert (rows["RS"].internal, rows["RS"].external) == (2, 1)
    assert rows["RS"].ei == pytest.approx((1 - 2) / 3)
    assert (rows["BA"].internal, rows["BA"].external) == (1, 1)
    assert rows["BA"].ei == 0.0
    assert math.isnan(rows["ME"].ei) and math.isnan(rows["ZZ"].ei)


def test_ei_by_group_weighted():
    G = _tiny()
    G["c"]["d"]["weight"] = 3.0
    frame = ei_by_group(G, weight="weight").set_index("group")
    # RS: internal a-b + b-c = 2 (no weight -> 1), external c-d = 3 -> (3 - 2) / 5
    assert frame.loc["RS", "internal"] == 2.0
    assert frame.loc["RS", "external"] == 3.0
    assert frame.loc["RS", "ei"] == pytest.approx(0.2)


def test_cross_border_share(karate):
    e, i = _hand_counts(karate, "club")
    assert cross_border_share(karate, "club") == pytest.approx(e / (e + i))
    assert cross_border_share(_tiny()) == pytest.approx(1 / 4)
    G = _tiny()
    G["c"]["d"]["weight"] = 5.0
    # weights: a-b 1, b-c 1, d-e 1, c-d 5 -> 5 / 8
    assert cross_border_share(G, weight="weight") == pytest.approx(5 / 8)


def test_nodes_without_attribute_are_left_out_with_their_ties():
    G = _tiny()
    G.add_edge("c", "x")  # x has no country
    G.add_edge("d", "y")
    G.nodes["y"]["country"] = None
    G.add_edge("e", "q")
    G.nodes["q"]["country"] = float("nan")
    assert ei_index(G) == ei_index(_tiny()) == pytest.approx((1 - 3) / 4)
    pd.testing.assert_frame_equal(mixing_table(G), mixing_table(_tiny()))
    assert country_assortativity(G) == pytest.approx(country_assortativity(_tiny()))


def test_self_loops_are_ignored():
    G = _tiny()
    G.add_edge("a", "a")
    assert ei_index(G) == ei_index(_tiny())
    pd.testing.assert_frame_equal(mixing_table(G), mixing_table(_tiny()))
    assert country_assortativity(G) == pytest.approx(country_assortativity(_tiny()))


# ----------------------------------------------------------------------------- assortativity


def test_country_assortativity_karate_by_hand_and_networkx(karate):
    # normalized mixing matrix e over ordered ends: each undirected tie counted both ways
    groups = ["Mr. Hi", "Officer"]
    e = np.zeros((2, 2))
    for u, v in karate.edges():
        gu, gv = groups.index(karate.nodes[u]["club"]), groups.index(karate.nodes[v]["club"])
        e[gu, gv] += 1
        e[gv, gu] += 1
    e /= e.sum()
    a, b = e.sum(axis=1), e.sum(axis=0)
    r_hand = (np.trace(e) - (a * b).sum()) / (1 - (a * b).sum())
    r = country_assortativity(karate, "club")
    assert r == pytest.approx(r_hand)
    assert r == pytest.approx(nx.attribute_assortativity_coefficient(karate, "club"))
    assert r > 0.6  # strong homophily, consistent with E-I < 0


def test_country_assortativity_tiny_by_hand():
    # ordered ends: RS-RS 4 (a-b, b-c both ways), BA-BA 2, RS-BA 1, BA-RS 1; total 8
    # e = [[4/8, 1/8], [1/8, 2/8]] (RS, BA); a = b = (5/8, 3/8)
    # r = (6/8 - (25 + 9)/64) / (1 - 34/64) = (48/64 - 34/64) / (30/64) = 14/30
    assert country_assortativity(_tiny()) == pytest.approx(14 / 30)


# ----------------------------------------------------------------------------- permutation test


def test_permutation_test_segregated_graph_is_significant():
    r = ei_permutation_test(_segregated(10), n_permutations=1000, seed=0)
    assert isinstance(r, EITest)
    # 2 x C(10, 2) = 90 internal ties, 1 external: (1 - 90) / 91
    assert r.observed == pytest.approx(-89 / 91)
    assert r.p_value < 0.01
    assert (r.n_permutations, r.seed, r.weighted) == (1000, 0, False)
    # with 2 x 15 nodes a shuffle recreates the split with probability 2 / C(30, 15) ~ 1e-8,
    # so no permutation is as extreme and p takes its smallest value
    big = ei_permutation_test(_segregated(15), n_permutations=1000, seed=0)
    assert big.p_value == pytest.approx(1 / 1001)
    assert (r.n_permutations, r.seed, r.weighted) == (1000, 0, False)


def test_permutation_test_complete_graph_p_value_is_one():
    # every labelling of a complete graph gives the same E-I: nothing to detect
    G = nx.complete_graph(12)
    nx.set_node_attributes(G, {n: "ABC"[n % 3] for n in G}, "country")
    r = ei_permutation_test(G, n_permutations=200, seed=4)
    assert r.expected == pytest.approx(r.observed)
    assert r.p_value == 1.0


def test_permutation_test_random_labels_are_not_significant():
    # under the null the p-value is uniform, so look at many graphs, not one
    p_values = []
    for s in range(20):
        G = nx.gnp_random_graph(80, 0.1, seed=s)
        labels = np.random.default_rng(100 + s).choice(["BA", "ME", "RS"], size=80)
        nx.set_node_attributes(G, dict(enumerate(labels)), "country")
        p_values.append(ei_permutation_test(G, n_permutations=500, seed=s).p_value)
    assert np.median(p_values) > 0.2
    assert sum(p < 0.01 for p in p_values) <= 1


def test_permutation_expected_matches_closed_form(karate):
    n, m = karate.number_of_nodes(), karate.number_of_edges()
    sizes = pd.Series(dict(karate.nodes(data="club"))).value_counts()
    p_external = 1 - (sizes * (sizes - 1)).sum() / (n * (n - 1))
    expected_ei = (2 * m * p_external - m) / m
    r = ei_permutation_test(karate, "club", n_permutations=4000, seed=7)
    assert r.expected == pytest.approx(expected_ei, abs=0.01)
    assert r.observed == ei_index(karate, "club")
    assert r.p_value < 0.01


def test_permutation_test_is_deterministic_per_seed(karate, monkeypatch):
    a = ei_permutation_test(karate, "club", n_permutations=300, seed=3)
    b = ei_permutation_test(karate, "club", n_permutations=300, seed=3)
    c = ei_permutation_test(karate, "club", n_permutations=300, seed=4)
    assert a == b
    assert a.expected != c.expected
    # chunking (memory budget) does not change the permutations drawn
    monkeypatch.setattr(mixing, "_CHUNK_BYTES", 500)
    assert ei_permutation_test(karate, "club", n_permutations=300, seed=3) == a


def test_permutation_test_weighted(karate):
    r = ei_permutation_test(karate, "club", n_permutations=300, seed=1, weight="weight")
    assert r.weighted is True
    assert r.observed == pytest.approx(ei_index(karate, "club", weight="weight"))
    assert -1 <= r.expected <= 1
    assert r.p_value < 0.01


def test_permutation_p_value_formula_by_brute_force():
    # recompute the p-value from the same shuffles with a plain loop
    G = nx.gnp_random_graph(30, 0.2, seed=2)
    labels = np.random.default_rng(0).choice(["BA", "RS"], size=30)
    nx.set_node_attributes(G, dict(enumerate(labels)), "country")
    r = ei_permutation_test(G, n_permutations=50, seed=9)
    rng = np.random.default_rng(9)
    codes = np.array([0 if x == "BA" else 1 for x in labels], dtype=np.uint8)
    shuffled = rng.permuted(np.tile(codes, (50, 1)), axis=1)
    eis = []
    for row in shuffled:
        e = sum(row[u] != row[v] for u, v in G.edges())
        eis.append((2 * e - G.number_of_edges()) / G.number_of_edges())
    expected = float(np.mean(eis))
    count = sum(abs(x - expected) >= abs(r.observed - expected) - 1e-12 for x in eis)
    assert r.expected == pytest.approx(expected)
    assert r.p_value == pytest.approx((count + 1) / 51)


def test_permutation_test_undefined_cases():
    empty = ei_permutation_test(nx.Graph())
    assert (empty.observed, empty.expected, empty.p_value) == (None, None, None)
    G = nx.empty_graph(5)
    nx.set_node_attributes(G, {n: "BA" if n < 2 else "RS" for n in G}, "country")
    assert ei_permutation_test(G).observed is None
    one = nx.path_graph(4)
    nx.set_node_attributes(one, "RS", "country")
    r = ei_permutation_test(one)
    assert (r.observed, r.expected, r.p_value) == (-1.0, -1.0, None)
    zero = ei_permutation_test(_tiny(), n_permutations=0)
    assert zero.observed == pytest.approx(-0.5)
    assert (zero.expected, zero.p_value) == (None, None)
    with pytest.raises(ValueError):
        ei_permutation_test(_tiny(), n_permutations=-1)


# ----------------------------------------------------------------------------- mixing table


def test_mixing_table_tiny_by_hand():
    table = mixing_table(_tiny())
    assert list(table.columns) == ["a", "b", "observed", "expected", "ratio"]
    assert table[["a", "b"]].values.tolist() == [["BA", "BA"], ["BA", "RS"], ["RS", "RS"]]
    assert table["observed"].tolist() == [1, 1, 2]
    # m = 4, D_BA = 3, D_RS = 5
    # BA-BA: D_BA^2 / 4m = 9 / 16;  BA-RS: D_BA * D_RS / 2m = 15 / 8;  RS-RS: 25 / 16
    assert table["expected"].tolist() == pytest.approx([9 / 16, 15 / 8, 25 / 16])
    assert table["ratio"].tolist() == pytest.approx([16 / 9, 8 / 15, 32 / 25])
    assert table["expected"].sum() == pytest.approx(4)  # expectations sum to m


def test_mixing_table_karate_matches_hand_count(karate):
    table = mixing_table(karate, "club")
    hand: dict[tuple[str, str], int] = {}
    for u, v in karate.edges():
        key = tuple(sorted((karate.nodes[u]["club"], karate.nodes[v]["club"])))
        hand[key] = hand.get(key, 0) + 1
    got = {(a, b): o for a, b, o in table[["a", "b", "observed"]].itertuples(index=False)}
    assert got == hand
    degree = {c: 0 for c in ("Mr. Hi", "Officer")}
    for n, d in karate.degree():
        degree[karate.nodes[n]["club"]] += d
    m = karate.number_of_edges()
    row = table.set_index(["a", "b"]).loc[("Mr. Hi", "Officer")]
    assert row["expected"] == pytest.approx(degree["Mr. Hi"] * degree["Officer"] / (2 * m))
    assert table["observed"].sum() == m
    assert table["expected"].sum() == pytest.approx(m)


def test_mixing_table_weighted_uses_strengths():
    G = _tiny()
    G["c"]["d"]["weight"] = 4.0
    table = mixing_table(G, weight="weight").set_index(["a", "b"])
    # total weight W = 1 + 1 + 1 + 4 = 7; strengths: RS = 1 + 2 + 5 = 8, BA = 5 + 1 = 6
    assert table.loc[("BA", "RS"), "observed"] == 4.0
    assert table.loc[("BA", "RS"), "expected"] == pytest.approx(6 * 8 / 14)
    assert table.loc[("RS", "RS"), "expected"] == pytest.approx(64 / 28)
    assert table.loc[("BA", "BA"), "expected"] == pytest.approx(36 / 28)


def test_mixing_table_country_without_ties_has_nan_ratio():
    G = _tiny()
    G.add_node("m", country="ME")
    table = mixing_table(G).set_index(["a", "b"])
    assert list(table.index) == [
        ("BA", "BA"), ("BA", "ME"), ("BA", "RS"), ("ME", "ME"), ("ME", "RS"), ("RS", "RS")
    ]
    assert table.loc[("BA", "ME"), "expected"] == 0
    assert math.isnan(table.loc[("BA", "ME"), "ratio"])


def test_missing_bridges():
    G = _tiny()
    # add ME with ties only to itself and to RS, none to BA
    G.add_edges_from([("m1", "m2"), ("m2", "a"), ("m1", "b")])
    nx.set_node_attributes(G, {"m1": "ME", "m2": "ME"}, "country")
    table = mixing_table(G)
    out = missing_bridges(table)
    assert list(out.columns) == [
        "a", "b", "observed", "expected", "ratio", "shortfall", "status"
    ]
    assert (out["a"] != out["b"]).all()
    rows = {(r.a, r.b): r for r in out.itertuples(index=False)}
    assert ("BA", "ME") in rows
    assert rows[("BA", "ME")].status == "missing"
    assert rows[("BA", "ME")].observed == 0
    exp = table.set_index(["a", "b"]).loc[("BA", "ME"), "expected"]
    assert rows[("BA", "ME")].shortfall == pytest.approx(exp)
    assert out["shortfall"].is_monotonic_decreasing
    # every listed pair is missing or below the threshold; every such pair is listed
    cross = table[(table["a"] != table["b"]) & (table["expected"] > 0)]
    flagged = cross[(cross["observed"] == 0) | (cross["ratio"] < 0.5)]
    assert set(zip(flagged["a"], flagged["b"], strict=True)) == set(rows)


def test_missing_bridges_thin_and_threshold():
    table = pd.DataFrame({
        "a": ["BA", "BA", "BA", "ME"],
        "b": ["BA", "ME", "RS", "RS"],
        "observed": [0, 1, 0, 3],
        "expected": [2.0, 4.0, 1.0, 3.0],
    })
    table["ratio"] = table["observed"] / table["expected"]
    out = missing_bridges(table)
    # BA-BA is not cross-border; BA-ME ratio 0.25 (thin, shortfall 3); BA-RS missing (1)
    assert out[["a", "b", "status"]].values.tolist() == [
        ["BA", "ME", "thin"], ["BA", "RS", "missing"]
    ]
    assert out["shortfall"].tolist() == [3.0, 1.0]
    assert missing_bridges(table, threshold=0.2)["status"].tolist() == ["missing"]


# ----------------------------------------------------------------------------- degenerate graphs


@pytest.mark.parametrize("kind", ["empty", "edgeless", "one_country", "unlabelled"])
def test_degenerate_graphs_give_none_and_empty_frames(kind):
    if kind == "empty":
        G = nx.Graph()
    elif kind == "edgeless":
        G = nx.empty_graph(4)
        nx.set_node_attributes(G, {0: "BA", 1: "BA", 2: "RS", 3: "ME"}, "country")
    elif kind == "one_country":
        G = nx.cycle_graph(5)
        nx.set_node_attributes(G, "RS", "country")
    else:
        G = nx.path_graph(3)
    if kind == "one_country":
        assert ei_index(G) == -1.0
        assert cross_border_share(G) == 0.0
    else:
        assert ei_index(G) is None
        assert cross_border_share(G) is None
        assert ei_index(G, weight="weight") is None
    assert country_assortativity(G) is None
    by_group = ei_by_group(G)
    assert list(by_group.columns) == ["group", "internal", "external", "ei"]
    table = mixing_table(G)
    assert list(table.columns) == ["a", "b", "observed", "expected", "ratio"]
    bridges = missing_bridges(table)
    assert bridges.empty
    assert list(bridges.columns) == [
        "a", "b", "observed", "expected", "ratio", "shortfall", "status"
    ]
    if kind in ("empty", "unlabelled"):
        assert by_group.empty and table.empty
    if kind == "edgeless":
        assert by_group["ei"].isna().all()
        assert (table["observed"] == 0).all() and (table["expected"] == 0).all()
        assert table["ratio"].isna().all()
