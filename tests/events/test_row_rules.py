"""GDELT row rules: every reader (compiled scanner, DuckDB's reader, Spark, ``--strict``) refuses the same rows.

Rows break the rules when a date is not exactly eight digits of a real day, an
integer field holds a decimal or an exponent, or a decimal is not finite. The
tests plant such rows (and valid rows on the edge of the rules) into a copy of
the real GDELT 2.0 export and compare every reader with an independent
computation written here with the csv module, counting only truly clean rows.
"""

from __future__ import annotations

import csv
import math
import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from powerbalance.datasets.gdelt import check_row, value_ok
from powerbalance.engines.duckdb_engine import aggregate_events, ingest_events
from powerbalance.engines.spec import EventAggregation, MalformedRows, run_aggregation

REAL = "gdelt/20191024143000.export.CSV"
ID, DATE, A1, A2, ROOT, CODE, QUAD, GOLD, MENT, TONE, ADDED = (
    0,
    1,
    7,
    17,
    25,
    26,
    29,
    30,
    31,
    34,
    59,
)

#: (field, value) planted into copies of real rows: each must make its row malformed.
BAD = [
    (DATE, "2019102"),  # seven digits: once read as 2019-10-02
    (DATE, "201910241"),
    (DATE, "20190230"),
    (DATE, "00000101"),
    (DATE, "2019-10-2"),
    (QUAD, "1.5"),  # once rounded to 2
    (QUAD, "2.0"),
    (QUAD, "1e0"),
    (QUAD, "+1"),
    (QUAD, " 1"),
    (QUAD, "0x1"),
    (QUAD, "1_0"),
    (ROOT, "1.0"),
    (MENT, "2147483648"),
    (MENT, "3.5"),
    (MENT, "1e2"),
    (GOLD, "nan"),  # once made the dyad's sum and mean NaN
    (GOLD, "inf"),
    (GOLD, "-inf"),
    (GOLD, "NaN"),
    (GOLD, "Infinity"),
    (GOLD, "1e400"),
    (GOLD, "1_0"),
    (GOLD, " 1.5"),
    (TONE, "-inf"),
    (TONE, "1.5d"),
    (ID, "9223372036854775808"),
    (ID, "1.0"),
    (ADDED, "2.0191024143e13"),
]
#: Values on the edge that are valid: the rows count, with these values.
EDGE = [
    (GOLD, "-.5"),
    (GOLD, "5."),
    (GOLD, "1e-1"),
    (GOLD, "1E+0"),
    (TONE, "4.3219e-05"),
    (QUAD, "0004"),
    (MENT, "-0"),
    (DATE, "20000229"),
]

# The rules, written again here from the documentation (not imported).
_INT = re.compile(r"-?[0-9]+")
_DEC = re.compile(r"-?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?")


def _int_ok(s: str, bits: int) -> bool:
    return bool(_INT.fullmatch(s)) and -(2 ** (bits - 1)) <= int(s) < 2 ** (bits - 1)


def _dec_ok(s: str) -> bool:
    return bool(_DEC.fullmatch(s)) and math.isfinite(float(s))


def _day(s: str) -> date | None:
    if not re.fullmatch(r"[0-9]{8}", s):
        return None
    try:
        return date(int(s[:4]), int(s[4:6]), int(s[6:]))
    except ValueError:
        return None


def _clean(f: list[str]) -> bool:
    if len(f) != 61:
        return False
    checks = [
        (f[ID], lambda v: _int_ok(v, 64)),
        (f[ADDED], lambda v: _int_ok(v, 64)),
        (f[ROOT], lambda v: _int_ok(v, 32)),
        (f[QUAD], lambda v: _int_ok(v, 32)),
        (f[MENT], lambda v: _int_ok(v, 32)),
        (f[GOLD], _dec_ok),
        (f[TONE], _dec_ok),
        (f[DATE], lambda v: _day(v) is not None),
    ]
    return all(not v or ok(v) for v, ok in checks)


def reference(path: Path) -> tuple[dict, dict]:
    """Per (day, actor1, actor2), undirected: events, quads, Goldstein sum and mean,
    mentions, tone mean; and the row accounting. Only clean rows count."""
    series: dict = {}
    totals: dict = defaultdict(int)
    valid = rejected = 0
    with path.open(newline="", encoding="utf-8") as fh:
        for f in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if not f:
                continue
            if not _clean(f):
                rejected += 1
                continue
            valid += 1
            d = _day(f[DATE]) if f[DATE] else None
            totals[d] += 1
            a1, a2 = f[A1], f[A2]
            if not a1 or not a2 or a1 == a2:
                continue
            key = (d, *sorted((a1, a2)))
            s = series.setdefault(key, {"events": 0, "q": [0] * 4, "g": [], "t": [], "mentions": 0})
            s["events"] += 1
            if f[QUAD] and 1 <= int(f[QUAD]) <= 4:
                s["q"][int(f[QUAD]) - 1] += 1
            if f[GOLD]:
                s["g"].append(float(f[GOLD]))
            if f[TONE]:
                s["t"].append(float(f[TONE]))
            s["mentions"] += int(f[MENT]) if f[MENT] else 0
    for (d, _, _), s in series.items():
        s["period_events"] = totals[d]
    return series, {"valid": valid, "rejected": rejected}


