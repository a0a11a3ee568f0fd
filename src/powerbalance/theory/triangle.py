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
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from powerbalance.errors import UnknownActor, UserError
from powerbalance.theory.dynamics import DynamicsResult, balance_dynamics
from powerbalance.theory.signed import parse_sign

CONFIGURATIONS = {
    3: "menage a trois",
    1: "romantic triangle",
    -1: "stable marriage",
    -3: "unit veto",
}

ROLE_SCORES = {"pivot": 3, "partner": 1, "friend": 1, "wing": -1, "foe": -1, "outcast": -3}

#: Two-letter country codes accepted in place of the triangle's ISO3 ids.
ISO2_ALIASES = {"US": "USA", "RU": "RUS", "CN": "CHN", "CH": "CHN"}


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


def _role(own: Sequence[int], others: int) -> str:
    n_pos = sum(1 for s in own if s > 0)
    if n_pos == 2:
        return "friend" if others > 0 else "pivot"
    if n_pos == 1:
        return "wing" if others > 0 else "partner"
    return "outcast" if others > 0 else "foe"


def _evaluate(
    actors: tuple[str, str, str],
    by_pair: Mapping[frozenset[str], Tie],
    weighted: bool,
) -> tuple[str, dict[str, str], dict[str, float], dict[str, str]]:
    signs = {p: t.sign for p, t in by_pair.items()}
    configuration = CONFIGURATIONS[sum(signs.values())]
    roles: dict[str, str] = {}
    scores: dict[str, float] = {}
    arithmetic: dict[str, str] = {}
    for i in actors:
        j, k = (x for x in actors if x != i)
        tij, tik, tjk = (by_pair[frozenset(p)] for p in ((i, j), (i, k), (j, k)))
        roles[i] = _role([tij.sign, tik.sign], tjk.sign)
        wij, wik, wjk = (t.strength if weighted else 1.0 for t in (tij, tik, tjk))
        score = wij * tij.sign + wik * tik.sign - wjk * tjk.sign
        scores[i] = round(score, 12)
        terms = [
            f"{_fmt(wij * tij.sign)} ({i}-{j} {'amity' if tij.sign > 0 else 'enmity'})",
            f"{_fmt(wik * tik.sign)} ({i}-{k} {'amity' if tik.sign > 0 else 'enmity'})",
            f"{_fmt(-wjk * tjk.sign)} ({j}-{k} {'amicable' if tjk.sign > 0 else 'hostile'})",
        ]
        arithmetic[i] = " ".join(terms) + f" = {_fmt(score)} ({roles[i]})"
    return configuration, roles, scores, arithmetic


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
    configuration, roles, scores, arithmetic = _evaluate(actors, by_pair, weighted)
    moves: list[Move] = []
    for actor in actors:
        for other in actors:
            if other == actor:
                continue
            pair = frozenset((actor, other))
            old = by_pair[pair]
            changed = dict(by_pair)
            changed[pair] = Tie(old.a, old.b, -old.sign, old.strength, "move")
            conf, new_roles, new_scores, _ = _evaluate(actors, changed, weighted)
            moves.append(
                Move(
                    actor=actor,
                    tie=(actor, other),
                    new_sign=-old.sign,
                    configuration=conf,
                    roles=new_roles,
                    scores=new_scores,
                    change={a: round(new_scores[a] - scores[a], 12) for a in actors},
                )
            )
    return TriangleReading(
        dynamics=_triangle_dynamics(actors, by_pair),
        actors=actors,
        ties=(
            by_pair[frozenset(actors[:2])],
            by_pair[frozenset(actors[::2])],
            by_pair[frozenset(actors[1:])],
        ),
        weighted=weighted,
        configuration=configuration,
        roles=roles,
        scores=scores,
        arithmetic=arithmetic,
        moves=moves,
    )


def _triangle_dynamics(
    actors: tuple[str, str, str], by_pair: Mapping[frozenset[str], Tie]
) -> DynamicsResult | None:
    """Marvel et al. dynamics from the signed strengths (None if a strength is 0)."""
    x = [[0.0] * 3 for _ in range(3)]
    for i, a in enumerate(actors):
        for j, b in enumerate(actors):
            if i != j:
                t = by_pair[frozenset((a, b))]
                if t.strength <= 0:
                    return None
                x[i][j] = t.sign * t.strength
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
    actors: tuple[str, str, str] = ("USA", "RUS", "CHN"),
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
