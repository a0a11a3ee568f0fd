"""What every dataset check shares: the computed value, its alternatives, and refusals.

A computation (see :mod:`powerbalance.indicators.verification`) takes a
claim, the registered data and the check's parameters, and returns a
:class:`Computed` in the claim's own unit; it raises :class:`NotCovered`
when the data do not cover what it needs. Where the claim's figure depends
on a definition the article does not give (which denominator, which HS
chapters), the computation returns the figure under its main definition and
the others as :class:`Alternative` values, so the verdict can show both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from powerbalance.datasets.registry import DataSources
from powerbalance.errors import PowerbalanceError
from powerbalance.evidence.models import Claim, Period


class NotCovered(PowerbalanceError):
    """The dataset is there but does not cover what the check needs."""


@dataclass(frozen=True)
class Alternative:
    """The claim's figure under another definition than the check's main one."""

    definition: str
    value: float
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class Computed:
    """A value computed from data (in the claim's units) and how it was obtained."""

    value: float
    detail: dict[str, Any] = field(default_factory=dict)
    #: what the main definition is, in words (shown beside the alternatives)
    definition: str | None = None
    alternatives: list[Alternative] = field(default_factory=list)


Computation = Callable[[Claim, DataSources, dict[str, Any]], Computed]


def years_of(period: Period) -> range:
    return range(period.start.year, period.end.year + 1)


def need_years(frame: pd.DataFrame, years: Iterable[int], dataset: str) -> None:
    coverage = frame.attrs.get("coverage")
    years = list(years)
    if coverage is None:
        return
    first, last = coverage
    outside = [y for y in years if y < first or y > last]
    if outside:
        raise NotCovered(
            f"the registered {dataset} file covers {first}-{last}, not {min(outside)}-{max(outside)}"
        )


def actor_param(params: dict[str, Any], key: str, default: str | None) -> str:
    """An actor id from the check's parameters or the claim; a check without one cannot run."""
    value = params.get(key, default)
    if value is None:
        raise NotCovered(f"the check needs '{key}' (in its params or the claim)")
    return str(value)
