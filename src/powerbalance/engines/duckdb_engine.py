"""The DuckDB engine: GDELT exports to dyad x period series in one parallel, streaming pass.

DuckDB's CSV reader parses the tab-separated exports with quoting switched
off (real files carry stray quotes inside fields), explicit column names and
types (no sniffing), and rejects malformed rows into a rejects table with
their file and line instead of dropping them. Only the columns the aggregation
needs are parsed (projection pushdown); the group-by result is tiny, so memory
stays flat however large the input. Parquet caches written by :func:`ingest`
are read directly.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from powerbalance.datasets.gdelt import (
    FIELD_COUNTS,
    PARSED_FIELDS,
    V1_COLUMNS,
    V2_COLUMNS,
    GdeltFile,
    GdeltInputs,
    RejectedRow,
    detect_version,
    find_rejects,
    plain_files,
    resolve_inputs,
)
from powerbalance.engines.spec import (
    AggregateResult,
    EventAggregation,
    MalformedRows,
    finish_frame,
)
from powerbalance.errors import InputFileError, UserError

__all__ = ["aggregate_events", "ingest_events", "scan_count"]

Progress = Callable[[float], None]

#: Columns of the Parquet cache (typed, validated rows; one row per event).
CACHE_COLUMNS = ("id", "d", "a1", "a2", "r", "code", "q", "g", "m", "t")
_CACHE_MARK = "powerbalance-gdelt-cache"


def _columns_sql(version: int) -> str:
    names = V1_COLUMNS if version == 1 else V2_COLUMNS
    items = ", ".join(f"'{c}': '{PARSED_FIELDS.get(c, 'VARCHAR')}'" for c in names)
    return "{" + items + "}"


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _read_csv(paths: Sequence[Path], version: int, *, strict: bool, tag: str) -> str:
    files = "[" + ", ".join(_sql_str(str(p)) for p in paths) + "]"
    opts = [
        "delim='\\t'",
        "header=false",
        "quote=''",
        "escape=''",
        "auto_detect=false",
        f"columns={_columns_sql(version)}",
        "dateformat='%Y%m%d'",
        # 1.0 rows come in 57 (pre-2013) and 58 columns: pad the missing SOURCEURL;
        # shorter rows then lack DATEADDED and are counted as malformed below.
        f"null_padding={'true' if version == 1 else 'false'}",
        "filename=true",
    ]
    if not strict:
        opts += ["ignore_errors=true", "store_rejects=true"]
        opts += [f"rejects_table='rejects_{tag}'", f"rejects_scan='rejscan_{tag}'"]
    return f"read_csv({files}, {', '.join(opts)})"


def _source_sql(
    groups: dict[int, list[Path]], parquet: Sequence[Path], *, strict: bool, tag: str = ""
) -> str:
    parts = []
    for version, paths in sorted(groups.items()):
        if not paths:
            continue
        src = _read_csv(paths, version, strict=strict, tag=f"{tag}v{version}")
        parts.append(
            "SELECT GLOBALEVENTID AS id, SQLDATE AS d, Actor1CountryCode AS a1, "
            "Actor2CountryCode AS a2, IsRootEvent AS r, EventCode AS code, QuadClass AS q, "
            "GoldsteinScale AS g, NumMentions AS m, AvgTone AS t, "
            f"CASE WHEN DATEADDED IS NULL THEN filename END AS bad FROM {src}"
        )
    if parquet:
        files = "[" + ", ".join(_sql_str(str(p)) for p in parquet) + "]"
        cols = ", ".join(CACHE_COLUMNS)
        parts.append(f"SELECT {cols}, NULL::VARCHAR AS bad FROM read_parquet({files})")
    return "\nUNION ALL\n".join(parts)


DAILY_FILE = "daily-other.parquet"


def cache_parts(parquet: Sequence[Path], *, dedupe: bool) -> tuple[list[Path], list[Path]]:
    """Split cache files into row-level files to scan and daily-total files to add.

    Without de-duplication, the rows that are not dyads only count towards the
    period totals, so their daily counts stand in for them. Parquet files that
    are not part of an ingest cache are read as rows.
    """
    rows: list[Path] = []
    daily: list[Path] = []
    for p in parquet:
        if p.name == DAILY_FILE:
            if not dedupe:
                daily.append(p)
        elif p.parent.name == "kind=other" and (p.parent.parent / DAILY_FILE).exists():
            if dedupe:
                rows.append(p)
        else:
            rows.append(p)
    return rows, daily


def _daily_groups(
    con: duckdb.DuckDBPyConnection, daily: Sequence[Path], spec: EventAggregation
) -> pd.DataFrame:
    """Status-1/2 groups (valid events that are not dyads) from the daily totals of a cache."""
    files = "[" + ", ".join(_sql_str(str(p)) for p in daily) + "]"
    st = "CASE WHEN coalesce(r, 0) = 1 THEN 1 ELSE 2 END" if spec.root_only else "1"
    return con.execute(
        f"""SELECT {st} AS st, CAST(NULL AS VARCHAR) AS bad,
                   CASE WHEN {st} = 1 THEN {_period_sql(spec.freq)} END AS period,
                   CAST(NULL AS VARCHAR) AS actor1, CAST(NULL AS VARCHAR) AS actor2,
                   CAST(sum(n) AS BIGINT) AS raw, CAST(sum(n) AS BIGINT) AS events
            FROM read_parquet({files}) GROUP BY 1, 2, 3, 4, 5"""
    ).df()


def _period_sql(freq: str) -> str:
    return "d" if freq == "day" else f"CAST(date_trunc('{freq}', d) AS DATE)"


def aggregation_sql(source: str, spec: EventAggregation) -> str:
    """The SQL of one aggregation over a source relation with the cache columns and ``bad``.

    Two group-bys: the first, over every row, keys on the raw period, actor
    countries, QuadClass and malformed-file (cheap keys, plain sums); the
    second, over that small result, assigns a status (0 dyad, 1 other valid
    event, 2 excluded as non-root, 3 malformed), orders undirected pairs and
    pivots the QuadClass counts. One scan yields the series, the period totals
    and the row accounting. The SQL runs unchanged on DuckDB and Spark SQL.
    """
    if spec.dedupe:
        source = (
            "SELECT min(id) AS id, d, a1, a2, min_by(r, id) AS r, code, min_by(q, id) AS q, "
            "min_by(g, id) AS g, min_by(m, id) AS m, min_by(t, id) AS t, bad, "
            f"count(*) AS raw FROM ({source}) "
            # Rows excluded by root-only are not candidates to represent an event.
            f"WHERE bad IS NULL {'AND r = 1' if spec.root_only else ''} GROUP BY d, a1, a2, code, bad "
            "UNION ALL "
            f"SELECT id, d, a1, a2, r, code, q, g, m, t, bad, 1 AS raw FROM ({source}) "
            f"WHERE bad IS NOT NULL {'OR coalesce(r, 0) <> 1' if spec.root_only else ''}"
        )
        raw = "sum(raw)"
    else:
        raw = "count(*)"
    is_root = "coalesce(r, 0) = 1" if spec.root_only else "true"
    # Rows that are not dyads only count towards the period totals: blank their
    # actors and QuadClass so they collapse into a few groups.
    pair = "a1 IS NOT NULL AND a2 IS NOT NULL AND a1 <> a2"
    first = f"""
        SELECT {_period_sql(spec.freq)} AS period,
            CASE WHEN {pair} THEN a1 END AS a1, CASE WHEN {pair} THEN a2 END AS a2,
            CASE WHEN {pair} THEN q END AS q, {is_root} AS is_root, bad,
            {raw} AS raw, count(*) AS n,
            sum(g) AS gsum, count(g) AS gn, sum(t) AS tsum, count(t) AS tn, sum(m) AS msum,
            sum(g * m) AS gm, sum(CASE WHEN g IS NOT NULL THEN m END) AS mg,
            sum(t * m) AS tm, sum(CASE WHEN t IS NOT NULL THEN m END) AS mt
        FROM ({source})
        GROUP BY 1, 2, 3, 4, 5, 6
    """
    dyad = "a1 IS NOT NULL AND a2 IS NOT NULL AND a1 <> a2"
    if spec.countries:
        inlist = ", ".join(_sql_str(c) for c in spec.countries)
        dyad += f" AND a1 IN ({inlist}) AND a2 IN ({inlist})"
    x1, x2 = ("a1", "a2") if spec.directed else ("least(a1, a2)", "greatest(a1, a2)")
    staged = f"""
        SELECT
            CASE WHEN bad IS NOT NULL THEN 3 WHEN NOT is_root THEN 2
                 WHEN {dyad} THEN 0 ELSE 1 END AS st,
            {x1} AS x1, {x2} AS x2, *
        FROM ({first})
    """
    quads = ",\n".join(
        f"CAST(sum(CASE WHEN q = {k} THEN n ELSE 0 END) AS BIGINT) AS quad{k}" for k in range(1, 5)
    )
    return f"""
        SELECT st, CASE WHEN st = 3 THEN bad END AS bad,
            CASE WHEN st <= 1 THEN period END AS period,
            CASE WHEN st = 0 THEN x1 END AS actor1,
            CASE WHEN st = 0 THEN x2 END AS actor2,
            CAST(sum(raw) AS BIGINT) AS raw,
            CAST(sum(n) AS BIGINT) AS events,
            {quads},
            sum(gsum) AS gsum, CAST(sum(gn) AS BIGINT) AS gn,
            sum(tsum) AS tsum, CAST(sum(tn) AS BIGINT) AS tn,
            CAST(sum(msum) AS BIGINT) AS msum,
            sum(gm) AS gm, CAST(sum(mg) AS BIGINT) AS mg,
            sum(tm) AS tm, CAST(sum(mt) AS BIGINT) AS mt
        FROM ({staged})
        GROUP BY 1, 2, 3, 4, 5
    """


def assemble(groups: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int], dict[str, int]]:
    """Turn the status-grouped rows into the series, the row accounting and bad rows per file.

    Shared by both engines so that the arithmetic after the scan is the same.
    """
    counts = {
        "valid": int(groups.loc[groups["st"] <= 2, "raw"].sum()),
        "malformed": int(groups.loc[groups["st"] == 3, "raw"].sum()),
        "used": int(groups.loc[groups["st"] == 0, "events"].sum()),
    }
    bad_files = groups[groups["st"] == 3].groupby("bad")["raw"].sum().astype(int).to_dict()
    live = groups[groups["st"] <= 1]
    totals = live.groupby("period")["events"].sum().rename("period_events")
    dy = groups[groups["st"] == 0].join(totals, on="period")
    out = pd.DataFrame(
        {
            "period": dy["period"],
            "actor1": dy["actor1"],
            "actor2": dy["actor2"],
            "events": dy["events"],
            "quad1": dy["quad1"],
            "quad2": dy["quad2"],
            "quad3": dy["quad3"],
            "quad4": dy["quad4"],
            "goldstein_sum": dy["gsum"].astype(float),
            "goldstein_mean": dy["gsum"] / dy["gn"].where(dy["gn"] > 0),
            "tone_mean": dy["tsum"] / dy["tn"].where(dy["tn"] > 0),
            "mentions": dy["msum"].fillna(0),
            "goldstein_mention_mean": dy["gm"] / dy["mg"].where(dy["mg"] > 0),
            "tone_mention_mean": dy["tm"] / dy["mt"].where(dy["mt"] > 0),
            "period_events": dy["period_events"],
            "share": dy["events"] / dy["period_events"],
        }
    )
    return finish_frame(out), counts, {str(k): int(v) for k, v in bad_files.items()}


@contextmanager
def _connection(
    threads: int | None, memory_limit: str | None
) -> Iterator[duckdb.DuckDBPyConnection]:
    with tempfile.TemporaryDirectory(prefix="pb-duckdb-") as tmp:
        con = duckdb.connect(config={"temp_directory": tmp})
        try:
            con.execute("SET preserve_insertion_order = false")
            # Progress is read through query_progress(); DuckDB must not print its own bar.
            con.execute("SET enable_progress_bar = true")
            con.execute("SET enable_progress_bar_print = false")
            if threads:
                con.execute(f"SET threads = {int(threads)}")
            if memory_limit:
                con.execute(f"SET memory_limit = {_sql_str(memory_limit)}")
            yield con
        finally:
            con.close()


def _run(con: duckdb.DuckDBPyConnection, sql: str, progress: Progress | None) -> pd.DataFrame:
    """Run a query, reporting DuckDB's own progress estimate from a watcher thread."""
    if progress is None:
        return con.execute(sql).df()
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.2):
            p = con.query_progress()
            if p is not None and p >= 0:
                progress(min(p, 100.0) / 100.0)

    w = threading.Thread(target=watch, daemon=True)
    w.start()
    try:
        return con.execute(sql).df()
    finally:
        done.set()
        w.join()
        progress(1.0)