def _plant(src: Path, out: Path) -> list[int]:
    """A copy of ``src`` with bad and edge rows planted among the real ones; the bad lines."""
    lines = src.read_text(encoding="utf-8").splitlines()
    rows = [ln.split("\t") for ln in lines]
    # copies of great-power dyad rows, so that a row wrongly counted would show in the series
    powers = {"USA", "CHN", "RUS", "GBR", "FRA", "IND"}
    dyads = [r for r in rows if r[A1] in powers and r[A2] in powers and r[A1] != r[A2]]
    planted = {}
    for k, (field, value) in enumerate(BAD + EDGE):
        f = list(dyads[k % len(dyads)])
        f[field] = value
        planted[50 + 55 * k] = ("\t".join(f), k < len(BAD))
    out_lines, bad_lines = [], []
    for i, line in enumerate(lines):
        if i in planted:
            text, bad = planted[i]
            out_lines.append(text)
            if bad:
                bad_lines.append(len(out_lines))
        out_lines.append(line)
    out.write_text("\n".join(out_lines) + "\n", encoding="utf-8")
    return bad_lines


@pytest.fixture
def planted(shared_file, tmp_path: Path) -> tuple[Path, list[int]]:
    src = shared_file(REAL)
    out = tmp_path / "planted.export.CSV"
    return out, _plant(src, out)


def _compare(result, ref: tuple[dict, dict]) -> None:
    series, acc = ref
    assert result.rows_valid == acc["valid"]
    assert result.rows_rejected == acc["rejected"] == len(BAD)
    assert result.rows_read == acc["valid"] + acc["rejected"]
    frame = result.frame
    got = {
        (p.date(), a1, a2): row
        for p, a1, a2, row in zip(
            frame["period"], frame["actor1"], frame["actor2"], frame.to_dict("records"), strict=True
        )
    }
    assert set(got) == set(series), "a phantom or a missing dyad-day"
    for key, s in series.items():
        row = got[key]
        assert row["events"] == s["events"], key
        assert [row[f"quad{k}"] for k in range(1, 5)] == s["q"], key
        assert row["mentions"] == s["mentions"], key
        assert row["period_events"] == s["period_events"], key
        assert math.isfinite(row["goldstein_sum"]), key
        assert row["goldstein_sum"] == pytest.approx(math.fsum(s["g"]), rel=1e-12, abs=1e-12)
        assert row["goldstein_mean"] == pytest.approx(math.fsum(s["g"]) / len(s["g"]), rel=1e-12)
        assert row["tone_mean"] == pytest.approx(math.fsum(s["t"]) / len(s["t"]), rel=1e-12)


SPEC = EventAggregation(freq="day")


@pytest.mark.shared_data
@pytest.mark.parametrize("reader", ["auto", "duckdb"])
def test_planted_rows_are_refused_by_both_readers(planted, reader: str):
    path, bad_lines = planted
    ref = reference(path)
    result = aggregate_events([path], SPEC, reader=reader, sample_limit=100)
    _compare(result, ref)
    assert sorted(r.line for r in result.rejects) == sorted(bad_lines)
    assert all("expected" not in r.problem for r in result.rejects)  # field problems, named


@pytest.mark.shared_data
def test_planted_rows_known_totals(planted):
    """The real export's 2,111 rows are clean; the edge rows count, the bad ones do not."""
    path, bad_lines = planted
    result = aggregate_events([path], SPEC)
    assert len(bad_lines) == len(BAD)
    assert result.rows_valid == 2111 + len(EDGE)
    assert result.rows_rejected == len(BAD)
    assert result.frame["goldstein_sum"].notna().all()


@pytest.mark.shared_data
def test_cache_refuses_the_same_rows(planted, tmp_path: Path):
    path, _ = planted
    summary = ingest_events([path], tmp_path / "cache")
    assert summary["rows_rejected"] == len(BAD)
    cached = aggregate_events([tmp_path / "cache"], SPEC)
    _compare_frames(cached.frame, aggregate_events([path], SPEC).frame)


def _compare_frames(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)


@pytest.mark.shared_data
@pytest.mark.parametrize("reader", ["auto", "duckdb"])
def test_strict_stops_at_the_first_planted_row(planted, reader: str):
    path, bad_lines = planted
    with pytest.raises(MalformedRows, match=rf"planted\.export\.CSV:{min(bad_lines)}:"):
        aggregate_events([path], SPEC, strict=True, reader=reader)
    with pytest.raises(MalformedRows, match=rf"planted\.export\.CSV:{min(bad_lines)}:"):
        ingest_events([path], path.parent / "cache", strict=True)


@pytest.mark.spark
@pytest.mark.slow
@pytest.mark.shared_data
def test_spark_refuses_the_same_rows(spark, planted):
    path, bad_lines = planted
    result = run_aggregation([path], SPEC, engine="spark", sample_limit=100)
    _compare(result, reference(path))
    assert sorted(r.line for r in result.rejects) == sorted(bad_lines)
    with pytest.raises(MalformedRows, match=rf"planted\.export\.CSV:{min(bad_lines)}:"):
        run_aggregation([path], SPEC, engine="spark", strict=True)


@pytest.mark.parametrize(("field", "value"), BAD)
def test_check_row_refuses_each_bad_value(field: int, value: str):
    row = ["x"] * 61
    row[ID], row[DATE], row[ROOT], row[QUAD], row[GOLD] = "1", "20191024", "1", "1", "1.9"
    row[MENT], row[TONE], row[ADDED] = "3", "-1.5", "20191024143000"
    assert check_row(row, 2) is None
    row[field] = value
    problem = check_row(row, 2)
    assert problem is not None and "Value error" not in problem


@pytest.mark.parametrize(("field", "value"), EDGE)
def test_edge_values_are_valid(field: int, value: str):
    kind = {GOLD: "DOUBLE", TONE: "DOUBLE", QUAD: "INTEGER", MENT: "INTEGER", DATE: "DATE"}
    assert value_ok(value, kind[field])
