"""The use cases of ``powerbalance events``: GDELT exports to dyad x period series and relations.

One function per action, each returning the library's result or a dataclass;
the command line (and the dashboard and report, for :func:`event_series`)
only format what they get:

- :func:`ingest`: validate exports once into a Parquet cache (:class:`IngestSummary`);
- :func:`aggregate`: a dyad x period series on DuckDB or Spark
  (:class:`~powerbalance.engines.spec.AggregateResult`);
- :func:`synth`: a synthetic export for benchmarks and tests
  (:class:`~powerbalance.datasets.gdelt_synth.SynthSummary`);
- :func:`relate`: signed relations from a written series
  (:class:`~powerbalance.relations.base.Relation`);
- :func:`event_series`: each dyad's net cooperation per period and the
  relations of an aggregated series file (:class:`EventSeries`).

The choice of engine by name happens in the engines layer
(:func:`powerbalance.engines.spec.run_aggregation`), not here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date
from pathlib import Path
from typing import Any, cast

import pandas as pd
from pyarrow.lib import ArrowException

from powerbalance.actors import TRIANGLE
from powerbalance.datasets.gdelt_synth import SynthSummary, synthesize
from powerbalance.engines.spec import (
    OUTPUT_COLUMNS,
    AggregateResult,
    EventAggregation,
    Frequency,
    run_aggregation,
)
from powerbalance.errors import InputFileError, UserError
from powerbalance.indicators.events import dyad_series, net_cooperation
from powerbalance.relations.base import Relation
from powerbalance.relations.events import derive_event_relations, relations_from_parquet

__all__ = [
    "DyadPoint",
    "DyadSeries",
    "EventSeries",
    "IngestSummary",
    "aggregate",
    "event_series",
    "ingest",
    "relate",
    "synth",
]

#: Called with the fraction of the work done (0..1).
Fraction = Callable[[float], None]

#: The columns an event series file must have for :func:`event_series` (those of
#: ``events aggregate --out`` that the dyad series and the relation rule read).
SERIES_COLUMNS = OUTPUT_COLUMNS[: OUTPUT_COLUMNS.index("goldstein_sum") + 1]
_WRITE_ONE = "write one with `powerbalance events aggregate FILES --out SERIES.parquet`"


# --- ingest ------------------------------------------------------------------------------


@dataclass(frozen=True)
class IngestSummary:
    """What ``events ingest`` wrote: the cache folder and the account of the rows.

    :meth:`to_dict` is the cache's ``ingest.json`` (the same keys, in order).
    """

    cache: str
    files: int
    versions: dict[str, int]
    rows_read: int
    rows_written: int
    rows_rejected: int
    rejected_by_file: dict[str, int]
    reject_samples: list[str]
    seconds: float
    format: str
    version: int
    rollups: list[str]

    @classmethod
    def from_dict(cls, summary: dict[str, Any]) -> IngestSummary:
        return cls(**{f.name: summary[f.name] for f in fields(cls)})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def ingest(
    files: Sequence[str | Path],
    out: str | Path,
    *,
    strict: bool = False,
    threads: int | None = None,
    progress: Fraction | None = None,
) -> IngestSummary:
    """Validate GDELT exports once and write the Parquet cache that :func:`aggregate` reads.

    See :func:`powerbalance.engines.duckdb_engine.ingest_events` (imported
    here, when asked for, so that importing this module does not load DuckDB).
    """
    from powerbalance.engines.duckdb_engine import ingest_events

    summary = ingest_events(files, out, strict=strict, threads=threads, progress=progress)
    return IngestSummary.from_dict(summary)


# --- aggregate ---------------------------------------------------------------------------


def aggregate(
    files: Sequence[str | Path],
    *,
    freq: str = "month",
    countries: str | Sequence[str] | None = None,
    directed: bool = False,
    root_only: bool = False,
    dedupe: bool = False,
    engine: str = "duckdb",
    master: str = "local[2]",
    out: str | Path | None = None,
    strict: bool = False,
    reader: str = "auto",
    threads: int | None = None,
    progress: Fraction | None = None,
) -> AggregateResult:
    """Aggregate GDELT exports (or ingest caches) to a dyad x period series.

    ``countries`` is a list or a comma-separated text (``"USA,CHN,RUS"``).
    ``engine`` is ``duckdb`` or ``spark``; ``reader``, ``threads`` and
    ``progress`` apply to DuckDB, ``master`` to Spark
    (:func:`powerbalance.engines.spec.run_aggregation`).
    """
    spec = EventAggregation(
        freq=cast(Frequency, freq),
        countries=EventAggregation.parse_countries(countries),
        directed=directed,
        root_only=root_only,
        dedupe=dedupe,
    )
    return run_aggregation(
        files,
        spec,
        engine=engine,
        master=master,
        strict=strict,
        out=out,
        reader=reader,
        threads=threads,
        progress=progress,
    )


# --- synth -------------------------------------------------------------------------------


def synth(
    out: str | Path,
    *,
    rows: int = 100_000,
    version: int = 2,
    malformed: int = 0,
    seed: int = 0,
    start: str | date = "2024-01-01",
    days: int = 366,
    progress: Callable[[int, int], None] | None = None,
) -> SynthSummary:
    """Write a synthetic GDELT export (``start`` a date or ``YYYY-MM-DD``).

    See :func:`powerbalance.datasets.gdelt_synth.synthesize`; ``progress`` is
    called with (rows written, rows).
    """
    if isinstance(start, str):
        try:
            first = date.fromisoformat(start)
        except ValueError:
            raise UserError(f"--start must be a date like 2024-01-01, got '{start}'") from None
    else:
        first = start
    return synthesize(
        out,
        rows=rows,
        version=version,
        seed=seed,
        malformed=malformed,
        start=first,
        days=days,
        progress=progress,
    )


# --- relate ------------------------------------------------------------------------------


def relate(
    series: str | Path,
    *,
    actors: str | Sequence[str] = TRIANGLE,
    start: str | None = None,
    end: str | None = None,
    min_events: int = 30,
    weighting: str = "events",
    baseline: float | str = 0.0,
) -> list[Relation]:
    """Signed relations (channel ``events``, rule ``events-goldstein-v1``) from a written series.

    See :func:`powerbalance.relations.events.relations_from_parquet`.
    """
    return relations_from_parquet(
        series,
        actors=actors,
        start=start,
        end=end,
        min_events=min_events,
        weighting=weighting,
        baseline=baseline,
    )


# --- event series of a file (dashboard and report) ----------------------------------------


def _number(value: Any) -> float | None:
    """A finite float, or None (missing is not zero)."""
    x = float(value)
    return None if math.isnan(x) or math.isinf(x) else x


def _json_ready(obj: Any) -> Any:
    """Floats that are not finite become None, tuples lists, numpy scalars Python's."""
    if isinstance(obj, dict):
        return {str(k): _json_ready(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_json_ready(v) for v in obj]
    if isinstance(obj, bool) or obj is None or isinstance(obj, str):
        return obj
    if isinstance(obj, float):
        return _number(obj)
    if isinstance(obj, int):
        return int(obj)
    if hasattr(obj, "item"):  # a numpy scalar
        return _json_ready(obj.item())
    return obj


@dataclass(frozen=True)
class DyadPoint:
    """One period of a dyad: its net cooperation (None without events) and event count."""

    period: date
    net_cooperation: float | None
    events: int

    def to_dict(self) -> dict[str, Any]:
        day = self.period.isoformat()
        return {
            "x": day,
            "value": self.net_cooperation,
            "events": self.events,
            "period": day,
            "claim": f"{self.events} events",
        }


@dataclass(frozen=True)
class DyadSeries:
    """A pair of actors over every period of the series (zero events where it has none)."""

    a: str
    b: str
    points: tuple[DyadPoint, ...]

    @property
    def label(self) -> str:
        return f"{self.a}–{self.b}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "label": self.label,
            "points": [p.to_dict() for p in self.points],
        }


