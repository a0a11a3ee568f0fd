"""One call from an actor table to a forecast with its baselines, path and sensitivity.

:func:`bargain` runs the chosen model of the registry
(:data:`~powerbalance.theory.bargaining.registry.MODELS`) on an
:class:`~powerbalance.theory.bargaining.table.ActorTable`, after the user's
overrides, always computes the capability x salience weighted mean and weighted
median beside it, and optionally runs the Monte Carlo sensitivity. It takes a
table, never a file: reading a file or a bundled set is
:mod:`powerbalance.datasets.bargaining_tables`' job, and
:mod:`powerbalance.app.bargaining` joins the two for ``powerbalance bargain``
and the dashboard.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from powerbalance.theory.bargaining.baselines import weighted_mean, weighted_median
from powerbalance.theory.bargaining.errors import BargainingOptionError
from powerbalance.theory.bargaining.expected_utility import EUParams
from powerbalance.theory.bargaining.registry import MODELS, get_model
from powerbalance.theory.bargaining.sensitivity import Sensitivity, Spread, sensitivity
from powerbalance.theory.bargaining.spatial import SpatialParams
from powerbalance.theory.bargaining.table import ActorTable

__all__ = [
    "MODELS",
    "BargainForecast",
    "bargain",
    "check_actor_limit",
    "plot_path",
]


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
    def model_title(self) -> str:
        """The model's title in the registry (shown with the forecast)."""
        return MODELS[self.model].title

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
            "model_name": self.model_title,
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


def check_actor_limit(table: ActorTable, model: str) -> None:
    """Refuse a table with more actors than ``model`` can take (its ``actor_limit``).

    The baselines (``mean``, ``median``) are linear in the actors and have no limit.
    """
    get_model(model).check_actors(table)


def bargain(
    table: ActorTable,
    *,
    model: str = "pce",
    runs: int = 0,
    seed: int | None = 0,
    overrides: Sequence[str] = (),
    params: Any = None,
    spatial: SpatialParams | None = None,
    eu: EUParams | None = None,
    spread: Spread | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> BargainForecast:
    """Forecast a bargaining outcome and report the baselines beside it.

    Parameters
    ----------
    table
        The actors (:class:`ActorTable`; read a file or a bundled set with
        :mod:`powerbalance.app.bargaining`, or
        :func:`~powerbalance.theory.bargaining.table.read_table`).
    model
        A name of :data:`MODELS` (``mean``, ``median``, ``eu``, ``pce``).
    runs
        Monte Carlo redraws of the judgements (0: none).
    seed
        Seed of every random draw (stochastic transitions, sensitivity).
    overrides
        ``ACTOR.FIELD[:DIM]=VALUE`` replacements of single judgements.
    params
        Options of ``model`` (its ``params_type`` in :data:`MODELS`); options of
        another type are refused.
    spatial, eu
        Options for whichever model they fit (``SpatialParams`` for ``pce``,
        ``EUParams`` for ``eu``); the other models ignore them. Without any, a
        model runs with its defaults (KTAB's, Scholz et al.'s).
    spread
        Default ranges for the sensitivity analysis.
    progress
        ``progress(stage, done, total)`` for long runs.

    Returns
    -------
    BargainForecast

    Raises
    ------
    ActorTableError, BargainingOptionError
    LimitExceeded
        ``runs`` above ``bargain.runs`` or more actors than the model's ``actor_limit``.

    Examples
    --------
    >>> from powerbalance.theory.bargaining.table import read_csv_table
    >>> t = read_csv_table("t.csv", text="actor,capability,position,salience\\nA,1,20,50\\nB,3,80,50\\n")
    >>> fc = bargain(t, model="median")
    >>> fc.forecast.tolist() == fc.weighted_median.tolist() == [80.0]
    True
    """
    from powerbalance.limits import LIMITS

    if not isinstance(table, ActorTable):
        raise TypeError(
            f"bargain() takes an ActorTable, not {type(table).__name__}; read a file or a "
            "bundled set with powerbalance.app.bargaining (forecast, load_table)"
        )
    spec = get_model(model)
    LIMITS["bargain.runs"].check(runs, option="--runs")
    if seed is not None and seed < 0:
        raise BargainingOptionError(f"--seed must be 0 or more, not {seed}")
    table = table.with_overrides(overrides)
    spec.check_actors(table)
    # ``params`` is for this model (refused otherwise); spatial and eu go to the model they fit
    chosen = params if params is not None else spec.pick_params(spatial, eu)
    result = spec.run(table, chosen, seed=seed)
    recorded: dict[str, Any] = dict(vars(chosen)) if chosen is not None else {}
    sens = None
    if runs:
        cb = (lambda k: progress("sensitivity", k, runs)) if progress else None
        sens = sensitivity(
            table,
            lambda t, s: spec.run(t, chosen, seed=s).forecast,
            runs=runs,
            seed=seed,
            spread=spread,
            progress=cb,
        )
    return BargainForecast(
        table,
        model,
        seed,
        np.asarray(result.forecast),
        weighted_mean(table),
        weighted_median(table),
        result.path,
        result.probabilities,
        recorded,
        result.detail,
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
    ax.set_title(f"{fc.table.title or fc.table.name}\n{fc.model_title}", fontsize=10)
    ax.legend(fontsize=7, ncol=2, loc="best")
    fig.tight_layout()
    out = Path(file)
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return out
