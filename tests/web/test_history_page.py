"""The History page (issue 18): timeline figure, year strip, a year's triangle and evidence,
in English and Swedish; and the report's history section."""

from __future__ import annotations

import json
import re

import pytest

from powerbalance import i18n


def _figure(html: str, figure_id: str) -> dict:
    block = re.search(
        rf'<script type="application/json" id="{figure_id}-data">(.*?)</script>', html, re.S
    )
    assert block, f"the {figure_id} figure's data is on the page"
    return json.loads(block.group(1))


def _text(html: str) -> str:
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    html = re.sub(r"<(\w+)[^>]*\blang=\"en\"[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_history_is_in_the_navigation():
    from powerbalance.interfaces.web.pages import NAV

    assert ("history", "/history") in NAV
    assert i18n.label("history", "sv") == "Historia"


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_history_page_draws_the_timeline_and_links_every_year(readonly_client, lang):
    r = readonly_client.get(f"/history?lang={lang}")
    assert r.status_code == 200
    html = r.text
    assert i18n.label("history_title", lang) in html
    fig = _figure(html, "history-figure")
    # three tie panels and a configuration band; every point carries its year for the click
    assert {"y", "y2", "y3", "y4"} <= {tr.get("yaxis") for tr in fig["data"]}
    fused = [tr for tr in fig["data"] if tr.get("mode") == "lines+markers"]
    assert len(fused) == 3 and all(tr["customdata"] == tr["x"] for tr in fused)
    assert 'data-year-href="/history?year="' in html
    links = re.findall(r'<a href="/history\?year=(\d{4})#year" class="year', html)
    assert [int(y) for y in links] == list(range(1946, 2026))
    assert 'id="transitions"' in html or i18n.label("no_transitions", lang) in html


def test_a_year_shows_its_triangle_and_the_evidence_behind_each_tie(readonly_client):
    """The bundled corpus's dated events make the events channel; 2023's ties rest on them."""
    html = readonly_client.get("/history?year=2023&lang=en").text
    assert 'id="year" data-year="2023"' in html
    ties = re.findall(r'<h3 class="year-tie" data-tie="([A-Z]+-[A-Z]+)"', html)
    assert ties == ["USA-RUS", "USA-CHN", "RUS-CHN"]
    tri = _figure(html, "year-triangle")
    assert any(tr.get("mode") == "markers+text" for tr in tri["data"])
    # each tie lists its channels' contributions; the events channel links its evidence records
    assert html.count('class="data contributions"') == 3
    assert re.search(r'<tr class="contribution" data-channel="events">', html)
    assert re.search(r'<a href="/evidence/ev\.[^"]+">ev\.', html)
    # the channels without data are named as such, not as zero
    assert 'class="absent" data-channel="un_votes"' in html


def test_a_year_outside_the_history_says_so_and_shows_the_rest(readonly_client):
    html = readonly_client.get("/history?year=1800").text
    assert 'id="year-problem"' in html and "outside the history" in html
    assert 'id="history-figure"' in html
    # junk is ignored
    assert readonly_client.get("/history?year=abc").status_code == 200


def test_swedish_history_page_has_no_english_theory_words(readonly_client):
    text = _text(readonly_client.get("/history?year=2023&lang=sv").text)
    for word in ("stable marriage", "romantic triangle", "unit veto", "outcast", "pivot", "role"):
        assert not re.search(rf"(?<![\w.-]){word}(?![\w.-])", text), word
    assert "Triangeln genom tiden" in text and "daterade händelser" in text


def test_report_has_the_history_section(tmp_path):
    from powerbalance.app.report import report_data
    from powerbalance.evidence import load_corpus
    from powerbalance.interfaces.report.build import figures, write_report

    data = report_data(load_corpus(), lang="sv")
    assert data["history"]["status"] == "ok"
    assert data["history"]["result"]["rule"]["id"] == "history-fusion-v1"
    assert "history" in figures(data)
    page = write_report(tmp_path / "r.html", data).read_text(encoding="utf-8")
    assert '<h2 id="history">Triangeln genom tiden</h2>' in page
    assert 'id="history-periods"' in page and 'id="data-history"' in page
