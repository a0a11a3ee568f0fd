"""The compiled scanner against DuckDB's CSV reader: same series, same row accounting, same rejects.

The scanner reads a row only when it is sure how DuckDB's reader reads it and
diverts every other row to that reader; these tests feed both readers the
same files, from clean synthetic exports to rows built to sit on every edge
of the scanner's rules, and require identical results.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from powerbalance.datasets.gdelt import V2_COLUMNS
from powerbalance.engines import textscan
from powerbalance.engines.duckdb_engine import (
    EXACT_PARTS,
    _exact_parts_sql,
    _exact_sums_sql,
    aggregate_events,
)
from powerbalance.engines.spec import EventAggregation, MalformedRows
from powerbalance.errors import UserError

pytest.importorskip("numba")

SPECS = [
    EventAggregation(),
    EventAggregation(freq="day", directed=True),
    EventAggregation(freq="week", root_only=True),
    EventAggregation(freq="year", countries=("USA", "CHN", "RUS", "GBR")),
    EventAggregation(freq="month", directed=True, root_only=True),
]

# The fields a tricky row varies (0-based, as in the 2.0 codebook).
ID, DATE, A1, A2, ROOT, CODE, QUAD, GOLD, MENT, TONE, ADDED, URL = (
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
    60,
)


def _row(**fields: str) -> str:
    f = ["x"] * 61
    f[ID], f[DATE], f[A1], f[A2], f[ROOT], f[CODE] = "7", "20250105", "USA", "CHN", "1", "042"
    f[QUAD], f[GOLD], f[MENT], f[TONE], f[ADDED], f[URL] = (
        "1",
        "1.9",
        "3",
        "-1.5",
        "20250105000000",
        "u",
    )
    for k, v in fields.items():
        f[globals()[k]] = v
    return "\t".join(f)


def _both(paths, spec: EventAggregation, **kw):
    fast = aggregate_events(paths, spec, **kw)
    slow = aggregate_events(paths, spec, reader="duckdb", **kw)
    return fast, slow


def _same(fast, slow) -> None:
    pd.testing.assert_frame_equal(fast.frame, slow.frame, check_exact=True)
    for attr in ("rows_read", "rows_valid", "rows_used", "rows_rejected", "rejects_by_file"):
        assert getattr(fast, attr) == getattr(slow, attr), attr
    assert [(r.file, r.line) for r in fast.rejects] == [(r.file, r.line) for r in slow.rejects]
    assert slow.rows_scanned == 0


@pytest.mark.parametrize(
    "spec", SPECS, ids=lambda s: f"{s.freq}-d{int(s.directed)}-r{int(s.root_only)}"
)
def test_synthetic_exports_read_alike(synth_dir: Path, spec: EventAggregation):
    files = [synth_dir / "v2.export.CSV", synth_dir / "v1.export.CSV", synth_dir / "v2b.zip"]
    fast, slow = _both(files, spec, sample_limit=50)
    _same(fast, slow)
    # the 2.0 rows went through the scanner; the malformed ones (8) and the 1.0 file did not
    assert 0 < fast.rows_scanned <= 8000 - 8
    assert fast.rows_rejected > 0


TRICKY = {
    "DATE": ["20240229", "20230229", "20251301", "20250100", "2025011", "202501055", "00010101", "", "2025-1-1"],
    "A1": ["", "USA", "CHN", "ABCDEFGH", "ABCDEFGHI", "usa", " US", "RUS"],
    "A2": ["", "CHN", "USA", "ABCDEFGHIJ", "É", "RUS"],
    "QUAD": ["", "1", "2", "3", "4", "0", "5", "-1", "1.5", " 1", "+2", "x", "0004", "99999999999"],
    "GOLD": ["", "-10", "10.0", "3.4", "-0", "-0.0", ".5", "5.", "1e3", "1E-2", "nan", "inf", "+1.5",
             "0.1234567890123456", "123456789012345", "1234567890123456", "1..2", "-", "7,5",
             "0.00000000000000000000001", "0.0000000000000000000001", "000123.5"],
    "MENT": ["", "1", "0", "-3", "2147483647", "2147483648", "1.0", " 2", "x"],
    "TONE": ["", "-2.31481481481481", "0", "4.0816326530612", "-13.3333333333333", "1e1", "abc"],
    "ROOT": ["", "0", "1", "2", "1.5", "y"],
    "ID": ["", "1", "-5", "123456789012345678", "1234567890123456789", "9x"],
    "ADDED": ["", "20250105000000", "2025-01-05", "x"],
    "URL": ["", "u", "http://a/b?q=\"x\"", "naïve", "a\x01b", "tab"],
}  # fmt: skip


def _tricky_lines(n: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    lines = []
    for _ in range(n):
        fields = {}
        for name, values in TRICKY.items():
            if rng.random() < 0.35:
                fields[name] = values[rng.integers(len(values))]
        line = _row(**fields)
        u = rng.random()
        if u < 0.03:
            line = line + "\textra"
        elif u < 0.06:
            line = line.rsplit("\t", 1)[0]
        elif u < 0.08:
            line = ""
        elif u < 0.10:
            line = line.replace("\tx\t", '\t"q\t', 1)
        lines.append(line)
    return lines


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
@pytest.mark.parametrize("spec", SPECS[:3], ids=["month", "day-directed", "week-root"])
def test_rows_on_every_edge_read_alike(tmp_path: Path, spec: EventAggregation, ending: str):
    lines = _tricky_lines(1500, seed=len(ending))
    path = tmp_path / "tricky.export.CSV"
    # no newline after the last line: DuckDB reads it as a row, so must the scanner
    path.write_bytes(ending.join(lines).encode("utf-8"))
    fast, slow = _both([path], spec, sample_limit=10_000)
    _same(fast, slow)
    assert fast.rows_rejected > 100
    assert 0 < fast.rows_scanned < fast.rows_valid  # some valid rows were left to DuckDB


def test_chunk_boundaries_and_workers_do_not_matter(tmp_path: Path, monkeypatch):
    lines = _tricky_lines(400, seed=5)
    path = tmp_path / "t.export.CSV"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    spec = EventAggregation(freq="day", directed=True)
    ref = aggregate_events([path], spec, reader="duckdb", sample_limit=1000)
    for chunk in (1, 61, 64, 65, 400, 4096):
        monkeypatch.setattr(textscan, "CHUNK_BYTES", chunk)
        for threads in (1, 3):
            got = aggregate_events([path], spec, threads=threads, sample_limit=1000)
            _same(got, ref)


def test_the_scanner_rollup_is_the_engines_first_stage(tmp_path: Path):
    """Every column of the scanner's rollup, NULLs included: scanned plus diverted rows
    equal DuckDB's first stage over the whole file."""
    import duckdb

    from powerbalance.engines.duckdb_engine import ROLLUP_COLUMNS, _source_sql, rollup_sql

    path = tmp_path / "t.export.CSV"
    lines = [ln for ln in _tricky_lines(800, seed=9) if ln]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    side = tmp_path / "side"
    side.mkdir()
    scanned = textscan.scan_rollup(
        [path], V2_COLUMNS, freq="month", root_only=True, divert_dir=side
    )
    assert scanned.diverted and scanned.rows_taken > 0

    def first_stage(paths: list[Path]) -> str:
        return rollup_sql(
            _source_sql({2: paths}, [], strict=False), freq="month", root_only=True, with_bad=False
        )

    keys = ["period", "a1", "a2", "is_root"]
    sums = ", ".join(f"sum({c}) AS {c}" for c in ROLLUP_COLUMNS if c not in [*keys, "bad"])
    con = duckdb.connect()
    con.register("scanned", scanned.rollup)
    parts = f"SELECT * FROM scanned UNION ALL {first_stage([d.path for d in scanned.diverted])}"
    got = con.execute(
        f"SELECT {', '.join(keys)}, {sums} FROM ({parts}) GROUP BY ALL ORDER BY ALL"
    ).df()
    whole = first_stage([path])
    want = con.execute(
        f"SELECT {', '.join(keys)}, {sums} FROM ({whole}) GROUP BY ALL ORDER BY ALL"
    ).df()
    pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_strict_names_the_first_bad_line(tmp_path: Path):
    path = tmp_path / "s.export.CSV"
    path.write_text("\n".join([_row(), _row(), _row(GOLD="oops"), _row(QUAD="z")]) + "\n")
    with pytest.raises(MalformedRows, match=r"s\.export\.CSV:3"):
        aggregate_events([path], EventAggregation(), strict=True)
    ok = tmp_path / "ok.export.CSV"
    ok.write_text("\n".join([_row(), _row(A1="RUS")]) + "\n")
    assert aggregate_events([ok], EventAggregation(), strict=True).rows_scanned == 2


