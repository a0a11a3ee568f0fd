"""The DuckDB engine: GDELT exports to dyad x period series in one parallel, streaming pass.

DuckDB's CSV reader parses the tab-separated exports with quoting switched
off (real files carry stray quotes inside fields), explicit column names and
types (no sniffing), and rejects malformed rows into a rejects table with
their file and line instead of dropping them. Only the columns the aggregation
needs are parsed (projection pushdown); the group-by result is tiny, so memory
stays flat however large the input. Parquet caches written by :func:`ingest_events`
are read directly. The aggregation's SQL, shared with the Spark engine, is in
:mod:`powerbalance.engines.sql`; this module reads the rows and runs it.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from powerbalance.datasets.gdelt import (
    DATE_PATTERN,
    DECIMAL_PATTERN,
    FIELD_COUNTS,
    INTEGER_PATTERN,
    LONE_CR,
    PARSED_FIELDS,
    V1_COLUMNS,
    V2_COLUMNS,
    GdeltFile,
    GdeltInputs,
    RejectedRow,
    detect_version,
    find_rejects,
    mixed_line_endings,
    normalise_lines,
    plain_files,
    resolve_inputs,
)
from powerbalance.engines import textscan
from powerbalance.engines.spec import (
    AggregateResult,
    EventAggregation,
    MalformedRows,
    split_finished,
    write_parquet,
)
from powerbalance.engines.sql import (
    CACHE_COLUMNS,
    ROLLUP_COLUMNS,
    exact_parts_sql,
    exact_sums_sql,
    finish_sql,
    regroup_sql,
    rollup_sql,
    series_sql,
    sql_str,
)
from powerbalance.engines.sql import EXACT_PARTS as EXACT_PARTS
from powerbalance.errors import InputFileError, UserError

__all__ = ["aggregate_events", "ingest_events", "scan_count"]

# The shared SQL lives in powerbalance.engines.sql; these names stay reachable here
# under their former names (the engine's tests import them from this module).
_exact_parts_sql = exact_parts_sql
_exact_sums_sql = exact_sums_sql

Progress = Callable[[float], None]

_CACHE_MARK = "powerbalance-gdelt-cache"
#: The layout of the cache's rollups. 2: the sums of doubles carried exactly
#: (:data:`powerbalance.engines.sql.EXACT_SUMS`). The rollups of a cache of
#: another version are not read (its rows are, which are the same in every
#: version); ``events ingest`` writes them anew.
_CACHE_VERSION = 2


#: The types DuckDB's reader casts the read fields to in :func:`scan_count`'s typed
#: floor (the engine itself reads every field as text and applies the rules, :func:`_source_sql`).
_CAST_TYPES = {"SQLDATE": "DATE", **{k: v for k, v in PARSED_FIELDS.items() if k != "SQLDATE"}}


def _columns_sql(version: int, *, typed: bool = False) -> str:
    names = V1_COLUMNS if version == 1 else V2_COLUMNS
    types = _CAST_TYPES if typed else {}
    items = ", ".join(f"'{c}': '{types.get(c, 'VARCHAR')}'" for c in names)
    return "{" + items + "}"


def _read_csv(
    paths: Sequence[Path], version: int, *, strict: bool, tag: str, typed: bool = False
) -> str:
    files = "[" + ", ".join(sql_str(str(p)) for p in paths) + "]"
    opts = [
        "delim='\\t'",
        "header=false",
        "quote=''",
        "escape=''",
        "auto_detect=false",
        f"columns={_columns_sql(version, typed=typed)}",
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


def _field_sql(column: str, sqltype: str) -> str:
    """A read field (text) as its typed value, NULL when empty or not valid (the rules of
    :func:`powerbalance.datasets.gdelt.value_ok`, which the scanner and Spark apply too).

    A regular expression on every field of every row costs more than the
    reading, so each check starts with an exact test that is cheap: the
    field is accepted at once when it is exactly how DuckDB writes the value
    it casts to (``CAST(TRY_CAST(x AS T) AS VARCHAR) = x``: plain digits for
    an integer, the shortest round-trip form for a double, which the rules'
    pattern always allows; eight digits without a leading zero for a date).
    Only a field failing that test (``007``, ``-0``, ``1.50``, ``1.5`` in an
    integer field, ``nan``) goes through the pattern, so the rule is the
    same, and the value is the same cast either way.
    """
    if sqltype == "VARCHAR":
        return column
    if sqltype == "DATE":
        number = f"TRY_CAST({column} AS INTEGER)"
        value = f"CAST(try_strptime({column}, '%Y%m%d') AS DATE)"
        return (
            f"CASE WHEN CAST({number} AS VARCHAR) = {column} "
            f"AND {number} BETWEEN 10000101 AND 99991231 THEN {value} "
            f"WHEN regexp_full_match({column}, {sql_str(DATE_PATTERN)}) "
            f"AND left({column}, 4) <> '0000' THEN {value} END"
        )
    value = f"TRY_CAST({column} AS {sqltype})"
    if sqltype == "DOUBLE":
        return (
            f"CASE WHEN (CAST({value} AS VARCHAR) = {column} "
            f"OR regexp_full_match({column}, {sql_str(DECIMAL_PATTERN)})) "
            f"AND isfinite({value}) THEN {value} END"
        )
    return (
        f"CASE WHEN CAST({value} AS VARCHAR) = {column} "
        f"OR regexp_full_match({column}, {sql_str(INTEGER_PATTERN)}) THEN {value} END"
    )


#: The read fields as the cache's columns.
_AS_CACHE = {
    "GLOBALEVENTID": "id",
    "SQLDATE": "d",
    "Actor1CountryCode": "a1",
    "Actor2CountryCode": "a2",
    "IsRootEvent": "r",
    "EventCode": "code",
    "QuadClass": "q",
    "GoldsteinScale": "g",
    "NumMentions": "m",
    "AvgTone": "t",
}


def _checked_sql(src: str, version: int) -> str:
    """The rows of a ``read_csv`` with the cache columns and ``bad``: the file of a malformed row.

    Every read field is read as text and checked here (not cast by the
    reader, whose casts are looser: it rounds ``1.5`` to an integer, takes
    ``nan`` for a number and seven digits for a date); a row with a
    non-empty field that is not valid, or a 1.0 row without ``DATEADDED``
    (too short, padded), is malformed.
    """
    typed = {c: _field_sql(c, t) for c, t in PARSED_FIELDS.items()}
    ok = [f"({c} IS NULL OR v_{c} IS NOT NULL)" for c, t in PARSED_FIELDS.items() if t != "VARCHAR"]
    if version == 1:
        ok.append("DATEADDED IS NOT NULL")
    inner = ", ".join(f"{e} AS v_{c}" for c, e in typed.items())
    cols = ", ".join(f"v_{c} AS {_AS_CACHE[c]}" for c in _AS_CACHE)
    return (
        f"SELECT {cols}, CAST(CASE WHEN NOT ({' AND '.join(ok)}) THEN filename END AS STRING) "
        f"AS bad FROM (SELECT *, {inner} FROM {src})"
    )


def _source_sql(
    groups: dict[int, list[Path]], parquet: Sequence[Path], *, strict: bool, tag: str = ""
) -> str:
    """The rows of text exports and Parquet row files: the cache columns plus ``bad``.

    ``bad`` names the file of a malformed row that the CSV reader let through
    (:func:`_checked_sql`: a field that breaks the rules, a 1.0 row too short
    to hold ``DATEADDED``); rows with the wrong field count, or text fields
    that are not UTF-8, are the reader's own rejects. Every read field is
    checked, so a row is malformed whatever the aggregation asks.
    """
    parts = []
    for version, paths in sorted(groups.items()):
        if not paths:
            continue
        src = _read_csv(paths, version, strict=strict, tag=f"{tag}v{version}")
        parts.append(_checked_sql(src, version))
    if parquet:
        files = "[" + ", ".join(sql_str(str(p)) for p in parquet) + "]"
        parts.append(
            f"SELECT {', '.join(CACHE_COLUMNS)}, CAST(NULL AS STRING) AS bad "
            f"FROM read_parquet({files})"
        )
    return "\nUNION ALL\n".join(parts)


#: The ingest cache's layout: validated rows, and rollups per period and variant.
ROWS_FILE = "rows.parquet"
ROLLUP_DIR = "rollup"
ROLLUP_FREQS = ("day", "week", "month", "year")
#: Rollup variants: (de-duplicated, root events only) as the aggregation asks.
ROLLUP_VARIANTS: dict[str, tuple[bool, bool]] = {
    "all": (False, False),
    "root": (False, True),
    "dedupe": (True, False),
    "dedupe-root": (True, True),
}


def rollup_variant(spec: EventAggregation) -> str:
    """The rollup variant that answers an aggregation."""
    if not spec.dedupe:
        return "root" if spec.root_only else "all"
    return "dedupe-root" if spec.root_only else "dedupe"


@dataclass
class IngestCache:
    """One folder written by :func:`ingest_events`: its row file and its rollups."""

    root: Path
    rows: list[Path]
    rollups: dict[tuple[str, str], Path]

    def rollup(self, spec: EventAggregation) -> Path | None:
        return self.rollups.get((spec.freq, rollup_variant(spec)))


def _cache_root(p: Path) -> tuple[Path, bool] | None:
    """The cache folder holding ``p``, and whether its rollups are of this version."""
    for folder in (p.parent, p.parent.parent):
        mark = folder / "ingest.json"
        if mark.is_file():
            try:
                info = json.loads(mark.read_text())
            except (OSError, ValueError):
                return None
            if isinstance(info, dict) and info.get("format") == _CACHE_MARK:
                return folder, info.get("version") == _CACHE_VERSION
            return None
    return None


def split_parquet(parquet: Sequence[Path]) -> tuple[list[IngestCache], list[Path]]:
    """Group Parquet inputs by the ingest cache that holds them; other files are rows.

    Naming any file or folder of a cache stands for the whole cache: its
    rollups answer the aggregations they can, its rows the others.
    """
    caches: dict[Path, IngestCache] = {}
    loose: list[Path] = []
    for p in parquet:
        found = _cache_root(p)
        if found is None:
            loose.append(p)
            continue
        root, current = found
        if root not in caches:
            rollups = {}
            # (an older cache answers from its rows: its rollups have other columns)
            for freq in ROLLUP_FREQS if current else ():
                for variant in ROLLUP_VARIANTS:
                    f = root / ROLLUP_DIR / f"{freq}-{variant}.parquet"
                    if f.is_file():
                        rollups[(freq, variant)] = f
            rows = [root / ROWS_FILE] if (root / ROWS_FILE).is_file() else []
            caches[root] = IngestCache(root, rows, rollups)
    return list(caches.values()), loose


def row_files(parquet: Sequence[Path]) -> list[Path]:
    """Every Parquet file with event rows among the inputs (rollups left out)."""
    caches, loose = split_parquet(parquet)
    return loose + [r for c in caches for r in c.rows]


def _plan(
    groups: dict[int, list[Path]],
    parquet: Sequence[Path],
    spec: EventAggregation,
    *,
    strict: bool,
    scanned: str | None = None,
) -> str:
    """The SQL of an aggregation over text exports, row files and ingest caches.

    Caches answer from their rollups when they hold one for the period and
    variant asked; de-duplication across several sources needs the rows of
    all of them (an event may be repeated in another file), so it reads rows.
    """
    caches, loose = split_parquet(parquet)
    has_text = any(groups.values())
    use_rollups = bool(caches) and all(c.rollup(spec) is not None for c in caches)
    if spec.dedupe and (len(caches) > 1 or has_text or loose):
        use_rollups = False
    rows = loose + ([] if use_rollups else [r for c in caches for r in c.rows])
    parts = []
    if has_text or rows:
        source = _source_sql(groups, rows, strict=strict)
        parts.append(
            rollup_sql(
                source,
                freq=spec.freq,
                dedupe=spec.dedupe,
                root_only=spec.root_only,
                with_bad=has_text,
            )
        )
    if use_rollups:
        files = "[" + ", ".join(sql_str(str(c.rollup(spec))) for c in caches) + "]"
        parts.append(f"SELECT {', '.join(ROLLUP_COLUMNS)} FROM read_parquet({files})")
    if scanned:
        parts.append(f"SELECT {', '.join(ROLLUP_COLUMNS)} FROM {scanned}")
    return series_sql("\nUNION ALL\n".join(parts), spec)


def assemble(groups: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int], dict[str, int]]:
    """Finish status groups computed elsewhere (Spark) and held in pandas, as DuckDB does."""
    with _connection(None, None) as con:
        con.register("pb_spark_groups", groups)
        return split_finished(con.execute(finish_sql("SELECT * FROM pb_spark_groups")).df())


_database: duckdb.DuckDBPyConnection | None = None
_database_lock = threading.RLock()


def _close_database(folder: str) -> None:
    global _database
    if _database is not None:
        _database.close()
        _database = None
    shutil.rmtree(folder, ignore_errors=True)


def _shared_database() -> duckdb.DuckDBPyConnection:
    """The process's in-memory DuckDB database, opened on first use and closed at exit.

    Opening a database costs tens of milliseconds, as much as a whole query on
    an ingest cache's rollups; each aggregation gets its own connection to
    this one database instead (temporary tables and reject tables are per
    connection). Spilling goes to a private temporary folder, removed at exit.
    """
    global _database
    if _database is None:
        folder = tempfile.mkdtemp(prefix="pb-duckdb-")
        _database = duckdb.connect(config={"temp_directory": folder})
        _database.execute("SET preserve_insertion_order = false")
        # Progress is read through query_progress(); DuckDB must not print its own bar.
        _database.execute("SET enable_progress_bar = true")
        _database.execute("SET enable_progress_bar_print = false")
        atexit.register(_close_database, folder)
    return _database


@contextmanager
def _connection(
    threads: int | None, memory_limit: str | None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the shared database with this run's settings (one run at a time)."""
    if threads is not None and threads < 1:
        raise UserError(
            f"--threads must be at least 1, got {threads}; leave it out to use all cores"
        )
    with _database_lock:
        con = _shared_database().cursor()
        try:
            # Thread count and memory limit are database-wide: set (or reset) them per run.
            con.execute(f"SET threads = {int(threads)}" if threads else "RESET threads")
            con.execute(
                f"SET memory_limit = {sql_str(memory_limit)}"
                if memory_limit
                else "RESET memory_limit"
            )
            yield con
        finally:
            con.close()