def _reader_rejects(
    con: duckdb.DuckDBPyConnection, labels: dict[str, str], versions: Sequence[int]
) -> tuple[dict[str, int], list[RejectedRow]]:
    per_file: dict[str, int] = {}
    samples: list[RejectedRow] = []
    for v in versions:
        try:
            rows = con.execute(
                f"""SELECT s.file_path, e.line, any_value(e.error_type)::VARCHAR,
                           any_value(e.column_name), any_value(e.error_message)
                    FROM rejects_v{v} e JOIN rejscan_v{v} s USING (scan_id, file_id)
                    GROUP BY ALL ORDER BY 1, 2"""
            ).fetchall()
        except duckdb.CatalogException:
            continue
        for path, line, kind, column, message in rows:
            label = labels.get(path, path)
            per_file[label] = per_file.get(label, 0) + 1
            if kind == "CAST":
                problem = f"field {column}: {message.split('. ', 1)[-1]}"
            else:
                problem = f"{message.split('Found: ')[-1]} fields, expected {' or '.join(map(str, FIELD_COUNTS[v]))}"
            samples.append(RejectedRow(label, int(line), problem))
    return per_file, samples


def _new_samples(found: list[RejectedRow], known: list[RejectedRow]) -> list[RejectedRow]:
    """Rows the Python scan found that the CSV reader did not already report (short 1.0 rows)."""
    seen = {(r.file, r.line) for r in known}
    return [r for r in found if (r.file, r.line) not in seen]


