"""The SQL both engines run: the two group-bys of an aggregation and the query that finishes it.

An aggregation over rows with the cache columns (:data:`CACHE_COLUMNS`) plus
``bad`` (the file of a malformed row) is two group-bys: :func:`rollup_sql`
folds every row into a rollup (:data:`ROLLUP_COLUMNS`, additive sums and
counts per period and actor pair), :func:`series_sql` turns that small result
into status groups, and :func:`finish_sql` gives the groups the series'
columns. The DuckDB engine runs them on DuckDB's reader, the compiled
scanner's rollup and the ingest cache's rollups; the Spark engine runs the
first two in Spark SQL and the last on DuckDB. The dialects differ in one
function, the truncation of a double (:data:`TRUNC`), so both engines split
each value into the same exact parts and return the same series bit for bit.

Only text is built here: this module imports neither DuckDB nor Spark.
"""

from __future__ import annotations

from powerbalance.engines.spec import EventAggregation

__all__ = [
    "CACHE_COLUMNS",
    "DIALECTS",
    "EXACT_PARTS",
    "EXACT_SUMS",
    "PAIR",
    "ROLLUP_COLUMNS",
    "ROLLUP_KEYS",
    "ROLLUP_SUMS",
    "TRUNC",
    "aggregation_sql",
    "exact_parts_sql",
    "exact_sums_sql",
    "exact_value_sql",
    "finish_sql",
    "parts",
    "period_sql",
    "regroup_sql",
    "rollup_sql",
    "series_sql",
    "sql_str",
]

#: Columns of the Parquet cache (typed, validated rows; one row per event), and
#: of every row source the aggregation reads (plus ``bad``).
CACHE_COLUMNS = ("id", "d", "a1", "a2", "r", "code", "q", "g", "m", "t")


def sql_str(s: str) -> str:
    """A SQL string literal (single quotes doubled)."""
    return "'" + s.replace("'", "''") + "'"


#: Columns of a rollup: the keys and the additive sums and counts that a
#: dyad x period series is assembled from. A rollup of rollups is again a
#: rollup (every value is a sum), which is what the ingest cache stores.
ROLLUP_KEYS = ("period", "a1", "a2", "is_root", "bad")
#: The sums of doubles (Goldstein, tone, and each times the mentions), each
#: carried exactly as four columns (:func:`exact_parts_sql`).
EXACT_SUMS = ("gsum", "tsum", "gm", "tm")
#: The four parts of an exact sum: a double part of multiples of 2**31, then
#: integer limbs of 2**0, 2**-32 and 2**-64.
EXACT_PARTS = ("hi", "l2", "l1", "l0")


def parts(name: str) -> tuple[str, ...]:
    """The four columns of an exact sum: ``gsum`` -> ``gsum_hi``, ``gsum_l2``, ``gsum_l1``, ``gsum_l0``."""
    return tuple(f"{name}_{p}" for p in EXACT_PARTS)


ROLLUP_SUMS = (
    "raw", "n", "q1", "q2", "q3", "q4",
    *parts("gsum"), "gnull", *parts("tsum"), "tnull", "msum",
    *parts("gm"), "mgnull", *parts("tm"), "mtnull",
)  # fmt: skip
ROLLUP_COLUMNS = ROLLUP_KEYS + ROLLUP_SUMS
#: The integer sums (kept BIGINT, so that rollups of any origin union cleanly).
_INT_SUMS = frozenset(
    {"raw", "n", "q1", "q2", "q3", "q4", "gnull", "tnull", "msum", "mgnull", "mtnull"}
    | {c for name in EXACT_SUMS for c in parts(name)[1:]}
)
#: 2**31, 2**32 and 2**52 as SQL literals (exact doubles).
_P31, _P32, _P52 = "2147483648.0", "4294967296.0", "4503599627370496.0"


#: How each SQL dialect truncates a double towards zero, as a double: DuckDB has
#: ``trunc``; Spark SQL's ``trunc`` is for dates, and its cast to BIGINT
#: truncates (DuckDB's rounds). Every truncated value here is below 2**32.
TRUNC: dict[str, str] = {"duckdb": "trunc({})", "spark": "CAST(CAST({} AS BIGINT) AS DOUBLE)"}
#: The SQL dialects the queries are written for.
DIALECTS: tuple[str, ...] = tuple(TRUNC)


