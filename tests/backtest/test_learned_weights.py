"""Tests of the learned engine weights (backtest.evaluate.learn_weights) and of the
vectorized scoring shortcuts in recommend.components and recommend.score (tables,
buffers, top-m).

Expected values are worked out independently of the code under test:

- least squares with a free intercept and non-negative coefficients, worked
  by hand on tiny tables (an exact fit; a fit whose unconstrained optimum has
  a negative coefficient), and checked against scipy's bounded solver
  ``scipy.optimize.lsq_linear`` on random tables (hypothesis);
- the learning window of a tiny dataset, where the positives are exactly
  four times ``met_before``.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from cso_network.backtest import evaluate as bt
from cso_network.backtest.evaluate import (
    backtest,
    engine_method,
    fit_nonnegative_least_squares,
    learn_weights,
)
from cso_network.core.exceptions import CsoNetworkError
from cso_network.core.model import Dataset, frame_from_records
from cso_network.demo.synth import generate_programme
from cso_network.recommend import components, score
from cso_network.recommend.components import COMPONENTS
from cso_network.recommend.features import build_features
from cso_network.recommend.score import recommend_all
from tests.helpers import dataset_from_records

# --------------------------------------------------------------------------- the fit


def test_fit_puts_weight_on_the_feature_that_is_the_label():
    # feature 0 is the label; feature 1 is noise with the same values in both
    # classes; feature 2 is higher on the negatives: y = 0 + 1 * x0 fits exactly
    X = np.array([[1, 0, 0], [1, 1, 0], [1, 0, 1], [1, 1, 0],
                  [0, 0, 1], [0, 1, 1], [0, 0, 1], [0, 1, 0]], dtype=float)
    y = np.array([1, 1, 1, 1, 0, 0, 0, 0])
    intercept, coef = fit_nonnegative_least_squares(X, y)
    assert intercept == pytest.approx(0.0, abs=1e-12)
    assert coef.tolist() == pytest.approx([1.0, 0.0, 0.0], abs=1e-12)


def test_fit_holds_a_coefficient_at_zero_instead_of_negative():
    # y = x0 - 0.5 x1 exactly, but x1 may not count against: fitted on x0 alone the
    # means are 0.75 (x0 = 1) and -0.25 (x0 = 0), so intercept -0.25 and slope 1;
    # residuals (-.25, .25, .25, -.25) give d loss / d coef1 = -sum r x1 = 0.5 > 0
    X = np.array([[1.0, 1.0], [1.0, 0.0], [0.0, 0.0], [0.0, 1.0]])
    intercept, coef = fit_nonnegative_least_squares(X, np.array([0.5, 1.0, 0.0, -0.5]))
    assert intercept == pytest.approx(-0.25, abs=1e-12)
    assert coef.tolist() == pytest.approx([1.0, 0.0], abs=1e-12)


def test_fit_weights_count_like_repeated_rows():
    X = np.array([[0.0], [1.0], [2.0]])
    y = np.array([0.0, 1.0, 1.0])
    repeated = fit_nonnegative_least_squares(np.r_[X, X[2:]], np.r_[y, y[2:]])
    weighted = fit_nonnegative_least_squares(X, y, np.array([1.0, 1.0, 2.0]))
    assert weighted[0] == pytest.approx(repeated[0], abs=1e-12)
    assert weighted[1] == pytest.approx(repeated[1], abs=1e-12)
    with pytest.raises(CsoNetworkError, match="positive weight"):
        fit_nonnegative_least_squares(X, y, np.zeros(3))


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.integers(3, 30), st.integers(1, 4))
def test_fit_equals_scipy_bounded_least_squares(seed, m, d):
    from scipy.optimize import lsq_linear

    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, d))
    y = rng.normal(size=m)
    w = rng.uniform(0.1, 3.0, size=m)
    intercept, coef = fit_nonnegative_least_squares(X, y, w)
    root = np.sqrt(w)
    A = np.c_[np.ones(m), X] * root[:, None]
    ref = lsq_linear(A, y * root, bounds=(np.r_[-np.inf, np.zeros(d)], np.full(d + 1, np.inf)),
                     method="bvls", tol=1e-12)

    def loss(b0, b):
        return float(w @ (y - b0 - X @ b) ** 2)

    assert (coef >= 0).all()
    # the optimum is unique in loss (not always in coefficients when X is singular)
    assert loss(intercept, coef) == pytest.approx(loss(ref.x[0], ref.x[1:]), rel=1e-9, abs=1e-12)


# --------------------------------------------------------------------------- learn_weights


def _org(oid: str) -> dict:
    return {"org_id": oid, "name": f"Org {oid}", "country": "BA", "fields": ("human rights",),
            "practices": ("advocacy",), "risk_factors": (1,)}


def _met_dataset() -> Dataset:
    """Eight look-alike organizations (same country, fields, practices, risk factor).

    A-B met at S1 and C-D at S2 (2015); E-F and G-H tied in 2014. In 2018 A-B
    and in 2019 C-D formed ties. Learning window (horizon 2): 2018-2019, features
    from before 2018. Every candidate pair then has proximity 0 (no two-step
    path), thematic fit 1, complementarity 0, cross-border 0, language 1; the
    positives A-B, C-D have met_before 0.25 (one shared seminar, 0.5, halved within
    one country) and bridging 0 (same community),
    the negatives met_before 0 and bridging 0.75 (different communities).
    """
    sem = [{"seminar_id": s, "city": "Sarajevo", "country": "BA", "start_date": "2015-05-01"}
           for s in ("S1", "S2")]
    att = [("A", "S1"), ("B", "S1"), ("C", "S2"), ("D", "S2")]
    return dataset_from_records({
        "seminars": sem,
        "organizations": [_org(o) for o in "ABCDEFGH"],
        "participants": [{"participant_id": f"p{o}", "org_id": o} for o in "ABCD"],
        "attendance": [{"participant_id": f"p{o}", "seminar_id": s} for o, s in att],
        "collaborations": [
            {"org_a": a, "org_b": b, "kind": "joint project", "since": y}
            for a, b, y in [("E", "F", "2014"), ("G", "H", "2014"),
                            ("A", "B", "2018"), ("C", "D", "2019")]
        ],
    })


def test_learned_weights_pick_the_one_separating_component():
    info = learn_weights(_met_dataset(), details=True)
    assert info["inner_split_year"] == 2018
    # positives: A-B and C-D in both directions; negatives: the other 48 candidates
    assert (info["positives"], info["negatives"]) == (4, 48)
    coef = info["coef"]
    # the label is exactly 4 * met_before (0.25 on the positives, 0 on the negatives);
    # bridging (0 on the positives, 0.75 on the negatives) could only fit with a
    # negative coefficient, and the other parts are the same for every pair
    assert coef["met_before"] == pytest.approx(4.0, rel=1e-9)
    assert info["intercept"] == pytest.approx(0.0, abs=1e-9)
    for c in ("proximity", "thematic_fit", "complementarity", "cross_border", "bridging",
              "language"):
        assert coef[c] == pytest.approx(0.0, abs=1e-9), c
    w = info["weights"]
    assert list(w) == list(COMPONENTS)
    assert sum(w.values()) == pytest.approx(1.0)
    assert w["met_before"] == pytest.approx(1.0, abs=1e-9)


def test_learned_weights_fall_back_to_balanced_without_history():
    ds = _met_dataset()
    # only the 2014 ties: the window 2013-2014 leaves nothing before it
    only_old = dataclasses.replace(ds, collaborations=ds.collaborations.iloc[:2])
    assert learn_weights(only_old) == score.PRESETS["balanced"]


@pytest.fixture(scope="module")
def demo() -> Dataset:
    return generate_programme().dataset


def _since_year(frame: pd.DataFrame) -> pd.Series:
    return frame["since"].str[:4].astype(float)


def test_no_leakage_ties_after_the_split_do_not_change_the_weights(demo):
    year = 2020
    base = learn_weights(demo, until=year, details=True)
    c = demo.collaborations
    later = _since_year(c) >= year
    assert later.sum() > 0
    # drop every tie from the split year on and add different ones instead
    orgs = sorted(demo.organizations["org_id"])
    extra = frame_from_records("collaborations", [
        {"org_a": orgs[i], "org_b": orgs[-1 - i], "kind": "joint project", "since": "2021"}
        for i in range(10)])
    changed = dataclasses.replace(
        demo, collaborations=pd.concat([c[~later], extra], ignore_index=True))
    assert learn_weights(changed, until=year, details=True) == base
    # not vacuous: the ties of the learning window (2018-2019) do matter
    window = (_since_year(c) >= year - 2) & (_since_year(c) < year)
    fewer = dataclasses.replace(demo, collaborations=c[~window])
    assert learn_weights(fewer, until=year)["met_before"] != base["weights"]["met_before"]


def test_learned_engine_sees_only_the_known_data(demo, monkeypatch):
    seen = []
    real = bt.learn_weights

    def spy(data, **kw):
        seen.append(_since_year(data.collaborations).max())
        return real(data, **kw)

    monkeypatch.setattr(bt, "learn_weights", spy)
    out = backtest(demo, split_year=2020, engine=engine_method("learned"))
    assert seen and max(seen) < 2020
    assert list(out["methods"])[0] == "engine"
    assert out["methods"]["engine"]["precision_at_k"] > out["methods"]["random"]["precision_at_k"]


def test_engine_method_rejects_unknown_preset_early():
    with pytest.raises(CsoNetworkError, match="unknown preset .nope.; presets are balanced, .*, learned"):
        engine_method("nope")


# --------------------------------------------------------------------------- scoring shortcuts


def test_table_components_equal_the_formulas():
    ds = generate_programme(seed=3).dataset
    f = build_features(ds)
    r, c = np.divmod(np.arange(f.n * f.n), f.n)
    a, b = f.country[r], f.country[c]
    differ = (a >= 0) & (b >= 0) & (a != b)
    gap = np.zeros(len(r), dtype=bool)
    gap[differ] = f.gap_matrix[a[differ], b[differ]]
    assert gap.any()
    expected = np.where(gap, 1.0, np.where(differ, 0.5, 0.0))
    assert np.array_equal(components.cross_border(f, r, c), expected)
    la, lb = f.language[r], f.language[c]
    known = (la >= 0) & (lb >= 0)
    lang = np.zeros(len(r))
    lang[known] = f.language_affinity[la[known], lb[known]]
    assert np.array_equal(components.language(f, r, c), lang)
    anc = f.anchor
    rel = ((f.component[r] == f.component[c]) & (anc[r] != anc[c]) & (anc[r] != c)
           & (anc[c] != r) & ((anc[r] >= 0) | (anc[c] >= 0)))
    diff = f.community[r] != f.community[c]
    assert rel.any() and diff.any()
    assert np.array_equal(components.bridging(f, r, c), np.minimum(1.0, 0.75 * diff + 0.5 * rel))


@pytest.mark.parametrize("dtype", [np.uint8, np.int16])
def test_top_matches_equal_brute_force(dtype):
    rng = np.random.default_rng(7)
    levels = rng.integers(0, 6, size=(40, 50)).astype(dtype)
    for m in (1, 5, 49, 50, 60):
        rows, cols = score._top_matches(levels, m)
        got = sorted(zip(rows.tolist(), cols.tolist(), strict=True))
        want = []
        for i, row in enumerate(levels.tolist()):
            order = sorted((j for j in range(len(row)) if row[j] > 0), key=lambda j: (-row[j], j))
            want += [(i, j) for j in order[:m]]
        assert got == sorted(want), m


def test_chunked_lists_are_the_same(monkeypatch):
    ds = generate_programme(seed=3).dataset
    f = build_features(ds)
    one = recommend_all(ds, features=f)
    cand = score.candidate_pairs(f)
    monkeypatch.setattr(score, "_CELLS", 7 * min(f.n, score.MATCH_POOL))  # chunks of 7 rows
    assert len(score._chunks(f.n, None)) > 5
    pd.testing.assert_frame_equal(recommend_all(ds, features=f, workers=1), one)
    for x, y in zip(score.candidate_pairs(f), cand, strict=True):
        assert np.array_equal(x, y)
    # chunks scored side by side by threads: the same lists
    pd.testing.assert_frame_equal(recommend_all(ds, features=f, workers=3), one)
    with pytest.raises(CsoNetworkError, match="workers must be at least 1"):
        recommend_all(ds, features=f, workers=0)


@pytest.mark.parametrize("seed", [3, 8])
def test_candidates_equal_dense_brute_force(seed):
    """The merged sparse sources against the definition, computed with dense matrices:
    two steps along declared ties, co-attendees, and per row the m best thematic
    (Jaccard) and complementary matches (ties by position), never self nor a partner;
    sums and shared seminars at each candidate equal the public components' inputs."""
    f = build_features(generate_programme(seed=seed, n_orgs=120).dataset)
    m = 5
    P = f.collaborated.toarray() > 0
    M = f.met.toarray()
    n = f.n
    excluded = P | np.eye(n, dtype=bool)
    want = ((P.astype(int) @ P.astype(int)) > 0) | (M > 0)
    tb, cb = f.thematic_bits, f.coverage_bits
    for i in range(n):
        inter = np.array([bin(int(tb[i] & t)).count("1") for t in tb])
        union = np.array([bin(int(tb[i] | t)).count("1") for t in tb])
        jac = np.divide(inter, union, out=np.zeros(n), where=union > 0)
        gain = np.array([bin(int(t & ~cb[i] & ((1 << 26) - 1))).count("1") for t in cb])
        for value in (jac, gain):
            order = sorted((j for j in range(n) if not excluded[i, j] and value[j] > 0),
                           key=lambda j: (-value[j], j))
            want[i, order[:m]] = True
    want &= ~excluded
    r, c = score.candidate_pairs(f, m=m)
    assert np.array_equal(np.flatnonzero(want), r * n + c)
    # what the engine reads at the candidates is what the public components read
    _, C = components._common_neighbour_matrix(f.collaborated, "adamic_adar", False)
    rows, cols, aa, shared = score._chunk_candidates(f, np.arange(n), m, C, score.match_pool(n))
    assert np.array_equal(rows, r) and np.array_equal(cols, c)
    np.testing.assert_allclose(aa, components.adamic_adar_sums(f.collaborated, r, c, weighted=False),
                               rtol=1e-12)
    assert np.array_equal(shared, np.minimum(M[r, c], 2))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 3)), min_size=0, max_size=60))
