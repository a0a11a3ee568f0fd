"""Compiled kernels (numba) for the spatial model's pairwise and triple loops.

Imported lazily by :mod:`powerbalance.theory.bargaining.spatial` when numba is
installed (the ``fast`` extra); the numpy code there computes the same numbers
and is used otherwise. Both follow the same formulas term by term, so results
agree to round-off (a test checks it).
"""

from __future__ import annotations

import numpy as np
from numba import njit

RULES = {
    "binary": 0,
    "prop-bin": 1,
    "proportional": 2,
    "prop-cubic": 3,
    "cubic": 4,
    "asym-prospect": 5,
}
COMMITS = {"full": 0, "semi": 1, "none": 2}


@njit(cache=True)
def _vote(rule: int, w: float, du: float) -> float:
    if rule == 2:
        return w * du
    if rule == 4:
        return w * du * du * du
    if rule == 3:
        return w * (0.5 * du + 0.5 * du * du * du)
    if rule == 5:
        return w * (2.0 * du / 3.0) if du > 0 else w * du
    b = du / 1e-8
    b = 1.0 if b > 1.0 else (-1.0 if b < -1.0 else b)
    if rule == 0:
        return w * b
    return w * (0.8 * du + 0.2 * b)


@njit(cache=True)
def all_challenges(A, wsal, s, rule, commit, min_contest):
    """Own-perspective (h = i) victory probability and expected gain of i challenging j."""
    n = A.shape[0]
    P = np.zeros((n, n))
    EDU = np.full((n, n), -np.inf)
    for i in range(n):
        U = A[i]
        for j in range(n):
            if j == i:
                continue
            ci = _vote(rule, wsal[i], U[i, i] - U[i, j])
            cj = _vote(rule, wsal[j], U[j, i] - U[j, j])
            chij0 = min_contest + max(ci, 0.0) + max(cj, 0.0)
            chji0 = min_contest + max(-ci, 0.0) + max(-cj, 0.0)
            chij = chij0
            chji = chji0
            for m in range(n):
                if m in (i, j):
                    continue
                uni = U[m, i]
                unj = U[m, j]
                unn = U[m, m]
                cn = _vote(rule, wsal[m], uni - unj)
                cni = chij0 + max(cn, 0.0)
                cnj = chji0 + max(-cn, 0.0)
                pin = cni / (cni + cnj)
                pjn = 1.0 - pin
                if commit == 0:
                    a, b, c, d = 3 * uni, 3 * unj, 3 * uni, 3 * unj
                elif commit == 1:
                    a, b, c, d = 2 * uni + unn, 3 * unj, 3 * uni, 2 * unj + unn
                else:
                    a, b, c, d = 2 * uni + unn, 2 * unj + unn, 2 * uni + unn, 2 * unj + unn
                vn = _vote(rule, wsal[m], (pin * a + pjn * b) - (pin * c + pjn * d))
                if vn > 0:
                    chij += vn
                elif vn < 0:
                    chji -= vn
            pij = chij / (chij + chji)
            P[i, j] = pij
            uki = U[i, i]
            ukj = U[i, j]
            EDU[i, j] = (
                (1 - s[j]) * 2 * uki + s[j] * (pij * 2 * uki + (1 - pij) * 2 * ukj) - (uki + ukj)
            )
    return P, EDU


@njit(cache=True)
def coalitions(u, w, rule, floor):
    """C[i, j] = floor + sum_k max(vote_k(i:j), 0) over options (columns of u)."""
    n_act, n_opt = u.shape
    C = np.full((n_opt, n_opt), floor)
    for i in range(n_opt):
        for j in range(n_opt):
            if i == j:
                continue
            acc = 0.0
            for k in range(n_act):
                v = _vote(rule, w[k], u[k, i] - u[k, j])
                if v > 0:
                    acc += v
            C[i, j] = floor + acc
    return C


@njit(cache=True)
def elect_conditional(ub, usq, opt_ptr, opt_idx, w, rule, power, floor):
    """Conditional probabilistic Condorcet election among each actor's options.

    Actor k's options are the status quo (utilities ``usq``) and the bargains
    ``opt_idx[opt_ptr[k]:opt_ptr[k + 1]]`` (columns of ``ub``). Returns the
    probabilities, padded with zeros, ``(n_actors, max_options)``.
    """
    n_act = usq.shape[0]
    max_opt = 1
    for k in range(n_act):
        max_opt = max(max_opt, 1 + opt_ptr[k + 1] - opt_ptr[k])
    out = np.zeros((n_act, max_opt))
    for k in range(n_act):
        m = 1 + opt_ptr[k + 1] - opt_ptr[k]
        if m == 1:
            out[k, 0] = 1.0
            continue
        u = np.empty((n_act, m))
        for a in range(n_act):
            u[a, 0] = usq[a]
            for q in range(1, m):
                u[a, q] = ub[a, opt_idx[opt_ptr[k] + q - 1]]
        C = coalitions(u, w, rule, floor)
        logs = np.zeros(m)
        for i in range(m):
            for j in range(m):
                if i == j:
                    pij = 0.5
                else:
                    x1 = C[i, j] ** power
                    x2 = C[j, i] ** power
                    pij = x1 / (x1 + x2)
                logs[i] += np.log(max(pij, 1e-300))
        top = logs.max()
        total = 0.0
        for i in range(m):
            out[k, i] = np.exp(logs[i] - top)
            total += out[k, i]
        for i in range(m):
            out[k, i] /= total
    return out
