"""`--lang sv` is Swedish all the way: CLI, dashboard, HTML and PDF reports."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from powerbalance import i18n as core
from powerbalance.app import assess as assessment
from powerbalance.app.report import report_data
from powerbalance.evidence import load_corpus
from powerbalance.interfaces.cli import assess as assess_cli
from powerbalance.interfaces.cli.main import main
from powerbalance.interfaces.report import build
from powerbalance.scenarios.schema import bundled_text

# English words of the theory layer and of table headers that Swedish output must not show.
ENGLISH = (
    "stable marriage",
    "romantic triangle",
    "menage a trois",
    "unit veto",
    "pivot",
    "outcast",
    "wing",
    "amicable",
    "hostile",
    "arithmetic",
    "formula",
    "verdict",
    "role",
    "mean (base)",
    "P(sign changed)",
    "records",
    "not computed",
    "claims",
    "stances",
)


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def english_left(text: str) -> list[str]:
    """The English words left in ``text`` (not as part of an id such as ``evidence-stances-v1``)."""
    return [w for w in ENGLISH if re.search(r"(?<![\w.-])" + re.escape(w) + r"(?![\w.-])", text)]


def swedish_text(page: str) -> str:
    """Visible text of a page, without elements marked ``lang="en"`` (evidence statements)."""
    page = re.sub(r"<script.*?</script>", " ", page, flags=re.S)
    page = re.sub(r"<(\w+)[^>]*\blang=\"en\"[^>]*>.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_every_label_has_swedish():
    for key, entry in core.LABELS.items():
        assert entry.get("sv"), key
    for word, entry in core.TERMS.items():
        assert entry.get("sv"), word
    for word in ("stable marriage", "romantic triangle", "unit veto", "pivot", "outcast", "wing"):
        assert core.term(word, "sv") != word


def test_theory_words_in_swedish():
    assert core.term("stable marriage", "sv") == "stabilt äktenskap"
    assert core.term("romantic triangle", "sv") == "romantisk triangel"
    assert core.term("menage_a_trois", "sv") == "ménage à trois"
    assert core.term("pivot", "sv") == "vågmästare"
    assert core.term("outcast", "sv") == "utstött"
    line = "-1 (USA-RUS enmity) -1 (USA-CHN enmity) -1 (RUS-CHN amicable) = -3 (outcast)"
    assert core.arithmetic_line(line, "sv") == (
        "-1 (USA-RUS fiendskap) -1 (USA-CHN fiendskap) -1 (RUS-CHN vänskapliga) = -3 (utstött)"
    )
    assert core.arithmetic_line(line, "en") == line
    sentence = (
        "RUS (partner, +1) gains +2 by turning its tie with USA to amity: it becomes pivot in a "
        "romantic triangle; USA outcast -> wing (+2); CHN partner -> wing (-2)."
    )
    assert core.narrative_line(sentence, "sv") == (
        "RUS (partner, +1) vinner +2 genom att vända sitt band med USA till vänskap och blir "
        "vågmästare i konfigurationen romantisk triangel; USA utstött -> flygel (+2); "
        "CHN partner -> flygel (-2)."
    )


def test_assess_in_swedish_has_no_english_labels(capsys, tmp_path, monkeypatch):
    used: list[str] = []
    for module in (assess_cli, assessment):
        original = module.label

        def spy(key, lang="en", _original=original):
            used.append(key)
            return _original(key, lang)

        monkeypatch.setattr(module, "label", spy)
    # wide enough that no cell wraps, so the evidence's own English can be taken out below
    monkeypatch.setattr(assess_cli.console, "width", 1000)
    assert main(["--store", str(tmp_path / "s.duckdb"), "assess", "--lang", "sv"]) == 0
    out = capsys.readouterr().out
    assert used and not [k for k in used if k not in core.LABELS]
    result = assessment.assess(load_corpus(), lang="sv")
    english = [c["statement"] for c in result["claims"]] + [e["summary"] for e in result["events"]]
    english += [d["note"] for d in result["dependence"] if d.get("note")]
    english += [s["rationale"] for f in result["factions"] for s in f["stances"]]
    for text in english:
        out = out.replace(text, " ")
    flat = re.sub(r"\s+", " ", out)
    assert "stabilt äktenskap" in flat and "utstött" in flat
    assert "(RUS-CHN vänskapliga)" in flat
    assert "ställningstaganden från" in flat  # the footer
    assert english_left(flat) == []


def report_keys(monkeypatch) -> list[str]:
    """Record every label key the report asks for."""
    used: list[str] = []
    original = core.label

    def spy(key, lang="en"):
        used.append(key)
        return original(key, lang)

    monkeypatch.setattr(core, "label", spy)
    return used


def test_swedish_html_report_has_no_english_labels(tmp_path, corpus, monkeypatch):
    used = report_keys(monkeypatch)
    scenario = _small_scenario(tmp_path)
    out = build.write_report(
        tmp_path / "r.html", report_data(corpus, lang="sv", scenario=str(scenario))
    )
    page = out.read_text(encoding="utf-8")
    assert not sorted({k for k in used if k not in core.LABELS})
    text = swedish_text(page)
    assert "stabilt äktenskap" in text and "utstött" in text and "vågmästare" in text
    assert english_left(text) == []
    # the triangle figure's roles are Swedish too
    block = re.search(r'id="data-triangle">(.*?)</script>', page, re.S)
    assert block
    nodes = [t for t in json.loads(block.group(1))["data"] if t.get("mode") == "markers+text"]
    assert any("utstött" in label for label in nodes[0]["text"])
    # and so are the scenario's charts: titles, legends, configuration names
    block = re.search(r'id="data-scenario:configuration">(.*?)</script>', page, re.S)
    assert block
    fig = json.loads(block.group(1))
    assert fig["layout"]["title"]["text"] == "P(konfiguration)"
    assert [t["name"] for t in fig["data"]] == ["bas", "chockad"]
    assert "stabilt äktenskap" in fig["data"][0]["x"]
    assert english_left(" ".join(fig["data"][0]["x"])) == []


def test_swedish_dashboard_pages_have_no_english_labels(readonly_client, monkeypatch):
    used = report_keys(monkeypatch)
    for url in ("/", "/dependence", "/evidence", "/datasets", "/events", "/scenarios"):
        page = readonly_client.get(f"{url}?lang=sv").text
        assert english_left(swedish_text(page)) == [], url
    assert not sorted({k for k in used if k not in core.LABELS})
    overview = readonly_client.get("/?lang=sv").text
    m = re.search(r'<div id="triangle-result">(.*?)</div>', overview, re.S)
    assert m
    assert "stabilt äktenskap" in m.group(1) and "utstött" in m.group(1)


def test_swedish_pdf_report(tmp_path, corpus, monkeypatch, chromium):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    used = report_keys(monkeypatch)
    out = build.write_report(tmp_path / "r.pdf", report_data(corpus, lang="sv"))
    assert not sorted({k for k in used if k not in core.LABELS})
    text = subprocess.run(
        ["pdftotext", str(out), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    flat = re.sub(r"\s+", " ", text)
    assert "stabilt äktenskap" in flat and "utstött" in flat and "uträkning" in flat
    # The PDF is the HTML printed: the interface words are the HTML's, checked word by word
    # above on the page itself; the evidence statements stay in the project's English.


def _small_scenario(tmp_path: Path, draws: int = 300) -> Path:
    text = bundled_text("reverse-kissinger")
    text = re.sub(r"(?m)^draws\s*=\s*\d+", f"draws = {draws}", text)
    path = tmp_path / "reverse-kissinger.toml"
    path.write_text(text, encoding="utf-8")
    return path
