"""The aggregation both engines run: GDELT events to a dyad x period cooperation–conflict series.

One :class:`EventAggregation` describes the request; :data:`OUTPUT_COLUMNS` is
the result's schema, identical for every engine; :class:`AggregateResult`
carries the frame with the closing summary (files, rows read, used, rejected).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from powerbalance.datasets.gdelt import RejectedRow
from powerbalance.errors import UserError

__all__ = [
    "ENGINES",
    "FREQUENCIES",
    "OUTPUT_COLUMNS",
    "AggregateResult",
    "EventAggregation",
    "MalformedRows",
    "UnknownEngine",
    "run_aggregation",
    "split_finished",
    "write_parquet",
]

Frequency = Literal["day", "week", "month", "year"]
FREQUENCIES: tuple[str, ...] = ("day", "week", "month", "year")
#: The engines :func:`run_aggregation` runs, the default first.
ENGINES: tuple[str, ...] = ("duckdb", "spark")

#: Columns of an aggregated series, in order. ``period`` is the first day of the
#: period (weeks start on Monday, ISO 8601).
OUTPUT_COLUMNS: tuple[str, ...] = (
    "period",
    "actor1",
    "actor2",
    "events",
    "quad1",
    "quad2",
    "quad3",
    "quad4",
    "goldstein_sum",
    "goldstein_mean",
    "tone_mean",
    "mentions",
    "goldstein_mention_mean",
    "tone_mention_mean",
    "period_events",
    "share",
)

INTEGER_COLUMNS = ("events", "quad1", "quad2", "quad3", "quad4", "mentions", "period_events")


class UnknownEngine(UserError):
    """An engine name other than ``duckdb`` or ``spark``."""


class MalformedRows(UserError):
    """``--strict`` was given and a row is malformed."""


def _country(code: str) -> str:
    c = code.strip().upper()
    if not (len(c) == 3 and c.isalpha()):
        raise UserError(
            f"'{code}' is not a CAMEO country code; use three letters such as USA, CHN, RUS"
        )
    return c


@dataclass(frozen=True)
class EventAggregation:
    """What to aggregate: the period, the actor countries and the counting options.

    Parameters
    ----------
    freq
        ``day``, ``week`` (ISO weeks, starting Monday), ``month`` or ``year``.
    countries
        Keep dyads whose two countries are both in this set; ``None`` keeps all dyads.
    directed
        Keep ``actor1 -> actor2`` apart from ``actor2 -> actor1``; otherwise a dyad is
        the unordered pair, reported with ``actor1 < actor2``.
    root_only
        Use only events GDELT marks as root events (``IsRootEvent = 1``).
    dedupe
        Keep one event per date, actor-country pair (in reported order) and event
        code: the one with the smallest ``GLOBALEVENTID``.

    Examples
    --------
    >>> EventAggregation(freq="month", countries=("usa", "CHN")).countries
    ('CHN', 'USA')
    """

    freq: Frequency = "month"
    countries: tuple[str, ...] | None = None
    directed: bool = False
    root_only: bool = False
    dedupe: bool = False

    def __post_init__(self) -> None:
        if self.freq not in FREQUENCIES:
            raise UserError(f"unknown frequency '{self.freq}'; use one of {', '.join(FREQUENCIES)}")
        if self.countries is not None:
            cs = tuple(sorted({_country(c) for c in self.countries}))
            if len(cs) < 2:
                raise UserError("give at least two countries, e.g. --countries USA,CHN,RUS")
            object.__setattr__(self, "countries", cs)

    @classmethod
    def parse_countries(cls, text: str | Iterable[str] | None) -> tuple[str, ...] | None:
        """``"USA,CHN,RUS"`` -> ``('USA', 'CHN', 'RUS')``; empty -> None."""
        if text is None:
            return None
        items = text.split(",") if isinstance(text, str) else list(text)
        items = [i for i in (s.strip() for s in items) if i]
        return tuple(items) or None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class AggregateResult:
    """An aggregated series and the account of the rows behind it."""

    frame: pd.DataFrame
    spec: EventAggregation
    engine: str
    files: int
    rows_read: int
    rows_valid: int
    rows_used: int
    rows_rejected: int
    rejects: list[RejectedRow] = field(default_factory=list)
    rejects_by_file: dict[str, int] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    output: str | None = None
    #: Rows read by the compiled scanner (the rest of ``rows_read`` by the engine's own reader).
    rows_scanned: int = 0

    @property
    def empty(self) -> bool:
        return self.frame.empty

    def summary(self) -> dict[str, Any]:
        """The closing summary as plain data (for ``--json`` and logs)."""
        return {
            "engine": self.engine,
            "files": self.files,
            "versions": self.versions,
            "rows_read": self.rows_read,
            "rows_valid": self.rows_valid,
            "rows_used": self.rows_used,
            "rows_rejected": self.rows_rejected,
            "rows_scanned": self.rows_scanned,
            "rejected_by_file": self.rejects_by_file,
            "reject_samples": [str(r) for r in self.rejects],
            "dyad_periods": len(self.frame),
            "seconds": round(self.seconds, 3),
            "output": self.output,
            "spec": self.spec.to_dict(),
        }


def finish_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Put an engine's raw result in the common schema: column order and dtypes.

    The rows come sorted by period and pair from the engines' shared finishing
    SQL (:func:`powerbalance.engines.sql.finish_sql`).
    """
    df = df.loc[:, list(OUTPUT_COLUMNS)].copy()
    # Seconds, not nanoseconds: a valid date of any year (GDELT's SQLDATE is
    # only checked to be a calendar day) fits, where nanoseconds end in 2262.
    df["period"] = pd.to_datetime(df["period"]).astype("datetime64[s]")
    for c in INTEGER_COLUMNS:
        df[c] = df[c].astype("int64")
    for c in OUTPUT_COLUMNS:
        if c not in INTEGER_COLUMNS and c not in ("period", "actor1", "actor2"):
            df[c] = df[c].astype("float64")
    df["actor1"] = df["actor1"].astype(object)
    df["actor2"] = df["actor2"].astype(object)
    return df.reset_index(drop=True)


