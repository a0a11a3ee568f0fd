"""A calibrated compromise model: a few parameters fitted on issues with known outcomes.

The model is the compromise family of
:mod:`powerbalance.theory.bargaining.compromise` (Achen 2006):

.. math::

    w_i = m_i \\, c_i^{a} \\, (s_i / 100)^{b}, \\qquad
    \\hat x = \\frac{\\sum_i w_i x_i + \\rho \\, \\bar w \\, r}{\\sum_i w_i + \\rho \\, \\bar w}

with parameters estimated from data instead of fixed by theory: the exponents
``a`` of capability and ``b`` of salience, the weight ``rho`` of the reference
point ``r`` (the status quo) as a participant, and possibly the role weights
``m`` of the European Commission (actor ``com``) and the European Parliament
(actor ``ep``), whose formal powers differ from the member states' and are not
measured by their capability column (Thomson et al. 2006), either one pair or one
pair per legislative procedure (codecision ``COD``, consultation ``CNS``, read
from the table's ``context``, which the DEU reader fills). Few parameters, so
that a few hundred issues pin them down.

:func:`fit` works in three steps, all deterministic:

1. the **design** (which parameters are free: ``exponents`` a, b, rho;
   ``roles`` adds one Commission and one Parliament weight; ``procedure`` one
   pair per procedure) is chosen by a 5-fold cross-validation grouped by
   proposal **inside** the issues given to ``fit``;
2. the chosen design is fitted by the exact mean absolute error: a global
   search over a grid (a, b in 0, 0.25, 0.5, 0.75, 1, 1.5; rho in 0, 0.25, 0.5,
   1, 2; role weights 1), then Nelder-Mead (:func:`scipy.optimize.minimize`)
   from the best grid point, within bounds (a, b in [0, 3], rho in [0, 100],
   role weights in [1/20, 20]);
3. because the absolute error is flat and jagged in these parameters (fits on
   neighbouring subsets jump between distant grid points), the fit is repeated
   on :data:`BAGS` bootstrap resamples of the proposals (a fixed seed) and the
   parameters averaged (bagging, Breiman 1996; role weights geometrically).

Validation (``powerbalance bargain validate``) calls :func:`fit` on the training
folds only and scores the held-out issues with the parameters it returns.

The defaults of :class:`CalibratedParams` are the parameters fitted on all 172
issues of the DEU III training file (``deu3_train.tsv``, proposals 1995-2000):
what a user forecasting a new issue should run. The errors reported for this
model (``docs/bargaining-models.md``) are cross-validated, never those of the
defaults on the issues they were fitted on.

Where a table has no reference point, ``rho`` has no effect; where it has no
actor ``com`` or ``ep`` (a bundled actor set, a scenario's table), the role
weights have none: the forecast is then a weighted mean with the fitted
exponents. A table without a procedure in its ``context`` uses the common role
weights (the geometric mean of the per-procedure ones).

References
----------
Achen, C. H. (2006). Institutional realism and bargaining models. In Thomson,
Stokman, Achen & König (eds.), The European Union Decides, Cambridge University
Press, 86-123; Thomson, R., Arregui, J., Leuffen, D., Costello, R., Cross, J.,
Hertz, R., & Jensen, T. (2012). A new dataset on decision-making in the European
Union before and after the 2004 and 2007 enlargements (DEUII). Journal of
European Public Policy 19(4), 604-622

Huber, P. J. (1964). Robust estimation of a location parameter. *The Annals of
Mathematical Statistics* 35(1), 73-101 (the smooth surrogate of the absolute error).

Breiman, L. (1996). Bagging predictors. *Machine Learning* 24(2), 123-140 (the
averaging of fits over bootstrap resamples).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Literal

import numpy as np

from powerbalance.datasets.bargaining_tables import SALIENCE_MAX
from powerbalance.theory.bargaining.compromise import (
    CompromiseParams,
    check_range,
    compromise,
    reference_scaled,
    role_flags,
)
from powerbalance.theory.bargaining.errors import BargainingOptionError
from powerbalance.theory.bargaining.issues import Issue
from powerbalance.theory.bargaining.table import ActorTable

__all__ = [
    "BAGS",
    "DESIGNS",
    "GRID_EXPONENTS",
    "GRID_REFERENCE",
    "CalibratedParams",
    "Design",
    "calibrated",
    "choose_design",
    "fit",
    "folds_by_proposal",
    "procedure_of",
]

#: the designs :func:`fit` chooses from by inner cross-validation: the exponents and the
#: reference point's weight only; plus one Commission and one Parliament weight; plus
#: those two weights per legislative procedure (codecision COD, consultation CNS)
Design = Literal["exponents", "roles", "procedure"]
DESIGNS: tuple[Design, ...] = ("exponents", "roles", "procedure")
#: the grid of the global search: capability and salience exponents ...
GRID_EXPONENTS: tuple[float, ...] = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5)
#: ... and the reference point's weight (role weights start at 1)
GRID_REFERENCE: tuple[float, ...] = (0.0, 0.25, 0.5, 1.0, 2.0)
#: the knee of the smooth surrogate of the absolute error (pseudo-Huber), in scale units
HUBER_DELTA = 0.01
#: bootstrap resamples (of proposals) whose fitted parameters are averaged
BAGS = 25
#: folds of the inner cross-validation (by proposal)
INNER_FOLDS = 5
#: the procedures that have their own role weights (in a table's ``context``)
PROCEDURES: tuple[str, ...] = ("COD", "CNS")
#: bounds of the local refinement: a, b, rho, then log role weights
_BOUNDS_AB = (0.0, 3.0)
_BOUNDS_RHO = (0.0, 100.0)
_BOUNDS_LOGM = (math.log(1 / 20), math.log(20))
#: seed of the bootstrap (fixed: the same issues always give the same parameters)
_BAG_SEED = 0


@dataclass
class CalibratedParams(CompromiseParams):
    """The calibrated model's parameters; the defaults are fitted on the DEU III training file.

    The fields of :class:`~powerbalance.theory.bargaining.compromise.CompromiseParams`
    keep their meaning; ``commission_weight`` and ``parliament_weight`` are the role
    weights used when the table's procedure is unknown or has no weights of its own.
    The four per-procedure weights (None: the common one) apply to a table whose
    ``context["procedure"]`` is ``COD`` (codecision) or ``CNS`` (consultation).
    :func:`fit` estimates them; see ``docs/bargaining-models.md``.
    """

    capability_exponent: float = 0.499
    salience_exponent: float = 1.52
    reference_weight: float = 0.331
    commission_weight: float = 0.488
    parliament_weight: float = 0.4
    cod_commission_weight: float | None = 0.616
    cod_parliament_weight: float | None = 1.025
    cns_commission_weight: float | None = 0.387
    cns_parliament_weight: float | None = 0.156

    def __post_init__(self) -> None:
        super().__post_init__()
        for name in (
            "cod_commission_weight",
            "cod_parliament_weight",
            "cns_commission_weight",
            "cns_parliament_weight",
        ):
            value = getattr(self, name)
            if value is not None:
                check_range(name, value, 0.0, 1000.0)

    def for_procedure(self, procedure: str) -> CompromiseParams:
        """The compromise options for a table of ``procedure`` ("" when unknown)."""
        proc = procedure.strip().upper()
        com = (
            getattr(self, f"{proc.lower()}_commission_weight", None) if proc in PROCEDURES else None
        )
        ep = (
            getattr(self, f"{proc.lower()}_parliament_weight", None) if proc in PROCEDURES else None
        )
        return CompromiseParams(
            capability_exponent=self.capability_exponent,
            salience_exponent=self.salience_exponent,
            reference_weight=self.reference_weight,
            commission_weight=self.commission_weight if com is None else com,
            parliament_weight=self.parliament_weight if ep is None else ep,
        )


def procedure_of(table: ActorTable) -> str:
    """The legislative procedure a table records in its ``context`` ("" when none)."""
    context: Mapping[str, str] = getattr(table, "context", None) or {}
    return str(context.get("procedure", "")).strip().upper()


def calibrated(table: ActorTable, params: CalibratedParams | None = None) -> np.ndarray:
    """The calibrated model's forecast (the compromise formula with ``params``), per dimension."""
    p = params if params is not None else CalibratedParams()
    return compromise(table, p.for_procedure(procedure_of(table)))