def _strict_error(exc: duckdb.Error, plain: Sequence[tuple[GdeltFile, Path]]) -> MalformedRows:
    """Name the first malformed row by file and line (DuckDB's message names only the line)."""
    for f, p in plain:
        found = find_rejects(p, f.version, label=f.label, limit=1)
        if found:
            return MalformedRows(f"malformed row (--strict stops at the first one): {found[0]}")
    reason = next((ln.strip() for ln in str(exc).splitlines() if "Line:" in ln), str(exc))
    return MalformedRows(f"malformed row (--strict stops at the first one): {reason[:300]}")


def _collect(
    inputs: GdeltInputs,
    spec: EventAggregation,
    *,
    engine: str,
    strict: bool,
    threads: int | None,
    memory_limit: str | None,
    progress: Progress | None,
    sample_limit: int,
) -> AggregateResult:
    start = time.perf_counter()
    with (
        tempfile.TemporaryDirectory(prefix="pb-gdelt-") as tmp,
        plain_files(inputs.text, Path(tmp)) as plain,
    ):
        groups: dict[int, list[Path]] = {1: [], 2: []}
        labels: dict[str, str] = {}
        by_path: dict[str, GdeltFile] = {}
        for f, p in plain:
            groups[f.version].append(p)
            labels[str(p)] = f.label
            by_path[str(p)] = f
        rows, daily = cache_parts(inputs.parquet, dedupe=spec.dedupe)
        source = _source_sql(groups, rows, strict=strict)
        with _connection(threads, memory_limit) as con:
            try:
                raw = _run(con, aggregation_sql(source, spec), progress)
                if daily:
                    raw = pd.concat([raw, _daily_groups(con, daily, spec)], ignore_index=True)
            except duckdb.InvalidInputException as exc:
                if strict:
                    raise _strict_error(exc, plain) from None
                raise UserError(f"cannot read the GDELT files: {exc}") from None
            reader_counts, samples = _reader_rejects(
                con, labels, [v for v, ps in groups.items() if ps]
            )
        frame, counts, bad_files = assemble(raw)
        for path, n in bad_files.items():
            label = labels.get(path, path)
            reader_counts[label] = reader_counts.get(label, 0) + n
            source_file = by_path.get(path)
            if source_file is not None:
                found = find_rejects(
                    Path(path), source_file.version, label=label, limit=sample_limit
                )
                samples.extend(_new_samples(found, samples))
        if strict and counts["malformed"]:
            first = sorted(samples, key=lambda r: (r.file, r.line or 0))[:1]
            raise MalformedRows(
                f"malformed row (--strict stops at the first one): {first[0] if first else ''}"
            )
    rejected = sum(reader_counts.values())
    samples.sort(key=lambda r: (r.file, r.line or 0))
    return AggregateResult(
        frame=frame,
        spec=spec,
        engine=engine,
        files=inputs.files,
        rows_read=counts["valid"] + rejected,
        rows_valid=counts["valid"],
        rows_used=counts["used"],
        rows_rejected=rejected,
        rejects=samples[:sample_limit],
        rejects_by_file=reader_counts,
        versions={f.label: f.version for f in inputs.text},
        seconds=time.perf_counter() - start,
    )


