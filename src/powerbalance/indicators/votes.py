"""Vectorised dyadic agreement measures over UN roll-call votes, one year at a time.

For each year the votes form three indicator matrices ``A_k`` (states x roll
calls, 1 where the state voted ``k``: 1 yes, 2 abstain, 3 no). Every pairwise
count is a matrix product ``P_kl = A_k A_l^T``: votes in common
``N = sum_kl P_kl``, identical votes ``sum_k P_kk``, summed distances
``sum_kl |k - l| P_kl``, and each state's marginal counts on the votes it
shares with the other, ``C_k = sum_l P_kl``. The scalar definitions the matrix
forms reproduce live in :mod:`powerbalance.indicators.alignment`.
"""

from __future__ import annotations

import contextlib

import numpy as np
import pandas as pd

CATEGORIES = (1, 2, 3)


def _one_blas_thread() -> contextlib.AbstractContextManager:
    """BLAS on one thread while the per-year products run (threadpoolctl, when installed).

    The products are small (a few hundred rows); BLAS threads cost more than
    they save on them, and on a busy machine their spin-waiting doubled the
    time of the whole UN alignment step in the frames benchmark.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas")


def _year_measures(ccode: np.ndarray, rcid: np.ndarray, vote: np.ndarray, d_max: float):
    states, si = np.unique(ccode, return_inverse=True)
    _, ri = np.unique(rcid, return_inverse=True)
    n, m = len(states), int(ri.max()) + 1 if len(ri) else 0
    a = np.zeros((3 * n, m), dtype=np.float32)  # counts stay far below 2**24: exact
    a[(vote.astype(np.int64) - 1) * n + si, ri] = 1.0
    big = (a @ a.T).astype(np.float64)  # one BLAS call; block (k, l) is P_kl

    def block(row: int, col: int) -> np.ndarray:
        return big[row * n : (row + 1) * n, col * n : (col + 1) * n]

    marg = [big[k * n : (k + 1) * n].reshape(n, 3, n).sum(axis=1) for k in range(3)]  # C_k
    common = marg[0] + marg[1] + marg[2]
    same = block(0, 0) + block(1, 1) + block(2, 2)
    near = block(0, 1) + block(1, 2)
    far = block(0, 2)
    dist = near + near.T + 2.0 * (far + far.T)
    with np.errstate(divide="ignore", invalid="ignore"):
        agree = same / common
        s = 1.0 - 2.0 * dist / (d_max * common)
        pe = (marg[0] * marg[0].T + marg[1] * marg[1].T + marg[2] * marg[2].T) / common**2
        kappa = (agree - pe) / (1.0 - pe)
    kappa[np.isclose(pe, 1.0)] = np.nan
    return states, common, agree, s, kappa


def dyadic_vote_measures(
    votes: pd.DataFrame, *, directed: bool = True, d_max: float = 2.0, states=None
) -> pd.DataFrame:
    """Votes in common, agreement, S and Cohen's kappa for every pair of states and year.

    Parameters
    ----------
    votes
        ``rcid, ccode, year, vote`` with vote 1 (yes), 2 (abstain) or 3 (no).
    directed
        Both orders of each pair (``True``) or ``ccode1 < ccode2`` only.
    d_max
        Largest distance between two votes (2 on the 1-2-3 scale).
    states
        Restrict to these COW codes (speeds up small frames).

    Returns
    -------
    pandas.DataFrame
        ``ccode1, ccode2, year, votes_common, agree, s_score, kappa``; pairs
        with no vote in common have ``votes_common`` 0 and missing measures.
    """
    v = votes[["rcid", "ccode", "year", "vote"]]
    if states is not None:
        v = v[v["ccode"].isin(list(states))]
    v = v.sort_values("year", kind="stable")
    years = v["year"].to_numpy()
    cuts = np.flatnonzero(np.diff(years)) + 1
    starts = np.r_[0, cuts]
    ends = np.r_[cuts, len(years)]
    cc, rc, vo = v["ccode"].to_numpy(), v["rcid"].to_numpy(), v["vote"].to_numpy()
    parts = []
    with _one_blas_thread():
        for s0, e0 in zip(starts, ends, strict=True):
            if e0 <= s0:
                continue
            states_y, common, agree, s, kappa = _year_measures(
                cc[s0:e0], rc[s0:e0], vo[s0:e0], d_max
            )
            n = len(states_y)
            i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
            mask = (i != j if directed else i < j).ravel()
            flat = np.flatnonzero(mask)
            i, j = i.ravel()[flat], j.ravel()[flat]
            parts.append(
                pd.DataFrame(
                    {
                        "ccode1": states_y[i],
                        "ccode2": states_y[j],
                        "year": np.full(len(i), years[s0], dtype=np.int64),
                        "votes_common": common.ravel()[flat].astype(np.int64),
                        "agree": agree.ravel()[flat],
                        "s_score": s.ravel()[flat],
                        "kappa": kappa.ravel()[flat],
                    }
                )
            )
    if not parts:
        return pd.DataFrame(
            {
                c: pd.Series(
                    dtype="int64"
                    if c in ("ccode1", "ccode2", "year", "votes_common")
                    else "float64"
                )
                for c in ("ccode1", "ccode2", "year", "votes_common", "agree", "s_score", "kappa")
            }
        )
    return pd.concat(parts, ignore_index=True)


def vote_measures_for_rows(
    votes: pd.DataFrame,
    ccode1: np.ndarray,
    ccode2: np.ndarray,
    year: np.ndarray,
    *,
    d_max: float = 2.0,
) -> dict[str, np.ndarray]:
    """The measures for given dyad-year rows, computed year by year straight into row order.

    Equivalent to looking each row up in :func:`dyadic_vote_measures`, without
    building the table of every pair: per year, each row's two states are
    located in that year's (small, sorted) list of voting states. Rows whose
    states cast no vote that year get 0 votes in common and missing measures.
    """
    n_rows = len(year)
    out = {
        "votes_common": np.zeros(n_rows),
        "agree": np.full(n_rows, np.nan),
        "s_score": np.full(n_rows, np.nan),
        "kappa": np.full(n_rows, np.nan),
    }
    v = votes[votes["year"].isin(np.unique(year))].sort_values("year", kind="stable")
    vy = v["year"].to_numpy()
    cc, rc, vo = v["ccode"].to_numpy(), v["rcid"].to_numpy(), v["vote"].to_numpy()
    cuts = np.flatnonzero(np.diff(vy)) + 1
    row_order = np.argsort(year, kind="stable")
    sorted_years = year[row_order]
    with _one_blas_thread():
        for s0, e0 in zip(np.r_[0, cuts], np.r_[cuts, len(vy)], strict=True):
            if e0 <= s0:
                continue
            y = vy[s0]
            lo, hi = np.searchsorted(sorted_years, [y, y + 1])
            rows = row_order[lo:hi]
            if not len(rows):
                continue
            states, common, agree, s, kappa = _year_measures(cc[s0:e0], rc[s0:e0], vo[s0:e0], d_max)
            i = np.searchsorted(states, ccode1[rows])
            j = np.searchsorted(states, ccode2[rows])
            i_ok = (i < len(states)) & (states[np.minimum(i, len(states) - 1)] == ccode1[rows])
            j_ok = (j < len(states)) & (states[np.minimum(j, len(states) - 1)] == ccode2[rows])
            ok = i_ok & j_ok
            rows, i, j = rows[ok], i[ok], j[ok]
            out["votes_common"][rows] = common[i, j]
            out["agree"][rows] = agree[i, j]
            out["s_score"][rows] = s[i, j]
            out["kappa"][rows] = kappa[i, j]
    return out
