"""Relations derived from event data: a dyad's cooperation–conflict series to a signed weight.

The rule (``events-goldstein-v1``), for a dyad of states A and B and a window
of periods of an event series (both directions pooled):

1. **Volume.** ``n`` is the number of events between A and B in the window.
   With fewer than ``min_events`` events the data cannot say: the relation has
   sign 0 and strength 0 (and says so in its components).
2. **Tone of the tie.** ``G`` is the event-weighted mean Goldstein score,
   :math:`G = \\sum_i g_i / n`, in [-10, +10] (Goldstein 1992), or the
   mention-weighted mean :math:`\\sum_i g_i m_i / \\sum_i m_i` with
   ``weighting="mentions"``, which lets widely reported events count more.
3. **Weight.** :math:`w = (G - c) / 10`, clipped to [-1, 1], where ``c`` is a
   baseline (default 0). GDELT's news-based coding leans cooperative (verbal
   statements dominate), so a baseline such as the mean Goldstein score of all
   dyads of the same series (``baseline="series"``) shows which ties are
   worse or better than usual instead of whether they are hostile at all.
4. **Sign** is the sign of ``w`` when :math:`|w| \\ge` ``dead_band`` (default 0.02,
   a fifth of a Goldstein point), else 0; **strength** is :math:`|w|`.

The components keep ``n``, ``G``, the QuadClass counts, the net cooperation
:math:`((q_1+q_2)-(q_3+q_4))/n` and the baseline, so the arithmetic can be redone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pyarrow.lib import ArrowException

from powerbalance.actors import TRIANGLE
from powerbalance.errors import InputFileError, UserError
from powerbalance.indicators.events import window_summary
from powerbalance.relations.base import Relation

__all__ = [
    "RULE",
    "derive_event_relation",
    "derive_event_relations",
    "relations_from_parquet",
]

RULE = "events-goldstein-v1"


def _baseline(summary: pd.DataFrame, baseline: float | str, weighting: str) -> float:
    if isinstance(baseline, (int, float)):
        return float(baseline)
    if baseline != "series":
        raise UserError(f"baseline must be a number or 'series', got '{baseline}'")
    if weighting == "mentions":
        w = summary["mentions"]
        return float((summary["goldstein_mention_mean"] * w).sum() / w.sum())
    return float(summary["goldstein_sum"].sum() / summary["events"].sum())


def derive_event_relation(
    series: pd.DataFrame,
    a: str,
    b: str,
    *,
    start: date | str | None = None,
    end: date | str | None = None,
    min_events: int = 30,
    weighting: Literal["events", "mentions"] = "events",
    baseline: float | str = 0.0,
    dead_band: float = 0.02,
) -> Relation:
    """The event-derived relation between ``a`` and ``b`` over ``[start, end]`` (rule above).

    Parameters
    ----------
    series
        A dyad-period series from :func:`powerbalance.engines.duckdb_engine.aggregate_events`
        (directed or undirected; directions are pooled).
    a, b
        Country codes (CAMEO/ISO3: ``USA``, ``RUS``, ``CHN``).
    start, end
        The window of periods (inclusive); default: the whole series.
    min_events
        Below this many events the relation is unsigned (sign 0, strength 0).
    weighting
        ``events`` (each event counts once) or ``mentions``.
    baseline
        A Goldstein value to subtract, or ``"series"`` for the mean of every dyad in ``series``.
    dead_band
        Weights smaller than this in magnitude get sign 0.

    Returns
    -------
    Relation
        Channel ``events``, rule ``events-goldstein-v1``.

    Examples
    --------
    >>> df = pd.DataFrame({"period": pd.to_datetime(["2024-01-01", "2024-02-01"]),
    ...     "actor1": ["CHN", "CHN"], "actor2": ["USA", "USA"], "events": [40, 60],
    ...     "quad1": [10, 20], "quad2": [0, 5], "quad3": [20, 25], "quad4": [10, 10],
    ...     "goldstein_sum": [-80.0, -70.0]})
    >>> r = derive_event_relation(df, "USA", "CHN")
    >>> r.sign, r.strength, r.components["goldstein_mean"], r.components["net_cooperation"]
    (-1, 0.15, -1.5, -0.3)

    References
    ----------
    Goldstein, J. S. (1992). A conflict-cooperation scale for WEIS events data.
    Journal of Conflict Resolution 36(2):369-385. doi:10.1177/0022002792036002007
    """
    if min_events < 1:
        raise UserError("min_events must be at least 1")
    if weighting not in ("events", "mentions"):
        raise UserError(f"weighting must be 'events' or 'mentions', got '{weighting}'")
    if weighting == "mentions" and "goldstein_mention_mean" not in series:
        raise UserError(
            "the series has no mention-weighted Goldstein means; use weighting='events'"
        )
    a, b = a.upper(), b.upper()
    summary = window_summary(series, start=start, end=end)
    if summary.empty:
        raise UserError("the event series has no dyad in the window; widen --start/--end")
    pair = summary[
        ((summary["actor1"] == a) & (summary["actor2"] == b))
        | ((summary["actor1"] == b) & (summary["actor2"] == a))
    ]
    label = _period_label(summary, start, end)
    components: dict[str, float] = {"min_events": float(min_events)}
    n = float(pair["events"].sum()) if len(pair) else 0.0
    components["events"] = n
    if n < min_events:
        components["insufficient"] = 1.0
        return Relation(a, b, 0, 0.0, "events", RULE, label, components, ())
    quads = pair[["quad1", "quad2", "quad3", "quad4"]].sum()
    for k in range(1, 5):
        components[f"quad{k}"] = float(quads[f"quad{k}"])
    components["net_cooperation"] = float(
        (quads["quad1"] + quads["quad2"] - quads["quad3"] - quads["quad4"]) / n
    )
    if weighting == "mentions":
        m = pair["mentions"].sum()
        g = float((pair["goldstein_mention_mean"] * pair["mentions"]).sum() / m)
        components["mentions"] = float(m)
        components["goldstein_mention_mean"] = g
    else:
        g = float(pair["goldstein_sum"].sum() / n)
        components["goldstein_mean"] = g
    c = _baseline(summary, baseline, weighting)
    components["baseline"] = c
    w = float(np.clip((g - c) / 10.0, -1.0, 1.0))
    components["weight"] = w
    sign = 0 if abs(w) < dead_band else (1 if w > 0 else -1)
    evidence = tuple(
        f"events:{x}-{y}:{label}" for x, y in zip(pair["actor1"], pair["actor2"], strict=True)
    )
    return Relation(a, b, sign, round(abs(w), 12), "events", RULE, label, components, evidence)


def _period_label(summary: pd.DataFrame, start: date | str | None, end: date | str | None) -> str:
    first = pd.Timestamp(start) if start is not None else summary["first"].min()
    last = pd.Timestamp(end) if end is not None else summary["last"].max()
    return f"{first:%Y-%m-%d}/{last:%Y-%m-%d}"


def derive_event_relations(
    series: pd.DataFrame,
    actors: Sequence[str] = TRIANGLE,
    **options: object,
) -> list[Relation]:
    """Event-derived relations for every pair of ``actors`` (default: the USA–Russia–China triangle).

    Options are those of :func:`derive_event_relation`.
    """
    if len(set(actors)) < 2:
        raise UserError("give at least two actors")
    return [
        derive_event_relation(series, a, b, **options)  # type: ignore[arg-type]
        for a, b in combinations(actors, 2)
    ]


def relations_from_parquet(
    path: str | Path,
    *,
    actors: str | Sequence[str] = TRIANGLE,
    baseline: float | str = 0.0,
    **options: Any,
) -> list[Relation]:
    """Read a series written by ``events aggregate --out`` and derive the event relations.

    ``actors`` may be a comma-separated string; ``baseline`` may be a number
    given as text. Other options are those of :func:`derive_event_relation`.
    """
    p = Path(path)
    if not p.is_file():
        raise InputFileError(str(p), "no such file", hint="write one with `events aggregate --out`")
    try:
        series = pd.read_parquet(p)
    except (ArrowException, OSError, ValueError) as exc:
        raise InputFileError(str(p), f"not a readable Parquet file ({exc})") from None
    if isinstance(actors, str):
        actors = [a.strip().upper() for a in actors.split(",") if a.strip()]
    if isinstance(baseline, str) and baseline != "series":
        try:
            baseline = float(baseline)
        except ValueError:
            raise UserError(f"--baseline must be a number or 'series', got '{baseline}'") from None
    return derive_event_relations(series, actors, baseline=baseline, **options)
