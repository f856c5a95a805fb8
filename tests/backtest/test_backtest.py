"""Tests of the backtest: split, hand-worked metrics, baselines against networkx, demo.

The hand-worked dataset (``hand_dataset``), split at 2020::

    known (before 2020 or undated): A-B 2015, B-C 2016, C-D 2017-04-01, A-C (undated),
                                    D-E 2018, C-E 2019                      -> 6 pairs
    hidden rows: A-B 2020 (exchange: the pair is known, so not new),
                 A-D 2020, B-D 2021-06-01, B-D 2023 (same pair twice), E-F 2022
    new ties: A-D, B-D, E-F                                                 -> 3 pairs
    organizations with a new tie: A (D), B (D), D (A, B), E (F), F (E)     -> 5
    G has no tie at all; F has no known tie (cold start).

Known degrees: A 2, B 2, C 4, D 2, E 2, F 0, G 0.
"""

from __future__ import annotations

import json
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from cso_network.backtest.evaluate import (
    Method,
    Seeded,
    adamic_adar_pairs,
    adamic_adar_scorer,
    auc_score,
    backtest,
    default_split_year,
    evaluate,
    precision_ratio,
    preferential_attachment_pairs,
    preferential_attachment_scorer,
    random_pairs,
    random_scorer,
    ratio_in_words,
    split_by_year,
)
from cso_network.core.exceptions import CsoNetworkError
from cso_network.core.model import Dataset, frame_from_records
from cso_network.demo.synth import generate_programme

NEW = {("A", "D"), ("B", "D"), ("E", "F")}


def _collabs(rows: list[tuple]) -> pd.DataFrame:
    return frame_from_records("collaborations", [
        {"org_a": a, "org_b": b, "kind": kind, "since": since} for a, b, kind, since in rows
    ])


@pytest.fixture
def hand_dataset() -> Dataset:
    orgs = [{"org_id": o, "name": o, "country": "BA"} for o in "ABCDEFG"]
    rows = [
        ("A", "B", "joint project", "2015"),
        ("B", "C", "joint project", "2016"),
        ("C", "D", "joint project", "2017-04-01"),
        ("A", "C", "joint project", None),
        ("D", "E", "exchange", "2018"),
        ("C", "E", "network", "2019"),
        ("A", "B", "exchange", "2020"),
        ("A", "D", "joint project", "2020"),
        ("B", "D", "joint project", "2021-06-01"),
        ("B", "D", "network", "2023"),
        ("E", "F", "joint project", "2022"),
    ]
    return Dataset.from_frames({
        "organizations": frame_from_records("organizations", orgs),
        "collaborations": _collabs(rows),
    })


def _pairs(frame: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(frame["org_a"], frame["org_b"], strict=True))


def _graph_dataset(g: nx.Graph) -> tuple[Dataset, dict]:
    """Dataset of g's edges as undated ties; ids K000, K001, ... (id order = node order)."""
    name = {v: f"K{v:03d}" for v in g}
    orgs = [{"org_id": name[v], "name": name[v], "country": "BA"} for v in g]
    rows = [(min(name[u], name[v]), max(name[u], name[v]), "x", None) for u, v in g.edges]
    return Dataset.from_frames({
        "organizations": frame_from_records("organizations", orgs),
        "collaborations": _collabs(rows),
    }), name


def _brute_top_k(g: nx.Graph, name: dict, scores, k: int) -> dict[str, list]:
    """Top-k per node from networkx (u, v, score) triples: positive scores, ties by id."""
    lists: dict[str, list] = {}
    for u, v, s in scores:
        if s > 0:
            lists.setdefault(name[u], []).append((round(s, 12), name[v]))
            lists.setdefault(name[v], []).append((round(s, 12), name[u]))
    return {u: [(c, s) for s, c in sorted(items, key=lambda t: (-t[0], t[1]))[:k]]
            for u, items in lists.items()}


def _as_lists(frame: pd.DataFrame) -> dict[str, list]:
    out: dict[str, list] = {}
    for o, c, s in frame[["org_id", "candidate", "score"]].itertuples(index=False, name=None):
        out.setdefault(o, []).append((c, round(s, 12)))
    return out


# ------------------------------------------------------------------ split


