#!/usr/bin/env python3
"""Benchmark: brokerage measures on a 10,000-node, ~55,000-tie graph.

The graph: a core of 80% of the nodes, ``nx.powerlaw_cluster_graph(core, 5,
0.3, seed=1)`` (hubs and triangles, like the seminar network) plus seeded random
ties, and a fringe of 20% of the nodes each tied once to an earlier node
(pendant trees, so there are cut points and bridges); ``--edges`` ties in all,
a random 8-country ``country`` attribute and integer tie weights 1-3. Cut
points are also timed on a 10,000-node path (the deepest block-cut tree). Prints a table and one JSON object (also written to
scripts/bench/results/brokerage.json). Times are wall-clock seconds, best of
``--repeat`` runs.

Usage: .venv/bin/python scripts/bench/brokerage.py [--nodes 10000] [--edges 55000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import platform

import networkx as nx
import numpy as np
from _common import best_of, peak_rss_mib, report

from cso_network.analysis.brokerage import (
    betweenness,
    bridges,
    brokerage_roles,
    burt_constraint,
    centrality_table,
    cut_points,
    effective_size,
)

COUNTRIES = ["AL", "BA", "HR", "ME", "MK", "RS", "SI", "XK"]


def bench_graph(n: int, edges: int, seed: int = 1) -> nx.Graph:
    core = n * 4 // 5
    G = nx.powerlaw_cluster_graph(core, 5, 0.3, seed=seed)
    rng = np.random.default_rng(seed)
    while G.number_of_edges() < edges - (n - core):
        u, v = rng.integers(core, size=2)
        if u != v:
            G.add_edge(int(u), int(v))
    for v in range(core, n):
        G.add_edge(v, int(rng.integers(v)))
    for v, c in zip(G, rng.integers(len(COUNTRIES), size=n), strict=True):
        G.nodes[v]["country"] = COUNTRIES[c]
    for u, v in G.edges:
        G[u][v]["weight"] = float(rng.integers(1, 4))
    return G


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--edges", type=int, default=55_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    G = bench_graph(args.nodes, args.edges)
    results: dict[str, object] = {
        "nodes": G.number_of_nodes(), "edges": G.number_of_edges(), "repeat": args.repeat,
        "python": platform.python_version(), "machine": platform.machine(),
    }
    r = args.repeat
    results["betweenness_1024_sources_s"] = best_of(r, lambda: betweenness(G, sources=1024))
    results["burt_constraint_s"] = best_of(r, lambda: burt_constraint(G))
    results["burt_constraint_weighted_s"] = best_of(r, lambda: burt_constraint(G, "weight"))
    results["effective_size_s"] = best_of(r, lambda: effective_size(G))
    results["effective_size_weighted_s"] = best_of(r, lambda: effective_size(G, "weight"))
    results["brokerage_roles_s"] = best_of(r, lambda: brokerage_roles(G))
    results["centrality_table_s"] = best_of(r, lambda: centrality_table(G))
    results["centrality_table_weighted_s"] = best_of(r, lambda: centrality_table(G, weight="weight"))
    results["cut_points_s"] = best_of(r, lambda: cut_points(G))
    results["bridges_s"] = best_of(r, lambda: bridges(G))
    path = nx.path_graph(args.nodes)
    nx.set_node_attributes(path, "BA", "country")
    results["cut_points_path_s"] = best_of(r, lambda: cut_points(path))
    small = bench_graph(3000, 16_500)
    results["betweenness_exact_3000_nodes_s"] = best_of(1, lambda: betweenness(small))
    results["cut_points"] = len(cut_points(G))
    results["bridges"] = len(bridges(G))
    results["peak_rss_mib"] = peak_rss_mib()
    report("brokerage", results)


if __name__ == "__main__":
    main()
