"""Issue 15 for ``powerbalance events``: the shared SQL in one module, engine dispatch in the
engines layer, the CLI calling only the app layer, and ``app.events.event_series``.

Each test failed before the change: the SQL both engines run lived in the DuckDB
engine's module (Spark imported it from there), the CLI chose options by engine name
and reached into engines, datasets and relations itself, and there was no
``powerbalance.app.events`` (the report read event files, catching any exception).
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from powerbalance.datasets.gdelt_synth import synthesize
from powerbalance.errors import InputFileError, UserError
from powerbalance.interfaces.cli.main import main

SRC = Path(__file__).resolve().parents[2] / "src" / "powerbalance"


# --- the shared SQL ----------------------------------------------------------------------


def test_both_engines_take_their_sql_from_one_module():
    from powerbalance.engines import duckdb_engine, spark_engine, sql

    # Spark imports the SQL from the shared module, not from the DuckDB engine's.
    tree = ast.parse((SRC / "engines" / "spark_engine.py").read_text())
    from_duckdb = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "powerbalance.engines.duckdb_engine"
        for alias in node.names
    }
    assert not from_duckdb & {"aggregation_sql", "finish_sql", "rollup_sql", "CACHE_COLUMNS"}
    assert spark_engine.aggregation_sql is sql.aggregation_sql
    # The DuckDB engine defines none of the shared queries itself.
    engine_defs = {
        n.name
        for n in ast.parse((SRC / "engines" / "duckdb_engine.py").read_text()).body
        if isinstance(n, ast.FunctionDef)
    }
    shared = {"rollup_sql", "regroup_sql", "series_sql", "aggregation_sql", "finish_sql"}
    assert not engine_defs & shared
    assert not engine_defs & {"_exact_parts_sql", "_exact_sums_sql", "exact_value_sql"}
    assert duckdb_engine.rollup_sql is sql.rollup_sql
    assert duckdb_engine.finish_sql is sql.finish_sql
    # The dialect table is defined once.
    assert set(sql.DIALECTS) == {"duckdb", "spark"}
    assert "_TRUNC" not in vars(duckdb_engine)


def test_the_shared_sql_module_builds_text_only():
    tree = ast.parse((SRC / "engines" / "sql.py").read_text())
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    assert not {m for m in imported if m.split(".")[0] in ("duckdb", "pyspark", "pandas")}


def test_the_two_dialects_differ_only_in_truncation():
    from powerbalance.engines import sql
    from powerbalance.engines.spec import EventAggregation

    spec = EventAggregation(freq="week", root_only=True, dedupe=True)
    duck = sql.aggregation_sql("SELECT * FROM t", spec, dialect="duckdb")
    spark = sql.aggregation_sql("SELECT * FROM t", spec, dialect="spark")

    def truncations(text: str) -> int:
        return len(re.findall(r"(?<![_\w])trunc\(", text))

    assert truncations(duck) > 0 and truncations(spark) == 0
    assert spark.count("AS BIGINT) AS DOUBLE)") == truncations(duck)
    assert "AS BIGINT) AS DOUBLE)" not in duck


def test_the_engines_repeated_read_setup_is_one_helper():
    """``_collect`` and ``ingest_events`` no longer repeat the block that unpacks
    the inputs and files them by version (the duplicates report, issue 15)."""
    text = (SRC / "engines" / "duckdb_engine.py").read_text()
    assert text.count("groups[f.version].append(p)") == 1
    assert text.count("RejectedRow(label, n, LONE_CR)") == 1


# --- dispatch by engine name happens in engines/ -----------------------------------------


def _cli_tree() -> ast.Module:
    return ast.parse((SRC / "interfaces" / "cli" / "events.py").read_text())


def test_the_cli_does_not_dispatch_on_engine_names():
    for node in ast.walk(_cli_tree()):
        if isinstance(node, ast.Compare):
            names = [n for n in [node.left, *node.comparators] if isinstance(n, ast.Constant)]
            assert not [n for n in names if n.value in ("duckdb", "spark")], ast.unparse(node)


def test_the_cli_calls_only_the_app_layer():
    imported = {
        node.module
        for node in ast.walk(_cli_tree())
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("powerbalance")
    }
    below = {
        m for m in imported if not m.startswith(("powerbalance.app", "powerbalance.interfaces"))
    }
    assert not below
    assert "powerbalance.app.events" in imported


def test_run_aggregation_takes_every_option_and_routes_duckdb_ones(tmp_path: Path):
    from powerbalance.engines.spec import UnknownEngine, run_aggregation

    path = synthesize(tmp_path / "a.export.CSV", rows=400, seed=5).path
    seen: list[float] = []
    result = run_aggregation(
        [path], engine="duckdb", reader="duckdb", threads=1, progress=seen.append
    )
    assert result.rows_read == 400 and result.rows_scanned == 0
    assert seen and seen[-1] == 1.0
    with pytest.raises(UnknownEngine, match="use duckdb"):
        run_aggregation([path], engine="polars", reader="duckdb", threads=1)


# --- the use cases ------------------------------------------------------------------------


def test_aggregate_use_case_equals_the_engine(tmp_path: Path):
    from powerbalance.app.events import aggregate
    from powerbalance.engines.duckdb_engine import aggregate_events
    from powerbalance.engines.spec import EventAggregation

    path = synthesize(tmp_path / "a.export.CSV", rows=3000, seed=11, malformed=2).path
    got = aggregate([path], freq="week", countries="usa, chn,RUS", directed=True)
    want = aggregate_events(
        [path], EventAggregation(freq="week", countries=("USA", "CHN", "RUS"), directed=True)
    )
    pd.testing.assert_frame_equal(got.frame, want.frame, check_exact=True)
    assert got.spec == want.spec
    assert (got.rows_read, got.rows_rejected) == (3000, 2) == (want.rows_read, want.rows_rejected)


def test_ingest_use_case_is_the_cache_summary(tmp_path: Path):
    from powerbalance.app.events import IngestSummary, ingest

    path = synthesize(tmp_path / "a.export.CSV", rows=500, seed=2, malformed=1).path
    summary = ingest([path], tmp_path / "cache")
    assert isinstance(summary, IngestSummary)
    assert (summary.rows_read, summary.rows_written, summary.rows_rejected) == (500, 499, 1)
    on_disk = json.loads((Path(summary.cache) / "ingest.json").read_text())
    assert summary.to_dict() == on_disk
    assert list(summary.to_dict()) == list(on_disk)


def test_cli_aggregate_json_matches_the_use_case(tmp_path: Path, capsys):
    from powerbalance.app.events import aggregate

    path = synthesize(tmp_path / "a.export.CSV", rows=2000, seed=4).path
    store = tmp_path / "s.duckdb"
    argv = ["--store", str(store), "events", "aggregate", str(path), "--freq", "year", "--json"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    result = aggregate([path], freq="year")
    assert len(out["series"]) == len(result.frame)
    assert out["summary"]["rows_used"] == result.rows_used
    assert [r["events"] for r in out["series"]] == result.frame["events"].tolist()
    assert [r["goldstein_mean"] for r in out["series"]] == result.frame["goldstein_mean"].tolist()


def test_cli_synth_refuses_a_bad_start_in_one_line(tmp_path: Path, capsys):
    argv = ["--store", str(tmp_path / "s.duckdb"), "events", "synth", str(tmp_path / "x.CSV")]
    assert main([*argv, "--rows", "10", "--start", "2024-13-01"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "error: --start must be a date like 2024-01-01, got '2024-13-01'"


def test_cli_relate_goes_through_the_app(tmp_path: Path, capsys):
    series = _known_series(tmp_path)
    store = tmp_path / "s.duckdb"
    assert main(["--store", str(store), "events", "relate", str(series), "--json"]) == 0
    rels = {(r["a"], r["b"]): r for r in json.loads(capsys.readouterr().out)}
    assert rels[("USA", "CHN")]["sign"] == -1
    assert rels[("USA", "CHN")]["strength"] == pytest.approx(0.15)


# --- event_series of a file ---------------------------------------------------------------


def _known_series(tmp_path: Path) -> Path:
    """Two months of CHN–USA events (the relation rule's docstring example) and one CHN–RUS month."""
    df = pd.DataFrame(
        {
            "period": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-02-01"]).astype(
                "datetime64[s]"
            ),
            "actor1": ["CHN", "CHN", "CHN"],
            "actor2": ["USA", "USA", "RUS"],
            "events": [40, 60, 4],
            "quad1": [10, 20, 1],
            "quad2": [0, 5, 0],
            "quad3": [20, 25, 2],
            "quad4": [10, 10, 1],
            "goldstein_sum": [-80.0, -70.0, -8.0],
        }
    )
    path = tmp_path / "series.parquet"
    df.to_parquet(path, index=False)
    return path