def test_split_hides_new_ties_and_keeps_undated(hand_dataset):
    known, new = split_by_year(hand_dataset, 2020)
    assert list(new.columns) == ["org_a", "org_b"]
    assert _pairs(new) == NEW
    assert new.values.tolist() == sorted(map(list, NEW))
    kept = known.collaborations
    assert len(kept) == 6
    assert kept["since"].isna().sum() == 1  # A-C undated: known
    assert (kept["since"].dropna().str[:4].astype(int) < 2020).all()
    assert known.organizations.equals(hand_dataset.organizations)


def test_split_normalizes_pair_order_and_drops_self_ties():
    ds = Dataset.from_frames({"collaborations": _collabs([
        ("A", "B", "x", "2010"), ("C", "B", "x", "2021"), ("C", "C", "x", "2021"),
        ("B", "A", "y", "2021")])})
    _, new = split_by_year(ds, 2020)
    assert new.values.tolist() == [["B", "C"]]


def test_split_hides_later_seminars_attendance_and_engagements():
    rec = {
        "seminars": [{"seminar_id": "S1", "country": "BA", "start_date": "2014-05-01"},
                     {"seminar_id": "S2", "country": "ME", "start_date": "2021-05-01"},
                     {"seminar_id": "S3", "country": "RS", "start_date": None}],
        "attendance": [{"participant_id": "p", "seminar_id": s} for s in ("S1", "S2", "S3")],
        "engagements": [{"org_id": "A", "kind": "briefing", "date": d}
                        for d in ("2015", "2020-01-01", None)],
    }
    ds = Dataset.from_frames({t: frame_from_records(t, r) for t, r in rec.items()})
    known, _ = split_by_year(ds, 2020)
    assert list(known.seminars["seminar_id"]) == ["S1", "S3"]
    assert list(known.attendance["seminar_id"]) == ["S1", "S3"]
    assert list(known.engagements["date"]) == ["2015", None]


# ------------------------------------------------------------------ metrics by hand


def fake_scorer(known: Dataset, k: int) -> pd.DataFrame:
    """Fixed suggestions; the evaluation keeps the first k rows of each org, in this order."""
    rows = [("A", "D", 3.0), ("A", "E", 2.0),
            ("B", "E", 3.0), ("B", "D", 2.0), ("B", "F", 1.0),  # third row cut at k=2
            ("D", "A", 3.0), ("D", "F", 2.0),
            ("E", "A", 1.0),
            ("C", "F", 1.0),                                     # C formed no new tie
            ("ZZ", "A", 9.0)]                                    # unknown org: ignored
    return pd.DataFrame(rows, columns=["org_id", "candidate", "score"])


def test_precision_recall_by_hand(hand_dataset):
    out = evaluate(hand_dataset, split_year=2020, k=2, scorers={"fake": fake_scorer})
    # Organization: hits in the first 2 / precision = hits/2 / recall = hits/new partners
    #   A: D,E -> 1 hit   1/2   1/1
    #   B: E,D -> 1 hit   1/2   1/1
    #   D: A,F -> 1 hit   1/2   1/2   (new partners A and B)
    #   E: A   -> 0       0     0/1   (fewer than k: still divided by k)
    #   F: -   -> 0       0     0/1
    # precision@2 = (0.5 + 0.5 + 0.5 + 0 + 0) / 5 = 0.3
    # recall@2    = (1 + 1 + 0.5 + 0 + 0) / 5   = 0.5
    m = out["methods"]["fake"]
    assert m["precision_at_k"] == pytest.approx(0.3)
    assert m["recall_at_k"] == pytest.approx(0.5)
    assert out["split_year"] == 2020 and out["k"] == 2
    assert out["known_ties"] == 6 and out["new_ties"] == 3
    assert out["evaluated_orgs"] == 5 and out["cold_start_orgs"] == 1
    # 7 orgs -> 21 pairs; minus 6 known and 3 new: all 12 non-tied pairs are used (exact AUC).
    assert out["auc_pairs"] == {"positive": 3, "negative": 12}
    json.dumps(out)


