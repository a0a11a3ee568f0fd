"""Baselines, expected-utility model and spatial-model building blocks."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powerbalance.theory.bargaining import (
    ActorTable,
    BargainingOptionError,
    Dimension,
    EUParams,
    SpatialModel,
    SpatialParams,
    expected_utility_model,
    read_table,
    weighted_mean,
    weighted_median,
)
from powerbalance.theory.bargaining.expected_utility import eu_round
from powerbalance.theory.bargaining.spatial import (
    coalition_strengths,
    condorcet_probabilities,
    risk_attitudes,
    utility,
    victory_probabilities,
)

DIM = (Dimension("x", "x"),)


def table_from(cap, pos, sal) -> ActorTable:
    n = len(cap)
    return ActorTable(
        tuple(f"a{i}" for i in range(n)), cap, np.reshape(pos, (n, 1)), np.reshape(sal, (n, 1)), DIM
    )


actors = st.integers(min_value=2, max_value=9).flatmap(
    lambda n: st.tuples(
        st.lists(st.floats(0.1, 100), min_size=n, max_size=n),
        st.lists(st.floats(0, 100), min_size=n, max_size=n),
        st.lists(st.floats(1, 100), min_size=n, max_size=n),
    )
)


@pytest.mark.shared_data
def test_european_community_baselines(shared_file) -> None:
    """Bueno de Mesquita (1994) European Community example (bdm_ExampleActors.csv):
    capability x salience weighted mean 7.39 and weighted median 7 on the 4–10 scale."""
    t = read_table(shared_file("bargaining/bdm_ExampleActors.csv"))
    assert round(float(weighted_mean(t)[0]), 2) == 7.39
    assert float(weighted_median(t)[0]) == 7.0


@pytest.mark.shared_data
@pytest.mark.parametrize("risk_basis", ["security", "ambition"])
def test_european_community_first_round_risk_exponents(shared_file, risk_basis) -> None:
    """Scholz, Calbert & Smith (2011), section 2 step 9: r_i = (1 - R_i/3)/(1 + R_i/3)
    lies in [0.5, 2]; both ends are reached by the most and least secure actors."""
    t = read_table(shared_file("bargaining/bdm_ExampleActors.csv"))
    res = expected_utility_model(t, EUParams(risk_basis=risk_basis))
    r = res.rounds[0][0].risk
    assert np.all((r >= 0.5 - 1e-12) & (r <= 2 + 1e-12))
    assert np.isclose(r.min(), 0.5) and np.isclose(r.max(), 2.0)


@given(actors)
@settings(max_examples=60, deadline=None)
def test_baselines_lie_within_the_positions(data) -> None:
    cap, pos, sal = data
    t = table_from(cap, pos, sal)
    m, md = weighted_mean(t)[0], weighted_median(t)[0]
    assert min(pos) - 1e-9 <= m <= max(pos) + 1e-9
    assert md in pos
    # scaling every capability leaves both unchanged
    t2 = table_from([3 * c for c in cap], pos, sal)
    assert np.isclose(weighted_mean(t2)[0], m) and weighted_median(t2)[0] == md


@given(actors)
@settings(max_examples=40, deadline=None)
def test_eu_round_bounds(data) -> None:
    cap, pos, sal = data
    x = np.array(pos)
    if np.ptp(x) == 0:
        return
    rnd = eu_round(
        x,
        np.array(cap),
        np.array(sal) / 100,
        float(np.ptp(x)),
        EUParams(win_probability="published"),
    )
    assert np.all((rnd.risk >= 0.5 - 1e-9) & (rnd.risk <= 2 + 1e-9))
    assert np.all((rnd.prob >= 0) & (rnd.prob <= 1))
    off = ~np.eye(len(x), dtype=bool)
    # P_ij + P_ji = 1 where the two positions differ
    differ = off & (np.abs(x[:, None] - x[None, :]) > 0)
    np.testing.assert_allclose((rnd.prob + rnd.prob.T)[differ], 1.0)


def test_eu_options_change_the_run() -> None:
    t = table_from([3, 2, 2, 1], [10, 40, 60, 95], [80, 50, 60, 30])
    base = expected_utility_model(t)
    assert base.forecast().shape == (1,)
    assert len(base.rounds[0]) >= 1
    for p in [
        EUParams(mu="mean"),
        EUParams(q=0.5, t=0.0),
        EUParams(voters="third-parties"),
        EUParams(width="scale"),
    ]:
        other = expected_utility_model(t, p)
        assert other.rounds[0][0].eu.shape == (4, 4)
    assert not np.allclose(
        expected_utility_model(t, EUParams(q=0.5, t=0.0)).rounds[0][0].eu, base.rounds[0][0].eu
    )
    with pytest.raises(BargainingOptionError):
        EUParams(q=2.0)


@given(
    st.lists(st.floats(0, 1), min_size=2, max_size=8),
    st.sampled_from(["linear", "square", "quartic"]),
)
@settings(max_examples=50, deadline=None)
def test_victory_probabilities_are_complementary(us, model) -> None:
    rng = np.random.default_rng(len(us))
    u = rng.uniform(0, 1, (4, len(us)))
    u[0] = us
    c = coalition_strengths(u, np.array([1.0, 2, 3, 4]), "proportional")
    p = victory_probabilities(c, model)
    np.testing.assert_allclose(p + p.T, 1.0)
    for pce in ("conditional", "markov-uniform", "markov-incentive"):
        prob = condorcet_probabilities(c, model, pce)
        assert np.isclose(prob.sum(), 1.0) and np.all(prob >= 0)
    r = risk_attitudes(condorcet_probabilities(c, model, "conditional"), "mid")
    assert np.all((r >= -0.5 - 1e-9) & (r <= 1 + 1e-9))


@given(st.floats(0, 1), st.floats(-1, 1))
def test_utility_bounds(d, r) -> None:
    u = float(utility(np.array(d), r))
    assert -1e-12 <= u <= 1 + 1e-12
    assert float(utility(np.array(0.0), r)) == 1.0


SMALL = table_from([40, 30, 30, 20, 10], [20, 50, 90, 35, 70], [60, 70, 50, 40, 80])


@pytest.mark.parametrize(
    "params",
    [
        SpatialParams(),
        SpatialParams(victory="square"),
        SpatialParams(victory="quartic"),
        SpatialParams(pce="markov-incentive"),
        SpatialParams(pce="markov-uniform"),
        SpatialParams(transitions="stochastic"),
        SpatialParams(bargain_model="init-rcvr"),
        SpatialParams(bargain_model="pw-compromise", inter_vec="S1P1"),
        SpatialParams(voting="binary", big_r_range="max", third_party="full"),
    ],
)
def test_spatial_contract(params) -> None:
    """Every parameter set runs, stays on the scale, is reproducible by seed and pickles."""
    a = SpatialModel(SMALL, params, seed=7).run()
    b = SpatialModel(SMALL, params, seed=7).run()
    np.testing.assert_array_equal(a.positions(), b.positions())
    pos = a.positions()
    assert pos.min() >= 0 and pos.max() <= 100
    assert 0 <= a.forecast()[0] <= 100
    assert a.n_steps <= params.max_iter
    probs = a.probabilities()
    assert np.all((probs >= 0) & (probs <= 1 + 1e-12))
    restored = pickle.loads(pickle.dumps(a))
    np.testing.assert_array_equal(restored.positions(), pos)


def test_stochastic_runs_differ_by_seed() -> None:
    p = SpatialParams(transitions="stochastic")
    runs = {
        tuple(np.round(SpatialModel(SMALL, p, seed=s).run().positions()[-1, :, 0], 6))
        for s in range(6)
    }
    assert len(runs) > 1


def test_spatial_rejects_bad_saliences_and_options() -> None:
    two = ActorTable(
        ("a", "b"),
        [1, 1],
        [[10, 10], [90, 90]],
        [[70, 60], [20, 20]],
        (Dimension("x", "x"), Dimension("y", "y")),
    )
    with pytest.raises(BargainingOptionError, match="sum above 100"):
        SpatialModel(two)
    with pytest.raises(BargainingOptionError, match="victory"):
        SpatialParams(victory="cubic")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "params", [SpatialParams(), SpatialParams(victory="square", voting="prop-cubic")]
)
def test_numba_and_numpy_engines_agree(params) -> None:
    pytest.importorskip("numba")
    rng = np.random.default_rng(5)
    n = 12
    sal = rng.uniform(10, 45, (n, 2))
    dims = (Dimension("x", "x"), Dimension("y", "y"))
    t = ActorTable(
        tuple(f"a{i}" for i in range(n)),
        rng.uniform(10, 200, n),
        rng.uniform(0, 100, (n, 2)),
        sal,
        dims,
    )
    a = SpatialModel(t, params, engine="numpy").run()
    b = SpatialModel(t, params, engine="numba").run()
    assert a.n_steps == b.n_steps
    np.testing.assert_allclose(a.positions(), b.positions(), atol=1e-9)
    np.testing.assert_allclose(a.probabilities(), b.probabilities(), atol=1e-9)
