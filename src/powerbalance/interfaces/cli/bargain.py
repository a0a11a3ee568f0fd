"""``powerbalance bargain``: bargaining forecasts with their baselines beside them.

The command only formats: :mod:`powerbalance.app.bargaining` reads the table,
checks the options and runs the model of the registry. Its help lists the
registry's models with their titles, read when the help is shown (so that
``powerbalance --help`` does not load the models).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from powerbalance.interfaces.cli._common import JsonOption, ProgressReporter, console, emit_json
from powerbalance.interfaces.cli._tables import Col, print_table


class _BargainCommand(typer.core.TyperCommand):
    """The command, its help completed from the model registry when it is shown."""

    _listed = False

    def format_help(self, ctx: Any, formatter: Any) -> None:
        if not self._listed:
            from powerbalance.app.bargaining import models

            infos = models()
            lines = "\n".join(f"{m.name}: {m.title}" for m in infos)
            self.help = f"{self.help or ''}\n\nModels (--model):\n{lines}"
            for param in self.params:
                if param.name == "model" and isinstance(param, typer.core.TyperOption):
                    param.help = (
                        "One of " + ", ".join(m.name for m in infos) + " (see Models above)."
                    )
            self._listed = True
        super().format_help(ctx, formatter)


def bargain_command(
    source: str = typer.Argument(
        ...,
        metavar="FILE|us-russia|russia-alignment",
        help="An actor table (own CSV, KTAB CSV or YAML) or a bundled actor set.",
    ),
    model: str = typer.Option(
        "pce",
        "--model",
        "-m",
        help="The model: mean, median (baselines), eu (expected utility) or pce (KTAB).",
    ),
    runs: int = typer.Option(
        0,
        "--runs",
        "-n",
        help="Monte Carlo redraws of the judgements (0: no sensitivity; at most 5,000).",
    ),
    seed: int = typer.Option(0, "--seed", min=0, help="Seed of every random draw (0 or more)."),
    overrides: list[str] = typer.Option(
        [], "--set", help="Override one judgement: ACTOR.FIELD[:DIM]=VALUE (repeatable)."
    ),
    victory: str = typer.Option(
        "linear", "--victory", help="pce: victory probability model (linear, square, quartic)."
    ),
    pce: str = typer.Option(
        "conditional",
        "--pce",
        help="pce: election model (conditional, markov-incentive, markov-uniform).",
    ),
    transitions: str = typer.Option(
        "deterministic", "--transitions", help="pce: deterministic or stochastic state transitions."
    ),
    mu: str = typer.Option("median", "--mu", help="eu: reference outcome, median or mean."),
    scale: str | None = typer.Option(
        None,
        "--scale",
        metavar="MIN,MAX",
        help="The position scale of a table that declares none (e.g. 0,1); "
        "without it the scale is inferred and the output says so.",
        show_default=False,
    ),
    plot: Path | None = typer.Option(
        None, "--plot", help="Write a PNG of the positions over the rounds.", show_default=False
    ),
    as_json: bool = JsonOption,
) -> None:
    """Forecast a bargaining outcome; the weighted mean and median are always shown beside it.

    Models: the capability x salience weighted mean and median (baselines),
    Bueno de Mesquita's expected-utility model as specified by Scholz, Calbert
    & Smith (2011), and KTAB's spatial model with probabilistic Condorcet
    elections. With --runs N, the judgements are redrawn within their ranges N
    times and the distribution of forecasts is reported.
    """
    # Imported here so that `powerbalance --help` does not load the models.
    from powerbalance.app import bargaining as use_case

    with ProgressReporter("sensitivity runs", enabled=runs > 0) as reporter:

        def tick(stage: str, done: int, total: int) -> None:
            reporter.update(done, total)

        fc = use_case.forecast(
            source,
            model=model,
            runs=runs,
            seed=seed,
            overrides=overrides,
            victory=victory,
            pce=pce,
            transitions=transitions,
            mu=mu,
            scale=scale,
            progress=tick,
        )
    if plot is not None:
        use_case.plot(fc, plot)
    if as_json:
        out = fc.to_dict()
        if plot is not None:
            out["plot"] = str(plot)
        emit_json(out)
        return

    table = fc.table
    console.print(f"[bold]{escape(table.title or table.name)}[/]  model: {escape(fc.model_title)}")
    for note in fc.notes:
        console.print(f"[yellow]note:[/] {escape(note)}", highlight=False, soft_wrap=True)
    for k, d in enumerate(table.dimensions):
        scale = (
            f"{d.low:g} = {d.low_label}, {d.high:g} = {d.high_label}"
            if d.low_label
            else f"{d.low:g}–{d.high:g}"
        )
        columns = [
            Col("actor", "id"),
            Col("capability", "number", priority=2),
            Col("salience", "number", priority=2),
            Col("position", "number", priority=3),
            Col("final", "number", priority=3),
        ]
        rows = [
            [
                escape(a),
                f"{table.capability[i]:g}",
                f"{table.salience[i, k]:g}",
                f"{table.position[i, k]:.1f}",
                f"{fc.path[-1, i, k]:.1f}",
            ]
            for i, a in enumerate(table.actors)
        ]
        print_table(console, columns, rows, title=f"{escape(d.name)} ({escape(scale)})")
        console.print(
            f"  forecast ({fc.model}): [bold]{fc.forecast[k]:.1f}[/]   "
            f"baselines: weighted mean {fc.weighted_mean[k]:.1f}, "
            f"weighted median {fc.weighted_median[k]:.1f}   rounds: {fc.path.shape[0] - 1}"
        )
        if fc.sensitivity is not None:
            s = fc.sensitivity.summary()
            for name, q in s.items():
                console.print(
                    f"  {name:<16} over {fc.sensitivity.runs} runs: mean {q['mean'][k]:.1f} "
                    f"(sd {q['sd'][k]:.1f}), 90% interval {q['q05'][k]:.1f}–{q['q95'][k]:.1f}"
                )
    for warning in fc.warnings:
        console.print(f"[bold red]warning:[/] {escape(warning)}", highlight=False, soft_wrap=True)
    if plot is not None:
        console.print(f"plot written to {escape(str(plot))}")


def register(app: typer.Typer) -> None:
    """Add the ``bargain`` command."""
    app.command("bargain", cls=_BargainCommand)(bargain_command)