def test_adamic_adar_by_hand(hand_dataset):
    out = evaluate(hand_dataset, split_year=2020, k=2,
                   scorers={"aa": Method(adamic_adar_scorer, adamic_adar_pairs)})
    # Every 2-step pair goes through C (degree 4): AA = 1/ln 4 for A-D, B-D, A-E, B-E.
    # Top 2: A [D, E] 1 hit; B [D, E] 1; D [A, B] 2; E [A, B] 0; F none 0.
    # precision@2 = (1/2 + 1/2 + 2/2 + 0 + 0) / 5 = 0.4; recall@2 = (1 + 1 + 1 + 0 + 0) / 5 = 0.6
    # AUC over 3 x 12 comparisons: A-D and B-D beat the 10 zero pairs and tie A-E, B-E:
    # 2 * (10 + 0.5 * 2) = 22; E-F (0) ties the 10 zeros and loses to 2: 0.5 * 10 = 5.
    # AUC = 27 / 36 = 0.75
    m = out["methods"]["aa"]
    assert m == pytest.approx({"precision_at_k": 0.4, "recall_at_k": 0.6, "auc": 0.75})


def test_auc_perfect_reversed_and_from_top_k_lists(hand_dataset):
    def perfect(known, a, b):
        return np.array([float((x, y) in NEW or (y, x) in NEW) for x, y in zip(a, b, strict=True)])

    def reversed_(known, a, b):
        return -perfect(known, a, b)

    def lists_only(known, k):  # lists the new partners only; AUC from full lists
        rows = [(x, y, 1.0) for x, y in NEW] + [(y, x, 1.0) for x, y in NEW]
        return pd.DataFrame(rows, columns=["org_id", "candidate", "score"])

    out = evaluate(hand_dataset, split_year=2020, k=2, scorers={
        "perfect": Method(fake_scorer, perfect),
        "reversed": Method(fake_scorer, reversed_),
        "lists": lists_only,
    })
    assert out["methods"]["perfect"]["auc"] == 1.0
    assert out["methods"]["reversed"]["auc"] == 0.0
    assert out["methods"]["lists"]["auc"] == 1.0
    assert out["methods"]["lists"]["recall_at_k"] == 1.0


def test_auc_score_definition():
    # positives 3, 1; negatives 1, 0: 3>1, 3>0, 1=1 (half), 1>0 -> 3.5 / 4
    assert auc_score(np.array([3.0, 1.0]), np.array([1.0, 0.0])) == 0.875
    assert auc_score(np.array([np.nan]), np.array([0.0])) == 0.0  # NaN is lowest
    assert auc_score(np.array([]), np.array([1.0])) is None
    rng = np.random.default_rng(7)
    assert auc_score(rng.random(5000), rng.random(5000)) == pytest.approx(0.5, abs=0.02)


# ------------------------------------------------------------------ baselines


@pytest.mark.parametrize("k", [1, 3, 10])
def test_adamic_adar_matches_networkx_on_karate(k):
    g = nx.karate_club_graph()
    ds, name = _graph_dataset(g)
    ours = _as_lists(adamic_adar_scorer(ds, k))
    expected = _brute_top_k(g, name, nx.adamic_adar_index(g), k)
    assert ours == expected


def test_adamic_adar_pairs_match_networkx_on_florentine():
    g = nx.convert_node_labels_to_integers(nx.florentine_families_graph(), ordering="sorted")
    ds, name = _graph_dataset(g)
    triples = list(nx.adamic_adar_index(g))
    got = adamic_adar_pairs(ds, np.array([name[u] for u, _, _ in triples], dtype=object),
                            np.array([name[v] for _, v, _ in triples], dtype=object))
    assert got == pytest.approx([s for _, _, s in triples])


@pytest.mark.parametrize("graph", [
    nx.karate_club_graph(),
    nx.gnm_random_graph(60, 90, seed=3),  # has isolates
    nx.star_graph(6),
])
@pytest.mark.parametrize("k", [1, 4, 10])
def test_preferential_attachment_matches_brute_force(graph, k):
    ds, name = _graph_dataset(graph)
    ours = _as_lists(preferential_attachment_scorer(ds, k))
    expected = _brute_top_k(graph, name, nx.preferential_attachment(graph), k)
    assert ours == expected
    u, v, s = zip(*nx.preferential_attachment(graph), strict=True)
    got = preferential_attachment_pairs(ds, np.array([name[x] for x in u], dtype=object),
                                        np.array([name[x] for x in v], dtype=object))
    assert got.tolist() == [float(x) for x in s]