def _run(
    con: duckdb.DuckDBPyConnection, sql: str, progress: Progress | None, *, frame: bool = False
) -> Any:
    """Run a statement (rows as tuples, or a DataFrame), reporting DuckDB's progress estimate."""

    def fetch() -> Any:
        result = con.execute(sql)
        return result.df() if frame else result.fetchall()

    if progress is None:
        return fetch()
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.2):
            p = con.query_progress()
            if p is not None and p >= 0:
                progress(min(p, 100.0) / 100.0)

    w = threading.Thread(target=watch, daemon=True)
    w.start()
    try:
        return fetch()
    finally:
        done.set()
        w.join()
        progress(1.0)


def _reader_rejects(
    con: duckdb.DuckDBPyConnection,
    labels: dict[str, str],
    versions: Sequence[int],
    lines: dict[str, Any] | None = None,
) -> tuple[dict[str, int], list[RejectedRow]]:
    """Rejected rows per file and samples; ``lines`` maps a side file's lines to its source's."""
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
            line = int(line)
            mapped = lines.get(path) if lines else None
            if mapped is not None and 1 <= line <= len(mapped):
                line = int(mapped[line - 1])
            per_file[label] = per_file.get(label, 0) + 1
            message = str(message or "")
            if "Found: " in message:
                found = message.split("Found: ")[-1].split()[0]
                problem = f"{found} fields, expected {' or '.join(map(str, FIELD_COUNTS[v]))}"
            elif kind == "INVALID ENCODING":
                problem = f"field {column} is not valid UTF-8 text" if column else "not UTF-8 text"
            else:
                problem = f"{str(kind).lower()}: {message.splitlines()[0] if message else ''}"
            samples.append(RejectedRow(label, line, problem))
    return per_file, samples


