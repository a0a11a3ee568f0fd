"""Achen's compromise model: a weighted mean of positions, pulled toward the reference point.

The compromise model forecasts the outcome of a negotiation as the mean of the
actors' positions, each weighted by what it brings to the table. Achen (2006)
derives it as the approximate Nash bargaining solution of actors with quadratic
losses whose disagreement outcome lies far away; on the Decision-making in the
European Union data it is the hardest forecast to beat (Achen 2006; Thomson et
al. 2006). This module implements the family the calibrated model
(:mod:`powerbalance.theory.bargaining.calibrated`) is fitted in:

.. math::

    w_i = m_i \\, c_i^{a} \\, (s_i / 100)^{b}, \\qquad
    \\hat x = \\frac{\\sum_i w_i x_i + \\rho \\, \\bar w \\, r}{\\sum_i w_i + \\rho \\, \\bar w}

with ``c`` the capability, ``s`` the salience (an actor of salience 0 carries no
weight, whatever ``b``), ``x`` the position, ``m`` a role weight (the European
Commission's and the European Parliament's, found by their DEU actor ids
``com`` and ``ep``; 1 for every other actor), ``r`` the reference point (the
status quo, DEU's ``rp``) counted as one more participant whose weight is
``rho`` times the mean weight ``w̄`` of the actors who care. Where the table has
no reference point (a bundled actor set, a scenario's table, a DEU issue
without ``rp``), the forecast is the weighted mean of the actors alone.

The registered model ``compromise`` runs Achen's form, ``a = b = 1``, with the
reference point as one participant of average weight (``rho = 1``) and no role
weights: chosen before any score on the benchmark was seen. With ``rho = 0`` it
is the capability x salience weighted mean (the ``mean`` baseline).

References
----------
Achen, C. H. (2006). Institutional realism and bargaining models. In Thomson,
Stokman, Achen & König (eds.), The European Union Decides, Cambridge University
Press, 86-123

Thomson, R., Stokman, F. N., Achen, C. H., & König, T. (eds.) (2006). *The
European Union Decides*. Cambridge University Press.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real

import numpy as np

from powerbalance.datasets.bargaining_tables import SALIENCE_MAX
from powerbalance.theory.bargaining.errors import BargainingOptionError
from powerbalance.theory.bargaining.table import ActorTable

__all__ = [
    "COMMISSION_IDS",
    "PARLIAMENT_IDS",
    "CompromiseParams",
    "check_range",
    "compromise",
    "compromise_weights",
    "reference_scaled",
    "role_flags",
]

#: actor ids (lower case) taken as the European Commission and the European Parliament
COMMISSION_IDS = frozenset({"com", "commission", "ec", "eu.commission"})
PARLIAMENT_IDS = frozenset({"ep", "parliament", "eu.parliament"})

#: what the role weights and the reference point's weight may be
_ROLE_RANGE = (0.0, 1000.0)
_RHO_RANGE = (0.0, 1000.0)
_EXPONENT_RANGE = (0.0, 10.0)


def check_range(name: str, value: object, lo: float, hi: float) -> None:
    """Refuse ``value`` unless it is a finite number in ``[lo, hi]`` (a model option)."""
    ok = isinstance(value, Real) and not isinstance(value, bool)
    if not (ok and math.isfinite(float(value)) and lo <= float(value) <= hi):  # type: ignore[arg-type]
        raise BargainingOptionError(f"{name} must be a number from {lo:g} to {hi:g}, not {value!r}")


@dataclass
class CompromiseParams:
    """The options of the compromise family (see the module docstring for the formula).

    Attributes
    ----------
    capability_exponent
        ``a``, the power of capability in an actor's weight (0 to 10; Achen's 1).
    salience_exponent
        ``b``, the power of salience (0 to 10; Achen's 1).
    reference_weight
        ``rho``, the weight of the reference point as a participant, in units of the
        mean actor weight (0: not counted; 0 to 1000). Ignored without a reference point.
    commission_weight, parliament_weight
        ``m`` of the actors ``com`` and ``ep`` (the Commission, the Parliament); 1:
        weighted like any actor; 0 to 1000. Ignored when the table has no such actor.
    """

    capability_exponent: float = 1.0
    salience_exponent: float = 1.0
    reference_weight: float = 1.0
    commission_weight: float = 1.0
    parliament_weight: float = 1.0

    def __post_init__(self) -> None:
        check_range("capability_exponent", self.capability_exponent, *_EXPONENT_RANGE)
        check_range("salience_exponent", self.salience_exponent, *_EXPONENT_RANGE)
        check_range("reference_weight", self.reference_weight, *_RHO_RANGE)
        check_range("commission_weight", self.commission_weight, *_ROLE_RANGE)
        check_range("parliament_weight", self.parliament_weight, *_ROLE_RANGE)


def role_flags(table: ActorTable) -> tuple[np.ndarray, np.ndarray]:
    """Boolean masks of the Commission and the Parliament among ``table.actors``."""
    ids = [a.lower() for a in table.actors]
    return (
        np.array([a in COMMISSION_IDS for a in ids], dtype=bool),
        np.array([a in PARLIAMENT_IDS for a in ids], dtype=bool),
    )


def reference_scaled(table: ActorTable) -> np.ndarray | None:
    """The reference point mapped to ``[0, 1]`` on each dimension's scale (None: unknown)."""
    if table.reference_point is None:
        return None
    rp = np.asarray(table.reference_point, dtype=float).reshape(-1)
    if rp.shape != (table.n_dims,) or not np.all(np.isfinite(rp)):
        raise BargainingOptionError(
            f"the reference point of {table.name or 'the table'} must be one finite number "
            f"per dimension ({table.n_dims}); leave it out when it is unknown"
        )
    lo = np.array([d.low for d in table.dimensions])
    width = np.array([d.width for d in table.dimensions])
    return (rp - lo) / width


def compromise_weights(
    table: ActorTable,
    capability_exponent: float = 1.0,
    salience_exponent: float = 1.0,
    commission_weight: float = 1.0,
    parliament_weight: float = 1.0,
) -> np.ndarray:
    """``m_i c_i^a (s_i/100)^b`` per actor and dimension, shape ``(n, d)``.

    Capabilities are divided by the largest first (the weights are relative, and
    this keeps ``c**a`` finite); an actor of salience 0 weighs 0 for any ``b``.

    Raises
    ------
    BargainingOptionError
        Every actor weighs 0 on a dimension (zero salience everywhere, say).

    Examples
    --------
    >>> from powerbalance.theory.bargaining.table import ActorTable, Dimension
    >>> t = ActorTable(("a", "b"), [1, 4], [[0], [100]], [[50], [0]], (Dimension("x", "x"),))
    >>> compromise_weights(t, 0.5, 0.0)[:, 0].tolist()
    [0.5, 0.0]
    """
    cap = np.asarray(table.capability, dtype=float)
    top = float(cap.max())
    rel = cap / top if top > 0 else cap
    with np.errstate(divide="ignore"):
        capw = np.where(rel > 0, rel**capability_exponent, 0.0)
    sal = table.salience / SALIENCE_MAX
    salw = np.where(sal > 0, np.power(np.where(sal > 0, sal, 1.0), salience_exponent), 0.0)
    com, ep = role_flags(table)
    role = np.ones(table.n_actors)
    role[com] = commission_weight
    role[ep] = parliament_weight
    w = (role * capw)[:, None] * salw
    bad = np.flatnonzero(~(w.sum(axis=0) > 0))
    if bad.size:
        dim = table.dimensions[int(bad[0])]
        raise BargainingOptionError(
            f"no actor carries weight on '{dim.name}' (every salience, capability or role "
            "weight is 0 there): give at least one actor a positive salience"
        )
    return w


def compromise(table: ActorTable, params: CompromiseParams | None = None) -> np.ndarray:
    """The compromise forecast, one value per dimension, on the table's scale.

    Examples
    --------
    Two actors of weights 1 and 3 at 0 and 100, the status quo at 0 counted as
    one participant of their mean weight 2: ``(0*1 + 100*3 + 0*2) / (1+3+2) = 50``.

    >>> import numpy as np
    >>> from powerbalance.theory.bargaining.table import ActorTable, Dimension
    >>> t = ActorTable(("a", "b"), [1, 3], [[0], [100]], [[50], [50]], (Dimension("x", "x"),),
    ...                reference_point=np.array([0.0]))
    >>> compromise(t).tolist()
    [50.0]
    >>> compromise(t, CompromiseParams(reference_weight=0)).tolist()
    [75.0]
    """
    p = params if params is not None else CompromiseParams()
    w = compromise_weights(
        table,
        p.capability_exponent,
        p.salience_exponent,
        p.commission_weight,
        p.parliament_weight,
    )
    total = w.sum(axis=0)
    num = (w * table.position).sum(axis=0)
    if table.reference_point is None or p.reference_weight == 0:
        return num / total
    reference_scaled(table)  # checks its shape
    rp = np.asarray(table.reference_point, dtype=float).reshape(-1)
    n_caring = (w > 0).sum(axis=0)
    extra = p.reference_weight * total / n_caring
    return (num + extra * rp) / (total + extra)
