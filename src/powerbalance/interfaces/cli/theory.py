"""``powerbalance balance`` and ``powerbalance triangle``: structural balance and Dittmer's triangle."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape

from powerbalance.interfaces.cli._common import (
    JsonOption,
    LangOption,
    ProgressReporter,
    console,
    emit_json,
    store,
)
from powerbalance.interfaces.cli._tables import Col, print_table

if TYPE_CHECKING:
    from powerbalance.theory.balance import BalanceReport


#: Seconds allowed to the exact frustration index of each group unless --time-limit says
#: (the value of ``powerbalance.app.theory.DEFAULT_TIME_LIMIT``; a test checks they agree,
#: and the app layer is not imported for ``--help``).
DEFAULT_TIME_LIMIT = 60.0


def _fmt(x: float) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.7g}"


def _print_report(r: BalanceReport) -> None:
    f = r.frustration
    title = ", ".join(f"{k}={v}" for k, v in r.group.items()) or r.name
    rows = [
        ["nodes / edges / negative", f"{r.nodes} / {r.edges} / {r.negative_edges}"],
        ["components / isolated nodes", f"{r.components} / {r.isolated_nodes}"],
        ["triad census", "  ".join(f"{k} {v}" for k, v in r.triad_census.items())],
        ["triangle index", _fmt(r.triangle_index)],
        ["walk index", _fmt(r.walk_index)],
        ["normalised frustration", _fmt(r.normalised_frustration)],
    ]
    if f.status == "optimal":
        status = "[green]optimal[/]"
    else:
        status = f"[yellow]time limit[/]: lower bound {f.bound:g}, gap {100 * f.gap:.1f}%"
    rows.append(["frustration index L", f"{f.value:g} ({status}, {f.seconds:.2f} s)"])
    side0, side1 = f.groups
    rows.append(["partition", escape(f"{{{', '.join(side0)}}}\n{{{', '.join(side1)}}}")])
    rows.append(
        [
            "frustrated edges",
            escape(
                ", ".join(f"{a}{'+' if s > 0 else '-'}{b}" for a, b, s, _ in f.frustrated) or "none"
            ),
        ]
    )
    columns = [Col("measure", required=True), Col("value", "ids", required=True)]
    print_table(console, columns, rows, title=escape(title), show_header=False)


def balance(
    edges: Path = typer.Argument(
        ..., help="CSV edge list with columns source,target,sign[,weight] (from,to also work)."
    ),
    group: list[str] = typer.Option(
        [], "--group", "-g", help="Column splitting the file into separate graphs (repeatable)."
    ),
    time_limit: float = typer.Option(
        DEFAULT_TIME_LIMIT,
        "--time-limit",
        help="Seconds for the exact frustration index of each group (1 to 3,600); past it, "
        "the best partition found with its bound and gap.",
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
    limit is reached, by default 60 s a group) and the bipartition achieving it.
    With --json, one object per group; L is under "frustration_index".
    """
    from powerbalance.app import theory as use_case

    use_case.check_time_limit(time_limit)
    # Progress goes to standard error (a bar on a terminal, a line every 5 s otherwise).
    with ProgressReporter("groups solved") as reporter:
        reports = use_case.balance(
            edges, group=group, time_limit=time_limit, weighted=weighted, progress=reporter.update
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
    lang: str = LangOption,
    as_json: bool = JsonOption,
) -> None:
    """Dittmer's strategic triangle of the USA, Russia and China from the evidence.

    Reads the configuration (menage a trois, romantic triangle, stable marriage,
    unit veto), each power's role and score with its arithmetic, every
    unilateral move and what it does to each score, and which tie balance
    dynamics predict will give way first.
    """
    from powerbalance.app import theory as use_case

    with store(read_only=True) as s:
        evidence = s.evidence()
    reading = use_case.triangle(evidence, overrides=set_, weighted=weighted)
    if as_json:
        emit_json(reading.to_dict())
        return
    from powerbalance.i18n import arithmetic_line, label, narrative_line, term

    console.print(f"[bold]{escape(term(reading.configuration, lang))}[/]")
    print_table(
        console,
        [
            Col(label("tie", lang), "id"),
            Col(label("sign", lang).lower(), "number", required=True),
            Col(label("strength", lang).lower(), "number", priority=3),
            Col(label("from", lang), priority=2),
        ],
        [
            [
                escape(tie.label()),
                "+" if tie.sign > 0 else "-",
                f"{tie.strength:.2f}",
                escape(tie.source),
            ]
            for tie in reading.ties
        ],
        title=label("ties", lang),
    )
    print_table(
        console,
        [
            Col(label("actor", lang), "id"),
            Col(label("role", lang).lower(), required=True),
            Col(label("score", lang), "number", required=True),
            Col(label("arithmetic", lang), priority=2),
        ],
        [
            [
                escape(a),
                escape(term(reading.roles[a], lang)),
                f"{reading.scores[a]:+g}",
                escape(arithmetic_line(reading.arithmetic[a], lang)),
            ]
            for a in reading.actors
        ],
        title=label("roles_scores", lang),
    )
    print_table(
        console,
        [
            Col(label("actor", lang), "id"),
            Col(label("move", lang), "id"),
            Col(label("becomes", lang), priority=3),
            *(Col(f"Δ {a}", "number", priority=2) for a in reading.actors),
        ],
        [
            [
                escape(m.actor),
                escape(f"{m.tie[0]}-{m.tie[1]} -> {'+' if m.new_sign > 0 else '-'}"),
                escape(term(m.configuration, lang)),
                *(f"{m.change[a]:+g}" for a in reading.actors),
            ]
            for m in reading.moves
        ],
        title=label("moves", lang),
    )
    for line in reading.narrative():
        console.print(escape(narrative_line(line, lang)))


def register(app: typer.Typer) -> None:
    app.command("balance")(balance)
    app.command("triangle")(triangle)
