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

_VALIDATE = "validate"


class _BargainCommand(typer.core.TyperCommand):
    """The command, its help completed from the model registry when it is shown.

    ``powerbalance bargain validate FILE ...`` is handed to the ``validate``
    command (:func:`validate_command`); any other first argument is a table.
    """

    _listed = False

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] == _VALIDATE:
            ctx.meta["bargain.validate"] = list(args[1:])
            return []
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        rest = ctx.meta.pop("bargain.validate", None)
        if rest is None:
            return super().invoke(ctx)
        sub = _validate_click_command()
        with sub.make_context(_VALIDATE, rest, parent=ctx) as sub_ctx:
            return sub.invoke(sub_ctx)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        if not self._listed:
            from powerbalance.app.bargaining import default_model, models, track_record_of

            infos = models()
            lines = "\n".join(
                f"{m.name}: {m.title}; {track_record_of(m.name)['line']}" for m in infos
            )
            self.help = f"{self.help or ''}\n\nModels (--model):\n{lines}"
            for param in self.params:
                if param.name == "model" and isinstance(param, typer.core.TyperOption):
                    param.help = (
                        "One of "
                        + ", ".join(m.name for m in infos)
                        + " (see Models above); default: the model that validated best, "
                        + f"now {default_model()}."
                    )
            self._listed = True
        super().format_help(ctx, formatter)


def bargain_command(
    source: str = typer.Argument(
        ...,
        metavar="FILE|us-russia|russia-alignment",
        help="An actor table (own CSV, KTAB CSV or YAML) or a bundled actor set.",
    ),
    model: str | None = typer.Option(
        None,
        "--model",
        "-m",
        help="The model: mean, median (baselines), eu (expected utility), pce (KTAB), ...; "
        "default: the model that validated best.",
        show_default=False,
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
    mu: str = typer.Option(
        "median",
        "--mu",
        help="eu: reference outcome, median or mean (no effect at the model's default "
        "Q = 1, where the status quo is sure to hold).",
    ),
    win_probability: str = typer.Option(
        "masad",
        "--win-probability",
        help="eu: the formula of the chance to win a contest: masad (Masad's replication, "
        "net votes floored at 0; validates better) or published (Scholz et al. 2011).",
    ),
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
    times and the distribution of forecasts is reported. Every forecast carries
    its model's track record: its error out of sample on EU legislative issues
    against the weighted mean's.

    `powerbalance bargain validate FILE` scores every model on issues with known
    outcomes (see `powerbalance bargain validate --help`).
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
            win_probability=win_probability,
            scale=scale,
            progress=tick,
        )
    record = use_case.track_record_of(fc.model)
    if plot is not None:
        use_case.plot(fc, plot)
    if as_json:
        out = fc.to_dict()
        out["track_record"] = record
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
    colour = "bold red" if record["worse_than_mean"] else "green"
    console.print(
        f"[{colour}]track record ({fc.model}):[/] {escape(record['line'])}",
        highlight=False,
        soft_wrap=True,
    )
    for warning in fc.warnings:
        console.print(f"[bold red]warning:[/] {escape(warning)}", highlight=False, soft_wrap=True)
    if plot is not None:
        console.print(f"plot written to {escape(str(plot))}")


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.0f}%"