def _new_samples(found: list[RejectedRow], known: list[RejectedRow]) -> list[RejectedRow]:
    """Rows the Python scan found that the CSV reader did not already report (short 1.0 rows)."""
    seen = {(r.file, r.line) for r in known}
    return [r for r in found if (r.file, r.line) not in seen]


def _strict_error(
    exc: duckdb.Error | None, plain: Sequence[tuple[GdeltFile, Path]]
) -> MalformedRows:
    """Name the first malformed row by file and line (the inputs in order, each from its top)."""
    for f, p in plain:
        found = find_rejects(p, f.version, label=f.label, limit=1)
        if found:
            return MalformedRows(f"malformed row (--strict stops at the first one): {found[0]}")
    reason = next((ln.strip() for ln in str(exc).splitlines() if "Line:" in ln), str(exc))
    return MalformedRows(f"malformed row (--strict stops at the first one): {reason[:300]}")


def _read_error(exc: duckdb.Error, labels: dict[str, str]) -> UserError:
    """A DuckDB reader error as one line naming the input (not a side or rewritten file)."""
    message = str(exc)
    for path, label in labels.items():
        message = message.replace(path, label)
    lines = [ln.strip() for ln in message.splitlines() if ln.strip()]
    where = next((ln for ln in lines if ln.startswith("file =")), "")
    line = next((ln for ln in lines if "Line:" in ln), "")
    detail = "; ".join(x for x in (lines[0] if lines else "", where, line) if x)
    return UserError(f"cannot read the GDELT files: {detail[:400]}")


