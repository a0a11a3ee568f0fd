"""Checks of trade claims: COW trade, IMF Direction of Trade Statistics."""

from __future__ import annotations

from typing import Any

import pandas as pd

from powerbalance.datasets.codes import resolve_actor, to_cow
from powerbalance.datasets.registry import DataSources
from powerbalance.evidence.models import Claim
from powerbalance.indicators.checks_base import (
    Computation,
    Computed,
    NotCovered,
    actor_param,
    need_years,
)


def cow_trade_share(claim: Claim, data: DataSources, params: dict[str, Any]) -> Computed:
    """Percent of a country's total trade (COW national) that is with a partner state or bloc (COW dyadic)."""
    dyadic = data.load("cow-trade-dyadic", purpose=claim.id)
    national = data.load("cow-trade-national", purpose=claim.id)
    year = int(params.get("year", claim.period.end.year))
    need_years(dyadic, [year], "cow-trade-dyadic")
    need_years(national, [year], "cow-trade-national")
    country = to_cow(params.get("country", claim.actor))
    partners = set(resolve_actor(actor_param(params, "partner", claim.partner), year))
    rows = dyadic[dyadic.year == year]
    with_country = rows[
        ((rows.ccode1 == country) & rows.ccode2.isin(partners))
        | ((rows.ccode2 == country) & rows.ccode1.isin(partners))
    ]
    if with_country[["flow1", "flow2"]].isna().any().any():
        raise NotCovered(
            f"COW has missing flows between {claim.actor} and {claim.partner} in {year}"
        )
    bilateral = float((with_country.flow1 + with_country.flow2).sum())
    total = national.loc[
        (national.ccode == country) & (national.year == year), ["imports", "exports"]
    ]
    if total.empty or total.isna().any().any():
        raise NotCovered(f"COW has no total trade for {claim.actor} in {year}")
    total_value = float(total.sum(axis=1).iloc[0])
    return Computed(
        100.0 * bilateral / total_value,
        {
            "year": year,
            "partner_states": len(partners),
            "bilateral_musd": round(bilateral, 1),
            "total_musd": round(total_value, 1),
        },
    )


def _dots_total(dots: pd.DataFrame, reporter: int, partners: set[int] | None, year: int) -> float:
    rows = dots[
        (dots.reporter_cow == reporter)
        & (dots.year == year)
        & dots.flow.isin(["exports", "imports"])
    ]
    if partners is None:
        rows = rows[rows.partner.str.lower().str.startswith("world")]
    else:
        rows = rows[rows.partner_cow.isin(partners)]
    annual = rows[rows.freq == "A"]
    if annual.empty:  # sum months (or quarters) when the file has no annual figures
        monthly = rows[rows.freq == "M"]
        rows = monthly if monthly.period.nunique() == 12 else rows[rows.freq == "Q"]
        if rows.empty or (rows.freq.iloc[0] == "Q" and rows.period.nunique() != 4):
            raise NotCovered(f"the DOTS file has no full-year figures for {year}")
    else:
        rows = annual
    if set(rows.flow) != {"exports", "imports"}:
        raise NotCovered(f"the DOTS file lacks exports or imports for {year}")
    return float(rows.value.sum())


def dots_bilateral_total(claim: Claim, data: DataSources, params: dict[str, Any]) -> Computed:
    """Exports plus imports between two countries in a year as one of them reports (IMF DOTS)."""
    dots = data.load("imf-dots", purpose=claim.id)
    year = claim.period.end.year
    need_years(dots, [year], "imf-dots")
    reporter = to_cow(params.get("reporter", claim.actor))
    other = actor_param(
        {}, "partner", claim.partner if to_cow(claim.actor) == reporter else claim.actor
    )
    total = _dots_total(dots, reporter, set(resolve_actor(other, year)), year)
    return Computed(
        total / claim.scale,
        {"year": year, "reporter": params.get("reporter", claim.actor), "usd": total},
    )


def dots_trade_growth(claim: Claim, data: DataSources, params: dict[str, Any]) -> Computed:
    """Percent growth of bilateral trade between the comparison year and the claim's year (IMF DOTS)."""
    dots = data.load("imf-dots", purpose=claim.id)
    if claim.comparison_period is None:
        raise NotCovered("the claim has no comparison period")
    y1, y0 = claim.period.end.year, claim.comparison_period.end.year
    need_years(dots, [y0, y1], "imf-dots")
    reporter = to_cow(params.get("reporter", claim.actor))
    other = actor_param(
        {}, "partner", claim.partner if to_cow(claim.actor) == reporter else claim.actor
    )
    t1 = _dots_total(dots, reporter, set(resolve_actor(other, y1)), y1)
    t0 = _dots_total(dots, reporter, set(resolve_actor(other, y0)), y0)
    return Computed(100.0 * (t1 / t0 - 1.0), {f"usd_{y0}": t0, f"usd_{y1}": t1})


def dots_trade_share(claim: Claim, data: DataSources, params: dict[str, Any]) -> Computed:
    """Percent of a country's trade with the world that is with a partner, as the country reports (IMF DOTS)."""
    dots = data.load("imf-dots", purpose=claim.id)
    year = claim.period.end.year
    need_years(dots, [year], "imf-dots")
    country = to_cow(params.get("country", claim.actor))
    partner = actor_param(params, "partner", claim.partner)
    bilateral = _dots_total(dots, country, set(resolve_actor(partner, year)), year)
    world = _dots_total(dots, country, None, year)
    return Computed(
        100.0 * bilateral / world, {"year": year, "bilateral_usd": bilateral, "world_usd": world}
    )


COMPUTATIONS: dict[str, Computation] = {
    "cow_trade_share": cow_trade_share,
    "dots_bilateral_total": dots_bilateral_total,
    "dots_trade_growth": dots_trade_growth,
    "dots_trade_share": dots_trade_share,
}
