"""Reports and dashboard tell the truth: verification, dates on charts, money written once."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from datetime import date

import pytest

from powerbalance.app import pages
from powerbalance.app import report as report_use
from powerbalance.app.present import period_x
from powerbalance.app.report import report_data
from powerbalance.evidence import load_corpus
from powerbalance.i18n import format_money, format_number, format_value
from powerbalance.interfaces.cli.main import main
from powerbalance.interfaces.report import build

SIPRI = "sipri/sipri_trade_register_deliveries_1995_2025.csv"
SIPRI_CLAIMS = ("econ.arms.chn_imports_change", "econ.arms.chn_top_supplier")


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def run(capsys, *args: str) -> tuple[int, str, str]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


def claim_row(page: str, claim_id: str) -> str:
    """The visible text of a claim's row in the report's evidence table."""
    m = re.search(r"<tr><td>" + re.escape(claim_id) + r"</td>.*?</tr>", page, re.S)
    assert m, f"{claim_id} is not in the evidence table"
    return html.unescape(re.sub(r"<[^>]+>", " ", m.group(0)))


def visible(page: str) -> str:
    """A page's text without scripts and tags."""
    page = re.sub(r"<script.*?</script>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


# --- 1. the report checks claims against the datasets registered in the store -------------


@pytest.mark.shared_data
def test_report_shows_sipri_claims_verified(capsys, tmp_path, shared_file):
    """`powerbalance verify` finds the SIPRI claims verified: the HTML report must say so too.

    Before the fix the report never passed the registrations on, so both claims read
    "checkable against sipri-register" although the register was in the store.
    """
    store = str(tmp_path / "s.duckdb")
    register = shared_file(SIPRI)
    assert run(capsys, "--store", store, "data", "add", "sipri-register", str(register))[0] == 0
    rc, out, _ = run(capsys, "--store", store, "verify", "--json", "--status", "verified")
    assert rc == 0
    assert {r["claim"] for r in json.loads(out)["results"]} == set(SIPRI_CLAIMS)

    report = tmp_path / "r.html"
    assert run(capsys, "--store", store, "report", str(report))[0] == 0
    page = report.read_text(encoding="utf-8")
    for claim_id in SIPRI_CLAIMS:
        row = claim_row(page, claim_id)
        assert "verified (sipri-register)" in row, row
        assert "checkable" not in row and "unverifiable" not in row
    # arms imports -64% and Russia first: the claims the register confirms
    assert "-64%" in claim_row(page, "econ.arms.chn_imports_change")

    sv = tmp_path / "r-sv.html"
    assert run(capsys, "--store", store, "report", "--lang", "sv", str(sv))[0] == 0
    for claim_id in SIPRI_CLAIMS:
        assert "verifierad (sipri-register)" in claim_row(sv.read_text(encoding="utf-8"), claim_id)


@pytest.mark.shared_data
def test_pdf_report_shows_sipri_claims_verified(capsys, tmp_path, shared_file):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    store = str(tmp_path / "s.duckdb")
    bare = str(tmp_path / "bare.duckdb")
    register = shared_file(SIPRI)
    assert run(capsys, "--store", store, "data", "add", "sipri-register", str(register))[0] == 0

    def pdf_text(store_file: str, name: str) -> str:
        out = tmp_path / name
        assert run(capsys, "--store", store_file, "report", str(out))[0] == 0
        done = subprocess.run(
            ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True, timeout=120
        )
        return done.stdout

    # "verified" as a word (not "unverifiable"): exactly the two SIPRI claims, in the evidence
    # table and in the coverage table, and the coverage totals ("verified: 2"); the bare
    # store verifies nothing (its totals read "verified: 0")
    text = pdf_text(store, "r.pdf")
    assert len(re.findall(r"\bverified\b", text)) == 2 + 2 + 1
    assert re.search(r"\bverified:\s*2\b", text)
    bare_text = pdf_text(bare, "bare.pdf")
    assert re.findall(r"\bverified\b", bare_text) == ["verified"]
    assert re.search(r"\bverified:\s*0\b", bare_text)


def test_report_data_uses_the_registrations_it_is_given(tmp_path, corpus, monkeypatch):
    """write_report hands ``registered`` on to the verification (no dataset needed here)."""
    seen = {}

    def statuses(evidence, registered):
        seen["registered"] = registered
        return {"econ.arms.chn_imports_change": {"status": "verified", "dataset": "sipri-register"}}

    monkeypatch.setattr(report_use, "claim_statuses", statuses)
    registered = {"sipri-register": {"path": "x.csv"}}
    out = build.write_report(tmp_path / "r.html", report_data(corpus, registered=registered))
    assert seen["registered"] == registered
    assert "verified (sipri-register)" in claim_row(
        out.read_text(encoding="utf-8"), "econ.arms.chn_imports_change"
    )


# --- 2. a year's figure is plotted at that year ---------------------------------------------


def test_period_positions():
    assert period_x(date(2024, 1, 1), date(2024, 12, 31)) == "2024-01-01"
    assert period_x(date(2020, 1, 1), date(2024, 12, 31)) == "2024-01-01"
    assert period_x(date(2025, 3, 1), date(2025, 3, 31)) == "2025-03-01"
    assert period_x(date(2025, 2, 24), date(2025, 5, 9)) == "2025-05-09"


def test_yearly_claims_are_plotted_at_their_year(tmp_path, corpus):
    series = {
        (s["indicator"], s["actor"], s["partner"]): s for s in pages.dependence(corpus)["series"]
    }
    rus_chn = series[("trade.share_of_total", "RUS", "CHN")]["points"]
    assert [(p["period"], p["x"]) for p in rus_chn] == [("2024", "2024-01-01")]
    eu = series[("fdi.stock", "EU", "RUS")]["points"]
    assert [(p["period"], p["x"]) for p in eu] == [("2019", "2019-01-01")]

    page = build.write_report(tmp_path / "r.html", report_data(corpus)).read_text(encoding="utf-8")
    block = re.search(
        r'<script type="application/json" id="data-dep:trade.share_of_total">(.*?)</script>',
        page,
        re.S,
    )
    assert block
    fig = json.loads(block.group(1))
    xs = {x for trace in fig["data"] for x in trace["x"]}
    assert xs == {"2021-01-01", "2024-01-01"}  # c. 2021 and 2024, not the next January
    assert fig["layout"]["xaxis"]["tickformat"] == "%Y"


# --- 3. money is written once, the same way everywhere ------------------------------------


def test_format_money_known_values():
    implied = 245e9 / 1.66  # the 2021 trade level implied by 245 bn and 66% growth
    assert format_money(implied, "USD") == "147.6 bn USD"
    assert format_money(implied, "USD", "sv") == "147,6 mdr USD"
    assert format_money(245e9, "USD") == "245 bn USD"
    assert format_money(1.8e12, "USD") == "1.8 tn USD"
    assert format_money(1.8e12, "USD", "sv") == "1,8 biljoner USD"
    assert format_money(9e9, "USD", "sv") == "9 mdr USD"
    assert format_money(2.5e6, "EUR") == "2.5 m EUR"
    assert format_money(999.96e9, "USD") == "1 tn USD"
    assert format_money(-3e9, "EUR") == "-3 bn EUR"
    assert format_number(1800, "sv") == "1\u00a0800"
    assert format_value(311, "money", currency="EUR", scale=1e9) == "311 bn EUR"
    assert format_value(311, "money", "sv", currency="EUR", scale=1e9) == "311 mdr EUR"
    assert format_value(34.0, "percent", "sv") == "34 %"


def test_assess_writes_money_once(capsys, tmp_path):
    store = str(tmp_path / "s.duckdb")
    rc, out, _ = run(capsys, "--store", store, "assess")
    assert rc == 0
    assert "147.6 bn USD" in out and "1.8 tn USD" in out
    rc, out, _ = run(capsys, "--store", store, "assess", "--lang", "sv")
    assert rc == 0
    assert "147,6 mdr USD" in out  # the value column (the formula is the library's, in English)


def test_report_writes_money_once(tmp_path, corpus):
    en = visible(
        build.write_report(tmp_path / "en.html", report_data(corpus)).read_text(encoding="utf-8")
    )
    assert "147.6 bn USD" in en  # the implied trade level (an indicator, in dollars)
    assert "245 bn USD" in en and "311 bn EUR" in en  # claims given in billions
    assert "1.476e+11" not in en and "×1e+09" not in en
    sv = visible(
        build.write_report(tmp_path / "sv.html", report_data(corpus, lang="sv")).read_text(
            encoding="utf-8"
        )
    )
    assert "147,6 mdr USD" in sv and "245 mdr USD" in sv


def test_pdf_writes_money_once(tmp_path, corpus, chromium):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = build.write_report(tmp_path / "r.pdf", report_data(corpus, lang="sv"))
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    assert "147,6 mdr USD" in text and "245 mdr USD" in text


def test_dashboard_writes_money_once(readonly_client):
    en = visible(readonly_client.get("/?lang=en").text)
    assert "147.6 bn USD" in en and "245 bn USD" in en
    assert "147,590,361,446" not in en
    dep = visible(readonly_client.get("/dependence?lang=en").text)
    assert "147.6 bn USD" in dep
    sv = visible(readonly_client.get("/?lang=sv").text)
    assert "147,6 mdr USD" in sv and "245 mdr USD" in sv
    evidence = visible(readonly_client.get("/evidence?kind=claim&lang=en").text)
    assert "245 bn USD" in evidence and "money" not in evidence
