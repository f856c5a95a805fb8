#!/usr/bin/env python3
"""Ratios of ``recommend_all`` to its baselines, timed interleaved in one process.

Each round times, one after the other on the same prebuilt features: ours
(``recommend_all``, top 10, balanced, diversity; with its default threads and
with one), optionally another copy of
``score.py`` (``--module``, e.g. the committed version), the bare sparse
Adamic-Adar + top-10 on the declared ties (``sparse_aa_s``), and networkx's ``adamic_adar_index`` over every node's
two-step candidates on the declared ties (all nodes; see
``scripts/bench/recommend.py``). Best of ``--rounds`` rounds per method, so
that a busy machine slows every method alike.

Usage: .venv/bin/python scripts/bench/recommend_interleaved.py [--model powerlaw] [--module PATH] --json
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import networkx as nx
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import write_json  # noqa: E402
from recommend import add_dataset_args, make_dataset, networkx_aa, sparse_aa_top  # noqa: E402
from recommend_stages import load_score  # noqa: E402

from cso_network.recommend import build_features  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_dataset_args(parser)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--module", help="path of another score.py to time as 'other_s'")
    parser.add_argument("--no-networkx", action="store_true")
    parser.add_argument("--json", action="store_true", help="print only the JSON object")
    args = parser.parse_args()

    ds = make_dataset(args.model, args.orgs, args.ties)
    f = build_features(ds)
    ours = load_score(None)
    other = load_score(args.module) if args.module else None
    G = nx.Graph()
    G.add_nodes_from(range(f.n))
    upper = sp.triu(f.collaborated, k=1).tocoo()
    G.add_edges_from(zip(upper.row.tolist(), upper.col.tolist(), strict=True))
    nodes = list(G)

    methods = {"ours_s": lambda: ours.recommend_all(ds, features=f, top=10),
               "ours_1_thread_s": lambda: ours.recommend_all(ds, features=f, top=10, workers=1)}
    if other is not None:
        methods["other_s"] = lambda: other.recommend_all(ds, features=f, top=10)
    methods["sparse_aa_s"] = lambda: sparse_aa_top(f.collaborated)
    if not args.no_networkx:
        methods["networkx_aa_s"] = lambda: networkx_aa(G, nodes)
    best = {name: float("inf") for name in methods}
    for _ in range(args.rounds):
        for name, func in methods.items():
            start = time.perf_counter()
            func()
            best[name] = min(best[name], time.perf_counter() - start)
    result = {"model": args.model, "orgs": f.n, "rounds": args.rounds,
              **{k: round(v, 4) for k, v in best.items()}}
    for ours_key in ("ours_s", "ours_1_thread_s"):
        tag = ours_key.removesuffix("_s")
        result[f"ratio_{tag}_to_sparse_aa"] = round(best[ours_key] / best["sparse_aa_s"], 2)
        if "networkx_aa_s" in best:
            result[f"speedup_{tag}_vs_networkx"] = round(best["networkx_aa_s"] / best[ours_key],
                                                         2)
    if "other_s" in best:
        result["speedup_vs_other"] = round(best["other_s"] / best["ours_s"], 2)
    if not args.json:
        for key, value in result.items():
            print(f"{key:<26} {value}")
    write_json("recommend_interleaved", result)


if __name__ == "__main__":
    main()
