#!/usr/bin/env python3
"""Benchmark: top-10 partnership suggestions for every organization.

Models (``--model``):

``powerlaw``
    The collaborated layer is ``networkx.powerlaw_cluster_graph(orgs, ties //
    orgs, 0.3, seed=1)``; organizations, participants, seminars and attendance
    (hence the met layer) come from the demo model at that size
    (``generate_programme(n_orgs=orgs)``), its collaborations replaced by the
    powerlaw edges.
``powerlaw-attributes``
    The same powerlaw collaborated layer with only the organizations'
    attributes (country, fields, practices, risk factors) from the demo
    model and no seminar attendance, so the met layer is empty and the
    combined layer *is* the ``--ties`` graph: the literal reading of "the
    same graph" for the baselines.
``demo``
    The demo model at scale, as generated (``--ties`` is then only reported).

Timed (wall clock, best of ``--repeat``):

``ours_s``
    :func:`cso_network.recommend.recommend_all` (top 10, balanced preset,
    diversity rule) on prebuilt features: candidate generation, the seven
    components, per-row top-k, diversity; with its default threads
    (``workers``: one per core, at most 4). ``ours_1_thread_s`` is the same
    with ``workers=1``, like the baselines, which run on one core.
``features_s``
    :func:`cso_network.recommend.build_features` (matrices, Louvain, gap
    analysis, cut points): built once per dataset version and cached by the
    workspace, so reported apart; ``ours_end_to_end_s`` is the sum.
``sparse_aa_s``
    Plain Adamic-Adar for all pairs with scipy.sparse (``A @ D^-1 @ A``, self
    and existing ties removed) plus top-10 per row with
    ``numpy.argpartition``, on the collaborated layer (the ``--ties`` graph;
    the lead's reference figure), the graph our proximity component scores.
``networkx_aa_s``
    ``networkx.adamic_adar_index`` over every node's two-step candidates on
    the collaborated layer, plus top-10; timed on ``--nx-sample`` nodes and
    extrapolated linearly when that takes over a minute for all nodes
    (``networkx_extrapolated`` says so). The pairs are passed as a list:
    networkx 3.6's ``_apply_prediction`` iterates ``ebunch`` twice (to check
    the nodes, then to score), so a generator silently yields no scores; the
    number of scores is asserted.

``partner_callback_2000_ms``, ``partner_callback_2000_max_ms``
    The dashboard's per-click cost: the Partners page's results callback
    (``pages.partners._results``, called inside a request of the real app from
    ``dashboard.create_app``), for one organization of a ``--model`` dataset of
    2,000 organizations (10,000 ties scaled as ``ties * 2000 / orgs``), the
    first click on that organization (its suggestions not yet cached): the
    page's 60 suggestions with reasons, the filters, and ten cards with their
    profiles and ego-network figures. The workspace's caches are computed
    before timing (``dashboard.server.warm``), as ``cso-network serve`` does
    before it listens. Median and
    maximum over 20 organizations evenly spaced in ``org_id`` order.
``partner_library_2000_ms``
    The library part of that click alone: :func:`cso_network.recommend.recommend_for`
    on the prebuilt features plus :func:`cso_network.recommend.explain.suggestions_records`,
    top 10; median over the same organizations.

``peak_rss_ours_mib`` is the process's peak RSS after building the features and
running ``recommend_all`` (before the baselines); ``peak_rss_mib`` is the peak of
the whole process, baselines (the full ``A @ A`` and the networkx graph) included.

Prints one JSON object (also written to scripts/bench/results/recommend.json).

Usage: .venv/bin/python scripts/bench/recommend.py --orgs 10000 --ties 50000 [--model powerlaw] --json
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from cso_network.core.model import Dataset, frame_from_records
from cso_network.demo.synth import generate_programme
from cso_network.recommend import build_features, recommend_all, recommend_for
from cso_network.recommend.explain import suggestions_records
from cso_network.recommend.score import DEFAULT_WORKERS, _row_top

ROOT = Path(__file__).resolve().parents[2]


def best_of(repeat: int, func: Callable[[], object]) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - start)
    return min(times), out


def make_dataset(model: str, orgs: int, ties: int) -> Dataset:
    ds = generate_programme(n_orgs=orgs).dataset
    if model == "demo":
        return ds
    G = nx.powerlaw_cluster_graph(orgs, max(1, ties // orgs), 0.3, seed=1)
    ids = list(ds.organizations["org_id"])
    rows = []
    for u, v in G.edges:
        a, b = sorted((ids[u], ids[v]))
        rows.append({"org_a": a, "org_b": b, "kind": "joint project", "since": "2015",
                     "source": "benchmark"})
    collabs = frame_from_records("collaborations", rows)
    attendance = ds.attendance.iloc[0:0] if model == "powerlaw-attributes" else ds.attendance
    return Dataset(seminars=ds.seminars, organizations=ds.organizations,
                   participants=ds.participants, attendance=attendance,
                   collaborations=collabs, engagements=ds.engagements)


def add_dataset_args(parser: argparse.ArgumentParser) -> None:
    """``--orgs``, ``--ties`` and ``--model``: the dataset of :func:`make_dataset` (shared by
    ``recommend_stages.py`` and ``recommend_interleaved.py``)."""
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--ties", type=int, default=50_000)
    parser.add_argument("--model", choices=["powerlaw", "powerlaw-attributes", "demo"],
                        default="powerlaw")


def sparse_aa_top(A: sp.csr_array, k: int = 10) -> np.ndarray:
    """Plain Adamic-Adar for all pairs + top-k per row (the baseline)."""
    A = sp.csr_array(A, dtype=float)
    A.data[:] = 1.0
    deg = np.diff(A.indptr)
    inv = np.zeros(len(deg))
    inv[deg > 1] = 1.0 / np.log(deg[deg > 1])
    S = sp.csr_array(A @ sp.diags_array(inv) @ A)
    S = S - S.multiply(A + sp.eye_array(A.shape[0]))  # drop self and existing ties
    S = sp.csr_array(S)
    S.eliminate_zeros()
    return _row_top(S.indptr, S.data, k)  # the engine's vectorized per-row top-k


def networkx_aa(G: nx.Graph, nodes: list, k: int = 10) -> None:
    """networkx Adamic-Adar over each node's two-step candidates, top-k per node."""
    for u in nodes:
        two = {w for v in G[u] for w in G[v]} - set(G[u]) - {u}
        # A list, not a generator: networkx 3.6's _apply_prediction iterates
        # ebunch once to check the nodes and then again to score, so a
        # generator yields no scores at all (and the baseline would time nothing).
        scores = list(nx.adamic_adar_index(G, [(u, w) for w in two]))
        assert len(scores) == len(two)
        sorted(scores, key=lambda t: -t[2])[:k]