def _fig(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def validate_command(
    file: Path = typer.Argument(
        ...,
        metavar="FILE",
        help="Issues with known outcomes: the DEU format (tab-separated) or a long CSV "
        "(issue, actor, position, salience, capability, outcome[, reference_point, proposal]).",
        show_default=False,
    ),
    models: list[str] = typer.Option(
        [],
        "--models",
        help="Models to score, comma-separated or repeated (default: every model).",
        show_default=False,
    ),
    folds: int = typer.Option(
        5, "--folds", "-k", help="Folds of the cross-validation, grouped by proposal."
    ),
    train: Path | None = typer.Option(
        None,
        "--train",
        help="Fit the calibrated models on this file and score them on FILE (no folds).",
        show_default=False,
    ),
    seed: int = typer.Option(0, "--seed", min=0, help="Seed of the folds and the model runs."),
    scale: str | None = typer.Option(
        None,
        "--scale",
        metavar="MIN,MAX",
        help="The position scale of a long CSV that declares none (required then).",
        show_default=False,
    ),
    win_probability: str | None = typer.Option(
        None,
        "--win-probability",
        help="Run eu with this win-probability formula (masad or published) instead of "
        "its default.",
        show_default=False,
    ),
    plot: Path | None = typer.Option(
        None,
        "--plot",
        help="Write a PNG box plot of the absolute errors by model.",
        show_default=False,
    ),
    record: Path | None = typer.Option(
        None,
        "--record",
        help="Write the result as a track record (the format of the bundled "
        "validation.json; see docs/bargaining.md).",
        show_default=False,
    ),
    as_json: bool = JsonOption,
) -> None:
    """Score every bargaining model out of sample on issues with known outcomes.

    Cross-validation grouped by proposal: the issues of one proposal stay in one
    fold; a calibrated model is fitted on the other folds only. Reports per model
    the mean and median absolute error, the correlation with the outcomes, the
    share of issues on which it beats the capability x salience weighted mean,
    its error relative to the weighted mean's, and the issues it refused.
    """
    from powerbalance.app import bargaining as use_case

    names = [n for m in models for n in m.split(",")]
    with ProgressReporter("issues x models") as reporter:
        report = use_case.validate(
            file,
            models=names,
            folds=folds,
            train=train,
            seed=seed,
            scale=scale,
            win_probability=win_probability,
            progress=reporter.update,
        )
    if plot is not None:
        use_case.plot_validation(report, plot)
    if record is not None:
        command = "powerbalance bargain validate " + " ".join(
            [file.name, f"--folds {folds}", f"--seed {seed}"]
        )
        use_case.write_record(report, record, command=command)
    if as_json:
        out = report.to_dict()
        if plot is not None:
            out["plot"] = str(plot)
        if record is not None:
            out["record"] = str(record)
        emit_json(out)
        return
    data = report.to_dict()
    how = (
        f"{data['folds']}-fold cross-validation grouped by proposal (seed {data['seed']})"
        if data["protocol"] == "cross-validation"
        else f"fitted on {escape(str(train))} ({data['train_issues']} issues)"
    )
    console.print(
        f"[bold]{escape(str(file))}[/]: {data['issues']} issues of {data['proposals']} "
        f"proposals, scale {report.scale[0]:g}–{report.scale[1]:g}; {how}",
        highlight=False,
        soft_wrap=True,
    )
    columns = [
        Col("model", "id"),
        Col("MAE", "number", priority=3),
        Col("median error", "number", priority=2),
        Col("correlation", "number", priority=1),
        Col("beats mean", "number", priority=2),
        Col("MAE / mean", "number", priority=3),
        Col("refused", "number", priority=2),
        Col("not converged", "number", priority=1),
    ]
    rows = [
        [
            escape(m["name"]),
            _fig(m["mae"]),
            _fig(m["median_error"]),
            _fig(m["correlation"], 3),
            _pct(m["beats_mean"]) if m["name"] != "mean" else "",
            _fig(m["ratio_to_mean"]),
            str(m["refused"]),
            str(m["not_converged"]),
        ]
        for m in data["models"]
    ]
    print_table(
        console,
        columns,
        rows,
        title="Absolute errors of the forecasts, best first",
        caption="beats mean: share of issues with an error below the weighted mean's; "
        "not converged: issues on which the model stopped at its round limit",
    )
    worse = [m["name"] for m in data["models"] if (m["ratio_to_mean"] or 0) > 1]
    better = [
        m["name"]
        for m in data["models"]
        if m["ratio_to_mean"] is not None and m["ratio_to_mean"] < 1
    ]
    if better:
        console.print(f"beat the weighted mean: {', '.join(better)}")
    if worse:
        console.print(
            f"[bold red]do worse than the weighted mean:[/] {', '.join(worse)}", highlight=False
        )
    for m in data["models"]:
        for r in m["refusals"]:
            console.print(
                f"[yellow]refused:[/] {escape(m['name'])} on {escape(r['issue'])}: "
                f"{escape(r['message'])}",
                highlight=False,
                soft_wrap=True,
            )
    for note in data["notes"]:
        console.print(f"[yellow]note:[/] {escape(note)}", highlight=False, soft_wrap=True)
    if plot is not None:
        console.print(f"plot written to {escape(str(plot))}")
    if record is not None:
        console.print(f"track record written to {escape(str(record))}")


def _validate_click_command() -> Any:
    """``validate_command`` as a click command of its own (flags shown as flags in its help)."""
    sub = typer.Typer(
        add_completion=False, context_settings={"help_option_names": ["-h", "--help"]}
    )
    sub.command(_VALIDATE)(validate_command)
    cmd = typer.main.get_command(sub)
    for param in cmd.params:
        if isinstance(param, typer.core.TyperOption) and param.is_flag:
            param.metavar = ""
    return cmd


def register(app: typer.Typer) -> None:
    """Add the ``bargain`` command."""
    app.command("bargain", cls=_BargainCommand)(bargain_command)