# --------------------------------------------------------------------------- fitting
#
# A parameter vector ``theta`` is (a, b, rho, log m_com COD, log m_ep COD, log m_com CNS,
# log m_ep CNS); an issue of unknown procedure uses the mean of the two log weights (the
# geometric mean of the weights), which is what CalibratedParams' common weights hold.


@dataclass(frozen=True)
class _Packed:
    """Every (issue, dimension) of a training set as padded arrays, for a fast loss."""

    logcap: np.ndarray  # (m, n) log of capability over the largest; 0 where absent
    logsal: np.ndarray  # (m, n) log of salience/100; 0 where absent
    present: np.ndarray  # (m, n) the actor counts (took a position, salience > 0)
    position: np.ndarray  # (m, n) scaled to [0, 1]
    com: np.ndarray  # (m, n)
    ep: np.ndarray  # (m, n)
    rp: np.ndarray  # (m,) scaled reference point, 0 where unknown
    has_rp: np.ndarray  # (m,)
    outcome: np.ndarray  # (m,) scaled
    proc: np.ndarray  # (m,) 0: COD, 1: CNS, 2: unknown
    group: np.ndarray  # (m,) index of the row's proposal


def _pack(issues: Sequence[Issue]) -> _Packed:
    rows: list[tuple[ActorTable, int, float, str]] = []
    for issue in issues:
        table = issue.table
        if len(issue.outcome) != table.n_dims:
            raise BargainingOptionError(
                f"issue {issue.id}: {len(issue.outcome)} outcome value(s) for "
                f"{table.n_dims} dimension(s)"
            )
        for k, dim in enumerate(table.dimensions):
            value = float(issue.outcome[k])
            if not math.isfinite(value):
                raise BargainingOptionError(f"issue {issue.id}: the outcome is not a number")
            rows.append((table, k, (value - dim.low) / dim.width, issue.proposal))
    if not rows:
        raise BargainingOptionError(
            "fitting the calibrated model needs at least one issue with an outcome"
        )
    m = len(rows)
    n = max(t.n_actors for t, _, _, _ in rows)
    z = np.zeros((m, n))
    logcap, logsal, position, com, ep = z.copy(), z.copy(), z.copy(), z.copy(), z.copy()
    present = np.zeros((m, n), dtype=bool)
    rp, has_rp, outcome = np.zeros(m), np.zeros(m, dtype=bool), np.zeros(m)
    proc = np.full(m, len(PROCEDURES), dtype=int)
    groups = {p: g for g, p in enumerate(sorted({r[3] for r in rows}))}
    group = np.array([groups[r[3]] for r in rows], dtype=int)
    for j, (table, k, out, _) in enumerate(rows):
        na = table.n_actors
        cap = np.asarray(table.capability, dtype=float)
        sal = table.salience[:, k] / SALIENCE_MAX
        ok = (cap > 0) & (sal > 0)
        present[j, :na] = ok
        with np.errstate(divide="ignore"):
            logcap[j, :na] = np.where(ok, np.log(np.where(ok, cap, 1.0) / cap.max()), 0.0)
            logsal[j, :na] = np.where(ok, np.log(np.where(ok, sal, 1.0)), 0.0)
        position[j, :na] = table.scaled_positions()[:, k]
        c, e = role_flags(table)
        com[j, :na], ep[j, :na] = c, e
        ref = reference_scaled(table)
        if ref is not None:
            rp[j], has_rp[j] = ref[k], True
        outcome[j] = out
        p = procedure_of(table)
        if p in PROCEDURES:
            proc[j] = PROCEDURES.index(p)
    if not present.any(axis=1).all():
        raise BargainingOptionError(
            "an issue of the training set has no actor with a positive salience"
        )
    return _Packed(logcap, logsal, present, position, com, ep, rp, has_rp, outcome, proc, group)