#: Which reader reads plain 2.0 exports: the compiled scanner when it can
#: (``auto``), or always DuckDB's CSV reader (``duckdb``).
READERS = ("auto", "duckdb")


def _use_scanner(reader: str, spec: EventAggregation, groups: dict[int, list[Path]]) -> bool:
    """The scanner folds rows into a rollup as it reads, so it serves every
    aggregation but de-duplication (which needs all rows at once); 1.0 files
    (padded rows, two lengths) stay with DuckDB's reader, and so does
    everything when numba is not installed."""
    if reader not in READERS:
        raise UserError(f"unknown reader '{reader}': choose one of {', '.join(READERS)}")
    return reader == "auto" and not spec.dedupe and bool(groups[2]) and textscan.available()


def _text_bytes(paths: Sequence[Path]) -> int:
    return sum(p.stat().st_size for p in paths)


def _scan_text(
    paths: Sequence[Path],
    spec: EventAggregation,
    tmp: Path,
    threads: int | None,
    progress: Callable[[int], None] | None,
) -> textscan.ScanResult:
    """Scan plain 2.0 exports with the compiled scanner; ``progress`` gets the bytes read."""
    side = tmp / "diverted"
    side.mkdir()
    return textscan.scan_rollup(
        paths,
        V2_COLUMNS,
        freq=spec.freq,
        root_only=spec.root_only,
        workers=threads,
        divert_dir=side,
        progress=progress,
    )


