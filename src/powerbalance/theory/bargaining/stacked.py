"""A stacked compromise: the weighted mean and the plain mean of positions, mixed by one fitted weight.

Two simple forecasts of a negotiated outcome are hard to beat on the
Decision-making in the European Union data: the capability x salience weighted
mean of the actors' positions (Achen's compromise baseline, the ``mean``
baseline here) and the plain mean of the positions every actor took, each
counted once whatever its capability and salience. They err differently: the
weighted mean leans on the large, concerned states, the plain mean on the
number of actors that hold a view. This model forecasts

.. math::

    \\hat x = \\lambda \\, \\bar x_{cs} + (1 - \\lambda) \\, \\bar x

with ``x̄_cs`` the weighted mean, ``x̄`` the plain mean and one parameter
``lambda`` in [0, 1]: a stacked regression of the two forecasts with
non-negative weights that sum to one (Wolpert 1992; Breiman 1996), fitted by
least absolute deviations (the loss the forecasts are judged by; Koenker &
Bassett 1978). With one parameter the least-absolute-deviations fit is exact and
needs no search: the residual ``y - x̄`` against the gap ``x̄_cs - x̄`` is a
regression through the origin, whose L1 solution is the weighted median of
the ratios ``(y - x̄) / (x̄_cs - x̄)`` with weights ``|x̄_cs - x̄|``, clipped
to [0, 1].

Actors of salience 0 carry no weight in the weighted mean and count once in the
plain mean: they stated a position. Outcomes are compared on each dimension's
scale mapped to [0, 1], so issues on different scales weigh the same.

The default ``weight`` is the one fitted on all 172 issues of the DEU III
training file (``deu3_train.tsv``, proposals 1995-2000); validation (``powerbalance
bargain validate``) refits it on the training folds only and scores the held-out
issues, and ``docs/bargaining-models.md`` reports those cross-validated errors.

References
----------
Wolpert, D. H. (1992). Stacked generalization. Neural Networks 5(2), 241-259;
Breiman, L. (1996). Stacked regressions. Machine Learning 24(1), 49-64;
Achen, C. H. (2006). Evaluating political decision-making models. In Thomson,
Stokman, Achen & König (eds.), The European Union Decides, Cambridge University
Press, 264-298

Koenker, R., & Bassett, G. (1978). Regression quantiles. *Econometrica* 46(1),
33-50 (least absolute deviations).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from powerbalance.theory.bargaining.baselines import weighted_mean
from powerbalance.theory.bargaining.compromise import check_range
from powerbalance.theory.bargaining.errors import BargainingOptionError
from powerbalance.theory.bargaining.issues import Issue
from powerbalance.theory.bargaining.table import ActorTable

__all__ = ["StackedParams", "fit", "fit_weight", "plain_mean", "stacked"]


@dataclass
class StackedParams:
    """The weight of the capability x salience weighted mean (the rest goes to the plain mean).

    The default is fitted on the DEU III training file (172 issues): see the module
    docstring and ``docs/bargaining-models.md``.
    """

    weight: float = 0.335

    def __post_init__(self) -> None:
        check_range("weight", self.weight, 0.0, 1.0)


def plain_mean(table: ActorTable) -> np.ndarray:
    """The mean of the positions every actor took, each counted once, per dimension.

    Examples
    --------
    >>> from powerbalance.theory.bargaining.table import ActorTable, Dimension
    >>> t = ActorTable(("a", "b"), [1, 3], [[0], [100]], [[50], [0]], (Dimension("x", "x"),))
    >>> plain_mean(t).tolist()
    [50.0]
    """
    return np.asarray(table.position, dtype=float).mean(axis=0)


def stacked(table: ActorTable, params: StackedParams | None = None) -> np.ndarray:
    """The stacked forecast ``weight * weighted mean + (1 - weight) * plain mean``, per dimension.

    Examples
    --------
    >>> from powerbalance.theory.bargaining.table import ActorTable, Dimension
    >>> t = ActorTable(("a", "b"), [1, 3], [[0], [100]], [[50], [50]], (Dimension("x", "x"),))
    >>> stacked(t, StackedParams(weight=0.5)).tolist()  # (75 + 50) / 2
    [62.5]
    """
    p = params if params is not None else StackedParams()
    return p.weight * weighted_mean(table) + (1.0 - p.weight) * plain_mean(table)


def fit_weight(weighted: np.ndarray, plain: np.ndarray, outcome: np.ndarray) -> float:
    """The exact least-absolute-deviations weight of ``weighted`` against ``plain``, in [0, 1].

    Minimises ``sum |outcome - plain - w (weighted - plain)|``: a weighted median of
    the ratios (see the module docstring). Rows where the two forecasts agree do not
    depend on ``w``; when every row agrees, 0.5.

    Examples
    --------
    >>> fit_weight(np.array([1.0, 1.0, 1.0]), np.array([0.0, 0.0, 0.0]), np.array([0.2, 0.3, 0.9]))
    0.3
    """
    gap = np.asarray(weighted, float) - np.asarray(plain, float)
    residual = np.asarray(outcome, float) - np.asarray(plain, float)
    keep = np.abs(gap) > 1e-12
    if not keep.any():
        return 0.5
    ratio = residual[keep] / gap[keep]
    size = np.abs(gap[keep])
    order = np.argsort(ratio, kind="stable")
    cumulative = np.cumsum(size[order])
    k = int(np.searchsorted(cumulative, cumulative[-1] / 2.0))
    return float(np.clip(ratio[order][k], 0.0, 1.0))


def fit(issues: Sequence[Issue]) -> StackedParams:
    """The weight fitted on ``issues`` (their outcomes) by least absolute deviations.

    Every dimension of every issue is one row; positions and outcomes are mapped to
    [0, 1] on the dimension's scale first.

    Raises
    ------
    BargainingOptionError
        No issue, an outcome that is not a number, or a count of outcomes that does
        not match an issue's dimensions.
    """
    weighted: list[float] = []
    plain: list[float] = []
    outcome: list[float] = []
    for issue in issues:
        table = issue.table
        if len(issue.outcome) != table.n_dims:
            raise BargainingOptionError(
                f"issue {issue.id}: {len(issue.outcome)} outcome value(s) for "
                f"{table.n_dims} dimension(s)"
            )
        wm, pm = weighted_mean(table), plain_mean(table)
        for k, dim in enumerate(table.dimensions):
            value = float(issue.outcome[k])
            if not math.isfinite(value):
                raise BargainingOptionError(f"issue {issue.id}: the outcome is not a number")
            weighted.append((wm[k] - dim.low) / dim.width)
            plain.append((pm[k] - dim.low) / dim.width)
            outcome.append((value - dim.low) / dim.width)
    if not outcome:
        raise BargainingOptionError(
            "fitting the stacked model needs at least one issue with an outcome"
        )
    w = fit_weight(np.array(weighted), np.array(plain), np.array(outcome))
    return StackedParams(weight=round(w, 6))