def test_rejects_do_not_depend_on_the_options(tmp_path: Path):
    """A field that does not cast makes its row malformed whether or not the aggregation uses it."""
    path = tmp_path / "o.export.CSV"
    rows = [
        _row(),
        _row(ID="x1"),
        _row(ROOT="z"),
        _row(ADDED="zz"),
        _row(QUAD="w"),
        _row(URL="fine"),
    ]
    path.write_text("\n".join(rows) + "\n")
    for spec in [
        EventAggregation(),
        EventAggregation(root_only=True),
        EventAggregation(dedupe=True),
    ]:
        for reader in ("auto", "duckdb"):
            r = aggregate_events([path], spec, reader=reader)
            assert (r.rows_valid, r.rows_rejected) == (2, 4), (spec, reader)
            assert [x.line for x in r.rejects] == [2, 3, 4, 5]


def test_zipped_and_plain_alike(tmp_path: Path):
    lines = _tricky_lines(300, seed=3)
    plain = tmp_path / "p.export.CSV"
    plain.write_text("\n".join(lines) + "\n", encoding="utf-8")
    zipped = tmp_path / "p.export.CSV.zip"
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.write(plain, "p.export.CSV")
    a = aggregate_events([plain], EventAggregation(), sample_limit=500)
    b = aggregate_events([zipped], EventAggregation(), sample_limit=500)
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert [r.line for r in a.rejects] == [r.line for r in b.rejects]
    assert a.rows_scanned == b.rows_scanned > 0


