"""Balance dynamics: Marvel-Kleinberg-Strogatz dX/dt = X^2 and Traag et al. dX/dt = X X^T."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from powerbalance.theory.dynamics import DynamicsInputError, balance_dynamics, relation_matrix
from powerbalance.theory.signed import signed_graph


@pytest.mark.parametrize("method", ["closed_form", "numerical"])
def test_two_friends_hand_checked(method: str) -> None:
    """X0 = [[0, a], [a, 0]]: eigenvalues +a and -a, so x_12(t) = a / (1 - a^2 t^2),
    diverging at t* = 1/a with no sign change (Marvel et al. 2011, eq. 2 solved by hand)."""
    a = 0.5
    r = balance_dynamics([[0, a], [a, 0]], actors=["p", "q"], method=method)
    assert r.diverged and r.time == pytest.approx(1 / a, rel=1e-5)
    assert r.divergence_time_exact == pytest.approx(1 / a)
    assert r.flips == [] and r.balanced
    assert r.camps == (("p", "q"), ())
    enemies = balance_dynamics([[0, -a], [-a, 0]], actors=["p", "q"], method=method)
    assert enemies.camps == (("p",), ("q",)) and enemies.balanced


def test_closed_form_solves_the_equation() -> None:
    """At an interior time the closed form agrees with X0 (I - t X0)^{-1} and with the
    numerical integration."""
    x0 = np.array(
        [[0, 0.8, -0.9, 0.1], [0.8, 0, 0.3, -0.4], [-0.9, 0.3, 0, 0.6], [0.1, -0.4, 0.6, 0]]
    )
    lam_max = np.linalg.eigvalsh(x0).max()
    t = 0.5 / lam_max
    expected = x0 @ np.linalg.inv(np.eye(4) - t * x0)
    r = balance_dynamics(x0, horizon=t, method="closed_form")
    assert not r.diverged and r.time == pytest.approx(t)
    assert r.final * np.abs(expected).max() == pytest.approx(expected, abs=1e-9)
    numeric = balance_dynamics(x0, horizon=t, method="numerical")
    assert numeric.final == pytest.approx(r.final, abs=1e-7)


def test_unbalanced_triangle_weakest_amity_flips() -> None:
    """CHN-RUS strong amity, CHN-USA strong enmity, RUS-USA weak amity (a romantic
    triangle): the weak amity is the tie that gives way, leaving RUS with CHN."""
    x0 = [[0, 0.8, -0.9], [0.8, 0, 0.3], [-0.9, 0.3, 0]]
    for model in ("mks", "traag"):
        r = balance_dynamics(x0, actors=["CHN", "RUS", "USA"], model=model)
        assert r.first_flip is not None
        assert (r.first_flip.a, r.first_flip.b, r.first_flip.from_sign) == ("RUS", "USA", 1)
        assert len(r.flips) == 1
        assert r.camps == (("CHN", "RUS"), ("USA",)) and r.balanced


def test_balanced_start_keeps_its_signs() -> None:
    x0 = [[0, 0.5, -0.2], [0.5, 0, -0.7], [-0.2, -0.7, 0]]
    r = balance_dynamics(x0, actors=["a", "b", "c"])
    assert r.flips == [] and r.balanced
    assert r.camps == (("a", "b"), ("c",))


def test_no_divergence_within_horizon() -> None:
    # -I has only negative eigenvalues: relations fade, nothing blows up.
    r = balance_dynamics(-np.eye(3), horizon=5.0)
    assert not r.diverged and r.time == pytest.approx(5.0)
    assert r.divergence_time_exact == np.inf


def symmetric_start(n: int) -> st.SearchStrategy[np.ndarray]:
    return arrays(np.float64, (n, n), elements=st.floats(-1, 1, allow_nan=False)).map(
        lambda a: np.triu(a, 1) + np.triu(a, 1).T
    )


@settings(max_examples=40, deadline=None)
@given(st.integers(3, 7).flatmap(symmetric_start))
def test_generic_symmetric_starts_end_in_two_camps(x0: np.ndarray) -> None:
    """Marvel et al. (2011, PNAS 108(5):1771, 'Results'): for generic symmetric
    starts the relations reach a balanced two-camp state in finite time 1/lambda_max."""
    lam = np.sort(np.linalg.eigvalsh(x0))
    # Generic: a simple, clearly positive leading eigenvalue with no near-zero
    # entries in its eigenvector (otherwise the limit is degenerate).
    vec = np.linalg.eigh(x0)[1][:, -1]
    if lam[-1] < 0.05 or lam[-1] - lam[-2] < 1e-3 or np.abs(vec).min() < 1e-3:
        return
    r = balance_dynamics(x0)
    assert r.diverged and r.balanced
    assert r.time == pytest.approx(1 / lam[-1], rel=1e-5)
    assert set(r.camps[0]) | set(r.camps[1]) == set(r.actors)
    numeric = balance_dynamics(x0, method="numerical")
    assert numeric.balanced and numeric.camps == r.camps
    assert numeric.time == pytest.approx(r.time, rel=1e-4)


@settings(max_examples=25, deadline=None)
@given(st.integers(3, 6).flatmap(lambda n: arrays(np.float64, (n, n), elements=st.floats(-1, 1))))
@example(np.array([[0.5, 0.5, 0.0], [0.5, 0.5, 0.5], [-1.0, 0.5, 0.5]]))
def test_traag_asymmetric_starts_end_balanced(x0: np.ndarray) -> None:
    """Traag, Van Dooren & De Leenheer (2013, PLoS ONE 8(4):e60063, Theorem 2): dX/dt =
    X X^T reaches balance for generic (also asymmetric) starts."""
    if np.linalg.matrix_rank(x0) < x0.shape[0] or np.abs(x0).max() < 0.05:
        return
    if np.min(np.abs(x0 + x0.T)[~np.eye(x0.shape[0], dtype=bool)]) < 1e-3:
        return
    r = balance_dynamics(x0, model="traag")
    assert r.diverged
    # Generic also means the limit direction has no zero component: when an actor's
    # ties all shrink to nothing next to the others (|entry| < 1e-3 of the largest),
    # their signs are noise and the theorem says nothing (hypothesis found such a
    # start: [[.5, .5, 0], [.5, .5, .5], [-1, .5, .5]]).
    off = ~np.eye(x0.shape[0], dtype=bool)
    if np.abs(r.final[off]).min() < 1e-3:
        return
    assert r.balanced


def test_input_errors() -> None:
    with pytest.raises(DynamicsInputError, match="square"):
        balance_dynamics([[1, 2, 3]])
    with pytest.raises(DynamicsInputError, match="missing"):
        balance_dynamics([[0, np.nan], [np.nan, 0]])
    with pytest.raises(DynamicsInputError, match="labels"):
        balance_dynamics(np.zeros((2, 2)), actors=["a"])
    with pytest.raises(DynamicsInputError, match="symmetric"):
        balance_dynamics([[0, 1], [-1, 0]], method="closed_form")
    with pytest.raises(DynamicsInputError, match="unknown model"):
        balance_dynamics(np.eye(2), model="heider")  # type: ignore[arg-type]
    zero = balance_dynamics(np.zeros((3, 3)))
    assert not zero.diverged and zero.flips == [] and not zero.balanced


def test_relation_matrix_and_json() -> None:
    actors, x = relation_matrix(signed_graph([("USA", "CHN", -1, 0.9), ("RUS", "CHN", 1, 0.7)]))
    assert actors == ("USA", "CHN", "RUS")
    assert x[0, 1] == -0.9 and x[1, 2] == 0.7 and x[0, 2] == 0
    d = balance_dynamics(x, actors=actors).to_dict()
    assert d["model"] == "mks" and d["camps"] and isinstance(d["final"], list)