def _subset(d: _Packed, rows: np.ndarray) -> _Packed:
    return _Packed(*(getattr(d, f.name)[rows] for f in fields(_Packed)))


def _forecasts(theta: np.ndarray, d: _Packed) -> np.ndarray:
    a, b, rho = theta[0], theta[1], theta[2]
    lc_by = np.array([theta[3], theta[5], (theta[3] + theta[5]) / 2])
    lp_by = np.array([theta[4], theta[6], (theta[4] + theta[6]) / 2])
    lc, lp = lc_by[d.proc][:, None], lp_by[d.proc][:, None]
    logw = a * d.logcap + b * d.logsal + lc * d.com + lp * d.ep
    logw = np.where(d.present, logw, -np.inf)
    logw = logw - logw.max(axis=1, keepdims=True)
    w = np.exp(logw)
    total = w.sum(axis=1)
    num = (w * d.position).sum(axis=1)
    extra = np.where(d.has_rp, rho * total / d.present.sum(axis=1), 0.0)
    return (num + extra * d.rp) / (total + extra)


def _mae(theta: np.ndarray, d: _Packed) -> float:
    return float(np.abs(_forecasts(theta, d) - d.outcome).mean())


def _bounds(design: Design) -> tuple[np.ndarray, np.ndarray]:
    k = {"exponents": 0, "roles": 2, "procedure": 4}[design]
    lo = np.array([_BOUNDS_AB[0], _BOUNDS_AB[0], _BOUNDS_RHO[0]] + [_BOUNDS_LOGM[0]] * k)
    hi = np.array([_BOUNDS_AB[1], _BOUNDS_AB[1], _BOUNDS_RHO[1]] + [_BOUNDS_LOGM[1]] * k)
    return lo, hi


