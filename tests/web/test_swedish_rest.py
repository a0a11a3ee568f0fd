"""`--lang sv` leaves no English period wording and no "." decimals behind (the rest of #sv)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from powerbalance import i18n as core
from powerbalance import i18n as report_i18n
from powerbalance.app.report import report_data
from powerbalance.evidence import load_corpus
from powerbalance.interfaces import figures as charts
from powerbalance.interfaces.cli import assess as assess_cli
from powerbalance.interfaces.cli.main import main
from powerbalance.interfaces.report import build
from powerbalance.relations.evidence import derive_relations

from .test_swedish import _small_scenario
from .test_swedish import swedish_text as _visible

# a number written with a decimal point: 0.33, -0.916 (not a version such as 0.1.0)
POINT_DECIMAL = re.compile(r"(?<![\w.])[+-]?\d+\.\d+(?![\w.])")


def swedish_text(page: str) -> str:
    """Visible text of a page (without its style sheet and English evidence statements)."""
    return _visible(re.sub(r"<style.*?</style>", " ", page, flags=re.S))


def english_text(page: str) -> str:
    """Visible text of an English page (all of it is lang="en")."""
    return swedish_text(page.replace('lang="en"', ""))


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_period_labels_in_swedish():
    assert core.period_label("c. 2021 → 2024", "sv") == "ca 2021 → 2024"
    assert core.period_label("c. 2021", "sv") == "ca 2021"
    assert core.period_label("c. 2021 → 2024", "en") == "c. 2021 → 2024"
    assert core.period_label(None, "sv") == ""
    assert core.period_label("2015-2019 → 2020-2024", "sv") == "2015-2019 → 2020-2024"


def test_relations_period_wording_is_translated_at_display(corpus):
    relations = derive_relations(corpus, actors=("USA", "RUS", "CHN"))
    periods = {r.period for r in relations}
    # the data keeps its English wording; Swedish output writes it in Swedish
    assert "as of the latest evidence" in periods
    for p in periods:
        assert core.period_label(p, "en") == p
        assert "latest" not in core.period_label(p, "sv")


def test_swedish_indicator_labels_and_general_numbers():
    assert core.indicator_label("fdi.share_of_gdp", "sv").startswith("Investeringar")
    assert core.indicator_label("fdi.share_of_gdp", "en") == "fdi.share_of_gdp"
    assert core.indicator_label("no.such.indicator", "sv") == "no.such.indicator"
    assert core.format_general(-0.91563, "sv") == "-0,9156"
    assert core.format_general(-0.91563) == "-0.9156"
    assert core.format_general(1234567.0, "sv") == "1\u00a0234\u00a0567"
    assert report_i18n.key_label("weighted_mean", "sv") == "viktat medelvärde"
    assert report_i18n.key_label("weighted_mean", "en") == "weighted_mean"


def test_triangle_figure_weights_take_the_decimal_comma():
    rel = [{"a": "USA", "b": "RUS", "sign": -1, "strength": 0.33, "weight": -1 / 3}]
    sv = charts.triangle_figure(["USA", "RUS", "CHN"], rel, lang="sv")
    en = charts.triangle_figure(["USA", "RUS", "CHN"], rel, lang="en")
    assert sv["data"][1]["text"] == ["-0,33"] and "vikt -0,33" in sv["data"][0]["text"]
    assert en["data"][1]["text"] == ["-0.33"] and "weight -0.33" in en["data"][0]["text"]


def test_swedish_html_report_has_no_point_decimals(tmp_path, corpus):
    scenario = _small_scenario(tmp_path)
    out = build.write_report(
        tmp_path / "r.html", report_data(corpus, lang="sv", scenario=str(scenario))
    )
    page = out.read_text(encoding="utf-8")
    text = swedish_text(page)
    assert "c. 2021" not in text and "ca 2021 → 2024" in text
    assert [text[max(0, m.start() - 80) : m.end() + 20] for m in POINT_DECIMAL.finditer(text)] == []
    assert "0,000" in text  # the scenario's tables
    assert "Investeringar som andel av värdlandets BNP" in text  # headline: the label
    # the triangle's tie weights and the charts' axes (Plotly separators)
    block = re.search(r'id="data-triangle">(.*?)</script>', page, re.S)
    assert block
    weights = [d["text"][0] for d in json.loads(block.group(1))["data"] if d["mode"] == "text"]
    assert weights and all("," in w and "." not in w for w in weights)
    assert 'separators: ",\\u00a0"' in page


def test_english_html_report_is_unchanged(tmp_path, corpus):
    scenario = _small_scenario(tmp_path)
    out = build.write_report(
        tmp_path / "r.html", report_data(corpus, lang="en", scenario=str(scenario))
    )
    text = english_text(out.read_text(encoding="utf-8"))
    assert "c. 2021 → 2024" in text and "ca 2021" not in text
    assert re.search(r"\b[01]\.\d{3}\b", text)  # "%.3f" scenario figures
    assert "fdi.share_of_gdp" in text


def test_swedish_dashboard_pages(readonly_client):
    overview = swedish_text(readonly_client.get("/?lang=sv").text)
    assert "as of the latest evidence" not in overview
    assert "enligt det senaste underlaget" in overview
    assert "c. 2021" not in overview
    dependence = swedish_text(readonly_client.get("/dependence?lang=sv").text)
    assert "ca 2021 → 2024" in dependence and "c. 2021" not in dependence
    assert "Asymmetri i handelsandelar (kvot)" in dependence
    bargaining = swedish_text(readonly_client.get("/bargaining?lang=sv").text)
    assert "viktat medelvärde" in bargaining
    # numbers of the page (not those inside the actor set's own English titles)
    assert POINT_DECIMAL.findall(bargaining.replace("(0.0 =", "").replace("100.0 =", "")) == []
    english = english_text(readonly_client.get("/?lang=en").text)
    assert "as of the latest evidence" in english


def test_swedish_scenario_summary_macro(readonly_client):
    # the stored run's page renders its summary through macros.html
    summary = {
        "configuration": {"base": {"stable marriage": 1.0}, "shocked": {"stable marriage": 0.3}},
        "roles": {"USA": {"base": {"outcast": 1.0}, "shocked": {"wing": 0.69, "outcast": 0.31}}},
        "ties": {
            "USA-RUS": {
                "base": {"mean": -0.916},
                "shocked": {"mean": 0.257, "p05": -0.5, "p95": 0.85},
                "p_amity": 0.672,
                "p_sign_changed": 0.672,
            }
        },
    }
    env = readonly_client.app.state.ctx.templates.env
    macros = env.from_string(
        '{% import "macros.html" as m with context %}{{ m.scenario_summary(s) }}'
    )
    sv = swedish_text(macros.render(s=summary, **report_i18n.helpers("sv")))
    en = english_text(macros.render(s=summary, **report_i18n.helpers("en")))
    assert "-0,916" in sv and "flygel 0,69" in sv and "0,672" in sv
    assert POINT_DECIMAL.findall(sv) == []
    assert "-0.916" in en and "wing 0.69" in en


def test_swedish_assess_key_evidence_period(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(assess_cli.console, "width", 1000)
    assert main(["--store", str(tmp_path / "s.duckdb"), "assess", "--lang", "sv"]) == 0
    out = capsys.readouterr().out
    assert "ca 2021" in out and "c. 2021" not in out
    assert main(["--store", str(tmp_path / "s.duckdb"), "assess"]) == 0
    assert "c. 2021" in capsys.readouterr().out


def test_swedish_pdf_report(tmp_path, corpus, chromium):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    scenario = _small_scenario(tmp_path)
    out = build.write_report(
        tmp_path / "r.pdf", report_data(corpus, lang="sv", scenario=str(scenario))
    )
    # -raw keeps the space of "1 %": the default mode drops it between two lone glyphs
    text = subprocess.run(
        ["pdftotext", "-raw", str(out), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    flat = re.sub(r"\s+", " ", text)
    assert "c. 2021" not in flat and "ca 2021" in flat
    assert re.search(r"Investeringar som andel av värdlandets BNP Kina Ryssland 1 %", flat)
    assert "trade.share_of_total Kina Ryssland 4 %" in flat
    assert not [n for n in POINT_DECIMAL.findall(flat) if n != "0.1"], flat  # bar the version
