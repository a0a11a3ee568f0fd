"""``powerbalance data`` (add, list, info, remove), ``powerbalance dyads`` and ``powerbalance verify``."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from powerbalance.interfaces.cli._common import (
    JsonOption,
    console,
    emit_json,
    err_console,
    store,
)
from powerbalance.interfaces.cli._tables import (
    Col,
    check_limit,
    print_more,
    print_table,
)

if TYPE_CHECKING:
    from powerbalance.app.data import CoverageRow

# Loaded on use: the app layer (pandas and the readers) is not needed for `--help`.
# The statuses of powerbalance.indicators.verification (a test checks they agree).
STATUSES = ("verified", "depends_on_definition", "contradicted", "unverifiable")
# The names of powerbalance.frames.verbs.VERBS (a test checks they agree).
VERB_NAMES = ("capabilities", "trade", "arms", "un_alignment", "ideal_points")

data_app = typer.Typer(
    help=(
        "Public datasets (COW, SIPRI, UN votes, ideal points, IMF DOTS): nothing is bundled; "
        "download a file and register it with `powerbalance data add ID PATH`."
    ),
    no_args_is_help=True,
)

DataDirOption = typer.Option(
    None,
    "--data-dir",
    help="A folder searched for dataset files by name before the registered ones.",
    file_okay=False,
)


@data_app.command("add")
def data_add(
    dataset: str = typer.Argument(
        ..., help="Dataset id, e.g. cow-nmc (see `powerbalance data list`)."
    ),
    path: Path = typer.Argument(..., help="The downloaded file."),
    json_out: bool = JsonOption,
) -> None:
    """Check a downloaded file against the dataset's card and register it in the store."""
    from powerbalance.app import data as use_case

    with store() as s:
        reg = use_case.add_dataset(s, dataset, path)
    if json_out:
        emit_json(reg.to_dict())
        return
    cov = reg.coverage
    years = f", {cov[0]}-{cov[1]}" if cov else ""
    console.print(
        f"registered [bold]{escape(dataset)}[/]: {escape(reg.path)} ({reg.rows:,} rows{years})"
    )


@data_app.command("list")
def data_list(json_out: bool = JsonOption) -> None:
    """List every dataset card and the file registered for it."""
    from powerbalance.app import data as use_case

    with store(read_only=True) as s:
        rows = use_case.list_datasets(s)
    if json_out:
        emit_json([r.to_dict() for r in rows])
        return
    columns = [
        Col("id", "id"),
        Col("title", priority=2),
        Col("coverage", "number", priority=3, justify="left"),
        Col("registered file", priority=1),
    ]
    table_rows = [
        [
            escape(r.id),
            escape(r.title),
            f"{r.coverage[0]}-{r.coverage[1]}",
            escape(r.registered or "–"),
        ]
        for r in rows
    ]
    print_table(
        console,
        columns,
        table_rows,
        title="Datasets (register with `powerbalance data add ID PATH`)",
    )


@data_app.command("info")
def data_info(
    dataset: str = typer.Argument(..., help="Dataset id."),
    json_out: bool = JsonOption,
) -> None:
    """Show a dataset's card: coverage, licence, download URL, columns, citation, registration."""
    from powerbalance.app import data as use_case

    with store(read_only=True) as s:
        info = use_case.dataset_info(s, dataset)
    if json_out:
        emit_json(info.to_dict())
        return
    card = info.card
    console.print(f"[bold]{escape(card.id)}[/]: {escape(card.title)}")
    console.print(f"version: {escape(card.version)}")
    console.print(f"coverage: {card.coverage[0]}-{card.coverage[1]} ({card.unit})")
    console.print(f"download: {escape(card.url)}")
    console.print(f"licence: {escape(card.licence)}")
    for layout in card.layouts:
        cols = ", ".join(layout.columns)
        note = f" – {layout.note}" if layout.note else ""
        console.print(f"layout {layout.name} ({layout.format}): {escape(cols)}{escape(note)}")
    if card.needs:
        console.print(f"needs: {', '.join(card.needs)}")
    reg = info.registration
    console.print(
        "registered: " + (escape(f"{reg['path']} (sha256 {reg['sha256'][:12]}…)") if reg else "no")
    )
    console.print("citation:")
    console.print(escape(card.citation), highlight=False)


