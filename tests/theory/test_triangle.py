"""Dittmer's strategic triangle: configurations, roles, scores, moves and the evidence triangle."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powerbalance.errors import UnknownActor
from powerbalance.evidence import load_corpus
from powerbalance.relations.base import Relation
from powerbalance.theory.triangle import (
    ROLE_SCORES,
    TriangleError,
    evidence_triangle,
    parse_override,
    strategic_triangle,
    triangle_from_relations,
)

# Dittmer (1981, World Politics 33(4), 485-515), pp. 489-490: the four
# configurations and their roles. Ties in the order (A-B, A-C, B-C).
TABLE = [
    ((1, 1, 1), "menage a trois", {"A": "friend", "B": "friend", "C": "friend"}),
    ((1, 1, -1), "romantic triangle", {"A": "pivot", "B": "wing", "C": "wing"}),
    ((1, -1, -1), "stable marriage", {"A": "partner", "B": "partner", "C": "outcast"}),
    ((-1, -1, -1), "unit veto", {"A": "foe", "B": "foe", "C": "foe"}),
]


@pytest.mark.parametrize(("signs", "configuration", "roles"), TABLE)
def test_configurations_roles_and_scores(signs, configuration, roles) -> None:
    """Role scores as the issue defines them: pivot +3, partner +1, friend +1,
    wing -1, foe -1, outcast -3."""
    ab, ac, bc = signs
    t = strategic_triangle([("A", "B", ab), ("A", "C", ac), ("B", "C", bc)])
    assert t.configuration == configuration
    assert t.roles == roles
    assert t.scores == {a: ROLE_SCORES[r] for a, r in roles.items()}


def test_arithmetic_is_shown() -> None:
    t = strategic_triangle([("RUS", "CHN", 1), ("USA", "RUS", 1), ("USA", "CHN", -1)])
    assert t.arithmetic["RUS"] == (
        "+1 (RUS-CHN amity) +1 (RUS-USA amity) +1 (CHN-USA hostile) = +3 (pivot)"
    )


def test_unilateral_moves_and_their_effects() -> None:
    t = strategic_triangle([("RUS", "CHN", "+"), ("USA", "RUS", "-"), ("USA", "CHN", "-")])
    assert len(t.moves) == 6
    move = next(m for m in t.moves if m.actor == "RUS" and m.tie == ("RUS", "USA"))
    assert move.new_sign == 1 and move.configuration == "romantic triangle"
    assert move.roles == {"RUS": "pivot", "CHN": "wing", "USA": "wing"}
    # Russia gains by turning to the US, China loses: why Beijing keeps Moscow close.
    assert move.change == {"RUS": 2, "CHN": -2, "USA": 2}
    assert t.best_moves()["RUS"] == move
    pivot = strategic_triangle([("RUS", "CHN", 1), ("USA", "RUS", 1), ("USA", "CHN", -1)])
    assert pivot.best_moves()["RUS"] is None  # the pivot has the best seat
    lines = t.narrative()
    assert any(line.startswith("RUS (partner, +1) gains +2") for line in lines)
    assert "CHN loses 2 if RUS turns its tie with USA to amity (RUS gains +2)." in lines


signs = st.sampled_from([1, -1])
strengths = st.floats(0.05, 1.0)


@settings(max_examples=80, deadline=None)
@given(signs, signs, signs, strengths, strengths, strengths)
def test_move_algebra(s1, s2, s3, w1, w2, w3) -> None:
    """Reversing tie ij moves S_i and S_j by -2 w s and S_k by +2 w s; the scores sum to
    the signed total, and the unweighted score always matches the role."""
    ties = [("A", "B", s1, w1), ("A", "C", s2, w2), ("B", "C", s3, w3)]
    weighted = strategic_triangle(ties, weighted=True)
    plain = strategic_triangle(ties)
    for a, role in plain.roles.items():
        assert plain.scores[a] == ROLE_SCORES[role]
    assert sum(weighted.scores.values()) == pytest.approx(s1 * w1 + s2 * w2 + s3 * w3)
    by_pair = {frozenset(t[:2]): t for t in ties}
    for m in weighted.moves:
        _, _, s, w = by_pair[frozenset(m.tie)]
        third = next(x for x in "ABC" if x not in m.tie)
        assert m.change[m.tie[0]] == pytest.approx(-2 * w * s)
        assert m.change[m.tie[1]] == pytest.approx(-2 * w * s)
        assert m.change[third] == pytest.approx(2 * w * s)


def test_weighted_scores_scale_terms() -> None:
    t = strategic_triangle(
        [("RUS", "CHN", 1, 0.8), ("USA", "RUS", -1, 0.3), ("USA", "CHN", -1, 1.0)], weighted=True
    )
    assert t.scores["RUS"] == pytest.approx(0.8 - 0.3 + 1.0)
    assert t.scores["USA"] == pytest.approx(-0.3 - 1.0 - 0.8)
    assert t.roles["USA"] == "outcast"


@pytest.mark.parametrize(
    ("ties", "needle"),
    [
        ([("A", "B", 1), ("A", "C", 1)], "three ties"),
        ([("A", "B", 1), ("B", "A", 1), ("A", "C", 1)], "twice"),
        ([("A", "B", 1), ("C", "D", 1), ("A", "C", 1)], "exactly three actors"),
        ([("A", "B", 1), ("A", "C", 0), ("B", "C", 1)], "sign must be"),
        ([("A", "A", 1), ("A", "C", 1), ("B", "C", 1)], "itself"),
        ([("A", "B", 1, 2.0), ("A", "C", 1), ("B", "C", 1)], "strength"),
    ],
)
def test_bad_triangles(ties, needle) -> None:
    with pytest.raises(TriangleError, match=needle):
        strategic_triangle(ties)


def test_overrides() -> None:
    actors = ["USA", "RUS", "CHN"]
    assert parse_override("us-ru=+", actors) == (frozenset({"USA", "RUS"}), 1)
    assert parse_override("USA-CHN=-1", actors) == (frozenset({"USA", "CHN"}), -1)
    with pytest.raises(UnknownActor, match="did you mean 'RUS'"):
        parse_override("USA-RUSS=+", actors)
    with pytest.raises(TriangleError, match="A-B"):
        parse_override("USA RUS +", actors)
    with pytest.raises(TriangleError, match="sign must be"):
        parse_override("USA-RUS=maybe", actors)
    rels = [
        Relation("USA", "RUS", 0, 0.0, "evidence", "r"),
        Relation("USA", "CHN", -1, 0.9, "evidence", "r"),
        Relation("RUS", "CHN", 1, 0.7, "evidence", "r"),
    ]
    with pytest.raises(TriangleError, match="--set USA-RUS"):
        triangle_from_relations(rels)
    t = triangle_from_relations(rels, overrides=["USA-RUS=-"])
    assert t.configuration == "stable marriage"
    assert t.overrides == {"USA-RUS": -1}
    assert t.ties[0].strength == 1.0 and t.ties[0].source == "--set"


def test_evidence_triangle_reads_stable_marriage_then_romantic() -> None:
    """The issue's expectation on the bundled evidence: a stable marriage of Russia and
    China with the US excluded; with US-Russia set positive, a romantic triangle with
    Russia as pivot."""
    evidence = load_corpus()
    t = evidence_triangle(evidence)
    assert t.configuration == "stable marriage"
    assert t.roles == {"USA": "outcast", "RUS": "partner", "CHN": "partner"}
    signs = {frozenset((x.a, x.b)): x.sign for x in t.ties}
    assert signs[frozenset({"RUS", "CHN"})] == 1
    assert signs[frozenset({"USA", "RUS"})] == -1
    assert signs[frozenset({"USA", "CHN"})] == -1
    turned = evidence_triangle(evidence, overrides=["US-RU=+"])
    assert turned.configuration == "romantic triangle"
    assert turned.roles["RUS"] == "pivot" and turned.scores["RUS"] == 3
    assert turned.scores["CHN"] == -1  # China drops from partner (+1) to wing (-1)
    # Balance dynamics from the evidence strengths: which tie gives way first.
    assert turned.dynamics is not None and turned.dynamics.first_flip is not None
    assert turned.dynamics.balanced
    d = turned.to_dict()
    assert d["configuration"] == "romantic triangle" and d["dynamics"]["first_flip"]


@pytest.mark.parametrize("signs", list(itertools.product([1, -1], repeat=3)))
def test_triangle_dynamics_end_balanced(signs) -> None:
    ab, ac, bc = signs
    t = strategic_triangle([("A", "B", ab, 0.9), ("A", "C", ac, 0.5), ("B", "C", bc, 0.7)])
    assert t.dynamics is not None and t.dynamics.balanced
    if ab * ac * bc > 0:  # already balanced: nothing needs to change sign
        assert t.dynamics.flips == []
    else:
        assert t.dynamics.first_flip is not None
