"""The strategic triangle of Dittmer (1981): configurations, roles, scores and moves.

Three powers and the three ties between them, each amity (+1) or enmity
(-1), make one of four configurations:

===================  =======  ==========================================
configuration        signs    roles
===================  =======  ==========================================
menage a trois       + + +    friend, friend, friend
romantic triangle    + + -    pivot (friends with both), wing, wing
stable marriage      + - -    partner, partner, outcast
unit veto            - - -    foe, foe, foe
===================  =======  ==========================================

Each role has a score: +1 for each of the actor's own amities, -1 for each
of its enmities, +1 when the other two are hostile to each other and -1
when they are amicable, so ``score_i = s_ij + s_ik - s_jk``: pivot +3,
partner +1, friend +1, wing -1, foe -1, outcast -3.

The classification is written once, over arrays of tie signs with one row
per draw (:func:`configuration_codes`, :func:`role_scores`,
:func:`role_codes`), so Monte Carlo reads 100,000 triangles at once; the
one-triangle reading (:func:`strategic_triangle`) is that computation on an
array of one row plus the arithmetic behind it. Ties in an array follow
:data:`powerbalance.actors.TIE_POSITIONS` (first–second, first–third,
second–third actor; for :data:`~powerbalance.actors.TRIANGLE`: USA–RUS,
USA–CHN, RUS–CHN). Configuration and role labels are
:data:`CONFIGURATIONS` and :data:`ROLES`; a configuration reads in prose
with spaces (:func:`configuration_name`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from powerbalance.actors import TIE_POSITIONS, TRIANGLE
from powerbalance.errors import UnknownActor, UserError
from powerbalance.theory.dynamics import DynamicsResult, balance_dynamics, triangle_matrix
from powerbalance.theory.signed import parse_sign

#: Configuration labels; a triangle's code is its number of amicable ties.
CONFIGURATIONS: tuple[str, ...] = (
    "unit_veto",
    "stable_marriage",
    "romantic_triangle",
    "menage_a_trois",
)
#: Role labels; a role's code is its position here (ordered by role score).
ROLES: tuple[str, ...] = ("outcast", "foe", "wing", "partner", "friend", "pivot")
#: Each role's score (Dittmer 1981).
ROLE_SCORES: dict[str, int] = dict(zip(ROLES, (-3, -1, -1, 1, 1, 3), strict=True))

# For each actor position: the positions of its two ties and of the tie between the other two.
_OWN = np.array([[t for t, pair in enumerate(TIE_POSITIONS) if a in pair] for a in range(3)])
_OTHER = np.array(
    [next(t for t, pair in enumerate(TIE_POSITIONS) if a not in pair) for a in range(3)]
)

#: Two-letter country codes accepted in place of the triangle's ISO3 ids.
ISO2_ALIASES = {"US": "USA", "RU": "RUS", "CN": "CHN", "CH": "CHN"}


def configuration_name(code: int) -> str:
    """The configuration of code ``code`` in prose (``'stable marriage'``).

    Examples
    --------
    >>> configuration_name(3)
    'menage a trois'
    """
    return CONFIGURATIONS[code].replace("_", " ")


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
    """Index into :data:`ROLES` per actor position.

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


class TriangleError(UserError):
    """The three ties do not make a strategic triangle (missing, repeated or unsigned ties)."""


@dataclass(frozen=True)
class Tie:
    """One side of the triangle: a signed tie with a strength in [0, 1]."""

    a: str
    b: str
    sign: int
    strength: float = 1.0
    source: str = "given"

    @property
    def pair(self) -> frozenset[str]:
        return frozenset((self.a, self.b))

    def label(self) -> str:
        return f"{self.a}-{self.b}"


@dataclass(frozen=True)
class Move:
    """A unilateral move: one actor reverses the sign of one of its own ties."""

    actor: str
    tie: tuple[str, str]
    new_sign: int
    configuration: str
    roles: dict[str, str]
    scores: dict[str, float]
    change: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "tie": list(self.tie),
            "new_sign": self.new_sign,
            "configuration": self.configuration,
            "roles": dict(self.roles),
            "scores": dict(self.scores),
            "change": dict(self.change),
        }


