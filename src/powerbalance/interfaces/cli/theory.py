"""``powerbalance balance`` and ``powerbalance triangle``: structural balance and Dittmer's triangle."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from powerbalance.interfaces.cli._common import JsonOption, console, emit_json, err_console, store

if TYPE_CHECKING:
    from powerbalance.theory.balance import BalanceReport


def _fmt(x: float) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.7g}"


def _print_report(r: BalanceReport) -> None:
    f = r.frustration
    title = ", ".join(f"{k}={v}" for k, v in r.group.items()) or r.name
    t = Table(title=escape(title), show_header=False)
    t.add_column("measure")
    t.add_column("value", overflow="fold")
    t.add_row("nodes / edges / negative", f"{r.nodes} / {r.edges} / {r.negative_edges}")
    t.add_row("components / isolated nodes", f"{r.components} / {r.isolated_nodes}")
    t.add_row("triad census", "  ".join(f"{k} {v}" for k, v in r.triad_census.items()))
    t.add_row("triangle index", _fmt(r.triangle_index))
    t.add_row("walk index", _fmt(r.walk_index))
    t.add_row("normalised frustration", _fmt(r.normalised_frustration))
    if f.status == "optimal":
        status = "[green]optimal[/]"
    else:
        status = f"[yellow]time limit[/]: lower bound {f.bound:g}, gap {100 * f.gap:.1f}%"
    t.add_row("frustration index L", f"{f.value:g} ({status}, {f.seconds:.2f} s)")
    side0, side1 = f.groups
    t.add_row("partition", escape(f"{{{', '.join(side0)}}}\n{{{', '.join(side1)}}}"))
    t.add_row(
        "frustrated edges",
        escape(
            ", ".join(f"{a}{'+' if s > 0 else '-'}{b}" for a, b, s, _ in f.frustrated) or "none"
        ),
    )
    console.print(t)


def balance(
    edges: Path = typer.Argument(
        ..., help="CSV edge list with columns source,target,sign[,weight] (from,to also work)."
    ),
    group: list[str] = typer.Option(
        [], "--group", "-g", help="Column splitting the file into separate graphs (repeatable)."
    ),
    time_limit: float | None = typer.Option(
        None, "--time-limit", help="Seconds for the exact frustration index of each group."
    ),
    weighted: bool = typer.Option(
        False, "--weighted", help="Use the weight column (walk index and frustration)."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Structural balance of a signed network: triads, indices and the exact frustration index.

    For each group: nodes, edges, negative edges, the triad census (+++, ++-, +--,
    ---), the triangle index, the walk index (Estrada & Benzi 2014), the
    normalised frustration 1 - L/(m/2), the frustration index L by binary
    programming (optimal, or the incumbent with its bound and gap when the time
    limit is reached) and the bipartition achieving it. With --json, one object
    per group; L is under "frustration_index".
    """
    show = not as_json and sys.stderr.isatty()
    with Progress(console=err_console, transient=True, disable=not show) as progress:
        task = progress.add_task("solving", total=None)

        def tick(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        from powerbalance.theory.balance import balance_edge_list

        reports = balance_edge_list(
            edges, group=group or None, time_limit=time_limit, weighted=weighted, progress=tick
        )
    if as_json:
        emit_json([r.to_dict() for r in reports])
        return
    for r in reports:
        _print_report(r)


def triangle(
    set_: list[str] = typer.Option(
        [],
        "--set",
        help="Override a tie's sign, e.g. --set USA-RUS=+ or --set US-RU=- (repeatable).",
    ),
    weighted: bool = typer.Option(
        False, "--weighted", help="Scale each score term by the tie's strength."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Dittmer's strategic triangle of the USA, Russia and China from the evidence.

    Reads the configuration (menage a trois, romantic triangle, stable marriage,
    unit veto), each power's role and score with its arithmetic, every
    unilateral move and what it does to each score, and which tie balance
    dynamics predict will give way first.
    """
    with store(read_only=True) as s:
        evidence = s.evidence()
    from powerbalance.theory.triangle import evidence_triangle

    reading = evidence_triangle(evidence, overrides=set_, weighted=weighted)
    if as_json:
        emit_json(reading.to_dict())
        return
    console.print(f"[bold]{reading.configuration}[/]")
    t = Table(title="ties")
    for col in ("tie", "sign", "strength", "from"):
        t.add_column(col)
    for tie in reading.ties:
        t.add_row(tie.label(), "+" if tie.sign > 0 else "-", f"{tie.strength:.2f}", tie.source)
    console.print(t)
    t = Table(title="roles and scores")
    for col in ("actor", "role", "score", "arithmetic"):
        t.add_column(col, overflow="fold")
    for a in reading.actors:
        t.add_row(a, reading.roles[a], f"{reading.scores[a]:+g}", escape(reading.arithmetic[a]))
    console.print(t)
    t = Table(title="unilateral moves (change of each score)")
    t.add_column("actor")
    t.add_column("move")
    t.add_column("becomes")
    for a in reading.actors:
        t.add_column(f"Δ {a}", justify="right")
    for m in reading.moves:
        t.add_row(
            m.actor,
            f"{m.tie[0]}-{m.tie[1]} -> {'+' if m.new_sign > 0 else '-'}",
            m.configuration,
            *(f"{m.change[a]:+g}" for a in reading.actors),
        )
    console.print(t)
    for line in reading.narrative():
        console.print(escape(line))


def register(app: typer.Typer) -> None:
    app.command("balance")(balance)
    app.command("triangle")(triangle)