def test_order_in_rows_equals_lexsort(entries):
    rows = np.sort(np.array([r for r, _ in entries], dtype=np.int64))
    scores = np.array([s for _, s in entries], dtype=float)
    want = np.lexsort((np.arange(len(rows)), -scores, rows))
    assert score._order_in_rows(rows, scores).tolist() == want.tolist()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from([0.0, 0.1, 0.1 + 1e-15, 0.25, 0.5, 0.9, 1.0]),
                         min_size=0, max_size=40), min_size=1, max_size=6),
       st.integers(1, 8))
def test_row_top_equals_brute_force(rows, k):
    """Each row's k best (score descending, ties by position), with and without the
    coarse pass: rows of up to 40 entries against k <= 8 reach it."""
    lengths = np.array([len(r) for r in rows], dtype=np.int64)
    indptr = np.r_[0, np.cumsum(lengths)]
    scores = np.array([s for r in rows for s in r], dtype=float)
    want = []
    for i, row in enumerate(rows):
        best = sorted(range(len(row)), key=lambda j: (-row[j], j))[:k]
        want += sorted(int(indptr[i]) + j for j in best)
    assert score._row_top(indptr, scores, k).tolist() == want
    assert score._row_top_exact(indptr, scores, k).tolist() == want


def test_coarse_pass_drops_only_what_cannot_be_chosen():
    """100 evenly spaced scores fall on distinct levels (floor(j / 99 * 255.999)), so
    with k = 3 only the 3 best are kept; two equal best scores keep both."""
    scores = np.linspace(0.0, 1.0, 100)
    assert score._coarse_keep(np.array([0, 100]), scores, 3).tolist() == [97, 98, 99]
    scores[50] = 1.0
    assert score._coarse_keep(np.array([0, 100]), scores, 3).tolist() == [50, 98, 99]


