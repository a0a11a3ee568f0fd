"""``powerbalance report``: a self-contained HTML or PDF report."""

from __future__ import annotations

from pathlib import Path

import typer

from powerbalance.interfaces.cli._common import (
    JsonOption,
    LangOption,
    ProgressReporter,
    console,
    emit_json,
    store,
)


def report(
    out: Path = typer.Argument(..., help="The report file to write (.html or .pdf)."),
    fmt: str | None = typer.Option(
        None, "--format", help="html or pdf (default: from OUT's suffix, else html)."
    ),
    lang: str = LangOption,
    scenario: str | None = typer.Option(
        None,
        "--scenario",
        help="Also run this scenario (a bundled name or a TOML file) and report its results.",
    ),
    as_json: bool = JsonOption,
) -> None:
    """Write a report: the assessment, the evidence table with sources, the theory results.

    Claims are checked against the datasets registered in the store
    (`powerbalance data add`) and shown as verified, contradicted or
    unverifiable.

    The HTML report has its charts and Plotly's JavaScript inline, so it opens
    offline; the PDF is that HTML printed by headless Chromium (charts as in the
    browser). With --scenario the scenario is run on the store's evidence, stored
    as a run, and its distributions are included.
    """
    from powerbalance.app.report import store_report_data
    from powerbalance.interfaces.report.build import check_request, write_report

    check_request(out, fmt, lang)  # a bad format or folder is refused before any work
    with (
        store() as s,
        ProgressReporter("scenario draws", enabled=scenario is not None) as bar,
    ):
        data = store_report_data(s, lang=lang, scenario=scenario, progress=bar.update)
    path = write_report(out, data, fmt=fmt)
    if as_json:
        emit_json({"report": str(path), "bytes": path.stat().st_size})
    else:
        console.print(f"wrote {path} ({path.stat().st_size:,} bytes)")


def register(app: typer.Typer) -> None:
    app.command("report")(report)
