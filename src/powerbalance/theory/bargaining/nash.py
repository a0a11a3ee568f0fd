"""The Nash bargaining solution, with the reference point as the disagreement point.

Nash (1950) characterises the outcome rational bargainers agree on as the one
that maximises the product of their gains over the disagreement outcome; with
unequal bargaining power the gains carry exponents (the asymmetric solution).
Applied to EU legislative bargaining (Schneider, Finke & Bailer 2010; Achen
2006), the disagreement outcome is the reference point, the policy in force
when no agreement is reached (DEU's ``rp``). On each dimension this module
finds

.. math::

    \\hat x = \\arg\\max_{x} \\sum_i \\theta_i \\log\\big(u_i(x) - d_i\\big), \\qquad
    u_i(x) = -\\ell(x - x_i), \\qquad d_i = -\\ell(r - x_i) - \\kappa

on positions scaled to ``[0, 1]``, with ``θ_i = c_i s_i`` the bargaining power
(capability x salience, the weights of the compromise model; an actor of
salience 0 has no say), ``ℓ`` the loss (``quadratic``: ``z²``, Achen's;
``linear``: ``|z|``), ``r`` the reference point and ``κ`` the cost of breakdown
(``breakdown_cost``, in the loss's units of the whole scale).

Why a breakdown cost: with ``κ = 0`` and actors on both sides of the status quo,
the only outcome no actor finds worse than the status quo is the status quo
itself, so the pure solution would forecast ``r`` whenever the actors disagree
about the direction of change. Qualified majority voting does not let a minority
hold out like that, and failing to agree has costs (delay, a court ruling, lost
credibility: the costly reference point of Franchino & Mariotto 2021). The
default ``κ = 1``, fixed before any benchmark score was seen, makes breakdown
cost as much as the largest loss on the scale, so every outcome on the scale is
a gain for every actor. ``κ → ∞`` gives back Achen's compromise model (the
weighted mean, for quadratic losses); a small ``κ`` pulls the forecast to ``r``.

Without a reference point (a bundled actor set, a scenario's table, a DEU issue
without ``rp``), each actor's disagreement outcome is its worst point on the
scale (the end farthest from its position), less the same breakdown cost.

The objective is concave in ``x`` (a weighted sum of logarithms of concave
positive functions) on the interval where every gain is positive, which holds
the reference point; its derivative is decreasing, and bisection on it finds
the maximiser to machine precision, deterministically.

References
----------
Nash, J. F. (1950). The bargaining problem. Econometrica 18(2), 155-162;
Schneider, G., Finke, D., & Bailer, S. (2010). Bargaining power in the European
Union: an evaluation of competing game-theoretic models. Political Studies 58(1),
85-103

Achen, C. H. (2006). Institutional realism and bargaining models. In Thomson,
Stokman, Achen & König (eds.), *The European Union Decides*, Cambridge University
Press, 86-123.

Franchino, F., & Mariotto, C. (2021). Bargaining outcomes and success in EU
economic governance reforms. *Political Science Research and Methods* 9(3), 587-602.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from powerbalance.theory.bargaining.compromise import (
    check_range,
    compromise_weights,
    reference_scaled,
)
from powerbalance.theory.bargaining.errors import BargainingOptionError
from powerbalance.theory.bargaining.table import ActorTable

__all__ = ["NashParams", "nash_solution"]

Loss = Literal["quadratic", "linear"]
_LOSSES = ("quadratic", "linear")
_BISECTIONS = 200


@dataclass
class NashParams:
    """The options of the Nash bargaining solution.

    Attributes
    ----------
    utility
        The loss of an outcome at distance ``z`` (on the 0-1 scale) from an actor's
        position: ``quadratic`` (``z²``, the default) or ``linear`` (``|z|``).
    breakdown_cost
        ``κ``, what failing to agree costs every actor beyond the reference point
        (or its worst point on the scale, without one), in units of the loss of the
        whole scale; more than 0, at most 100. Default 1.
    """

    utility: Loss = "quadratic"
    breakdown_cost: float = 1.0

    def __post_init__(self) -> None:
        if self.utility not in _LOSSES:
            raise BargainingOptionError(
                f"utility must be one of {', '.join(_LOSSES)}, not {self.utility!r}"
            )
        check_range("breakdown_cost", self.breakdown_cost, 0.0, 100.0)
        if not self.breakdown_cost > 0:
            raise BargainingOptionError(
                "breakdown_cost must be more than 0 (with 0 the solution is the reference "
                "point whenever actors stand on both sides of it)"
            )


def _loss(z: np.ndarray, kind: Loss) -> np.ndarray:
    return z * z if kind == "quadratic" else np.abs(z)


def _loss_slope(z: np.ndarray, kind: Loss) -> np.ndarray:
    return 2.0 * z if kind == "quadratic" else np.sign(z)


def _reach(room: np.ndarray, kind: Loss) -> np.ndarray:
    """The distance from its position at which an actor's gain falls to 0."""
    return np.sqrt(room) if kind == "quadratic" else room


