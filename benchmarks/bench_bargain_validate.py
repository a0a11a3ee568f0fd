"""Benchmark: ``powerbalance bargain validate`` on the DEU III training issues (issue 17).

Times the use case behind the command (:func:`powerbalance.app.bargaining.validate`:
reading the file, every registered model and baseline on all 172 issues, 5-fold
cross-validation grouped by proposal, calibrated models fitted on the training
folds) and prints the wall-clock time against the goal of 30 s, with the ratio
(goal / time: above 1, the goal is met), then the time of each model alone.
Models with numba kernels run them (``engine="auto"``).

With ``--record``, the run's figures are also written as the bundled track record
(``src/powerbalance/theory/bargaining/data/validation.json``), as
``powerbalance bargain validate deu3_train.tsv --folds 5 --seed 0 --record ...``
would.

Usage: ``python benchmarks/bench_bargain_validate.py [--data DIR] [--repeats N] [--record]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

GOAL_SECONDS = 30.0
FOLDS = 5
SEED = 0


def find_data(data: Path | None) -> Path | None:
    candidates = [data] if data else []
    candidates.append(Path(__file__).resolve().parents[1].parent / "shared" / "data")
    for c in candidates:
        if c and (c / "bargaining" / "deu3_train.tsv").exists():
            return c / "bargaining" / "deu3_train.tsv"
    return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=None, help="the shared data folder")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--record", action="store_true", help="write the bundled track record")
    args = ap.parse_args()
    path = find_data(args.data)
    if path is None:
        print("deu3_train.tsv not found (give --data DIR, the folder holding bargaining/)")
        return 0

    from powerbalance.app import bargaining as app
    from powerbalance.theory.bargaining import MODELS
    from powerbalance.theory.bargaining.validation import cross_validate, load_issues

    # the first run also compiles the numba kernels; it is timed apart
    t0 = time.perf_counter()
    report = app.validate(path, folds=FOLDS, seed=SEED)
    first = time.perf_counter() - t0
    times = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        report = app.validate(path, folds=FOLDS, seed=SEED)
        times.append(time.perf_counter() - t0)
    best, median = min(times), statistics.median(times)
    v = report.validation
    print(
        f"bargain validate {path.name}: {len(v.issues)} issues, {len(v.scores)} models, "
        f"{FOLDS} folds, seed {SEED}"
    )
    print(f"{'':<28}{'seconds':>10}{'goal':>8}{'goal/time':>11}")
    print(
        f"{'first run (with compiling)':<28}{first:>10.2f}{GOAL_SECONDS:>8.0f}{GOAL_SECONDS / first:>11.1f}"
    )
    print(
        f"{'best of ' + str(args.repeats):<28}{best:>10.2f}{GOAL_SECONDS:>8.0f}{GOAL_SECONDS / best:>11.1f}"
    )
    print(f"{'median':<28}{median:>10.2f}{GOAL_SECONDS:>8.0f}{GOAL_SECONDS / median:>11.1f}")
    issues = load_issues(path).issues
    print(f"\n{'model':<14}{'seconds':>10}{'MAE':>8}{'MAE/mean':>10}")
    for name in MODELS:
        t0 = time.perf_counter()
        s = cross_validate(issues, models=[name], folds=FOLDS, seed=SEED).scores[name]
        print(f"{name:<14}{time.perf_counter() - t0:>10.2f}{s.mae:>8.2f}{s.ratio_to_mean:>10.3f}")
    if args.record:
        from powerbalance.theory.bargaining.validation import TRACK_RECORD_FILE

        command = f"powerbalance bargain validate {path.name} --folds {FOLDS} --seed {SEED}"
        app.write_record(report, TRACK_RECORD_FILE, command=command)
        print(f"\ntrack record written to {TRACK_RECORD_FILE}")
    return 0 if median <= GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