def split_finished(df: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int], dict[str, int]]:
    """The series, the row accounting and the malformed rows per file, from the finishing query.

    ``df`` is the result of :func:`powerbalance.engines.sql.finish_sql`.

    Both engines finish with the same SQL and this split, so the arithmetic
    after the scan is one and the same: valid rows are those of status 0-2,
    malformed rows status 3, events used status 0.
    """
    st = df["st"].to_numpy()
    raw = df["raw"].to_numpy()
    events = df["events"].to_numpy()
    counts = {
        "valid": int(raw[st <= 2].sum()),
        "malformed": int(raw[st == 3].sum()),
        "used": int(events[st == 0].sum()),
    }
    bad_files: dict[str, int] = {}
    for bad, n in zip(df["bad"][st == 3], raw[st == 3], strict=True):
        bad_files[str(bad)] = bad_files.get(str(bad), 0) + int(n)
    frame = finish_frame(df.iloc[: int((st == 0).sum())])
    return frame, counts, bad_files


def write_parquet(frame: pd.DataFrame, out: str | Path) -> Path:
    """Write an aggregated series to Parquet (creating the folder)."""
    p = Path(out)
    if p.suffix.lower() != ".parquet":
        raise UserError(f"--out must name a .parquet file, got '{p}'")
    p.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(p, index=False)
    return p


def run_aggregation(
    paths: Any,
    spec: EventAggregation | None = None,
    *,
    engine: str = "duckdb",
    master: str = "local[2]",
    strict: bool = False,
    out: str | Path | None = None,
    sample_limit: int = 5,
    threads: int | None = None,
    memory_limit: str | None = None,
    reader: str = "auto",
    progress: Callable[[float], None] | None = None,
) -> AggregateResult:
    """Run an event aggregation on the named engine (:data:`ENGINES`: ``duckdb`` or ``spark``).

    This is the one place that chooses an engine by name. The engines are
    imported lazily, so choosing DuckDB never imports PySpark. ``strict``,
    ``out`` and ``sample_limit`` apply to both engines; ``master`` to Spark
    only; ``threads``, ``memory_limit``, ``reader`` and ``progress`` (called
    with the fraction done, 0..1) to DuckDB only, and Spark ignores them
    (see :func:`powerbalance.engines.duckdb_engine.aggregate_events`).

    Raises
    ------
    UnknownEngine
        When ``engine`` is neither ``duckdb`` nor ``spark``.
    """
    if engine == "duckdb":
        from powerbalance.engines.duckdb_engine import aggregate_events

        return aggregate_events(
            paths,
            spec,
            strict=strict,
            out=out,
            sample_limit=sample_limit,
            threads=threads,
            memory_limit=memory_limit,
            reader=reader,
            progress=progress,
        )
    if engine == "spark":
        from powerbalance.engines.spark_engine import aggregate_events_spark

        return aggregate_events_spark(
            paths, spec, master=master, strict=strict, out=out, sample_limit=sample_limit
        )
    raise UnknownEngine(f"unknown engine '{engine}'; use duckdb (default) or spark")
