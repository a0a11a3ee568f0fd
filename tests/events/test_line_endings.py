"""Line endings: lines end at LF; the CR of a CR LF ending is dropped; any other CR spoils its line.

Both readers (the compiled scanner and DuckDB's reader), Spark and ``--strict``
count physical lines alike: a lone CR never splits a row in two, never shifts
the line numbers of the rows after it, and a file mixing CR LF and LF endings
reads as if every line ended with LF. Never a traceback.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from powerbalance.datasets.gdelt import find_rejects, mixed_line_endings, normalise_lines
from powerbalance.datasets.gdelt_synth import synthesize
from powerbalance.engines.duckdb_engine import aggregate_events, ingest_events
from powerbalance.engines.spec import EventAggregation, MalformedRows, run_aggregation
from powerbalance.interfaces.cli.main import main

SPEC = EventAggregation(freq="day", directed=True)
A1, URL = 7, 60


def _base(tmp_path: Path, rows: int = 400) -> list[bytes]:
    src = tmp_path / "base.export.CSV"
    synthesize(src, rows=rows, version=2, seed=21, days=20)
    return src.read_bytes().split(b"\n")[:-1]


def _damage(lines: list[bytes]) -> tuple[bytes, set[int], int]:
    """Lines joined with mixed endings and lone CRs: (bytes, bad line numbers, row count)."""
    out = []
    bad = set()
    for i, line in enumerate(lines):
        n = i + 1
        kind = i % 13
        if kind == 1:
            out.append(line + b"\r\n")  # CR LF among LF lines
        elif kind == 2:
            fields = line.split(b"\t")
            fields[URL] = b"http://a/\rb"  # a lone CR inside a field
            out.append(b"\t".join(fields) + b"\n")
            bad.add(n)
        elif kind == 3:
            out.append(line + b"\r\r\n")  # a CR before the CR LF ending
            bad.add(n)
        elif kind == 4:
            out.append(b"\r" + line + b"\n")  # a CR after the previous line's LF
            bad.add(n)
        elif kind == 5:
            fields = line.split(b"\t")
            fields[A1] = b"U\xffA"  # a read text field that is not UTF-8
            out.append(b"\t".join(fields) + b"\n")
            bad.add(n)
        elif kind == 6:
            fields = line.split(b"\t")
            fields[URL] = b"http://a/\xe9"  # not UTF-8, in a field not read: fine
            out.append(b"\t".join(fields) + b"\n")
        else:
            out.append(line + b"\n")
    # the last line ends with a lone CR and no LF
    out[-1] = out[-1].rstrip(b"\r\n") + b"\r"
    bad.add(len(out))
    return b"".join(out), bad, len(out)


def _reference(data: bytes) -> tuple[int, set[int]]:
    """Independent count: physical lines split at LF, the rules of the docs."""
    rows, bad = 0, set()
    parts = data.split(b"\n")
    for n, raw in enumerate(parts, start=1):
        ended = n < len(parts)  # the last part has no LF after it: its CR is a lone CR
        line = raw[:-1] if ended and raw.endswith(b"\r") else raw
        if not line:
            continue
        rows += 1
        fields = line.split(b"\t")
        if b"\r" in line or len(fields) != 61:
            bad.add(n)
            continue
        try:
            fields[A1].decode("utf-8")
        except UnicodeDecodeError:
            bad.add(n)
    return rows, bad


@pytest.fixture
def damaged(tmp_path: Path) -> tuple[Path, set[int], int]:
    data, bad, n = _damage(_base(tmp_path))
    path = tmp_path / "mixed.export.CSV"
    path.write_bytes(data)
    rows, ref_bad = _reference(data)
    assert ref_bad == bad and rows == n
    return path, bad, n


def _same(a, b) -> None:
    # bit for bit: both readers add the same rows
    pd.testing.assert_frame_equal(a.frame, b.frame, check_exact=True)
    for attr in ("rows_read", "rows_valid", "rows_used", "rows_rejected", "rejects_by_file"):
        assert getattr(a, attr) == getattr(b, attr), attr


@pytest.mark.parametrize("reader", ["auto", "duckdb"])
def test_lone_cr_and_mixed_endings_counted_by_physical_line(damaged, reader: str):
    path, bad, n = damaged
    result = aggregate_events([path], SPEC, reader=reader, sample_limit=1000)
    assert result.rows_read == n  # never more rows than lines
    assert result.rows_rejected == len(bad)
    assert {r.line for r in result.rejects} == bad  # no valid line blamed
    cr = [r for r in result.rejects if "carriage return" in r.problem]
    assert {r.line for r in cr} == {ln for ln in bad if (ln - 1) % 13 in (2, 3, 4)} | {n}


def test_both_readers_agree(damaged):
    path, _, _ = damaged
    _same(
        aggregate_events([path], SPEC, sample_limit=1000),
        aggregate_events([path], SPEC, reader="duckdb", sample_limit=1000),
    )


def test_clean_lines_read_as_with_lf_endings(tmp_path: Path):
    """Mixed CR LF and LF endings (no lone CR): the same series as the LF file."""
    lines = _base(tmp_path)
    lf = tmp_path / "lf.export.CSV"
    lf.write_bytes(b"\n".join(lines) + b"\n")
    mixed = tmp_path / "mixed.export.CSV"
    mixed.write_bytes(b"".join(ln + (b"\r\n" if i % 2 else b"\n") for i, ln in enumerate(lines)))
    assert mixed_line_endings(mixed) and not mixed_line_endings(lf)
    want = aggregate_events([lf], SPEC, reader="duckdb")
    for reader in ("auto", "duckdb"):
        got = aggregate_events([mixed], SPEC, reader=reader)
        _same(got, want)
        assert got.rows_rejected == 0


def test_strict_and_ingest_name_the_first_lone_cr(damaged, tmp_path: Path):
    path, bad, _ = damaged
    first = min(bad)
    for reader in ("auto", "duckdb"):
        with pytest.raises(MalformedRows, match=rf"mixed\.export\.CSV:{first}:"):
            aggregate_events([path], SPEC, strict=True, reader=reader)
    with pytest.raises(MalformedRows, match=rf"mixed\.export\.CSV:{first}:"):
        ingest_events([path], tmp_path / "c", strict=True)
    summary = ingest_events([path], tmp_path / "cache")
    assert summary["rows_rejected"] == len(bad)
    assert summary["rows_read"] == aggregate_events([path], SPEC).rows_read


def test_find_rejects_and_normalise_keep_line_numbers(damaged, tmp_path: Path):
    path, bad, n = damaged
    assert {r.line for r in find_rejects(path, 2, limit=10_000)} == bad
    fixed = tmp_path / "fixed.tsv"
    lone = normalise_lines(path, fixed)
    assert set(lone) == {ln for ln in bad if (ln - 1) % 13 in (2, 3, 4)} | {n}
    assert fixed.read_bytes().count(b"\n") == n and b"\r" not in fixed.read_bytes()


def test_cli_reports_without_traceback(damaged, tmp_path: Path, capsys):
    path, bad, _ = damaged
    store = str(tmp_path / "s.duckdb")
    code = main(["--store", store, "events", "aggregate", str(path), "--strict"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert f"mixed.export.CSV:{min(bad)}" in err
    code = main(["--store", store, "events", "aggregate", str(path), "--json"])
    captured = capsys.readouterr()
    assert code == 0 and "Traceback" not in captured.err


@pytest.mark.spark
@pytest.mark.slow
def test_spark_counts_lines_alike(spark, damaged):
    path, bad, n = damaged
    sp = run_aggregation([path], SPEC, engine="spark", sample_limit=1000)
    duck = aggregate_events([path], SPEC, sample_limit=1000)
    pd.testing.assert_frame_equal(sp.frame, duck.frame, check_exact=True)
    assert sp.rows_read == n and sp.rows_rejected == len(bad)
    assert {r.line for r in sp.rejects} == bad
