"""Reports: self-contained HTML, a PDF that renders, the CLI command and its errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import plotly
import pytest

from powerbalance.app import pages
from powerbalance.app.report import report_data
from powerbalance.evidence import load_corpus
from powerbalance.evidence.models import Claim
from powerbalance.interfaces import figures
from powerbalance.interfaces.cli.main import main
from powerbalance.interfaces.report import build
from powerbalance.scenarios.schema import bundled_text


def small_scenario(tmp_path: Path, name: str = "reverse-kissinger", draws: int = 500) -> Path:
    """A bundled scenario with fewer draws, written to a file the CLI user passes."""
    text = bundled_text(name)
    text = re.sub(r"(?m)^draws\s*=\s*\d+", f"draws = {draws}", text)
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_html_report_is_self_contained(tmp_path, corpus):
    out = build.write_report(tmp_path / "r.html", report_data(corpus))
    html = out.read_text(encoding="utf-8")
    # no resource is fetched from anywhere: no external scripts, styles or images
    assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)="(https?:)?//', html)
    assert "<link" not in html
    shipped = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text(
        encoding="utf-8"
    )
    assert shipped[:2000] in html  # Plotly's JavaScript is inline
    # every claim is in the evidence table with its source id
    for c in corpus.of_type(Claim):
        assert c.id in html
        assert c.source in html
    # the triangle figure carries the library's weights
    block = re.search(
        r'<script type="application/json" id="data-triangle">(.*?)</script>', html, re.S
    )
    assert block
    fig = json.loads(block.group(1))
    weights = [t["text"][0] for t in fig["data"] if t.get("mode") == "text"]
    rel = pages.relations_section(corpus)
    assert weights == [f"{r['weight']:+.2f}" for r in rel["relations"]]


def test_html_report_in_swedish(tmp_path, corpus):
    html = build.write_report(tmp_path / "r.html", report_data(corpus, lang="sv")).read_text(
        encoding="utf-8"
    )
    assert '<html lang="sv">' in html
    assert "Underlag med källor" in html


@pytest.mark.slow
def test_report_with_a_scenario_stores_the_run(tmp_path, store_path, capsys):
    scenario = small_scenario(tmp_path)
    out = tmp_path / "with-scenario.html"
    rc = main(["report", "--scenario", str(scenario), "--json", str(out)])
    assert rc == 0, capsys.readouterr().err
    html = out.read_text(encoding="utf-8")
    assert 'id="scenario"' in html and "P(configuration)" in html
    # the bargaining forecasts: baselines on every draw, the spatial model on a subsample
    assert "bargaining forecast, median and 5-95%" in html and "KTAB spatial (pce)" in html
    from powerbalance.evidence.store import open_store

    with open_store(store_path, read_only=True) as s:
        ids = s.run_ids()
    assert len(ids) == 1 and ids[0] in html


@pytest.mark.slow
def test_cli_report_pdf_and_errors(tmp_path, store_path, capsys):
    assert main(["report", "--format", "pdf", "--lang", "sv", str(tmp_path / "r.pdf")]) == 0
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF-")
    capsys.readouterr()
    assert main(["report", "--format", "docx", str(tmp_path / "r.docx")]) == 2
    assert "unknown report format" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "no" / "such" / "dir.html")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["report", "--scenario", "no-such-scenario", str(tmp_path / "x.html")]) == 2
    assert "no-such-scenario" in capsys.readouterr().err


def test_cli_commands_have_help(capsys):
    for cmd in ("serve", "report"):
        assert main([cmd, "--help"]) == 0
    out = capsys.readouterr().out
    assert "--write-token" in out and "--scenario" in out


def test_scenario_bargaining_figure_shows_each_model_median_and_range():
    q = {"n": 9, "p05": 10.0, "p25": 20.0, "p50": 30.0, "p75": 40.0, "p95": 55.0}
    moved = {**q, "p05": 40.0, "p50": 61.0, "p95": 70.0}
    summary = {
        "bargaining": {
            "set": "us-russia",
            "weighted_mean": {"base": q, "shocked": moved},
            "weighted_median": {"base": q, "shocked": q},
            "model_draws": 9,
            "pce": {"base": q, "shocked": moved, "change": q},
        }
    }
    fig = figures.scenario_figures({"summary": summary})["bargaining"]
    shocked = next(t for t in fig["data"] if t["name"] == "shocked")
    assert shocked["x"] == ["weighted mean", "weighted median", "KTAB spatial (pce)"]
    assert shocked["y"] == [61.0, 30.0, 61.0]
    assert shocked["error_y"]["array"] == [9.0, 25.0, 9.0]  # p95 - p50
    assert shocked["error_y"]["arrayminus"] == [21.0, 20.0, 21.0]  # p50 - p05
    assert "us-russia" in fig["layout"]["title"]["text"]
    # no bargaining in the run: no figure
    assert "bargaining" not in figures.scenario_figures({"summary": {}})


def test_pdf_printed_by_chromium(tmp_path, chromium):
    import re

    from powerbalance.app.report import report_data
    from powerbalance.evidence import load_corpus
    from powerbalance.interfaces.report.build import write_report

    out = write_report(tmp_path / "report.pdf", report_data(load_corpus()))
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 3
