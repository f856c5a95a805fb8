"""Tests for cso_network.analysis.communities.

Where the expected values come from:

- NMI: tiny labelings worked by hand with natural logs (written out in the
  tests), and a plain-Python re-implementation of I(X;Y) / mean(H(X), H(Y))
  from the definition (Strehl & Ghosh 2002; scikit-learn's arithmetic
  normalization) applied to the karate club communities vs. factions.
- Modularity: ``nx.community.modularity`` of the returned partition; the
  karate club's best partitions have Q ~ 0.42 (Blondel et al. 2008 report
  0.42 for Louvain on it), so a seeded Louvain run must exceed 0.35.
"""

from __future__ import annotations

import math
from collections import Counter

import networkx as nx
import pandas as pd
import pytest

from cso_network.analysis.communities import (
    CommunityResult,
    components_summary,
    detect_communities,
    normalized_mutual_information,
)


def _nmi_by_definition(xs: list, ys: list) -> float:
    """NMI from the definition with plain loops: I(X;Y) / ((H(X) + H(Y)) / 2)."""
    n = len(xs)
    px, py, pxy = Counter(xs), Counter(ys), Counter(zip(xs, ys, strict=True))
    hx = -sum(c / n * math.log(c / n) for c in px.values())
    hy = -sum(c / n * math.log(c / n) for c in py.values())
    mi = sum(c / n * math.log((c / n) / ((px[x] / n) * (py[y] / n))) for (x, y), c in pxy.items())
    return mi / ((hx + hy) / 2)


# ----------------------------------------------------------------------------- NMI


def test_nmi_identical_and_renamed_partitions_are_one():
    assert normalized_mutual_information([0, 0, 1, 1], [0, 0, 1, 1]) == 1.0
    assert normalized_mutual_information([0, 0, 1, 1], ["b", "b", "a", "a"]) == 1.0
    assert normalized_mutual_information([3, 1, 2, 3, 1], [0, 5, 6, 0, 5]) == 1.0


def test_nmi_independent_partitions_are_zero():
    # contingency [[1, 1], [1, 1]]: every p_xy = 1/4 = p_x p_y, so I = 0
    assert normalized_mutual_information([0, 0, 1, 1], [0, 1, 0, 1]) == 0.0


def test_nmi_asymmetric_case_by_hand():
    a = ["a", "a", "b", "b"]
    b = ["x", "x", "x", "y"]
    # H(A) = ln 2; H(B) = -(3/4 ln 3/4 + 1/4 ln 1/4)
    h_a = math.log(2)
    h_b = -(0.75 * math.log(0.75) + 0.25 * math.log(0.25))
    # cells: (a, x) 2/4, (b, x) 1/4, (b, y) 1/4; p_a = p_b = 1/2, p_x = 3/4, p_y = 1/4
    mi = (
        0.5 * math.log(0.5 / (0.5 * 0.75))
        + 0.25 * math.log(0.25 / (0.5 * 0.75))
        + 0.25 * math.log(0.25 / (0.5 * 0.25))
    )
    expected = mi / ((h_a + h_b) / 2)
    assert expected == pytest.approx(0.34371, abs=1e-5)
    assert normalized_mutual_information(a, b) == pytest.approx(expected)
    assert normalized_mutual_information(b, a) == pytest.approx(expected)  # symmetric


def test_nmi_single_cluster_conventions():
    # both labelings one cluster: both entropies 0 -> 1.0 (scikit-learn's convention)
    assert normalized_mutual_information(["x"] * 4, [7] * 4) == 1.0
    # one of them one cluster: I = 0, normalizer > 0 -> 0.0
    assert normalized_mutual_information(["x"] * 4, [0, 0, 1, 1]) == 0.0


def test_nmi_empty_and_length_mismatch():
    assert normalized_mutual_information([], []) is None
    with pytest.raises(ValueError):
        normalized_mutual_information([0, 1], [0])


def test_nmi_matches_definition_on_random_labelings():
    import numpy as np

    rng = np.random.default_rng(5)
    for _ in range(10):
        xs = rng.integers(0, 4, size=50).tolist()
        ys = [x if rng.random() < 0.6 else int(rng.integers(0, 3)) for x in xs]
        assert normalized_mutual_information(xs, ys) == pytest.approx(_nmi_by_definition(xs, ys))


# ----------------------------------------------------------------------------- Louvain


@pytest.fixture
def karate() -> nx.Graph:
    G = nx.karate_club_graph()
    nx.set_node_attributes(G, dict(G.nodes(data="club")), "country")
    return G


def test_karate_louvain_is_deterministic_and_modular(karate):
    r = detect_communities(karate, seed=42)
    again = detect_communities(karate, seed=42)
    assert isinstance(r, CommunityResult)
    assert r.partition == again.partition
    pd.testing.assert_frame_equal(r.table, again.table)
    assert set(r.partition) == set(karate)
    communities = [set(m) for m in r.table["members"]]
    assert r.modularity == pytest.approx(nx.community.modularity(karate, communities, weight=None))
    assert r.modularity > 0.35