def test_event_series_known_values(tmp_path: Path):
    from powerbalance.app.events import EventSeries, event_series

    path = _known_series(tmp_path)
    got = event_series(path)
    assert isinstance(got, EventSeries)
    assert (got.file, got.rows) == (str(path), 3)
    assert [(d.a, d.b) for d in got.dyads] == [("USA", "RUS"), ("USA", "CHN"), ("RUS", "CHN")]
    by_pair = {(d.a, d.b): d for d in got.dyads}
    # USA–RUS: no events in either month: zero counts, no net cooperation
    assert [(p.events, p.net_cooperation) for p in by_pair[("USA", "RUS")].points] == [
        (0, None),
        (0, None),
    ]
    # USA–CHN: (10 + 0 - 20 - 10) / 40 = -0.5; (20 + 5 - 25 - 10) / 60 = -1/6
    usa_chn = by_pair[("USA", "CHN")].points
    assert [p.events for p in usa_chn] == [40, 60]
    assert usa_chn[0].net_cooperation == -0.5
    assert usa_chn[1].net_cooperation == pytest.approx(-10 / 60)
    # RUS–CHN: nothing in January; (1 + 0 - 2 - 1) / 4 = -0.5 in February
    assert [(p.events, p.net_cooperation) for p in by_pair[("RUS", "CHN")].points] == [
        (0, None),
        (4, -0.5),
    ]
    rel = {(r.a, r.b): r for r in got.relations}
    assert (rel[("USA", "CHN")].sign, rel[("USA", "CHN")].strength) == (-1, 0.15)
    assert rel[("USA", "RUS")].sign == 0 and rel[("RUS", "CHN")].sign == 0  # too few events