def exact_parts_sql(value: str, name: str, dialect: str = "duckdb") -> tuple[str, str, str]:
    """Three nested projections that split a double into the parts of an exact sum.

    A double ``x`` with ``|x| < 2**52`` is ``hi + l2 + l1 * 2**-32 + l0 * 2**-64
    + rest``: ``hi`` the multiple of 2**31 that ``fmod(x, 2**31)`` leaves (a
    double; every sum of such values below 2**84 is exact in any order),
    ``l2``, ``l1``, ``l0`` integers below 2**32 in magnitude (their sums are
    exact integers), and ``rest`` below 2**-64, dropped. Every step is exact
    floating-point arithmetic (a product by a power of two, a truncation, the
    difference of a number and its truncation), so the compiled scanner,
    DuckDB and Spark split each row identically, and the sums, added in
    whatever order, are the same numbers. A value of 2**52 or more (an
    integer, far beyond any GDELT value) is carried whole in ``hi``.
    Returns the three projections, innermost first, each to be wrapped around
    the previous one (``SELECT *, ... FROM (...)``); their sums are
    :func:`exact_sums_sql`.
    """
    t = TRUNC[dialect].format
    r, f1, f2 = f"{name}_r", f"{name}_f1", f"{name}_f2"
    return (
        f"{value} AS {name}_x, CASE WHEN abs({value}) < {_P52} "
        f"THEN {value} - {t(f'{value} / {_P31}')} * {_P31} "
        f"WHEN abs({value}) >= {_P52} THEN 0.0 END AS {r}",  # (NULL stays NULL)
        f"{t(r)} AS {name}_t2, ({r} - {t(r)}) * {_P32} AS {f1}",
        f"{t(f1)} AS {name}_t1, ({f1} - {t(f1)}) * {_P32} AS {f2}",
    )


def exact_sums_sql(name: str, dialect: str = "duckdb") -> list[str]:
    """The aggregates of :func:`exact_parts_sql`'s parts (NULL when every value is)."""
    t = TRUNC[dialect].format
    hi, l2, l1, l0 = parts(name)
    return [
        f"sum({name}_x - {name}_r) AS {hi}",
        f"sum(CAST({name}_t2 AS BIGINT)) AS {l2}",
        f"sum(CAST({name}_t1 AS BIGINT)) AS {l1}",
        f"sum(CAST({t(f'{name}_f2')} AS BIGINT)) AS {l0}",
    ]


def exact_value_sql(name: str) -> str:
    """The double of an exact sum's parts (as :func:`series_sql` returns them).

    The same integers and multiples of 2**31 give the same double, so every
    reader's series agree bit for bit."""
    hi, l2, l1, l0 = parts(name)
    return (
        f"({hi} + (CAST({l2} AS DOUBLE) + (CAST({l1} AS DOUBLE) "
        f"+ CAST({l0} AS DOUBLE) / {_P32}) / {_P32}))"
    )


def _typed(column: str, expr: str) -> str:
    kind = "BIGINT" if column in _INT_SUMS else "DOUBLE"
    return f"CAST({expr} AS {kind}) AS {column}"


#: A dyad: two actor countries, both present and different.
PAIR = "a1 IS NOT NULL AND a2 IS NOT NULL AND a1 <> a2"


def period_sql(freq: str, column: str = "d") -> str:
    """The first day of the period of a date column (``day``: the date itself)."""
    return column if freq == "day" else f"CAST(date_trunc('{freq}', {column}) AS DATE)"


def _dedupe_sql(source: str, root_only: bool) -> str:
    """One row per date, actor pair and event code: the first by GLOBALEVENTID, ``raw`` rows behind it.

    Malformed rows, and non-root rows when only root events count, are not
    candidates to represent an event: they are grouped apart (the last key),
    where only their number counts (``raw``: they are malformed rows, or valid
    rows left out, whose values no series uses). One group-by, so the source
    is read once.
    """
    apart = "bad IS NOT NULL" + (" OR coalesce(r, 0) <> 1" if root_only else "")
    return (
        "SELECT min(id) AS id, d, a1, a2, min_by(r, id) AS r, code, min_by(q, id) AS q, "
        "min_by(g, id) AS g, min_by(m, id) AS m, min_by(t, id) AS t, bad, "
        f"count(*) AS raw FROM ({source}) GROUP BY d, a1, a2, code, bad, ({apart})"
    )


