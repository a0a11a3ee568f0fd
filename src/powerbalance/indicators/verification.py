"""Verification of the evidence's claims against public datasets.

A claim may carry a :class:`~powerbalance.evidence.models.Check` (the bundled
ones are in ``evidence/corpus/checks.yaml``): the dataset, the computation
(a function registered in :data:`COMPUTATIONS`), its parameters and a
tolerance in the claim's own unit. :func:`verify` runs every check whose data
are available and reports, for every claim:

- ``verified``: the computed value agrees with the claim within the tolerance;
- ``contradicted``: it does not (both numbers are reported);
- ``unverifiable``: the dataset is not registered, does not cover the claim's
  period, or no dataset card covers the claim; the result names the dataset
  that would settle it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from powerbalance.datasets.cards import CARDS
from powerbalance.datasets.codes import resolve_actor, to_cow
from powerbalance.datasets.registry import DataSources
from powerbalance.errors import PowerbalanceError
from powerbalance.evidence.models import Claim

Status = str  # "verified" | "contradicted" | "unverifiable"
STATUSES: tuple[Status, ...] = ("verified", "contradicted", "unverifiable")


class NotCovered(PowerbalanceError):
    """The dataset is there but does not cover what the check needs."""


@dataclass
class Computed:
    """A value computed from data (in the claim's units) and how it was obtained."""

    value: float
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class VerificationResult:
    """The outcome of checking one claim."""

    claim: str
    indicator: str
    statement: str
    status: Status
    claimed: float
    unit: str
    qualifier: str
    period: str
    scale: float = 1.0
    currency: str | None = None
    computed: float | None = None
    difference: float | None = None
    tolerance: float | None = None
    dataset: str | None = None
    computation: str | None = None
    reason: str = ""
    settle_with: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- computations ------------------------------------------------------------------------


def _years(period) -> range:
    return range(period.start.year, period.end.year + 1)


def _need_years(frame: pd.DataFrame, years: Iterable[int], dataset: str) -> None:
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


def _actor(params: dict[str, Any], key: str, default: str | None) -> str:
    """An actor id from the check's parameters or the claim; a check without one cannot run."""
    value = params.get(key, default)
    if value is None:
        raise NotCovered(f"the check needs '{key}' (in its params or the claim)")
    return str(value)


def arms_imports_change(claim: Claim, data: DataSources, params: dict[str, Any]) -> Computed:
    """Percent change of a recipient's TIV of arms imports between two periods (SIPRI register).

    ``100 * (sum over period / sum over comparison period - 1)``, counting
    deliveries from every supplier (states, organisations, unknown).
    """
    register = data.load("sipri-register", purpose=claim.id)
    if claim.comparison_period is None:
        raise NotCovered("the claim has no comparison period")
    now, before = _years(claim.period), _years(claim.comparison_period)
    _need_years(register, [*now, *before], "sipri-register")
    recipient = to_cow(params.get("recipient", claim.actor))
    rows = register[register.recipient_cow == recipient]
    current = float(rows.loc[rows.year.isin(now), "tiv"].sum())
    earlier = float(rows.loc[rows.year.isin(before), "tiv"].sum())
    if earlier <= 0:
        raise NotCovered(f"no deliveries to {claim.actor} in {claim.comparison_period.label()}")
    return Computed(
        100.0 * (current / earlier - 1.0),
        {
            f"tiv_{claim.period.label()}": round(current, 2),
            f"tiv_{claim.comparison_period.label()}": round(earlier, 2),
        },
    )


def supplier_rank(claim: Claim, data: DataSources, params: dict[str, Any]) -> Computed:
    """Rank of a supplier among a recipient's suppliers by TIV delivered over the period."""
    register = data.load("sipri-register", purpose=claim.id)
    years = _years(claim.period)
    _need_years(register, years, "sipri-register")
    recipient = to_cow(params.get("recipient", claim.actor))
    supplier = to_cow(_actor(params, "supplier", claim.partner))
    rows = register[(register.recipient_cow == recipient) & register.year.isin(years)]
    totals = rows.groupby("supplier_cow")["tiv"].sum().sort_values(ascending=False)
    if supplier not in totals.index or totals.get(supplier, 0) <= 0:
        raise NotCovered(
            f"no deliveries from {claim.partner} to {claim.actor} in {claim.period.label()}"
        )
    rank = int((totals > totals[supplier]).sum()) + 1
    names = rows.drop_duplicates("supplier_cow").set_index("supplier_cow")["supplier"]
    top = {str(names.get(k, k)): round(float(v), 2) for k, v in totals.head(5).items()}
    return Computed(float(rank), {"suppliers_by_tiv": top})


def cow_trade_share(claim: Claim, data: DataSources, params: dict[str, Any]) -> Computed:
    """Percent of a country's total trade (COW national) that is with a partner state or bloc (COW dyadic)."""
    dyadic = data.load("cow-trade-dyadic", purpose=claim.id)
    national = data.load("cow-trade-national", purpose=claim.id)
    year = int(params.get("year", claim.period.end.year))
    _need_years(dyadic, [year], "cow-trade-dyadic")
    _need_years(national, [year], "cow-trade-national")
    country = to_cow(params.get("country", claim.actor))
    partners = set(resolve_actor(_actor(params, "partner", claim.partner), year))
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
    _need_years(dots, [year], "imf-dots")
    reporter = to_cow(params.get("reporter", claim.actor))
    other = _actor({}, "partner", claim.partner if to_cow(claim.actor) == reporter else claim.actor)
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
    _need_years(dots, [y0, y1], "imf-dots")
    reporter = to_cow(params.get("reporter", claim.actor))
    other = _actor({}, "partner", claim.partner if to_cow(claim.actor) == reporter else claim.actor)
    t1 = _dots_total(dots, reporter, set(resolve_actor(other, y1)), y1)
    t0 = _dots_total(dots, reporter, set(resolve_actor(other, y0)), y0)
    return Computed(100.0 * (t1 / t0 - 1.0), {f"usd_{y0}": t0, f"usd_{y1}": t1})


def dots_trade_share(claim: Claim, data: DataSources, params: dict[str, Any]) -> Computed:
    """Percent of a country's trade with the world that is with a partner, as the country reports (IMF DOTS)."""
    dots = data.load("imf-dots", purpose=claim.id)
    year = claim.period.end.year
    _need_years(dots, [year], "imf-dots")
    country = to_cow(params.get("country", claim.actor))
    partner = _actor(params, "partner", claim.partner)
    bilateral = _dots_total(dots, country, set(resolve_actor(partner, year)), year)
    world = _dots_total(dots, country, None, year)
    return Computed(
        100.0 * bilateral / world, {"year": year, "bilateral_usd": bilateral, "world_usd": world}
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
    years = _years(claim.period)
    _need_years(votes, years, "unvotes")
    topic = str(params.get("topic", "")).lower()
    text = (_text(calls, "short") + " " + _text(calls, "descr")).str.lower()
    chosen = calls.loc[text.str.contains(topic, regex=False) & calls.year.isin(years), "rcid"]
    country = to_cow(params.get("country", claim.actor))
    mine = votes[(votes.ccode == country) & votes.rcid.isin(chosen)]
    if mine.empty:
        raise NotCovered(f"no roll calls on '{topic}' in {claim.period.label()} in the file")
    return Computed(100.0 * float((mine.vote == 2).mean()), {"roll_calls": len(mine)})


Computation = Callable[[Claim, DataSources, dict[str, Any]], Computed]

COMPUTATIONS: dict[str, Computation] = {
    "arms_imports_change": arms_imports_change,
    "supplier_rank": supplier_rank,
    "cow_trade_share": cow_trade_share,
    "dots_bilateral_total": dots_bilateral_total,
    "dots_trade_growth": dots_trade_growth,
    "dots_trade_share": dots_trade_share,
    "un_abstention_share": un_abstention_share,
}

# What would settle a claim that carries no check, by indicator prefix.
SETTLED_BY: tuple[tuple[str, str], ...] = (
    ("trade.", "imf-dots (IMF Direction of Trade Statistics)"),
    ("exports.composition.", "UN Comtrade by HS chapter (27: mineral fuels); no card yet"),
    ("arms.", "sipri-register (SIPRI Arms Transfers Database)"),
    (
        "fdi.",
        "UNCTAD bilateral FDI statistics or the Bank of Russia's direct-investment tables; no card yet",
    ),
    ("currency.", "Moscow Exchange and Bank of Russia currency statistics; no card yet"),
    ("un.", "UN General Assembly votes up to 2025 (Voeten's data or UNGA-DM)"),
    ("poll.", "the pollster's published tables; no dataset card"),
    (
        "threat.",
        "the US intelligence community's Annual Threat Assessment (a document, not a dataset)",
    ),
    ("tariff.", "the US Federal Register tariff notices; no dataset card"),
    ("border.", "a geographic reference fact; no dataset check applies"),
    ("history.", "a historical reference fact; no dataset check applies"),
)


def settling_dataset(claim: Claim) -> str:
    """The dataset that would settle a claim without a check.

    Examples
    --------
    >>> from powerbalance.evidence import load_corpus
    >>> corpus = load_corpus()
    >>> settling_dataset(corpus.get("econ.trade.rus_chn_total_2024"))
    'imf-dots'
    >>> settling_dataset(corpus.get("lmd.tariff.usa_universal_2025"))
    'the US Federal Register tariff notices; no dataset card'
    """
    if claim.check is not None:
        return claim.check.dataset
    for prefix, dataset in SETTLED_BY:
        if claim.indicator.startswith(prefix):
            return dataset
    return "no public dataset known to powerbalance"


def _compare(claim: Claim, computed: float, tolerance: float) -> bool:
    claimed = claim.value
    q = claim.qualifier
    if q in ("exact", "about"):
        return abs(computed - claimed) <= tolerance + 1e-9
    if q in ("at_least", "more_than"):
        return computed >= claimed - tolerance
    return computed <= claimed + tolerance  # at_most, less_than


def verify_claim(claim: Claim, data: DataSources) -> VerificationResult:
    """Check one claim against the data (see the module docstring for the statuses)."""
    base: dict[str, Any] = {
        "claim": claim.id,
        "indicator": claim.indicator,
        "statement": claim.statement,
        "claimed": claim.value,
        "unit": claim.unit,
        "scale": claim.scale,
        "currency": claim.currency,
        "qualifier": claim.qualifier,
        "period": claim.period.label()
        + (f" vs {claim.comparison_period.label()}" if claim.comparison_period else ""),
    }
    check = claim.check
    if check is None:
        return VerificationResult(
            **base,
            status="unverifiable",
            reason="no dataset check is defined for this claim",
            settle_with=settling_dataset(claim),
        )
    common: dict[str, Any] = {
        **base,
        "dataset": check.dataset,
        "computation": check.computation,
        "tolerance": check.tolerance,
    }
    if check.computation not in COMPUTATIONS:
        return VerificationResult(
            **common,
            status="unverifiable",
            reason=f"unknown computation '{check.computation}'",
            settle_with=check.dataset,
        )
    if check.dataset not in CARDS or not data.available(check.dataset):
        return VerificationResult(
            **common,
            status="unverifiable",
            reason=f"dataset {check.dataset} is not registered; it stays unverifiable until "
            f"a file is registered (`powerbalance data add {check.dataset} PATH`)",
            settle_with=check.dataset,
        )
    try:
        result = COMPUTATIONS[check.computation](claim, data, dict(check.params))
    except NotCovered as exc:
        return VerificationResult(
            **common,
            status="unverifiable",
            reason=str(exc),
            settle_with=f"a {check.dataset} file covering {base['period']}",
        )
    value = float(result.value)
    ok = bool(np.isfinite(value)) and _compare(claim, value, check.tolerance)
    return VerificationResult(
        **common,
        status="verified" if ok else "contradicted",
        computed=round(value, 4),
        difference=round(value - claim.value, 4),
        reason=check.note,
        detail=result.detail,
    )


def verify(claims: Iterable[Claim], data: DataSources) -> list[VerificationResult]:
    """Check every claim: verified, contradicted (with both numbers) or unverifiable (and why).

    Parameters
    ----------
    claims
        Claims, for example ``evidence.claims()``.
    data
        Where the datasets are (:class:`~powerbalance.datasets.registry.DataSources`).

    Returns
    -------
    list of VerificationResult
        One per claim, in the order given.
    """
    return [verify_claim(c, data) for c in claims]


def summary(results: Iterable[VerificationResult]) -> dict[str, int]:
    """How many claims have each status."""
    out = dict.fromkeys(STATUSES, 0)
    for r in results:
        out[r.status] += 1
    return out


def verify_store(store, *, data_dir=None) -> list[VerificationResult]:
    """Verify every claim in a store against its registered datasets (what ``powerbalance verify`` runs).

    ``data_dir`` is searched before the registrations.
    """
    data = DataSources.from_store(store, data_dir=data_dir)
    return verify(store.evidence().claims(), data)