@pytest.mark.parametrize("graph", [nx.karate_club_graph(), nx.star_graph(5),
                                   nx.gnm_random_graph(80, 300, seed=1)])
@pytest.mark.parametrize("k", [1, 5, 40])
def test_random_scorer_suggests_distinct_non_partners(graph, k):
    ds, name = _graph_dataset(graph)
    top = random_scorer(seed=4)(ds, k)
    neighbours = {name[u]: {name[v] for v in graph[u]} for u in graph}
    for org, group in top.groupby("org_id"):
        cands = list(group["candidate"])
        assert org not in cands
        assert not set(cands) & neighbours[org]
        assert len(set(cands)) == len(cands)
        assert list(group["score"]) == sorted(group["score"], reverse=True)
    sizes = top.groupby("org_id").size()
    for u in graph:
        available = len(graph) - 1 - graph.degree(u)
        assert sizes.get(name[u], 0) == min(k, available)


def test_random_scorer_is_about_uniform():
    g = nx.empty_graph(50)
    g.add_edges_from((0, v) for v in range(1, 10))  # a hub, so the complement mapping is used
    ds, name = _graph_dataset(g)
    counts = pd.concat([random_scorer(seed=s)(ds, 5) for s in range(40)])
    # Rows 10..49 (no partners): each of the 49 others with probability 5/49.
    free = counts[counts["org_id"] >= name[10]]
    per_candidate = free["candidate"].value_counts()
    assert len(per_candidate) == 50
    share = free.groupby("org_id")["candidate"].apply(lambda c: (c == name[0]).mean()).mean()
    assert share == pytest.approx(1 / 49, abs=0.01)
    assert per_candidate.std() / per_candidate.mean() < 0.2


def test_random_is_deterministic_per_seed(hand_dataset):
    known, _ = split_by_year(hand_dataset, 2020)
    assert random_scorer(3)(known, 3).equals(random_scorer(3)(known, 3))
    a = np.array(["A", "B", "C"], dtype=object)
    b = np.array(["D", "E", "F"], dtype=object)
    assert np.array_equal(random_pairs(3)(known, a, b), random_pairs(3)(known, a, b))
    assert not np.array_equal(random_pairs(3)(known, a, b), random_pairs(4)(known, a, b))


def test_scores_do_not_depend_on_row_order(hand_dataset):
    shuffled = Dataset.from_frames({
        **hand_dataset.frames(),
        "collaborations": hand_dataset.collaborations.sample(frac=1, random_state=5),
    })
    args = {"split_year": 2020, "k": 2, "scorers": {
        "aa": Method(adamic_adar_scorer, adamic_adar_pairs),
        "pa": Method(preferential_attachment_scorer, preferential_attachment_pairs),
        "random": Seeded(lambda s: Method(random_scorer(s), random_pairs(s))),
    }}
    assert evaluate(shuffled, **args) == evaluate(hand_dataset, **args)


# ------------------------------------------------------------------ demo


@pytest.fixture(scope="module")
def demo() -> Dataset:
    return generate_programme().dataset


def test_default_split_year_leaves_about_three_quarters_known(demo):
    year = default_split_year(demo)
    years = demo.collaborations["since"].str[:4].astype(int)
    assert 0.7 <= (years < year).mean() <= 0.85
    assert (years >= year).sum() > 0


def test_adamic_adar_beats_random_on_demo(demo):
    out = backtest(demo, k=10, seed=0)
    assert out["split_year"] == default_split_year(demo)
    assert list(out["methods"]) == ["adamic_adar", "preferential_attachment", "random"]
    aa, rnd = out["methods"]["adamic_adar"], out["methods"]["random"]
    assert aa["precision_at_k"] > rnd["precision_at_k"]
    assert aa["auc"] > rnd["auc"]
    assert rnd["auc"] == pytest.approx(0.5, abs=0.1)
    for m in out["methods"].values():
        assert set(m) == {"precision_at_k", "recall_at_k", "auc"}
        assert all(0 <= v <= 1 for v in m.values())
    json.dumps(out)


