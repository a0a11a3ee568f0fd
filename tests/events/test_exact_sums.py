"""Bit-identical series whichever reader reads the rows, in whatever order.

The sums behind the series' doubles (Goldstein, tone, and each times the
mentions) are carried exactly (docs/events.md, "The series"): every row is
split into a double part of multiples of 2**31 and integer limbs, whose sums
do not depend on the order of the additions. So the compiled scanner (per
thread, then DuckDB over its partial sums), DuckDB's own reader, a cache's
rollups and Spark give the same doubles, bit for bit. Before, the scanner
and DuckDB's reader differed in the last bits of 9 of the 126 dyad-day means
of the real export.
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from powerbalance.engines import textscan
from powerbalance.engines.duckdb_engine import aggregate_events, ingest_events
from powerbalance.engines.spec import EventAggregation

SPECS = [
    EventAggregation(freq="day"),
    EventAggregation(freq="month", directed=True),
    EventAggregation(freq="year", root_only=True),
]

ID, DATE, A1, A2, ROOT, QUAD, GOLD, MENT, TONE, ADDED = 0, 1, 7, 17, 25, 29, 30, 31, 34, 59


def _identical(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Equal frames, the doubles bit for bit (NaN where the other has NaN)."""
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    for c in a.columns:
        if a[c].dtype.kind == "f":
            x, y = a[c].to_numpy(), b[c].to_numpy()
            assert np.array_equal(x.view(np.int64), y.view(np.int64)), c


def _rows(n: int, seed: int) -> list[str]:
    """Rows whose tones have many digits (sums of them depend on the order of addition)."""
    rng = random.Random(seed)
    pairs = [("USA", "CHN"), ("CHN", "USA"), ("RUS", "CHN"), ("USA", "RUS"), ("GBR", "")]
    out = []
    for i in range(n):
        f = ["x"] * 61
        a1, a2 = pairs[i % len(pairs)]
        f[ID], f[DATE], f[A1], f[A2] = str(i + 1), f"202501{1 + i % 28:02d}", a1, a2
        f[ROOT], f[QUAD] = str(i % 2), str(1 + i % 4)
        f[GOLD] = f"{rng.choice([-10, -7.2, -2, 0.4, 1.9, 3.4, 7, 10]):.1f}"
        f[MENT] = str(rng.randint(1, 40))
        f[TONE] = repr(rng.uniform(-12, 12))  # up to 17 significant digits: DuckDB reads these
        if i % 50 == 0:
            f[TONE] = f"{rng.uniform(-1, 1):.5e}"  # an exponent: diverted to DuckDB's reader
        f[ADDED] = "20250105000000"
        out.append("\t".join(f))
    return out


def test_real_export_bit_identical_from_both_readers(shared_file):
    """The regression: 9 of 126 dyad-day means differed in their last bits."""
    path = shared_file("gdelt/20191024143000.export.CSV")
    for spec in (EventAggregation(freq="day"), EventAggregation(freq="month", root_only=True)):
        fast = aggregate_events([path], spec)
        slow = aggregate_events([path], spec, reader="duckdb")
        assert fast.rows_scanned > 0 and slow.rows_scanned == 0
        _identical(fast.frame, slow.frame)


@pytest.mark.skipif(not textscan.available(), reason="numba (the fast extra) is not installed")
def test_order_of_rows_threads_and_readers_do_not_change_a_bit(tmp_path: Path):
    rows = _rows(6000, 1)
    shuffled = rows[:]
    random.Random(2).shuffle(shuffled)
    a, b = tmp_path / "a.export.CSV", tmp_path / "b.export.CSV"
    a.write_text("\n".join(rows) + "\n")
    b.write_text("\n".join(shuffled) + "\n")
    for spec in SPECS:
        base = aggregate_events([a], spec, threads=1)
        assert 0 < base.rows_scanned < base.rows_valid  # some rows went to DuckDB's reader
        for paths, kw in (
            ([b], {"threads": 2}),
            ([b], {"reader": "duckdb"}),
            ([a], {"reader": "duckdb", "threads": 1}),
        ):
            _identical(base.frame, aggregate_events(paths, spec, **kw).frame)


def test_known_sums_are_exact(tmp_path: Path):
    """0.1 added ten times is 1.0000000000000002 in floating point; here it is 1.0."""
    rows = []
    for i in range(10):
        f = ["x"] * 61
        f[ID], f[DATE], f[A1], f[A2], f[ROOT], f[QUAD] = str(i), "20250105", "USA", "CHN", "1", "1"
        f[GOLD], f[MENT], f[TONE], f[ADDED] = "0.1", "1", "0.1", "20250105000000"
        rows.append("\t".join(f))
    path = tmp_path / "k.export.CSV"
    path.write_text("\n".join(rows) + "\n")
    assert sum([0.1] * 10) != 1.0
    for reader in ("auto", "duckdb"):
        fr = aggregate_events([path], EventAggregation(freq="day"), reader=reader).frame
        assert fr["goldstein_sum"].iloc[0] == 1.0 == math.fsum([0.1] * 10)
        assert fr["goldstein_mean"].iloc[0] == 0.1
        assert fr["tone_mean"].iloc[0] == 0.1
        assert fr["goldstein_mention_mean"].iloc[0] == 0.1


def test_huge_values_still_agree(tmp_path: Path):
    """Values of 2**52 and beyond (integers) are carried whole; the readers still agree."""
    rows = _rows(200, 3)
    big = rows[5].split("\t")
    big[TONE] = "1e300"
    rows[5] = "\t".join(big)
    big = rows[10].split("\t")
    big[GOLD] = "4503599627370497"
    rows[10] = "\t".join(big)
    path = tmp_path / "h.export.CSV"
    path.write_text("\n".join(rows) + "\n")
    spec = EventAggregation(freq="day")
    fast = aggregate_events([path], spec)
    slow = aggregate_events([path], spec, reader="duckdb")
    _identical(fast.frame, slow.frame)
    assert fast.frame["tone_mean"].max() >= 1e299


def test_cache_bit_identical_and_older_cache_read_from_rows(tmp_path: Path):
    path = tmp_path / "c.export.CSV"
    path.write_text("\n".join(_rows(3000, 4)) + "\n")
    summary = ingest_events([path], tmp_path / "cache")
    cache = Path(summary["cache"])
    meta = json.loads((cache / "ingest.json").read_text())
    assert meta["version"] == 2
    for spec in SPECS:
        _identical(
            aggregate_events([path], spec).frame, aggregate_events([tmp_path / "cache"], spec).frame
        )
    # a cache of the first layout (no version): its rollups are not read, its rows are
    del meta["version"]
    (cache / "ingest.json").write_text(json.dumps(meta))
    for f in (cache / "rollup").glob("*.parquet"):
        f.write_bytes(b"not parquet")  # would fail if read
    for spec in SPECS:
        _identical(
            aggregate_events([path], spec).frame, aggregate_events([tmp_path / "cache"], spec).frame
        )
