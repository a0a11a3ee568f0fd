"""Verification of the evidence's claims against public datasets.

A claim may carry a :class:`~powerbalance.evidence.models.Check` (the bundled
ones are in ``evidence/corpus/checks.yaml``): the dataset, the computation
(a function registered in :data:`COMPUTATIONS`), its parameters and a
tolerance in the claim's own unit. :func:`verify` runs every check whose data
are available and reports, for every claim:

- ``verified``: the computed value agrees with the claim within the tolerance;
- ``depends_on_definition``: the claim's figure depends on a definition the
  source does not give (which denominator, which product codes), and the
  data agree with it under one definition and not under another; every
  figure is reported with its definition, none is hidden;
- ``contradicted``: it does not agree under any definition (both numbers
  are reported);
- ``unverifiable``: the dataset is not registered, does not cover the claim's
  period, or no dataset card covers the claim; the result names the dataset
  that would settle it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from powerbalance.datasets.cards import CARDS
from powerbalance.datasets.registry import DataSources
from powerbalance.evidence.models import Claim
from powerbalance.indicators import checks_arms, checks_econ, checks_trade, checks_un
from powerbalance.indicators.checks_base import (
    Alternative,
    Computation,
    Computed,
    NotCovered,
)

Status = str  # "verified" | "depends_on_definition" | "contradicted" | "unverifiable"
STATUSES: tuple[Status, ...] = ("verified", "depends_on_definition", "contradicted", "unverifiable")


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
    #: the main definition of ``computed``, when the check names one
    definition: str | None = None
    #: whether ``computed`` (the main definition's figure) agrees with the claim
    agrees: bool | None = None
    #: the figure under other definitions: definition, computed, difference, agrees, detail
    alternatives: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


#: Every computation a check may name, by name (each domain module lists its own).
COMPUTATIONS: dict[str, Computation] = {
    **checks_arms.COMPUTATIONS,
    **checks_trade.COMPUTATIONS,
    **checks_un.COMPUTATIONS,
    **checks_econ.COMPUTATIONS,
}

__all__ = [
    "COMPUTATIONS",
    "STATUSES",
    "Alternative",
    "Computed",
    "NotCovered",
    "VerificationResult",
    "settling_dataset",
    "summary",
    "verify",
    "verify_claim",
    "verify_store",
]

# What would settle a claim that carries no check, by indicator prefix.
SETTLED_BY: tuple[tuple[str, str], ...] = (
    ("trade.", "imf-dots (IMF Direction of Trade Statistics)"),
    ("exports.composition.", "baci-rus-chn or eurostat-eu-russia (trade by HS chapter; 27: fuels)"),
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
    ("border.", "cia-factbook (the CIA World Factbook's land boundaries)"),
    ("history.", "a historical reference fact; no dataset check applies"),
)


def settling_dataset(claim: Claim) -> str:
    """The dataset that would settle a claim without a check.

    Examples
    --------
    >>> from powerbalance.evidence import load_corpus
    >>> corpus = load_corpus()
    >>> settling_dataset(corpus.get("econ.trade.rus_chn_total_2024"))
    'rus-chn-monthly-trade'
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
    # "more than" and "less than" are strict: with no tolerance, 50% is not "more than half"
    if q == "at_least":
        return computed >= claimed - tolerance
    if q == "more_than":
        return computed > claimed - tolerance
    if q == "at_most":
        return computed <= claimed + tolerance
    return computed < claimed + tolerance  # less_than


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
    ok = _agrees(claim, value, check.tolerance)
    alternatives = [
        {
            "definition": a.definition,
            "computed": round(float(a.value), 4),
            "difference": round(float(a.value) - claim.value, 4),
            "agrees": _agrees(claim, float(a.value), check.tolerance),
            "detail": a.detail,
        }
        for a in result.alternatives
    ]
    verdicts = [ok, *(a["agrees"] for a in alternatives)]
    if all(verdicts):
        status = "verified"
    elif any(verdicts):
        status = "depends_on_definition"  # agreement under one definition, not another
    else:
        status = "contradicted"
    return VerificationResult(
        **common,
        status=status,
        computed=round(value, 4),
        difference=round(value - claim.value, 4),
        reason=check.note,
        detail=result.detail,
        definition=result.definition,
        agrees=ok,
        alternatives=alternatives,
    )


def _agrees(claim: Claim, value: float, tolerance: float) -> bool:
    return bool(np.isfinite(value)) and _compare(claim, value, tolerance)


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
