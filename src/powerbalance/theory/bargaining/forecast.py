"""One call from an actor table to a forecast with its baselines, path and sensitivity.

:func:`bargain` is what the ``powerbalance bargain`` command calls: it reads a
table (a file or a bundled actor set), applies the user's overrides, runs the
chosen model, always computes the capability x salience weighted mean and
weighted median beside it, and optionally runs the Monte Carlo sensitivity.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from powerbalance.theory.bargaining.baselines import weighted_mean, weighted_median
from powerbalance.theory.bargaining.errors import BargainingOptionError, UnknownActorSet
from powerbalance.theory.bargaining.expected_utility import EUParams, expected_utility_model
from powerbalance.theory.bargaining.sensitivity import Sensitivity, Spread, sensitivity
from powerbalance.theory.bargaining.spatial import SpatialParams, SpatialResult, spatial_model
from powerbalance.theory.bargaining.table import (
    ActorTable,
    path_exists,
    read_table,
    read_yaml_table,
)

#: The folder of this module, where its package data lie.
_HERE = Path(__file__).parent

__all__ = [
    "MODELS",
    "BargainForecast",
    "actor_sets",
    "bargain",
    "check_actor_limit",
    "load_actor_set",
    "plot_path",
]

Model = Literal["mean", "median", "eu", "pce"]
MODELS: dict[str, str] = {
    "mean": "capability x salience weighted mean (baseline)",
    "median": "capability x salience weighted median, the median voter (baseline)",
    "eu": "Bueno de Mesquita expected-utility model (Scholz, Calbert & Smith 2011)",
    "pce": "KTAB spatial model with probabilistic Condorcet elections",
}

_SETS = {"us-russia": "us_russia.yaml", "russia-alignment": "russia_alignment.yaml"}


def actor_sets() -> list[str]:
    """Names of the bundled actor sets.

    Examples
    --------
    >>> actor_sets()
    ['russia-alignment', 'us-russia']
    """
    return sorted(_SETS)


def load_actor_set(name: str) -> ActorTable:
    """A bundled actor set, built from the evidence base (see ``docs/bargaining.md``).

    Raises
    ------
    UnknownActorSet
        ``name`` is not a bundled set.

    Examples
    --------
    >>> t = load_actor_set("russia-alignment")
    >>> t.dimensions[0].low_label
    'China first'
    """
    if name not in _SETS:
        raise UnknownActorSet(name, actor_sets())
    ref = _HERE.joinpath("data", _SETS[name])
    return read_yaml_table(f"bundled set {name}", text=ref.read_text(encoding="utf-8"), name=name)


@dataclass
class BargainForecast:
    """A model's forecast with both baselines, the path of positions and the history."""

    table: ActorTable
    model: str
    seed: int | None
    forecast: np.ndarray  # (d,)
    weighted_mean: np.ndarray  # (d,)
    weighted_median: np.ndarray  # (d,)
    path: np.ndarray  # (n_states, n_actors, d)
    probabilities: np.ndarray | None  # (n_states, n_actors), spatial model only
    params: dict[str, Any]
    detail: Any = None  # SpatialResult or EUResult
    sensitivity: Sensitivity | None = None

    @property
    def converged(self) -> bool | None:
        """Did the model reach its stopping criterion (None for the baselines)?"""
        if self.detail is None:
            return None
        conv = self.detail.converged
        return bool(all(conv)) if isinstance(conv, list) else bool(conv)

    @property
    def notes(self) -> list[str]:
        """What the reader assumed (an inferred scale): read the result with it in mind."""
        return list(self.table.notes)

    @property
    def warnings(self) -> list[str]:
        """Why the forecast needs care: the model stopped at its limit without converging."""
        return list(self.detail.warnings()) if self.detail is not None else []

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (the CLI's ``--json`` output)."""
        dims = self.table.dimensions
        out: dict[str, Any] = {
            "table": self.table.name,
            "title": self.table.title,
            "model": self.model,
            "model_name": MODELS[self.model],
            "seed": self.seed,
            "params": self.params,
            "dimensions": [
                {
                    "id": d.id,
                    "name": d.name,
                    "low": d.low,
                    "high": d.high,
                    "low_label": d.low_label,
                    "high_label": d.high_label,
                    "scale_source": d.scale_source,
                }
                for d in dims
            ],
            "converged": self.converged,
            "warnings": self.warnings,
            "notes": self.notes,
            "forecast": self.forecast.tolist(),
            "baselines": {
                "weighted_mean": self.weighted_mean.tolist(),
                "weighted_median": self.weighted_median.tolist(),
            },
            "actors": self.table.to_records(),
            "rounds": int(self.path.shape[0] - 1),
            "path": {a: self.path[:, i, :].tolist() for i, a in enumerate(self.table.actors)},
        }
        if self.probabilities is not None:
            out["probabilities"] = {
                a: self.probabilities[:, i].tolist() for i, a in enumerate(self.table.actors)
            }
        if self.sensitivity is not None:
            out["sensitivity"] = {
                "runs": self.sensitivity.runs,
                "seed": self.sensitivity.seed,
                **self.sensitivity.summary(),
            }
        return out


def _check_scale(table: ActorTable, scale: tuple[float, float], what: str) -> ActorTable:
    for d in table.dimensions:
        if (d.low, d.high) != tuple(scale):
            raise BargainingOptionError(
                f"{what} declares the scale {d.low:g}–{d.high:g} on '{d.name}'; "
                f"--scale {scale[0]:g},{scale[1]:g} disagrees (remove --scale)"
            )
    return table


def _resolve_table(
    source: str | Path | ActorTable, scale: tuple[float, float] | None = None
) -> ActorTable:
    if isinstance(source, ActorTable):
        return source if scale is None else _check_scale(source, scale, "the table")
    text = str(source)
    if text in _SETS:
        table = load_actor_set(text)
        return table if scale is None else _check_scale(table, scale, f"the bundled set {text}")
    p = Path(text)
    if not path_exists(p) and p.suffix == "":
        raise UnknownActorSet(text, actor_sets())
    return read_table(p, scale=scale)


def check_actor_limit(table: ActorTable, model: str) -> None:
    """Refuse a table with more actors than ``model`` can take (``bargain.actors.*`` limits).

    The baselines (``mean``, ``median``) are linear in the actors and have no limit.
    """
    from powerbalance.limits import LIMITS

    if model in ("pce", "eu"):
        LIMITS[f"bargain.actors.{model}"].check(
            table.n_actors, option=f"the number of actors for --model {model}"
        )


def _run(table: ActorTable, model: str, seed: int | None, spatial: SpatialParams, eu: EUParams):
    if model == "mean":
        f = weighted_mean(table)
        return f, table.position[None], None, None
    if model == "median":
        f = weighted_median(table)
        return f, table.position[None], None, None
    if model == "eu":
        res = expected_utility_model(table, eu)
        return res.forecast(), res.positions(), None, res
    res_s: SpatialResult = spatial_model(table, spatial, seed=seed)
    return res_s.forecast(), res_s.positions(), res_s.probabilities(), res_s


def bargain(
    source: str | Path | ActorTable,
    *,
    model: str = "pce",
    runs: int = 0,
    seed: int | None = 0,
    overrides: Sequence[str] = (),
    spatial: SpatialParams | None = None,
    eu: EUParams | None = None,
    spread: Spread | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    scale: tuple[float, float] | None = None,
) -> BargainForecast:
    """Forecast a bargaining outcome and report the baselines beside it.

    Parameters
    ----------
    source
        A file (own CSV, KTAB CSV, YAML), a bundled set name
        (``us-russia``, ``russia-alignment``) or an :class:`ActorTable`.
    model
        ``mean``, ``median``, ``eu`` or ``pce`` (see :data:`MODELS`).
    runs
        Monte Carlo redraws of the judgements (0: none).
    seed
        Seed of every random draw (stochastic transitions, sensitivity).
    overrides
        ``ACTOR.FIELD[:DIM]=VALUE`` replacements of single judgements.
    spatial, eu
        Model parameters (KTAB's and Scholz et al.'s defaults otherwise).
    spread
        Default ranges for the sensitivity analysis.
    progress
        ``progress(stage, done, total)`` for long runs.
    scale
        ``(MIN, MAX)`` of the positions of a file without a declared scale (the
        ``--scale`` option); a file or set that declares another is refused.

    Returns
    -------
    BargainForecast

    Raises
    ------
    UnknownActorSet, ActorTableError, BargainingOptionError
    LimitExceeded
        ``runs`` above ``bargain.runs`` or more actors than ``bargain.actors.<model>``.

    Examples
    --------
    >>> fc = bargain("russia-alignment", model="median")
    >>> fc.forecast.tolist() == fc.weighted_median.tolist()
    True
    """
    from powerbalance.limits import LIMITS

    if model not in MODELS:
        raise BargainingOptionError(f"unknown model '{model}'; choose one of {', '.join(MODELS)}")
    LIMITS["bargain.runs"].check(runs, option="--runs")
    if seed is not None and seed < 0:
        raise BargainingOptionError(f"--seed must be 0 or more, not {seed}")
    table = _resolve_table(source, scale).with_overrides(overrides)
    check_actor_limit(table, model)
    spatial = spatial or SpatialParams()
    eu = eu or EUParams()
    f, path, probs, detail = _run(table, model, seed, spatial, eu)
    params: dict[str, Any] = {}
    if model == "pce":
        params = dict(vars(spatial))
    elif model == "eu":
        params = dict(vars(eu))
    sens = None
    if runs:
        cb = (lambda k: progress("sensitivity", k, runs)) if progress else None
        sens = sensitivity(
            table,
            lambda t, s: _run(t, model, s, spatial, eu)[0],
            runs=runs,
            seed=seed,
            spread=spread,
            progress=cb,
        )
    return BargainForecast(
        table,
        model,
        seed,
        np.asarray(f),
        weighted_mean(table),
        weighted_median(table),
        path,
        probs,
        params,
        detail,
        sens,
    )


def plot_path(fc: BargainForecast, file: str | Path, *, dim: int = 0) -> Path:
    """Draw every actor's position over the rounds, with forecast and baselines, to a PNG.

    matplotlib is imported here, so importing the models never loads it.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    d = fc.table.dimensions[dim]
    fig, ax = plt.subplots(figsize=(9, 5.5))
    rounds = np.arange(fc.path.shape[0])
    colours = plt.get_cmap("tab20")
    for i, a in enumerate(fc.table.actors):
        ax.plot(
            rounds, fc.path[:, i, dim], marker="o", ms=3, lw=1.2, label=a, color=colours(i % 20)
        )
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.axhline(
        fc.forecast[dim], color="black", lw=2, label=f"forecast ({fc.model}) {fc.forecast[dim]:.1f}"
    )
    ax.axhline(
        fc.weighted_mean[dim],
        color="grey",
        ls="--",
        label=f"weighted mean {fc.weighted_mean[dim]:.1f}",
    )
    ax.axhline(
        fc.weighted_median[dim],
        color="grey",
        ls=":",
        label=f"weighted median {fc.weighted_median[dim]:.1f}",
    )
    ax.set_xlabel("round")
    lab = d.name
    if d.low_label or d.high_label:
        lab += f"\n{d.low:g} = {d.low_label}, {d.high:g} = {d.high_label}"
    ax.set_ylabel(lab)
    ax.set_ylim(d.low, d.high)
    ax.set_title(f"{fc.table.title or fc.table.name}\n{MODELS[fc.model]}", fontsize=10)
    ax.legend(fontsize=7, ncol=2, loc="best")
    fig.tight_layout()
    out = Path(file)
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return out
