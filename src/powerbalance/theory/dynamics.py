"""Balance dynamics: relations that evolve until the system splits into two camps.

Two continuous-time models of how a matrix of relations ``X`` (``x_ij > 0``
amity, ``x_ij < 0`` enmity, magnitude the strength) changes when each
actor adjusts its view of another by what their common contacts say:

- Marvel, Kleinberg & Strogatz (2011): ``dX/dt = X^2``, i.e.
  ``dx_ij/dt = sum_k x_ik x_kj``. For symmetric ``X(0)`` the solution is
  ``X(t) = X0 (I - t X0)^{-1}``; it diverges at ``t* = 1 / lambda_max`` and,
  for generic starts, ``X(t) / |X(t)|`` tends to ``u u^T`` (``u`` the leading
  eigenvector): two camps, the signs of ``u``, with amity inside and enmity
  across. Structural balance is reached in finite time.
- Traag, Van Dooren & De Leenheer (2013): ``dX/dt = X X^T``, i.e.
  ``dx_ij/dt = sum_k x_ik x_jk``: actor ``i`` revises its view of ``j`` by
  comparing opinions (what each thinks of the others) rather than gossip.
  For symmetric ``X`` both models coincide; for asymmetric starts this one
  still reaches balance, the first one generally not.

:func:`balance_dynamics` follows one matrix of any size. For triangles with a
zero diagonal, :func:`flips` reads the MKS dynamics in closed form for many
triangles at once (one row of three tie weights per Monte Carlo draw, ties in
the order of :data:`powerbalance.actors.TIE_POSITIONS`): ``X(t) = X0 (I - t
X0)^-1`` blows up at ``t* = 1/λmax`` (:func:`leading_eigenvalue`), and over
``det(I - t X0) > 0`` each off-diagonal entry is a *linear* function of ``t``::

    X_ij(t) = (X0_ij + t (X0^2)_ij) / det(I - t X0)

so tie ``ij`` changes sign once, at ``t = -X0_ij / (X0^2)_ij``, if that time
lies in ``(0, t*)``. The numerator is linear because ``trace X0 = 0`` makes
the quadratic term ``det(X0) * (V V^T)_ij`` vanish.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

from powerbalance.actors import TIE_POSITIONS
from powerbalance.errors import UserError

Model = Literal["mks", "traag"]
Method = Literal["auto", "closed_form", "numerical"]


class DynamicsInputError(UserError):
    """The starting relation matrix is not square, not finite, or its labels do not match."""


@dataclass(frozen=True)
class SignFlip:
    """A tie whose sign changes during the dynamics, at the first time it does."""

    a: str
    b: str
    time: float
    from_sign: int

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "time": self.time, "from_sign": self.from_sign}


@dataclass(frozen=True)
class DynamicsResult:
    """Where balance dynamics lead from a starting relation matrix.

    Attributes
    ----------
    model
        ``"mks"`` (dX/dt = X^2) or ``"traag"`` (dX/dt = X X^T).
    actors
        Row/column labels.
    initial, final
        The starting matrix and the matrix at :attr:`time`, divided by its
        largest absolute entry (its sign pattern is the outcome).
    time
        When the integration stopped: the divergence time when the relations
        blew up (``diverged``), otherwise the time horizon.
    diverged
        Whether the relations diverged before the horizon.
    divergence_time_exact
        ``1 / lambda_max(X0)`` for symmetric starts (where the closed form
        holds), else None.
    camps
        The two camps (signs of the leading eigenvector of the final matrix's
        symmetric part); one may be empty.
    balanced
        Whether every off-diagonal sign of the final matrix agrees with the
        camps (amity inside, enmity across).
    flips
        Ties whose sign changed, in order of their first change.
    """

    model: str
    actors: tuple[str, ...]
    initial: np.ndarray
    final: np.ndarray
    time: float
    diverged: bool
    divergence_time_exact: float | None
    camps: tuple[tuple[str, ...], tuple[str, ...]]
    balanced: bool
    flips: list[SignFlip] = field(default_factory=list)

    @property
    def first_flip(self) -> SignFlip | None:
        """The tie that changes sign first (None when none does)."""
        return self.flips[0] if self.flips else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "actors": list(self.actors),
            "initial": self.initial.tolist(),
            "final": self.final.tolist(),
            "time": self.time,
            "diverged": self.diverged,
            "divergence_time_exact": self.divergence_time_exact,
            "camps": [list(c) for c in self.camps],
            "balanced": self.balanced,
            "first_flip": self.first_flip.to_dict() if self.first_flip else None,
            "flips": [f.to_dict() for f in self.flips],
        }


def _rhs(model: str, n: int) -> Callable[[float, np.ndarray], np.ndarray]:
    if model == "mks":

        def f(_t: float, y: np.ndarray) -> np.ndarray:
            x = y.reshape(n, n)
            return (x @ x).ravel()

    else:

        def f(_t: float, y: np.ndarray) -> np.ndarray:
            x = y.reshape(n, n)
            return (x @ x.T).ravel()

    return f


def balance_dynamics(
    x0: np.ndarray | Sequence[Sequence[float]],
    *,
    actors: Sequence[str] | None = None,
    model: Model = "mks",
    method: Method = "auto",
    horizon: float | None = None,
    blowup: float = 1e6,
    rtol: float = 1e-10,
) -> DynamicsResult:
    """Integrate balance dynamics from ``x0`` until the relations diverge.

    Parameters
    ----------
    x0
        Square matrix of starting relations (signed weights). For the
        undirected relations of the core, symmetric with a zero diagonal
        (see :func:`relation_matrix`).
    actors
        Labels of the rows (default ``0..n-1``).
    model
        ``"mks"`` for ``dX/dt = X^2`` or ``"traag"`` for ``dX/dt = X X^T``.
    method
        ``"closed_form"`` uses ``X(t) = V diag(l / (1 - l t)) V^T`` (exact, for
        symmetric starts, where both models coincide); ``"numerical"``
        integrates the equations; ``"auto"`` (default) picks the closed form
        whenever it holds.
    horizon
        Longest time integrated when nothing diverges (default
        ``1000 / max|x0|``).
    blowup
        Divergence is declared when the largest entry reaches ``blowup``
        times its starting value.
    rtol
        Relative tolerance of the integrator (an explicit Runge-Kutta method
        of order 8, DOP853).

    Returns
    -------
    DynamicsResult

    Raises
    ------
    DynamicsInputError
        When ``x0`` is not a finite square matrix or ``actors`` has the wrong length.

    Notes
    -----
    For symmetric ``X0 = V diag(l) V^T`` both models are solved by
    ``x_ij(t) = sum_k V_ik V_jk l_k / (1 - l_k t)``, which diverges at
    ``t* = 1 / l_max``; the end state is read at ``(1 - 1/blowup) t*``.
    Otherwise the equations are integrated (DOP853) until the largest entry
    reaches ``blowup`` times its start. Each off-diagonal entry's first sign
    change is located with Brent's method (on the closed form or on the
    integrator's continuous output); the tie that flips first is what the
    model predicts will give way first. Camps are read from the leading
    eigenvector of ``(X + X^T) / 2`` at the end.

    References
    ----------
    .. [1] Marvel, S. A., Kleinberg, J., Kleinberg, R. D. & Strogatz, S. H.
       (2011). Continuous-time model of structural balance. *PNAS* 108(5),
       1771-1776. doi:10.1073/pnas.1013213108
    .. [2] Traag, V. A., Van Dooren, P. & De Leenheer, P. (2013). Dynamical
       models explaining social balance and evolution of cooperation.
       *PLoS ONE* 8(4), e60063. doi:10.1371/journal.pone.0060063

    Examples
    --------
    An unbalanced triangle (two amities, one enmity) where the enmity is
    strong: the weak amity between the third actor and its enemy's friend
    gives way first.

    >>> x0 = [[0, 0.8, -0.9], [0.8, 0, 0.3], [-0.9, 0.3, 0]]
    >>> r = balance_dynamics(x0, actors=["CHN", "RUS", "USA"])
    >>> r.first_flip.a, r.first_flip.b, r.balanced, r.camps
    ('RUS', 'USA', True, (('CHN', 'RUS'), ('USA',)))
    """
    x = np.array(x0, dtype=float)
    if x.ndim != 2 or x.shape[0] != x.shape[1] or x.shape[0] < 2:
        raise DynamicsInputError(
            f"the relation matrix must be square with 2+ rows, got shape {x.shape}"
        )
    if not np.all(np.isfinite(x)):
        raise DynamicsInputError(
            "the relation matrix has missing or infinite entries; fill or drop them"
        )
    n = x.shape[0]
    labels = (
        tuple(str(a) for a in actors) if actors is not None else tuple(str(i) for i in range(n))
    )
    if len(labels) != n:
        raise DynamicsInputError(f"{len(labels)} actor labels for a {n}x{n} matrix")
    if model not in ("mks", "traag"):
        raise DynamicsInputError(f"unknown model '{model}'; use 'mks' or 'traag'")
    scale = float(np.abs(x).max())
    symmetric = bool(np.allclose(x, x.T))
    exact = None
    if symmetric:
        lam_max = float(np.linalg.eigvalsh(x).max())
        exact = 1.0 / lam_max if lam_max > 1e-15 else math.inf
    if scale == 0.0:
        return _result(model, labels, x, x, 0.0, False, exact, [])
    if method not in ("auto", "closed_form", "numerical"):
        raise DynamicsInputError(f"unknown method '{method}'; use auto, closed_form or numerical")
    if method == "closed_form" and not symmetric:
        raise DynamicsInputError("the closed form needs a symmetric start; use method='numerical'")
    if method in ("auto", "closed_form") and symmetric:
        return _closed_form(model, labels, x, horizon, blowup)
    limit = horizon if horizon is not None else 1000.0 / scale
    threshold = blowup * scale

    def blew_up(_t: float, y: np.ndarray) -> float:
        return threshold - float(np.abs(y).max())

    blew_up.terminal = True  # type: ignore[attr-defined]
    sol = solve_ivp(
        _rhs(model, n),
        (0.0, limit),
        x.ravel(),
        method="DOP853",
        rtol=rtol,
        atol=1e-12 * scale,
        events=blew_up,
        dense_output=True,
    )
    diverged = sol.status == 1
    t_end = float(sol.t[-1])
    final = sol.y[:, -1].reshape(n, n)
    flips = _first_flips(sol, x, labels, symmetric)
    return _result(model, labels, x, final, t_end, diverged, exact, flips)


def _closed_form(
    model: str, labels: tuple[str, ...], x: np.ndarray, horizon: float | None, blowup: float
) -> DynamicsResult:
    lam, vec = np.linalg.eigh((x + x.T) / 2.0)
    lam_max = float(lam.max())
    scale = float(np.abs(x).max())
    diverges = lam_max > 1e-15
    t_star = 1.0 / lam_max if diverges else math.inf
    if diverges and (horizon is None or horizon >= t_star):
        t_end, diverged = t_star * (1.0 - 1.0 / blowup), True
    else:
        t_end, diverged = (horizon if horizon is not None else 1000.0 / scale), False
    n = x.shape[0]
    iu, ju = np.triu_indices(n, k=1)
    outer = vec[iu, :] * vec[ju, :]  # (pairs, modes)

    def entries(t: np.ndarray) -> np.ndarray:
        growth = lam[None, :] / (1.0 - np.outer(t, lam))  # (times, modes)
        return growth @ outer.T  # (times, pairs)

    # Dense near the end, where the leading mode takes over and sign changes happen.
    frac = np.unique(np.concatenate([np.linspace(0.0, 1.0, 2001), 1.0 - np.logspace(-12, 0, 2001)]))
    times = frac[frac * t_star <= t_end] * t_star if diverged else np.linspace(0.0, t_end, 4001)
    values = entries(times)
    start = np.sign(x[iu, ju])
    flips: list[SignFlip] = []
    for p in range(iu.size):
        if start[p] == 0:
            continue
        crossed = np.flatnonzero(np.sign(values[1:, p]) == -start[p])
        if crossed.size == 0:
            continue
        k = int(crossed[0]) + 1

        def entry(t: float, p: int = p) -> float:
            return float(entries(np.array([t]))[0, p])

        lo, hi = float(times[k - 1]), float(times[k])
        t_cross = brentq(entry, lo, hi, xtol=1e-15, rtol=1e-13) if entry(lo) * entry(hi) < 0 else hi
        flips.append(SignFlip(labels[iu[p]], labels[ju[p]], float(t_cross), int(start[p])))
    flips.sort(key=lambda f: (f.time, f.a, f.b))
    final = vec @ np.diag(lam / (1.0 - lam * t_end)) @ vec.T
    exact = t_star
    return _result(model, labels, x, final, t_end, diverged, exact, flips)


def _first_flips(
    sol: Any, x0: np.ndarray, labels: tuple[str, ...], symmetric: bool
) -> list[SignFlip]:
    n = x0.shape[0]
    start = np.sign(x0)
    ts = sol.t
    ys = sol.y.reshape(n, n, -1)
    flips: list[SignFlip] = []
    for i in range(n):
        for j in range(n):
            if i == j or (symmetric and j < i):
                continue
            series = ys[i, j, :]
            s0 = start[i, j]
            if s0 == 0:
                # A tie absent at the start takes its first sign: not a flip.
                continue
            crossed = np.flatnonzero(np.sign(series[1:]) == -s0)
            if crossed.size == 0:
                continue
            k = int(crossed[0]) + 1
            lo, hi = float(ts[k - 1]), float(ts[k])
            ij = (i, j)

            def entry(t: float, ij: tuple[int, int] = ij) -> float:
                return float(sol.sol(t).reshape(n, n)[ij])

            t_cross = (
                brentq(entry, lo, hi, xtol=1e-14, rtol=1e-12) if entry(lo) * entry(hi) < 0 else hi
            )
            flips.append(SignFlip(labels[i], labels[j], float(t_cross), int(s0)))
    flips.sort(key=lambda f: (f.time, f.a, f.b))
    return flips


def _result(
    model: str,
    labels: tuple[str, ...],
    x0: np.ndarray,
    final: np.ndarray,
    t_end: float,
    diverged: bool,
    exact: float | None,
    flips: list[SignFlip],
) -> DynamicsResult:
    top = float(np.abs(final).max())
    normalised = final / top if top > 0 else final.copy()
    sym = (normalised + normalised.T) / 2.0
    vals, vecs = np.linalg.eigh(sym)
    u = vecs[:, int(np.argmax(vals))]
    # Orient so the first actor sits in the first camp (a reading convention only).
    if u[0] < 0:
        u = -u
    side = u >= 0
    camps = (
        tuple(a for a, s in zip(labels, side.tolist(), strict=True) if s),
        tuple(a for a, s in zip(labels, side.tolist(), strict=True) if not s),
    )
    expected = np.where(side[:, None] == side[None, :], 1.0, -1.0)
    off = ~np.eye(len(labels), dtype=bool)
    balanced = bool(top > 0 and np.all(np.sign(normalised[off]) == expected[off]))
    return DynamicsResult(
        model=model,
        actors=labels,
        initial=x0,
        final=normalised,
        time=t_end,
        diverged=diverged,
        divergence_time_exact=exact,
        camps=camps,
        balanced=balanced,
        flips=flips,
    )


# The ties in array order, as (row, column) of the 3x3 matrix.
_I = np.array([i for i, _ in TIE_POSITIONS])
_J = np.array([j for _, j in TIE_POSITIONS])


def triangle_matrix(weights: np.ndarray) -> np.ndarray:
    """The symmetric 3x3 matrices (zero diagonal) of tie weights ``(..., 3)``.

    Examples
    --------
    >>> triangle_matrix(np.array([0.1, 0.2, 0.3])).tolist()
    [[0.0, 0.1, 0.2], [0.1, 0.0, 0.3], [0.2, 0.3, 0.0]]
    """
    w = np.asarray(weights, dtype=float)
    x = np.zeros((*w.shape[:-1], 3, 3))
    x[..., _I, _J] = w
    x[..., _J, _I] = w
    return x


def leading_eigenvalue(weights: np.ndarray) -> np.ndarray:
    """Largest eigenvalue of each zero-diagonal symmetric 3x3 matrix, in closed form.

    The characteristic polynomial of ``[[0, a, b], [a, 0, c], [b, c, 0]]`` is
    ``λ^3 - p λ - q`` with ``p = a^2 + b^2 + c^2`` and ``q = 2abc``; its three
    real roots are ``2 sqrt(p/3) cos(θ/3 - 2πk/3)`` with
    ``cos θ = (3q / 2p) sqrt(3/p)``, the largest at ``k = 0``.

    Examples
    --------
    >>> float(np.round(leading_eigenvalue(np.array([1.0, 1.0, 1.0])), 12))
    2.0
    """
    w = np.asarray(weights, dtype=float)
    a, b, c = w[..., 0], w[..., 1], w[..., 2]
    p = a * a + b * b + c * c
    q = 2 * a * b * c
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.sqrt(p / 3)
        cos_theta = np.clip(np.where(p > 0, q / (2 * r**3), 0.0), -1.0, 1.0)
    return np.where(p > 0, 2 * r * np.cos(np.arccos(cos_theta) / 3), 0.0)


def flips(weights: np.ndarray) -> dict[str, np.ndarray]:
    """Which tie of each triangle flips first under dX/dt = X^2, when, and the final signs.

    Parameters
    ----------
    weights
        Tie weights, shape ``(n, 3)``, ties in the order of
        :data:`~powerbalance.actors.TIE_POSITIONS` (for the triangle
        USA–RUS, USA–CHN, RUS–CHN).

    Returns
    -------
    dict
        ``first`` (n,) index of the first tie to change sign, -1 when none does;
        ``time`` (n,) its flip time as a fraction of the blow-up time ``t*``
        (NaN when none flips); ``flip_times`` (n, 3) each tie's flip time as a
        fraction of ``t*`` (NaN when it keeps its sign); ``blowup`` (n,) ``t*``;
        ``final`` (n, 3) the signs just before ``t*``.

    Notes
    -----
    A zero weight matrix never moves (``t*`` is infinite, nothing flips).
    :func:`balance_dynamics` on :func:`triangle_matrix` of one row finds the
    same first flip and final signs by locating the sign changes numerically.

    Examples
    --------
    >>> out = flips(np.array([[0.2, -0.9, 0.9]]))  # US courts Russia, China hostile to the US
    >>> int(out["first"][0]), out["final"][0].tolist()
    (0, [-1, -1, 1])
    """
    w = np.atleast_2d(np.asarray(weights, dtype=float))
    x = triangle_matrix(w)
    lam = leading_eigenvalue(w)
    x2 = x @ x
    a = w
    b = x2[..., _I, _J]
    with np.errstate(divide="ignore", invalid="ignore"):
        tstar = np.where(lam > 0, 1.0 / lam, np.inf)
        t = np.where(b != 0, -a / b, np.nan)
        inside = (t > 0) & (t < tstar[..., None]) & (a != 0)
        flip_times = np.where(inside, t / tstar[..., None], np.nan)
        end = np.where(np.isfinite(tstar)[..., None], a + b * tstar[..., None], a)
    final = np.where(end > 0, 1, -1).astype(np.int8)
    any_flip = inside.any(axis=-1)
    first = np.where(any_flip, np.argmin(np.where(inside, flip_times, np.inf), axis=-1), -1)
    time = np.where(any_flip, np.nanmin(np.where(inside, flip_times, np.inf), axis=-1), np.nan)
    return {
        "first": first.astype(np.int8),
        "time": time,
        "flip_times": flip_times,
        "blowup": tstar,
        "final": final,
    }


def relation_matrix(graph: Any, *, weighted: bool = True) -> tuple[tuple[str, ...], np.ndarray]:
    """The symmetric signed relation matrix of a signed graph or of relations.

    Parameters
    ----------
    graph
        A :class:`~powerbalance.theory.signed.SignedGraph` or an iterable of
        :class:`~powerbalance.relations.base.Relation`.
    weighted
        Entries ``sign * weight`` (default) or just the sign.

    Returns
    -------
    (actors, matrix)

    Examples
    --------
    >>> from powerbalance.theory.signed import signed_graph
    >>> actors, x = relation_matrix(signed_graph([("a", "b", 1, 0.5), ("b", "c", -1, 0.2)]))
    >>> actors, x.tolist()
    (('a', 'b', 'c'), [[0.0, 0.5, 0.0], [0.5, 0.0, -0.2], [0.0, -0.2, 0.0]])
    """
    from powerbalance.theory.signed import SignedGraph, from_relations

    g = graph if isinstance(graph, SignedGraph) else from_relations(graph)
    return g.nodes, g.adjacency(weighted=weighted).toarray()
