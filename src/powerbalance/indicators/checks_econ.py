"""Checks of the economic claims: Russia–China trade, shares of total trade, energy, FDI, the border.

Every computation documents its rule in its docstring (and in
``docs/verification-econ.md``). None substitutes another year: a claim for a
year the data do not cover raises :class:`NotCovered`, whose message says what
the nearest covered year gives. Where the claim's figure depends on a
definition the article does not state (which denominator, which HS chapters),
the main figure comes with :class:`Alternative` figures.

Tolerances are in the check (``checks.yaml``), chosen by one rule: a figure
printed as a whole number agrees within half a unit of its last digit; an
"about" figure within 5 percent of itself, or that half unit when larger.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from powerbalance.datasets.codes import bloc_members, to_cow
from powerbalance.datasets.registry import DataSources
from powerbalance.evidence.models import Claim
from powerbalance.indicators.checks_base import (
    Alternative,
    Computation,
    Computed,
    NotCovered,
    actor_param,
)

_BN = 1e9


def _load(data: DataSources, dataset: str, claim: Claim) -> pd.DataFrame:
    """A dataset the check needs besides its own; NotCovered (not an error) when absent."""
    if not data.available(dataset):
        raise NotCovered(
            f"the check also needs the {dataset} dataset, which is not registered "
            f"(`powerbalance data add {dataset} PATH`)"
        )
    return data.load(dataset, purpose=claim.id)


def _years(frame: pd.DataFrame) -> list[int]:
    return sorted({int(y) for y in frame["year"].dropna().unique()})


def _nearest(available: list[int], year: int) -> int | None:
    return min(available, key=lambda y: (abs(y - year), -y)) if available else None


def _pair(claim: Claim, params: dict[str, Any]) -> tuple[int, int]:
    country = to_cow(actor_param(params, "country", claim.actor))
    partner = to_cow(actor_param(params, "partner", claim.partner))
    return country, partner


# --- Russia–China trade (the monthly table) ---------------------------------------------


def _monthly_year(monthly: pd.DataFrame, year: int) -> float | None:
    """The year's total of the monthly series when all twelve months have a value."""
    rows = monthly[(monthly.year == year) & monthly.value_usd.notna()]
    if rows.month.nunique() != 12:
        return None
    return float(rows.value_usd.sum())


def _trade_total(monthly: pd.DataFrame, year: int, what: str) -> float:
    total = _monthly_year(monthly, year)
    if total is None:
        full = [y for y in _years(monthly) if _monthly_year(monthly, y) is not None]
        near = _nearest(full, year)
        hint = ""
        near_total = _monthly_year(monthly, near) if near is not None else None
        if near_total is not None:
            hint = f"; the nearest full year, {near}, gives {near_total / _BN:.1f} bn USD"
        raise NotCovered(f"the {what} file has no twelve months of {year}{hint}")
    return total


def _check_rus_chn(claim: Claim, params: dict[str, Any]) -> None:
    pair = {to_cow(actor_param(params, "country", claim.actor))}
    pair.add(to_cow(actor_param(params, "partner", claim.partner)))
    if pair != {365, 710}:
        raise NotCovered("the monthly trade table holds Russia–China trade only")


def bilateral_trade_total(claim: Claim, data: DataSources, params: dict[str, Any]) -> Computed:
    """Russia–China goods trade in a year: the sum of the twelve months of the monthly table, in the claim's scale."""
    _check_rus_chn(claim, params)
    monthly = data.load("rus-chn-monthly-trade", purpose=claim.id)
    year = claim.period.end.year
    total = _trade_total(monthly, year, "rus-chn-monthly-trade")
    return Computed(
        total / claim.scale,
        {"year": year, "months": 12, "usd": round(total)},
        definition="exports plus imports, summed over twelve months (derived monthly table)",
    )


def bilateral_trade_growth(claim: Claim, data: DataSources, params: dict[str, Any]) -> Computed:
    """Percent growth of Russia–China trade from the comparison year to the claim's year (12-month sums)."""
    _check_rus_chn(claim, params)
    if claim.comparison_period is None:
        raise NotCovered("the claim has no comparison period")
    monthly = data.load("rus-chn-monthly-trade", purpose=claim.id)
    y1, y0 = claim.period.end.year, claim.comparison_period.end.year
    t1 = _trade_total(monthly, y1, "rus-chn-monthly-trade")
    t0 = _trade_total(monthly, y0, "rus-chn-monthly-trade")
    return Computed(
        100.0 * (t1 / t0 - 1.0),
        {f"bn_usd_{y0}": round(t0 / _BN, 3), f"bn_usd_{y1}": round(t1 / _BN, 3)},
        definition="growth of the twelve-month sums",
    )


# --- shares of a country's total trade --------------------------------------------------


