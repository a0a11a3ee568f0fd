"""The Spark engine (local[2]) returns the same series and accounting as the DuckDB engine.

Spark jobs are slow to start on a small machine, so each test runs one job
that covers many paths at once (1.0 and 2.0 text, a zip member, a Parquet
cache, malformed rows, every option).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from powerbalance.engines.duckdb_engine import aggregate_events, ingest_events
from powerbalance.engines.spec import EventAggregation, run_aggregation

pytestmark = [pytest.mark.spark, pytest.mark.slow]


def _same(a, b) -> None:
    pd.testing.assert_frame_equal(a.frame, b.frame, check_exact=True)
    for attr in ("rows_read", "rows_valid", "rows_used", "rows_rejected", "rejects_by_file"):
        assert getattr(a, attr) == getattr(b, attr), attr


def test_spark_equals_duckdb_on_synthetic(spark, synth_dir: Path, tmp_path: Path):
    ingest_events([synth_dir / "v1.export.CSV"], tmp_path / "cache")
    files = [synth_dir / "v2.export.CSV", synth_dir / "v1.export.CSV", synth_dir / "v2b.zip"]
    files.append(tmp_path / "cache")
    spec = EventAggregation(freq="week", directed=True, root_only=True, dedupe=True)
    duck = aggregate_events(files, spec, sample_limit=20)
    sp = run_aggregation(files, spec, engine="spark", sample_limit=20)
    _same(duck, sp)
    assert sp.rows_rejected == 12
    assert {(r.file, r.line) for r in sp.rejects} == {(r.file, r.line) for r in duck.rejects}
    assert sp.engine == "spark (local[2])"


@pytest.mark.shared_data
def test_spark_equals_duckdb_on_real_samples(spark, shared_file):
    """Real GDELT 2.0 export and 1.0 daily sample, dyads among the great powers and all dyads."""
    files = [
        shared_file("gdelt/20191024143000.export.CSV"),
        shared_file("gdelt/gdelt1_daily_20160728_sample.export.tsv"),
    ]
    spec = EventAggregation(freq="month")
    _same(aggregate_events(files, spec), run_aggregation(files, spec, engine="spark"))
