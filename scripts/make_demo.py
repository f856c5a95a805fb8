#!/usr/bin/env python3
"""Write the synthetic demo workbook (data/demo/pcrc_demo.xlsx + README.md) and the blank template.

Usage: .venv/bin/python scripts/make_demo.py [--seed N]

Same seed, same data: tests/test_demo_data.py checks that the committed
workbook is exactly what this script produces.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cso_network.cli import _write_demo
from cso_network.demo.synth import DEMO_SEED
from cso_network.ingest.excel import write_template

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEMO_SEED)
    args = parser.parse_args()
    demo = _write_demo(ROOT / "data" / "demo" / "pcrc_demo.xlsx", seed=args.seed)
    template = write_template(ROOT / "data" / "template.xlsx")
    print(f"wrote {demo}, {demo.with_name('README.md')} and {template}")


if __name__ == "__main__":
    main()