def _unsorted(A):
    """The same matrix with each row's column indices stored in reverse order."""
    A = sp.csr_array(A, copy=True)
    for i in range(A.shape[0]):
        lo, hi = A.indptr[i], A.indptr[i + 1]
        A.indices[lo:hi] = A.indices[lo:hi][::-1].copy()
        A.data[lo:hi] = A.data[lo:hi][::-1].copy()
    A.has_sorted_indices = False
    return A


def test_candidates_do_not_depend_on_the_storage_order_of_the_layers():
    """Layers whose rows are stored unsorted (scipy then merges them another way) give
    the same candidates, sums and shared seminars."""
    f = build_features(generate_programme(seed=8, n_orgs=120).dataset)
    g = dataclasses.replace(f, met=_unsorted(f.met), collaborated=_unsorted(f.collaborated))
    assert not g.met.has_sorted_indices
    _, C = components._common_neighbour_matrix(f.collaborated, "adamic_adar", False)
    rows = np.arange(f.n)
    want = score._chunk_candidates(f, rows, 5, C, score.match_pool(f.n))
    got = score._chunk_candidates(g, rows, 5, C, score.match_pool(f.n))
    for x, y in zip(got, want, strict=True):
        np.testing.assert_allclose(x, y, rtol=1e-12)


