"""``powerbalance scenario``: run, list, show, compare and replay scenario runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import typer
from rich.markup import escape

from powerbalance.interfaces.cli._common import (
    JsonOption,
    ProgressReporter,
    console,
    emit_json,
    store,
)
from powerbalance.interfaces.cli._tables import (
    Col,
    check_limit,
    limit_rows,
    print_more,
    print_table,
)

# Loaded on use, so that `powerbalance --help` does not import the Monte Carlo code.

scenario_app = typer.Typer(
    help=(
        "What-if scenarios: shocks carried through the transmission model to dependence, "
        "the triangle, balance dynamics and bargaining, with Monte Carlo over uncertain inputs."
    ),
    no_args_is_help=True,
)

PlotOption = typer.Option(None, "--plot", help="Write the plots (PNG by default) into this folder.")
FormatOption = typer.Option(["png"], "--format", help="Plot format: png or svg (repeat for both).")


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


def _num(x: float | None, digits: int = 3) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def _print_summary(title: str, summary: dict[str, Any]) -> None:
    console.print(
        f"[bold]{escape(title)}[/]  ({summary.get('draws')} draws, seed {summary.get('seed')})"
    )
    if "configuration" in summary:
        conf = summary["configuration"]
        print_table(
            console,
            [
                Col("configuration", required=True),
                Col("baseline", "number", required=True),
                Col("scenario", "number", required=True),
            ],
            [
                [name.replace("_", " "), _pct(conf["base"][name]), _pct(conf["shocked"][name])]
                for name in conf["shocked"]
            ],
            title="Triangle configuration (Dittmer)",
        )
        roles = ("pivot", "partner", "friend", "wing", "foe", "outcast")
        print_table(
            console,
            [Col("actor", "id"), *(Col(r, "number") for r in roles)],
            [
                [
                    escape(actor),
                    *(f"{_pct(rr['shocked'][r])} ({_pct(rr['base'][r])})" for r in roles),
                ]
                for actor, rr in summary["roles"].items()
            ],
            title="Roles: probability in the scenario (baseline)",
        )
    columns = [
        Col("tie", "id"),
        Col("baseline mean", "number", priority=3),
        Col("scenario mean", "number", priority=3),
        Col("5%", "number", priority=2),
        Col("95%", "number", priority=2),
        Col("P(amity)", "number", priority=2),
        Col("P(sign changed)", "number", priority=2),
    ]
    rows = [
        [
            escape(tie),
            _num(d["base"].get("mean")),
            _num(d["shocked"].get("mean")),
            _num(d["shocked"].get("p05")),
            _num(d["shocked"].get("p95")),
            _pct(d["p_amity"]),
            _pct(d["p_sign_changed"]),
        ]
        for tie, d in summary["ties"].items()
    ]
    print_table(console, columns, rows, title="Tie weights (-1 enmity .. +1 amity)")
    if "shares" in summary:
        columns = [
            Col("actor <- partner", "id"),
            Col("baseline", "number", priority=3),
            Col("scenario", "number", priority=3),
            Col("5%", "number", priority=2),
            Col("95%", "number", priority=2),
        ]
        rows = [
            [
                escape(key),
                _pct(d["base"].get("p50")),
                _pct(d["shocked"].get("p50")),
                _pct(d["shocked"].get("p05")),
                _pct(d["shocked"].get("p95")),
            ]
            for key, d in summary["shares"].items()
        ]
        print_table(
            console,
            columns,
            rows,
            title="Trade shares: share of the partner in the actor's trade (median, 5–95%)",
        )
    if "first_flip" in summary:
        ff = summary["first_flip"]
        parts = ", ".join(f"{k} {_pct(v)}" for k, v in ff.items())
        console.print(f"[bold]First tie to flip[/] under dX/dt = X²: {parts}")
    if "bargaining" in summary:
        b = summary["bargaining"]
        for m in ("weighted_mean", "weighted_median"):
            d = b[m]
            console.print(
                f"[bold]Bargaining {m.replace('_', ' ')}[/] ({escape(str(b['set']))}): baseline "
                f"{_num(d['base'].get('p50'), 1)}, scenario median {_num(d['shocked'].get('p50'), 1)} "
                f"(5–95%: {_num(d['shocked'].get('p05'), 1)}–{_num(d['shocked'].get('p95'), 1)})"
            )
        models = [m for m in ("pce", "eu") if m in b]
        if models:
            columns = [
                Col("model", "id"),
                Col("baseline", "number", priority=3),
                Col("scenario", "number", priority=3),
                Col("5%", "number", priority=2),
                Col("95%", "number", priority=2),
                Col("change", "number", priority=3),
            ]
            rows = []
            for m in models:
                d = b[m]
                rows.append(
                    [
                        m,
                        _num(d["base"].get("p50"), 1),
                        _num(d["shocked"].get("p50"), 1),
                        _num(d["shocked"].get("p05"), 1),
                        _num(d["shocked"].get("p95"), 1),
                        f"{_num(d['change'].get('p50'), 1)} "
                        f"({_num(d['change'].get('p05'), 1)} to {_num(d['change'].get('p95'), 1)})",
                    ]
                )
            print_table(
                console,
                columns,
                rows,
                title=(
                    f"Bargaining models on {b[models[0]]['draws']} of the draws "
                    "(median, 5–95%; change: scenario minus baseline, draw by draw)"
                ),
                caption="; ".join(f"{m}: {escape(b[m]['model'])}" for m in models),
            )
        for key, tr in b.get("track_record", {}).items():
            colour = "bold red" if tr.get("worse_than_mean") else "green"
            console.print(
                f"[{colour}]track record ({escape(key.replace('_', ' '))}):[/] "
                f"{escape(tr['line'])}",
                highlight=False,
                soft_wrap=True,
            )


@scenario_app.command("run")
def run(
    scenario: str = typer.Argument(
        ..., help="A scenario TOML file or the name of a bundled scenario."
    ),
    draws: int | None = typer.Option(
        None, "--draws", "-n", min=1, help="Number of Monte Carlo draws."
    ),
    seed: int | None = typer.Option(None, "--seed", "-s", min=0, help="Seed of the random draws."),
    engine: str = typer.Option("numpy", "--engine", help="numpy (this machine) or spark."),
    workers: int = typer.Option(
        1,
        "--workers",
        min=1,
        max=64,
        help="Processes for the numpy engine and the bargaining models (at most 64).",
    ),
    model_draws: int | None = typer.Option(
        None,
        "--model-draws",
        min=1,
        help="On how many draws the bargaining models (pce, eu) run; overrides the file.",
    ),
    plot: Path | None = PlotOption,
    fmt: list[str] = FormatOption,
    no_store: bool = typer.Option(False, "--no-store", help="Do not keep the run in the store."),
    as_json: bool = JsonOption,
) -> None:
    """Run a scenario's Monte Carlo, store the run and print its summary."""
    from powerbalance.app import scenarios as api

    engines: dict[str, Literal["numpy", "spark"]] = {"numpy": "numpy", "spark": "spark"}
    chosen = engines.get(engine)
    if chosen is None:
        from powerbalance.errors import UserError

        raise UserError(f"--engine must be numpy or spark, not '{engine}'")
    # Progress goes to standard error (a bar on a terminal, a line every 5 s otherwise),
    # so --json output stays clean.
    with ProgressReporter("draws") as reporter:

        def tick(done: int, total: int) -> None:
            reporter.update(done, total, what="draws")

        def tick_models(done: int, total: int) -> None:
            reporter.update(done, total, what="bargaining models")

        result, plots = api.run_and_store(
            store,
            scenario,
            draws=draws,
            seed=seed,
            engine=chosen,
            workers=workers,
            progress=tick,
            model_draws=model_draws,
            model_progress=tick_models,
            plot_dir=plot,
            plot_formats=tuple(fmt),
            keep=not no_store,
        )
    if as_json:
        emit_json(
            {
                "id": result.id,
                "name": result.scenario.name,
                "seed": result.seed,
                "draws": result.draws,
                "model_draws": result.model_draws,
                "digest": result.digest(),
                "code_version": result.code_version,
                "anchors": result.anchors.to_dict(),
                "summary": result.summary,
                "plots": [str(p) for p in plots],
            }
        )
        return
    _print_summary(f"{result.scenario.title} [{result.scenario.name}]", result.summary)
    if result.id:
        console.print(
            f"stored as run [bold]{result.id}[/]; replay with `powerbalance scenario replay {result.id}`"
        )
    for p in plots:
        console.print(f"plot: {escape(str(p))}")