@dataclass(frozen=True)
class TriangleReading:
    """A strategic triangle read per Dittmer (1981): configuration, roles, scores, moves."""

    actors: tuple[str, str, str]
    ties: tuple[Tie, Tie, Tie]
    weighted: bool
    configuration: str
    roles: dict[str, str]
    scores: dict[str, float]
    arithmetic: dict[str, str]
    moves: list[Move]
    dynamics: DynamicsResult | None = None
    overrides: dict[str, int] = field(default_factory=dict)

    def best_moves(self) -> dict[str, Move | None]:
        """For each actor, its move that raises its own score most (None if none does)."""
        out: dict[str, Move | None] = {}
        for actor in self.actors:
            own = [m for m in self.moves if m.actor == actor and m.change[actor] > 0]
            out[actor] = max(own, key=lambda m: m.change[actor]) if own else None
        return out

    def narrative(self) -> list[str]:
        """Sentences stating, from the scores, what each actor gains by its best move."""
        lines = []
        for actor, move in self.best_moves().items():
            if move is None:
                lines.append(
                    f"{actor} ({self.roles[actor]}, {_fmt(self.scores[actor])}) has no "
                    "unilateral move that raises its score."
                )
                continue
            other = move.tie[1]
            kind = "amity" if move.new_sign > 0 else "enmity"
            effects = "; ".join(
                f"{a} {self.roles[a]} -> {move.roles[a]} ({_fmt(move.change[a])})"
                for a in self.actors
                if a != actor
            )
            lines.append(
                f"{actor} ({self.roles[actor]}, {_fmt(self.scores[actor])}) gains "
                f"{_fmt(move.change[actor])} by turning its tie with {other} to {kind}: "
                f"it becomes {move.roles[actor]} in a {move.configuration}; {effects}."
            )
        for actor in self.actors:
            # Moves another power gains by, at this power's expense: what it must prevent.
            threats = [
                m
                for m in self.moves
                if m.actor != actor and m.change[m.actor] > 0 and m.change[actor] < 0
            ]
            for m in threats:
                kind = "amity" if m.new_sign > 0 else "enmity"
                lines.append(
                    f"{actor} loses {_fmt(-m.change[actor])[1:]} if {m.actor} turns its tie with "
                    f"{m.tie[1]} to {kind} ({m.actor} gains {_fmt(m.change[m.actor])})."
                )
        if self.dynamics is not None and self.dynamics.first_flip is not None:
            f = self.dynamics.first_flip
            lines.append(
                f"Balance dynamics (dX/dt = X^2 from the signed strengths): {f.a}-{f.b} "
                f"flips first (t = {f.time:.3g}); the triangle settles as "
                f"{' + '.join(self.dynamics.camps[0])} vs {' + '.join(self.dynamics.camps[1]) or 'nobody'}."
            )
        return lines

    def to_dict(self) -> dict[str, Any]:
        best = self.best_moves()
        return {
            "actors": list(self.actors),
            "ties": [
                {
                    "a": t.a,
                    "b": t.b,
                    "sign": t.sign,
                    "strength": t.strength,
                    "source": t.source,
                }
                for t in self.ties
            ],
            "weighted": self.weighted,
            "configuration": self.configuration,
            "roles": dict(self.roles),
            "scores": dict(self.scores),
            "arithmetic": dict(self.arithmetic),
            "moves": [m.to_dict() for m in self.moves],
            "best_moves": {a: (m.to_dict() if m else None) for a, m in best.items()},
            "dynamics": self.dynamics.to_dict() if self.dynamics else None,
            "narrative": self.narrative(),
            "overrides": dict(self.overrides),
        }


