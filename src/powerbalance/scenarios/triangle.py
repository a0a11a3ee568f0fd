"""Dittmer's strategic triangle over arrays of tie signs (one row per Monte Carlo draw).

The theory layer (:mod:`powerbalance.theory.triangle`) reads one triangle with
its arithmetic; Monte Carlo needs the same classification for 100,000 draws at
once, so this module computes it from sign arrays with numpy. A test checks
that both agree on all eight sign patterns.

Ties are ordered as :data:`~powerbalance.scenarios.schema.TIES`
(USA–RUS, USA–CHN, RUS–CHN) and actors as USA, RUS, CHN.
"""

from __future__ import annotations

import numpy as np

#: Configuration code = number of amicable ties.
CONFIGURATIONS: tuple[str, ...] = (
    "unit_veto",
    "stable_marriage",
    "romantic_triangle",
    "menage_a_trois",
)
#: Role codes, ordered by role score (-3 .. +3).
ROLES: tuple[str, ...] = ("outcast", "foe", "wing", "partner", "friend", "pivot")
_ROLE_SCORE = np.array([-3, -1, -1, 1, 1, 3])

# For each actor (USA, RUS, CHN): its two ties and the tie between the other two.
_OWN = np.array([[0, 1], [0, 2], [1, 2]])
_OTHER = np.array([2, 1, 0])


def signs_of(weights: np.ndarray) -> np.ndarray:
    """Amity (+1) where a weight is positive, enmity (-1) otherwise.

    A weight of exactly 0 counts as enmity: Dittmer's triangle has no neutral
    tie, and "no amity" is the cautious reading.

    Examples
    --------
    >>> signs_of(np.array([[0.5, -0.2, 0.0]])).tolist()
    [[1, -1, -1]]
    """
    return np.where(np.asarray(weights) > 0, 1, -1).astype(np.int8)


def configuration_codes(signs: np.ndarray) -> np.ndarray:
    """Index into :data:`CONFIGURATIONS`: the number of amicable ties.

    Examples
    --------
    >>> [CONFIGURATIONS[c] for c in configuration_codes(np.array([[-1, -1, 1], [1, -1, 1]]))]
    ['stable_marriage', 'romantic_triangle']
    """
    return (np.asarray(signs) > 0).sum(axis=-1).astype(np.int8)


def role_scores(signs: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Each actor's role score: its own ties plus the negated tie between the other two.

    ``score_i = s_ij + s_ik - s_jk``: +1 per own amity, -1 per own enmity, +1
    when the other two are hostile, -1 when they are amicable (Dittmer 1981).
    With ``weights``, each term is scaled by its tie's strength.

    Examples
    --------
    >>> role_scores(np.array([[-1, -1, 1]])).tolist()  # stable marriage RUS+CHN
    [[-3, 1, 1]]
    """
    s = np.asarray(signs, dtype=float if weights is not None else np.int64)
    if weights is not None:
        s = s * np.abs(np.asarray(weights, dtype=float))
    own = s[..., _OWN].sum(axis=-1)
    return own - s[..., _OTHER]


def role_codes(signs: np.ndarray) -> np.ndarray:
    """Index into :data:`ROLES` per actor (USA, RUS, CHN).

    Scores ±1 are told apart by the configuration: +1 is a partner in a stable
    marriage and a friend in a ménage à trois; -1 is a wing in a romantic
    triangle and a foe in a unit veto.

    Examples
    --------
    >>> [ROLES[r] for r in role_codes(np.array([1, -1, 1]))]  # USA-RUS +, RUS-CHN +
    ['wing', 'pivot', 'wing']
    """
    signs = np.asarray(signs)
    score = role_scores(signs)
    config = configuration_codes(signs)[..., None]
    code = np.empty(score.shape, dtype=np.int8)
    code[score == -3] = 0
    code[score == 3] = 5
    code[(score == -1) & (config == 0)] = 1
    code[(score == -1) & (config != 0)] = 2
    code[(score == 1) & (config == 1)] = 3
    code[(score == 1) & (config != 1)] = 4
    return code
