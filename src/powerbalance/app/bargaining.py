"""Bargaining forecasts: the use cases behind ``powerbalance bargain`` and the dashboard.

- :func:`actor_sets`: the bundled actor sets' names.
- :func:`models`: the bargaining models with their metadata (:class:`ModelInfo`).
- :func:`load_table`: a bundled set name, a file or a table, as a checked
  :class:`~powerbalance.theory.bargaining.ActorTable`.
- :func:`forecast`: a forecast of a bundled set or a file, with every option of
  the command line.
- :func:`bundled_forecast`: a forecast of a bundled set only (for the dashboard:
  no string a visitor types is ever read as a path).
- :func:`plot`: the positions over the rounds, to a PNG.
- :func:`validate`: every model scored out of sample on issues with known
  outcomes (``powerbalance bargain validate``); :func:`write_record` keeps the
  result as the bundled track record, :func:`plot_validation` draws the errors.
- :func:`track_record_of` and :func:`default_model`: each model's validated
  error beside the weighted mean's (shown with every forecast), and the model
  that validated best (the default of ``powerbalance bargain``).

Files and bundled sets are read by :mod:`powerbalance.datasets.bargaining_tables`
and checked by :class:`~powerbalance.theory.bargaining.ActorTable`; the models
run through the registry :data:`powerbalance.theory.bargaining.MODELS`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, get_args

from powerbalance.datasets import bargaining_tables as tables
from powerbalance.datasets.bargaining_tables import UnknownActorSet, path_exists
from powerbalance.limits import LIMITS
from powerbalance.theory.bargaining import (
    MODELS,
    ActorTable,
    BargainForecast,
    EUParams,
    SpatialParams,
    Spread,
    bargain,
    get_model,
    parse_scale,
    plot_path,
    read_table,
)
from powerbalance.theory.bargaining.errors import ActorTableError, BargainingOptionError
from powerbalance.theory.bargaining.expected_utility import DEFAULT_WIN_PROBABILITY
from powerbalance.theory.bargaining.spatial import PCEModel, Transitions, VictoryModel
from powerbalance.theory.bargaining.validation import (
    BASELINE,
    IssueSet,
    Validation,
    cross_validate,
    load_issues,
    record_document,
    track_record,
    train_test,
)

__all__ = [
    "BASELINE",
    "BargainForecast",
    "BargainingOptionError",
    "ModelInfo",
    "UnknownActorSet",
    "ValidationReport",
    "actor_sets",
    "bundled_forecast",
    "default_model",
    "forecast",
    "load_actor_set",
    "load_table",
    "models",
    "plot",
    "plot_validation",
    "track_record_of",
    "validate",
    "write_record",
]

Scale = tuple[float, float]


@dataclass(frozen=True)
class ModelInfo:
    """A bargaining model's metadata, as the registry describes it (JSON-ready with ``to_dict``)."""

    name: str
    title: str
    kind: str
    inputs: tuple[str, ...]
    stochastic: bool
    citation: str
    scenario: bool

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["inputs"] = list(self.inputs)
        return out


def actor_sets() -> list[str]:
    """Names of the bundled actor sets, sorted.

    Examples
    --------
    >>> actor_sets()
    ['russia-alignment', 'us-russia']
    """
    return tables.actor_sets()


def models() -> list[ModelInfo]:
    """Every bargaining model of the registry, in the order they are listed to users.

    Examples
    --------
    >>> [(m.name, m.kind, m.stochastic) for m in models()][3]
    ('pce', 'model', True)
    """
    return [
        ModelInfo(s.name, s.title, s.kind, s.inputs, s.stochastic, s.citation, s.scenario)
        for s in MODELS.values()
    ]


def load_actor_set(name: str) -> ActorTable:
    """A bundled actor set, built from the evidence base (see ``docs/bargaining.md``).

    Raises
    ------
    UnknownActorSet
        ``name`` is not a bundled set (the message suggests close matches).

    Examples
    --------
    >>> load_actor_set("russia-alignment").dimensions[0].low_label
    'China first'
    """
    return ActorTable.from_data(tables.read_actor_set(name))


