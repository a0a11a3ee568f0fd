"""``powerbalance events``: GDELT event data to dyadic cooperation–conflict series.

Each command calls one use case of :mod:`powerbalance.app.events` and formats
its result; the engine is chosen by name in the engines layer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from powerbalance.interfaces.cli._common import JsonOption, ProgressReporter, console, emit_json
from powerbalance.interfaces.cli._tables import Col, print_more, print_table

events_app = typer.Typer(
    help="GDELT event data: ingest exports, aggregate dyad x period series, write synthetic files.",
    no_args_is_help=True,
)


@contextmanager
def _progress(what: str) -> Iterator[Callable[[float], None]]:
    """Progress on standard error: a bar on a terminal, a line every 5 s otherwise.

    The engines report fractions of the whole (0..1); standard output (--json) stays clean.
    """
    with ProgressReporter(what) as reporter:
        yield reporter.fraction


def _summary_lines(summary: dict[str, Any]) -> None:
    console.print(
        f"files: {summary['files']}  rows read: {summary['rows_read']:,}  "
        + (
            f"rows used: {summary['rows_used']:,}  "
            if "rows_used" in summary
            else f"rows written: {summary['rows_written']:,}  "
        )
        + f"rows rejected: {summary['rows_rejected']:,}",
        highlight=False,
    )
    if summary["rows_rejected"]:
        for label, n in summary["rejected_by_file"].items():
            console.print(f"  rejected in {escape(label)}: {n:,}", highlight=False)
        console.print("  first malformed rows:", highlight=False)
        for s in summary["reject_samples"]:
            console.print(f"    {escape(s)}", highlight=False)


@events_app.command("ingest")
def ingest(
    files: list[str] = typer.Argument(
        ..., help="GDELT 1.0/2.0 exports (plain or .zip), folders or globs."
    ),
    out: Path = typer.Option(..., "--out", help="Folder for the Parquet cache."),
    strict: bool = typer.Option(False, "--strict", help="Fail on the first malformed row."),
    threads: int | None = typer.Option(
        None, "--threads", min=1, max=256, help="DuckDB threads (default: all cores)."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Validate GDELT exports once and write a columnar Parquet cache that `aggregate` reads directly.

    Malformed rows (wrong column count, non-numeric Goldstein, bad dates) are
    counted and listed with file:line samples; they are not written.
    """
    from powerbalance.app.events import ingest as ingest_files

    with _progress("ingesting") as progress:
        summary = ingest_files(
            files, out, strict=strict, threads=threads, progress=progress
        ).to_dict()
    if as_json:
        emit_json(summary)
        return
    console.print(f"cache written: {escape(summary['cache'])}", highlight=False)
    _summary_lines(summary)


