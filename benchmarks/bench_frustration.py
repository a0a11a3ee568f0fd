"""Benchmark: exact frustration index of the 51 Correlates of War signed networks.

Doreian & Mrvar's signed international networks, 1946-1999 in three-year
windows (signnet's ``cowList``, as the edge list
``signnet/cow_signed_networks_1946_1999_edges.csv`` of the public datasets
folder). For every window it solves the frustration index to optimality twice,
in this one process and on the same HiGHS solver (SciPy):

- ``powerbalance``: ``frustration_index(g)``, the default method (biconnected
  blocks, balanced blocks skipped, AND model with node fixing and triangle
  inequalities);
- ``textbook``: the baseline named in issue 3, one binary per node and one
  continuous variable per edge with two constraints per edge, on the whole
  graph (``frustration_index(g, method="textbook")``).

It prints the per-window times, checks that both give the same optimal ``L``,
and prints the totals and their ratio (above 1: powerbalance is faster). The
issue's target: all 51 optimal, powerbalance's total under 20 s on a 2-core
machine, faster than the baseline.

Usage: ``python benchmarks/bench_frustration.py [--quick] [--data DIR] [--no-baseline]``
(``--quick``: every fifth window.)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from powerbalance.datasets.edgelist import read_edge_list
from powerbalance.theory.frustration import frustration_index
from powerbalance.theory.signed import signed_graphs

RELATIVE = Path("signnet") / "cow_signed_networks_1946_1999_edges.csv"
TARGET_SECONDS = 20.0


def find_data(given: str | None) -> Path | None:
    candidates = []
    if given:
        candidates.append(Path(given))
    if os.environ.get("POWERBALANCE_SHARED_DATA"):
        candidates.append(Path(os.environ["POWERBALANCE_SHARED_DATA"]))
    candidates.append(Path(__file__).resolve().parents[1].parent / "shared" / "data")
    for c in candidates:
        if (c / RELATIVE).exists():
            return c / RELATIVE
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="every fifth window only")
    parser.add_argument("--data", help="the public datasets folder")
    parser.add_argument("--no-baseline", action="store_true", help="skip the textbook model")
    args = parser.parse_args(argv)
    path = find_data(args.data)
    if path is None:
        print(f"{RELATIVE} not found; pass --data DIR (the public datasets folder)")
        return 2
    graphs = signed_graphs(read_edge_list(path, group="window"))
    items = list(graphs.items())
    if args.quick:
        items = items[::5]
    print(f"{len(items)} windows from {RELATIVE}")
    header = (
        f"{'window':>7} {'nodes':>5} {'edges':>5} {'neg':>4} {'L':>4} {'status':>8} {'ours s':>8}"
    )
    if not args.no_baseline:
        header += f" {'textbook s':>10} {'ratio':>6}"
    print(header)
    total_ours = total_base = 0.0
    all_optimal = agree = True
    for (window,), g in items:
        t = time.perf_counter()
        ours = frustration_index(g)
        dt = time.perf_counter() - t
        total_ours += dt
        all_optimal &= ours.status == "optimal"
        line = (
            f"{window:>7} {g.n:>5} {g.m:>5} {g.n_negative:>4} {ours.value:>4g} "
            f"{ours.status:>8} {dt:>8.3f}"
        )
        if not args.no_baseline:
            t = time.perf_counter()
            base = frustration_index(g, method="textbook")
            db = time.perf_counter() - t
            total_base += db
            agree &= base.status == "optimal" and base.value == ours.value
            line += f" {db:>10.3f} {db / dt:>6.1f}"
        print(line, flush=True)
    print()
    print(f"powerbalance total: {total_ours:.2f} s (target < {TARGET_SECONDS:.0f} s)")
    print(f"all optimal: {all_optimal}")
    if not args.no_baseline:
        print(f"textbook total:     {total_base:.2f} s")
        print(f"ratio textbook / powerbalance: {total_base / total_ours:.1f}x")
        print(f"same L in every window: {agree}")
    ok = all_optimal and agree and (args.quick or total_ours < TARGET_SECONDS)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
