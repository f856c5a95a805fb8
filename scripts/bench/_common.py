"""What every benchmark here shares: timing, peak memory, and reporting.

Benchmarks print their figures one per line, then one JSON object, and write
the same JSON to ``scripts/bench/results/<name>.json`` (ignored by git).
"""

from __future__ import annotations

import json
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def best_of(repeat: int, func: Callable[[], object]) -> float:
    """Smallest wall-clock time, in seconds, of ``repeat`` calls of ``func``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_rss_mib() -> float:
    """This process's peak resident memory so far, in MiB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def write_json(name: str, results: dict[str, Any]) -> None:
    """Write ``results`` to ``results/<name>.json`` and print them as one JSON line."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results))


def report(name: str, results: dict[str, Any]) -> None:
    """Print ``results`` (a line each, then as JSON) and write them to ``results/<name>.json``."""
    width = max((len(k) for k in results), default=0)
    for key, value in results.items():
        shown = f"{value:.3f}" if isinstance(value, float) else value
        print(f"{key:<{width}}  {shown}")
    write_json(name, results)
