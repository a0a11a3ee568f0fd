"""Foreign-policy similarity from UN General Assembly votes: agreement, S, Cohen's kappa.

Votes are coded 1 yes, 2 abstain, 3 no; absences and non-membership are not
votes. Each measure compares two states on the roll calls both voted on.
The scalar functions here define the measures; the dyad-year verb
:func:`powerbalance.frames.add_un_alignment` computes the same quantities for
every pair at once with matrix products (:func:`dyadic_alignment`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from powerbalance.errors import UserError
from powerbalance.indicators.votes import dyadic_vote_measures

VOTE_VALUES = (1, 2, 3)


def _common(x, y) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(x, dtype=float)
    b = np.asarray(y, dtype=float)
    if a.shape != b.shape:
        raise UserError(f"the two vote vectors differ in length ({a.size} and {b.size})")
    both = np.isin(a, VOTE_VALUES) & np.isin(b, VOTE_VALUES)
    return a[both], b[both]


def votes_in_common(x, y) -> int:
    """How many roll calls both states voted on (yes, abstain or no).

    Examples
    --------
    >>> votes_in_common([1, 2, 8, 3], [1, 9, 1, 1])
    2
    """
    a, _ = _common(x, y)
    return int(a.size)


def agreement(x, y) -> float:
    """Share of common roll calls on which both states voted the same way.

    Examples
    --------
    >>> agreement([1, 1, 2, 3], [1, 3, 2, 3])
    0.75
    """
    a, b = _common(x, y)
    return float(np.mean(a == b)) if a.size else float("nan")


def s_score(x, y, *, d_max: float = 2.0) -> float:
    """Signorino and Ritter's S: one minus twice the mean vote distance over its maximum.

    Parameters
    ----------
    x, y
        Votes of two states on the same roll calls (1 yes, 2 abstain, 3 no;
        other codes are not votes).
    d_max
        Largest possible distance between two votes: 2 on the 1-2-3 scale.

    Returns
    -------
    float
        S in [-1, 1]: 1 for identical voting, -1 when one always votes yes and
        the other no; missing when there is no common vote.

    Notes
    -----
    .. math:: S = 1 - \\frac{2 \\sum_r |x_r - y_r|}{n \\, d_{max}}

    over the ``n`` roll calls both states voted on.

    Examples
    --------
    >>> s_score([1, 1, 3], [1, 2, 1])
    0.0

    References
    ----------
    Signorino, C. S. and Ritter, J. M. (1999). Tau-b or not tau-b: measuring the
    similarity of foreign policy positions. International Studies Quarterly
    43(1), 115-144. doi:10.1111/0020-8833.00113.
    """
    a, b = _common(x, y)
    if not a.size:
        return float("nan")
    return float(1.0 - 2.0 * np.abs(a - b).sum() / (a.size * d_max))


def cohen_kappa(x, y) -> float:
    """Cohen's kappa: vote agreement corrected for the agreement expected by chance.

    Returns
    -------
    float
        kappa in [-1, 1]; missing without common votes or when chance
        agreement is 1 (both states cast a single kind of vote throughout).

    Notes
    -----
    .. math:: \\kappa = \\frac{p_o - p_e}{1 - p_e}, \\qquad p_e = \\sum_k p_k(x)\\, p_k(y)

    with :math:`p_o` the observed agreement and :math:`p_k(\\cdot)` each
    state's own share of votes of kind :math:`k` on the common roll calls.
    Häge (2011) shows that S and plain agreement rise with the share of
    lopsided votes whatever two states' preferences, and recommends kappa.

    Examples
    --------
    >>> round(cohen_kappa([1, 1, 2, 3], [1, 3, 2, 3]), 4)
    0.6364

    References
    ----------
    Cohen, J. (1960). A coefficient of agreement for nominal scales.
    Educational and Psychological Measurement 20(1), 37-46.
    doi:10.1177/001316446002000104.
    Häge, F. M. (2011). Choice or circumstance? Adjusting measures of foreign
    policy similarity for chance agreement. Political Analysis 19(3), 287-305.
    doi:10.1093/pan/mpr023.
    """
    a, b = _common(x, y)
    if not a.size:
        return float("nan")
    po = float(np.mean(a == b))
    pe = float(sum(np.mean(a == k) * np.mean(b == k) for k in VOTE_VALUES))
    if np.isclose(pe, 1.0):
        return float("nan")
    return (po - pe) / (1.0 - pe)


def dyadic_alignment(
    votes: pd.DataFrame, *, states=None, directed: bool = False, d_max: float = 2.0
) -> pd.DataFrame:
    """Votes in common, agreement, S and kappa for every pair of states in every calendar year.

    Parameters
    ----------
    votes
        ``rcid, ccode, year, vote`` as the UN vote readers return them.
    states
        COW codes to keep (all when ``None``).
    directed
        Both orders of each pair, or ``ccode1 < ccode2`` only.

    Returns
    -------
    pandas.DataFrame
        ``ccode1, ccode2, year, votes_common, agree, s_score, kappa``.

    Examples
    --------
    >>> v = pd.DataFrame({"rcid": [1, 1, 2, 2], "ccode": [2, 710, 2, 710],
    ...                   "year": [2000] * 4, "vote": [1, 1, 3, 1]})
    >>> dyadic_alignment(v)[["votes_common", "agree", "s_score"]].values.tolist()
    [[2.0, 0.5, 0.0]]
    """
    return dyadic_vote_measures(votes, directed=directed, d_max=d_max, states=states)
