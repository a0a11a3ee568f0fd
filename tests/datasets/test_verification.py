"""Verification of the corpus claims against datasets: verified, contradicted, unverifiable."""

from __future__ import annotations

from pathlib import Path

import pytest

from powerbalance.datasets.cards import CARDS
from powerbalance.datasets.registry import DataSources
from powerbalance.evidence import load_corpus
from powerbalance.evidence.models import Claim
from powerbalance.indicators.verification import (
    COMPUTATIONS,
    settling_dataset,
    summary,
    verify,
    verify_claim,
)

CORPUS = load_corpus()


def claim(claim_id: str) -> Claim:
    record = CORPUS.get(claim_id)
    assert isinstance(record, Claim)
    return record


def test_every_check_names_a_card_and_a_computation():
    checked = [c for c in CORPUS.claims() if c.check is not None]
    assert len(checked) >= 8
    for c in checked:
        assert c.check.dataset in CARDS, c.id
        assert c.check.computation in COMPUTATIONS, c.id


def test_without_data_everything_is_unverifiable_and_says_what_would_settle_it():
    results = verify(CORPUS.claims(), DataSources())
    assert summary(results)["unverifiable"] == len(results) == len(CORPUS.claims())
    for r in results:
        assert r.settle_with, r.claim
        assert r.reason, r.claim
    by_id = {r.claim: r for r in results}
    for trade_2024 in (
        "econ.trade.rus_chn_total_2024",
        "econ.trade.chn_share_of_rus_2024",
        "econ.trade.rus_share_of_chn_2024",
        "econ.trade.rus_chn_growth_2021_2024",
    ):
        assert by_id[trade_2024].settle_with == "rus-chn-monthly-trade"
        assert "not registered" in by_id[trade_2024].reason
    assert by_id["econ.arms.chn_imports_change"].settle_with == "sipri-register"


def test_every_arms_trade_share_or_investment_claim_is_covered():
    """Arms and trade claims carry a check; investment and composition claims name the missing source."""
    for c in CORPUS.claims():
        family = c.indicator.split(".")[0]
        if family in {"arms", "trade"}:
            assert c.check is not None, c.id
        elif family in {"fdi", "exports"} and c.check is None:
            assert "no card yet" in settling_dataset(c), c.id


@pytest.mark.shared_data
def test_sipri_claims_verified(shared_file):
    """SIPRI register: China's arms imports 2020-24 are 64% below 2015-19 and Russia is the top supplier.

    The Economist (12 May 2025), citing SIPRI: -64 percent, Russia first. The register export
    of 12 Feb 2026 gives 2610.2 vs 7273.05 million TIV (-64.1%) and Russia 1869.25 of 2610.2.
    """
    data = DataSources(
        {"sipri-register": shared_file("sipri/sipri_trade_register_deliveries_1995_2025.csv")}
    )
    change = verify_claim(claim("econ.arms.chn_imports_change"), data)
    assert change.status == "verified"
    assert change.computed == pytest.approx(-64.11, abs=0.01)
    assert change.detail == {"tiv_2020-2024": 2610.2, "tiv_2015-2019": 7273.05}
    rank = verify_claim(claim("econ.arms.chn_top_supplier"), data)
    assert rank.status == "verified" and rank.computed == 1.0
    assert next(iter(rank.detail["suppliers_by_tiv"])) == "Russia"


@pytest.mark.shared_data
def test_eu_share_contradicted_with_both_numbers(shared_file):
    """Dated to 2013, the EU's 37% share of Russia's trade is contradicted by COW trade (46.4%).

    This is why the corpus reads "before the pivot" as 2021: a user claim that dates
    the figure to 2013 gets both numbers back.
    """
    from powerbalance.evidence.models import Check, Period

    data = DataSources(
        {
            "cow-trade-dyadic": shared_file("peacesciencer/cow_trade_ndy.rda"),
            "cow-trade-national": shared_file("cow_trade/National_COW_4.0.csv"),
        }
    )
    dated_2013 = claim("econ.trade.eu_share_of_rus_prepivot").model_copy(
        update={
            "period": Period.year(2013),
            "check": Check(
                dataset="cow-trade-dyadic",
                computation="cow_trade_share",
                params={"country": "RUS", "partner": "EU"},
                tolerance=3.0,
            ),
        }
    )
    r = verify_claim(dated_2013, data)
    assert r.status == "contradicted"
    assert r.claimed == 37.0
    assert r.computed == pytest.approx(46.375, abs=0.01)
    assert r.difference == pytest.approx(9.375, abs=0.01)
    # The corpus's own reading (2021) lies outside COW's coverage: unverifiable, naming DOTS.
    assert verify_claim(claim("econ.trade.eu_share_of_rus_prepivot"), data).status == "unverifiable"


