"""Monte Carlo sensitivity of bargaining forecasts to the analyst's judgements.

Every number of an actor table is a judgement; this module redraws them within
their ranges and reruns the model, giving the distribution of forecasts.
Ranges come from the table's judgements (``range: [low, high]`` in YAML);
numbers without one get a default spread: positions ±``position`` points,
saliences ±``salience`` points (clipped to [0, 100]) and capabilities times a
factor in [1 - ``capability``, 1 + ``capability``]. Draws are uniform and
independent per actor; all come from one seeded generator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from powerbalance.theory.bargaining.errors import BargainingOptionError
from powerbalance.theory.bargaining.table import ActorTable

__all__ = ["Sensitivity", "Spread", "perturb", "sensitivity"]


@dataclass(frozen=True)
class Spread:
    """Default half-widths for numbers that carry no range of their own."""

    position: float = 10.0
    salience: float = 10.0
    capability: float = 0.2

    def __post_init__(self) -> None:
        if self.position < 0 or self.salience < 0 or not 0 <= self.capability < 1:
            raise BargainingOptionError(
                "spreads must be non-negative and the capability factor below 1"
            )


def _bounds(table: ActorTable, spread: Spread) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    lo_s = np.array([d.low for d in table.dimensions])
    hi_s = np.array([d.high for d in table.dimensions])
    pos_lo = np.clip(table.position - spread.position, lo_s, hi_s)
    pos_hi = np.clip(table.position + spread.position, lo_s, hi_s)
    sal_lo = np.clip(table.salience - spread.salience, 0, 100)
    sal_hi = np.clip(table.salience + spread.salience, 0, 100)
    # extreme capabilities (1e307) would overflow when widened: draw them rescaled
    k2 = table.capability_exponent()
    cap_lo = np.ldexp(table.capability, k2) * (1 - spread.capability)
    cap_hi = np.ldexp(table.capability, k2) * (1 + spread.capability)
    dim_ids = [d.id for d in table.dimensions]
    for (actor, fld, dim), j in table.judgements.items():
        if j.low is None or j.high is None:
            continue
        i = table.actors.index(actor)
        if fld == "capability":
            cap_lo[i] = max(np.ldexp(j.low, k2), np.ldexp(1e-9, k2))
            cap_hi[i] = np.ldexp(j.high, k2)
        else:
            k = dim_ids.index(dim) if dim in dim_ids else 0
            if fld == "position":
                pos_lo[i, k], pos_hi[i, k] = j.low, j.high
            else:
                sal_lo[i, k], sal_hi[i, k] = j.low, j.high
    return {
        "position": (pos_lo, pos_hi),
        "salience": (sal_lo, sal_hi),
        "capability": (cap_lo, cap_hi),
    }


def perturb(
    table: ActorTable, rng: np.random.Generator, spread: Spread | None = None
) -> ActorTable:
    """One random redraw of every judgement of ``table`` within its range.

    Saliences of an actor are rescaled to sum to at most 100 (the spatial
    model treats them as shares of attention) when the original did.

    Examples
    --------
    >>> from powerbalance.theory.bargaining.table import ActorTable, Dimension
    >>> t = ActorTable(("a", "b"), [1, 2], [[10], [90]], [[50], [50]], (Dimension("x", "x"),))
    >>> u = perturb(t, np.random.default_rng(0))
    >>> bool(abs(u.position[0, 0] - 10) <= 10 and 0 <= u.salience.min())
    True
    """
    b = _bounds(table, spread or Spread())
    draw = {k: rng.uniform(lo, hi) for k, (lo, hi) in b.items()}
    sal = draw["salience"]
    if np.all(table.salience.sum(axis=1) <= 100 + 1e-9):
        total = sal.sum(axis=1, keepdims=True)
        sal = np.where(total > 100, sal * 100 / np.where(total > 0, total, 1), sal)
    # a zero-salience draw would leave an actor with no stake at all
    sal = np.where(sal.sum(axis=1, keepdims=True) <= 0, 1e-3, sal)
    return replace(table, position=draw["position"], salience=sal, capability=draw["capability"])


@dataclass
class Sensitivity:
    """Forecasts over ``runs`` redraws: per run the model forecast and the baselines."""

    runs: int
    seed: int | None
    forecasts: np.ndarray  # (runs, d)
    means: np.ndarray  # (runs, d)
    medians: np.ndarray  # (runs, d)

    @staticmethod
    def _summary(x: np.ndarray) -> dict[str, list[float]]:
        q = np.quantile(x, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
        return {
            "mean": x.mean(axis=0).tolist(),
            "sd": x.std(axis=0, ddof=1).tolist() if x.shape[0] > 1 else [0.0] * x.shape[1],
            "q05": q[0].tolist(),
            "q25": q[1].tolist(),
            "q50": q[2].tolist(),
            "q75": q[3].tolist(),
            "q95": q[4].tolist(),
        }

    def summary(self) -> dict[str, dict[str, list[float]]]:
        """Mean, sd and quantiles of the forecast and of both baselines."""
        return {
            "forecast": self._summary(self.forecasts),
            "weighted_mean": self._summary(self.means),
            "weighted_median": self._summary(self.medians),
        }


def sensitivity(
    table: ActorTable,
    model: Callable[[ActorTable, int], np.ndarray],
    *,
    runs: int,
    seed: int | None = 0,
    spread: Spread | None = None,
    progress: Callable[[int], None] | None = None,
) -> Sensitivity:
    """Rerun ``model`` on ``runs`` random redraws of the table's judgements.

    Parameters
    ----------
    table
        The actor table.
    model
        ``model(table, seed) -> forecast`` (shape ``(d,)``).
    runs
        Number of redraws (at least 1).
    seed
        Seed of the one generator behind every draw (and the models' seeds).
    spread
        Default ranges for numbers without their own.
    progress
        Called with the number of finished runs.

    Examples
    --------
    >>> from powerbalance.theory.bargaining.table import ActorTable, Dimension
    >>> from powerbalance.theory.bargaining.baselines import weighted_mean
    >>> t = ActorTable(("a", "b"), [1, 2], [[10], [90]], [[50], [50]], (Dimension("x", "x"),))
    >>> s = sensitivity(t, lambda tb, sd: weighted_mean(tb), runs=20, seed=3)
    >>> 10 <= s.summary()["forecast"]["q50"][0] <= 90
    True
    """
    from powerbalance.theory.bargaining.baselines import weighted_mean, weighted_median

    if runs < 1:
        raise BargainingOptionError("the sensitivity analysis needs at least one run")
    rng = np.random.default_rng(seed)
    fc, mn, md = [], [], []
    for r in range(runs):
        t = perturb(table, rng, spread)
        run_seed = int(rng.integers(0, 2**31 - 1))
        fc.append(np.asarray(model(t, run_seed), dtype=float))
        mn.append(weighted_mean(t))
        md.append(weighted_median(t))
        if progress is not None:
            progress(r + 1)
    return Sensitivity(runs, seed, np.array(fc), np.array(mn), np.array(md))