def _expand(design: Design, x: np.ndarray) -> np.ndarray:
    """The full parameter vector of a design's free parameters ``x``."""
    if design == "exponents":
        return np.concatenate([x[:3], np.zeros(4)])
    if design == "roles":
        return np.concatenate([x[:3], x[3:5], x[3:5]])
    return np.asarray(x, dtype=float)


def _surrogate(theta: np.ndarray, d: _Packed) -> float:
    """The mean pseudo-Huber error: smooth, and the absolute error beyond its knee."""
    err = _forecasts(theta, d) - d.outcome
    return float(np.mean(HUBER_DELTA * (np.sqrt(1.0 + (err / HUBER_DELTA) ** 2) - 1.0)))


def _fit_design(d: _Packed, design: Design) -> np.ndarray:
    """Exact-MAE fit of one design: the best grid point, refined locally.

    The refinement runs L-BFGS-B on the smooth surrogate from the best grid point,
    then Nelder-Mead on the exact absolute error from where it stopped; the point of
    the three with the least absolute error is kept.
    """
    from scipy.optimize import minimize

    n_roles = {"exponents": 0, "roles": 2, "procedure": 4}[design]
    best: tuple[float, np.ndarray] | None = None
    for a, b, rho in itertools.product(GRID_EXPONENTS, GRID_EXPONENTS, GRID_REFERENCE):
        x = np.array([a, b, rho] + [0.0] * n_roles)
        value = _mae(_expand(design, x), d)
        if best is None or value < best[0] - 1e-12:
            best = (value, x)
    assert best is not None
    lo, hi = _bounds(design)
    smooth = minimize(
        lambda x: _surrogate(_expand(design, x), d),
        best[1],
        method="L-BFGS-B",
        bounds=list(zip(lo, hi, strict=True)),
        options={"maxiter": 500, "ftol": 1e-12, "gtol": 1e-9},
    )
    x1 = np.clip(np.asarray(smooth.x, dtype=float), lo, hi)
    exact = minimize(
        lambda x: _mae(_expand(design, np.clip(x, lo, hi)), d),
        x1,
        method="Nelder-Mead",
        options={"xatol": 1e-4, "fatol": 1e-8, "maxfev": 400 * (3 + n_roles)},
    )
    x2 = np.clip(np.asarray(exact.x, dtype=float), lo, hi)
    for x in (x1, x2):
        value = _mae(_expand(design, x), d)
        if value < best[0]:
            best = (value, x)
    return _expand(design, best[1])


def _bagged(d: _Packed, design: Design, bags: int) -> np.ndarray:
    """The mean of the design's fits on ``bags`` bootstrap resamples of the proposals."""
    n_groups = int(d.group.max()) + 1
    if bags <= 1 or n_groups < 2:
        return _fit_design(d, design)
    rows_of = [np.flatnonzero(d.group == g) for g in range(n_groups)]
    rng = np.random.default_rng(_BAG_SEED)
    thetas = []
    for _ in range(bags):
        pick = rng.integers(0, n_groups, n_groups)
        rows = np.concatenate([rows_of[g] for g in pick])
        thetas.append(_fit_design(_subset(d, rows), design))
    return np.mean(thetas, axis=0)


