"""Write full-size synthetic FAERS quarters (current layout) for benchmarking the reader and build.

Run: .venv/bin/python bench/gen_full_quarter.py OUT_DIR [--quarters 2025Q1 ...] [--cases 400000]
Each quarter is written as FDA names it (e.g. OUT_DIR/faers_ascii_2025Q1.zip), with about 400k
cases, 1.7M drug rows and 1.3M reactions. Prints the seconds and peak memory per quarter.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from etl.demo import write_full_size_quarter
from etl.demo_zip import zip_name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--quarters", nargs="+", default=["2025Q1"])
    parser.add_argument("--cases", type=int, default=400_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    for offset, quarter in enumerate(args.quarters):
        quarter = quarter.upper()
        start = time.perf_counter()
        path = write_full_size_quarter(
            args.out_dir / zip_name(quarter),
            quarter=quarter,
            n_cases=args.cases,
            seed=args.seed + offset,
        )
        seconds = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        size_mb = path.stat().st_size / 1e6
        print(f"{path}: {size_mb:.0f} MB in {seconds:.1f} s (peak RSS so far {peak_mb:.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