@pytest.mark.shared_data
def test_un_votes_outside_coverage_unverifiable(shared_file):
    data = DataSources(
        {
            "unvotes": shared_file("unvotes/un_votes.rda"),
            "unvotes-roll-calls": shared_file("unvotes/un_roll_calls.rda"),
        }
    )
    r = verify_claim(claim("econ.un.chn_abstentions_ukraine"), data)
    # unvotes ends in 2020: the check reads the UN's resolution data (issue 16)
    assert r.status == "unverifiable"
    assert "unga-es-11 is not registered" in r.reason


def _dots_file(path: Path, chn_rus_2024_musd: tuple[float, float]) -> Path:
    """A small file in the DOTS bulk layout; the values are test inputs, not IMF figures."""
    exports, imports = chn_rus_2024_musd
    header = (
        '"Country Name","Country Code","Indicator Name","Indicator Code",'
        '"Counterpart Country Name","Counterpart Country Code","Attribute","Scale","2021","2024"'
    )
    rows = [
        ("China, P.R.: Mainland", "TXG_FOB_USD", "Russian Federation", 67000, exports),
        ("China, P.R.: Mainland", "TMG_CIF_USD", "Russian Federation", 80000, imports),
        ("China, P.R.: Mainland", "TXG_FOB_USD", "World", 3300000, 3500000),
        ("China, P.R.: Mainland", "TMG_CIF_USD", "World", 2700000, 2600000),
    ]
    lines = [header] + [
        f'"{r}","924","x","{ind}","{p}","1","Value","Millions","{a}","{b}"'
        for r, ind, p, a, b in rows
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# The corpus's trade claims are checked on the Russia–China tables (checks_econ); the DOTS
# computations stay available for a user's DOTS file, tested here with their old checks.
_DOTS_CHECKS = {
    "econ.trade.rus_chn_total_2024": ("dots_bilateral_total", {"reporter": "CHN"}, 5.0),
    "econ.trade.rus_chn_growth_2021_2024": ("dots_trade_growth", {"reporter": "CHN"}, 3.0),
    "econ.trade.chn_share_of_rus_2024": ("dots_trade_share", {"country": "RUS"}, 3.0),
    "econ.trade.rus_share_of_chn_2024": ("dots_trade_share", {"country": "CHN"}, 1.0),
}


def dots_claim(claim_id: str) -> Claim:
    from powerbalance.evidence.models import Check

    computation, params, tolerance = _DOTS_CHECKS[claim_id]
    check = Check(dataset="imf-dots", computation=computation, params=params, tolerance=tolerance)
    return claim(claim_id).model_copy(update={"check": check})


def test_dots_checks_verify_and_contradict(tmp_path):
    data = DataSources({"imf-dots": _dots_file(tmp_path / "DOT.csv", (115000, 130000))})
    total = verify_claim(dots_claim("econ.trade.rus_chn_total_2024"), data)
    assert total.status == "verified" and total.computed == pytest.approx(245.0)
    growth = verify_claim(dots_claim("econ.trade.rus_chn_growth_2021_2024"), data)
    assert growth.computed == pytest.approx(100 * (245000 / 147000 - 1), abs=1e-3)
    assert growth.status == "verified"  # 66.7% against the claimed 66%
    share = verify_claim(dots_claim("econ.trade.rus_share_of_chn_2024"), data)
    assert share.computed == pytest.approx(100 * 245000 / 6100000, abs=1e-3)
    assert share.status == "verified"
    # Russia's own world total is not in this file: that claim cannot be settled by it
    rus = verify_claim(dots_claim("econ.trade.chn_share_of_rus_2024"), data)
    assert rus.status == "unverifiable" and "2024" in rus.reason

    low = DataSources({"imf-dots": _dots_file(tmp_path / "DOT2.csv", (90000, 110000))})
    r = verify_claim(dots_claim("econ.trade.rus_chn_total_2024"), low)
    assert r.status == "contradicted"
    assert (r.claimed, r.computed) == (245.0, 200.0)


def test_dots_file_without_the_year(tmp_path):
    path = _dots_file(tmp_path / "DOT.csv", (1, 1))
    path.write_text(path.read_text().replace('"2024"', '"2019"'), encoding="utf-8")
    r = verify_claim(dots_claim("econ.trade.rus_chn_total_2024"), DataSources({"imf-dots": path}))
    assert r.status == "unverifiable" and "not 2024" in r.reason