def _rest_of(progress: Progress | None, done: float) -> Progress | None:
    """The progress of what DuckDB reads after the scanner, as the share after ``done``."""
    if progress is None:
        return None
    return lambda f: progress(done + (1.0 - done) * f)


@dataclass
class _ReadFile:
    """A file DuckDB's reader reads: the input it stands for, and where its lines are there."""

    label: str
    version: int
    #: The source line of each of its lines (1-based), when it holds some of them only.
    lines: Any = None


def _direct(
    paths: Sequence[Path], tmp: Path, files: dict[str, _ReadFile], lone_cr: dict[str, list[int]]
) -> list[Path]:
    """The files DuckDB's reader reads as they are, or rewritten with LF endings.

    A file holding a lone CR or mixing CR LF and LF endings is rewritten
    (:func:`~powerbalance.datasets.gdelt.normalise_lines`; its lines keep
    their numbers), and its lines with a lone CR are counted malformed here.
    """
    out = []
    for p in paths:
        if not mixed_line_endings(p):
            out.append(p)
            continue
        entry = files[str(p)]
        fixed = tmp / f"lf-{len(files):05d}-{p.name}"
        bad = normalise_lines(p, fixed)
        if bad:
            lone_cr.setdefault(entry.label, []).extend(bad)
        files[str(fixed)] = entry
        out.append(fixed)
    return out


