#!/usr/bin/env python3
"""Benchmark: import of the demo workbook and of a generated 10,000-organization workspace.

Prints a table and one JSON object (also written to
scripts/bench/results/import.json). Times are wall-clock seconds, best of
``--repeat`` runs; peak RSS is the process's maximum resident set size.

Usage: .venv/bin/python scripts/bench/import.py [--orgs 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import platform
import tempfile
import time
from pathlib import Path

from _common import best_of, peak_rss_mib, report

from cso_network.demo.synth import generate_programme
from cso_network.ingest.excel import write_workbook
from cso_network.ingest.validate import validate_workbook
from cso_network.network.layers import build_layer
from cso_network.store.sql import Store
from cso_network.workspace import import_workbook

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo" / "pcrc_demo.xlsx"


def fresh_import(path: Path, tmp: Path) -> None:
    db = tmp / f"bench-{time.perf_counter_ns()}.sqlite"
    store = Store(db)
    import_workbook(store, path)
    store.dispose()
    db.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results: dict[str, object] = {"orgs": args.orgs, "repeat": args.repeat,
                                  "python": platform.python_version(), "machine": platform.machine()}
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        results["demo_validate_s"] = best_of(args.repeat, lambda: validate_workbook(DEMO))
        results["demo_import_s"] = best_of(args.repeat, lambda: fresh_import(DEMO, tmp))

        results["generate_s"] = best_of(args.repeat, lambda: generate_programme(seed=1, n_orgs=args.orgs))
        programme = generate_programme(seed=1, n_orgs=args.orgs)
        counts = programme.dataset.counts()
        results["rows"] = counts
        big = tmp / "big.xlsx"
        results["write_workbook_s"] = best_of(1, lambda: write_workbook(programme.dataset, big))
        results["workbook_mib"] = round(big.stat().st_size / 2**20, 2)
        results["big_validate_s"] = best_of(args.repeat, lambda: validate_workbook(big))
        results["big_import_s"] = best_of(args.repeat, lambda: fresh_import(big, tmp))

        def direct_store() -> None:
            store = Store(tmp / "direct.sqlite")
            store.import_dataset(programme.dataset, file_name="synthetic", sha256="-" * 64)
            store.dispose()
            (tmp / "direct.sqlite").unlink()

        results["big_generate_to_store_s"] = best_of(args.repeat, direct_store)
        store = Store(tmp / "loaded.sqlite")
        store.import_dataset(programme.dataset, file_name="synthetic", sha256="-" * 64)
        results["big_load_s"] = best_of(args.repeat, store.load)
        dataset = store.load()
        for layer in ("met", "collaborated", "combined"):
            results[f"big_graph_{layer}_s"] = best_of(args.repeat, lambda layer=layer: build_layer(dataset, layer))
        results["big_met_edges"] = build_layer(dataset, "met").number_of_edges()
        results["big_reimport_noop_s"] = best_of(
            1, lambda: store.import_dataset(programme.dataset, file_name="again", sha256="-" * 64)
        )
    results["peak_rss_mib"] = peak_rss_mib()
    report("import", results)


if __name__ == "__main__":
    main()