def _solve_1d(
    x: np.ndarray, theta: np.ndarray, rp: float | None, kind: Loss, kappa: float
) -> float:
    """The maximiser on one dimension (positions scaled to [0, 1]); see the module notes."""
    if rp is None:
        worst = np.maximum(np.abs(x - 0.0), np.abs(1.0 - x))
        room = _loss(worst, kind) + kappa
    else:
        room = _loss(rp - x, kind) + kappa
    reach = _reach(room, kind)
    lo = max(min(0.0, float(x.min())), float(np.max(x - reach)))
    hi = min(max(1.0, float(x.max())), float(np.min(x + reach)))

    def slope(at: float) -> float:
        gain = room - _loss(at - x, kind)
        return float(np.sum(-theta * _loss_slope(at - x, kind) / gain))

    # the interval holds the reference point (every gain is kappa > 0 there); its ends
    # may be where a gain reaches 0, so the slope is evaluated strictly inside only
    if hi - lo <= 0:
        return lo
    a, b = lo, hi
    for _ in range(_BISECTIONS):
        mid = 0.5 * (a + b)
        if mid <= a or mid >= b:
            break
        if slope(mid) > 0:
            a = mid
        else:
            b = mid
    return 0.5 * (a + b)


def nash_solution(table: ActorTable, params: NashParams | None = None) -> np.ndarray:
    """The asymmetric Nash bargaining solution, one value per dimension, on the table's scale.

    Raises
    ------
    BargainingOptionError
        No actor cares about a dimension (every salience is 0 there).

    Examples
    --------
    Two actors at 0 and 100 with bargaining power 1 and 3, the status quo at 50 and
    a breakdown cost of 0.5 with linear losses: the gains are ``1 - x`` and ``x``,
    so the solution maximises ``log(1 - x) + 3 log(x)``: ``x = 3/4``.

    >>> import numpy as np
    >>> from powerbalance.theory.bargaining.table import ActorTable, Dimension
    >>> t = ActorTable(("a", "b"), [1, 3], [[0], [100]], [[50], [50]], (Dimension("x", "x"),),
    ...                reference_point=np.array([50.0]))
    >>> [round(v, 9) for v in nash_solution(t, NashParams("linear", 0.5)).tolist()]
    [75.0]
    """
    p = params if params is not None else NashParams()
    theta = compromise_weights(table)
    scaled = table.scaled_positions()
    rp = reference_scaled(table)
    out = np.empty(table.n_dims)
    for k, dim in enumerate(table.dimensions):
        caring = theta[:, k] > 0
        t = theta[caring, k] / theta[caring, k].sum()
        x = scaled[caring, k]
        best = _solve_1d(x, t, None if rp is None else float(rp[k]), p.utility, p.breakdown_cost)
        out[k] = dim.low + best * dim.width
    return out
