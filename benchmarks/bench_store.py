"""Benchmark: a 100,000-claim import through the command line, with a reader running beside it.

Measured in one run, in a temporary folder (nothing is written into the repository):

(a) ``powerbalance --store S evidence import FILE`` of a generated CSV file of
    100,000 valid claims (the bundled state actors and sources, the indicator
    ``trade.share_of_total``), end to end in a subprocess: Python's start, reading,
    validation, the checks of ids and references, the write and its commit;
    goal under 10 s.
(b) meanwhile, a reader in another process opens the store read-only (as
    ``assess`` and ``evidence list`` do, through ``open_store``), counts the
    claims and closes it, in a loop with a 20 ms pause; each read's time is its
    wait (opening includes the attempts while the import writes). Goal: the
    longest under 1 s. The import holds the store only for its final
    transaction.
(c) a finished scenario run (``app.scenarios.run_and_store``, what ``scenario
    run`` calls) whose store another process holds for writing: the save waits
    (``$POWERBALANCE_RUN_SAVE_WAIT``, 2 s here), then keeps the run in a pending
    file beside the store, which the next opening adds; the run must be in the
    store afterwards.

    python benchmarks/bench_store.py                  # 100,000 claims
    python benchmarks/bench_store.py --claims 20000   # quicker
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from functools import partial
from pathlib import Path

import numpy as np

from powerbalance.app.scenarios import run_and_store
from powerbalance.evidence.corpus import corpus_records
from powerbalance.evidence.models import Actor, Source
from powerbalance.evidence.store import open_store, pending_files

READER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from powerbalance.errors import StoreBusy
    from powerbalance.evidence.store import open_store

    store, stop, out, pause = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], float(sys.argv[4])
    waits, counts, busy = [], [], 0
    while not stop.exists():
        t0 = time.perf_counter()
        try:
            with open_store(store, read_only=True) as s:
                n = s.counts().get("claim", 0)
        except StoreBusy:
            busy += 1
            continue
        waits.append(time.perf_counter() - t0)
        counts.append(n)
        time.sleep(pause)
    Path(out).write_text(json.dumps({"waits": waits, "counts": counts, "busy": busy}))
    """
)

HOLDER = textwrap.dedent(
    """
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1])
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    """
)


def write_claims_csv(path: Path, n: int) -> None:
    """``n`` valid claims on the bundled state actors and sources, one a CSV row."""
    records = corpus_records()
    actors = [r.id for r in records if isinstance(r, Actor) and r.kind == "state"]
    sources = [r.id for r in records if isinstance(r, Source)]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "type",
                "id",
                "indicator",
                "actor",
                "partner",
                "value",
                "unit",
                "period",
                "source",
                "section",
                "statement",
            ]
        )
        for i in range(n):
            actor = actors[i % len(actors)]
            partner = actors[(i * 7 + 1) % len(actors)]
            if partner == actor:
                partner = actors[(i * 7 + 2) % len(actors)]
            w.writerow(
                [
                    "claim",
                    f"bench.claim.{i:06d}",
                    "trade.share_of_total",
                    actor,
                    partner,
                    f"{(i * 37) % 1000 / 10:.1f}",
                    "percent",
                    str(1990 + i % 35),
                    sources[i % len(sources)],
                    f"table {i % 50}",
                    f"Synthetic benchmark claim number {i} about trade shares.",
                ]
            )


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("POWERBALANCE_STORE", None)
    env.update(extra)
    return env