def test_without_numba_duckdb_reads_everything(synth_dir: Path, monkeypatch):
    monkeypatch.setattr(textscan, "available", lambda: False)
    r = aggregate_events([synth_dir / "v2.export.CSV"], EventAggregation())
    assert r.rows_scanned == 0 and r.rows_valid > 0


def test_progress_runs_to_the_end(synth_dir: Path):
    seen: list[float] = []
    aggregate_events(
        [synth_dir / "v2.export.CSV", synth_dir / "v1.export.CSV"],
        EventAggregation(),
        progress=seen.append,
    )
    assert seen and seen[-1] == 1.0
    assert all(0.0 <= x <= 1.0 for x in seen)
    assert seen == sorted(seen)


def test_unknown_reader_is_a_user_error(synth_dir: Path):
    with pytest.raises(UserError, match="unknown reader"):
        aggregate_events([synth_dir / "v2.export.CSV"], EventAggregation(), reader="pandas")


@pytest.mark.shared_data
def test_real_export_reads_alike(shared_file):
    path = shared_file("gdelt/20191024143000.export.CSV")
    for spec in SPECS:
        fast, slow = _both([path], spec)
        _same(fast, slow)
        assert fast.rows_scanned > 0.9 * fast.rows_valid


def test_numbers_parse_to_the_same_doubles_as_duckdb(tmp_path: Path):
    """One row per group, so each group's sum is one parsed value: it must equal DuckDB's, bit for bit."""
    import datetime as dt

    import duckdb

    rng = np.random.default_rng(7)
    values = []
    for _ in range(3000):
        digits = int(rng.integers(1, 16))
        mantissa = str(int(rng.integers(10 ** (digits - 1), 10**digits)))
        point = int(rng.integers(0, digits + 1))
        text = mantissa if point == 0 else mantissa[:-point] + "." + mantissa[-point:]
        text = "0" * int(rng.integers(1, 4)) + text if text.startswith(".") else text
        values.append(("-" if rng.random() < 0.5 else "") + text)
    day0 = dt.date(1990, 1, 1)
    rows = [
        _row(DATE=(day0 + dt.timedelta(days=i)).strftime("%Y%m%d"), GOLD=v, TONE=v)
        for i, v in enumerate(values)
    ]
    path = tmp_path / "n.export.CSV"
    path.write_text("\n".join(rows) + "\n")
    side = tmp_path / "side"
    side.mkdir()
    scanned = textscan.scan_rollup([path], V2_COLUMNS, freq="day", root_only=False, divert_dir=side)
    assert scanned.rows_taken == len(values) and not scanned.diverted
    got = scanned.rollup.to_pandas().sort_values("period")
    # DuckDB parses each value and splits it into the parts of an exact sum as the
    # engine's first stage does (one value per group: a group's parts are the row's)
    values_sql = "SELECT CAST(v AS DOUBLE) AS g, i FROM (SELECT unnest(?) AS v, generate_subscripts(?, 1) AS i)"
    steps = [_exact_parts_sql("g", "gsum"), _exact_parts_sql("g * 3", "gm")]
    src = values_sql
    for level in range(3):
        src = f"SELECT *, {', '.join(s[level] for s in steps)} FROM ({src})"
    sums = _exact_sums_sql("gsum") + _exact_sums_sql("gm")
    want = duckdb.execute(
        f"SELECT {', '.join(sums)} FROM ({src}) GROUP BY i ORDER BY i", [values, values]
    ).df()
    for name in ("gsum", "tsum", "gm"):
        for part in EXACT_PARTS:
            mine = got[f"{name}_{part}"].to_numpy()
            theirs = want[f"{'gm' if name == 'gm' else 'gsum'}_{part}"].to_numpy()
            assert np.array_equal(mine, theirs.astype(mine.dtype)), (name, part)
    # the parts add up to the value within 2**-64 (the limbs stop there)
    total = got["gsum_hi"] + (got["gsum_l2"] + (got["gsum_l1"] + got["gsum_l0"] / 2**32) / 2**32)
    parsed = duckdb.execute(
        "SELECT CAST(v AS DOUBLE) FROM (SELECT unnest(?) AS v, generate_subscripts(?, 1) AS i) ORDER BY i",
        [values, values],
    ).fetchnumpy()
    expected = next(iter(parsed.values()))
    assert np.allclose(total.to_numpy(), expected, rtol=1e-15, atol=2.0**-60)


