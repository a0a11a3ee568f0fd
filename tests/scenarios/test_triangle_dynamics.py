"""The vectorised triangle and dynamics agree with the theory layer's one-at-a-time readings."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from powerbalance.scenarios.schema import TIES, TRIANGLE
from powerbalance.theory import dynamics as dyn
from powerbalance.theory import triangle as tri
from powerbalance.theory.dynamics import balance_dynamics
from powerbalance.theory.triangle import strategic_triangle

PATTERNS = np.array(list(itertools.product((-1, 1), repeat=3)), dtype=np.int8)


def test_all_eight_sign_patterns_agree_with_the_theory_module() -> None:
    """Dittmer (1981), roles and scores as in issue 3: pivot +3, partner/friend +1,
    wing/foe -1, outcast -3."""
    configs = tri.configuration_codes(PATTERNS)
    roles = tri.role_codes(PATTERNS)
    scores = tri.role_scores(PATTERNS)
    for k, signs in enumerate(PATTERNS):
        reading = strategic_triangle(
            [(a, b, int(s)) for (a, b), s in zip(TIES, signs, strict=True)]
        )
        assert tri.CONFIGURATIONS[configs[k]].replace("_", " ") == reading.configuration
        for i, actor in enumerate(TRIANGLE):
            assert tri.ROLES[roles[k, i]] == reading.roles[actor]
            assert scores[k, i] == reading.scores[actor]


def test_weighted_scores_agree_with_the_theory_module() -> None:
    rng = np.random.default_rng(3)
    w = rng.uniform(-1, 1, (20, 3))
    signs = tri.signs_of(w)
    scores = tri.role_scores(signs, w)
    for k in range(len(w)):
        reading = strategic_triangle(
            [(a, b, int(s), abs(x)) for (a, b), s, x in zip(TIES, signs[k], w[k], strict=True)],
            weighted=True,
        )
        for i, actor in enumerate(TRIANGLE):
            assert scores[k, i] == pytest.approx(reading.scores[actor], abs=1e-9)


def test_closed_form_flips_agree_with_the_integrated_dynamics() -> None:
    """Marvel, Kleinberg & Strogatz (2011): the theory layer integrates dX/dt = X^2
    numerically (DOP853); the closed form must name the same first flip and final camps."""
    rng = np.random.default_rng(11)
    w = rng.uniform(-1, 1, (25, 3))
    out = dyn.flips(w)
    for k in range(len(w)):
        r = balance_dynamics(dyn.triangle_matrix(w[k]), actors=list(TRIANGLE))
        first = r.first_flip
        if first is None:
            assert out["first"][k] == -1
        else:
            expected = next(i for i, t in enumerate(TIES) if set(t) == {first.a, first.b})
            assert out["first"][k] == expected
            assert out["time"][k] * out["blowup"][k] == pytest.approx(first.time, rel=1e-4)
        final_signs = np.sign(r.final[[0, 0, 1], [1, 2, 2]])
        assert out["final"][k].tolist() == final_signs.astype(int).tolist()
        assert out["blowup"][k] == pytest.approx(r.divergence_time_exact)


def test_us_russia_rapprochement_flips_back_first() -> None:
    """A weak US–Russia amity against strong US–China enmity and Russia–China amity is the
    tie the dynamics undo first (the articles' 'the split is unlikely')."""
    out = dyn.flips(np.array([[0.3, -0.98, 0.96]]))
    assert out["first"][0] == 0
    assert out["final"][0].tolist() == [-1, -1, 1]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1, 1).filter(lambda x: abs(x) > 1e-3), min_size=3, max_size=3))
def test_dynamics_end_balanced(w: list[float]) -> None:
    """Generic starts end balanced: an even number of enmities. (Generic: a simple leading
    eigenvalue whose eigenvector puts every actor clearly in a camp.)"""
    lam, vec = np.linalg.eigh(dyn.triangle_matrix(np.array(w)))
    assume(lam[-1] - lam[-2] > 1e-3 and np.abs(vec[:, -1]).min() > 1e-3)
    final = dyn.flips(np.array([w]))["final"][0]
    assert (final < 0).sum() % 2 == 0
    assert tri.configuration_codes(final[None])[0] in (1, 3)


def test_closed_form_leading_eigenvalue_matches_numpy() -> None:
    w = np.random.default_rng(8).uniform(-1, 1, (2000, 3))
    w[:10] = [
        [1, 1, 1],
        [-1, -1, -1],
        [0, 0, 0],
        [1, 0, 0],
        [0.5, 0.5, -1],
        [1, -1, 1],
        [0, 0, 1e-9],
        [1, 1, 0],
        [-1, 0, 0],
        [0.3, 0.3, 0.3],
    ]
    expected = np.linalg.eigvalsh(dyn.triangle_matrix(w))[:, -1]
    np.testing.assert_allclose(dyn.leading_eigenvalue(w), expected, atol=1e-12)
