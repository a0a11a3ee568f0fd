"""Balance dynamics dX/dt = X^2 for arrays of triangles, solved in closed form.

Marvel, Kleinberg & Strogatz (2011) show that for a symmetric start ``X0`` the
solution is ``X(t) = X0 (I - t X0)^-1``: it blows up at ``t* = 1/λmax`` and the
signs just before ``t*`` split the actors into at most two camps. For a
triangle with a zero diagonal the off-diagonal entries are, over
``det(I - t X0) > 0``, a *linear* function of ``t``::

    X_ij(t) = (X0_ij + t (X0^2)_ij) / det(I - t X0)

so tie ``ij`` changes sign once, at ``t = -X0_ij / (X0^2)_ij``, if that time
lies in ``(0, t*)``. This gives, for 100,000 draws at once, which tie flips
first, when, and the final camps. The numerator is linear because
``trace X0 = 0`` makes the quadratic term ``det(X0) * (V V^T)_ij`` vanish.

References
----------
Marvel, S. A., Kleinberg, J., & Strogatz, S. H. (2011). Continuous-time model of
structural balance. *PNAS* 108(5), 1771–1776. https://doi.org/10.1073/pnas.1013213108
"""

from __future__ import annotations

import numpy as np

# Ties in the order of schema.TIES, as (row, column) of the 3x3 matrix (USA, RUS, CHN).
_I = np.array([0, 0, 1])
_J = np.array([1, 2, 2])


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
    """Which tie flips first under dX/dt = X^2, when, and the final signs.

    Parameters
    ----------
    weights
        Tie weights, shape ``(n, 3)`` in the order USA–RUS, USA–CHN, RUS–CHN.

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
