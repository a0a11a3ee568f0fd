"""Baseline forecasts every bargaining model must beat: weighted mean and weighted median.

The capability-times-salience weighted mean is the benchmark that, in the
forecasting literature, the expected-utility and spatial models rarely beat on
real outcomes; the weighted median is the median-voter outcome of a majority
contest with single-peaked preferences on one dimension. Both are reported
beside every model forecast.

References
----------
Black, D. (1948). On the rationale of group decision-making. *Journal of Political
Economy* 56(1), 23-34 (the median voter).
Achen, C. H. (2006). Evaluating political decision-making models. In Thomson,
Stokman, Achen & König (eds.), *The European Union Decides*, Cambridge University
Press, 264-298 (the weighted mean as the compromise baseline).
"""

from __future__ import annotations

import numpy as np

from powerbalance.theory.bargaining.table import ActorTable

__all__ = ["weighted_mean", "weighted_median"]


def _weights(table: ActorTable) -> np.ndarray:
    # capabilities of 1e307 would overflow the products: rescale them exactly first
    w = table.safe_capability().capability[:, None] * table.salience
    if np.any(w.sum(axis=0) <= 0):
        from powerbalance.theory.bargaining.errors import BargainingOptionError

        raise BargainingOptionError(
            "every actor has zero salience on a dimension: no weighted outcome"
        )
    return w


def weighted_mean(table: ActorTable) -> np.ndarray:
    """Capability x salience weighted mean position, one value per dimension.

    Notes
    -----
    .. math:: \\bar x_d = \\frac{\\sum_i c_i s_{id} x_{id}}{\\sum_i c_i s_{id}}

    Returns
    -------
    numpy.ndarray
        Shape ``(d,)``, on the table's position scale.

    Examples
    --------
    >>> from powerbalance.theory.bargaining.table import ActorTable, Dimension
    >>> t = ActorTable(("a", "b"), [1, 3], [[0], [100]], [[50], [50]], (Dimension("x", "x"),))
    >>> weighted_mean(t).tolist()
    [75.0]

    References
    ----------
    Bueno de Mesquita, B. (1994). Political forecasting: an expected utility
    method. In *European Community Decision Making*, Yale University Press, 71–104.
    """
    w = _weights(table)
    return (w * table.position).sum(axis=0) / w.sum(axis=0)


def weighted_median(table: ActorTable) -> np.ndarray:
    """Capability x salience weighted median position (the median voter), per dimension.

    Notes
    -----
    Positions are sorted; the median is the first position at which the
    cumulative weight reaches half the total weight. On one dimension with
    single-peaked preferences it is the Condorcet winner of a weighted
    majority vote (Black 1948). When the cumulative weight equals half
    exactly, the lower position is returned (the one that is not defeated).

    Examples
    --------
    >>> from powerbalance.theory.bargaining.table import ActorTable, Dimension
    >>> t = ActorTable(("a", "b", "c"), [1, 1, 3], [[0], [50], [100]], [[50], [50], [50]],
    ...                (Dimension("x", "x"),))
    >>> weighted_median(t).tolist()
    [100.0]

    References
    ----------
    Black, D. (1948). On the rationale of group decision-making. *Journal of
    Political Economy* 56(1), 23–34. https://doi.org/10.1086/256633
    """
    w = _weights(table)
    out = np.empty(table.n_dims)
    for k in range(table.n_dims):
        order = np.argsort(table.position[:, k], kind="stable")
        cum = np.cumsum(w[order, k])
        half = cum[-1] / 2.0
        idx = int(np.searchsorted(cum, half - 1e-12 * cum[-1]))
        out[k] = table.position[order[min(idx, len(order) - 1)], k]
    return out
