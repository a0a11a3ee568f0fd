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
    pdf_engine: str = typer.Option(
        "matplotlib",
        "--pdf-engine",
        help="Draw the PDF with matplotlib, or print the HTML report with headless chromium.",
    ),
    as_json: bool = JsonOption,
) -> None:
    """Write a report: the assessment, the evidence table with sources, the theory results.

    Claims are checked against the datasets registered in the store
    (`powerbalance data add`) and shown as verified, contradicted or
    unverifiable.

    The HTML report has its charts and Plotly's JavaScript inline, so it opens
    offline; the PDF is drawn with matplotlib (or, with --pdf-engine chromium,
    printed from the HTML by headless Chromium). With --scenario the scenario is
    run on the store's evidence, stored as a run, and its distributions are
    included.
    """
    from powerbalance.interfaces.report import sections
    from powerbalance.interfaces.report.build import write_report

    with (
        store() as s,
        ProgressReporter("scenario draws", enabled=scenario is not None) as bar,
    ):
        registrations = sections.DATASET_REGISTRY.attr("registrations")
        path = write_report(
            out,
            s.evidence(),
            registered=registrations(s) if registrations is not None else None,
            fmt=fmt,
            lang=lang,
            scenario=scenario,
            save_run=lambda fn: fn(s),
            progress=bar.update,
            pdf_engine=pdf_engine,
        )
    if as_json:
        emit_json({"report": str(path), "bytes": path.stat().st_size})
    else:
        console.print(f"wrote {path} ({path.stat().st_size:,} bytes)")


def register(app: typer.Typer) -> None:
    app.command("report")(report)