def _atlas_total(atlas: pd.DataFrame, ccode: int, year: int) -> float:
    rows = atlas[(atlas.ccode == ccode) & (atlas.year == year)]
    if rows.empty or rows[["exports_usd", "imports_usd"]].isna().any().any():
        years = _years(atlas[atlas.ccode == ccode])
        near = _nearest(years, year)
        raise NotCovered(
            f"the atlas-country-year file has no total for COW {ccode} in {year}"
            + (f" (it covers {years[0]}-{years[-1]})" if years else "")
            + (f"; nearest year {near}" if near is not None else "")
        )
    return float(rows.exports_usd.iloc[0] + rows.imports_usd.iloc[0])


def _bop_total(wb: pd.DataFrame, ccode: int, year: int) -> float | None:
    """Exports plus imports of goods and services (percent of GDP times GDP), World Bank."""
    rows = wb[(wb.ccode == ccode) & (wb.year == year)]
    need = ["gdp_usd", "exports_pct_gdp", "imports_pct_gdp"]
    if rows.empty or any(c not in rows for c in need) or rows[need].isna().any().any():
        return None
    r = rows.iloc[0]
    return float(r.gdp_usd * (r.exports_pct_gdp + r.imports_pct_gdp) / 100.0)


def _share_result(
    bilateral: float,
    country: int,
    year: int,
    data: DataSources,
    claim: Claim,
    numerator: str,
    detail: dict[str, Any],
) -> Computed:
    atlas = _load(data, "atlas-country-year", claim)
    total = _atlas_total(atlas, country, year)
    detail = {
        **detail,
        "year": year,
        "bilateral_bn_usd": round(bilateral / _BN, 3),
        "atlas_total_bn_usd": round(total / _BN, 3),
    }
    alternatives = []
    if data.available("worldbank-rus-chn"):
        bop = _bop_total(data.load("worldbank-rus-chn", purpose=claim.id), country, year)
        if bop is not None:
            alternatives.append(
                Alternative(
                    "denominator: exports plus imports of goods and services "
                    "(World Bank, balance of payments)",
                    100.0 * bilateral / bop,
                    {"bop_total_bn_usd": round(bop / _BN, 3)},
                )
            )
    if claim.value > 0:
        detail["denominator_implied_by_claim_bn_usd"] = round(
            bilateral / (claim.value / 100.0) / _BN, 1
        )
    return Computed(
        100.0 * bilateral / total,
        detail,
        definition=f"{numerator} over the country's goods exports plus imports in the Atlas "
        "(mirror-reconciled)",
        alternatives=alternatives,
    )


def trade_share_of_total(claim: Claim, data: DataSources, params: dict[str, Any]) -> Computed:
    """Percent of a country's trade that is with its partner (Russia and China only).

    Numerator: the year's Russia–China trade (twelve months of the monthly
    table). Denominator: the country's goods exports plus imports in the Atlas
    (mirror-reconciled); the alternative denominator is its exports plus imports
    of goods and services (World Bank), when that file is registered.
    """
    _check_rus_chn(claim, params)
    country, _ = _pair(claim, params)
    monthly = data.load("rus-chn-monthly-trade", purpose=claim.id)
    year = claim.period.end.year
    bilateral = _trade_total(monthly, year, "rus-chn-monthly-trade")
    return _share_result(
        bilateral, country, year, data, claim, "Russia–China trade (monthly table)", {}
    )


def _eurostat_year(
    euro: pd.DataFrame, year: int, product: str, flows: tuple[str, ...], partner: int
) -> float:
    rows = euro[
        (euro.year == year)
        & (euro["product"] == product)
        & euro.flow.isin(flows)
        & (euro.partner_cow == partner)
    ]
    months = rows[rows.value_eur.notna()].groupby("flow").month.nunique()
    if rows.empty or any(months.get(f, 0) != 12 for f in flows):
        full = sorted(
            y
            for y in _years(euro)
            if all(
                euro[
                    (euro.year == y)
                    & (euro["product"] == product)
                    & (euro.flow == f)
                    & (euro.partner_cow == partner)
                    & euro.value_eur.notna()
                ].month.nunique()
                == 12
                for f in flows
            )
        )
        raise NotCovered(
            f"the eurostat-eu-russia file has no twelve months of {year} for product {product} "
            f"({', '.join(flows)})" + (f"; full years: {', '.join(map(str, full))}" if full else "")
        )
    return float(rows.value_eur.sum())