def _tie_map(ties: Sequence[Tie]) -> tuple[tuple[str, str, str], dict[frozenset[str], Tie]]:
    if len(ties) != 3:
        raise TriangleError(f"a strategic triangle has three ties, got {len(ties)}")
    by_pair: dict[frozenset[str], Tie] = {}
    order: list[str] = []
    for t in ties:
        if t.a == t.b:
            raise TriangleError(f"tie {t.label()} joins an actor to itself")
        if t.pair in by_pair:
            raise TriangleError(f"tie {t.label()} is given twice")
        if t.sign not in (1, -1):
            raise TriangleError(
                f"tie {t.label()} has no sign (the evidence is neutral); "
                f"set one with --set {t.a}-{t.b}=+ or --set {t.a}-{t.b}=-"
            )
        by_pair[t.pair] = t
        for x in (t.a, t.b):
            if x not in order:
                order.append(x)
    if len(order) != 3:
        raise TriangleError(f"three ties must join exactly three actors, got {', '.join(order)}")
    return (order[0], order[1], order[2]), by_pair


def _pairs(actors: tuple[str, str, str]) -> list[frozenset[str]]:
    """The triangle's ties in array order (:data:`~powerbalance.actors.TIE_POSITIONS`)."""
    return [frozenset((actors[i], actors[j])) for i, j in TIE_POSITIONS]


def _readings(
    actors: tuple[str, str, str], signs: np.ndarray, weights: np.ndarray
) -> list[tuple[str, dict[str, str], dict[str, float]]]:
    """Configuration, roles and scores of each row of ``signs`` (ties in array order)."""
    configs = configuration_codes(signs)
    roles = role_codes(signs)
    scores = role_scores(signs, weights)
    return [
        (
            configuration_name(int(configs[n])),
            {a: ROLES[roles[n, i]] for i, a in enumerate(actors)},
            {a: round(float(scores[n, i]), 12) for i, a in enumerate(actors)},
        )
        for n in range(len(configs))
    ]


def _arithmetic(
    actors: tuple[str, str, str],
    signs: np.ndarray,
    weights: np.ndarray,
    roles: Mapping[str, str],
) -> dict[str, str]:
    """Each actor's score written out term by term (one row of signs and weights)."""
    signed = signs * weights
    scores = role_scores(signs[None], weights[None])[0]
    out: dict[str, str] = {}
    for i, actor in enumerate(actors):
        terms = []
        for t in _OWN[i]:
            other = actors[next(x for x in TIE_POSITIONS[t] if x != i)]
            kind = "amity" if signs[t] > 0 else "enmity"
            terms.append(f"{_fmt(signed[t])} ({actor}-{other} {kind})")
        j, k = (actors[x] for x in TIE_POSITIONS[_OTHER[i]])
        kind = "amicable" if signs[_OTHER[i]] > 0 else "hostile"
        terms.append(f"{_fmt(-signed[_OTHER[i]])} ({j}-{k} {kind})")
        out[actor] = " ".join(terms) + f" = {_fmt(scores[i])} ({roles[actor]})"
    return out


def _fmt(x: float) -> str:
    if abs(x - round(x)) < 1e-12:
        return f"{round(x):+d}"
    return f"{x:+.2f}"