def rollup_sql(
    source: str,
    *,
    freq: str,
    dedupe: bool = False,
    root_only: bool = False,
    with_bad: bool = True,
    dialect: str = "duckdb",
) -> str:
    """The first stage: rows (cache columns plus ``bad``) to a rollup (:data:`ROLLUP_COLUMNS`).

    One group per period, actor pair, QuadClass, root flag (only when root
    events alone count) and malformed-file (only with 1.0 files: each key
    costs time on every row); the QuadClass is then spread into the counts
    ``q1``..``q4``. Rows that are not dyads (an actor country missing, or both
    the same) only count towards the period totals, so their actors and
    QuadClass are blanked and they collapse into a few groups. The sums over
    the dyad rows skip the others; the null counts let the second stage form
    means over non-missing values without a count per column. The sums of
    doubles are exact, in four parts each (:func:`exact_parts_sql`), so that
    they do not depend on the order of the rows. ``dialect`` is ``duckdb`` or
    ``spark`` (the SQL differs in one function, :data:`TRUNC`).
    """
    if dedupe:
        source = _dedupe_sql(source, root_only)
    keys = [
        f"{period_sql(freq)} AS period",
        f"CASE WHEN {PAIR} THEN a1 END AS a1",
        f"CASE WHEN {PAIR} THEN a2 END AS a2",
        f"CASE WHEN {PAIR} THEN q END AS q",
    ]
    if root_only:
        keys.append("coalesce(r, 0) = 1 AS is_root")
    if with_bad:
        keys.append("bad")
    on_pairs = f"FILTER (WHERE {PAIR})"
    sums = [
        "count(*) AS n",
        *exact_sums_sql("gsum", dialect),
        "count(*) FILTER (WHERE g IS NULL) AS gnull",
        *exact_sums_sql("tsum", dialect),
        "count(*) FILTER (WHERE t IS NULL) AS tnull",
        f"sum(m) {on_pairs} AS msum",
        *exact_sums_sql("gm", dialect),
        "sum(m) FILTER (WHERE g IS NULL) AS mgnull",
        *exact_sums_sql("tm", dialect),
        "sum(m) FILTER (WHERE t IS NULL) AS mtnull",
    ]
    if dedupe:
        sums.insert(0, "sum(raw) AS rawsum")
    # The sums of doubles are over the dyad rows only: the value is NULL on the
    # others (cheaper than a FILTER on each of the sixteen parts' sums).
    values = {"gsum": "g", "tsum": "t", "gm": "g * m", "tm": "t * m"}
    steps = [
        exact_parts_sql(f"CASE WHEN {PAIR} THEN {v} END", name, dialect)
        for name, v in values.items()
    ]
    for level in range(3):
        source = f"SELECT *, {', '.join(s[level] for s in steps)} FROM ({source})"
    grouped = (
        f"SELECT {', '.join(keys)}, {', '.join(sums)} FROM ({source}) "
        f"GROUP BY {', '.join(str(i + 1) for i in range(len(keys)))}"
    )
    fill = {
        "is_root": "is_root" if root_only else "true",
        "bad": "bad" if with_bad else "CAST(NULL AS STRING)",
        "raw": "rawsum" if dedupe else "n",
        **{f"q{k}": f"CASE WHEN q = {k} THEN n ELSE 0 END" for k in range(1, 5)},
    }
    cols = ", ".join(
        f"{fill.get(c, c)} AS {c}" if c in ROLLUP_KEYS else _typed(c, fill.get(c, c))
        for c in ROLLUP_COLUMNS
    )
    return f"SELECT {cols} FROM ({grouped})"


def regroup_sql(rollup: str, freq: str) -> str:
    """A rollup regrouped at a period (the same or coarser): every value column is a sum.

    Regrouping at the same period merges the groups that differed only by
    QuadClass (the first stage keys on it), which is how the cache's daily
    rollups are made compact.
    """
    keys = ", ".join(
        f"{period_sql(freq, 'period')} AS period" if k == "period" else k for k in ROLLUP_KEYS
    )
    sums = ", ".join(_typed(c, f"sum({c})") for c in ROLLUP_SUMS)
    return f"SELECT {keys}, {sums} FROM ({rollup}) GROUP BY ALL"