def folds_by_proposal(proposals: Sequence[str], k: int) -> np.ndarray:
    """Fold number of each row: the proposals, sorted, dealt round-robin into ``k`` folds."""
    order = {p: i % k for i, p in enumerate(sorted(set(proposals)))}
    return np.array([order[p] for p in proposals], dtype=int)


def _candidate_designs(d: _Packed) -> tuple[Design, ...]:
    roles = bool(d.com.any() or d.ep.any())
    both = all((d.proc == k).any() for k in range(len(PROCEDURES)))
    return tuple(x for x in DESIGNS if x == "exponents" or (roles and (x == "roles" or both)))


def _choose(d: _Packed) -> Design:
    designs = _candidate_designs(d)
    k = min(INNER_FOLDS, int(d.group.max()) + 1)
    if k < 2 or len(designs) == 1:
        return designs[0]
    fold = d.group % k  # the sorted proposals dealt round-robin
    scores = []
    for design in designs:
        errors = np.empty(len(d.outcome))
        for j in range(k):
            test = fold == j
            theta = _fit_design(_subset(d, np.flatnonzero(~test)), design)
            held = _subset(d, np.flatnonzero(test))
            errors[test] = np.abs(_forecasts(theta, held) - held.outcome)
        scores.append(float(errors.mean()))
    return designs[int(np.argmin(scores))]  # ties: the simpler design


def choose_design(issues: Sequence[Issue]) -> Design:
    """The design of :data:`DESIGNS` with the least absolute error in inner cross-validation.

    The issues are split by proposal into :data:`INNER_FOLDS` folds (fewer when there
    are fewer proposals; with fewer than two, ``exponents``): each design is fitted
    (without bagging) on all folds but one and scored on that one, in turn. ``roles``
    is a candidate only when some table has the actor ``com`` or ``ep``; ``procedure``
    only when the issues include both codecision and consultation tables.
    """
    return _choose(_pack(issues))


def fit(
    issues: Sequence[Issue], *, design: Design | None = None, bags: int = BAGS
) -> CalibratedParams:
    """The parameters that fit ``issues`` best (deterministic; see the module notes).

    ``design`` is which parameters are free (:data:`DESIGNS`); None: chosen by
    cross-validation within ``issues`` (:func:`choose_design`), so that validation on
    held-out folds stays honest. ``bags``: the bootstrap resamples whose fits are
    averaged (1: one fit on ``issues`` as they are).

    Raises
    ------
    BargainingOptionError
        No issue, an outcome that is not a number, an issue nobody cares about, or an
        unknown design.

    Examples
    --------
    >>> import numpy as np
    >>> from powerbalance.theory.bargaining.issues import Issue
    >>> from powerbalance.theory.bargaining.table import ActorTable, Dimension
    >>> t = ActorTable(("a", "b"), [1, 3], [[0], [100]], [[50], [50]], (Dimension("x", "x"),))
    >>> p = fit([Issue("i1", "p1", t, (75.0,))])
    >>> round(float(calibrated(t, p)[0]), 1)
    75.0
    """
    if design is not None and design not in DESIGNS:
        raise BargainingOptionError(f"design must be one of {', '.join(DESIGNS)}, not {design!r}")
    check_range("bags", bags, 1, 1000)
    packed = _pack(issues)
    chosen: Design = design if design is not None else _choose(packed)
    theta = _bagged(packed, chosen, int(bags))
    a, b, rho = (float(v) for v in theta[:3])
    per: list[float | None] = [None, None, None, None]
    if chosen == "procedure":
        per = [math.exp(float(v)) for v in theta[3:7]]
    return CalibratedParams(
        capability_exponent=a,
        salience_exponent=b,
        reference_weight=rho,
        commission_weight=math.exp(float(theta[3] + theta[5]) / 2),
        parliament_weight=math.exp(float(theta[4] + theta[6]) / 2),
        cod_commission_weight=per[0],
        cod_parliament_weight=per[1],
        cns_commission_weight=per[2],
        cns_parliament_weight=per[3],
    )
