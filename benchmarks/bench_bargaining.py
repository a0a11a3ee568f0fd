"""Benchmark: powerbalance's KTAB spatial model against KTAB's compiled ``smpc``.

Prints a table of wall-clock times (median of repeats, one process) for

- the 13-actor, 2-dimension SOE scenario (``ktab_SOE-Pol-Comp.csv`` from the
  public datasets folder; KTAB's C++ reference: 0.17 s, 28 states in 27 steps),
- a synthetic 60-actor, 3-dimension table drawn as KTAB's ``SMPActor::randomize``
  draws actors (capability U(10, 200); total salience U(0.75, 0.99) split by
  U(0.1, 1) weights; positions U(0, 100)) from a fixed seed (KTAB: 18.7 s),

and the ratio of the published C++ time to ours (above 1: we are faster). The
C++ figures are the issue's (KTAB built from source with -O2, logging off);
KTAB cannot be built here, so they are quoted, not re-measured.

Two more rows time the SOE scenario through ``bargain()``, the path every user
takes (the model registry's dispatch, the overrides, both baselines), for the
spatial (``pce``) and expected-utility (``eu``) models; they have no C++
reference (``-`` in its column).

Usage: ``python benchmarks/bench_bargaining.py [--quick] [--data DIR]``
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

from powerbalance.theory.bargaining import ActorTable, Dimension, SpatialModel, bargain, read_table

KTAB_SOE_SECONDS = 0.17
KTAB_60X3_SECONDS = 18.7


def synthetic_table(n: int = 60, d: int = 3, seed: int = 20170530) -> ActorTable:
    rng = np.random.default_rng(seed)
    cap = rng.uniform(10, 200, n)
    total = rng.uniform(0.75, 0.99, n)
    split = rng.uniform(0.1, 1.0, (n, d))
    sal = 100 * total[:, None] * split / split.sum(axis=1, keepdims=True)
    pos = rng.uniform(0, 100, (n, d))
    dims = tuple(Dimension(f"d{k}", f"dimension {k}") for k in range(d))
    return ActorTable(tuple(f"A{i:02d}" for i in range(n)), cap, pos, sal, dims, name="synthetic")


def timed(table: ActorTable, repeats: int, engine: str) -> tuple[float, float, int]:
    """Best and median wall-clock time of ``repeats`` full runs (the best is least
    disturbed by other processes on a shared machine)."""
    times, steps = [], 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        res = SpatialModel(table, seed=0, engine=engine).run()
        times.append(time.perf_counter() - t0)
        steps = res.n_steps
    return min(times), statistics.median(times), steps


def timed_bargain(table: ActorTable, repeats: int, model: str) -> tuple[float, float, int]:
    """Best and median wall-clock time of ``repeats`` forecasts through ``bargain()``."""
    times, steps = [], 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        fc = bargain(table, model=model, seed=0)
        times.append(time.perf_counter() - t0)
        steps = fc.path.shape[0] - 1
    return min(times), statistics.median(times), steps


def find_soe(data: Path | None) -> Path | None:
    candidates = [data] if data else []
    here = Path(__file__).resolve().parents[1]
    candidates.append(here.parent / "shared" / "data")
    for c in candidates:
        if c and (c / "bargaining" / "ktab_SOE-Pol-Comp.csv").exists():
            return c / "bargaining" / "ktab_SOE-Pol-Comp.csv"
    return None


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--quick", action="store_true", help="one repeat each")
    ap.add_argument("--data", type=Path, help="the public datasets folder")
    ap.add_argument(
        "--engine", default="auto", choices=["auto", "numba", "numpy"], help="kernels to use"
    )
    args = ap.parse_args()
    reps = 1 if args.quick else 7
    rows: list[tuple[str, int, float, float, float | None]] = []
    soe = find_soe(args.data)
    # warm-up: imports, numba's compiled-kernel cache, first allocations
    SpatialModel(synthetic_table(5, 2), seed=0, engine=args.engine).run()
    if soe is not None:
        best, med, steps = timed(read_table(soe), reps, args.engine)
        rows.append(("SOE-Pol-Comp 13x2", steps, best, med, KTAB_SOE_SECONDS))
        for model in ("pce", "eu"):
            best, med, steps = timed_bargain(read_table(soe), reps, model)
            rows.append((f"SOE bargain() {model}", steps, best, med, None))
    else:
        print("ktab_SOE-Pol-Comp.csv not found (public datasets folder); skipping that row")
    best, med, steps = timed(synthetic_table(), max(1, reps // 2), args.engine)
    rows.append(("synthetic 60x3", steps, best, med, KTAB_60X3_SECONDS))
    print(f"engine: {args.engine}; {reps} repeat(s) for SOE, {max(1, reps // 2)} for 60x3")
    head = f"{'case':<20} {'steps':>5} {'best s':>8} {'median s':>9} {'KTAB C++ s':>11} {'speed-up (best)':>16}"
    print(head)
    for name, steps, best, med, ref in rows:
        if ref is None:
            print(f"{name:<20} {steps:>5} {best:>8.3f} {med:>9.3f} {'-':>11} {'-':>16}")
        else:
            print(
                f"{name:<20} {steps:>5} {best:>8.3f} {med:>9.3f} {ref:>11.2f} {ref / best:>15.1f}x"
            )


if __name__ == "__main__":
    main()
