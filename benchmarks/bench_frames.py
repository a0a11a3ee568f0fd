"""Benchmark: the full directed dyad-year frame 1816-2014 with capabilities, trade and UN alignment.

Run ``python benchmarks/bench_frames.py [--data-dir DIR] [--quick]``. It prints a table of
times for each step, twice: reading the files from scratch (parse cache off) and with the
parse cache warm, and the ratio against the baseline named in issue 4: peacesciencer's
published 13.5 s for a comparable pipeline (create_dyadyears + add_nmc + add_trade + UN
agreement in R). The goal is under 5 s. ``--quick`` builds 1946-2014 only.

The datasets are looked for in ``--data-dir`` (default: the public datasets folder beside
the repository, or $POWERBALANCE_SHARED_DATA): COW states, COW NMC, COW trade (national and dyadic)
and unvotes (votes and roll calls). It then times reading each R data file of the
datasets folder's ``unvotes`` and ``peacesciencer`` subfolders on its own (pyreadr, through
``powerbalance.datasets._io.read_r``; the parse cache does not apply to that call).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import warnings
from pathlib import Path

BASELINE_SECONDS = 13.5  # peacesciencer, as the issue quotes it


def run_pipeline(data_dir: Path, start: int, end: int) -> list[tuple[str, float, float, int]]:
    from powerbalance.datasets.registry import DataSources
    from powerbalance.frames import (
        add_capabilities,
        add_trade,
        add_un_alignment,
        create_dyad_years,
    )

    data = DataSources(data_dir=data_dir)
    steps: list[tuple[str, float, float, int]] = []

    def timed(name, fn):
        w0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        steps.append((name, time.perf_counter() - w0, time.process_time() - c0, len(out)))
        return out

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = timed("create_dyad_years", lambda: create_dyad_years(data, start=start, end=end))
        frame = timed("add_capabilities", lambda: add_capabilities(frame, data))
        frame = timed("add_trade", lambda: add_trade(frame, data))
        frame = timed("add_un_alignment", lambda: add_un_alignment(frame, data))
    return steps


R_FILES = (
    "unvotes/un_votes.rda",
    "unvotes/un_roll_calls.rda",
    "unvotes/UNVotesPublished.RData",
    "peacesciencer/cow_nmc.rda",
    "peacesciencer/cow_trade_ndy.rda",
    "peacesciencer/cow_ddy.rda",
)


def time_r_files(data_dir: Path) -> list[tuple[str, float, float, int]]:
    """Wall and CPU seconds of reading each R file present (the largest data frame in it)."""
    from powerbalance.datasets._io import read_r

    out = []
    for relative in R_FILES:
        path = data_dir / relative
        if not path.is_file():
            continue
        w0, c0 = time.perf_counter(), time.process_time()
        frame = read_r(path)
        out.append((relative, time.perf_counter() - w0, time.process_time() - c0, len(frame)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[1].parent / "shared" / "data"
    parser.add_argument(
        "--data-dir", type=Path, default=Path(os.environ.get("POWERBALANCE_SHARED_DATA", default))
    )
    parser.add_argument("--quick", action="store_true", help="1946-2014 instead of 1816-2014")
    args = parser.parse_args()
    if not args.data_dir.is_dir():
        raise SystemExit(f"no datasets folder at {args.data_dir}; pass --data-dir")
    start, end = (1946, 2014) if args.quick else (1816, 2014)
    with tempfile.TemporaryDirectory() as cache:
        results = {}
        os.environ["POWERBALANCE_CACHE"] = "off"
        results["files parsed (no cache)"] = run_pipeline(args.data_dir, start, end)
        os.environ["POWERBALANCE_CACHE"] = cache
        run_pipeline(args.data_dir, start, end)  # fills the cache
        results["parse cache warm"] = run_pipeline(args.data_dir, start, end)
    print(
        f"directed dyad-years {start}-{end}, load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores"
    )
    print(f"{'run':26} {'step':20} {'wall s':>8} {'cpu s':>8} {'rows':>10}")
    for label, steps in results.items():
        for name, wall, cpu, rows in steps:
            print(f"{label:26} {name:20} {wall:8.2f} {cpu:8.2f} {rows:10,}")
        wall = sum(s[1] for s in steps)
        cpu = sum(s[2] for s in steps)
        print(
            f"{label:26} {'TOTAL':20} {wall:8.2f} {cpu:8.2f}"
            f"  ratio to peacesciencer's {BASELINE_SECONDS:.1f} s: {BASELINE_SECONDS / wall:.1f}x (wall),"
            f" {BASELINE_SECONDS / cpu:.1f}x (cpu); 5 s goal {'met' if wall < 5 else 'missed'} (wall),"
            f" {'met' if cpu < 5 else 'missed'} (cpu)"
        )
    print("cpu s is process time (all threads); on a loaded machine wall time exceeds it.")
    print()
    print(f"{'R file (_io.read_r)':34} {'wall s':>8} {'cpu s':>8} {'rows':>10}")
    for name, wall, cpu, rows in time_r_files(args.data_dir):
        print(f"{name:34} {wall:8.2f} {cpu:8.2f} {rows:10,}")


if __name__ == "__main__":
    main()