# --------------------------------------------------------------------------- the learned preset


def _unattributed_dataset() -> Dataset:
    """Four organizations with nothing recorded but ties: E-F (2014), A-B (2019).

    Learning window 2018-2019, features from before 2018: A and B share no
    partner, seminar, field, practice or risk factor, so they are not a
    candidate pair and no candidate pair ties in the window.
    """
    return dataset_from_records({
        "seminars": [],
        "organizations": [{"org_id": o, "name": f"Org {o}", "country": "BA"} for o in "ABEF"],
        "participants": [], "attendance": [],
        "collaborations": [{"org_a": a, "org_b": b, "kind": "joint project", "since": y}
                           for a, b, y in [("E", "F", "2014"), ("A", "B", "2019")]],
    })


@pytest.mark.parametrize(("make", "why"), [
    (lambda: dataclasses.replace(_met_dataset(), collaborations=_met_dataset().collaborations
                                 .assign(since=None)),
     "no collaboration has a 'since' date, so there is no history to learn weights from"),
    # only the 2014 ties: the window 2013-2014 leaves nothing before it
    (lambda: dataclasses.replace(_met_dataset(), collaborations=_met_dataset().collaborations
                                 .iloc[:2]),
     "too little history to learn weights: the new collaborations of 2013–2014 are learned "
     "from those before 2013, and the earliest dated collaboration starts in 2014"),
    (_unattributed_dataset,
     "too little history to learn weights: no suggested pair became a new collaboration in "
     "2018–2019"),
])
def test_without_fallback_too_short_a_history_says_why(make, why):
    ds = make()
    assert learn_weights(ds) == score.PRESETS["balanced"]  # the backtest's fallback
    with pytest.raises(CsoNetworkError) as caught:
        learn_weights(ds, fallback=False)
    assert str(caught.value) == why
    assert learn_weights(ds, details=True)["learned"] is False