def series_sql(rollup: str, spec: EventAggregation) -> str:
    """The second stage: a rollup to status groups (what :func:`finish_sql` turns into the series).

    Status 0 is a dyad of the series, 1 another valid event (counts towards
    the period totals), 2 a row excluded as non-root, 3 a malformed row.
    Undirected pairs are ordered here, countries filtered and the QuadClass
    counts pivoted; means come back as sums and non-missing counts.
    """
    dyad = PAIR
    if spec.countries:
        inlist = ", ".join(sql_str(c) for c in spec.countries)
        dyad += f" AND a1 IN ({inlist}) AND a2 IN ({inlist})"
    x1, x2 = ("a1", "a2") if spec.directed else ("least(a1, a2)", "greatest(a1, a2)")
    not_root = "NOT is_root" if spec.root_only else "false"
    staged = f"""
        SELECT
            CASE WHEN bad IS NOT NULL THEN 3 WHEN {not_root} THEN 2
                 WHEN {dyad} THEN 0 ELSE 1 END AS st,
            {x1} AS x1, {x2} AS x2, *
        FROM ({rollup})
    """
    quads = ",\n".join(f"CAST(sum(q{k}) AS BIGINT) AS quad{k}" for k in range(1, 5))
    # the parts of the exact sums: the double part NULL when there is no value, the
    # limbs 0 then (never NULL, so that they stay integers on their way from Spark)
    exact = ",\n".join(
        f"sum({p}) AS {p}" if p.endswith("_hi") else f"CAST(coalesce(sum({p}), 0) AS BIGINT) AS {p}"
        for name in EXACT_SUMS
        for p in parts(name)
    )
    return f"""
        SELECT st, CASE WHEN st = 3 THEN bad END AS bad,
            CASE WHEN st <= 1 THEN period END AS period,
            CASE WHEN st = 0 THEN x1 END AS actor1,
            CASE WHEN st = 0 THEN x2 END AS actor2,
            CAST(sum(raw) AS BIGINT) AS raw,
            CAST(sum(n) AS BIGINT) AS events,
            {quads},
            {exact},
            CAST(sum(n) - sum(gnull) AS BIGINT) AS gn,
            CAST(sum(n) - sum(tnull) AS BIGINT) AS tn,
            CAST(sum(msum) AS BIGINT) AS msum,
            CAST(sum(msum) - coalesce(sum(mgnull), 0) AS BIGINT) AS mg,
            CAST(sum(msum) - coalesce(sum(mtnull), 0) AS BIGINT) AS mt
        FROM ({staged})
        GROUP BY 1, 2, 3, 4, 5
    """


def aggregation_sql(source: str, spec: EventAggregation, dialect: str = "duckdb") -> str:
    """The SQL of one aggregation over rows with the cache columns and ``bad``.

    Two group-bys (:func:`rollup_sql`, then :func:`series_sql` over its small
    result): one scan yields the series, the period totals and the row
    accounting. The SQL runs unchanged on DuckDB and Spark SQL (the Spark
    engine's entry point; the DuckDB engine plans over caches too, with
    :func:`rollup_sql` and :func:`series_sql` apart).
    """
    first = rollup_sql(
        source, freq=spec.freq, dedupe=spec.dedupe, root_only=spec.root_only, dialect=dialect
    )
    return series_sql(first, spec)


def finish_sql(groups: str) -> str:
    """Every status group (:func:`series_sql`, as a subquery) with the series' columns.

    Means are sums over non-missing counts (missing when there is none); the
    period total is the sum of the events with status 0 or 1 (every valid
    event of the period that counts); the share divides by it. Rows come
    ordered by status, so the series (status 0) is the first block, in
    period and pair order.
    """
    return f"""
        SELECT *, events / period_events AS share FROM (
            SELECT st, bad, raw, period, actor1, actor2, events, quad1, quad2, quad3, quad4,
                CAST({exact_value_sql("gsum")} AS DOUBLE) AS goldstein_sum,
                {exact_value_sql("gsum")} / nullif(gn, 0) AS goldstein_mean,
                {exact_value_sql("tsum")} / nullif(tn, 0) AS tone_mean,
                coalesce(msum, 0) AS mentions,
                {exact_value_sql("gm")} / nullif(mg, 0) AS goldstein_mention_mean,
                {exact_value_sql("tm")} / nullif(mt, 0) AS tone_mention_mean,
                CAST(sum(CASE WHEN st <= 1 THEN events ELSE 0 END)
                     OVER (PARTITION BY period) AS BIGINT) AS period_events
            FROM ({groups})
        ) ORDER BY st, period, actor1, actor2
    """