def eu_share_of_trade(claim: Claim, data: DataSources, params: dict[str, Any]) -> Computed:
    """Percent of a country's trade that is with the EU-27, from Eurostat (EUR) and the Atlas (USD).

    Numerator: the EU member states' imports from plus exports to the country
    in the year (Eurostat Comext, all products), converted to dollars at the
    check's ``usd_per_eur`` (the ECB's annual average reference rate).
    Denominator as :func:`trade_share_of_total`.
    """
    country = to_cow(actor_param(params, "country", claim.actor))
    year = int(params.get("year", claim.period.end.year))
    rate = params.get("usd_per_eur")
    if rate is None:
        raise NotCovered("the check needs 'usd_per_eur' (the year's average exchange rate)")
    euro = data.load("eurostat-eu-russia", purpose=claim.id)
    members = set(bloc_members("EU", year))
    reporters = set(euro.reporter_cow.unique())
    outside = sorted(int(r) for r in reporters - members if r > 0)
    if outside:
        raise NotCovered(f"the Eurostat file has reporters outside the EU in {year}: {outside}")
    eur = _eurostat_year(euro, year, "TOTAL", ("import", "export"), country)
    bilateral = eur * float(rate)
    return _share_result(
        bilateral,
        country,
        year,
        data,
        claim,
        "EU-27 trade with the country (Eurostat, at the ECB's average rate)",
        {
            "eu_bn_eur": round(eur / _BN, 3),
            "usd_per_eur": float(rate),
            "eu_reporters": len(reporters),
        },
    )


# --- energy's share of exports ----------------------------------------------------------


def _hs_shares(flows: pd.DataFrame, year: int) -> tuple[float, float, float]:
    rows = flows[flows.year == year]
    total = float(rows.value_usd.sum())
    hs27 = float(rows.loc[rows.hs2 == "27", "value_usd"].sum())
    hs25_27 = float(rows.loc[rows.hs2.isin(["25", "26", "27"]), "value_usd"].sum())
    return total, 100.0 * hs27 / total, 100.0 * hs25_27 / total


def energy_share_of_exports(claim: Claim, data: DataSources, params: dict[str, Any]) -> Computed:
    """Percent of a country's exports to a partner that is HS chapter 27 (mineral fuels), from BACI.

    The alternative counts HS 25-27 (salt, ores and fuels: all mineral products).
    """
    exporter, importer = _pair(claim, params)
    baci = data.load("baci-rus-chn", purpose=claim.id)
    flows = baci[(baci.exporter_cow == exporter) & (baci.importer_cow == importer)]
    year = claim.period.end.year
    years = _years(flows)
    if year not in years:
        near = _nearest(years, year)
        if near is None:
            raise NotCovered(
                f"the baci-rus-chn file has no flows from COW {exporter} to {importer}"
            )
        _, s27, s2527 = _hs_shares(flows, near)
        raise NotCovered(
            f"the registered baci-rus-chn file covers {years[0]}-{years[-1]}, not {year}; "
            f"{near} gives HS 27 {s27:.1f}% (HS 25-27 {s2527:.1f}%)"
        )
    total, s27, s2527 = _hs_shares(flows, year)
    return Computed(
        s27,
        {"year": year, "exports_bn_usd": round(total / _BN, 3)},
        definition="HS chapter 27 (mineral fuels, oils and products of their distillation)",
        alternatives=[Alternative("HS chapters 25-27 (all mineral products)", s2527)],
    )


def eu_energy_share_of_imports(claim: Claim, data: DataSources, params: dict[str, Any]) -> Computed:
    """Percent of the EU-27's imports from a country that is HS chapter 27, from Eurostat (EUR)."""
    country = to_cow(actor_param(params, "country", claim.actor))
    year = int(params.get("year", claim.period.end.year))
    euro = data.load("eurostat-eu-russia", purpose=claim.id)
    total = _eurostat_year(euro, year, "TOTAL", ("import",), country)
    hs27 = _eurostat_year(euro, year, "27", ("import",), country)
    return Computed(
        100.0 * hs27 / total,
        {
            "year": year,
            "imports_bn_eur": round(total / _BN, 3),
            "hs27_bn_eur": round(hs27 / _BN, 3),
        },
        definition="HS chapter 27 in EU-27 imports from the country (as the EU declares them)",
    )


# --- direct investment ------------------------------------------------------------------


def _position(cdis: pd.DataFrame, investor: str, host: int, year: int, claim: Claim) -> float:
    rows = cdis[(cdis.investor == investor) & (cdis.host_cow == host)]
    have = rows[rows.position_musd.notna()]
    if have.empty:
        hosts = sorted(set(cdis.loc[cdis.investor == investor, "host"]))
        raise NotCovered(
            f"the imf-cdis-china file has no position of {investor} in COW {host}; it covers "
            f"{', '.join(hosts)}"
        )
    value = have.loc[have.year == year, "position_musd"]
    if value.empty:
        years = _years(have)
        near = _nearest(years, year)
        near_value = float(have.loc[have.year == near, "position_musd"].iloc[0])
        raise NotCovered(
            f"the imf-cdis-china file covers {years[0]}-{years[-1]}, not {year}; "
            f"{near} gives {near_value / 1000:.2f} bn USD"
        )
    return float(value.iloc[0]) * 1e6


