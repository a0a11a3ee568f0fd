"""Benchmark: GDELT 2.0 rows to a dyad-month series (issue 5).

Measures in one run, on synthetic GDELT 2.0 exports of 2M and 10M rows:

* the floor: DuckDB counting the rows of the file, tokenised as the engine reads it
  (61 tab-separated columns), and the newline-only line count; beside them, for
  reference, the same scan with the seven fields the aggregation uses parsed and
  cast but not aggregated (what reading the needed data costs);
* the DuckDB engine (library call, in a new process: loading numba's compiled
  scanner counts; and the same call again in that process), the same with
  DuckDB's CSV reader reading every row (``reader="duckdb"``), the same with
  ``--dedupe`` (which DuckDB's reader always reads), and the CLI end
  to end (`powerbalance events aggregate`);
* the pandas baseline, written as an experienced analyst would: read only the needed
  columns with explicit dtypes and no quoting, vectorised filtering and group-by
  (the C parser, the one that can switch quoting off);
* queries on the Parquet cache written once by `events ingest` (its daily to
  yearly rollups): the first query of a process and repeated ones;
* Spark local[2] on the same data (``--spark``).

Each measurement runs in its own process, so the peak memory (max RSS, from
``wait4``) belongs to that measurement alone. Usage::

    python benchmarks/bench_events.py            # 2M and 10M rows
    python benchmarks/bench_events.py --quick    # 2M rows only
    python benchmarks/bench_events.py --spark    # add Spark local[2] (2M rows)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

PANDAS_BASELINE = r"""
import csv, sys, time
import pandas as pd
path, engine = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
# SQLDATE, Actor1CountryCode, Actor2CountryCode, QuadClass, GoldsteinScale, NumMentions, AvgTone
cols = [1, 7, 17, 29, 30, 31, 34]
names = ["d", "a1", "a2", "q", "g", "m", "t"]
kw = dict(sep="\t", header=None, usecols=cols, names=None,
          dtype={1: "int64", 7: "string", 17: "string", 29: "Int8", 30: "float64", 31: "Int32", 34: "float64"})
# The C parser is the one that can switch quoting off (stray quotes are in real files).
df = pd.read_csv(path, quoting=csv.QUOTE_NONE, on_bad_lines="skip", **kw)
df.columns = names
df["period"] = df["d"] // 100
total = df.groupby("period").size().rename("period_events")
dy = df[df["a1"].notna() & df["a2"].notna() & (df["a1"] != df["a2"])]
x1 = dy["a1"].where(dy["a1"] < dy["a2"], dy["a2"])
x2 = dy["a2"].where(dy["a1"] < dy["a2"], dy["a1"])
dy = dy.assign(x1=x1, x2=x2, gm=dy["g"] * dy["m"],
               q1=dy["q"].eq(1), q2=dy["q"].eq(2), q3=dy["q"].eq(3), q4=dy["q"].eq(4))
out = dy.groupby(["period", "x1", "x2"]).agg(
    events=("g", "size"), quad1=("q1", "sum"), quad2=("q2", "sum"), quad3=("q3", "sum"),
    quad4=("q4", "sum"), goldstein_sum=("g", "sum"), goldstein_mean=("g", "mean"),
    tone_mean=("t", "mean"), mentions=("m", "sum"), gm=("gm", "sum")).reset_index()
out["goldstein_mention_mean"] = out["gm"] / out["mentions"]
out = out.join(total, on="period")
out["share"] = out["events"] / out["period_events"]
print(time.perf_counter() - t0, len(out))
"""

ENGINE = r"""
import sys, time
from powerbalance.engines.duckdb_engine import aggregate_events
from powerbalance.engines.spec import EventAggregation
# reader "dedupe": DuckDB's reader with de-duplication (the scanner does not de-duplicate)
dedupe = sys.argv[2] == "dedupe"
reader = "duckdb" if dedupe else sys.argv[2]
spec = EventAggregation(freq="month", dedupe=dedupe)
t0 = time.perf_counter()
r = aggregate_events([sys.argv[1]], spec, reader=reader)
first = time.perf_counter() - t0
# the same call again in the same process: numba's compiled code is loaded by now
t0 = time.perf_counter()
aggregate_events([sys.argv[1]], spec, reader=reader)
print(first, len(r.frame), time.perf_counter() - t0, r.rows_scanned)
"""

FLOOR = r"""
import sys, time
from powerbalance.engines.duckdb_engine import scan_count
t0 = time.perf_counter()
n = scan_count(sys.argv[1], lines_only=sys.argv[2] == "lines", typed=sys.argv[2] == "typed")
print(time.perf_counter() - t0, n)
"""

INGEST = r"""
import sys, time
from powerbalance.engines.duckdb_engine import ingest_events
t0 = time.perf_counter()
s = ingest_events([sys.argv[1]], sys.argv[2])
print(time.perf_counter() - t0, s["rows_written"])
"""

CACHED = r"""
import sys, time
from powerbalance.engines.duckdb_engine import aggregate_events
from powerbalance.engines.spec import EventAggregation
times = []
for _ in range(6):
    t0 = time.perf_counter()
    r = aggregate_events([sys.argv[1]], EventAggregation(freq="month"))
    times.append(time.perf_counter() - t0)