def _bad_samples(path: str, entry: _ReadFile, limit: int) -> list[RejectedRow]:
    """The first malformed rows of a file read by DuckDB, numbered as in its source."""
    found = find_rejects(Path(path), entry.version, label=entry.label, limit=limit)
    if entry.lines is None:
        return found
    return [RejectedRow(r.file, int(entry.lines[(r.line or 1) - 1]), r.problem) for r in found]


@dataclass
class _Reading:
    """The text inputs of one run as plain files: grouped by version, and what each stands for."""

    #: A private temporary folder (extracted zips, rewritten and side files).
    tmp: Path
    #: Each text input with the plain file that holds its text.
    plain: list[tuple[GdeltFile, Path]]
    #: The files DuckDB's reader (or the scanner) reads, per GDELT version.
    groups: dict[int, list[Path]]
    #: Every file read, by its path, with the input it stands for.
    files: dict[str, _ReadFile]
    #: The lines holding a lone CR, per input: malformed, read by neither reader.
    lone_cr: dict[str, list[int]] = field(default_factory=dict)

    def add_rejects(
        self,
        per_file: dict[str, int],
        samples: list[RejectedRow],
        bad: dict[str, int],
        sample_limit: int,
    ) -> None:
        """Add the lone-CR lines and the rows the SQL found malformed (``bad``: per file
        read) to the reader's rejects per input and samples (both changed in place)."""
        for label, crs in self.lone_cr.items():
            per_file[label] = per_file.get(label, 0) + len(crs)
            samples.extend(RejectedRow(label, n, LONE_CR) for n in sorted(crs)[:sample_limit])
        for path, n in bad.items():
            entry = self.files.get(path)
            label = entry.label if entry is not None else path
            per_file[label] = per_file.get(label, 0) + n
            if entry is not None:
                samples.extend(_new_samples(_bad_samples(path, entry, sample_limit), samples))


@contextmanager
def _reading(inputs: GdeltInputs) -> Iterator[_Reading]:
    """The text inputs unpacked to plain files in a temporary folder, removed afterwards."""
    with (
        tempfile.TemporaryDirectory(prefix="pb-gdelt-") as tmp,
        plain_files(inputs.text, Path(tmp)) as plain,
    ):
        reading = _Reading(Path(tmp), plain, {1: [], 2: []}, {})
        for f, p in plain:
            reading.groups[f.version].append(p)
            reading.files[str(p)] = _ReadFile(f.label, f.version)
        yield reading