def _on_scale(table: ActorTable, scale: Scale | None, what: str) -> ActorTable:
    if scale is None:
        return table
    for d in table.dimensions:
        if (d.low, d.high) != tuple(scale):
            raise BargainingOptionError(
                f"{what} declares the scale {d.low:g}–{d.high:g} on '{d.name}'; "
                f"--scale {scale[0]:g},{scale[1]:g} disagrees (remove --scale)"
            )
    return table


def load_table(source: str | Path | ActorTable, *, scale: Scale | None = None) -> ActorTable:
    """The actor table a user names: a bundled set, a file (own CSV, KTAB CSV, YAML) or a table.

    ``scale`` (``(MIN, MAX)``, the ``--scale`` option) is the position scale of
    a file that declares none; a file, set or table that declares another is
    refused.

    Raises
    ------
    UnknownActorSet
        A name that is neither a bundled set nor an existing file (a word without
        an extension, such as ``us-rusia``).
    ActorTableError
        The file is missing, not UTF-8 text or malformed.
    BargainingOptionError
        ``scale`` disagrees with the scale the set or table declares.
    """
    if isinstance(source, ActorTable):
        return _on_scale(source, scale, "the table")
    text = str(source)
    if text in tables.ACTOR_SETS:
        return _on_scale(load_actor_set(text), scale, f"the bundled set {text}")
    path = Path(text)
    if not path_exists(path) and path.suffix == "":
        raise UnknownActorSet(text, actor_sets())
    return read_table(path, scale=scale)