def test_backtest_is_deterministic_and_seeded(demo):
    assert backtest(demo, seed=2) == backtest(demo, seed=2)
    a, b = backtest(demo, seed=2), backtest(demo, seed=3)
    assert a["methods"]["adamic_adar"]["precision_at_k"] == b["methods"]["adamic_adar"][
        "precision_at_k"]  # only the random parts depend on the seed
    assert a["methods"]["random"] != b["methods"]["random"]


def test_backtest_puts_engine_first(demo):
    calls = []

    def engine(known, k):
        calls.append(k)
        return adamic_adar_scorer(known, k)

    out = backtest(demo, engine=engine)
    assert list(out["methods"]) == ["engine", "adamic_adar", "preferential_attachment", "random"]
    assert out["methods"]["engine"]["precision_at_k"] == out["methods"]["adamic_adar"][
        "precision_at_k"]
    # AUC of a plain scorer comes from its full lists; AA lists hold every positive score.
    assert out["methods"]["engine"]["auc"] == pytest.approx(out["methods"]["adamic_adar"]["auc"])
    assert calls == [10, len(demo.organizations)]


def test_engine_sees_only_the_past(demo):
    year = default_split_year(demo)

    def engine(known, k):
        years = known.collaborations["since"].str[:4].astype(int)
        assert (years < year).all()
        return adamic_adar_scorer(known, k)

    backtest(demo, engine=engine)


# ------------------------------------------------------------------ errors


def test_clear_errors_for_impossible_splits(demo):
    with pytest.raises(CsoNetworkError, match=r"no new collaboration starts in 2030 or later.*"
                                              r"from 1996 to 2024.*from 1997 to 2024"):
        backtest(demo, split_year=2030)
    with pytest.raises(CsoNetworkError, match=r"no collaboration is known before 1990.*1996"):
        backtest(demo, split_year=1990)
    with pytest.raises(CsoNetworkError, match="k must be a positive"):
        backtest(demo, k=0)


def test_clear_errors_without_dates():
    undated = Dataset.from_frames({"collaborations": _collabs([("A", "B", "x", None)])})
    with pytest.raises(CsoNetworkError, match="no collaboration has a 'since' date"):
        default_split_year(undated)
    with pytest.raises(CsoNetworkError, match="no collaboration has a 'since' date"):
        backtest(undated, split_year=2020)
    one_year = Dataset.from_frames({"collaborations": _collabs([("A", "B", "x", "2015")])})
    with pytest.raises(CsoNetworkError, match="every dated collaboration starts in 2015"):
        default_split_year(one_year)


def test_bad_scorer_output_is_named(hand_dataset):
    def bad(known, k):
        return pd.DataFrame({"org_id": ["A"], "partner": ["D"]})

    with pytest.raises(CsoNetworkError, match=r"'bad'.*missing candidate, score"):
        evaluate(hand_dataset, split_year=2020, scorers={"bad": bad})


def test_undefined_values_are_none():
    # Complete known graph plus one new organization: every non-tied pair is a new tie,
    # so there is no negative pair and AUC is undefined.
    ds = Dataset.from_frames({"collaborations": _collabs([
        ("A", "B", "x", "2010"), ("A", "C", "x", "2021"), ("B", "C", "x", "2021")])})
    out = evaluate(ds, split_year=2020, k=1, scorers={"aa": adamic_adar_scorer})
    assert out["auc_pairs"]["negative"] == 0
    assert out["methods"]["aa"]["auc"] is None
    assert not math.isnan(out["methods"]["aa"]["precision_at_k"])


# --------------------------------------------------------------------------- precision ratio


def _one_hit_scorer(known, k):
    """Suggests D to A only: one hit (A-D is new)."""
    return pd.DataFrame([("A", "D", 1.0)], columns=["org_id", "candidate", "score"])


