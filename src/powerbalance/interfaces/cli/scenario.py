"""``powerbalance scenario``: run, list, show, compare and replay scenario runs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from powerbalance.interfaces.cli._common import (
    JsonOption,
    LazyModule,
    console,
    emit_json,
    err_console,
    store,
)

# Loaded on use, so that `powerbalance --help` does not import the Monte Carlo code.
api = LazyModule("powerbalance.scenarios.api")

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
        t = Table(title="Triangle configuration (Dittmer)")
        for col in ("configuration", "baseline", "scenario"):
            t.add_column(col)
        conf = summary["configuration"]
        for name in conf["shocked"]:
            t.add_row(name.replace("_", " "), _pct(conf["base"][name]), _pct(conf["shocked"][name]))
        console.print(t)
        t = Table(title="Roles: probability in the scenario (baseline)")
        roles = ("pivot", "partner", "friend", "wing", "foe", "outcast")
        t.add_column("actor")
        for r in roles:
            t.add_column(r)
        for actor, rr in summary["roles"].items():
            t.add_row(actor, *(f"{_pct(rr['shocked'][r])} ({_pct(rr['base'][r])})" for r in roles))
        console.print(t)
    t = Table(title="Tie weights (-1 enmity .. +1 amity)")
    for col in (
        "tie",
        "baseline mean",
        "scenario mean",
        "5%",
        "95%",
        "P(amity)",
        "P(sign changed)",
    ):
        t.add_column(col)
    for tie, d in summary["ties"].items():
        t.add_row(
            tie,
            _num(d["base"].get("mean")),
            _num(d["shocked"].get("mean")),
            _num(d["shocked"].get("p05")),
            _num(d["shocked"].get("p95")),
            _pct(d["p_amity"]),
            _pct(d["p_sign_changed"]),
        )
    console.print(t)
    if "shares" in summary:
        t = Table(title="Trade shares: share of the partner in the actor's trade (median, 5–95%)")
        for col in ("actor <- partner", "baseline", "scenario", "5%", "95%"):
            t.add_column(col)
        for key, d in summary["shares"].items():
            t.add_row(
                key,
                _pct(d["base"].get("p50")),
                _pct(d["shocked"].get("p50")),
                _pct(d["shocked"].get("p05")),
                _pct(d["shocked"].get("p95")),
            )
        console.print(t)
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
            t = Table(
                title=(
                    f"Bargaining models on {b[models[0]]['draws']} of the draws "
                    "(median, 5–95%; change: scenario minus baseline, draw by draw)"
                ),
                caption="; ".join(f"{m}: {escape(b[m]['model'])}" for m in models),
            )
            for col in ("model", "baseline", "scenario", "5%", "95%", "change"):
                t.add_column(col, overflow="fold")
            for m in models:
                d = b[m]
                t.add_row(
                    m,
                    _num(d["base"].get("p50"), 1),
                    _num(d["shocked"].get("p50"), 1),
                    _num(d["shocked"].get("p05"), 1),
                    _num(d["shocked"].get("p95"), 1),
                    f"{_num(d['change'].get('p50'), 1)} "
                    f"({_num(d['change'].get('p05'), 1)} to {_num(d['change'].get('p95'), 1)})",
                )
            console.print(t)


def _progress(show: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not show,
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
        1, "--workers", min=1, help="Processes for the numpy engine and the bargaining models."
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
    if engine not in ("numpy", "spark"):
        from powerbalance.errors import UserError

        raise UserError(f"--engine must be numpy or spark, not '{engine}'")
    with _progress(sys.stderr.isatty() and not as_json) as bar:
        task = bar.add_task("draws", total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        def tick_models(done: int, total: int) -> None:
            bar.update(task, description="bargaining models", completed=done, total=total)

        result, plots = api.run_and_store(
            store,
            scenario,
            draws=draws,
            seed=seed,
            engine=engine,
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
    as_json: bool = JsonOption,
) -> None:
    """List stored scenario runs (newest first), or the bundled scenarios."""
    if bundled:
        rows = api.bundled()
        if as_json:
            emit_json(rows)
            return
        t = Table(title="Bundled scenarios")
        for col in ("name", "title", "shocks", "draws", "seed"):
            t.add_column(col, overflow="fold")
        for b in rows:
            t.add_row(
                b["name"], b["title"], "; ".join(b["shocks"]), str(b["draws"]), str(b["seed"])
            )
        console.print(t)
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
    t = Table(title="Stored scenario runs")
    for col in ("id", "scenario", "created", "draws", "seed", "P(romantic)", "P(stable marriage)"):
        t.add_column(col)
    for r in runs:
        conf = r.summary.get("configuration", {}).get("shocked", {})
        t.add_row(
            r.id,
            r.name,
            r.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            str(r.draws),
            str(r.seed),
            _pct(conf.get("romantic_triangle")),
            _pct(conf.get("stable_marriage")),
        )
    console.print(t)


@scenario_app.command("show")
def show(
    run_id: str = typer.Argument(..., help="A run id (a unique prefix is enough)."),
    plot: Path | None = PlotOption,
    fmt: list[str] = FormatOption,
    as_json: bool = JsonOption,
) -> None:
    """Show a stored run: its scenario, seed, code version and summary."""
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
    with store(read_only=True) as s:
        table = api.compare(s, run_a, run_b)
    if as_json:
        emit_json(table)
        return
    t = Table(
        title=f"{table['a']['name']} ({table['a']['id']}) vs {table['b']['name']} ({table['b']['id']})"
    )
    for col in ("metric", "A", "B", "B - A"):
        t.add_column(col)
    for row in table["rows"]:
        t.add_row(row["metric"], _num(row["a"]), _num(row["b"]), _num(row["difference"]))
    console.print(t)


@scenario_app.command("replay")
def replay(
    run_id: str = typer.Argument(..., help="A run id (a unique prefix is enough)."),
    as_json: bool = JsonOption,
) -> None:
    """Re-run a stored run from its text and seed and check it reproduces exactly."""
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
    rows = api.parameters()
    if as_json:
        emit_json(rows)
        return
    t = Table(title="Structural parameters of the transmission model")
    for col in ("name", "default", "range", "unit", "rationale"):
        t.add_column(col, overflow="fold")
    for r in rows:
        t.add_row(
            str(r["name"]),
            f"{r['default']:g}",
            f"{r['low']:g}..{r['high']:g}",
            str(r["unit"]),
            str(r["rationale"]),
        )
    console.print(t)


def register(app: typer.Typer) -> None:
    app.add_typer(scenario_app, name="scenario")