@events_app.command("aggregate")
def aggregate(
    files: list[str] = typer.Argument(
        ..., help="GDELT exports (plain or .zip), folders, globs or Parquet caches from `ingest`."
    ),
    freq: str = typer.Option("month", "--freq", help="Period: day, week, month or year."),
    countries: str | None = typer.Option(
        None, "--countries", help="Keep dyads among these countries, e.g. USA,CHN,RUS."
    ),
    directed: bool = typer.Option(
        False, "--directed", help="Keep actor1 -> actor2 apart from actor2 -> actor1."
    ),
    root_only: bool = typer.Option(False, "--root-only", help="Use root events only."),
    dedupe: bool = typer.Option(
        False, "--dedupe", help="One event per date, actor pair and event code."
    ),
    engine: str = typer.Option("duckdb", "--engine", help="duckdb (default) or spark."),
    master: str = typer.Option(
        "local[2]", "--master", help="Spark master: local[N] or a cluster URL (engine spark)."
    ),
    out: Path | None = typer.Option(None, "--out", help="Write the series to this .parquet file."),
    strict: bool = typer.Option(False, "--strict", help="Fail on the first malformed row."),
    reader: str = typer.Option(
        "auto",
        "--reader",
        help="Engine duckdb: 'auto' reads 2.0 exports with the compiled scanner (the fast "
        "extra) and leaves every row it is not sure of to DuckDB's CSV reader; 'duckdb' "
        "reads every row with DuckDB's reader. Both read the same rows and give the same "
        "counts; sums are carried exactly, so every number agrees bit for bit.",
    ),
    threads: int | None = typer.Option(
        None,
        "--threads",
        min=1,
        max=256,
        help="Engine duckdb: threads (default: all cores).",
    ),
    limit: int = typer.Option(
        20, "--limit", min=0, help="Rows of the series to show (0: every row)."
    ),
    no_table: bool = typer.Option(
        False, "--no-table", help="Print only the summary, not the series (with --out)."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Aggregate GDELT events to a dyad x period cooperation–conflict series.

    Per dyad and period: events per QuadClass, Goldstein sum and mean, mean tone,
    mention-weighted means, and the dyad's share of all events in the period.
    Ends with a summary: files, rows read, rows used, rows rejected.
    """
    from powerbalance.app.events import aggregate as aggregate_files

    with _progress(f"aggregating ({engine})") as progress:
        result = aggregate_files(
            files,
            freq=freq,
            countries=countries,
            directed=directed,
            root_only=root_only,
            dedupe=dedupe,
            engine=engine,
            master=master,
            out=out,
            strict=strict,
            reader=reader,
            threads=threads,
            progress=progress,
        )
    spec = result.spec
    summary = result.summary()
    if as_json:
        frame = result.frame.assign(period=result.frame["period"].dt.strftime("%Y-%m-%d"))
        emit_json({"summary": summary, "series": frame.to_dict(orient="records")})
        return
    if result.empty:
        console.print(
            "no dyad events matched: no row had two different actor countries"
            + (f" among {', '.join(spec.countries)}" if spec.countries else "")
            + ("; root-only was on" if root_only else ""),
            highlight=False,
        )
    elif not no_table:
        columns = [
            Col("period", "id"),
            Col("dyad", "id"),
            Col("events", "number", priority=5),
            *(Col(q, "number", priority=2) for q in ("q1", "q2", "q3", "q4")),
            Col("goldstein", "number", priority=4),
            Col("tone", "number", priority=3),
            Col("share", "number", priority=3),
        ]
        arrow = "->" if directed else "-"
        rows = [
            [
                f"{row.period:%Y-%m-%d}",
                escape(f"{row.actor1}{arrow}{row.actor2}"),
                f"{row.events:,}",
                f"{row.quad1:,}",
                f"{row.quad2:,}",
                f"{row.quad3:,}",
                f"{row.quad4:,}",
                f"{row.goldstein_mean:+.2f}",
                f"{row.tone_mean:+.2f}",
                f"{row.share:.2%}",
            ]
            for row in (result.frame.head(limit) if limit else result.frame).itertuples(index=False)
        ]
        title = f"dyad x {freq} series ({len(result.frame):,} rows)"
        print_table(console, columns, rows, title=title)
        print_more(
            console,
            len(result.frame) - len(rows),
            "raise --limit to show more; every row is in the --out file"
            if result.output
            else "raise --limit, or use --out FILE.parquet or --json for every row",
        )
    if result.output:
        console.print(f"series written: {escape(result.output)}", highlight=False)
    _summary_lines(summary)
    scanned = (
        f" (compiled scanner: {result.rows_scanned:,} rows; DuckDB's reader: the rest)"
        if result.rows_scanned
        else ""
    )
    console.print(f"engine: {result.engine}, {result.seconds:.2f} s{scanned}", highlight=False)


@events_app.command("synth")
def synth(
    out: Path = typer.Argument(
        ..., help="File to write (.export.CSV, or .zip for a zipped export)."
    ),
    rows: int = typer.Option(
        100_000, "--rows", help="Number of rows (at most 20,000,000: limit events.synth.rows)."
    ),
    version: int = typer.Option(
        2, "--version", help="GDELT format: 1 (daily, 57/58 columns) or 2 (61)."
    ),
    malformed: int = typer.Option(0, "--malformed", help="Plant this many malformed rows."),
    seed: int = typer.Option(0, "--seed", help="Random seed (same seed, same file)."),
    start: str = typer.Option("2024-01-01", "--start", help="First event date (YYYY-MM-DD)."),
    days: int = typer.Option(366, "--days", help="Event dates spread over this many days."),
    as_json: bool = JsonOption,
) -> None:
    """Write a realistic synthetic GDELT export for benchmarks and tests."""
    from powerbalance.app.events import synth as synth_file

    with ProgressReporter("rows written") as reporter:
        s = synth_file(
            out,
            rows=rows,
            version=version,
            seed=seed,
            malformed=malformed,
            start=start,
            days=days,
            progress=reporter.update,
        )
    data = {
        "path": str(s.path),
        "rows": s.rows,
        "version": s.version,
        "bytes": s.bytes,
        "malformed_lines": s.malformed_lines,
        "malformed_kinds": s.malformed_kinds,
    }
    if as_json:
        emit_json(data)
        return
    console.print(
        f"wrote {s.rows:,} GDELT {s.version}.0 rows ({s.bytes / 1e6:,.1f} MB) to {escape(str(s.path))}",
        highlight=False,
    )
    for line, kind in zip(s.malformed_lines, s.malformed_kinds, strict=True):
        console.print(f"  malformed on purpose, line {line}: {kind}", highlight=False)


@events_app.command("relate")
def relate(
    series: Path = typer.Argument(..., help="A series written by `events aggregate --out`."),
    actors: str = typer.Option("USA,RUS,CHN", "--actors", help="Countries to pair up."),
    start: str | None = typer.Option(None, "--start", help="First period to use (YYYY-MM-DD)."),
    end: str | None = typer.Option(None, "--end", help="Last period to use (YYYY-MM-DD)."),
    min_events: int = typer.Option(30, "--min-events", help="Fewer events give an unsigned tie."),
    weighting: str = typer.Option("events", "--weighting", help="events or mentions."),
    baseline: str = typer.Option(
        "0", "--baseline", help="Goldstein value to subtract, or 'series' for the series mean."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Derive signed relations (channel 'events', rule events-goldstein-v1) from a series."""
    from powerbalance.app.events import relate as relate_series

    rels = relate_series(
        series,
        actors=actors,
        start=start,
        end=end,
        min_events=min_events,
        weighting=weighting,
        baseline=baseline,
    )
    if as_json:
        emit_json([r.to_dict() for r in rels])
        return
    columns = [
        Col("dyad", "id"),
        Col("sign", "number", required=True),
        Col("strength", "number", priority=4),
        Col("events", "number", priority=3),
        Col("Goldstein", "number", priority=3),
        Col("period", "ids", priority=2),
    ]
    rows = []
    for r in rels:
        g = r.components.get("goldstein_mean", r.components.get("goldstein_mention_mean"))
        rows.append(
            [
                escape(f"{r.a}-{r.b}"),
                f"{r.sign:+d}",
                f"{r.strength:.3f}",
                f"{r.components['events']:,.0f}",
                "too few events" if g is None else f"{g:+.2f}",
                escape(r.period or ""),
            ]
        )
    print_table(console, columns, rows, title="relations from events (events-goldstein-v1)")


def register(app: typer.Typer) -> None:
    """Add the ``events`` command group."""
    app.add_typer(events_app, name="events")