def test_event_series_to_dict_is_the_pages_shape(tmp_path: Path):
    from powerbalance.app.events import event_series

    path = _known_series(tmp_path)
    data = event_series(path).to_dict()
    assert list(data) == ["file", "rows", "dyads", "relations"]
    assert data["file"] == str(path) and data["rows"] == 3
    first = data["dyads"][1]
    assert (first["a"], first["b"], first["label"]) == ("USA", "CHN", "USA–CHN")
    assert first["points"][0] == {
        "x": "2024-01-01",
        "value": -0.5,
        "events": 40,
        "period": "2024-01-01",
        "claim": "40 events",
    }
    assert data["dyads"][0]["points"][0]["value"] is None  # NaN is missing, not zero
    rel = data["relations"][1]
    assert (rel["a"], rel["b"], rel["sign"], rel["strength"]) == ("USA", "CHN", -1, 0.15)
    assert rel["rule"] == "events-goldstein-v1" and isinstance(rel["evidence"], list)
    json.dumps(data, allow_nan=False)  # JSON-ready, no NaN


def test_event_series_of_an_aggregated_file(tmp_path: Path):
    from powerbalance.app.events import aggregate, event_series

    path = synthesize(tmp_path / "a.export.CSV", rows=5000, seed=8).path
    out = tmp_path / "series.parquet"
    result = aggregate([path], freq="month", out=out)
    got = event_series(out)
    assert got.rows == len(result.frame)
    periods = result.frame["period"].nunique()
    assert all(len(d.points) == periods for d in got.dyads)
    total = sum(p.events for d in got.dyads for p in d.points)
    triangle = result.frame[
        result.frame["actor1"].isin(["USA", "RUS", "CHN"])
        & result.frame["actor2"].isin(["USA", "RUS", "CHN"])
    ]
    assert total == int(triangle["events"].sum())


def _write(tmp_path: Path, name: str, df: pd.DataFrame) -> Path:
    path = tmp_path / name
    df.to_parquet(path, index=False)
    return path


def test_event_series_bad_files_name_the_file(tmp_path: Path):
    from powerbalance.app.events import event_series

    text = tmp_path / "notes.parquet"
    text.write_text("period,actor1\n2024-01-01,USA\n")
    empty = tmp_path / "empty.parquet"
    empty.write_bytes(b"")
    good = pd.read_parquet(_known_series(tmp_path))
    cases = {
        tmp_path / "missing.parquet": "no such file",
        text: "not a readable Parquet file",
        empty: "not a readable Parquet file",
        _write(tmp_path, "cols.parquet", good.drop(columns=["quad3", "goldstein_sum"])): (
            "has no column quad3, goldstein_sum"
        ),
        _write(tmp_path, "words.parquet", good.assign(events=["a", "b", "c"])): (
            "field 'events': not an event series"
        ),
        _write(tmp_path, "dates.parquet", good.assign(period=["soon", "later", "x"])): (
            "field 'period': not an event series: the periods are not dates"
        ),
        _write(tmp_path, "none.parquet", good.iloc[:0]): "the event series has no rows",
    }
    for path, problem in cases.items():
        with pytest.raises(InputFileError) as info:
            event_series(path)
        message = str(info.value)
        assert message.startswith(str(path)), message
        assert problem in message, message
        assert "events aggregate" in message  # what to do next
        assert "Traceback" not in message and "\n" not in message


def test_event_series_wants_two_different_actors(tmp_path: Path):
    from powerbalance.app.events import event_series

    path = _known_series(tmp_path)
    for actors in [("USA",), ("USA", "usa"), ("USA", "")]:
        with pytest.raises(UserError, match="two or more different actor countries"):
            event_series(path, actors)
    got = event_series(path, ("chn", "usa"))
    assert [(d.a, d.b) for d in got.dyads] == [("CHN", "USA")]


def test_event_series_catches_no_exception_wholesale():
    tree = ast.parse((SRC / "app" / "events.py").read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler):
            assert node.type is not None, "bare except"
            names = [n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)]
            assert "Exception" not in names and "BaseException" not in names
