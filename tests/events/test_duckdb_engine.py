"""The DuckDB engine against an independent csv-module computation, on synthetic and real files."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from powerbalance.datasets.gdelt_synth import synthesize
from powerbalance.engines.duckdb_engine import aggregate_events, ingest_events, scan_count
from powerbalance.engines.spec import (
    OUTPUT_COLUMNS,
    EventAggregation,
    MalformedRows,
    UnknownEngine,
    run_aggregation,
)
from powerbalance.errors import UserError

SPECS = [
    EventAggregation(),
    EventAggregation(freq="day", directed=True),
    EventAggregation(freq="week", root_only=True),
    EventAggregation(freq="year", dedupe=True, countries=("USA", "CHN", "RUS", "GBR")),
    EventAggregation(freq="month", directed=True, root_only=True, dedupe=True),
]


def _compare(result, expected: dict, accounting: dict) -> None:
    frame = result.frame
    assert list(frame.columns) == list(OUTPUT_COLUMNS)
    got = {(r.period.date(), r.actor1, r.actor2): r for r in frame.itertuples(index=False)}
    assert set(got) == set(expected)
    for key, e in expected.items():
        g = got[key]
        assert (g.events, g.quad1, g.quad2, g.quad3, g.quad4, g.mentions) == (
            e["events"],
            e["quad1"],
            e["quad2"],
            e["quad3"],
            e["quad4"],
            e["mentions"],
        ), key
        assert g.goldstein_sum == pytest.approx(e["gsum"], abs=1e-9)
        assert g.goldstein_mean == pytest.approx(e["goldstein_mean"], abs=1e-9) or (
            math.isnan(g.goldstein_mean) and math.isnan(e["goldstein_mean"])
        )
        assert g.period_events == e["period_events"]
        assert g.share == pytest.approx(e["events"] / e["period_events"])
    assert result.rows_rejected == accounting["rejected"]
    assert result.rows_valid == accounting["valid"]
    assert result.rows_used == accounting["used"]
    assert result.rows_read == accounting["valid"] + accounting["rejected"]


def _compare_with_reference(result, reference, files, spec: EventAggregation) -> None:
    """Compare with the csv-module computation over ``files`` (path, version) for ``spec``."""
    expected, accounting = reference(
        files,
        freq=spec.freq,
        countries=set(spec.countries) if spec.countries else None,
        directed=spec.directed,
        root_only=spec.root_only,
        dedupe=spec.dedupe,
    )
    _compare(result, expected, accounting)


@pytest.mark.parametrize(
    "spec", SPECS, ids=lambda s: f"{s.freq}-d{int(s.directed)}-r{int(s.root_only)}-u{int(s.dedupe)}"
)
def test_synthetic_matches_reference(synth_dir: Path, reference, spec: EventAggregation):
    files = [synth_dir / "v2.export.CSV", synth_dir / "v1.export.CSV"]
    result = aggregate_events(files, spec)
    _compare_with_reference(result, reference, [(files[0], 2), (files[1], 1)], spec)
    assert result.versions == {str(files[0]): 2, str(files[1]): 1}


@pytest.mark.shared_data
@pytest.mark.parametrize(
    "spec", SPECS[:4], ids=["month", "day-directed", "week-root", "year-dedupe"]
)
def test_real_samples_match_reference(shared_file, reference, spec: EventAggregation):
    """Real GDELT 2.0 export (2,111 rows) and 1.0 daily sample (710 rows, 201 of them 57 columns)."""
    v2 = shared_file("gdelt/20191024143000.export.CSV")
    v1 = shared_file("gdelt/gdelt1_daily_20160728_sample.export.tsv")
    result = aggregate_events([v2, v1], spec)
    _compare_with_reference(result, reference, [(v2, 2), (v1, 1)], spec)
    assert result.rows_read == 2111 + 710
    assert result.rows_rejected == 0
    assert len(result.frame) > 10


@pytest.mark.shared_data
def test_real_2019_usa_chn_known_counts(shared_file):
    """Real 2.0 export 20191024143000: USA–CHN events hand-counted with awk over columns 8, 18, 28-31."""
    v2 = shared_file("gdelt/20191024143000.export.CSV")
    import csv

    with v2.open(newline="") as fh:
        rows = [
            r
            for r in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
            if {r[7], r[17]} == {"USA", "CHN"}
        ]
    res = aggregate_events([v2], EventAggregation(freq="year", countries=("USA", "CHN")))
    assert res.frame["events"].sum() == len(rows) > 0
    assert res.frame["goldstein_sum"].sum() == pytest.approx(sum(float(r[30]) for r in rows))


def test_malformed_rows_reported_with_file_and_line(tmp_path: Path):
    s = synthesize(tmp_path / "m.export.CSV", rows=5000, version=2, seed=3, malformed=6)
    result = aggregate_events([s.path], sample_limit=10)
    assert result.rows_rejected == 6
    assert result.rows_read == 5000
    assert [r.line for r in result.rejects] == s.malformed_lines
    assert all(r.file == str(s.path) for r in result.rejects)
    assert result.rejects_by_file == {str(s.path): 6}
    text = [str(r) for r in result.rejects]
    assert (
        "60 fields, expected 61" in text[0] and "GoldsteinScale" in text[2] and "SQLDATE" in text[3]
    )


def test_short_v1_rows_are_rejected_not_padded(tmp_path: Path):
    s = synthesize(tmp_path / "v1.export.CSV", rows=3000, version=1, seed=4, malformed=4)
    result = aggregate_events([s.path], sample_limit=10)
    assert result.rows_rejected == 4
    assert sorted(r.line for r in result.rejects) == s.malformed_lines


def test_strict_fails_on_first_malformed_row(tmp_path: Path):
    s = synthesize(tmp_path / "m.export.CSV", rows=2000, version=2, seed=5, malformed=2)
    with pytest.raises(MalformedRows, match=rf"m.export.CSV:{s.malformed_lines[0]}:"):
        aggregate_events([s.path], strict=True)
    s1 = synthesize(tmp_path / "v1.export.CSV", rows=2000, version=1, seed=5, malformed=1)
    with pytest.raises(MalformedRows, match=rf"v1.export.CSV:{s1.malformed_lines[0]}:"):
        aggregate_events([s1.path], strict=True)


def test_zip_input_equals_plain(tmp_path: Path):
    plain = synthesize(tmp_path / "p.export.CSV", rows=3000, seed=8)
    zipped = synthesize(tmp_path / "p.zip", rows=3000, seed=8)
    a = aggregate_events([plain.path]).frame
    b = aggregate_events([zipped.path]).frame
    pd.testing.assert_frame_equal(a, b)


def test_parquet_cache_gives_the_same_series(synth_dir: Path, tmp_path: Path):
    files = [synth_dir / "v2.export.CSV", synth_dir / "v1.export.CSV", synth_dir / "v2b.zip"]
    summary = ingest_events(files, tmp_path / "cache")
    assert summary["rows_rejected"] == 12
    assert summary["rows_written"] == 6000 + 3000 + 2000 - 12
    assert len(summary["rollups"]) == 16
    for spec in SPECS:
        text = aggregate_events(files, spec)
        cached = aggregate_events([tmp_path / "cache"], spec)
        pd.testing.assert_frame_equal(text.frame, cached.frame, check_exact=True)
        assert cached.rows_rejected == 0 and cached.rows_valid == text.rows_valid
        assert cached.rows_used == text.rows_used and cached.files == 1
    # ingesting the same inputs again replaces the cache file instead of duplicating rows
    ingest_events(files, tmp_path / "cache")
    assert len(list((tmp_path / "cache").glob("gdelt-events-*"))) == 1


@pytest.mark.parametrize(
    "spec", SPECS, ids=lambda s: f"{s.freq}-r{int(s.root_only)}-u{int(s.dedupe)}"
)
def test_caches_mixed_with_text_and_other_caches(synth_dir: Path, tmp_path: Path, spec):
    """Rollups of a cache add to text rows; de-duplication across sources reads the rows."""
    a, b, c = synth_dir / "v2.export.CSV", synth_dir / "v1.export.CSV", synth_dir / "v2b.zip"
    ingest_events([a], tmp_path / "ca")
    ingest_events([b], tmp_path / "cb")
    text = aggregate_events([a, b, c], spec)
    for mixed in ([tmp_path / "ca", tmp_path / "cb", c], [tmp_path / "ca", b, c]):
        got = aggregate_events(mixed, spec, sample_limit=20)
        pd.testing.assert_frame_equal(text.frame, got.frame, check_exact=True)
        assert got.rows_used == text.rows_used and got.files == 3


def test_plan_reads_rollups_only_when_they_answer(synth_dir: Path, tmp_path: Path):
    from powerbalance.engines.duckdb_engine import _plan, split_parquet

    ingest_events([synth_dir / "v2.export.CSV"], tmp_path / "c1")
    ingest_events([synth_dir / "v2b.zip"], tmp_path / "c2")
    one = sorted((tmp_path / "c1").rglob("*.parquet"))
    both = one + sorted((tmp_path / "c2").rglob("*.parquet"))
    caches, loose = split_parquet(both)
    assert len(caches) == 2 and loose == []
    month = EventAggregation(freq="month")
    dedupe = EventAggregation(freq="month", dedupe=True)
    assert "month-all.parquet" in _plan({}, both, month, strict=False)
    assert "rows.parquet" not in _plan({}, both, month, strict=False)
    assert "month-dedupe.parquet" in _plan({}, one, dedupe, strict=False)
    # two caches may hold the same event: de-duplication must see every row
    sql = _plan({}, both, dedupe, strict=False)
    assert "rows.parquet" in sql and "/rollup/" not in sql


def test_output_parquet_and_empty_result(synth_dir: Path, tmp_path: Path):
    out = tmp_path / "series.parquet"
    res = aggregate_events([synth_dir / "v2.export.CSV"], out=out)
    pd.testing.assert_frame_equal(pd.read_parquet(out), res.frame, check_dtype=False)
    empty = aggregate_events(
        [synth_dir / "v2.export.CSV"], EventAggregation(countries=("USA", "ZZZ"))
    )
    assert empty.empty and empty.rows_used == 0 and empty.rows_valid > 0
    with pytest.raises(UserError, match=r"\.parquet"):
        aggregate_events([synth_dir / "v2.export.CSV"], out=tmp_path / "x.csv")


def test_undirected_is_the_sum_of_both_directions(synth_dir: Path):
    f = [synth_dir / "v2.export.CSV"]
    d = aggregate_events(f, EventAggregation(directed=True)).frame
    u = aggregate_events(f, EventAggregation()).frame
    d = d.assign(x1=d[["actor1", "actor2"]].min(axis=1), x2=d[["actor1", "actor2"]].max(axis=1))
    summed = d.groupby(["period", "x1", "x2"])[["events", "quad1", "quad4", "mentions"]].sum()
    mine = u.set_index(["period", "actor1", "actor2"])[["events", "quad1", "quad4", "mentions"]]
    mine.index.names = summed.index.names
    pd.testing.assert_frame_equal(summed.sort_index(), mine.sort_index(), check_index_type=False)
    assert (u["actor1"] < u["actor2"]).all()


def test_shares_and_bounds(synth_dir: Path):
    f = synth_dir / "v2.export.CSV"
    res = aggregate_events([f])
    fr = res.frame
    assert ((fr["share"] > 0) & (fr["share"] <= 1)).all()
    assert (fr["quad1"] + fr["quad2"] + fr["quad3"] + fr["quad4"] == fr["events"]).all()
    assert fr["goldstein_mean"].between(-10, 10).all()
    assert fr["goldstein_mention_mean"].between(-10, 10).all()
    assert fr.groupby("period")["share"].sum().le(1.0 + 1e-12).all()


def test_scan_count_counts_every_row(synth_dir: Path):
    # rows with an extra field are skipped, short rows padded
    assert scan_count(synth_dir / "v2.export.CSV") == 6000 - 2
    assert scan_count(synth_dir / "v2.export.CSV", lines_only=True) == 6000
    # with the fields the aggregation reads parsed and cast: the rows the engine calls valid
    typed = scan_count(synth_dir / "v2.export.CSV", typed=True)
    assert typed == aggregate_events([synth_dir / "v2.export.CSV"]).rows_valid < 6000 - 2


def test_spec_validation():
    with pytest.raises(UserError, match="frequency"):
        EventAggregation(freq="quarter")  # type: ignore[arg-type]
    with pytest.raises(UserError, match="three letters"):
        EventAggregation(countries=("USA", "China"))
    with pytest.raises(UserError, match="at least two"):
        EventAggregation(countries=("USA",))
    assert EventAggregation.parse_countries(" usa, chn ,") == ("usa", "chn")
    assert EventAggregation.parse_countries("") is None
    with pytest.raises(UnknownEngine):
        run_aggregation(["x"], engine="polars")


def test_progress_is_reported(synth_dir: Path):
    seen: list[float] = []
    aggregate_events([synth_dir / "v2.export.CSV"], progress=seen.append)
    assert seen and seen[-1] == 1.0 and all(0 <= p <= 1 for p in seen)