def write_parquet(frame: pd.DataFrame, out: str | Path) -> Path:
    """Write an aggregated series to Parquet (creating the folder)."""
    p = Path(out)
    if p.suffix.lower() != ".parquet":
        raise UserError(f"--out must name a .parquet file, got '{p}'")
    p.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(p, index=False)
    return p


def aggregate_events(
    paths: Sequence[str | Path],
    spec: EventAggregation | None = None,
    *,
    strict: bool = False,
    out: str | Path | None = None,
    threads: int | None = None,
    memory_limit: str | None = None,
    progress: Progress | None = None,
    sample_limit: int = 5,
) -> AggregateResult:
    """Aggregate GDELT event exports to a dyad x period cooperation–conflict series.

    Parameters
    ----------
    paths
        GDELT 1.0/2.0 exports (plain or zipped), folders, globs, or Parquet
        caches written by :func:`ingest_events`. The version is detected per file.
    spec
        The aggregation (period, countries, directed, root-only, de-duplication).
    strict
        Fail on the first malformed row instead of counting it.
    out
        Also write the series to this Parquet file.
    threads, memory_limit
        DuckDB settings (default: all cores, DuckDB's default memory limit;
        beyond the limit DuckDB spills to a temporary folder).
    progress
        Called with the fraction done (0-1) while the scan runs.

    Returns
    -------
    AggregateResult
        The series (columns :data:`~powerbalance.engines.spec.OUTPUT_COLUMNS`)
        and the row accounting: ``rows_read = rows_valid + rows_rejected``.

    Raises
    ------
    NoEventFiles, DatasetFormatError
        When the paths hold no GDELT exports or a file is of neither version.
    MalformedRows
        With ``strict=True``, naming the file and line of the first bad row.

    Notes
    -----
    A dyad is a pair of ``Actor1CountryCode`` and ``Actor2CountryCode``, both
    present and different. Per dyad and period: event counts in total and per
    QuadClass, the Goldstein sum and mean, the mean ``AvgTone``, the mention
    total, mention-weighted means :math:`\\sum_i g_i m_i / \\sum_i m_i`, and the
    share of all valid events of the period (the GDELT codebook's advice to
    normalise by volume, which grows over the years).

    References
    ----------
    Goldstein, J. S. (1992). A conflict-cooperation scale for WEIS events data.
    Journal of Conflict Resolution 36(2):369-385. doi:10.1177/0022002792036002007
    """
    spec = spec or EventAggregation()
    inputs = resolve_inputs(paths)
    result = _collect(
        inputs,
        spec,
        engine="duckdb",
        strict=strict,
        threads=threads,
        memory_limit=memory_limit,
        progress=progress,
        sample_limit=sample_limit,
    )
    if out is not None:
        result.output = str(write_parquet(result.frame, out))
    return result