def _collect(
    inputs: GdeltInputs,
    spec: EventAggregation,
    *,
    engine: str,
    strict: bool,
    reader: str = "auto",
    threads: int | None,
    memory_limit: str | None,
    progress: Progress | None,
    sample_limit: int,
) -> AggregateResult:
    start = time.perf_counter()
    with _reading(inputs) as reading:
        tmp, plain, groups, files, lone_cr = (
            reading.tmp,
            reading.plain,
            reading.groups,
            reading.files,
            reading.lone_cr,
        )
        scan = None
        if _use_scanner(reader, spec, groups):
            # the scanner's bytes are the first share of the progress, DuckDB's reader the rest
            text = _text_bytes(groups[1] + groups[2]) or 1
            share = _text_bytes(groups[2]) / text
            report = None
            if progress is not None:
                whole = progress
                report = lambda done: whole(done / text)  # noqa: E731
            scan = _scan_text(groups[2], spec, tmp, threads, report)
            groups[2] = [d.path for d in scan.diverted]
            for d in scan.diverted:
                files[str(d.path)] = _ReadFile(files[str(d.source)].label, 2, d.lines)
            for source, crs in scan.lone_cr.items():
                lone_cr.setdefault(files[str(source)].label, []).extend(crs)
            progress = _rest_of(progress, share)
        else:
            groups[2] = _direct(groups[2], tmp, files, lone_cr)
        groups[1] = _direct(groups[1], tmp, files, lone_cr)
        if strict and lone_cr:
            raise _strict_error(None, plain)
        sql = _plan(
            groups, inputs.parquet, spec, strict=strict, scanned="pb_scanned" if scan else None
        )
        labels = {path: entry.label for path, entry in files.items()}
        side_lines = {path: e.lines for path, e in files.items() if e.lines is not None}
        with _connection(threads, memory_limit) as con:
            if scan is not None:
                con.register("pb_scanned", scan.rollup)
            try:
                finished = _run(con, finish_sql(sql), progress, frame=True)
            except (duckdb.InvalidInputException, duckdb.ConversionException) as exc:
                if strict:
                    raise _strict_error(exc, plain) from None
                raise _read_error(exc, labels) from None
            reader_counts, samples = _reader_rejects(
                con, labels, [v for v, ps in groups.items() if ps], side_lines
            )
        frame, counts, bad_files = split_finished(finished)
        if strict and counts["malformed"]:
            raise _strict_error(None, plain)
        reading.add_rejects(reader_counts, samples, bad_files, sample_limit)
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
        rows_scanned=scan.rows_taken if scan else 0,
    )


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
    reader: str = "auto",
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
    reader
        ``auto``: plain 2.0 exports are read by the compiled scanner
        (:mod:`powerbalance.engines.textscan`, with the ``fast`` extra) except
        for de-duplication, and any row it is not sure of by DuckDB's reader;
        ``duckdb``: DuckDB's CSV reader reads every row. Both give the same
        series and the same row accounting.

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
        reader=reader,
    )
    if out is not None:
        result.output = str(write_parquet(result.frame, out))
    return result


def _write_rollups(con: duckdb.DuckDBPyConnection, rows_file: Path, folder: Path) -> None:
    """Write the cache's rollups: per day from the rows, coarser periods from the daily ones.

    Each variant (:data:`ROLLUP_VARIANTS`) gets a daily rollup, regrouped
    without the QuadClass key; week, month and year are summed up from it. A
    later aggregation reads a few thousand rollup rows instead of every event.
    The ``all`` variant is the ``root`` one with its root flag summed away
    (every value is an exact sum, so the numbers are the same as from the
    rows), which saves a pass over the rows.
    """
    folder.mkdir()
    rows = (
        f"SELECT {', '.join(CACHE_COLUMNS)}, CAST(NULL AS STRING) AS bad "
        f"FROM read_parquet({sql_str(str(rows_file))})"
    )
    order = sorted(ROLLUP_VARIANTS, key=lambda v: v != "root")
    for variant in order:
        dedupe, root_only = ROLLUP_VARIANTS[variant]
        day = folder / f"day-{variant}.parquet"
        if variant == "all":
            root_day = sql_str(str(folder / "day-root.parquet"))
            first = f"SELECT * REPLACE (true AS is_root) FROM read_parquet({root_day})"
        else:
            first = rollup_sql(rows, freq="day", dedupe=dedupe, root_only=root_only, with_bad=False)
        daily = regroup_sql(first, "day")
        con.execute(f"COPY ({daily}) TO {sql_str(str(day))} (FORMAT parquet)")
        for freq in ROLLUP_FREQS[1:]:
            coarse = regroup_sql(f"SELECT * FROM read_parquet({sql_str(str(day))})", freq)
            target = folder / f"{freq}-{variant}.parquet"
            con.execute(f"COPY ({coarse}) TO {sql_str(str(target))} (FORMAT parquet)")


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
    with _reading(inputs) as reading:
        tmp, plain, groups, files, lone_cr = (
            reading.tmp,
            reading.plain,
            reading.groups,
            reading.files,
            reading.lone_cr,
        )
        for v in groups:
            groups[v] = _direct(groups[v], tmp, files, lone_cr)
        if strict and lone_cr:
            raise _strict_error(None, plain)
        labels = {path: entry.label for path, entry in files.items()}
        source = _source_sql(groups, [], strict=strict)
        cols = ", ".join(CACHE_COLUMNS)
        checked = tmp / "checked.parquet"
        with _connection(threads, memory_limit) as con:
            try:
                # One pass over the text: every row read, with its malformed-file marker.
                _run(
                    con,
                    f"COPY (SELECT {cols}, bad FROM ({source})) TO {sql_str(str(checked))} "
                    "(FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 262144)",
                    progress,
                )
                bad = {
                    str(b): int(n)
                    for b, n in con.execute(
                        f"SELECT bad, count(*) FROM read_parquet({sql_str(str(checked))}) "
                        "WHERE bad IS NOT NULL GROUP BY bad"
                    ).fetchall()
                }
                if strict and bad:
                    raise _strict_error(None, plain)
                partial.mkdir(parents=True)
                rows_file = partial / ROWS_FILE
                copy = (
                    f"COPY (SELECT {cols} FROM read_parquet({sql_str(str(checked))}) "
                    f"WHERE bad IS NULL) TO {sql_str(str(rows_file))} (FORMAT parquet, "
                    "COMPRESSION snappy, ROW_GROUP_SIZE 262144, RETURN_STATS false)"
                )
                written = con.execute(copy).fetchall()
                n_written = int(written[0][0]) if written else 0
                checked.unlink()
                _write_rollups(con, rows_file, partial / ROLLUP_DIR)
            except (duckdb.InvalidInputException, duckdb.ConversionException) as exc:
                shutil.rmtree(partial, ignore_errors=True)
                if strict:
                    raise _strict_error(exc, plain) from None
                raise _read_error(exc, labels) from None
            per_file, samples = _reader_rejects(con, labels, [v for v, ps in groups.items() if ps])
        versions = {f.label: f.version for f in inputs.text}
        reading.add_rejects(per_file, samples, bad, sample_limit)
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
        "version": _CACHE_VERSION,
        "rollups": sorted(p.name for p in (partial / ROLLUP_DIR).glob("*.parquet")),
    }
    # The folder is complete (rows, rollups, summary) before it takes the cache's name.
    (partial / "ingest.json").write_text(json.dumps(summary, indent=2))
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    return summary