def strategic_triangle(
    ties: Iterable[Tie | Sequence[Any]],
    *,
    weighted: bool = False,
) -> TriangleReading:
    """Read a strategic triangle from its three signed ties.

    Parameters
    ----------
    ties
        Three :class:`Tie` or ``(a, b, sign)`` / ``(a, b, sign, strength)``
        tuples joining three actors. Signs are +1/-1 or aliases (``+``, ``-``).
    weighted
        Scale each term of the role score by the tie's strength in [0, 1].

    Returns
    -------
    TriangleReading
        The configuration, each actor's role and score with the arithmetic
        behind it, and every unilateral move with its effect on all scores.

    Raises
    ------
    TriangleError
        When the ties are not three signed ties among three actors.

    Notes
    -----
    Score of actor ``i`` with partners ``j``, ``k`` and tie weights ``w``
    (all 1 unless ``weighted``):

    .. math:: S_i = w_{ij} s_{ij} + w_{ik} s_{ik} - w_{jk} s_{jk}

    A unilateral move by ``i`` reverses one of its own ties ``ij``: ``S_i`` and
    ``S_j`` change by ``-2 w_{ij} s_{ij}`` and ``S_k`` by ``+2 w_{ij} s_{ij}``. So
    a partner who turns to the outcast gains 2 (becomes pivot), its old partner
    loses 2 (becomes a wing) and the outcast gains 2 (becomes a wing).

    References
    ----------
    .. [1] Dittmer, L. (1981). The strategic triangle: an elementary
       game-theoretical analysis. *World Politics* 33(4), 485-515.
       doi:10.2307/2010133

    Examples
    --------
    >>> t = strategic_triangle([("RUS", "CHN", +1), ("USA", "RUS", -1), ("USA", "CHN", -1)])
    >>> t.configuration, t.roles, t.scores
    ('stable marriage', {'RUS': 'partner', 'CHN': 'partner', 'USA': 'outcast'}, {'RUS': 1.0, 'CHN': 1.0, 'USA': -3.0})
    >>> strategic_triangle([("RUS", "CHN", 1), ("USA", "RUS", 1), ("USA", "CHN", -1)]).roles["RUS"]
    'pivot'
    """
    parsed: list[Tie] = []
    for t in ties:
        if isinstance(t, Tie):
            parsed.append(t)
            continue
        if len(t) not in (3, 4):
            raise TriangleError(f"a tie is (a, b, sign) or (a, b, sign, strength), got {t!r}")
        try:
            sign = parse_sign(t[2])
        except ValueError as exc:
            raise TriangleError(f"tie {t[0]}-{t[1]}: {exc}") from None
        strength = float(t[3]) if len(t) == 4 else 1.0
        if not 0.0 <= strength <= 1.0:
            raise TriangleError(f"tie {t[0]}-{t[1]}: strength must lie in [0, 1], got {strength}")
        parsed.append(Tie(str(t[0]), str(t[1]), sign, strength))
    actors, by_pair = _tie_map(parsed)
    pairs = _pairs(actors)
    ties_ = tuple(by_pair[p] for p in pairs)
    signs = np.array([t.sign for t in ties_], dtype=np.int64)
    weights = np.array([t.strength if weighted else 1.0 for t in ties_])
    # Row 0 is the triangle; the next rows each reverse one tie: every unilateral move,
    # actor by actor, read in one pass over the array.
    move_ties = [
        (actor, other, pairs.index(frozenset((actor, other))))
        for actor in actors
        for other in actors
        if other != actor
    ]
    batch = np.repeat(signs[None], 1 + len(move_ties), axis=0)
    for n, (_, _, k) in enumerate(move_ties, start=1):
        batch[n, k] = -batch[n, k]
    (configuration, roles, scores), *after = _readings(actors, batch, weights)
    moves = [
        Move(
            actor=actor,
            tie=(actor, other),
            new_sign=int(batch[n, k]),
            configuration=conf,
            roles=new_roles,
            scores=new_scores,
            change={a: round(new_scores[a] - scores[a], 12) for a in actors},
        )
        for n, ((actor, other, k), (conf, new_roles, new_scores)) in enumerate(
            zip(move_ties, after, strict=True), start=1
        )
    ]
    return TriangleReading(
        dynamics=_triangle_dynamics(actors, ties_),
        actors=actors,
        ties=(ties_[0], ties_[1], ties_[2]),
        weighted=weighted,
        configuration=configuration,
        roles=roles,
        scores=scores,
        arithmetic=_arithmetic(actors, signs, weights, roles),
        moves=moves,
    )


def _triangle_dynamics(actors: tuple[str, str, str], ties: Sequence[Tie]) -> DynamicsResult | None:
    """Marvel et al. dynamics from the signed strengths (None if a strength is 0)."""
    if any(t.strength <= 0 for t in ties):
        return None
    x = triangle_matrix(np.array([t.sign * t.strength for t in ties]))
    return balance_dynamics(x, actors=actors, model="mks")