def test_workspace_learns_its_weights_once_per_version(monkeypatch):
    from cso_network.workspace import Workspace

    calls = []
    real = bt.learn_weights
    monkeypatch.setattr(bt, "learn_weights", lambda data, **kw: calls.append(kw) or real(data, **kw))
    ws = Workspace(_met_dataset(), version="v1", name="met")
    # worked out above: all the weight on met_before, learned from the ties of 2018-2019
    weights = ws.learned_weights()
    assert weights == pytest.approx(dict.fromkeys(COMPONENTS, 0.0) | {"met_before": 1.0},
                                    abs=1e-9)
    info = ws.learned_weights(details=True)
    assert (info["inner_split_year"], info["last_year"], info["learned"]) == (2018, 2019, True)
    weights["met_before"] = 0.0  # a copy: the cache is not changed
    assert ws.learned_weights()["met_before"] == pytest.approx(1.0)
    assert ws.preset_weights("learned") == ws.learned_weights()
    assert ws.preset_weights("learned", {"language": 2.0})["language"] == 2.0
    assert calls == [{"details": True, "fallback": False}]


def test_learned_suggestions_rank_by_the_learned_weights():
    from cso_network.recommend.explain import suggestions_records
    from cso_network.recommend.score import recommend_for
    from cso_network.workspace import Workspace

    ds = generate_programme().dataset
    ws = Workspace(ds, version="demo", name="demo")
    f = ws.recommend_features()
    w = learn_weights(ds)
    assert w != score.PRESETS["balanced"]
    expected = suggestions_records(recommend_for(ds, "ORG-011", weights=w, features=f, top=8), f)
    got = ws.suggestions("ORG-011", preset="learned", top=8)
    assert got == expected
    assert [r["partner_id"] for r in got] != [
        r["partner_id"] for r in ws.suggestions("ORG-011", top=8)]


def test_the_learned_preset_on_too_short_a_history_is_refused():
    from cso_network.workspace import Workspace

    ws = Workspace(_unattributed_dataset(), version="short", name="short")
    for attempt in (ws.learned_weights, lambda: ws.suggestions("A", preset="learned")):
        with pytest.raises(CsoNetworkError, match="no suggested pair became a new collaboration"):
            attempt()
    assert ws.suggestions("A") == []  # the fixed presets still answer
