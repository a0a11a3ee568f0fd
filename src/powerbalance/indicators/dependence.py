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

from powerbalance.errors import MissingEvidence
from powerbalance.evidence import Claim, Evidence
from powerbalance.indicators.base import IndicatorResult


def _fmt(x: float) -> str:
    return f"{x:,.4g}" if abs(x) < 1e4 else f"{x:,.0f}"


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
        IndicatorResult(
            key="trade.share_asymmetry.ratio",
            value=ratio,
            unit="ratio",
            formula=f"{_fmt(ab.value)}% / {_fmt(ba.value)}% = {_fmt(ratio)}",
            claims=claims,
            inputs=inputs,
            period=period,
            note=f"{a} depends {_fmt(ratio)} times as much on trade with {b} as {b} does on {a}.",
        ),
        IndicatorResult(
            key="trade.share_asymmetry.difference",
            value=ab.value - ba.value,
            unit="percentage points",
            formula=f"{_fmt(ab.value)}% - {_fmt(ba.value)}% = {_fmt(ab.value - ba.value)} pp",
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
    scale_word = {1e9: " bn", 1e6: " m", 1e12: " tn"}.get(level.scale, "")
    return IndicatorResult(
        key=f"{level.indicator}.implied",
        value=value,
        unit=unit,
        formula=(
            f"{_fmt(level.value)}{scale_word} / (1 + {_fmt(growth.value)}/100) = "
            f"{_fmt(value / level.scale)}{scale_word} {unit}"
        ),
        claims=(level.id, growth.id),
        inputs={"level": level.absolute_value, "growth_percent": growth.value},
        period=growth.comparison_period.label(),
        note=f"The {growth.comparison_period.label()} level implied by the {level.period.label()} level and the growth claim.",
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
    return IndicatorResult(
        key="trade.partner_shift",
        value=after.value - before.value,
        unit="percentage points",
        formula=(
            f"{new} {_fmt(after.value)}% ({after.period.label()}) - {old} {_fmt(before.value)}% "
            f"({before.period.label()}) = {_fmt(after.value - before.value)} pp"
        ),
        claims=(before.id, after.id),
        inputs={"old_share": before.value, "new_share": after.value},
        period=f"{before.period.label()} → {after.period.label()}",
        note=(
            f"{new} now holds {_fmt(after.value / before.value * 100)}% of the place {old} held "
            f"in {country}'s trade before the pivot."
        ),
    )


def export_concentration(evidence: Evidence, exporter: str, partner: str) -> IndicatorResult:
    """Energy share of ``exporter``'s exports to ``partner`` (the latest claim).

    A high share means the exporter sells one kind of good to that buyer, a
    concentration that Hirschman counts as a source of the buyer's leverage.
    """
    c = evidence.claim("exports.composition.energy_share", actor=exporter, partner=partner)
    return IndicatorResult(
        key="exports.energy_concentration",
        value=c.value,
        unit="percent",
        formula=f"energy share of {exporter}'s exports to {partner} = {_fmt(c.value)}%",
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
        IndicatorResult(
            key="fdi.share_of_gdp",
            value=share.value,
            unit="percent",
            formula=f"{investor} investment in {host} = {_fmt(share.value)}% of {host}'s GDP",
            claims=(share.id,),
            inputs={"share_of_gdp": share.value},
            period=share.period.label(),
        )
    ]
    gdp = stock.absolute_value / (share.value / 100) if share.value else float("nan")
    out.append(
        IndicatorResult(
            key="gdp.implied",
            value=gdp,
            unit=unit,
            formula=f"{_fmt(stock.value)} bn / {_fmt(share.value)}% = {_fmt(gdp / 1e9)} bn {unit}",
            claims=(stock.id, share.id),
            inputs={"fdi_stock": stock.absolute_value, "share_of_gdp": share.value},
            period=stock.period.label(),
            note=f"{host}'s GDP implied by the two claims (rounded figures: an order of magnitude).",
        )
    )
    for rel in evidence.claims("fdi.relative", actor=investor, partner=host):
        implied = stock.absolute_value / rel.value
        out.append(
            IndicatorResult(
                key="fdi.stock.implied_reference",
                value=implied,
                unit=unit,
                formula=f"{_fmt(stock.value)} bn / {_fmt(rel.value)} = {_fmt(implied / 1e9)} bn {unit}",
                claims=(stock.id, rel.id),
                inputs={"fdi_stock": stock.absolute_value, "ratio": rel.value},
                period=rel.period.label(),
                note=f"{investor}'s investment in {rel.reference} implied by the ratio claim.",
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
    return IndicatorResult(
        key="fdi.asymmetry.ratio",
        value=ratio,
        unit="ratio",
        formula=f"{_fmt(ab.value)} bn / {_fmt(ba.value)} bn {ab.currency} = {_fmt(ratio)}",
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
    return IndicatorResult(
        key=f"{claim.indicator}.ratio",
        value=ratio,
        unit="ratio",
        formula=f"1 + ({_fmt(claim.value)}/100) = {_fmt(ratio)}",
        claims=(claim.id,),
        inputs={"change_percent": claim.value},
        period=f"{claim.comparison_period.label()} → {claim.period.label()}",
    )
