#!/usr/bin/env python3
"""Where ``recommend_all`` spends its time: per-stage wall time at 10,000 organizations.

Runs :func:`cso_network.recommend.recommend_all` (top 10, balanced, diversity, one
thread, so that cProfile sees every stage) on
prebuilt features of the ``scripts/bench/recommend.py`` dataset under cProfile and
reports the cumulative time of its stages (best of ``--repeat`` runs, by total):

``product``          the declared two-step product ``P[chunk] @ D^-1 P`` (scipy's
                     ``csr_matmat`` and ``csr_matmat_maxnnz``): candidates and proximity
``matches``          the thematic and complementary top-m search (``_match_candidates``)
``candidates_other`` the rest of candidate generation (sorting the product's rows,
                     merging the sources as sparse rows, reading their bits and sums)
``components``       the seven components on the candidates (and ``_saturate``)
``score_top``        the weighted score and the per-row shortlist (``_row_top``)
``tail``             everything else: ordering, diversity rule, contributions, frame

``--module PATH`` times another copy of ``score.py`` (e.g. the committed version,
``git show HEAD:cso_network/recommend/score.py > /tmp/score_head.py``), for a
before/after table from the same script.

Usage: .venv/bin/python scripts/bench/recommend_stages.py [--model powerlaw] [--module PATH] --json
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import write_json  # noqa: E402
from recommend import add_dataset_args, make_dataset  # noqa: E402

from cso_network.recommend import build_features  # noqa: E402


def load_score(path: str | None):
    if path is None:
        from cso_network.recommend import score
        return score
    spec = importlib.util.spec_from_file_location("score_under_test", path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def stages(stats: pstats.Stats) -> dict[str, float]:
    raw = stats.stats  # {(file, line, name): (cc, nc, tt, ct, callers)}

    def cum(name: str, file_part: str = "") -> float:
        return sum(v[3] for k, v in raw.items() if k[2] == name and file_part in k[0])

    def own(name: str) -> float:
        return sum(v[2] for k, v in raw.items() if k[2] == name)

    total = cum("_recommend")
    product = own("<built-in method scipy.sparse._sparsetools.csr_matmat>") + own(
        "<built-in method scipy.sparse._sparsetools.csr_matmat_maxnnz>")
    matches = cum("_match_candidates")
    candidates = cum("_chunk_candidates")
    components = sum(cum(n) for n in ("thematic_fit", "complementarity", "cross_border",
                                      "bridging", "language", "_saturate"))
    score_top = cum("_contributions") + cum("_score") + cum("_row_top")
    return {
        "total": total,
        "product": product,
        "matches": matches,
        "candidates_other": candidates - matches - product,
        "components": components,
        "score_top": score_top,
        "tail": total - candidates - components - score_top,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_dataset_args(parser)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--module", help="path of another score.py to time")
    parser.add_argument("--json", action="store_true", help="print only the JSON object")
    args = parser.parse_args()

    score = load_score(args.module)
    ds = make_dataset(args.model, args.orgs, args.ties)
    f = build_features(ds)
    weights = score.resolve_weights()
    best: dict[str, float] | None = None
    wall = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        score._recommend(f, None, weights, 10, True, score.DEFAULT_M)
        wall.append(time.perf_counter() - start)
        prof = cProfile.Profile()
        prof.enable()
        score._recommend(f, None, weights, 10, True, score.DEFAULT_M)
        prof.disable()
        got = stages(pstats.Stats(prof))
        if best is None or got["total"] < best["total"]:
            best = got
    assert best is not None
    result = {"model": args.model, "orgs": f.n, "module": args.module or "cso_network",
              "wall_s": round(min(wall), 3),
              "profiled_s": {k: round(v, 3) for k, v in best.items()}}
    if not args.json:
        for key, value in result["profiled_s"].items():
            print(f"{key:<18} {value:7.3f} s")
    write_json("recommend_stages", result)


if __name__ == "__main__":
    main()
