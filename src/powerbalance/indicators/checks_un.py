"""Checks of claims about UN General Assembly votes."""

from __future__ import annotations

from typing import Any

import pandas as pd

from powerbalance.datasets.codes import to_cow
from powerbalance.datasets.registry import DataSources
from powerbalance.evidence.models import Claim
from powerbalance.indicators.checks_base import (
    Computation,
    Computed,
    NotCovered,
    need_years,
    years_of,
)


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column as text, or empty strings when the frame lacks it."""
    if column in frame.columns:
        return frame[column].astype(str)
    return pd.Series("", index=frame.index, dtype=str)


def un_abstention_share(claim: Claim, data: DataSources, params: dict[str, Any]) -> Computed:
    """Percent of a country's votes that were abstentions, on roll calls whose description names a topic."""
    votes = data.load("unvotes", purpose=claim.id)
    calls = data.load("unvotes-roll-calls", purpose=claim.id)
    years = years_of(claim.period)
    need_years(votes, years, "unvotes")
    topic = str(params.get("topic", "")).lower()
    text = (_text(calls, "short") + " " + _text(calls, "descr")).str.lower()
    chosen = calls.loc[text.str.contains(topic, regex=False) & calls.year.isin(years), "rcid"]
    country = to_cow(params.get("country", claim.actor))
    mine = votes[(votes.ccode == country) & votes.rcid.isin(chosen)]
    if mine.empty:
        raise NotCovered(f"no roll calls on '{topic}' in {claim.period.label()} in the file")
    return Computed(100.0 * float((mine.vote == 2).mean()), {"roll_calls": len(mine)})


COMPUTATIONS: dict[str, Computation] = {
    "un_abstention_share": un_abstention_share,
}