@data_app.command("remove")
def data_remove(dataset: str = typer.Argument(..., help="Dataset id.")) -> None:
    """Forget the file registered for a dataset (the file itself is not touched)."""
    from powerbalance.app import data as use_case

    with store() as s:
        removal = use_case.remove_dataset(s, dataset)
    console.print(f"{'removed' if removal.removed else 'nothing registered for'} {escape(dataset)}")


SUMMARY_COLUMNS = (
    "cinc1",
    "cinc2",
    "trade",
    "trade_share1",
    "trade_share2",
    "tiv_1to2",
    "tiv_2to1",
    "un_votes_common",
    "un_s",
    "un_kappa",
    "idealpoint_distance",
)


def _report_warnings(messages: Iterable[str]) -> None:
    for text in messages:
        err_console.print(f"[yellow]warning:[/] {escape(text)}", highlight=False)


_SCALES = {1e3: "thousand", 1e6: "million", 1e9: "billion", 1e12: "trillion"}


def _amount(r: CoverageRow, value: float) -> str:
    """A figure in the claim's own unit: ``245 billion USD``, ``34 percent``."""
    if r.unit == "money":
        scale = _SCALES.get(r.scale, f"x{r.scale:g}" if r.scale != 1 else "")
        return " ".join(p for p in (f"{value:g}", scale, r.currency or "") if p)
    return f"{value:g} {r.unit}"


def _claimed(r: CoverageRow) -> str:
    words = {"exact": "", "about": "about "}
    prefix = words.get(r.qualifier, r.qualifier.replace("_", " ") + " ")
    return prefix + _amount(r, r.claimed)


def _computed(r: CoverageRow) -> str:
    """Every figure the check computed, each with its definition and whether it agrees."""
    figures = r.figures
    if not figures:
        return "–"
    lines = []
    for f in figures:
        text = "–" if f.computed is None else _amount(r, f.computed)
        if f.definition:
            text += f" ({f.definition})"
        if len(figures) > 1 and f.agrees is not None:
            text += ": agrees" if f.agrees else ": disagrees"
        lines.append(text)
    return "\n".join(lines)


def _why(r: CoverageRow) -> str:
    if r.status == "unverifiable":
        return f"{r.reason}; settle with {r.settle_with}"
    return r.reason


def _cell(v: object) -> str:
    """A value of the dyad table: 22,887 (not 2.289e+04), 0.1234, – for missing."""
    if isinstance(v, float):
        if v != v:
            return "–"
        return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.4g}"
    return str(v)