def fdi_position(claim: Claim, data: DataSources, params: dict[str, Any]) -> Computed:
    """An investor's direct-investment position in a host (IMF CDIS), in the claim's scale."""
    host = to_cow(actor_param(params, "host", claim.partner))
    investor = actor_param(params, "investor", claim.actor)
    year = claim.period.end.year
    cdis = data.load("imf-cdis-china", purpose=claim.id)
    usd = _position(cdis, investor, host, year, claim)
    return Computed(usd / claim.scale, {"year": year, "usd": usd})


def fdi_share_of_gdp(claim: Claim, data: DataSources, params: dict[str, Any]) -> Computed:
    """An investor's position in a host (IMF CDIS) in percent of the host's GDP (World Bank), same year."""
    host = to_cow(actor_param(params, "host", claim.partner))
    investor = actor_param(params, "investor", claim.actor)
    year = claim.period.end.year
    usd = _position(data.load("imf-cdis-china", purpose=claim.id), investor, host, year, claim)
    wb = _load(data, "worldbank-rus-chn", claim)
    gdp = wb.loc[(wb.ccode == host) & (wb.year == year), "gdp_usd"].dropna()
    if gdp.empty:
        raise NotCovered(f"the worldbank-rus-chn file has no GDP of COW {host} in {year}")
    return Computed(
        100.0 * usd / float(gdp.iloc[0]),
        {
            "year": year,
            "position_bn_usd": round(usd / _BN, 3),
            "gdp_bn_usd": round(float(gdp.iloc[0]) / _BN, 1),
        },
    )


def fdi_ratio(claim: Claim, data: DataSources, params: dict[str, Any]) -> Computed:
    """The ratio of an investor's positions in two hosts (IMF CDIS), same year."""
    investor = actor_param(params, "investor", claim.actor)
    host = to_cow(actor_param(params, "host", claim.partner))
    other = to_cow(actor_param(params, "other_host", None))
    year = claim.period.end.year
    cdis = data.load("imf-cdis-china", purpose=claim.id)
    try:
        first = _position(cdis, investor, host, year, claim)
    except NotCovered as exc:
        # say what the data hold for the other host, so the reader sees how far the check got
        try:
            second = _position(cdis, investor, other, year, claim)
            known = f"; {investor}'s position in COW {other} in {year}: {second / _BN:.2f} bn USD"
        except NotCovered as other_exc:
            known = f"; for COW {other}: {other_exc}"
        raise NotCovered(f"{exc}{known}") from None
    second = _position(cdis, investor, other, year, claim)
    if second <= 0:
        raise NotCovered(f"the position in COW {other} in {year} is not positive")
    return Computed(
        first / second,
        {
            "year": year,
            "host_bn_usd": round(first / _BN, 3),
            "other_bn_usd": round(second / _BN, 3),
        },
    )


# --- the border -------------------------------------------------------------------------


def border_length(claim: Claim, data: DataSources, params: dict[str, Any]) -> Computed:
    """The land border between two countries in km: the sum of the Factbook's segments.

    The registered Factbook file may be either country's (Russia's lists "China
    (southeast) 4,133 km and China (south) 46 km"; China's the same two segments).
    """
    a, b = _pair(claim, params)
    fb = data.load("cia-factbook", purpose=claim.id)
    owner = int(fb.ccode.iloc[0]) if len(fb) else -1
    if owner not in (a, b):
        raise NotCovered(
            f"the registered cia-factbook file is {fb.country.iloc[0] if len(fb) else 'empty'}'s; "
            "register the file of either country of the border"
        )
    other = b if owner == a else a
    segments = fb[(fb.field == "border") & (fb.partner_cow == other)]
    if segments.empty:
        raise NotCovered(f"the Factbook lists no land border with COW {other}")
    return Computed(
        float(segments.value.sum()),
        {
            "segments_km": {
                str(k): float(v) for k, v in zip(segments.item, segments.value, strict=True)
            },
            "file": str(fb.country.iloc[0]),
        },
        definition="sum of the Factbook's land-boundary segments",
    )


COMPUTATIONS: dict[str, Computation] = {
    "bilateral_trade_total": bilateral_trade_total,
    "bilateral_trade_growth": bilateral_trade_growth,
    "trade_share_of_total": trade_share_of_total,
    "eu_share_of_trade": eu_share_of_trade,
    "energy_share_of_exports": energy_share_of_exports,
    "eu_energy_share_of_imports": eu_energy_share_of_imports,
    "fdi_position": fdi_position,
    "fdi_share_of_gdp": fdi_share_of_gdp,
    "fdi_ratio": fdi_ratio,
    "border_length": border_length,
}

__all__ = ["COMPUTATIONS", *COMPUTATIONS]