@dataclass(frozen=True)
class EventSeries:
    """An aggregated event series file: per pair of actors its dyad series and relation."""

    file: str
    rows: int
    dyads: tuple[DyadSeries, ...]
    relations: tuple[Relation, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``file``, ``rows``, ``dyads`` (``a``, ``b``, ``label``, ``points``
        with ``x``, ``value``, ``events``, ``period``, ``claim``) and ``relations``."""
        return {
            "file": self.file,
            "rows": self.rows,
            "dyads": [d.to_dict() for d in self.dyads],
            "relations": [_json_ready(r.to_dict()) for r in self.relations],
        }


def _read_series(path: str | Path) -> pd.DataFrame:
    """The series in a Parquet file, or an :class:`InputFileError` naming the file."""
    p = Path(path)
    if not p.exists():
        raise InputFileError(str(path), "no such file", hint=_WRITE_ONE)
    try:
        series = pd.read_parquet(p)
    except (ArrowException, OSError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputFileError(
            str(path), f"not a readable Parquet file ({first})", hint=_WRITE_ONE
        ) from None
    missing = [c for c in SERIES_COLUMNS if c not in series.columns]
    if missing:
        raise InputFileError(
            str(path),
            f"not an event series: it has no column {', '.join(missing)}",
            hint=_WRITE_ONE,
        )
    for column in SERIES_COLUMNS[3:]:
        if not pd.api.types.is_numeric_dtype(series[column]):
            raise InputFileError(
                str(path),
                "not an event series: the column holds values that are not numbers",
                field=column,
                hint=_WRITE_ONE,
            )
    try:
        if not pd.api.types.is_datetime64_any_dtype(series["period"]):
            pd.to_datetime(series["period"], format="mixed")
    except (ValueError, TypeError, OverflowError):
        raise InputFileError(
            str(path),
            "not an event series: the periods are not dates",
            field="period",
            hint=_WRITE_ONE,
        ) from None
    if series.empty:
        raise InputFileError(str(path), "the event series has no rows", hint=_WRITE_ONE)
    return series


def event_series(path: str | Path, actors: Sequence[str] = TRIANGLE) -> EventSeries:
    """Dyad series of an aggregated event file (``events aggregate --out``) and their relations.

    For each pair of ``actors`` (in order: the first with each later one):
    the net cooperation and the event count of every period of the file
    (:func:`powerbalance.indicators.events.dyad_series` and
    :func:`~powerbalance.indicators.events.net_cooperation`), and the
    event-derived relation
    (:func:`powerbalance.relations.events.derive_event_relations`, rule
    ``events-goldstein-v1`` with its defaults).

    Raises
    ------
    InputFileError
        When the file is missing, not a readable Parquet file, not an event
        series (a column missing or of the wrong kind) or empty.
    UserError
        When ``actors`` holds fewer than two different countries.
    """
    names = tuple(a.strip().upper() for a in actors)
    if len(names) < 2 or len(set(names)) != len(names) or not all(names):
        raise UserError(
            f"give two or more different actor countries, e.g. {','.join(TRIANGLE)}; "
            f"got '{','.join(actors)}'"
        )
    series = _read_series(path)
    dyads = []
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            rows = dyad_series(series, a, b)
            net = net_cooperation(rows)
            points = tuple(
                DyadPoint(pd.Timestamp(p).date(), _number(v), int(n))
                for p, v, n in zip(rows["period"], net, rows["events"], strict=True)
            )
            dyads.append(DyadSeries(a, b, points))
    relations = tuple(derive_event_relations(series, names))
    return EventSeries(str(path), len(series), tuple(dyads), relations)