def test_precision_ratio_by_hand(hand_dataset):
    out = evaluate(hand_dataset, split_year=2020, k=2,
                   scorers={"fake": fake_scorer, "one": _one_hit_scorer}, compare=("fake", "one"))
    # hits per evaluated organization (A, B, D, E, F): fake 1, 1, 1, 0, 0; one 1, 0, 0, 0, 0
    ratio = out["precision_ratio"]
    assert (ratio["method"], ratio["baseline"], ratio["ratio"]) == ("fake", "one", 3.0)
    # a resample without A (chance (4/5)^5 = 33%) has no baseline hit: no upper bound;
    # with A drawn x times the ratio is (x + draws of B and D) / x >= 1
    low, high = ratio["ci"]
    assert high is None and 1.0 <= low <= 3.0
    assert ratio["level"] == 0.95 and ratio["resamples"] == 2000
    json.dumps(out)
    # a seeded method, or one not evaluated, cannot be compared
    with pytest.raises(CsoNetworkError, match="cannot compare 'random'"):
        evaluate(hand_dataset, split_year=2020, k=2,
                 scorers={"fake": fake_scorer, "random": Seeded(random_scorer)},
                 compare=("fake", "random"))


def test_precision_ratio_is_exact_when_hits_are_proportional():
    base = np.random.default_rng(3).integers(1, 6, size=50)
    out = precision_ratio(3 * base, base)
    assert out["ratio"] == 3.0 and out["ci"] == [3.0, 3.0]


def test_precision_ratio_interval_matches_a_plain_percentile_bootstrap():
    rng = np.random.default_rng(11)
    b = rng.poisson(0.4, size=300)
    a = rng.poisson(0.6, size=300)
    out = precision_ratio(a, b, resamples=4000, seed=5)
    # the textbook percentile bootstrap, written out: draw organizations with replacement
    draws = np.random.default_rng(99).integers(0, 300, size=(4000, 300))
    ratios = a[draws].sum(axis=1) / b[draws].sum(axis=1)
    low, high = np.percentile(ratios, [2.5, 97.5])
    assert out["ratio"] == pytest.approx(a.sum() / b.sum())
    assert out["ci"][0] == pytest.approx(low, abs=0.04)
    assert out["ci"][1] == pytest.approx(high, abs=0.04)
    assert out["ci"][0] < out["ratio"] < out["ci"][1]
    assert precision_ratio(a, b, resamples=4000, seed=5) == out  # seeded


def test_precision_ratio_undefined_and_bad_input():
    assert precision_ratio(np.array([1, 2]), np.array([0, 0])) is None
    with pytest.raises(ValueError, match="same length"):
        precision_ratio(np.array([1, 2]), np.array([1]))


def test_backtest_reports_the_engine_against_adamic_adar(demo):
    assert backtest(demo)["precision_ratio"] is None  # no engine
    out = backtest(demo, engine=adamic_adar_scorer)
    ratio = out["precision_ratio"]
    assert (ratio["method"], ratio["baseline"], ratio["ratio"]) == ("engine", "adamic_adar", 1.0)
    assert ratio["ci"] == [1.0, 1.0]  # the same lists: every resample gives 1


def test_ratio_in_words():
    result = {"k": 10, "precision_ratio": {"ratio": 0.934, "ci": [0.8, None], "level": 0.95,
                                           "resamples": 500}}
    assert ratio_in_words(result) == (
        "These suggestions find 0.93 times as many real new ties in their top 10 as "
        "Adamic-Adar alone (95% interval: 0.80 or more; 500 resamples of the organizations).")
    assert ratio_in_words({"k": 10, "precision_ratio": None}) is None


def test_one_sparse_api_sparse_arrays_not_matrices(hand_dataset):
    """scipy.sparse arrays (``csr_array``, ``diags_array``, ``eye_array``), whose ``*`` is
    elementwise and ``.sum(axis=...)`` 1-D: no matrix type is built or named."""
    import ast
    from pathlib import Path

    import scipy.sparse as sp

    from cso_network.backtest import evaluate
    from cso_network.network import layers

    _, adj = evaluate._adjacency(hand_dataset)
    assert isinstance(adj, sp.sparray) and adj.format == "csr"
    assert adj.sum(axis=1).ndim == 1
    _, _, incidence = layers.incidence_matrix(hand_dataset)
    assert isinstance(incidence, sp.sparray)
    matrix_api = {"csr_matrix", "csc_matrix", "coo_matrix", "lil_matrix", "dok_matrix",
                  "spmatrix", "diags", "identity", "eye", "bmat", "hstack", "vstack"}
    for module in (evaluate, layers):
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        named = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)
                 and isinstance(node.value, ast.Name) and node.value.id == "sp"}
        assert not named & matrix_api, (module.__name__, named & matrix_api)