@scenario_app.command("list")
def list_(
    bundled: bool = typer.Option(
        False, "--bundled", help="List the bundled scenarios instead of stored runs."
    ),
    name: str | None = typer.Option(None, "--name", help="Only runs of this scenario."),
    limit: int = typer.Option(
        20, "--limit", help="Runs to show in the table (0: all; --json always gives all)."
    ),
    as_json: bool = JsonOption,
) -> None:
    """List stored scenario runs (newest first), or the bundled scenarios."""
    from powerbalance.app import scenarios as api

    check_limit(limit)
    if bundled:
        catalogue = api.bundled()
        if as_json:
            emit_json(catalogue)
            return
        columns = [
            Col("name", "id"),
            Col("title", priority=3),
            Col("shocks", priority=1),
            Col("draws", "number", priority=2),
            Col("seed", "number", priority=2),
        ]
        table_rows = [
            [
                escape(b["name"]),
                escape(b["title"]),
                escape("; ".join(b["shocks"])),
                str(b["draws"]),
                str(b["seed"]),
            ]
            for b in catalogue
        ]
        print_table(console, columns, table_rows, title="Bundled scenarios")
        return
    with store(read_only=True) as s:
        runs = api.runs(s, name=name)
    if as_json:
        emit_json([r.to_dict(with_spec=False) for r in runs])
        return
    if not runs:
        console.print(
            "no stored runs; start one with `powerbalance scenario run reverse-kissinger`"
        )
        return
    shown, hidden = limit_rows(runs, limit)
    rows = []
    for r in shown:
        conf = r.summary.get("configuration", {}).get("shocked", {})
        rows.append(
            [
                escape(r.id),
                escape(r.name),
                r.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                str(r.draws),
                str(r.seed),
                _pct(conf.get("romantic_triangle")),
                _pct(conf.get("stable_marriage")),
            ]
        )
    columns = [
        Col("id", "id"),
        Col("scenario", "id", required=False, priority=1),
        Col("created", "id", required=False, priority=3),
        Col("draws", "number", priority=4),
        Col("seed", "number", priority=4),
        Col("P(romantic)", "number", priority=2),
        Col("P(stable marriage)", "number", priority=2),
    ]
    print_table(console, columns, rows, title="Stored scenario runs")
    print_more(console, hidden)