def partner_callback_ms(model: str, orgs: int = 2000, ties: int = 10_000,
                        samples: int = 20) -> dict[str, float]:
    """Partners click at ``orgs`` organizations: the page callback and its library part (ms)."""
    sys.path.insert(0, str(ROOT))  # the app's package, not this folder's dashboard.py
    from cso_network.workspace import Workspace
    from dashboard.app import create_app
    from dashboard.server import warm

    ds = make_dataset(model, orgs, ties)
    f = build_features(ds)
    chosen = f.orgs[:: max(1, f.n // samples)][:samples]
    library = []
    for oid in chosen:
        start = time.perf_counter()
        suggestions_records(recommend_for(ds, oid, features=f, top=10), f, ds)
        library.append(time.perf_counter() - start)
    ws = Workspace(ds, version="bench", name="bench")
    app = create_app(ws)
    results = sys.modules["pages.partners"]._results
    results = getattr(results, "__wrapped__", results)
    clicks = []
    with app.server.test_request_context("/partners"):
        warm(ws)  # the caches ``cso-network serve`` computes before it listens
        for oid in chosen:
            start = time.perf_counter()
            out = results(oid, "balanced", [], [], [])
            clicks.append(time.perf_counter() - start)
            assert getattr(out, "id", None) == "partners-list", out
    return {"partner_callback_2000_ms": round(float(np.median(clicks)) * 1000, 1),
            "partner_callback_2000_max_ms": round(float(np.max(clicks)) * 1000, 1),
            "partner_library_2000_ms": round(float(np.median(library)) * 1000, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_dataset_args(parser)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--nx-sample", type=int, default=500)
    parser.add_argument("--json", action="store_true", help="print only the JSON object")
    args = parser.parse_args()

    ds = make_dataset(args.model, args.orgs, args.ties)
    features_s, f = best_of(1, lambda: build_features(ds))
    ours_s, recs = best_of(args.repeat, lambda: recommend_all(ds, features=f, top=10))
    ours_1_s, recs_1 = best_of(args.repeat,
                               lambda: recommend_all(ds, features=f, top=10, workers=1))
    pd.testing.assert_frame_equal(recs, recs_1)
    peak_ours = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    callback_ms = partner_callback_ms(args.model, 2000, max(1, args.ties * 2000 // args.orgs))
    sparse_s, _ = best_of(args.repeat, lambda: sparse_aa_top(f.collaborated))

    G = nx.Graph()
    G.add_nodes_from(range(f.n))
    upper = sp.triu(f.collaborated, k=1).tocoo()
    G.add_edges_from(zip(upper.row.tolist(), upper.col.tolist(), strict=True))
    sample = list(range(0, f.n, max(1, f.n // args.nx_sample)))[: args.nx_sample]
    t_sample, _ = best_of(1, lambda: networkx_aa(G, sample))
    estimate = t_sample * f.n / max(len(sample), 1)
    extrapolated = estimate > 60
    if extrapolated:
        nx_s = estimate
    else:
        nx_s, _ = best_of(1, lambda: networkx_aa(G, list(G)))

    assert isinstance(recs, pd.DataFrame)
    results = {
        "orgs": f.n,
        "ties": int(f.collaborated.nnz // 2),
        "model": args.model,
        "met_ties": int(f.met.nnz // 2),
        "combined_ties": int(f.combined.nnz // 2),
        "ours_s": round(ours_s, 4),
        "workers": DEFAULT_WORKERS,
        "ours_1_thread_s": round(ours_1_s, 4),
        "features_s": round(features_s, 4),
        "ours_end_to_end_s": round(ours_s + features_s, 4),
        "sparse_aa_s": round(sparse_s, 4),
        "networkx_aa_s": round(nx_s, 4),
        "networkx_extrapolated": extrapolated,
        "networkx_sample_nodes": len(sample) if extrapolated else f.n,
        "ratio_ours_to_sparse_aa": round(ours_s / sparse_s, 2),
        "ratio_ours_1_thread_to_sparse_aa": round(ours_1_s / sparse_s, 2),
        "speedup_vs_networkx": round(nx_s / ours_s, 2),
        "speedup_1_thread_vs_networkx": round(nx_s / ours_1_s, 2),
        "suggestions": len(recs),
        **callback_ms,
        "peak_rss_ours_mib": round(peak_ours, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "repeat": args.repeat,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    out = ROOT / "scripts" / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "recommend.json").write_text(json.dumps(results, indent=2) + "\n")
    if not args.json:
        width = max(len(k) for k in results)
        for key, value in results.items():
            print(f"{key:<{width}}  {value}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
