"""Server-rendered pages: every page answers, in English and Swedish, showing library results."""

from __future__ import annotations

import json
import re

import pytest

from powerbalance import i18n
from powerbalance.app import pages
from powerbalance.errors import MissingEvidence
from powerbalance.interfaces.web.pages import NAV

PAGES = [href for _, href in NAV] + ["/evidence/new", "/unlock", "/evidence?kind=claim&q=trade"]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("lang", ["en", "sv"])
def test_every_page_renders(readonly_client, url, lang):
    sep = "&" if "?" in url else "?"
    r = readonly_client.get(f"{url}{sep}lang={lang}")
    assert r.status_code == 200, r.text[:500]
    assert f'<html lang="{lang}">' in r.text
    for key, _ in NAV:
        assert i18n.label(key, lang) in r.text


def test_language_choice_is_remembered(readonly_client):
    readonly_client.get("/?lang=sv")
    assert '<html lang="sv">' in readonly_client.get("/events").text


def test_overview_draws_the_triangle(readonly_client):
    html = readonly_client.get("/").text
    block = re.search(
        r'<script type="application/json" id="triangle-figure-data">(.*?)</script>', html, re.S
    )
    assert block, "the triangle figure's data is on the page"
    fig = json.loads(block.group(1))
    api = readonly_client.get("/api/relations").json()["relations"]
    labels = [t["text"][0] for t in fig["data"] if t.get("mode") == "text"]
    assert labels == [f"{r['weight']:+.2f}" for r in api]
    for r in api:
        assert f'data-pair="{r["a"]}-{r["b"]}" data-sign="{r["sign"]}"' in html


def test_pages_say_plainly_when_the_evidence_lacks_something(readonly_client, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise MissingEvidence(
            "no stance of RUS on CHN; add one with `powerbalance evidence import`"
        )

    monkeypatch.setattr(pages, "derive_relations", refuse)
    html = readonly_client.get("/?lang=en").text
    assert 'data-status="missing_evidence"' in html
    assert i18n.label("missing_evidence", "en") in html
    assert "no stance of RUS on CHN" in html
    assert 'id="headline"' in html or "econ2025" in html  # the rest of the page is still shown


def test_a_bug_is_not_shown_as_missing_evidence(readonly_client, monkeypatch):
    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(pages, "derive_relations", broken)
    with pytest.raises(ZeroDivisionError):
        readonly_client.get("/?lang=en")


def test_evidence_detail_shows_source_and_verification(readonly_client):
    html = readonly_client.get("/evidence/econ.trade.rus_chn_total_2024").text
    assert "econ2025" in html
    assert "verification" in html


def test_page_for_unknown_record_is_404(readonly_client):
    r = readonly_client.get("/evidence/no.such.record")
    assert r.status_code == 404
    assert "unknown record" in r.text


def test_scripts_only_from_the_server(readonly_client):
    html = readonly_client.get("/dependence").text
    srcs = re.findall(r'<script src="([^"]+)"', html)
    assert srcs == ["/static/plotly.min.js", "/static/app.js"]
    # every other script block is inert JSON data
    assert all(
        'type="application/json"' in tag for tag in re.findall(r"<script(?! src)[^>]*>", html)
    )
