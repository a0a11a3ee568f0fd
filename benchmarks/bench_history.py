"""Benchmark: ``powerbalance history --from 1946 --to 2025`` with every channel (issue 18).

Run ``python benchmarks/bench_history.py [--data-dir DIR] [--runs N]``. It runs the
command as a user does (a new process, ``--json`` to a pipe, a throwaway store), first
from a cold parse cache (an empty ``$POWERBALANCE_CACHE``: every dataset file is parsed)
and then warm (the same cache, N times, best shown), and prints the wall time of each run
with the time of each channel as the command reports it (``seconds`` in its JSON), and the
goals: under 10 s cold, under 3 s warm. Exit code 1 when a goal is missed.

The datasets are looked for in ``--data-dir`` (default: $POWERBALANCE_SHARED_DATA or the
public datasets folder beside the repository). The user's store and parse cache are never
touched.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COLD_GOAL = 10.0
WARM_GOAL = 3.0


def default_data_dir() -> Path | None:
    env = os.environ.get("POWERBALANCE_SHARED_DATA")
    for candidate in ([Path(env)] if env else []) + [
        Path(__file__).resolve().parents[1].parent / "shared" / "data"
    ]:
        if candidate.is_dir():
            return candidate
    return None


def run_once(data_dir: Path, store: Path, cache: Path) -> tuple[float, dict]:
    """Wall seconds of one run of the command, and its JSON."""
    env = {**os.environ, "POWERBALANCE_CACHE": str(cache)}
    cmd = [
        sys.executable,
        "-m",
        "powerbalance.interfaces.cli.main",
        "--store",
        str(store),
        "history",
        "--from",
        "1946",
        "--to",
        "2025",
        "--data-dir",
        str(data_dir),
        "--json",
    ]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"the command failed ({done.returncode}): {done.stderr.strip()}")
    return seconds, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=default_data_dir())
    parser.add_argument("--runs", type=int, default=3, help="warm runs (the best is shown)")
    args = parser.parse_args()
    if args.data_dir is None or not args.data_dir.is_dir():
        raise SystemExit("no datasets folder: pass --data-dir DIR (see docs/datasets/index.md)")
    with tempfile.TemporaryDirectory(prefix="bench-history-") as tmp:
        root = Path(tmp)
        cache, store = root / "cache", root / "store.duckdb"
        cache.mkdir()
        # The store is created (and filled from the bundled corpus) once, outside the timing.
        subprocess.run(
            [
                sys.executable,
                "-m",
                "powerbalance.interfaces.cli.main",
                "--store",
                str(store),
                "evidence",
                "list",
                "--kind",
                "actor",
            ],
            capture_output=True,
            check=True,
        )
        cold, data = run_once(args.data_dir, store, cache)
        warm_runs = [run_once(args.data_dir, store, cache) for _ in range(max(args.runs, 1))]
    warm, warm_data = min(warm_runs, key=lambda r: r[0])
    channels = list(data["seconds"])
    print(f"powerbalance history --from 1946 --to 2025 ({args.data_dir})")
    print(f"channels run: {', '.join(data['channels_run'])}")
    for channel, why in data["channels_missing"].items():
        print(f"missing: {channel}: {why}")
    print(f"{'step':<12} {'cold s':>8} {'warm s':>8}")
    for channel in channels:
        print(
            f"{channel:<12} {data['seconds'][channel]:>8.3f} "
            f"{warm_data['seconds'].get(channel, float('nan')):>8.3f}"
        )
    print(f"{'command':<12} {cold:>8.2f} {warm:>8.2f}   (wall, a new process each)")
    print(
        f"goals: cold < {COLD_GOAL:g} s: {'met' if cold < COLD_GOAL else 'MISSED'}; "
        f"warm < {WARM_GOAL:g} s: {'met' if warm < WARM_GOAL else 'MISSED'}"
    )
    if cold >= COLD_GOAL or warm >= WARM_GOAL:
        sys.exit(1)


if __name__ == "__main__":
    main()