# repeated queries: the median of the five after the first (which also opens DuckDB)
print(sorted(times[1:])[2], len(r.frame), times[0])
"""

SPARK = r"""
import sys, time
from powerbalance.engines.spark_engine import aggregate_events_spark, spark_session
from powerbalance.engines.spec import EventAggregation
t0 = time.perf_counter()
spark_session("local[2]").sparkContext.setLogLevel("ERROR")
start = time.perf_counter() - t0
t0 = time.perf_counter()
r = aggregate_events_spark([sys.argv[1]], EventAggregation(freq="month"))
print(time.perf_counter() - t0, len(r.frame), start)
"""


def _child(code: str, *args: str) -> tuple[float, str, float]:
    """Run a snippet in a fresh interpreter; return (its own timing, its output, peak RSS MB)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    out = proc.stdout.read().decode() if proc.stdout else ""
    err = proc.stderr.read().decode() if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark step failed:\n{err[-2000:]}")
    fields = out.split()
    return float(fields[0]), out.strip(), usage.ru_maxrss / 1024


def _cli(path: Path) -> tuple[float, float]:
    out = path.with_suffix(".series.parquet")
    exe = shutil.which("powerbalance") or str(Path(sys.executable).with_name("powerbalance"))
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        # The series goes to Parquet, as it would at this size; the summary goes to the terminal.
        [
            exe,
            "events",
            "aggregate",
            str(path),
            "--freq",
            "month",
            "--out",
            str(out),
            "--no-table",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError("the CLI run failed")
    return time.perf_counter() - t0, usage.ru_maxrss / 1024


SYNTH = r"""
import sys, time
from powerbalance.datasets.gdelt_synth import synthesize
t0 = time.perf_counter()
synthesize(sys.argv[1], rows=int(sys.argv[2]), version=2, seed=2025, days=731)
print(time.perf_counter() - t0)
"""


def _data(workdir: Path, rows: int) -> Path:
    path = workdir / f"bench-{rows}.export.CSV"
    marker = path.with_suffix(".done")
    if not marker.exists():
        # In a child process: the peak RSS of a process survives exec, so the
        # measuring parent must stay small for the children's figures to be theirs.
        t0 = time.perf_counter()
        _child(SYNTH, str(path), str(rows))
        marker.write_text("ok")
        print(f"  wrote {rows:,} rows in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return path


def _warm(path: Path) -> None:
    """Read the file once, unmeasured, so every step finds it in the page cache alike."""
    with path.open("rb") as f:
        while f.read(1 << 24):
            pass


def run(sizes: list[int], workdir: Path, spark: bool, repeat: int) -> list[dict]:
    """Each text scan is repeated ``repeat`` times, interleaved; the median time is kept."""
    results = []
    for rows in sizes:
        print(f"{rows:,} rows ...", file=sys.stderr)
        path = _data(workdir, rows)
        _warm(path)
        # Unmeasured: compiles the scanner into numba's on-disk cache if no run has yet
        # (some seconds, once per installation); measured runs load it from there.
        _child(ENGINE, str(path), "auto")
        r: dict = {"rows": rows, "bytes": path.stat().st_size, "repeat": repeat}
        times: dict[str, list[float]] = {}
        for _ in range(repeat):
            steps: dict[str, tuple[str, ...]] = {
                "floor_csv": (FLOOR, "csv"),
                "floor_lines": (FLOOR, "lines"),
                "scan_typed": (FLOOR, "typed"),
                "duckdb": (ENGINE, "auto"),
                "duckdb_reader": (ENGINE, "duckdb"),
                "duckdb_dedupe": (ENGINE, "dedupe"),
                "cli": (),
                "pandas_c": (PANDAS_BASELINE, "c"),
            }
            for key, args in steps.items():
                got: tuple = _cli(path) if key == "cli" else _child(args[0], str(path), *args[1:])
                times.setdefault(key, []).append(got[0])
                r[f"{key}_mb"] = max(r.get(f"{key}_mb", 0.0), got[-1])
                if key in ("duckdb", "duckdb_reader", "duckdb_dedupe"):
                    fields = got[1].split()
                    times.setdefault(f"{key}_again", []).append(float(fields[2]))
                    if key != "duckdb_dedupe":
                        r["dyad_months"] = int(fields[1])
                    r[f"{key}_scanned"] = int(fields[3])
        for key, values in times.items():
            r[key] = statistics.median(values)
            r[f"{key}_all"] = values
        cache = workdir / f"cache-{rows}"
        shutil.rmtree(cache, ignore_errors=True)
        r["ingest"], _, r["ingest_mb"] = _child(INGEST, str(path), str(cache))
        r["cached"], out, r["cached_mb"] = _child(CACHED, str(cache))
        r["cached_first"] = float(out.split()[2])
        if spark and rows == min(sizes):
            r["spark"], out, _ = _child(SPARK, str(path))  # the JVM's memory is not the child's
            r["spark_start"] = float(out.split()[2])
        results.append(r)
    return results


def report(results: list[dict]) -> None:
    print(f"\nmachine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at the end")
    print(
        f"text scans: median of {results[0]['repeat'] if results else 0} interleaved runs, "
        "file read once beforehand (page cache warm)"
    )
    header = f"{'rows':>11} {'measurement':<36} {'seconds':>8} {'peak MB':>8}"
    print(header)
    print("-" * len(header))
    for r in results:
        rows = f"{r['rows']:,}"
        lines = [
            ("floor: DuckDB count (61 columns)", r["floor_csv"], r["floor_csv_mb"]),
            ("floor: DuckDB line count", r["floor_lines"], None),
            ("DuckDB scan, 7 used fields cast", r["scan_typed"], None),
            ("DuckDB engine (library, new process)", r["duckdb"], r["duckdb_mb"]),
            ("  the same call again", r["duckdb_again"], None),
            ("  with DuckDB's reader only", r["duckdb_reader"], r["duckdb_reader_mb"]),
            ("  with DuckDB's reader, again", r["duckdb_reader_again"], None),
            ("  --dedupe (DuckDB's reader)", r["duckdb_dedupe"], r["duckdb_dedupe_mb"]),
            ("CLI end to end", r["cli"], r["cli_mb"]),
            ("pandas baseline (C parser)", r["pandas_c"], r["pandas_c_mb"]),
            ("events ingest (once)", r["ingest"], r["ingest_mb"]),
            ("Parquet cache: first query", r["cached_first"], None),
            ("Parquet cache: repeated query", r["cached"], r["cached_mb"]),
        ]
        if "spark" in r:
            lines.append(("Spark local[2] (session ready)", r["spark"], None))
            lines.append(("Spark session start", r["spark_start"], None))
        for name, sec, mb in lines:
            print(f"{rows:>11} {name:<36} {sec:8.2f} {'' if mb is None else f'{mb:8.0f}'}")
        pandas = r["pandas_c"]
        print(f"{'':>11} ratios:")
        print(
            f"{'':>11}   DuckDB engine / pandas baseline      {r['duckdb'] / pandas:6.2f}  (goal < 1)"
        )
        print(
            f"{'':>11}   DuckDB engine / floor (61-col count) {r['duckdb'] / r['floor_csv']:6.2f}  (goal <= 1.2)"
        )
        print(
            f"{'':>11}   same call again / floor              {r['duckdb_again'] / r['floor_csv']:6.2f}"
        )
        print(
            f"{'':>11}   DuckDB's reader only / floor         {r['duckdb_reader'] / r['floor_csv']:6.2f}"
        )
        print(
            f"{'':>11}   --dedupe / floor                     {r['duckdb_dedupe'] / r['floor_csv']:6.2f}"
        )
        print(
            f"{'':>11}   rows read by the compiled scanner    {r['duckdb_scanned']:,} of {r['rows']:,}"
        )
        print(
            f"{'':>11}   DuckDB engine / line count           {r['duckdb'] / r['floor_lines']:6.2f}"
        )
        print(f"{'':>11}   CLI / floor (61-col count)           {r['cli'] / r['floor_csv']:6.2f}")
        print(
            f"{'':>11}   7-field scan / floor                 {r['scan_typed'] / r['floor_csv']:6.2f}"
        )
        print(
            f"{'':>11}   text parse / repeated cache query    {r['duckdb'] / r['cached']:6.1f}  (goal >= 20)"
        )
        print(
            f"{'':>11}   text parse / first cache query       {r['duckdb'] / r['cached_first']:6.1f}"
        )
        print(
            f"{'':>11}   DuckDB engine peak memory            {r['duckdb_mb']:6.0f} MB (goal < 2048)"
        )
        if "spark" in r:
            print(
                f"{'':>11}   Spark local[2] / DuckDB engine       {r['spark'] / r['duckdb']:6.2f}"
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="2M rows only")
    ap.add_argument("--rows", type=int, nargs="*", help="row counts (default 2M and 10M)")
    ap.add_argument("--spark", action="store_true", help="also time Spark local[2] (smallest size)")
    ap.add_argument("--workdir", type=Path, help="where to write the synthetic files (kept)")
    ap.add_argument("--json", type=Path, help="also write the measurements to this JSON file")
    ap.add_argument(
        "--repeat", type=int, default=3, help="runs of each text scan, interleaved (median kept)"
    )
    args = ap.parse_args()
    sizes = args.rows or ([2_000_000] if args.quick else [2_000_000, 10_000_000])
    workdir = args.workdir or Path(tempfile.gettempdir()) / "powerbalance-bench-events"
    workdir.mkdir(parents=True, exist_ok=True)
    results = run(sizes, workdir, args.spark, args.repeat)
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