def test_karate_louvain_uses_networkx_with_the_seed(karate):
    found = nx.community.louvain_communities(karate, weight=None, resolution=1.0, seed=3)
    r = detect_communities(karate, seed=3)
    assert sorted(map(frozenset, found), key=min) == sorted(
        (frozenset(m) for m in r.table["members"]), key=min
    )


def test_karate_community_table(karate):
    r = detect_communities(karate, seed=1)
    table = r.table
    assert list(table.columns) == ["id", "size", "countries", "members"]
    assert table["id"].tolist() == list(range(len(table)))
    # ids ordered by size (largest first), then by smallest member
    keys = [(-size, min(members)) for size, members in zip(table["size"], table["members"],
                                                           strict=True)]
    assert keys == sorted(keys)
    assert table["size"].sum() == 34
    for cid, size, countries, members in table.itertuples(index=False, name=None):
        assert list(members) == sorted(members) and len(members) == size
        assert all(r.partition[n] == cid for n in members)
        assert sum(countries.values()) == size
        counts = list(countries.items())
        assert counts == sorted(counts, key=lambda kv: (-kv[1], kv[0]))
        assert countries == dict(
            sorted(Counter(karate.nodes[n]["country"] for n in members).items(),
                   key=lambda kv: (-kv[1], kv[0]))
        )


def test_karate_nmi_with_factions(karate):
    r = detect_communities(karate, seed=1)
    nodes = list(karate)
    xs = [r.partition[n] for n in nodes]
    ys = [karate.nodes[n]["club"] for n in nodes]
    assert r.nmi_country == pytest.approx(_nmi_by_definition(xs, ys))
    assert r.nmi_country == pytest.approx(normalized_mutual_information(xs, ys))
    # Louvain splits each faction into two or so communities: related, not identical
    assert 0.3 < r.nmi_country < 0.9


def test_weighted_and_resolution(karate):
    r = detect_communities(karate, weight="weight", seed=0)
    communities = [set(m) for m in r.table["members"]]
    assert r.modularity == pytest.approx(
        nx.community.modularity(karate, communities, weight="weight")
    )
    coarse = detect_communities(karate, resolution=0.3, seed=0)
    fine = detect_communities(karate, resolution=2.0, seed=0)
    assert len(coarse.table) < len(fine.table)
    assert fine.modularity == pytest.approx(nx.community.modularity(
        karate, [set(m) for m in fine.table["members"]], weight=None, resolution=2.0
    ))


def test_isolates_are_singleton_communities_and_unlabelled_nodes_skipped(karate):
    G = karate.copy()
    G.add_node("iso", country="ME")
    G.add_node("anon")  # no country: in the partition, not in the NMI or country counts
    r = detect_communities(G, seed=1)
    row = r.table[r.table["members"] == ("iso",)]
    assert len(row) == 1 and row["countries"].iloc[0] == {"ME": 1}
    anon = r.table[r.table["members"] == ("anon",)]
    assert anon["countries"].iloc[0] == {}
    labelled = [n for n in G if n != "anon"]
    assert r.nmi_country == pytest.approx(_nmi_by_definition(
        [r.partition[n] for n in labelled], [G.nodes[n]["country"] for n in labelled]
    ))


def test_empty_and_edgeless_graphs():
    empty = detect_communities(nx.Graph())
    assert empty.partition == {} and empty.modularity is None and empty.nmi_country is None
    assert list(empty.table.columns) == ["id", "size", "countries", "members"]
    assert empty.table.empty

    G = nx.empty_graph(["c", "a", "b"])
    nx.set_node_attributes(G, {"a": "BA", "b": "RS", "c": "BA"}, "country")
    r = detect_communities(G)
    assert r.modularity is None
    assert r.table["members"].tolist() == [("a",), ("b",), ("c",)]
    assert r.partition == {"a": 0, "b": 1, "c": 2}
    # singletons vs {BA, RS}: H(C) = ln 3, H(K) = -(2/3 ln 2/3 + 1/3 ln 1/3), I = H(K)
    h_c = math.log(3)
    h_k = -(2 / 3 * math.log(2 / 3) + 1 / 3 * math.log(1 / 3))
    assert r.nmi_country == pytest.approx(h_k / ((h_c + h_k) / 2))

    unlabelled = detect_communities(nx.path_graph(4))
    assert unlabelled.nmi_country is None
    assert unlabelled.modularity is not None


# ----------------------------------------------------------------------------- components


def test_components_summary():
    G = nx.karate_club_graph()
    G.add_edges_from([(100, 101)])
    G.add_nodes_from([200, 150])
    s = components_summary(G)
    assert s == {
        "components": 4,
        "isolates": [150, 200],
        "largest_component_size": 34,
        "component_sizes": [34, 2, 1, 1],
    }
    assert components_summary(nx.Graph()) == {
        "components": 0, "isolates": [], "largest_component_size": 0, "component_sizes": []
    }
    edgeless = components_summary(nx.empty_graph(["b", "a"]))
    assert edgeless["isolates"] == ["a", "b"] and edgeless["component_sizes"] == [1, 1]
