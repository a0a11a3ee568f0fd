"""The Spark engine: the same GDELT aggregation on Apache Spark, locally or on a cluster.

Rows are read as text lines (ending at LF) and split on tabs (never quotes),
each field is validated by the same rules as the DuckDB engine's readers
(:func:`powerbalance.datasets.gdelt.check_line`: field count per version,
valid values of the read fields, ``DATEADDED`` present in 1.0 files), the
aggregation runs as the same SQL
(:func:`powerbalance.engines.sql.aggregation_sql`, in the ``spark`` dialect) in
Spark SQL, and its small result is finished by the same query as DuckDB's
(:func:`powerbalance.engines.sql.finish_sql`, run on DuckDB by
:func:`powerbalance.engines.duckdb_engine.assemble`), so both engines return
identical series. PySpark is an optional
extra (``pip install 'powerbalance[spark]'``) and is imported only here.

Point ``master`` at a cluster (``spark://host:7077``, ``yarn``) to run there;
input paths must then be readable by every executor (HDFS, S3, a shared disk).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from powerbalance.datasets.gdelt import (
    DATE_PATTERN,
    DECIMAL_PATTERN,
    FIELD_COUNTS,
    INTEGER_PATTERN,
    PARSED_FIELDS,
    V1_COLUMNS,
    V2_COLUMNS,
    GdeltInputs,
    RejectedRow,
    find_rejects,
    plain_files,
    resolve_inputs,
)
from powerbalance.engines.duckdb_engine import assemble, row_files
from powerbalance.engines.spec import (
    AggregateResult,
    EventAggregation,
    MalformedRows,
    write_parquet,
)
from powerbalance.engines.sql import CACHE_COLUMNS, aggregation_sql
from powerbalance.errors import UserError

__all__ = ["SparkUnavailable", "aggregate_events_spark", "spark_session"]


class SparkUnavailable(UserError):
    """PySpark or a Java runtime is missing."""


def spark_session(master: str = "local[2]", *, app_name: str = "powerbalance") -> Any:
    """Return the active Spark session, or start one on ``master``.

    Local sessions use few shuffle partitions (the aggregates are small) and no UI.

    Raises
    ------
    SparkUnavailable
        When PySpark is not installed or Java cannot be started.
    """
    try:
        from py4j.protocol import Py4JError
        from pyspark.errors import PySparkException
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkUnavailable(
            "the Spark engine needs PySpark: pip install 'powerbalance[spark]' (and Java 17+)"
        ) from None
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    try:
        return (
            SparkSession.builder.master(master)
            .appName(app_name)
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.memory", "2g")
            .getOrCreate()
        )
    except (PySparkException, Py4JError, OSError, RuntimeError) as exc:
        # Java missing (PySparkRuntimeError) or the master unreachable (Py4JJavaError)
        raise SparkUnavailable(f"cannot start Spark on '{master}': {exc}".splitlines()[0]) from None


def _local_path(uri: str) -> str:
    """``file:/x``, ``file:///x`` and ``/x`` all name the same local file."""
    if uri.startswith("file:"):
        uri = "/" + unquote(uri[5:]).lstrip("/")
    return str(Path(uri).resolve())


#: The largest finite double: a decimal outside [-MAX, MAX] (or NaN) is not finite.
_MAX_DOUBLE = 1.7976931348623157e308


def _matches(text: Any, pattern: str) -> Any:
    """The whole field matches (Java's ``$`` would also match before a final line break)."""
    return text.rlike(f"^(?:{pattern})\\z")


def _parsed(spark: Any, paths: Sequence[Path], version: int) -> Any:
    """Text lines -> the cache columns plus ``bad`` (the file of a malformed row, else NULL).

    The rules are those of :func:`powerbalance.datasets.gdelt.check_line`:
    lines end at LF (the CR of a CR LF ending is dropped, any other CR makes
    the line malformed), the field count must match the version, each read
    field must hold a valid value of its type, the text fields UTF-8.
    """
    from pyspark.sql import functions as F

    names = V1_COLUMNS if version == 1 else V2_COLUMNS
    index = {n: i for i, n in enumerate(names)}
    # lineSep: a line ends at LF only (by default Spark also ends lines at a lone CR)
    raw = (
        spark.read.option("lineSep", "\n")
        .text([str(p) for p in paths])
        .select(F.col("value"), F.col("_metadata.file_path").alias("file"))
    )
    body = F.expr(
        "CASE WHEN endswith(value, '\\r') "
        "THEN CAST(substr(CAST(value AS BINARY), 1, octet_length(value) - 1) AS STRING) "
        "ELSE value END"
    )
    raw = raw.select(body.alias("value"), "file").where(F.octet_length("value") > 0)
    parts = F.split(F.col("value"), "\t", -1)
    n = F.size(parts)
    ok = n.isin(*FIELD_COUNTS[version]) & ~F.col("value").contains("\r")
    fields: dict[str, Any] = {}
    for name, sqltype in PARSED_FIELDS.items():
        text = F.get(parts, index[name])
        present = text.isNotNull() & (text != "")
        if sqltype == "DATE":
            value = F.when(
                _matches(text, DATE_PATTERN) & (F.substring(text, 1, 4) != "0000"),
                F.try_to_date(text, "yyyyMMdd"),
            )
        elif sqltype == "VARCHAR":
            # split() has already replaced bytes that are not UTF-8: look at the field's
            # own bytes (substring_index works on bytes), on the rare lines not UTF-8
            own = F.substring_index(F.substring_index("value", "\t", index[name] + 1), "\t", -1)
            value = F.when(F.is_valid_utf8("value") | F.is_valid_utf8(own), text)
        elif sqltype == "DOUBLE":
            number = text.try_cast("double")
            value = F.when(
                _matches(text, DECIMAL_PATTERN) & number.between(-_MAX_DOUBLE, _MAX_DOUBLE),
                number,
            )
        else:
            value = F.when(
                _matches(text, INTEGER_PATTERN),
                text.try_cast({"BIGINT": "bigint", "INTEGER": "int"}[sqltype]),
            )
        ok = ok & (~present | value.isNotNull())
        fields[name] = F.when(present, value)
    if version == 1:
        # A padded 1.0 row too short to hold DATEADDED (as the DuckDB engine reads it).
        ok = ok & fields["DATEADDED"].isNotNull()
    return raw.select(
        fields["GLOBALEVENTID"].alias("id"),
        fields["SQLDATE"].alias("d"),
        fields["Actor1CountryCode"].alias("a1"),
        fields["Actor2CountryCode"].alias("a2"),
        fields["IsRootEvent"].alias("r"),
        fields["EventCode"].alias("code"),
        fields["QuadClass"].alias("q"),
        fields["GoldsteinScale"].alias("g"),
        fields["NumMentions"].alias("m"),
        fields["AvgTone"].alias("t"),
        F.when(~ok, F.col("file")).alias("bad"),
    )