def parse_override(text: str, actors: Sequence[str]) -> tuple[frozenset[str], int]:
    """Parse ``A-B=+`` (or ``A-B=-1``) into the pair and the sign.

    Two-letter codes of the triangle (``US``, ``RU``, ``CN``) stand for their
    ISO3 ids.

    Examples
    --------
    >>> pair, sign = parse_override("US-RU=+", ["USA", "RUS", "CHN"])
    >>> sorted(pair), sign
    (['RUS', 'USA'], 1)
    """
    if "=" not in text or "-" not in text.split("=", 1)[0]:
        raise TriangleError(
            f"cannot read --set '{text}'; write it as A-B=+ or A-B=- (e.g. USA-RUS=+)"
        )
    left, right = text.split("=", 1)
    a, b = (x.strip().upper() for x in left.split("-", 1))
    a, b = ISO2_ALIASES.get(a, a), ISO2_ALIASES.get(b, b)
    for x in (a, b):
        if x not in actors:
            raise UnknownActor(x, actors, context=f"--set {text}")
    if a == b:
        raise TriangleError(f"--set {text}: a tie joins two different actors")
    try:
        sign = parse_sign(right)
    except ValueError as exc:
        raise TriangleError(f"--set {text}: {exc}") from None
    return frozenset((a, b)), sign


def triangle_from_relations(
    relations: Iterable[Any],
    *,
    overrides: Iterable[str] = (),
    weighted: bool = False,
) -> TriangleReading:
    """Read the strategic triangle of three relations, after optional ``A-B=+`` overrides.

    Parameters
    ----------
    relations
        Three :class:`~powerbalance.relations.base.Relation` (one per pair).
    overrides
        ``A-B=+`` / ``A-B=-`` strings replacing the sign of a tie (its
        strength is kept, or 1 when the relation had none).
    weighted
        Scale the score terms by the relations' strengths.

    Examples
    --------
    >>> from powerbalance.relations.base import Relation
    >>> rels = [Relation("RUS", "CHN", 1, 0.8, "evidence", "r"),
    ...         Relation("USA", "RUS", -1, 0.6, "evidence", "r"),
    ...         Relation("USA", "CHN", -1, 0.9, "evidence", "r")]
    >>> triangle_from_relations(rels, overrides=["US-RU=+"]).configuration
    'romantic triangle'
    """
    ties = [
        Tie(r.a, r.b, int(r.sign), float(r.strength), f"{r.channel}:{r.rule}") for r in relations
    ]
    actors = sorted({x for t in ties for x in (t.a, t.b)})
    changes: dict[str, int] = {}
    for text in overrides:
        pair, sign = parse_override(text, actors)
        for k, t in enumerate(ties):
            if t.pair == pair:
                strength = t.strength if t.strength > 0 else 1.0
                ties[k] = Tie(t.a, t.b, sign, strength, "--set")
                changes[t.label()] = sign
                break
        else:
            a, b = sorted(pair)
            ties.append(Tie(a, b, sign, 1.0, "--set"))
            changes[f"{a}-{b}"] = sign
    reading = strategic_triangle(ties, weighted=weighted)
    return TriangleReading(**{**reading.__dict__, "overrides": changes})


def evidence_triangle(
    evidence: Any,
    *,
    actors: tuple[str, str, str] = TRIANGLE,
    overrides: Iterable[str] = (),
    weighted: bool = False,
) -> TriangleReading:
    """The strategic triangle of the evidence-derived relations (the ``triangle`` command).

    Derives the three relations with
    :func:`powerbalance.relations.evidence.derive_relations` and reads them
    with :func:`triangle_from_relations`.
    """
    from powerbalance.relations.evidence import derive_relations

    relations = derive_relations(evidence, actors=actors)
    wanted = {
        frozenset(p)
        for p in ((actors[0], actors[1]), (actors[0], actors[2]), (actors[1], actors[2]))
    }
    chosen = [r for r in relations if r.pair in wanted]
    if len({r.pair for r in chosen}) != len(chosen):
        raise TriangleError("the relation rules gave more than one relation for a pair")
    return triangle_from_relations(chosen, overrides=overrides, weighted=weighted)
