"""Fixtures for the event-data tests: synthetic exports, an independent reference, a Spark session."""

from __future__ import annotations

import csv
import os
import shutil
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest

from powerbalance.datasets.gdelt_synth import synthesize

# Column positions from the GDELT 1.0 and 2.0 codebooks (0-based); identical up to AvgTone.
ID, SQLDATE, A1, A2, ROOT, CODE, QUAD, GOLD, MENTIONS, TONE = 0, 1, 7, 17, 25, 26, 29, 30, 31, 34
DATEADDED = {1: 56, 2: 59}
COUNTS = {1: (57, 58), 2: (61,)}


def _int(s: str) -> bool:
    try:
        int(s)
    except ValueError:
        return False
    return True


def _float(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


def _date(s: str) -> date | None:
    if len(s) != 8 or not s.isdigit():
        return None
    try:
        return date(int(s[:4]), int(s[4:6]), int(s[6:]))
    except ValueError:
        return None


def _period(d: date, freq: str) -> date:
    if freq == "day":
        return d
    if freq == "week":
        return d - timedelta(days=d.weekday())
    if freq == "month":
        return d.replace(day=1)
    return d.replace(month=1, day=1)


def reference_aggregate(
    files: list[tuple[Path, int]],
    *,
    freq: str = "month",
    countries: set[str] | None = None,
    directed: bool = False,
    root_only: bool = False,
    dedupe: bool = False,
) -> tuple[dict, dict]:
    """Aggregate with the csv module, row by row: the independent computation the engines must match.

    Returns ``(series, accounting)`` where ``series`` maps (period, actor1, actor2) to a dict
    of events, quad counts, Goldstein sum/mean, mentions and period_events.
    """
    rejected = 0
    valid = 0
    rows = []
    for path, version in files:
        with path.open(newline="", encoding="utf-8") as fh:
            for fields in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                if not fields or fields == [""]:
                    continue
                ok = len(fields) in COUNTS[version]
                if ok:
                    d = _date(fields[SQLDATE]) if fields[SQLDATE] else None
                    checks = [
                        (fields[ID], _int),
                        (fields[ROOT], _int),
                        (fields[QUAD], _int),
                        (fields[GOLD], _float),
                        (fields[MENTIONS], _int),
                        (fields[TONE], _float),
                        (fields[DATEADDED[version]], _int),
                    ]
                    ok = all(not v or f(v) for v, f in checks) and (
                        not fields[SQLDATE] or d is not None
                    )
                    # 1.0 rows are read padded: one too short to reach DATEADDED is malformed.
                    ok = ok and (version == 2 or bool(fields[DATEADDED[version]]))
                if not ok:
                    rejected += 1
                    continue
                valid += 1
                rows.append(
                    {
                        "id": int(fields[ID]),
                        "d": d,
                        "a1": fields[A1] or None,
                        "a2": fields[A2] or None,
                        "root": int(fields[ROOT]) if fields[ROOT] else None,
                        "code": fields[CODE],
                        "q": int(fields[QUAD]) if fields[QUAD] else None,
                        "g": float(fields[GOLD]) if fields[GOLD] else None,
                        "m": int(fields[MENTIONS]) if fields[MENTIONS] else None,
                    }
                )
    if root_only:
        rows = [r for r in rows if r["root"] == 1]
    if dedupe:
        best: dict[tuple, dict] = {}
        for r in rows:
            key = (r["d"], r["a1"], r["a2"], r["code"])
            if key not in best or r["id"] < best[key]["id"]:
                best[key] = r
        rows = list(best.values())
    totals: dict[date, int] = defaultdict(int)
    series: dict[tuple, dict] = {}
    for r in rows:
        p = _period(r["d"], freq)
        totals[p] += 1
        a1, a2 = r["a1"], r["a2"]
        if not a1 or not a2 or a1 == a2:
            continue
        if countries and (a1 not in countries or a2 not in countries):
            continue
        if not directed:
            a1, a2 = sorted((a1, a2))
        s = series.setdefault(
            (p, a1, a2),
            {
                "events": 0,
                "quad1": 0,
                "quad2": 0,
                "quad3": 0,
                "quad4": 0,
                "gsum": 0.0,
                "gn": 0,
                "mentions": 0,
            },
        )
        s["events"] += 1
        if r["q"] in (1, 2, 3, 4):
            s[f"quad{r['q']}"] += 1
        if r["g"] is not None:
            s["gsum"] += r["g"]
            s["gn"] += 1
        s["mentions"] += r["m"] or 0
    for (p, _, _), s in series.items():
        s["goldstein_mean"] = s["gsum"] / s["gn"] if s["gn"] else float("nan")
        s["period_events"] = totals[p]
    return series, {
        "rejected": rejected,
        "valid": valid,
        "used": sum(s["events"] for s in series.values()),
    }


@pytest.fixture(scope="session")
def reference():
    """The csv-module reference aggregation."""
    return reference_aggregate


@pytest.fixture(scope="session")
def synth_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Small synthetic exports shared by the tests: 2.0 with malformed rows, 1.0, a zip."""
    d = tmp_path_factory.mktemp("gdelt")
    synthesize(d / "v2.export.CSV", rows=6000, version=2, seed=11, malformed=8)
    synthesize(d / "v1.export.CSV", rows=3000, version=1, seed=12, malformed=4)
    synthesize(d / "v2b.zip", rows=2000, version=2, seed=13, days=40)
    return d


@pytest.fixture(scope="session")
def spark():
    """One local[2] Spark session for every Spark test (skipped without PySpark or Java)."""
    pytest.importorskip("pyspark")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java runtime for Spark")
    from powerbalance.engines.spark_engine import spark_session

    session = spark_session("local[2]")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