def _ending_in_cr(path: Path, copy: Path) -> Path:
    """``path``, or a copy of it when it ends with a CR and no LF.

    Spark cannot tell a last line ending in a lone CR (malformed) from one
    ending in CR LF (whose CR is dropped); the copy doubles that final CR,
    which leaves a lone CR in the line, as the rules read it.
    """
    with path.open("rb") as fh:
        fh.seek(0, 2)
        if fh.tell() == 0:
            return path
        fh.seek(-1, 2)
        if fh.read(1) != b"\r":
            return path
    shutil.copyfile(path, copy)
    with copy.open("ab") as fh:
        fh.write(b"\r")
    return copy


def aggregate_events_spark(
    paths: Sequence[str | Path],
    spec: EventAggregation | None = None,
    *,
    master: str = "local[2]",
    strict: bool = False,
    out: str | Path | None = None,
    sample_limit: int = 5,
) -> AggregateResult:
    """Aggregate GDELT exports to a dyad x period series with Apache Spark.

    Same parameters, validation and result as
    :func:`powerbalance.engines.duckdb_engine.aggregate_events`; ``master`` is
    ``local[N]`` or a cluster URL. Spark counts malformed rows per file; their
    line numbers are found afterwards by scanning the (local) files that hold them.

    Raises
    ------
    SparkUnavailable
        When PySpark or Java is missing.
    MalformedRows
        With ``strict=True`` when any row is malformed (after the scan).
    """
    spec = spec or EventAggregation()
    inputs: GdeltInputs = resolve_inputs(paths)
    spark = spark_session(master)
    start = time.perf_counter()
    with (
        tempfile.TemporaryDirectory(prefix="pb-gdelt-") as tmp,
        plain_files(inputs.text, Path(tmp)) as plain,
    ):
        groups: dict[int, list[Path]] = {1: [], 2: []}
        by_uri: dict[str, tuple[str, int, Path]] = {}
        for i, (f, p) in enumerate(plain):
            read = _ending_in_cr(p, Path(tmp) / f"cr-{i:05d}-{p.name}")
            groups[f.version].append(read)
            by_uri[_local_path(str(read))] = (f.label, f.version, p)
        frames = [_parsed(spark, ps, v) for v, ps in sorted(groups.items()) if ps]
        if inputs.parquet:
            from pyspark.sql import functions as F

            rows = row_files(inputs.parquet)
            pq = spark.read.parquet(*[str(p) for p in rows])
            frames.append(pq.select(*CACHE_COLUMNS, F.lit(None).cast("string").alias("bad")))
        source = frames[0]
        for other in frames[1:]:
            source = source.unionByName(other)
        view = f"pb_events_{int(time.time() * 1e6)}"
        source.createOrReplaceTempView(view)
        try:
            raw = spark.sql(
                aggregation_sql(f"SELECT * FROM {view}", spec, dialect="spark")
            ).toPandas()
        finally:
            spark.catalog.dropTempView(view)
        frame, counts, bad_files = assemble(raw)
        per_file: dict[str, int] = {}
        samples: list[RejectedRow] = []
        for uri, n in bad_files.items():
            label, version, local = by_uri.get(_local_path(uri), (uri, 0, Path()))
            per_file[label] = n
            if version:
                samples.extend(find_rejects(local, version, label=label, limit=sample_limit))
    samples.sort(key=lambda r: (r.file, r.line or 0))
    if strict and counts["malformed"]:
        raise MalformedRows(
            f"malformed row (--strict stops at the first one): {samples[0] if samples else next(iter(per_file))}"
        )
    result = AggregateResult(
        frame=frame,
        spec=spec,
        engine=f"spark ({master})",
        files=inputs.files,
        rows_read=counts["valid"] + counts["malformed"],
        rows_valid=counts["valid"],
        rows_used=counts["used"],
        rows_rejected=counts["malformed"],
        rejects=samples[:sample_limit],
        rejects_by_file=per_file,
        versions={f.label: f.version for f in inputs.text},
        seconds=time.perf_counter() - start,
    )
    if out is not None:
        result.output = str(write_parquet(result.frame, out))
    return result
