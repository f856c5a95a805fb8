#!/usr/bin/env python3
"""Benchmark: the full gap analysis (`cso-network analyze`) on a generated programme.

Prints one line per step and one JSON object (also written to
scripts/bench/results/analyze.json): wall-clock seconds per step of
``cso_network.analysis.report.analyze`` (1000 permutations by default), the
graph-building time, and peak RSS. Run with several --orgs to see how time
and memory grow with ties.

Usage: .venv/bin/python scripts/bench/analyze.py [--orgs 10000] [--layer collaborated]
       [--permutations 1000] [--seed 1]
"""

from __future__ import annotations

import argparse
import time

from _common import peak_rss_mib, report

from cso_network.analysis.report import analyze
from cso_network.demo.synth import generate_programme
from cso_network.network.layers import build_layer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--layer", default="collaborated")
    parser.add_argument("--permutations", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    dataset = generate_programme(seed=args.seed, n_orgs=args.orgs).dataset
    rss_before = peak_rss_mib()
    start = time.perf_counter()
    graphs = {name: build_layer(dataset, name) for name in {args.layer, "met", "collaborated"}}
    build_s = time.perf_counter() - start

    steps: dict[str, float] = {}
    marks: list[tuple[str, float]] = []

    def progress(name: str) -> None:
        marks.append((name, time.perf_counter()))

    start = time.perf_counter()
    result = analyze(dataset, layer=args.layer, permutations=args.permutations, seed=args.seed,
                     graphs=graphs, progress=progress)
    end = time.perf_counter()
    for (name, t0), (_, t1) in zip(marks, [*marks[1:], ("end", end)], strict=True):
        steps[name] = round(t1 - t0, 3)
    figures = {
        "orgs": args.orgs,
        "layer": args.layer,
        "ties": result["meta"]["ties"],
        "permutations": args.permutations,
        "betweenness_sources": result["meta"]["betweenness_sources"],
        "build_graphs_s": round(build_s, 3),
        "analyze_s": round(end - start, 3),
        "steps_s": steps,
        "gaps": len(result["gaps"]),
        "rss_before_analysis_mib": round(rss_before, 1),
        "peak_rss_mib": peak_rss_mib(),
    }
    report("analyze", figures)


if __name__ == "__main__":
    main()
