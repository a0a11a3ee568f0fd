"""Dependence indicators computed from claims: asymmetry, implied levels, partner shifts.

Every function takes an :class:`~powerbalance.evidence.Evidence` first and
returns :class:`~powerbalance.indicators.base.IndicatorResult` objects that
carry the ids of the claims they used, so each figure can be traced.

References
----------
Hirschman, A. O. (1945). *National Power and the Structure of Foreign Trade*.
University of California Press.
Keohane, R. O., & Nye, J. S. (1977). *Power and Interdependence*. Little, Brown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from powerbalance.errors import MissingEvidence, UserError
from powerbalance.evidence import Claim, Evidence
from powerbalance.i18n import render_indicator
from powerbalance.indicators.base import IndicatorResult


def _result(template: str, params: dict[str, Any], **fields: Any) -> IndicatorResult:
    """A result whose English ``formula`` and ``note`` are written from ``template``.

    The template key and its params travel with the result, so the same lines
    can be written in another language (:func:`powerbalance.i18n.indicator_text`).
    """
    formula, note = render_indicator(template, params, "en")
    return IndicatorResult(formula=formula, note=note, template=template, params=params, **fields)


def _pair_claims(
    evidence: Evidence, indicator: str, a: str, b: str, period_end_year: int | None
) -> tuple[Claim, Claim]:
    ab = evidence.claims(indicator, actor=a, partner=b)
    ba = evidence.claims(indicator, actor=b, partner=a)
    if period_end_year is not None:
        ab = [c for c in ab if c.period.end.year == period_end_year]
        ba = [c for c in ba if c.period.end.year == period_end_year]
    if not ab or not ba:
        missing = f"{a}→{b}" if not ab else f"{b}→{a}"
        raise MissingEvidence(
            f"no '{indicator}' claim for {missing}"
            + (f" in {period_end_year}" if period_end_year else "")
            + "; add one with `powerbalance evidence import FILE`"
        )
    # Prefer the latest period both sides share.
    common = sorted({c.period.end.year for c in ab} & {c.period.end.year for c in ba})
    if common:
        year = common[-1]
        ab = [c for c in ab if c.period.end.year == year]
        ba = [c for c in ba if c.period.end.year == year]
    return ab[-1], ba[-1]


def trade_share_asymmetry(
    evidence: Evidence, a: str, b: str, *, year: int | None = None
) -> tuple[IndicatorResult, IndicatorResult]:
    """Asymmetry of trade dependence between ``a`` and ``b``.

    Compares ``s_ab``, the share of ``b`` in ``a``'s total trade, with ``s_ba``,
    the share of ``a`` in ``b``'s total trade (both ``trade.share_of_total``).

    Returns
    -------
    (ratio, difference)
        ``s_ab / s_ba`` (how many times more ``a`` depends on ``b`` than the
        reverse) and ``s_ab - s_ba`` in percentage points.

    Notes
    -----
    In Hirschman's terms the side for which the partner is the larger share of
    its trade is the more dependent; Keohane and Nye call the gap an asymmetry of
    sensitivity that the less dependent side can turn into leverage. A ratio
    above 1 means ``a`` is the more dependent side.

    Examples
    --------
    >>> from powerbalance.evidence import load_corpus
    >>> ratio, diff = trade_share_asymmetry(load_corpus(), "RUS", "CHN")
    >>> ratio.value, diff.value
    (8.5, 30.0)
    """
    ab, ba = _pair_claims(evidence, "trade.share_of_total", a, b, year)
    ratio = ab.value / ba.value if ba.value else float("nan")
    period = (
        ab.period.label()
        if ab.period == ba.period
        else f"{ab.period.label()} / {ba.period.label()}"
    )
    inputs = {f"share_of_{b}_in_{a}_trade": ab.value, f"share_of_{a}_in_{b}_trade": ba.value}
    claims = (ab.id, ba.id)
    return (
        _result(
            "trade.share_asymmetry.ratio",
            {"a": a, "b": b, "s_ab": ab.value, "s_ba": ba.value, "ratio": ratio},
            key="trade.share_asymmetry.ratio",
            value=ratio,
            unit="ratio",
            claims=claims,
            inputs=inputs,
            period=period,
        ),
        _result(
            "trade.share_asymmetry.difference",
            {"a": a, "b": b, "s_ab": ab.value, "s_ba": ba.value, "diff": ab.value - ba.value},
            key="trade.share_asymmetry.difference",
            value=ab.value - ba.value,
            unit="percentage points",
            claims=claims,
            inputs=inputs,
            period=period,
        ),
    )


def implied_level(level: Claim, growth: Claim) -> IndicatorResult:
    """The level at the comparison period implied by a later level and a growth rate.

    ``level_then = level_now / (1 + g / 100)`` where ``g`` is the percentage
    change between the growth claim's comparison period and its period.

    Raises
    ------
    MissingEvidence
        When the growth claim does not end where the level claim does.

    Examples
    --------
    >>> from powerbalance.evidence import load_corpus
    >>> e = load_corpus()
    >>> r = implied_level(e.get("econ.trade.rus_chn_total_2024"),
    ...                   e.get("econ.trade.rus_chn_growth_2021_2024"))
    >>> round(r.value / 1e9, 1)
    147.6
    """
    if growth.comparison_period is None:
        raise MissingEvidence(f"claim '{growth.id}' has no comparison period")
    if growth.period.end.year != level.period.end.year:
        raise MissingEvidence(
            f"growth claim '{growth.id}' ends in {growth.period.end.year} but level claim "
            f"'{level.id}' is for {level.period.end.year}"
        )
    factor = 1 + growth.value / 100
    value = level.absolute_value / factor
    unit = level.currency or level.unit
    return _result(
        "implied_level",
        {
            "level": level.value,
            "growth": growth.value,
            "implied": value / level.scale,
            "scale": level.scale,
            "unit": unit,
            "then": growth.comparison_period.label(),
            "now": level.period.label(),
        },
        key=f"{level.indicator}.implied",
        value=value,
        unit=unit,
        claims=(level.id, growth.id),
        inputs={"level": level.absolute_value, "growth_percent": growth.value},
        period=growth.comparison_period.label(),
    )


def implied_trade_level(evidence: Evidence, a: str, b: str) -> IndicatorResult:
    """The earlier bilateral trade level implied by the latest total and growth claims."""
    level = evidence.claim("trade.bilateral.total", actor=a, partner=b)
    growths = [
        g
        for g in evidence.claims("trade.bilateral.growth", actor=a, partner=b)
        if g.period.end.year == level.period.end.year
    ]
    if not growths:
        raise MissingEvidence(
            f"no 'trade.bilateral.growth' claim for {a}–{b} ending in {level.period.end.year}"
        )
    return implied_level(level, growths[-1])


def partner_shift(evidence: Evidence, country: str, old: str, new: str) -> IndicatorResult:
    """Shift of a country's main trading partner: old partner's share then vs new partner's now.

    The value is the new partner's latest share minus the old partner's earliest
    share, in percentage points; the inputs carry both shares and their periods.

    Examples
    --------
    >>> from powerbalance.evidence import load_corpus
    >>> r = partner_shift(load_corpus(), "RUS", "EU", "CHN")
    >>> r.inputs["old_share"], r.inputs["new_share"], r.value
    (37.0, 34.0, -3.0)
    """
    olds = evidence.claims("trade.share_of_total", actor=country, partner=old)
    news = evidence.claims("trade.share_of_total", actor=country, partner=new)
    if not olds or not news:
        raise MissingEvidence(
            f"need 'trade.share_of_total' claims for {country}–{old} and {country}–{new}"
        )
    before, after = olds[0], news[-1]
    return _result(
        "trade.partner_shift",
        {
            "country": country,
            "old": old,
            "new": new,
            "before": before.value,
            "after": after.value,
            "before_period": before.period.label(),
            "after_period": after.period.label(),
            "diff": after.value - before.value,
            "kept": after.value / before.value * 100 if before.value else float("nan"),
        },
        key="trade.partner_shift",
        value=after.value - before.value,
        unit="percentage points",
        claims=(before.id, after.id),
        inputs={"old_share": before.value, "new_share": after.value},
        period=f"{before.period.label()} → {after.period.label()}",
    )


def export_concentration(evidence: Evidence, exporter: str, partner: str) -> IndicatorResult:
    """Energy share of ``exporter``'s exports to ``partner`` (the latest claim).

    A high share means the exporter sells one kind of good to that buyer, a
    concentration that Hirschman counts as a source of the buyer's leverage.
    """
    c = evidence.claim("exports.composition.energy_share", actor=exporter, partner=partner)
    return _result(
        "exports.energy_concentration",
        {"exporter": exporter, "partner": partner, "share": c.value},
        key="exports.energy_concentration",
        value=c.value,
        unit="percent",
        claims=(c.id,),
        inputs={"energy_share": c.value},
        period=c.period.label(),
    )


def investment_relative_to_gdp(
    evidence: Evidence, investor: str, host: str
) -> list[IndicatorResult]:
    """Investment of ``investor`` in ``host``: its share of GDP and what that implies.

    Returns the share of the host's GDP, the host GDP implied by stock / share,
    and, when a ``fdi.relative`` claim exists, the implied investment in the
    reference country (stock / ratio).

    Examples
    --------
    >>> from powerbalance.evidence import load_corpus
    >>> share, gdp, kaz = investment_relative_to_gdp(load_corpus(), "CHN", "RUS")
    >>> share.value, round(gdp.value / 1e12, 2), round(kaz.value / 1e9, 1)
    (1.0, 1.8, 9.0)
    """
    stock = evidence.claim("fdi.stock", actor=investor, partner=host)
    share = evidence.claim("fdi.share_of_gdp", actor=investor, partner=host)
    unit = stock.currency or "money"
    out = [
        _result(
            "fdi.share_of_gdp",
            {"investor": investor, "host": host, "share": share.value},
            key="fdi.share_of_gdp",
            value=share.value,
            unit="percent",
            claims=(share.id,),
            inputs={"share_of_gdp": share.value},
            period=share.period.label(),
        )
    ]
    gdp = stock.absolute_value / (share.value / 100) if share.value else float("nan")
    out.append(
        _result(
            "gdp.implied",
            {
                "host": host,
                "stock": stock.value,
                "stock_scale": stock.scale,
                "share": share.value,
                "gdp": gdp / 1e9,
                "gdp_scale": 1e9,
                "unit": unit,
            },
            key="gdp.implied",
            value=gdp,
            unit=unit,
            claims=(stock.id, share.id),
            inputs={"fdi_stock": stock.absolute_value, "share_of_gdp": share.value},
            period=stock.period.label(),
        )
    )
    for rel in evidence.claims("fdi.relative", actor=investor, partner=host):
        implied = stock.absolute_value / rel.value
        out.append(
            _result(
                "fdi.stock.implied_reference",
                {
                    "investor": investor,
                    "reference": rel.reference,
                    "stock": stock.value,
                    "stock_scale": stock.scale,
                    "ratio": rel.value,
                    "implied": implied / 1e9,
                    "implied_scale": 1e9,
                    "unit": unit,
                },
                key="fdi.stock.implied_reference",
                value=implied,
                unit=unit,
                claims=(stock.id, rel.id),
                inputs={"fdi_stock": stock.absolute_value, "ratio": rel.value},
                period=rel.period.label(),
            )
        )
    return out


def investment_asymmetry(evidence: Evidence, a: str, b: str) -> IndicatorResult:
    """Ratio of ``a``'s direct investment in ``b`` to ``b``'s in ``a`` (same period).

    Examples
    --------
    >>> from powerbalance.evidence import load_corpus
    >>> round(investment_asymmetry(load_corpus(), "EU", "RUS").value, 2)
    2.29
    """
    ab, ba = _pair_claims(evidence, "fdi.stock", a, b, None)
    if ab.currency != ba.currency:
        raise MissingEvidence(f"'{ab.id}' and '{ba.id}' are in different currencies")
    ratio = ab.value * ab.scale / (ba.value * ba.scale)
    return _result(
        "fdi.asymmetry.ratio",
        {
            "a": a,
            "b": b,
            "ab": ab.value,
            "ab_scale": ab.scale,
            "ba": ba.value,
            "ba_scale": ba.scale,
            "currency": ab.currency,
            "ratio": ratio,
        },
        key="fdi.asymmetry.ratio",
        value=ratio,
        unit="ratio",
        claims=(ab.id, ba.id),
        inputs={f"fdi_{a}_in_{b}": ab.absolute_value, f"fdi_{b}_in_{a}": ba.absolute_value},
        period=ab.period.label(),
    )


def change_ratio(claim: Claim) -> IndicatorResult:
    """The ratio of the later to the earlier level implied by a percentage change claim.

    Examples
    --------
    >>> from powerbalance.evidence import load_corpus
    >>> round(change_ratio(load_corpus().get("econ.arms.chn_imports_change")).value, 2)
    0.36
    """
    if claim.comparison_period is None:
        raise MissingEvidence(f"claim '{claim.id}' is not a change")
    ratio = 1 + claim.value / 100
    return _result(
        "change_ratio",
        {"change": claim.value, "ratio": ratio},
        key=f"{claim.indicator}.ratio",
        value=ratio,
        unit="ratio",
        claims=(claim.id,),
        inputs={"change_percent": claim.value},
        period=f"{claim.comparison_period.label()} → {claim.period.label()}",
    )


def arms_imports_change(evidence: Evidence, importer: str) -> IndicatorResult:
    """The ratio of later to earlier arms imports of ``importer`` (its latest change claim).

    Examples
    --------
    >>> from powerbalance.evidence import load_corpus
    >>> round(arms_imports_change(load_corpus(), "CHN").value, 2)
    0.36
    """
    claims = evidence.claims("arms.imports.change", actor=importer)
    if not claims:
        raise MissingEvidence(
            f"no 'arms.imports.change' claim for {importer}; add one with "
            "`powerbalance evidence import FILE`"
        )
    return change_ratio(claims[-1])


@dataclass(frozen=True)
class TriangleIndicator:
    """One dependence indicator of the triangle: a function of this module and its actors."""

    name: str
    function: Callable[..., IndicatorResult | tuple[IndicatorResult, ...] | list[IndicatorResult]]
    args: tuple[str, ...]

    def compute(self, evidence: Evidence) -> list[IndicatorResult]:
        out = self.function(evidence, *self.args)
        return list(out) if isinstance(out, (tuple, list)) else [out]


#: The dependence indicators of the triangle, the one list that ``powerbalance assess``,
#: the dashboard's Dependence page and the report all show.
TRIANGLE_INDICATORS: tuple[TriangleIndicator, ...] = (
    TriangleIndicator("trade share asymmetry RUS–CHN", trade_share_asymmetry, ("RUS", "CHN")),
    TriangleIndicator("trade level implied by growth RUS–CHN", implied_trade_level, ("RUS", "CHN")),
    TriangleIndicator("partner shift EU→CHN", partner_shift, ("RUS", "EU", "CHN")),
    TriangleIndicator("energy share RUS→CHN", export_concentration, ("RUS", "CHN")),
    TriangleIndicator("energy share RUS→EU", export_concentration, ("RUS", "EU")),
    TriangleIndicator("Chinese investment in Russia", investment_relative_to_gdp, ("CHN", "RUS")),
    TriangleIndicator("EU–Russia investment asymmetry", investment_asymmetry, ("EU", "RUS")),
    TriangleIndicator("China's arms imports change", arms_imports_change, ("CHN",)),
)


def triangle_indicators(
    evidence: Evidence,
) -> tuple[list[tuple[TriangleIndicator, IndicatorResult]], list[str]]:
    """Every indicator of :data:`TRIANGLE_INDICATORS` the evidence supports, and why the others
    are not computed (one line each: the indicator's name and what is missing).

    Examples
    --------
    >>> from powerbalance.evidence import load_corpus
    >>> done, missing = triangle_indicators(load_corpus())
    >>> [r.key for _, r in done][:2]
    ['trade.share_asymmetry.ratio', 'trade.share_asymmetry.difference']
    """
    done: list[tuple[TriangleIndicator, IndicatorResult]] = []
    missing: list[str] = []
    for ind in TRIANGLE_INDICATORS:
        try:
            done.extend((ind, r) for r in ind.compute(evidence))
        except UserError as exc:
            missing.append(f"{ind.name}: {exc}")
    return done, missing
