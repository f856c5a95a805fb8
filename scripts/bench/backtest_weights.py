#!/usr/bin/env python3
"""How far can re-weighting the seven parts go in the backtest? (diagnostic)

For the demo (``--orgs 0``) or a generated programme of ``--orgs`` organizations,
split at the default year, prints precision@k of:

- the presets and the ``learned`` weights (the engine as evaluated by
  ``cso-network backtest``; ``learned`` sees the known data only);
- each part alone (no diversity rule);
- the *generator's own formula* (:func:`cso_network.demo.synth.formation_propensity`
  at the split year, computed from the known data): each pair's expected
  number of accepted proposals in the simulation that made the data, ranked
  per organization without the diversity rule (``generator_formula``; the
  learned weights without the rule are ``learned_no_diversity``) and with it
  (``generator_formula_diversity``, the rule applied to each organization's
  best ``3k`` as the engine does). It knows how the data was made, so it
  bounds what scoring the same facts can reach;
- how sure the ratio of ``learned`` to Adamic-Adar is: its 95% bootstrap
  interval over the organizations that formed a new tie
  (:func:`cso_network.backtest.evaluate.precision_ratio`, ``--bootstrap``
  seeded resamples; ``learned_ratio_bootstrap``);
- two *diagnostics that peek at the test period* and are therefore not
  methods: the non-negative least squares of ``learn_weights`` fitted on the
  test period's own new ties (``oracle_least_squares``), and the best of
  ``--samples`` random weightings (uniform on the simplex, seeded) scored on
  the test period (``oracle_random_search``). They bound what a re-weighting
  of these parts could reach, not what a method can.

Adamic-Adar and random are the baselines of ``backtest``. Precision@k is
computed as in :func:`cso_network.backtest.evaluate.evaluate`.

Usage: .venv/bin/python scripts/bench/backtest_weights.py [--orgs 2000] [--samples 200] --json
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from cso_network.backtest import evaluate as bt
from cso_network.demo.synth import formation_propensity, generate_programme
from cso_network.recommend import score
from cso_network.recommend.components import COMPONENTS
from cso_network.recommend.features import build_features
from cso_network.recommend.score import PRESETS, candidate_pairs, recommend_all

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import write_json  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=2000, help="0: the demo")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--bootstrap", type=int, default=bt.RATIO_RESAMPLES,
                        help="resamples of the organizations for the ratio's interval")
    parser.add_argument("--json", action="store_true", help="print only the JSON object")
    args = parser.parse_args()

    ds = generate_programme().dataset if args.orgs == 0 else generate_programme(
        n_orgs=args.orgs).dataset
    year = bt.default_split_year(ds)
    known, new = bt.split_by_year(ds, year)
    f = build_features(known)
    n = f.n
    a = np.array([f.index.get(x, -1) for x in new["org_a"]], dtype=np.int64)
    b = np.array([f.index.get(x, -1) for x in new["org_b"]], dtype=np.int64)
    ok = (a >= 0) & (b >= 0)
    a, b = a[ok], b[ok]
    positive = np.unique(np.r_[a * n + b, b * n + a])
    new_count = np.bincount(np.r_[a, b], minlength=n)
    rows_with_new = np.flatnonzero(new_count)

    def hits_of(frame: pd.DataFrame) -> np.ndarray:
        """Hits of a top-k frame for each organization that formed a new tie."""
        r = frame["org_id"].map(f.index).to_numpy(dtype=np.int64)
        c = frame["candidate"].map(f.index).to_numpy(dtype=np.int64)
        hit = bt._in_sorted(r * n + c, positive)
        return np.bincount(r[hit], minlength=n)[rows_with_new]

    def precision(weights: dict[str, float], diversity: bool = True) -> float:
        return float(np.mean(hits_of(recommend_all(known, weights=weights, top=args.k,
                                                   features=f, diversity=diversity)) / args.k))

    out: dict[str, object] = {"orgs": n, "split_year": year, "new_ties": int(len(new))}
    base = bt.backtest(ds, split_year=year, k=args.k)["methods"]
    out["adamic_adar"] = base["adamic_adar"]["precision_at_k"]
    out["random"] = base["random"]["precision_at_k"]
    out["presets"] = {p: precision(dict(PRESETS[p])) for p in PRESETS}
    learned = bt.learn_weights(known)
    out["learned"] = precision(learned)
    out["learned_weights"] = {k: round(v, 3) for k, v in learned.items()}
    out["learned_no_diversity"] = precision(learned, diversity=False)
    # how sure is the ratio? resample the organizations that formed a new tie
    ours = hits_of(recommend_all(known, weights=learned, top=args.k, features=f))
    theirs = hits_of(bt.adamic_adar_scorer(known, args.k))
    out["learned_ratio_bootstrap"] = {
        **(bt.precision_ratio(ours, theirs, resamples=args.bootstrap) or {}),
        "hits": int(ours.sum()), "adamic_adar_hits": int(theirs.sum())}
    out["alone"] = {c: precision({k: float(k == c) for k in COMPONENTS}, diversity=False)
                    for c in COMPONENTS}

    ids, propensity = formation_propensity(known, year)
    assert ids == f.orgs
    propensity[f.collaborated.toarray() > 0] = 0.0  # never a declared partner
    top = np.argpartition(-propensity, args.k, axis=1)[:, : args.k]
    r = np.repeat(np.arange(n), args.k)
    c = top.ravel()
    live = propensity[r, c] > 0
    hit = bt._in_sorted(r * n + c, positive) & live
    out["generator_formula"] = float(np.mean(np.bincount(r[hit], minlength=n)[rows_with_new]
                                             / args.k))
    # the same with the engine's diversity rule, over each row's best 3k
    wide = 3 * args.k
    top = np.argpartition(-propensity, wide, axis=1)[:, :wide]
    r = np.repeat(np.arange(n), wide)
    c = top.ravel()
    v = propensity[r, c]
    live = v > 0
    r, c, v = r[live], c[live], v[live]
    order = np.lexsort((c, -v, r))
    r, c, v = r[order], c[order], v[order]
    pick = score._diversify(r, c, v, f, args.k, True)
    hit = bt._in_sorted(r[pick] * n + c[pick], positive)
    out["generator_formula_diversity"] = float(np.mean(
        np.bincount(r[pick][hit], minlength=n)[rows_with_new] / args.k))

    rows, cols = candidate_pairs(f)
    label = bt._in_sorted(rows * n + cols, positive)
    fit, _, _ = bt.fit_on_candidates(f, rows, cols, label, bt.LEARN_NEGATIVES,
                                     np.random.default_rng(0))
    coef = np.zeros(len(COMPONENTS)) if fit is None else fit[1]
    oracle = dict(zip(COMPONENTS, coef.tolist(), strict=True))
    out["oracle_least_squares"] = precision(oracle) if coef.sum() > 0 else None

    rng = np.random.default_rng(1)
    best, best_w = -1.0, None
    for _ in range(args.samples):
        w = dict(zip(COMPONENTS, rng.dirichlet(np.ones(len(COMPONENTS))).tolist(), strict=True))
        p = precision(w)
        if p > best:
            best, best_w = p, w
    out["oracle_random_search"] = best
    out["oracle_random_search_weights"] = {k: round(v, 3) for k, v in (best_w or {}).items()}
    aa = out["adamic_adar"]
    out["ratios_to_adamic_adar"] = {
        "learned": round(out["learned"] / aa, 2),
        "learned_no_diversity": round(out["learned_no_diversity"] / aa, 2),
        "generator_formula": round(out["generator_formula"] / aa, 2),
        "generator_formula_diversity": round(out["generator_formula_diversity"] / aa, 2),
        "oracle_least_squares": round((out["oracle_least_squares"] or 0) / aa, 2),
        "oracle_random_search": round(best / aa, 2),
    }
    if not args.json:
        print(pd.Series({k: v for k, v in out.items() if not isinstance(v, dict)}).to_string())
    write_json("backtest_weights", out)


if __name__ == "__main__":
    main()
