"""KTAB's spatial model of politics with probabilistic Condorcet elections (SMP).

A Python re-implementation, vectorised with numpy, of the spatial model of
KAPSARC's Toolkit for Agent-Based modelling (KTAB, ``smpc``), following the
published description (Wise, Lester, Efird et al.) and the model parameters
KTAB prints in its run logs. Each turn:

1. **Utilities.** The distance from actor *i*'s ideal (its current position)
   to *j*'s position is the salience-weighted Euclidean distance
   :math:`d_{ij} = \\sqrt{\\sum_k s_{ik}^2 (x_{ik}-x_{jk})^2 / \\sum_k s_{ik}^2}`
   on the ``[0, 1]`` scale. With normalised risk attitude :math:`R`, utility is
   :math:`u(d, R) = (1-d)(1+dR)` (risk-neutral at :math:`R=0`).
2. **Risk attitudes.** With risk-neutral utilities, every actor votes over all
   pairs of positions (vote :math:`v_k(i{:}j) = c_k\\,f(u_{ki}-u_{kj})`, ``f``
   the voting rule); coalition strengths :math:`C_{ij}=\\sum_k \\max(v_k(i{:}j),0)`
   give pairwise victory probabilities (linear :math:`C_{ij}/(C_{ij}+C_{ji})`,
   square, quartic) and a probabilistic Condorcet election (conditional:
   :math:`P_i \\propto \\prod_j p_{ij}`; or a Markov chain of challenges, uniform
   or incentive-weighted) gives each position's probability :math:`P_i`.
   Actors whose positions are likely to win are taken to be risk-averse:
   ``BigRRange`` maps :math:`P` linearly to :math:`R` (``mid``:
   :math:`R_i = (3P_i - P_{max} - 2P_{min}) / (2(P_{max}-P_{min}))`, in
   :math:`[-1/2, 1]`). Actor *h* estimates *i*'s attitude as
   :math:`(2R_h+R_i)/3` (``BigRAdjust`` one-third), giving one utility matrix
   per perspective.
3. **Challenges.** From its own perspective each actor *i* evaluates
   challenging every *j*: principals contribute :math:`s_i c_i (u_{ii}-u_{ij})`
   and :math:`s_j c_j (u_{ji}-u_{jj})`; every third party *n* estimates, in the
   little contest of the principals and itself, its chance of ending on the
   winning side and votes on the sum of three position utilities (semi-commit:
   it keeps its own position when joining the winner). The victory probability
   is :math:`p=C_{ij}/(C_{ij}+C_{ji})` and the expected gain over the status quo
   :math:`(1-s_j) 2u_{ii} + s_j (p\\,2u_{ii} + (1-p)\\,2u_{ij}) - (u_{ii}+u_{ij})`.
   Each actor targets the *j* with the largest positive gain.
4. **Bargains.** The initiator proposes a compromise interpolated per
   dimension with weights :math:`s^2 p^2` (``S2P2``; or ``S1P1``, ``S2PMax``),
   rounded to 4 decimals, and adopted by both.
5. **Elections over bargains.** Each actor holds a probabilistic Condorcet
   election among the status quo and every bargain that involves it; voters
   value a bargain by the mean utility of the resulting state. The winner is
   the most probable bargain (deterministic transition) or a draw from the
   distribution (stochastic transition, from the model's seeded generator).

The run stops when the change of state (sum over actors of the Euclidean
distance moved) falls below ``min_delta_ratio`` (2 %) of the first step's
change, after at least ``min_iter`` (2) and at most ``max_iter`` (100) steps.

References
----------
Wise, B. P., Lester, S., Efird, B. (2015–2017). KTAB: KAPSARC Toolkit for
Agent-Based modeling, SMP documentation; https://github.com/KAPSARC/KTAB
(MIT licence).

Efird, B., Lester, S., Wise, B. P. (2016). The KAPSARC Toolkit for Behavioral
Analysis (KTAB) using Nash bargaining. KAPSARC discussion paper
KS-1655-DP049A.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from powerbalance.theory.bargaining.errors import BargainingOptionError
from powerbalance.theory.bargaining.table import ActorTable

__all__ = [
    "SpatialModel",
    "SpatialParams",
    "SpatialResult",
    "SpatialTurn",
    "coalition_strengths",
    "condorcet_probabilities",
    "interpolate_bargain",
    "risk_attitudes",
    "spatial_model",
    "utility",
    "victory_probabilities",
    "vote",
]

VotingRule = Literal["binary", "prop-bin", "proportional", "prop-cubic", "cubic", "asym-prospect"]
VictoryModel = Literal["linear", "square", "quartic", "octic", "binary"]
PCEModel = Literal["conditional", "markov-incentive", "markov-uniform"]
BigRRange = Literal["min", "mid", "max"]
BigRAdjust = Literal["full", "two-thirds", "half", "one-third", "none"]
ThirdPartyCommit = Literal["full", "semi", "none"]
InterVecBargain = Literal["S1P1", "S2P2", "S2PMax"]
BargainModel = Literal["init-only", "init-rcvr", "pw-compromise"]
Transitions = Literal["deterministic", "stochastic"]

_MIN_COALITION = 1e-8  # KTAB's floor on pairwise coalition strength (avoids 0/0)
_MIN_CONTEST = 1e-10  # floor on challenge coalitions
_MIN_SIG_EDU = 1e-5  # a challenge must promise at least this gain
_MIN_BARGAIN_WEIGHT = 1e-6
_POS_TOL = 1e-3  # positions closer than this (on [0, 1]) are the same option
_MIN_SIG_DELTA = 1e-4
_NUMBA_MIN_ACTORS = 30


@dataclass(frozen=True)
class SpatialParams:
    """The model parameters, named as KTAB's log prints them; defaults are KTAB's."""

    victory: VictoryModel = "linear"
    voting: VotingRule = "proportional"
    pce: PCEModel = "conditional"
    transitions: Transitions = "deterministic"
    big_r_range: BigRRange = "mid"
    big_r_adjust: BigRAdjust = "one-third"
    third_party: ThirdPartyCommit = "semi"
    inter_vec: InterVecBargain = "S2P2"
    bargain_model: BargainModel = "init-only"
    min_iter: int = 2
    max_iter: int = 100
    min_delta_ratio: float = 0.02

    def __post_init__(self) -> None:
        allowed = {
            "victory": VictoryModel,
            "voting": VotingRule,
            "pce": PCEModel,
            "transitions": Transitions,
            "big_r_range": BigRRange,
            "big_r_adjust": BigRAdjust,
            "third_party": ThirdPartyCommit,
            "inter_vec": InterVecBargain,
            "bargain_model": BargainModel,
        }
        for name, lit in allowed.items():
            value = getattr(self, name)
            options = lit.__args__  # type: ignore[attr-defined]
            if value not in options:
                raise BargainingOptionError(
                    f"unknown {name.replace('_', '-')} '{value}'; choose one of {', '.join(options)}"
                )
        if not (1 <= self.min_iter <= self.max_iter):
            raise BargainingOptionError("need 1 <= min_iter <= max_iter")


# ----------------------------------------------------------------- building blocks


def utility(d: np.ndarray, r: np.ndarray | float) -> np.ndarray:
    """KTAB's risk-curved utility of a normalised distance ``d`` for risk attitude ``r``.

    :math:`u = (1-d)(1+dR)` for :math:`d \\le 1`, and :math:`(1-d)(1+R)` beyond
    (round-off can push ``d`` slightly above 1).

    Examples
    --------
    >>> float(utility(np.array(0.5), 0.0)), float(utility(np.array(0.5), 1.0))
    (0.5, 0.75)
    """
    d = np.asarray(d, dtype=float)
    return np.where(d <= 1.0, (1.0 - d) * (1.0 + d * r), (1.0 - d) * (1.0 + r))


def _distances(pos: np.ndarray, sal: np.ndarray, ideals: np.ndarray | None = None) -> np.ndarray:
    """``D[i, j]``: salience-weighted distance from i's ideal to j's position (i's saliences)."""
    ideal = pos if ideals is None else ideals
    diff = ideal[:, None, :] - pos[None, :, :]
    s2 = sal * sal
    return np.sqrt(np.einsum("ijk,ik->ij", diff * diff, s2) / s2.sum(axis=1)[:, None])


def _pos_distance(pos_i: np.ndarray, sal: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Distance from each actor's position to each point: ``(n_actors, n_points)``."""
    diff = pos_i[:, None, :] - points[None, :, :]
    s2 = sal * sal
    return np.sqrt(np.einsum("ijk,ik->ij", diff * diff, s2) / s2.sum(axis=1)[:, None])


def vote(rule: VotingRule, weight: np.ndarray | float, du: np.ndarray) -> np.ndarray:
    """An actor's vote for option 1 over option 2 given utility difference ``du``.

    Rules as in KTAB: ``binary`` (sign, with a linear ramp of width 1e-8),
    ``proportional`` (``w du``), ``cubic`` (``w du^3``), the hybrids
    ``prop-bin`` (0.8 proportional + 0.2 binary) and ``prop-cubic`` (half
    each), and ``asym-prospect`` (gains count two thirds).

    Examples
    --------
    >>> vote("proportional", 2.0, np.array([0.25, -0.5])).tolist()
    [0.5, -1.0]
    """
    du = np.asarray(du, dtype=float)
    if rule == "proportional":
        return weight * du
    if rule == "binary":
        return weight * np.clip(du / 1e-8, -1.0, 1.0)
    if rule == "prop-bin":
        return weight * (0.8 * du + 0.2 * np.clip(du / 1e-8, -1.0, 1.0))
    if rule == "prop-cubic":
        return weight * (0.5 * du + 0.5 * du**3)
    if rule == "cubic":
        return weight * du**3
    if rule == "asym-prospect":
        return weight * np.where(du > 0, 2.0 * du / 3.0, du)
    raise BargainingOptionError(f"unknown voting rule '{rule}'")


def coalition_strengths(utilities: np.ndarray, weights: np.ndarray, rule: VotingRule) -> np.ndarray:
    """``C[i, j]``: total vote for option *i* over option *j*.

    ``utilities`` is ``(n_actors, n_options)``; ``C[i, i]`` is the floor 1e-8.

    Examples
    --------
    >>> C = coalition_strengths(np.array([[1.0, 0.5], [0.2, 0.6]]), np.array([1.0, 1.0]), "proportional")
    >>> np.round(C, 3).tolist()
    [[0.0, 0.5], [0.4, 0.0]]
    """
    du = utilities[:, :, None] - utilities[:, None, :]
    v = vote(rule, weights[:, None, None], du)
    return _MIN_COALITION + np.clip(v, 0.0, None).sum(axis=0) * (1.0 - np.eye(utilities.shape[1]))


def victory_probabilities(coalitions: np.ndarray, model: VictoryModel) -> np.ndarray:
    """``p[i, j]``: probability that option *i* defeats *j* (diagonal 1/2).

    Examples
    --------
    >>> victory_probabilities(np.array([[0.0, 3.0], [1.0, 0.0]]), "square")[0, 1].round(3)
    np.float64(0.9)
    """
    c = coalitions
    ct = c.T
    if model == "binary":
        ratio = c / (c + ct)
        p = np.clip((ratio * 2.1 - 1.0) / 0.1, 0.0, 1.0)
        p = np.where(c >= 1.1 * ct, 1.0, np.where(ct >= 1.1 * c, 0.0, p))
        # KTAB gives the loser 1e-6 rather than 0 before normalising
        x1 = np.where(p == 0.0, 1e-6, p)
        x2 = np.where(p == 1.0, 1e-6, 1.0 - p)
        out = x1 / (x1 + x2)
    else:
        power = {"linear": 1, "square": 2, "quartic": 4, "octic": 8}[model]
        x1, x2 = c**power, ct**power
        with np.errstate(invalid="ignore", divide="ignore"):
            out = x1 / (x1 + x2)
    np.fill_diagonal(out, 0.5)
    return out


def condorcet_probabilities(
    coalitions: np.ndarray, victory: VictoryModel, pce: PCEModel
) -> np.ndarray:
    """Probability that each option wins the probabilistic Condorcet election.

    Notes
    -----
    ``conditional``: :math:`P_i = \\prod_j p_{ij} / \\sum_k \\prod_j p_{kj}`.
    ``markov-uniform``: the stationary distribution of a chain in which a
    uniformly chosen challenger meets the current favourite,
    :math:`P_i = \\frac1n \\sum_j p_{ij}(P_i+P_j)`. ``markov-incentive``:
    challengers arrive in proportion to their incentive
    :math:`C_{ij} p_{ij}` (Wise, "Markov voting with incentives in KTAB").
    Both Markov forms iterate with half-step damping to a tolerance of
    1e-8 (incentive) or 1e-6 (uniform), as KTAB does.

    Examples
    --------
    >>> C = np.array([[0.0, 3.0], [1.0, 0.0]])
    >>> condorcet_probabilities(C, "linear", "conditional").round(2).tolist()
    [0.75, 0.25]
    """
    p = victory_probabilities(coalitions, victory)
    n = p.shape[0]
    if pce == "conditional":
        # log-space product: with 60+ options the plain product underflows
        logs = np.log(np.clip(p, 1e-300, None)).sum(axis=1)
        w = np.exp(logs - logs.max())
        return w / w.sum()
    prob = np.full(n, 1.0 / n)
    if pce == "markov-uniform":
        tol = 1e-6
        for _ in range(100_000):
            q = (p * (prob[:, None] + prob[None, :])).sum(axis=1) / n
            change = np.abs(q - prob).max()
            prob = (prob + q) / 2.0
            if change <= tol:
                return prob / prob.sum()
    elif pce == "markov-incentive":
        inc = coalitions * p
        inc = inc + np.eye(n) * 1e-10
        chlg = inc / inc.sum(axis=0, keepdims=True)  # chlg[i, j]: P(i challenges favourite j)
        tol = 1e-8
        for _ in range(100_000):
            ct = prob[:, None] * chlg.T  # ct[i, j] = P_i * chlg[j, i]
            q = (p * (ct + ct.T)).sum(axis=1)
            change = np.abs(q - prob).max()
            prob = (prob + q) / 2.0
            if change <= tol:
                return prob / prob.sum()
    else:
        raise BargainingOptionError(f"unknown PCE model '{pce}'")
    raise BargainingOptionError(f"the {pce} election did not converge")


def risk_attitudes(prob: np.ndarray, big_r_range: BigRRange) -> np.ndarray:
    """Normalised risk attitudes inferred from position probabilities.

    ``min``: :math:`[0,1]`; ``mid``: :math:`[-1/2, 1]`; ``max``: :math:`[-1, 1]`.
    Actors whose positions are most likely to prevail get the highest R (most
    risk-averse). All-equal probabilities give risk neutrality.

    Examples
    --------
    >>> risk_attitudes(np.array([0.2, 0.4, 0.5]), "mid").round(3).tolist()
    [-0.5, 0.5, 1.0]
    """
    pmin, pmax = prob.min(), prob.max()
    if pmax - pmin <= 1e-15:
        return np.zeros_like(prob)
    if big_r_range == "min":
        return (prob - pmin) / (pmax - pmin)
    if big_r_range == "mid":
        return (3 * prob - (pmax + 2 * pmin)) / (2 * (pmax - pmin))
    return (2 * prob - (pmax + pmin)) / (pmax - pmin)


def _adjust(rh: np.ndarray, ri: np.ndarray, how: BigRAdjust) -> np.ndarray:
    """h's estimate of i's risk attitude: ``out[h, i]``."""
    a = {"full": 0.0, "two-thirds": 1 / 3, "half": 0.5, "one-third": 2 / 3, "none": 1.0}[how]
    return a * rh[:, None] + (1 - a) * ri[None, :]


def _round4(x: np.ndarray) -> np.ndarray:
    # KTAB truncates (x * 1e4 + 0.5) to an int: round half up for positive values
    return np.trunc(0.5 + x * 10000.0) / 10000.0


def interpolate_bargain(
    pos_i: np.ndarray,
    sal_i: np.ndarray,
    prob_i: float,
    pos_j: np.ndarray,
    sal_j: np.ndarray,
    prob_j: float,
    how: InterVecBargain = "S2P2",
) -> tuple[np.ndarray, np.ndarray]:
    """The positions actors *i* and *j* adopt in the bargain *i* proposes to *j*.

    ``S1P1``/``S2P2``: per dimension, a weighted average with weights
    :math:`s^n p^m` (a 1e-6 bias towards each party's own position keeps 0/0
    away), rounded to 4 decimals. ``S2PMax``: the weaker side moves by
    :math:`\\Delta p\\, s_{other}^2 / (\\Delta p\\, s_{other}^2 + (1-\\Delta p) s_{own}^2)`.

    Examples
    --------
    >>> bi, bj = interpolate_bargain(np.array([0.3, 0.2]), np.array([0.24, 0.48]), 0.7676,
    ...                              np.array([0.5, 0.5]), np.array([0.447, 0.478]), 0.2324)
    >>> (bi * 100).round(2).tolist()
    [34.83, 22.5]
    """
    if how in ("S1P1", "S2P2"):
        n = 1 if how == "S1P1" else 2
        wi = sal_i**n * prob_i**n
        wj = sal_j**n * prob_j**n
        eps = _MIN_BARGAIN_WEIGHT
        bi = _round4(((wi + eps) * pos_i + wj * pos_j) / (wi + eps + wj))
        bj = _round4((wi * pos_i + (eps + wj) * pos_j) / (wi + eps + wj))
        return bi, bj
    di = np.maximum(prob_j - prob_i, 0.0)
    dj = np.maximum(prob_i - prob_j, 0.0)
    si2, sj2 = sal_i**2, sal_j**2
    dik = di * sj2 / (di * sj2 + _MIN_BARGAIN_WEIGHT + (1 - di) * si2)
    djk = dj * si2 / (dj * si2 + _MIN_BARGAIN_WEIGHT + (1 - dj) * sj2)
    return pos_i + dik * (pos_j - pos_i), pos_j + djk * (pos_i - pos_j)


def _challenge(
    U: np.ndarray, i: int, j: int, k: int, wsal: np.ndarray, s: np.ndarray, p: SpatialParams
) -> tuple[float, float]:
    """One estimator's view (utility matrix ``U``) of *i* challenging *j*: (p_win, gain to k)."""
    vr = p.voting
    ci = float(vote(vr, wsal[i], U[i, i] - U[i, j]))
    cj = float(vote(vr, wsal[j], U[j, i] - U[j, j]))
    chij = _MIN_CONTEST + max(ci, 0.0) + max(cj, 0.0)
    chji = _MIN_CONTEST + max(-ci, 0.0) + max(-cj, 0.0)
    mask = np.ones(U.shape[0], dtype=bool)
    mask[[i, j]] = False
    uni, unj, unn = U[mask, i], U[mask, j], np.diag(U)[mask]
    vn = _third_party_votes(vr, p.third_party, wsal[mask], uni, unj, unn, chij, chji)
    chij += np.clip(vn, 0, None).sum()
    chji += np.clip(-vn, 0, None).sum()
    pij = chij / (chij + chji)
    return pij, _gain(U[k, i], U[k, j], pij, s[j])


def _third_party_votes(vr, tpc, w, uni, unj, unn, chij, chji):
    """Votes of third parties in the (i:j) contest (vectorised over any leading shape)."""
    cn = vote(vr, w, uni - unj)
    cni = chij + np.clip(cn, 0, None)
    cnj = chji + np.clip(-cn, 0, None)
    pin = cni / (cni + cnj)
    pjn = 1.0 - pin
    if tpc == "full":
        a, b, c, d = 3 * uni, 3 * unj, 3 * uni, 3 * unj
    elif tpc == "semi":
        a, b, c, d = 2 * uni + unn, 3 * unj, 3 * uni, 2 * unj + unn
    else:
        a, b, c, d = 2 * uni + unn, 2 * unj + unn, 2 * uni + unn, 2 * unj + unn
    u_ik_j = pin * a + pjn * b
    u_i_jk = pin * c + pjn * d
    return vote(vr, w, u_ik_j - u_i_jk)


def _gain(uki, ukj, pij, sj):
    eu_vict = 2 * uki
    eu_contest = pij * 2 * uki + (1 - pij) * 2 * ukj
    return (1 - sj) * eu_vict + sj * eu_contest - (uki + ukj)


def _all_challenges(A: np.ndarray, wsal: np.ndarray, s: np.ndarray, p: SpatialParams):
    """Every actor's own-perspective view of challenging every other: ``(P, EDU)`` (n, n).

    ``A[h]`` is h's estimate of the utility matrix. Third parties are
    vectorised as a third axis: ``[i, j, n]``.
    """
    n = A.shape[0]
    idx = np.arange(n)
    vr = p.voting
    Ah = A  # estimator h = i
    Uii = Ah[idx, idx, idx]  # (i,)
    Uij = Ah[idx, idx, :]  # [i, j] = A[i][i, j]
    Uji = Ah[idx, :, idx]  # [i, j] = A[i][j, i]
    Ujj = np.einsum("ijj->ij", Ah)  # [i, j] = A[i][j, j]
    ci = vote(vr, wsal[:, None], Uii[:, None] - Uij)
    cj = vote(vr, wsal[None, :], Uji - Ujj)
    chij0 = _MIN_CONTEST + np.clip(ci, 0, None) + np.clip(cj, 0, None)
    chji0 = _MIN_CONTEST + np.clip(-ci, 0, None) + np.clip(-cj, 0, None)
    uni = Ah[idx, :, idx][:, None, :]  # [i, ., n] = A[i][n, i]
    unj = np.transpose(Ah, (0, 2, 1))  # [i, j, n] = A[i][n, j]
    unn = np.einsum("inn->in", Ah)[:, None, :]  # [i, ., n] = A[i][n, n]
    vn = _third_party_votes(
        vr, p.third_party, wsal[None, None, :], uni, unj, unn, chij0[:, :, None], chji0[:, :, None]
    )
    third = np.ones((n, n, n), dtype=bool)
    third[idx, :, idx] = False
    third[:, idx, idx] = False
    vn = np.where(third, vn, 0.0)
    chij = chij0 + np.clip(vn, 0, None).sum(axis=2)
    chji = chji0 + np.clip(-vn, 0, None).sum(axis=2)
    P = chij / (chij + chji)
    EDU = _gain(Uii[:, None], Uij, P, s[None, :])
    np.fill_diagonal(EDU, -np.inf)
    return P, EDU


# ---------------------------------------------------------------------- the model


@dataclass
class SpatialTurn:
    """One state of the run: positions, risk attitudes, utilities, challenges and bargains."""

    positions: np.ndarray  # (n, d) on [0, 1]
    risk_neutral_utility: np.ndarray  # (n, n)
    risk: np.ndarray  # (n,)
    utility: np.ndarray  # (n, n) objective, risk-aware
    perspectives: np.ndarray  # (n, n, n): [h] is h's estimate of the utility matrix
    probabilities: np.ndarray  # (n,) each actor's position's win probability
    targets: list[tuple[int, int, float, float]] = field(default_factory=list)  # (i, j, p, gain)
    bargains: list[tuple[int, int, np.ndarray, np.ndarray]] = field(default_factory=list)
    chosen: list[int] = field(default_factory=list)  # per actor: index of the bargain adopted


@dataclass
class SpatialResult:
    """A finished run: the history of states and the forecast."""

    table: ActorTable
    params: SpatialParams
    seed: int | None
    turns: list[SpatialTurn]
    stop_ratio: float
    #: the table as given (``table`` without its actors of zero salience); None: the same
    input_table: ActorTable | None = None
    #: rows of ``input_table`` left out of the run: their salience is zero on every dimension
    silent: tuple[int, ...] = ()

    @property
    def n_steps(self) -> int:
        return len(self.turns) - 1

    @property
    def converged(self) -> bool:
        """False when the run stopped at ``max_iter`` with the change still above the ratio."""
        return bool(self.stop_ratio < self.params.min_delta_ratio) or self.n_steps < (
            self.params.max_iter
        )

    def warnings(self) -> list[str]:
        """Lines saying what needs care: actors left out, a run stopped at its step limit."""
        out = []
        if self.silent and self.input_table is not None:
            names = ", ".join(f"'{self.input_table.actors[i]}'" for i in self.silent)
            out.append(
                f"{names} {'has' if len(self.silent) == 1 else 'have'} zero salience: "
                "no weight in the spatial model, left out of its run (position unchanged)"
            )
        if self.converged:
            return out
        return [
            *out,
            f"the spatial model did not converge: it stopped at its limit of "
            f"{self.params.max_iter} steps with the last change still {self.stop_ratio:.3f} of "
            f"the first (it stops below {self.params.min_delta_ratio:g}); the forecast is "
            "the expected outcome of the last state",
        ]

    def _run_positions(self) -> np.ndarray:
        """Positions of the actors who took part, on the table's scale."""
        lo = np.array([d.low for d in self.table.dimensions])
        width = np.array([d.width for d in self.table.dimensions])
        return np.stack([t.positions for t in self.turns]) * width + lo

    def _active_rows(self) -> np.ndarray:
        n = self.input_table.n_actors if self.input_table is not None else self.table.n_actors
        return np.setdiff1d(np.arange(n), np.array(self.silent, dtype=int))

    def positions(self) -> np.ndarray:
        """Positions over the run on the table's scale: ``(n_states, n_actors, n_dims)``.

        Every actor of the table as given; one left out of the run (zero salience)
        keeps its position.
        """
        run = self._run_positions()
        if not self.silent or self.input_table is None:
            return run
        full = self.input_table
        out = np.repeat(full.position[None].astype(float), run.shape[0], axis=0)
        out[:, self._active_rows(), :] = run
        return out

    def probabilities(self) -> np.ndarray:
        """Each actor's position's winning probability per state: ``(n_states, n_actors)``.

        An actor left out of the run (zero salience) has probability 0.
        """
        run = np.stack([t.probabilities for t in self.turns])
        if not self.silent or self.input_table is None:
            return run
        out = np.zeros((run.shape[0], self.input_table.n_actors))
        out[:, self._active_rows()] = run
        return out

    def forecast(self) -> np.ndarray:
        """Expected outcome in the final state: positions weighted by win probability.

        Actors sharing a position share one probability, so each distinct
        position is counted once.
        """
        last = self.turns[-1]
        reps = _unique_representatives(last.positions)
        uniq = sorted(set(reps.tolist()))
        pos = self._run_positions()[-1]
        w = last.probabilities[uniq]
        return (w[:, None] * pos[uniq]).sum(axis=0) / w.sum()


def _unique_representatives(pos: np.ndarray) -> np.ndarray:
    """For each actor, the first actor holding the same position (within 1e-3 on [0, 1])."""
    n = pos.shape[0]
    diff = pos[:, None, :] - pos[None, :, :]
    close = np.sqrt((diff * diff).sum(axis=2)) < _POS_TOL
    reps = np.arange(n)
    is_rep = np.zeros(n, dtype=bool)
    for i in range(n):
        earlier = np.flatnonzero(close[i, :i] & is_rep[:i])
        if earlier.size:
            reps[i] = earlier[0]
        else:
            is_rep[i] = True
    return reps


def _elect_conditional_batched(
    ub: np.ndarray,
    usq: np.ndarray,
    options: list[list[int]],
    cap: np.ndarray,
    rule: VotingRule,
    power: int,
) -> list[np.ndarray]:
    """Every actor's conditional election among its options, in one padded numpy pass.

    Padding options are masked out of the products, so each actor's result equals
    :func:`condorcet_probabilities` on its own options.
    """
    n = usq.shape[0]
    width = max(len(o) for o in options)
    valid = np.zeros((n, width), dtype=bool)
    cols = np.zeros((n, width), dtype=np.int64)
    for k, o in enumerate(options):
        valid[k, : len(o)] = True
        cols[k, 1 : len(o)] = o[1:]
    u = ub.T[cols]  # (k, option, actor)
    u[:, 0, :] = usq[None, :]
    u = np.transpose(u, (0, 2, 1))  # (k, actor, option)
    du = u[:, :, :, None] - u[:, :, None, :]
    v = vote(rule, cap[None, :, None, None], du)
    eye = np.eye(width, dtype=bool)
    C = _MIN_COALITION + np.where(eye, 0.0, np.clip(v, 0.0, None).sum(axis=1))
    x1 = C**power
    x2 = np.transpose(x1, (0, 2, 1))
    pij = np.where(eye, 0.5, x1 / (x1 + x2))
    logs = np.where(valid[:, None, :], np.log(np.clip(pij, 1e-300, None)), 0.0).sum(axis=2)
    logs = np.where(valid, logs, -np.inf)
    w = np.exp(logs - logs.max(axis=1, keepdims=True))
    w /= w.sum(axis=1, keepdims=True)
    return [w[k, : len(options[k])] for k in range(n)]


def _load_kernels(engine: str):
    if engine == "numpy":
        return None
    try:
        from powerbalance.theory.bargaining import _kernels
    except ImportError:
        if engine == "numba":
            raise BargainingOptionError(
                "engine 'numba' needs numba (pip install 'powerbalance[fast]')"
            ) from None
        return None
    return _kernels


def _actors_who_care(table: ActorTable, active: np.ndarray) -> ActorTable:
    """``table`` without the actors whose salience is zero on every dimension.

    Such an actor carries no weight: it neither challenges nor resists, and its
    salience-weighted distances are undefined (0/0). It is left out of the run;
    its position stays where it is and its winning probability is 0.
    """
    from dataclasses import replace

    if int(active.sum()) < 2:
        cared = [table.actors[i] for i in np.flatnonzero(active)]
        who = f"only '{cared[0]}' does" if cared else "none does"
        raise BargainingOptionError(
            f"the spatial model needs at least two actors who care about the issue "
            f"(salience above 0); {who}"
        )
    keep = np.flatnonzero(active)
    return replace(
        table,
        actors=tuple(table.actors[i] for i in keep),
        descriptions=tuple(table.descriptions[i] for i in keep),
        capability=table.capability[keep],
        position=table.position[keep],
        salience=table.salience[keep],
    )


class SpatialModel:
    """KTAB's spatial model (SMP) with probabilistic Condorcet elections.

    Construct with an :class:`ActorTable`, parameters and a seed; :meth:`step`
    advances one turn, :meth:`run` runs to the stopping criterion. All
    randomness (only stochastic transitions draw) comes from one
    :class:`numpy.random.Generator` held by the model.

    Examples
    --------
    >>> from powerbalance.theory.bargaining.table import ActorTable, Dimension
    >>> t = ActorTable(("a", "b", "c"), [40, 30, 30], [[20], [50], [90]], [[60], [70], [50]],
    ...                (Dimension("x", "x"),))
    >>> res = SpatialModel(t, seed=1).run()
    >>> res.n_steps >= 2
    True
    """

    def __init__(
        self,
        table: ActorTable,
        params: SpatialParams | None = None,
        *,
        seed: int | None = 0,
        engine: Literal["auto", "numba", "numpy"] = "auto",
    ):
        from powerbalance.limits import LIMITS

        if engine not in ("auto", "numba", "numpy"):
            raise BargainingOptionError("engine must be auto, numba or numpy")
        LIMITS["bargain.actors.pce"].check(
            table.n_actors, option="the number of actors for model pce"
        )
        # compiling the kernels costs seconds once; below ~30 actors numpy is as fast
        if engine == "auto":
            engine = "numba" if table.n_actors >= _NUMBA_MIN_ACTORS else "numpy"
            self._k = _load_kernels("auto") if engine == "numba" else None
        else:
            self._k = _load_kernels(engine)
        self.params = params or SpatialParams()
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        sal = table.salience / 100.0
        if np.any(sal.sum(axis=1) > 1.0 + 1e-9):
            bad = table.actors[int(np.argmax(sal.sum(axis=1)))]
            raise BargainingOptionError(
                f"the saliences of '{bad}' sum above 100 across dimensions; the spatial model "
                "treats them as shares of one actor's attention (rescale them)"
            )
        #: the table as given; ``table`` below holds only the actors who care (salience > 0)
        self.input_table = table
        active = sal.sum(axis=1) > 0
        self.silent = tuple(int(i) for i in np.flatnonzero(~active))
        if self.silent:
            table = _actors_who_care(table, active)
            sal = sal[active]
        self.table = table
        self.sal = sal
        # only ratios matter (KTAB's floors aside): extreme capabilities are rescaled
        # exactly so that products of capability, utility and actors stay finite
        self.cap = table.safe_capability().capability.astype(float)
        self.s = sal.sum(axis=1)
        self.wsal = self.cap * self.s
        self.turns: list[SpatialTurn] = [self._assess(table.scaled_positions())]

    def _coalitions(self, u: np.ndarray, rule: VotingRule) -> np.ndarray:
        if self._k is not None:
            return self._k.coalitions(u, self.cap, self._k.RULES[rule], _MIN_COALITION)
        return coalition_strengths(u, self.cap, rule)

    # -- one state's assessment
    def _assess(self, pos: np.ndarray) -> SpatialTurn:
        p = self.params
        D = _distances(pos, self.sal)
        rn = utility(D, 0.0)
        C = self._coalitions(rn, p.voting)
        prob_all = condorcet_probabilities(C, p.victory, p.pce)
        R = risk_attitudes(prob_all, p.big_r_range)
        U = utility(D, R[:, None])
        Rh = _adjust(R, R, p.big_r_adjust)  # [h, i]
        A = utility(D[None, :, :], Rh[:, :, None])
        reps = _unique_representatives(pos)
        uniq = sorted(set(reps.tolist()))
        # KTAB values each distinct position with the proportional rule here
        Cu = self._coalitions(np.ascontiguousarray(U[:, uniq]), "proportional")
        pu = condorcet_probabilities(Cu, p.victory, p.pce)
        probs = pu[np.searchsorted(uniq, reps)]
        return SpatialTurn(pos, rn, R, U, A, probs)

    def step(self) -> SpatialTurn:
        """Advance one turn: challenges, bargains, elections; return the new state."""
        p = self.params
        cur = self.turns[-1]
        n = self.table.n_actors
        if self._k is not None:
            P, EDU = self._k.all_challenges(
                cur.perspectives,
                self.wsal,
                self.s,
                self._k.RULES[p.voting],
                self._k.COMMITS[p.third_party],
                _MIN_CONTEST,
            )
        else:
            P, EDU = _all_challenges(cur.perspectives, self.wsal, self.s, p)
        options: list[list[int]] = [[-1] for _ in range(n)]  # -1: status quo
        bargains: list[tuple[int, int, np.ndarray, np.ndarray]] = []
        # first maximum per row, as KTAB's strict '<' scan over targets
        best = np.argmax(EDU, axis=1)
        rows = np.arange(n)
        active = np.flatnonzero(EDU[rows, best] > _MIN_SIG_EDU)
        pos, sal = cur.positions, self.sal
        ini, tgt = active, best[active]
        pij = P[ini, tgt]
        cur.targets = [
            (int(i), int(j), float(q), float(EDU[i, j]))
            for i, j, q in zip(ini, tgt, pij, strict=True)
        ]
        pcol = pij[:, None]
        bi, bj = interpolate_bargain(
            pos[ini], sal[ini], pcol, pos[tgt], sal[tgt], 1 - pcol, p.inter_vec
        )
        for m, (i, j) in enumerate(zip(ini.tolist(), tgt.tolist(), strict=True)):
            if p.bargain_model == "init-only":
                made = [(bi[m], bj[m])]
            else:
                pj_view, _ = _challenge(cur.perspectives[j], i, j, i, self.wsal, self.s, p)
                ji, jj = interpolate_bargain(
                    pos[i], sal[i], pj_view, pos[j], sal[j], 1 - pj_view, p.inter_vec
                )
                if p.bargain_model == "init-rcvr":
                    made = [(bi[m], bj[m]), (ji, jj)]
                else:
                    wi, wj = self.wsal[i], self.wsal[j]
                    made = [
                        (
                            (wi * bi[m] + wj * ji) / (wi + wj),
                            (wi * bj[m] + wj * jj) / (wi + wj),
                        )
                    ]
            for b_i, b_j in made:
                bargains.append((i, j, b_i, b_j))
                options[i].append(len(bargains) - 1)
                options[j].append(len(bargains) - 1)
        cur.bargains = bargains
        new_pos = cur.positions.copy()
        if not bargains:
            cur.chosen = [0] * n
            nxt = self._assess(new_pos)
            self.turns.append(nxt)
            return nxt
        # utility to every actor of the state after each bargain (mean over positions)
        U = cur.utility
        rowsum = U.sum(axis=1)
        init = np.array([b[0] for b in bargains])
        rcvr = np.array([b[1] for b in bargains])
        pts_i = np.stack([b[2] for b in bargains])
        pts_j = np.stack([b[3] for b in bargains])
        R = cur.risk[:, None]
        ui = utility(_pos_distance(pos, sal, pts_i), R)
        uj = utility(_pos_distance(pos, sal, pts_j), R)
        ub = np.ascontiguousarray((ui + uj + rowsum[:, None] - U[:, init] - U[:, rcvr]) / n)
        usq = rowsum / n
        power = {"linear": 1, "square": 2, "quartic": 4, "octic": 8}.get(p.victory)
        counts = [len(o) for o in options]
        if p.pce == "conditional" and power is not None and self._k is not None:
            ptr = np.zeros(n + 1, dtype=np.int64)
            ptr[1:] = np.cumsum([c - 1 for c in counts])
            idx = np.array([m for o in options for m in o[1:]], dtype=np.int64)
            probs = self._k.elect_conditional(
                ub, usq, ptr, idx, self.cap, self._k.RULES[p.voting], float(power), _MIN_COALITION
            )
            elections = [probs[k, : counts[k]] for k in range(n)]
        elif p.pce == "conditional" and power is not None:
            elections = _elect_conditional_batched(ub, usq, options, self.cap, p.voting, power)
        else:
            elections = []
            for k in range(n):
                if counts[k] == 1:
                    elections.append(np.ones(1))
                    continue
                cols = np.column_stack([usq] + [ub[:, m] for m in options[k][1:]])
                elections.append(
                    condorcet_probabilities(self._coalitions(cols, p.voting), p.victory, p.pce)
                )
        for k in range(n):
            pk = elections[k]
            if len(pk) == 1:
                cur.chosen.append(0)
                continue
            if p.transitions == "deterministic":
                m = int(np.argmax(pk))
            else:
                m = int(self.rng.choice(len(pk), p=pk / pk.sum()))
            cur.chosen.append(m)
            if m > 0:
                b = bargains[options[k][m]]
                new_pos[k] = b[2] if b[0] == k else b[3]
        nxt = self._assess(new_pos)
        self.turns.append(nxt)
        return nxt

    def _state_distance(self, a: int, b: int) -> float:
        return float(
            np.linalg.norm(self.turns[a].positions - self.turns[b].positions, axis=1).sum()
        )

    def run(self, *, progress: Callable[[int], None] | None = None) -> SpatialResult:
        """Run until the change falls below ``min_delta_ratio`` of the first step's change.

        Stops after step *t* when ``t >= min_iter`` and
        :math:`\\Delta_{t-1,t} / (\\Delta_{0,1} + 10^{-4}) < ` ``min_delta_ratio``,
        or at ``max_iter``; :math:`\\Delta` is the sum over actors of the
        Euclidean distance moved on the ``[0, 1]`` scale.
        """
        p = self.params
        ratio = float("nan")
        for it in range(1, p.max_iter + 1):
            self.step()
            if progress is not None:
                progress(it)
            d01 = self._state_distance(0, 1) + _MIN_SIG_DELTA
            ratio = self._state_distance(it, it - 1) / d01
            if it >= p.min_iter and ratio < p.min_delta_ratio:
                break
        return SpatialResult(
            self.table, p, self.seed, self.turns, ratio, self.input_table, self.silent
        )


def spatial_model(
    table: ActorTable,
    params: SpatialParams | None = None,
    *,
    seed: int | None = 0,
    engine: Literal["auto", "numba", "numpy"] = "auto",
) -> SpatialResult:
    """Run KTAB's spatial model on ``table`` and return the full history.

    See :class:`SpatialModel` for the algorithm; parameters default to those of
    KTAB's reference runs (linear victory, proportional voting, conditional
    PCE, deterministic transitions, mid risk range, one-third adjustment,
    semi-commit, S2P2 interpolation, initiator-only bargains).
    """
    return SpatialModel(table, params, seed=seed, engine=engine).run()