@scenario_app.command("show")
def show(
    run_id: str = typer.Argument(..., help="A run id (a unique prefix is enough)."),
    plot: Path | None = PlotOption,
    fmt: list[str] = FormatOption,
    as_json: bool = JsonOption,
) -> None:
    """Show a stored run: its scenario, seed, code version and summary."""
    from powerbalance.app import scenarios as api

    with store(read_only=True) as s:
        run, plots = api.show_run(s, run_id, plot_dir=plot, plot_formats=tuple(fmt))
    if as_json:
        emit_json({**run.to_dict(), "plots": [str(p) for p in plots]})
        return
    console.print(
        f"run [bold]{run.id}[/] of {run.name}, {run.created_at:%Y-%m-%d %H:%M:%S}, {escape(run.code_version)}"
    )
    _print_summary(run.name, run.summary)
    for p in plots:
        console.print(f"plot: {escape(str(p))}")


@scenario_app.command("compare")
def compare(
    run_a: str = typer.Argument(..., help="The first run id."),
    run_b: str = typer.Argument(..., help="The second run id."),
    as_json: bool = JsonOption,
) -> None:
    """Compare two stored runs metric by metric."""
    from powerbalance.app import scenarios as api

    with store(read_only=True) as s:
        table = api.compare(s, run_a, run_b)
    if as_json:
        emit_json(table)
        return
    columns = [
        Col("metric", required=True),
        Col("A", "number", required=True),
        Col("B", "number", required=True),
        Col("B - A", "number", priority=2),
    ]
    rows = [
        [escape(row["metric"]), _num(row["a"]), _num(row["b"]), _num(row["difference"])]
        for row in table["rows"]
    ]
    a, b = table["a"], table["b"]
    title = escape(f"{a['name']} ({a['id']}) vs {b['name']} ({b['id']})")
    print_table(console, columns, rows, title=title)


@scenario_app.command("replay")
def replay(
    run_id: str = typer.Argument(..., help="A run id (a unique prefix is enough)."),
    as_json: bool = JsonOption,
) -> None:
    """Re-run a stored run from its text and seed and check it reproduces exactly."""
    from powerbalance.app import scenarios as api

    with store(read_only=True) as s:
        run, result = api.replay(s, run_id)
    if as_json:
        emit_json(
            {
                "id": run.id,
                "identical": True,
                "digest": result.digest(),
                "draws": run.draws,
                "model_draws": run.model_draws,
                "seed": run.seed,
            }
        )
        return
    console.print(
        f"run [bold]{run.id}[/] reproduced exactly ({run.draws} draws, seed {run.seed}, digest {result.digest()[:16]})"
    )


@scenario_app.command("parameters")
def parameters(as_json: bool = JsonOption) -> None:
    """List the transmission model's structural parameters: default, range, unit, rationale."""
    from powerbalance.app import scenarios as api

    rows = api.parameters()
    if as_json:
        emit_json(rows)
        return
    columns = [
        Col("name", "id"),
        Col("default", "number", priority=4),
        Col("range", "number", priority=3),
        Col("unit", priority=2),
        Col("rationale", priority=1),
    ]
    table_rows = [
        [
            escape(str(r["name"])),
            f"{r['default']:g}",
            f"{r['low']:g}..{r['high']:g}",
            escape(str(r["unit"])),
            escape(str(r["rationale"])),
        ]
        for r in rows
    ]
    print_table(
        console, columns, table_rows, title="Structural parameters of the transmission model"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(scenario_app, name="scenario")
