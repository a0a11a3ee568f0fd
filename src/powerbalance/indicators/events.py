"""Cooperation–conflict indicators of dyadic event series (GDELT, CAMEO QuadClass, Goldstein).

The input is a dyad x period series as the engines return it
(:data:`powerbalance.engines.spec.OUTPUT_COLUMNS`). Every function is pure and
leaves missing as missing: a period in which the dyad has no event has a count
of zero but no mean Goldstein score.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np
import pandas as pd

from powerbalance.errors import FrameUnitError, UserError

__all__ = [
    "conflict_share",
    "dyad_series",
    "net_cooperation",
    "window_summary",
]

_QUADS = ("quad1", "quad2", "quad3", "quad4")
_REQUIRED = ("period", "actor1", "actor2", "events", "quad1", "quad2", "quad3", "quad4")


def _check(series: pd.DataFrame, required: tuple[str, ...] = _REQUIRED) -> None:
    missing = [c for c in required if c not in series.columns]
    if missing:
        raise FrameUnitError(
            f"not a dyad-period event series (missing {', '.join(missing)}); "
            "build one with `powerbalance events aggregate`"
        )


def net_cooperation(series: pd.DataFrame) -> pd.Series:
    """Net cooperation of each dyad-period: (cooperative - conflictual events) / events.

    Notes
    -----
    .. math:: c = \\frac{(q_1 + q_2) - (q_3 + q_4)}{q_1 + q_2 + q_3 + q_4}

    with :math:`q_k` the event count of QuadClass *k*; :math:`c \\in [-1, 1]`,
    missing (NaN) when the dyad has no event in the period.

    Examples
    --------
    >>> df = pd.DataFrame({"period": ["2024-01-01"] * 2, "actor1": ["CHN", "CHN"],
    ...     "actor2": ["RUS", "USA"], "events": [10, 4], "quad1": [6, 1], "quad2": [2, 0],
    ...     "quad3": [1, 2], "quad4": [1, 1]})
    >>> net_cooperation(df).tolist()
    [0.6, -0.5]
    """
    _check(series, _QUADS)
    quads = series[["quad1", "quad2", "quad3", "quad4"]].to_numpy(dtype=float)
    total = quads.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = (quads[:, 0] + quads[:, 1] - quads[:, 2] - quads[:, 3]) / total
    value[total == 0] = np.nan
    return pd.Series(value, index=series.index, name="net_cooperation")


def conflict_share(series: pd.DataFrame, *, material_only: bool = False) -> pd.Series:
    """Share of a dyad-period's events that are conflictual (QuadClass 3-4, or 4 only).

    Examples
    --------
    >>> df = pd.DataFrame({"period": ["2024-01-01"], "actor1": ["CHN"], "actor2": ["USA"],
    ...     "events": [4], "quad1": [1], "quad2": [0], "quad3": [2], "quad4": [1]})
    >>> conflict_share(df).tolist(), conflict_share(df, material_only=True).tolist()
    ([0.75], [0.25])
    """
    _check(series, _QUADS)
    quads = series[["quad1", "quad2", "quad3", "quad4"]].to_numpy(dtype=float)
    total = quads.sum(axis=1)
    num = quads[:, 3] if material_only else quads[:, 2] + quads[:, 3]
    with np.errstate(invalid="ignore", divide="ignore"):
        value = num / total
    value[total == 0] = np.nan
    return pd.Series(value, index=series.index, name="conflict_share")


def dyad_series(series: pd.DataFrame, a: str, b: str, *, directed: bool = False) -> pd.DataFrame:
    """The rows of one dyad over every period of the series, zero-filled counts, missing means.

    Periods in which the series has events for some dyad but none for this one
    get zero counts and missing (NaN) means; periods outside the series stay absent.

    Parameters
    ----------
    series
        A dyad-period series.
    a, b
        The two countries. For an undirected series the order does not matter.
    directed
        Keep only ``a -> b`` rows (the series must have been aggregated directed).
    """
    _check(series)
    a, b = a.upper(), b.upper()
    if a == b:
        raise UserError("a dyad needs two different countries")
    if directed:
        mask = (series["actor1"] == a) & (series["actor2"] == b)
    else:
        mask = ((series["actor1"] == a) & (series["actor2"] == b)) | (
            (series["actor1"] == b) & (series["actor2"] == a)
        )
    rows = series[mask]
    if len(rows) and not directed and rows.duplicated("period").any():
        # A directed series queried undirected: add the two directions per period.
        rows = _combine_directions(rows)
    periods = pd.Index(sorted(series["period"].unique()), name="period")
    out = rows.set_index("period").reindex(periods)
    counts = [c for c in ("events", "quad1", "quad2", "quad3", "quad4", "mentions") if c in out]
    out[counts] = out[counts].fillna(0).astype("int64")
    first, second = (a, b) if directed else tuple(sorted((a, b)))
    out["actor1"], out["actor2"] = first, second
    return out.reset_index()


def _combine_directions(rows: pd.DataFrame) -> pd.DataFrame:
    sums = [
        c
        for c in ("events", "quad1", "quad2", "quad3", "quad4", "mentions", "goldstein_sum")
        if c in rows
    ]
    g = rows.groupby("period", as_index=False)[sums].sum()
    if "goldstein_sum" in g:
        g["goldstein_mean"] = g["goldstein_sum"] / g["events"].where(g["events"] > 0)
    first = rows.groupby("period", as_index=False).first()
    for col in ("actor1", "actor2", "period_events"):
        if col in first:
            g[col] = first[col].to_numpy()
    if "period_events" in g:
        g["share"] = g["events"] / g["period_events"]
    return g


def window_summary(
    series: pd.DataFrame,
    *,
    start: date | str | None = None,
    end: date | str | None = None,
    dyads: Iterable[tuple[str, str]] | None = None,
) -> pd.DataFrame:
    """Pool each dyad's periods within ``[start, end]`` into one row.

    Returns
    -------
    pandas.DataFrame
        One row per dyad: ``events``, ``quad1``-``quad4``, ``goldstein_mean``
        (the event-weighted mean :math:`\\sum g / n`), ``goldstein_mention_mean``
        when mentions are present, ``net_cooperation``, ``periods``, ``first`` and ``last``.

    Examples
    --------
    >>> df = pd.DataFrame({"period": pd.to_datetime(["2024-01-01", "2024-02-01"]),
    ...     "actor1": ["CHN", "CHN"], "actor2": ["USA", "USA"], "events": [4, 6],
    ...     "quad1": [1, 5], "quad2": [0, 1], "quad3": [2, 0], "quad4": [1, 0],
    ...     "goldstein_sum": [-8.0, 18.0]})
    >>> window_summary(df)[["events", "goldstein_mean", "net_cooperation"]].iloc[0].tolist()
    [10.0, 1.0, 0.4]
    """
    _check(series)
    df = series
    if start is not None:
        df = df[pd.to_datetime(df["period"]) >= pd.Timestamp(start)]
    if end is not None:
        df = df[pd.to_datetime(df["period"]) <= pd.Timestamp(end)]
    if dyads is not None:
        keys = {tuple(sorted((x.upper(), y.upper()))) for x, y in dyads}
        pair = [tuple(sorted(p)) for p in zip(df["actor1"], df["actor2"], strict=True)]
        df = df[[p in keys for p in pair]]
    sums = [
        c
        for c in ("events", "quad1", "quad2", "quad3", "quad4", "goldstein_sum", "mentions")
        if c in df
    ]
    grouped = df.assign(_p=pd.to_datetime(df["period"])).groupby(["actor1", "actor2"])
    out = grouped[sums].sum().astype(float)
    out["periods"] = grouped.size()
    out["first"] = grouped["_p"].min()
    out["last"] = grouped["_p"].max()
    if "goldstein_sum" in out:
        out["goldstein_mean"] = out["goldstein_sum"] / out["events"].where(out["events"] > 0)
    if {"goldstein_mention_mean", "mentions"} <= set(df.columns):
        weighted = (
            (df["goldstein_mention_mean"] * df["mentions"])
            .groupby([df["actor1"], df["actor2"]])
            .sum(min_count=1)
        )
        out["goldstein_mention_mean"] = weighted / out["mentions"].where(out["mentions"] > 0)
    out["net_cooperation"] = net_cooperation(out.reset_index()).to_numpy()
    return out.reset_index()
