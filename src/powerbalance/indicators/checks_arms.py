"""Checks against SIPRI's arms transfers register."""

from __future__ import annotations

from typing import Any

from powerbalance.datasets.codes import to_cow
from powerbalance.datasets.registry import DataSources
from powerbalance.evidence.models import Claim
from powerbalance.indicators.checks_base import (
    Computation,
    Computed,
    NotCovered,
    actor_param,
    need_years,
    years_of,
)


def arms_imports_change(claim: Claim, data: DataSources, params: dict[str, Any]) -> Computed:
    """Percent change of a recipient's TIV of arms imports between two periods (SIPRI register).

    ``100 * (sum over period / sum over comparison period - 1)``, counting
    deliveries from every supplier (states, organisations, unknown).
    """
    register = data.load("sipri-register", purpose=claim.id)
    if claim.comparison_period is None:
        raise NotCovered("the claim has no comparison period")
    now, before = years_of(claim.period), years_of(claim.comparison_period)
    need_years(register, [*now, *before], "sipri-register")
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
    years = years_of(claim.period)
    need_years(register, years, "sipri-register")
    recipient = to_cow(params.get("recipient", claim.actor))
    supplier = to_cow(actor_param(params, "supplier", claim.partner))
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


COMPUTATIONS: dict[str, Computation] = {
    "arms_imports_change": arms_imports_change,
    "supplier_rank": supplier_rank,
}
