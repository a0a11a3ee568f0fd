"""The dashboard's Evidence page shows the coverage table of ``powerbalance verify`` (issue 16).

A claim whose figure depends on a definition shows both figures with their
definitions, in its badge and in the coverage table; the totals count every
status. The claims are built by the test and checked by a fake computation
registered for it (monkeypatch of ``COMPUTATIONS``), on a small IMF DOTS file
the test writes (the fake computation never reads it).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from powerbalance.app import data as use_case
from powerbalance.datasets.registry import DataSources
from powerbalance.evidence import load_corpus
from powerbalance.evidence.models import Check, Claim
from powerbalance.evidence.store import open_store
from powerbalance.indicators import verification
from powerbalance.indicators.checks_base import Alternative, Computed
from powerbalance.interfaces.web.app import create_app
from powerbalance.interfaces.web.security import Settings

FAKE = "test_two_definitions"
BASE = "http://127.0.0.1:8000"
# a number written with a decimal point (Swedish pages write a decimal comma)
POINT_DECIMAL = re.compile(r"(?<![\w.])[+-]?\d+\.\d+(?![\w.])")


def two_definitions(claim: Claim, data: DataSources, params: dict[str, Any]) -> Computed:
    """A fake check: the figures of the parameters, under two named definitions."""
    return Computed(
        float(params["main"]),
        definition="HS chapter 27",
        alternatives=[Alternative("HS chapters 25-27", float(params["alt"]))],
    )


def make_claim(claim_id: str, main: float, alt: float) -> Claim:
    """Energy's share of Russia's exports to China, 'more than 80 percent' (a test claim)."""
    base = load_corpus().get("econ.trade.chn_share_of_rus_2024")
    assert isinstance(base, Claim)
    check = Check(
        dataset="imf-dots",
        computation=FAKE,
        params={"main": main, "alt": alt},
        tolerance=0.5,
        note="a test check: HS 27 alone, or HS 25-27",
    )
    return Claim.model_validate(
        {
            **base.model_dump(),
            "id": claim_id,
            "value": 80.0,
            "qualifier": "more_than",
            "check": check.model_dump(),
        }
    )


def _dots_file(path: Path) -> Path:
    """A small file in the IMF DOTS bulk layout; its values are test inputs, not IMF figures."""
    header = (
        '"Country Name","Country Code","Indicator Name","Indicator Code",'
        '"Counterpart Country Name","Counterpart Country Code","Attribute","Scale","2021","2024"'
    )
    line = '"China, P.R.: Mainland","924","x","TXG_FOB_USD","Russian Federation","1","Value","Millions","67000","115000"'
    path.write_text(header + "\n" + line + "\n", encoding="utf-8")
    return path


@pytest.fixture
def client(web_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(verification.COMPUTATIONS, FAKE, two_definitions)
    with open_store(web_store) as s:
        use_case.add_dataset(s, "imf-dots", _dots_file(tmp_path / "dots.csv"))
        s.add_records(
            [
                make_claim("test.energy_depends", main=77.3, alt=81.2),
                make_claim("test.energy_verified", main=85.0, alt=86.0),
                make_claim("test.energy_contradicted", main=60.0, alt=62.0),
            ],
            origin="test",
            file="test_verification_page.py",
        )
    app = create_app(Settings(store_path=web_store))
    with TestClient(app, base_url=BASE) as c:
        yield c


def text_of(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def test_evidence_page_badge_shows_both_figures_with_their_definitions(client):
    page = client.get("/evidence?indicator=trade.*").text
    m = re.search(r'<tr class="record" data-id="test.energy_depends".*?</tr>', page, re.S)
    assert m, "the claim is not listed"
    badge = re.search(r'<span class="badge depends"[^>]*>.*?</span>\s*</td>', m.group(0), re.S)
    assert badge and 'data-verification="depends_on_definition"' in badge.group(0)
    words = text_of(badge.group(0))
    assert "depends on definition (imf-dots)" in words
    assert "77.3% ( HS chapter 27 ): disagrees" in words
    assert "81.2% ( HS chapters 25-27 ): agrees" in words
    # a verified and a contradicted claim keep their badges
    assert re.search(r'data-id="test.energy_verified".*?data-verification="verified"', page, re.S)
    assert re.search(
        r'data-id="test.energy_contradicted".*?data-verification="contradicted"', page, re.S
    )


def test_evidence_page_has_the_coverage_table_with_totals(client):
    page = client.get("/evidence").text
    table = re.search(r'<table class="data" id="coverage-table">.*?</table>', page, re.S)
    assert table, "no coverage table"
    row = re.search(r'<tr data-claim="test.energy_depends".*?</tr>', table.group(0), re.S)
    assert row and 'data-status="depends_on_definition"' in row.group(0)
    words = text_of(row.group(0))
    assert "more than 80%" in words
    assert "77.3% ( HS chapter 27 ): disagrees" in words
    assert "81.2% ( HS chapters 25-27 ): agrees" in words
    assert f"{FAKE}: ≥ 80 − 0.5 (more than)" in words and "imf-dots" in words
    assert "a test check: HS 27 alone, or HS 25-27" in words
    # every claim of the store has a row, whatever the page's filters show
    with open_store(client.app.state.ctx.settings.store_path, read_only=True) as s:
        n_claims = len(s.evidence().claims())
    assert table.group(0).count("<tr data-claim=") == n_claims
    totals = re.search(r'<span id="coverage-totals">(.*?)</summary>', page, re.S)
    assert totals
    counts = dict(re.findall(r'data-status="(\w+)">[^<]*?(\d+)</span>', totals.group(1)))
    assert set(counts) == set(verification.STATUSES)
    assert counts["depends_on_definition"] == "1" and counts["contradicted"] == "1"
    assert sum(int(n) for n in counts.values()) == n_claims
    # the filtered list shows the same table
    assert 'id="coverage-table"' in client.get("/evidence?indicator=arms.*").text


def test_api_rows_carry_the_definitions(client):
    rows = client.get("/api/evidence?indicator=trade.*").json()["records"]
    v = {r["id"]: r["verification"] for r in rows}["test.energy_depends"]
    assert v["status"] == "depends_on_definition"
    assert (v["definition"], v["computed"], v["agrees"]) == ("HS chapter 27", 77.3, False)
    assert v["alternatives"] == [
        {
            "definition": "HS chapters 25-27",
            "computed": 81.2,
            "difference": pytest.approx(1.2),
            "agrees": True,
        }
    ]


def test_swedish_evidence_page_writes_the_table_in_swedish(client):
    page = client.get("/evidence?lang=sv").text
    table = re.search(r'<details class="coverage" id="coverage">.*?</details>', page, re.S)
    assert table
    row = re.search(r'<tr data-claim="test.energy_depends".*?</tr>', table.group(0), re.S)
    assert row
    words = text_of(row.group(0))
    assert "beror på definitionen" in words
    assert "77,3 % ( HS chapter 27 ): stämmer inte" in words
    assert "81,2 % ( HS chapters 25-27 ): stämmer" in words
    assert f"{FAKE}: ≥ 80 − 0,5 (mer än)" in words
    # no "." decimals outside the English texts (the checks' notes, the definitions)
    swedish = re.sub(r"<(\w+)[^>]*\blang=\"en\"[^>]*>.*?</\1>", " ", table.group(0), flags=re.S)
    assert POINT_DECIMAL.findall(text_of(swedish)) == []
    assert "Påståenden kontrollerade mot offentliga data" in text_of(table.group(0))