def scan_count(
    path: str | Path,
    *,
    threads: int | None = None,
    lines_only: bool = False,
    typed: bool = False,
) -> int:
    """Count the rows of one plain GDELT export with DuckDB: the raw-scan floor of the benchmark.

    By default the file is tokenised as the engine reads it (tab-separated,
    no quoting, the version's columns, nothing cast); rows with too many
    fields are skipped, short ones padded. ``lines_only=True`` counts
    newline-terminated lines without splitting fields, the absolute floor.
    ``typed=True`` also parses and casts the seven fields the aggregation
    reads (date, actor countries, QuadClass, Goldstein, mentions, tone) and
    counts the rows where they are valid, without aggregating: the cost of
    reading what the engine needs, between the floor and the engine.
    """
    p = Path(path)
    if not p.is_file():
        raise InputFileError(str(p), "no such file")
    what = "count(*)"
    if lines_only:
        reader = (
            f"read_csv({sql_str(str(p))}, delim='\x01', header=false, quote='', escape='', "
            "auto_detect=false, columns={'line': 'VARCHAR'}, ignore_errors=true)"
        )
    elif typed:
        version = detect_version(p)[0].version
        reader = _read_csv([p], version, strict=False, tag="scan", typed=True)
        # Each field must be read (an aggregate that looks at it), or DuckDB skips its cast.
        what = (
            "count(*), max(SQLDATE), max(Actor1CountryCode), max(Actor2CountryCode), "
            "max(QuadClass), max(GoldsteinScale), max(NumMentions), max(AvgTone)"
        )
    else:
        version = detect_version(p)[0].version
        reader = (
            f"read_csv({sql_str(str(p))}, delim='\\t', header=false, quote='', escape='', "
            f"auto_detect=false, columns={_columns_sql(version)}, ignore_errors=true, "
            "null_padding=true)"
        )
    with _connection(threads, None) as con:
        row = con.execute(f"SELECT {what} FROM {reader}").fetchone()
    return int(row[0]) if row else 0
