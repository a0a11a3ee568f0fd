"""Arithmetic lines and notes of the dependence indicators in Swedish (`--lang sv`).

Each result carries its formula and note as a template key plus parameters;
:func:`powerbalance.i18n.indicator_text` writes them in a language. English
stays exactly as before; Swedish is written everywhere: CLI, dashboard, HTML
and PDF report.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import string
import subprocess

import pytest

from powerbalance.app.present import plain
from powerbalance.app.report import report_data
from powerbalance.evidence import load_corpus
from powerbalance.i18n import (
    INDICATOR_TEXTS,
    components_line,
    format_decimal,
    formula_number,
    indicator_text,
    render_indicator,
)
from powerbalance.indicators import dependence as dep
from powerbalance.indicators.base import IndicatorResult
from powerbalance.indicators.dependence import triangle_indicators
from powerbalance.interfaces.cli import assess as assess_cli
from powerbalance.interfaces.cli.main import main
from powerbalance.interfaces.report import build

NBSP = "\u00a0"

# The Swedish lines of the bundled corpus's indicators (actor names stay as ids).
SWEDISH = {
    "trade.share_asymmetry.ratio": (
        "34 % / 4 % = 8,5",
        "RUS är 8,5 gånger så beroende av handeln med CHN som CHN är av handeln med RUS.",
    ),
    "trade.share_asymmetry.difference": ("34 % - 4 % = 30 p.e.", ""),
    "trade.bilateral.total.implied": (
        "245 mdr / (1 + 66/100) = 147,6 mdr USD",
        "Nivån 2021 härledd ur nivån 2024 och uppgiften om tillväxten.",
    ),
    "trade.partner_shift": (
        "CHN 34 % (2024) - EU 37 % (ca 2021) = -3 p.e.",
        "CHN har nu 91,89 % av den plats som EU hade i RUS:s handel före omsvängningen.",
    ),
    "exports.energy_concentration": ("energins andel av RUS:s export till CHN = 80 %", ""),
    "fdi.share_of_gdp": ("CHN:s investeringar i RUS = 1 % av RUS:s BNP", ""),
    "gdp.implied": (
        f"18 mdr / 1 % = 1{NBSP}800 mdr USD",
        "RUS:s BNP härledd ur de två uppgifterna (avrundade tal: en storleksordning).",
    ),
    "fdi.stock.implied_reference": (
        "18 mdr / 2 = 9 mdr USD",
        "CHN:s investeringar i KAZ härledda ur kvotuppgiften.",
    ),
    "fdi.asymmetry.ratio": ("311 mdr / 136 mdr EUR = 2,287", ""),
    "arms.imports.change.ratio": ("1 + (-64/100) = 0,36", ""),
}

# The English lines as they were before templates (they must not change).
ENGLISH = {
    "trade.share_asymmetry.ratio": (
        "34% / 4% = 8.5",
        "RUS depends 8.5 times as much on trade with CHN as CHN does on RUS.",
    ),
    "trade.share_asymmetry.difference": ("34% - 4% = 30 pp", ""),
    "trade.bilateral.total.implied": (
        "245 bn / (1 + 66/100) = 147.6 bn USD",
        "The 2021 level implied by the 2024 level and the growth claim.",
    ),
    "trade.partner_shift": (
        "CHN 34% (2024) - EU 37% (c. 2021) = -3 pp",
        "CHN now holds 91.89% of the place EU held in RUS's trade before the pivot.",
    ),
    "exports.energy_concentration": ("energy share of RUS's exports to CHN = 80%", ""),
    "fdi.share_of_gdp": ("CHN investment in RUS = 1% of RUS's GDP", ""),
    "gdp.implied": (
        "18 bn / 1% = 1,800 bn USD",
        "RUS's GDP implied by the two claims (rounded figures: an order of magnitude).",
    ),
    "fdi.stock.implied_reference": (
        "18 bn / 2 = 9 bn USD",
        "CHN's investment in KAZ implied by the ratio claim.",
    ),
    "fdi.asymmetry.ratio": ("311 bn / 136 bn EUR = 2.287", ""),
    "arms.imports.change.ratio": ("1 + (-64/100) = 0.36", ""),
}


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture(scope="module")
def results(corpus) -> dict[str, IndicatorResult]:
    computed, missing = triangle_indicators(corpus)
    assert not missing
    found = [r for _, r in computed]
    # first result per key (the energy share appears twice: to China, then to the EU)
    out: dict[str, IndicatorResult] = {}
    for r in found:
        out.setdefault(r.key, r)
    return out


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


# --- the templates ---------------------------------------------------------------------


def test_every_template_has_english_and_swedish():
    assert INDICATOR_TEXTS
    for key, parts in INDICATOR_TEXTS.items():
        assert "formula" in parts, key
        for part, texts in parts.items():
            assert part in ("formula", "note"), (key, part)
            assert texts.get("en") and texts.get("sv"), (key, part)
            # the same numbers and names in both languages
            assert _fields(texts["en"]) == _fields(texts["sv"]), (key, part)


def test_every_dependence_result_carries_a_template(corpus, results):
    more = dep.investment_relative_to_gdp(corpus, "CHN", "RUS")
    more += [
        dep.export_concentration(corpus, "RUS", "EU"),
        dep.partner_shift(corpus, "RUS", "EU", "CHN"),
    ]
    for r in list(results.values()) + more:
        assert r.template in INDICATOR_TEXTS, r.key
        # the English text is the template's English, so the two never drift apart
        assert render_indicator(r.template, r.params, "en") == (r.formula, r.note), r.key
        d = r.to_dict()
        assert d["template"] == r.template and d["params"] == r.params


# --- known values -----------------------------------------------------------------------


def test_english_lines_are_unchanged(results):
    assert set(results) == set(ENGLISH)
    for key, (formula, note) in ENGLISH.items():
        assert (results[key].formula, results[key].note) == (formula, note), key
        assert indicator_text(results[key], "en") == (formula, note), key


def test_swedish_lines(results):
    for key, expected in SWEDISH.items():
        assert indicator_text(results[key], "sv") == expected, key


def test_swedish_lines_from_json_rows(results):
    """The report's and the assessment's rows are dicts that went through JSON."""
    for key, expected in SWEDISH.items():
        row = json.loads(json.dumps(plain(results[key])))
        assert indicator_text(row, "sv") == expected, key
        assert indicator_text(row, "en") == ENGLISH[key], key


def test_swedish_numbers_and_words():
    assert formula_number(147.59036) == "147.6"
    assert formula_number(147.59036, "sv") == "147,6"
    assert formula_number(1800.0, "sv") == f"1{NBSP}800"
    assert formula_number(12345.6) == "12,346"
    assert formula_number(12345.6, "sv") == f"12{NBSP}346"
    assert formula_number(None) == "nan" and formula_number(None, "sv") == "—"
    assert formula_number(float("nan"), "sv") == "—"
    p = {
        "level": 2.5,
        "growth": 10.0,
        "implied": 2.2727,
        "scale": 1e12,
        "unit": "money",
        "then": "c. 2019",
        "now": "2020-2024",
    }
    assert render_indicator("implied_level", p, "en") == (
        "2.5 tn / (1 + 10/100) = 2.273 tn money",
        "The c. 2019 level implied by the 2020-2024 level and the growth claim.",
    )
    assert render_indicator("implied_level", p, "sv") == (
        "2,5 biljoner / (1 + 10/100) = 2,273 biljoner pengar",
        "Nivån ca 2019 härledd ur nivån 2020-2024 och uppgiften om tillväxten.",
    )
    p = {"a": "X", "b": "Y", "s_ab": 5.0, "s_ba": 0.0, "ratio": None}
    assert render_indicator("trade.share_asymmetry.ratio", p, "sv")[0] == "5 % / 0 % = —"


def test_results_without_a_template_stay_as_written():
    plain_result = IndicatorResult(key="x", value=1.0, unit="ratio", formula="1 / 1 = 1", claims=())
    assert indicator_text(plain_result, "sv") == ("1 / 1 = 1", "")
    row = {"formula": "a = b", "note": "n", "template": "no.such.template", "params": {}}
    assert indicator_text(row, "sv") == ("a = b", "n")
    # params that do not fit (a row from an older version): the stored English
    row = {"formula": "34% / 4% = 8.5", "note": "", "template": "change_ratio", "params": {}}
    assert indicator_text(row, "sv") == ("34% / 4% = 8.5", "")
    assert indicator_text({"formula": "f"}, "sv") == ("f", "")


def test_tie_figures_take_a_decimal_comma():
    assert format_decimal(1 / 3) == "0.33" and format_decimal(1 / 3, "sv") == "0,33"
    assert format_decimal(0.74, "sv", signed=True) == "+0,74"
    assert format_decimal(1.0, "en", signed=True) == "+1.00"
    comps = {"political_USA_to_RUS": -1 / 6, "political": -1 / 3}
    assert components_line(comps) == "political_USA_to_RUS=-0.17, political=-0.33"
    assert components_line(comps, "sv") == "political_USA_to_RUS=-0,17; political=-0,33"


# --- the CLI ------------------------------------------------------------------------------


def _assess(capsys, monkeypatch, tmp_path, *args: str) -> str:
    # wide enough that no cell wraps
    monkeypatch.setattr(assess_cli.console, "width", 1000)
    assert main(["--store", str(tmp_path / "s.duckdb"), "assess", *args]) == 0
    return capsys.readouterr().out


def test_assess_in_swedish_writes_swedish_arithmetic(capsys, monkeypatch, tmp_path):
    out = _assess(capsys, monkeypatch, tmp_path, "--lang", "sv")
    for formula, note in SWEDISH.values():
        assert formula in out
        assert note in out
    assert "147,6 mdr USD" in out and "30 p.e." in out
    for formula, note in ENGLISH.values():
        assert formula not in out
        assert not note or note not in out
    for english in ("energy share of", " pp", " bn ", "times as much", "implied by"):
        assert english not in out, english
    # the ties: strength and basis with a decimal comma
    assert "0,33" in out and "political=-0,33" in out and "interdependence=0,34" in out
    assert "0.33" not in out and "=-0.33" not in out


def test_assess_in_english_is_unchanged(capsys, monkeypatch, tmp_path):
    out = _assess(capsys, monkeypatch, tmp_path)
    for formula, note in ENGLISH.values():
        assert formula in out
        assert note in out
    assert "political=-0.33" in out and "0.33" in out


def test_assess_json_keeps_english_and_adds_the_language(capsys, tmp_path):
    assert main(["--store", str(tmp_path / "s.duckdb"), "assess", "--json", "--lang", "sv"]) == 0
    data = json.loads(capsys.readouterr().out)
    rows = {}
    for row in data["dependence"]:
        rows.setdefault(row["key"], row)
    for key, (formula, note) in SWEDISH.items():
        assert (rows[key]["formula_text"], rows[key]["note_text"]) == (formula, note), key
        assert (rows[key]["formula"], rows[key]["note"]) == ENGLISH[key], key
        assert rows[key]["template"] in INDICATOR_TEXTS


# --- the report and the dashboard ------------------------------------------------------


def _text(page: str) -> str:
    page = re.sub(r"<script.*?</script>", " ", page, flags=re.S)
    # collapse white space but keep the non-breaking spaces between thousands (1 800)
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _section(page: str, start: str, end: str) -> str:
    m = re.search(re.escape(start) + r"(.*?)" + re.escape(end), page, re.S)
    assert m, start
    return m.group(1)


def test_swedish_html_report(tmp_path, corpus):
    page = build.write_report(tmp_path / "r.html", report_data(corpus, lang="sv")).read_text(
        encoding="utf-8"
    )
    dependence = _text(_section(page, '<h2 id="dependence">', '<h2 id="theory">'))
    for key in ("trade.share_asymmetry.difference", "trade.bilateral.total.implied"):
        assert SWEDISH[key][0] in dependence
    assert "147,6 mdr USD" in dependence and "30 p.e." in dependence
    for formula, _ in ENGLISH.values():
        assert formula not in dependence
    ties = _text(_section(page, '<table id="ties">', "</table>"))
    assert "0,33" in ties and "-0,33" in ties and "0.33" not in ties
    en = build.write_report(tmp_path / "e.html", report_data(corpus, lang="en")).read_text(
        encoding="utf-8"
    )
    dependence = _text(_section(en, '<h2 id="dependence">', '<h2 id="theory">'))
    assert ENGLISH["trade.bilateral.total.implied"][0] in dependence
    assert "0.33" in _text(_section(en, '<table id="ties">', "</table>"))


@pytest.fixture
def client(tmp_path):
    from fastapi.testclient import TestClient

    from powerbalance.evidence.store import open_store
    from powerbalance.interfaces.web.app import create_app
    from powerbalance.interfaces.web.security import Settings

    path = tmp_path / "store.duckdb"
    with open_store(path):
        pass
    with TestClient(create_app(Settings(store_path=path)), base_url="http://127.0.0.1:8000") as c:
        yield c


def test_swedish_dashboard(client):
    overview = client.get("/?lang=sv").text
    table = _text(_section(overview, 'id="assessment-dependence">', "</table>"))
    for formula, note in SWEDISH.values():
        assert formula in table
        assert note in table
    for formula, note in ENGLISH.values():
        assert formula not in table
        assert not note or note not in table
    ties = _text(_section(overview, 'id="ties">', "</table>"))
    assert "0,33" in ties and "-0,33" in ties and "0.33" not in ties
    page = _text(client.get("/dependence?lang=sv").text)
    assert SWEDISH["trade.bilateral.total.implied"][0] in page
    assert "34 % - 4 % = 30 p.e." in page
    assert ENGLISH["trade.bilateral.total.implied"][0] not in page


def test_english_dashboard_is_unchanged(client):
    overview = client.get("/?lang=en").text
    table = _text(_section(overview, 'id="assessment-dependence">', "</table>"))
    for formula, note in ENGLISH.values():
        assert formula in table
        assert note in table
    assert '<small lang="en">RUS depends 8.5 times' in overview
    assert "0.33" in _text(_section(overview, 'id="ties">', "</table>"))


def test_swedish_pdf_report(tmp_path, corpus, chromium):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = build.write_report(tmp_path / "r.pdf", report_data(corpus, lang="sv"))
    text = subprocess.run(
        ["pdftotext", str(out), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    flat = re.sub(r"\s+", " ", text)
    assert "147,6 mdr USD" in flat and "30 p.e." in flat
    assert "mdr / (1 + 66/100)" in flat
    assert "0,33" in flat
    assert " bn " not in flat and " pp" not in flat and "energy share of" not in flat