def ingest_events(
    paths: Sequence[str | Path],
    out_dir: str | Path,
    *,
    strict: bool = False,
    threads: int | None = None,
    memory_limit: str | None = None,
    progress: Progress | None = None,
    sample_limit: int = 5,
) -> dict[str, Any]:
    """Validate GDELT exports once and write the rows to a columnar Parquet cache.

    Later aggregations given the folder read the cache directly, which is many
    times faster than parsing the text again. The cache holds the validated,
    typed columns the aggregation uses; malformed rows are counted and reported
    as in :func:`aggregate_events` and are not written.

    Returns
    -------
    dict
        The summary: cache file, files, rows read, written and rejected, samples.
    """
    inputs = resolve_inputs(paths)
    if inputs.parquet:
        raise UserError(
            "ingest reads GDELT text exports; the Parquet files given are already a cache"
        )
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UserError(f"--out must be a folder, and '{out}' is a file")
    out.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha256("\n".join(sorted(f.label for f in inputs.text)).encode()).hexdigest()[:16]
    target = out / f"gdelt-events-{key}"
    partial = out / f".{target.name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    start = time.perf_counter()
    with (
        tempfile.TemporaryDirectory(prefix="pb-gdelt-") as tmp,
        plain_files(inputs.text, Path(tmp)) as plain,
    ):
        groups: dict[int, list[Path]] = {1: [], 2: []}
        labels = {str(p): f.label for f, p in plain}
        for f, p in plain:
            groups[f.version].append(p)
        source = _source_sql(groups, [], strict=strict)
        cols = ", ".join(CACHE_COLUMNS)
        with _connection(threads, memory_limit) as con:
            try:
                # Dyad rows and the other rows go to separate partitions, so that an
                # aggregation without de-duplication reads the dyad rows plus the
                # small daily totals of the others instead of every row.
                dyad = "a1 IS NOT NULL AND a2 IS NOT NULL AND a1 <> a2"
                copy = (
                    f"COPY (SELECT {cols}, CASE WHEN {dyad} THEN 'dyad' ELSE 'other' END AS kind "
                    f"FROM ({source}) WHERE bad IS NULL) TO {_sql_str(str(partial))} "
                    "(FORMAT parquet, COMPRESSION snappy, PARTITION_BY (kind), "
                    "ROW_GROUP_SIZE 262144, RETURN_STATS false)"
                )
                written = _run(con, copy, progress)
                n_written = int(written.iloc[0, 0]) if not written.empty else 0
                other = partial / "kind=other"
                daily = partial / DAILY_FILE
                if other.is_dir():
                    con.execute(
                        f"COPY (SELECT d, r, count(*) AS n FROM read_parquet("
                        f"{_sql_str(str(other / '*.parquet'))}) GROUP BY d, r) TO "
                        f"{_sql_str(str(daily))} (FORMAT parquet)"
                    )
                else:
                    con.execute(
                        "COPY (SELECT CAST(NULL AS DATE) AS d, CAST(NULL AS INTEGER) AS r, "
                        f"CAST(0 AS BIGINT) AS n LIMIT 0) TO {_sql_str(str(daily))} (FORMAT parquet)"
                    )
                bad = {}
                if groups[1]:
                    # Short 1.0 rows (padded, so without DATEADDED) are malformed too.
                    bad_df = con.execute(
                        f"SELECT bad, count(*) FROM ({_source_sql({1: groups[1]}, [], strict=False, tag='short')}) "
                        "WHERE bad IS NOT NULL GROUP BY bad"
                    ).fetchall()
                    bad = {b: int(n) for b, n in bad_df}
            except duckdb.InvalidInputException as exc:
                shutil.rmtree(partial, ignore_errors=True)
                if strict:
                    raise _strict_error(exc, plain) from None
                raise UserError(f"cannot read the GDELT files: {exc}") from None
            per_file, samples = _reader_rejects(con, labels, [v for v, ps in groups.items() if ps])
        versions = {f.label: f.version for f in inputs.text}
        for path, n in bad.items():
            label = labels.get(path, path)
            per_file[label] = per_file.get(label, 0) + n
            found = find_rejects(Path(path), 1, label=label, limit=sample_limit)
            samples.extend(_new_samples(found, samples))
        if strict and bad:
            shutil.rmtree(partial, ignore_errors=True)
            raise MalformedRows(f"malformed row (--strict stops at the first one): {samples[0]}")
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    rejected = sum(per_file.values())
    samples.sort(key=lambda r: (r.file, r.line or 0))
    summary = {
        "cache": str(target),
        "files": inputs.files,
        "versions": versions,
        "rows_read": n_written + rejected,
        "rows_written": n_written,
        "rows_rejected": rejected,
        "rejected_by_file": per_file,
        "reject_samples": [str(r) for r in samples[:sample_limit]],
        "seconds": round(time.perf_counter() - start, 3),
        "format": _CACHE_MARK,
    }
    (target / "ingest.json").write_text(json.dumps(summary, indent=2))
    return summary


def scan_count(path: str | Path, *, threads: int | None = None, lines_only: bool = False) -> int:
    """Count the rows of one plain GDELT export with DuckDB: the raw-scan floor of the benchmark.

    By default the file is tokenised as the engine reads it (tab-separated,
    no quoting, the version's columns, nothing cast); rows with too many
    fields are skipped, short ones padded. ``lines_only=True`` counts
    newline-terminated lines without splitting fields, the absolute floor.
    """
    p = Path(path)
    if not p.is_file():
        raise InputFileError(str(p), "no such file")
    if lines_only:
        reader = (
            f"read_csv({_sql_str(str(p))}, delim='\x01', header=false, quote='', escape='', "
            "auto_detect=false, columns={'line': 'VARCHAR'}, ignore_errors=true)"
        )
    else:
        version = detect_version(p)[0].version
        reader = (
            f"read_csv({_sql_str(str(p))}, delim='\\t', header=false, quote='', escape='', "
            f"auto_detect=false, columns={_columns_sql(version)}, ignore_errors=true, "
            "null_padding=true)"
        )
    with _connection(threads, None) as con:
        row = con.execute(f"SELECT count(*) FROM {reader}").fetchone()
    return int(row[0]) if row else 0
