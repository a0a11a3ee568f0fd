"""Dependence indicators: known values from The Economist, 12 May 2025."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from powerbalance.errors import MissingEvidence
from powerbalance.evidence import Claim, Evidence, load_corpus
from powerbalance.indicators import dependence as dep


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_trade_share_asymmetry_russia_china(corpus):
    """China 34% of Russia's trade vs Russia 4% of China's (2024): ratio 8.5, gap 30 pp."""
    ratio, diff = dep.trade_share_asymmetry(corpus, "RUS", "CHN")
    assert ratio.value == pytest.approx(8.5)
    assert diff.value == pytest.approx(30)
    assert set(ratio.claims) == {
        "econ.trade.chn_share_of_rus_2024",
        "econ.trade.rus_share_of_chn_2024",
    }
    assert ratio.period == "2024"
    reverse, _ = dep.trade_share_asymmetry(corpus, "CHN", "RUS")
    assert reverse.value == pytest.approx(4 / 34)


def test_implied_2021_trade(corpus):
    """245 bn USD in 2024 after 66% growth since 2021 implies 245/1.66 = 147.6 bn in 2021."""
    r = dep.implied_trade_level(corpus, "RUS", "CHN")
    assert r.value == pytest.approx(245e9 / 1.66)
    assert r.period == "2021"
    assert r.unit == "USD"


def test_partner_shift_eu_to_china(corpus):
    r = dep.partner_shift(corpus, "RUS", "EU", "CHN")
    assert (r.inputs["old_share"], r.inputs["new_share"], r.value) == (37, 34, -3)
    assert r.claims == ("econ.trade.eu_share_of_rus_prepivot", "econ.trade.chn_share_of_rus_2024")


def test_investment(corpus):
    share, gdp, kaz = dep.investment_relative_to_gdp(corpus, "CHN", "RUS")
    assert share.value == 1
    assert gdp.value == pytest.approx(18e9 / 0.01)
    assert kaz.value == pytest.approx(9e9)
    assert dep.investment_asymmetry(corpus, "EU", "RUS").value == pytest.approx(311 / 136)


def test_concentration_and_arms(corpus):
    assert dep.export_concentration(corpus, "RUS", "CHN").value == 80
    assert dep.export_concentration(corpus, "RUS", "EU").value == 62
    assert dep.change_ratio(corpus.get("econ.arms.chn_imports_change")).value == pytest.approx(0.36)


def test_missing_evidence_is_an_error_not_zero(corpus):
    with pytest.raises(MissingEvidence, match="USA"):
        dep.trade_share_asymmetry(corpus, "USA", "CHN")


def _share(cid, actor, partner, value):
    return Claim(
        id=cid,
        indicator="trade.share_of_total",
        actor=actor,
        partner=partner,
        value=value,
        unit="percent",
        period=2024,
        source="s",
        section="x",
        statement="A share claim for tests.",
    )


@given(st.floats(0.1, 100), st.floats(0.1, 100))
def test_asymmetry_is_reciprocal(a, b):
    ev = Evidence([_share("c.ab", "A1", "B1", a), _share("c.ba", "B1", "A1", b)])
    r1, d1 = dep.trade_share_asymmetry(ev, "A1", "B1")
    r2, d2 = dep.trade_share_asymmetry(ev, "B1", "A1")
    assert math.isclose(r1.value * r2.value, 1.0, rel_tol=1e-9)
    assert d1.value == pytest.approx(-d2.value)