def test_a_lone_cr_is_a_malformed_line_named_in_the_users_file(tmp_path: Path):
    """A lone carriage return spoils its line only (docs/events.md, line endings); the
    reject names the user's file and the physical line, whichever reader read it."""
    path = tmp_path / "cr.export.CSV"
    path.write_bytes(("\n".join([_row(), _row(URL="a\rb"), _row()]) + "\n").encode())
    for reader in ("auto", "duckdb"):
        got = aggregate_events([path], EventAggregation(), reader=reader)
        assert (got.rows_read, got.rows_rejected) == (3, 1)
        assert [(r.file, r.line) for r in got.rejects] == [(str(path), 2)]
        assert "carriage return" in got.rejects[0].problem


def test_strict_ingest_stops_at_a_field_that_does_not_cast(tmp_path: Path):
    from powerbalance.engines.duckdb_engine import ingest_events

    path = tmp_path / "i.export.CSV"
    path.write_text("\n".join([_row(), _row(MENT="many")]) + "\n")
    out = tmp_path / "cache"
    with pytest.raises(MalformedRows, match=r"i\.export\.CSV:2"):
        ingest_events([path], out, strict=True)
    assert not any(out.glob("**/*.parquet"))  # nothing half-written


def test_a_failing_worker_raises_its_error_and_never_hangs(tmp_path: Path, monkeypatch):
    """An error in one scanning thread reaches the caller (through its future), however many
    chunks are still waiting to be read; the other workers are stopped."""
    import threading

    from powerbalance.engines import _scankernels

    lines = _tricky_lines(400, seed=7)
    path = tmp_path / "t.export.CSV"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    real = _scankernels.scan
    calls = {"n": 0}
    lock = threading.Lock()

    def scan_then_fail(*args):
        with lock:
            calls["n"] += 1
            if calls["n"] == 3:
                raise OSError(28, "No space left on device")
        return real(*args)

    monkeypatch.setattr(_scankernels, "scan", scan_then_fail)
    monkeypatch.setattr(textscan, "CHUNK_BYTES", 64)  # many more chunks than the queue holds
    before = threading.active_count()
    with pytest.raises(OSError, match="No space left"):
        textscan.scan_rollup(
            [path],
            V2_COLUMNS,
            freq="day",
            root_only=False,
            workers=2,
            divert_dir=tmp_path,
        )
    assert threading.active_count() == before  # every worker thread has ended