def bench_import(tmp: Path, claims: int, pause: float) -> list[tuple[str, str, str]]:
    store = tmp / "store.duckdb"
    with open_store(store) as s:
        before = s.counts().get("claim", 0)
    data = tmp / "claims.csv"
    t0 = time.perf_counter()
    write_claims_csv(data, claims)
    generated = time.perf_counter() - t0

    stop, out = tmp / "stop", tmp / "reader.json"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(store), str(stop), str(out), str(pause)],
        env=_env(POWERBALANCE_STORE_TIMEOUT="30"),
    )
    time.sleep(1.5)  # the reader's imports and first reads
    t0 = time.perf_counter()
    done = subprocess.run(
        ["powerbalance", "--store", str(store), "evidence", "import", str(data), "--json"],
        capture_output=True,
        text=True,
        env=_env(POWERBALANCE_STORE_TIMEOUT="10"),
    )
    elapsed = time.perf_counter() - t0
    time.sleep(0.5)
    stop.touch()
    reader.wait(timeout=60)
    if done.returncode != 0:
        raise SystemExit(f"the import failed: {done.stderr.strip()}")
    imported = json.loads(done.stdout)["imported"]
    with open_store(store, read_only=True) as s:
        after = s.counts()["claim"]
    assert imported == claims and after == before + claims, (imported, before, after)

    r = json.loads(out.read_text())
    waits = np.array(r["waits"])
    counts = set(r["counts"])
    # The reader sees the store before the import or after it, never in between.
    assert counts <= {before, after}, sorted(counts)
    p50, p95 = np.percentile(waits, [50, 95])
    return [
        ("claims generated (CSV, MB)", f"{claims:,} ({data.stat().st_size / 1e6:.1f})", ""),
        ("generating the file", f"{generated:.1f} s", "not part of the import"),
        ("(a) import end to end (CLI subprocess)", f"{elapsed:.1f} s", "goal < 10 s"),
        ("(b) reads during the import", f"{len(waits):,}", f"{r['busy']} refused as busy"),
        ("(b) read wait p50 / p95", f"{p50 * 1000:.0f} / {p95 * 1000:.0f} ms", ""),
        ("(b) read wait max", f"{waits.max() * 1000:.0f} ms", "goal < 1,000 ms"),
        ("(b) claim counts the reader saw", ", ".join(f"{c:,}" for c in sorted(counts)), ""),
    ]


def bench_busy_save(tmp: Path) -> list[tuple[str, str, str]]:
    """A run whose store another process takes for writing while the draws run.

    ``app.scenarios.run_and_store`` with an opener is what ``scenario run``
    calls: the holder starts at the run's first progress report, after the
    evidence was read, and holds the store until after the run returns.
    """
    store = tmp / "runs.duckdb"
    with open_store(store):
        pass
    os.environ.update(POWERBALANCE_STORE_TIMEOUT="0.5", POWERBALANCE_RUN_SAVE_WAIT="2")
    holder: subprocess.Popen[str] | None = None

    def hold(done: int, total: int) -> None:
        nonlocal holder
        if holder is None:
            holder = subprocess.Popen(
                [sys.executable, "-c", HOLDER, str(store), "600"],
                stdout=subprocess.PIPE,
                text=True,
            )
            assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"

    notes: list[str] = []
    t0 = time.perf_counter()
    try:
        result, _ = run_and_store(
            partial(open_store, store),
            "reverse-kissinger",
            draws=20_000,
            progress=hold,
            notice=notes.append,
        )
        finished = time.perf_counter() - t0
        kept = pending_files(store)
    finally:
        if holder is not None:
            holder.kill()
            holder.wait()
    with open_store(store, read_only=True) as s:
        stored = s.run_ids()
    assert result.id in stored and not pending_files(store), (result.id, stored)
    return [
        ("(c) run of 20,000 draws, store held at its end", f"{finished:.1f} s", "no error"),
        ("(c) pending files while held / after", f"{len(kept)} / 0", notes[-1][:60] + "…"),
        ("(c) run in the store at the next opening", "yes", str(result.id)),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--pause", type=float, default=0.02, help="the reader's pause between reads")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-store-") as d:
        tmp = Path(d)
        rows = bench_import(tmp, args.claims, args.pause)
        rows += bench_busy_save(tmp)
    width = max(len(r[0]) for r in rows)
    value_width = max(len(r[1]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>{value_width}}  note")
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>{value_width}}  {note}")


if __name__ == "__main__":
    main()