def dyads(
    states: str = typer.Option(
        "USA,CHN,RUS", "--states", help="Comma-separated states (ISO3, COW letters or numbers)."
    ),
    start: int | None = typer.Option(None, "--from", help="First year."),
    end: int | None = typer.Option(None, "--to", help="Last year."),
    add: str = typer.Option(
        "",
        "--add",
        help=f"Comma-separated sources to join: {', '.join(VERB_NAMES)}.",
    ),
    directed: bool = typer.Option(
        True, "--directed/--undirected", help="Directed dyads (a,b and b,a)."
    ),
    all_states: bool = typer.Option(
        False, "--all-states", help="Every state in the system (ignores --states)."
    ),
    csv_out: bool = typer.Option(False, "--csv", help="Print CSV."),
    json_out: bool = JsonOption,
    data_dir: Path | None = DataDirOption,
    limit: int = typer.Option(
        200, "--limit", help="Rows to show in the table (0: all; --csv and --json give all)."
    ),
) -> None:
    """Build a dyad-year frame (peacesciencer style) and join capabilities, trade, arms, UN alignment."""
    from powerbalance.app import data as use_case

    check_limit(limit)
    query = use_case.dyad_query(
        states=None if all_states else [s.strip() for s in states.split(",") if s.strip()],
        start=start,
        end=end,
        verbs=[a.strip() for a in add.split(",") if a.strip()],
        directed=directed,
        data_dir=data_dir,
    )
    with store(read_only=True) as s:
        registered = use_case.registrations(s)
    show = sys.stderr.isatty() and not (csv_out or json_out)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err_console,
        disable=not show,
        transient=True,
    ) as progress:
        task = progress.add_task("building", total=None)
        result = use_case.dyads(
            query,
            registered,
            on_step=lambda step: progress.update(task, description=f"adding {step}"),
        )
    _report_warnings(result.warnings)
    frame = result.frame
    if csv_out:
        frame.to_csv(sys.stdout, index=False)
        return
    if json_out:
        emit_json(result.to_dict())
        return
    keys = ["iso3_1", "iso3_2", "year"]
    values = [c for c in SUMMARY_COLUMNS if c in frame.columns]
    shown = frame[keys + values].head(limit) if limit else frame[keys + values]
    # the keys always; of the values, the earlier in SUMMARY_COLUMNS the longer they stay
    columns = [Col(k, "id", justify="right") for k in keys] + [
        Col(c, "number", priority=len(values) - i) for i, c in enumerate(values)
    ]
    print_table(
        console,
        columns,
        [[_cell(v) for v in row] for row in shown.itertuples(index=False)],
        title=f"{len(frame):,} dyad-years; sources: {', '.join(frame.attrs.get('sources', []))}",
        see_all="--csv or --json",
    )
    print_more(console, len(frame) - len(shown), "use --limit 0 to show all, or --csv or --json")
    hidden = len(frame.columns) - len(shown.columns)
    if hidden > 0:
        console.print(f"({hidden} more columns with --csv or --json)")


#: The colour of each status (every status of powerbalance.indicators.verification).
STATUS_COLOURS = {
    "verified": "green",
    "depends_on_definition": "magenta",
    "contradicted": "red",
    "unverifiable": "yellow",
}


def verify(
    json_out: bool = JsonOption,
    data_dir: Path | None = DataDirOption,
    status: str | None = typer.Option(
        None,
        "--status",
        help="Show only the claims of one status: " + ", ".join(STATUSES) + ".",
    ),
) -> None:
    """Check the claims against the registered datasets: the coverage table.

    Per claim its status (verified, depends_on_definition, contradicted or
    unverifiable), the claimed figure, the computed figure under every
    definition the check reports, the dataset and the rule; totals by status.
    """
    from powerbalance.app import data as use_case

    query = use_case.verify_query(status=status, data_dir=data_dir)
    with store(read_only=True) as s:
        evidence = s.evidence()
        registered = use_case.registrations(s)
    verification = use_case.verify(evidence, registered, query)
    _report_warnings(verification.warnings)
    if json_out:
        emit_json(verification.to_dict())
        return
    rows = [
        [
            escape(r.claim),
            f"[{STATUS_COLOURS.get(r.status, 'white')}]{r.status}[/]",
            escape(r.period),
            escape(_claimed(r)),
            escape(_computed(r)),
            escape(r.dataset or "–"),
            escape(r.rule or "–"),
            escape(_why(r)),
        ]
        for r in verification.coverage
    ]
    columns = [
        Col("claim", "id"),
        Col("status", required=True),
        Col("period", "ids", priority=3),
        Col("claimed", priority=5),
        Col("computed", priority=5),
        Col("dataset", "ids", priority=4),
        Col("rule", priority=2),
        Col("why", priority=1),
    ]
    counts = verification.summary
    n = len(rows)
    title = ", ".join(f"{counts.get(k, 0)} {k}" for k in STATUSES)
    title += f" ({n} claim{'' if n == 1 else 's'})"
    print_table(console, columns, rows, title=title, show_lines=True)


def register(app: typer.Typer) -> None:
    app.add_typer(data_app, name="data")
    app.command("dyads")(dyads)
    app.command("verify")(verify)