def _choose(flag: str, value: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise BargainingOptionError(f"unknown {flag} '{value}'; choose one of {', '.join(allowed)}")
    return value


def default_model() -> str:
    """The model ``powerbalance bargain`` runs when none is named: the registry's model with
    the lowest cross-validated error in the bundled track record (``docs/bargaining.md``).

    Examples
    --------
    >>> default_model() in [m.name for m in models()]
    True
    """
    return track_record().best(list(MODELS))


def track_record_of(model: str) -> dict[str, Any]:
    """The model's validated error beside the weighted mean's, JSON-ready, with a plain ``line``.

    ``worse_than_mean`` is True when the model did worse than the capability x
    salience weighted mean out of sample; ``validated`` is False when the bundled
    benchmark has no figure for it.

    Examples
    --------
    >>> track_record_of("mean")["ratio_to_mean"]
    1.0
    """
    get_model(model)
    return track_record().to_dict(model)


def forecast(
    source: str | Path | ActorTable,
    *,
    model: str | None = None,
    runs: int = 0,
    seed: int | None = 0,
    overrides: Sequence[str] = (),
    victory: str = "linear",
    pce: str = "conditional",
    transitions: str = "deterministic",
    mu: str = "median",
    win_probability: str = DEFAULT_WIN_PROBABILITY,
    scale: str | Scale | None = None,
    spatial: SpatialParams | None = None,
    eu: EUParams | None = None,
    spread: Spread | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> BargainForecast:
    """Forecast the bargaining over a bundled set or a file, the baselines beside it.

    Parameters
    ----------
    source
        A bundled set name (:func:`actor_sets`), an actor table file or an
        :class:`ActorTable`.
    model
        A model of :func:`models` (``--model``); None: :func:`default_model`.
    runs
        Monte Carlo redraws of the judgements, 0 to ``bargain.runs`` (``--runs``).
    seed
        Seed of every random draw, 0 or more (``--seed``).
    overrides
        ``ACTOR.FIELD[:DIM]=VALUE`` replacements of single judgements (``--set``).
    victory, pce, transitions
        Options of the spatial model (``--victory``, ``--pce``, ``--transitions``).
    mu
        Reference outcome of the expected-utility model (``--mu``); it has no effect
        at the model's default ``q = 1`` (the status quo is sure to hold).
    win_probability
        The expected-utility model's formula for the probability of winning a
        contest: ``published`` (Scholz et al. 2011) or ``masad`` (Masad's
        replication; the default, which validates better).
    scale
        ``"MIN,MAX"`` or ``(MIN, MAX)``: the position scale of a file that
        declares none (``--scale``).
    spatial, eu
        Complete option objects (from Python); they take the place of the
        options above.
    spread
        Default ranges for the sensitivity analysis.
    progress
        ``progress(stage, done, total)`` during the sensitivity runs.

    Raises
    ------
    UnknownActorSet, ActorTableError, BargainingOptionError
    LimitExceeded
        ``runs`` above ``bargain.runs``, or more actors than the model takes.

    Examples
    --------
    >>> fc = forecast("russia-alignment", model="median")
    >>> fc.forecast.tolist() == fc.weighted_median.tolist()
    True
    """
    model = default_model() if model is None else _choose("--model", model, tuple(MODELS))
    if spatial is None:
        spatial = SpatialParams(
            victory=_choose("--victory", victory, get_args(VictoryModel)),  # type: ignore[arg-type]
            pce=_choose("--pce", pce, get_args(PCEModel)),  # type: ignore[arg-type]
            transitions=_choose("--transitions", transitions, get_args(Transitions)),  # type: ignore[arg-type]
        )
    if eu is None:
        eu = EUParams(
            mu=_choose("--mu", mu, ("median", "mean")),  # type: ignore[arg-type]
            win_probability=_choose(  # type: ignore[arg-type]
                "--win-probability", win_probability, ("published", "masad")
            ),
        )
    # refused before any file is read
    LIMITS["bargain.runs"].check(runs, option="--runs")
    span = parse_scale(scale) if isinstance(scale, str) else scale
    table = load_table(source, scale=span)
    return bargain(
        table,
        model=model,
        runs=runs,
        seed=seed,
        overrides=overrides,
        spatial=spatial,
        eu=eu,
        spread=spread,
        progress=progress,
    )


def bundled_forecast(
    name: str, *, model: str | None = None, seed: int | None = 0
) -> BargainForecast:
    """The forecast of a bundled actor set, never of a file (the dashboard's call).

    ``model`` None: :func:`default_model`.

    Raises
    ------
    UnknownActorSet
        ``name`` is not a bundled set; the message names the sets and close matches.
    BargainingOptionError
        ``model`` is not a model of :func:`models`.

    Examples
    --------
    >>> bundled_forecast("us-russia", model="mean").table.name
    'us-russia'
    """
    model = default_model() if model is None else get_model(model).name
    return bargain(load_actor_set(name), model=model, seed=seed)


def plot(fc: BargainForecast, file: str | Path, *, dim: int = 0) -> Path:
    """Draw every actor's position over the rounds, with the forecast and baselines, to a PNG."""
    return plot_path(fc, file, dim=dim)


# --------------------------------------------------------------------------- validation


@dataclass
class ValidationReport:
    """``powerbalance bargain validate``: the scores, the files they come from, what was left out."""

    validation: Validation
    file: str
    sha256: str
    format: str
    scale: Scale
    skipped: tuple[str, ...] = ()
    train_file: str | None = None
    train_sha256: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = self.validation.to_dict()
        out.update(
            file=self.file,
            sha256=self.sha256,
            format=self.format,
            scale=list(self.scale),
            skipped=list(self.skipped),
            train_file=self.train_file,
            train_sha256=self.train_sha256,
        )
        out["notes"] = [*self.notes, *out["notes"]]
        return out


def _sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _issue_set(path: str | Path, scale: Scale | None) -> IssueSet:
    got = load_issues(path, scale=scale)
    if not got.issues:
        raise ActorTableError(
            str(path),
            "holds no issue with an outcome to score",
            hint="the outcome column ('out' in the DEU format, 'outcome' in the long CSV) "
            "must be filled in",
        )
    LIMITS["bargain.validate.issues"].check(
        len(got.issues), option=f"the number of issues in {path}"
    )
    return got


def validate(
    file: str | Path,
    *,
    models: Sequence[str] | None = None,
    folds: int = 5,
    train: str | Path | None = None,
    seed: int = 0,
    scale: str | Scale | None = None,
    win_probability: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ValidationReport:
    """Score the bargaining models out of sample on the issues of ``file`` (``bargain validate``).

    Parameters
    ----------
    file
        Issues with outcomes: the DEU format or the long CSV
        (:func:`powerbalance.datasets.bargaining_tables.read_issue_file`).
    models
        Names of :func:`models` (``--models``; default: every one). The weighted
        mean is always scored: the others are compared with it.
    folds
        Folds of the cross-validation grouped by proposal (``--folds``).
    train
        A file to fit the calibrated models on (``--train``); the models are then
        scored on every issue of ``file`` and ``folds`` is not used.
    seed
        Seed of the fold assignment and of every model run (``--seed``).
    scale
        ``"MIN,MAX"``: the position scale of a long CSV that declares none (``--scale``).
    win_probability
        Run the expected-utility model with this formula (``published`` or
        ``masad``) instead of its default.
    progress
        ``progress(done, total)`` over issues x models.

    Raises
    ------
    ActorTableError
        A file is missing or malformed, or holds no issue with an outcome.
    BargainingOptionError
        An unknown model, or ``folds`` out of range.
    LimitExceeded
        More issues than ``bargain.validate.issues``.
    """
    names = [m.strip() for m in models or () if m.strip()]
    for m in names:
        get_model(m)
    if seed < 0:
        raise BargainingOptionError(f"--seed must be 0 or more, not {seed}")
    span = parse_scale(scale) if isinstance(scale, str) else scale
    params: dict[str, Any] = {}
    if win_probability is not None:
        params["eu"] = EUParams(
            win_probability=_choose(  # type: ignore[arg-type]
                "--win-probability", win_probability, ("published", "masad")
            )
        )
    test = _issue_set(file, span)
    notes = []
    if test.skipped:
        notes.append(f"{len(test.skipped)} issue(s) of {file} have no outcome and were left out")
    if train is None:
        v = cross_validate(
            test.issues,
            models=names or None,
            folds=folds,
            seed=seed,
            params=params,
            progress=progress,
        )
        return ValidationReport(
            v, str(file), _sha256(file), test.format, test.scale, test.skipped, notes=notes
        )
    fit_on = _issue_set(train, span)
    if fit_on.scale != test.scale:
        raise BargainingOptionError(
            f"the training file is on the scale {fit_on.scale[0]:g}–{fit_on.scale[1]:g} and "
            f"{file} on {test.scale[0]:g}–{test.scale[1]:g}: errors would not be comparable"
        )
    v = train_test(
        fit_on.issues,
        test.issues,
        models=names or None,
        seed=seed,
        params=params,
        progress=progress,
    )
    return ValidationReport(
        v,
        str(file),
        _sha256(file),
        test.format,
        test.scale,
        test.skipped,
        str(train),
        _sha256(train),
        notes,
    )


def write_record(report: ValidationReport, path: str | Path, *, command: str) -> Path:
    """Write a cross-validation's track record (the format of the bundled ``validation.json``).

    Raises
    ------
    BargainingOptionError
        The report is not a cross-validation, or it does not score every model
        of the registry (a track record covers them all).
    """
    import json

    v = report.validation
    if v.protocol != "cross-validation":
        raise BargainingOptionError(
            "a track record is written from a cross-validation; remove --train"
        )
    missing = [m for m in MODELS if m not in v.scores]
    if missing:
        raise BargainingOptionError(
            f"a track record scores every model; {', '.join(missing)} missing (remove --models)"
        )
    doc = record_document(
        v,
        data=Path(report.file).name,
        sha256=report.sha256,
        command=command,
        date=date.today().isoformat(),
    )
    out = Path(path)
    out.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    track_record.cache_clear()
    return out


def plot_validation(report: ValidationReport, file: str | Path) -> Path:
    """A box plot of each model's absolute errors, best first, the weighted mean's MAE marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    v = report.validation
    ranked = [s for s in v.ranked() if s.scored]
    fig, ax = plt.subplots(figsize=(max(6.0, 1.1 * len(ranked) + 2), 5))
    data = [s.errors[np.isfinite(s.errors)] for s in ranked]
    ax.boxplot(data, showmeans=True)
    ax.set_xticks(range(1, len(ranked) + 1), [s.name for s in ranked], rotation=30)
    ax.axhline(
        v.baseline.mae, color="grey", ls="--", label=f"weighted mean MAE {v.baseline.mae:.1f}"
    )
    ax.set_ylabel(f"absolute error (scale {report.scale[0]:g}–{report.scale[1]:g})")
    how = (
        f"{v.folds}-fold cross-validation by proposal, seed {v.seed}"
        if v.protocol == "cross-validation"
        else f"fitted on {Path(report.train_file or '').name}"
    )
    ax.set_title(f"{Path(report.file).name}: {len(v.issues)} issues, {how}", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    out = Path(file)
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return out
