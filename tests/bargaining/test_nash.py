"""The Nash bargaining solution (issue 17, part 3): hand-solved two-actor cases."""

from __future__ import annotations

import numpy as np
import pytest

from powerbalance.theory.bargaining import MODELS, BargainingOptionError, bargain
from powerbalance.theory.bargaining.nash import NashParams, nash_solution
from powerbalance.theory.bargaining.table import ActorTable, Dimension

DIM = (Dimension("x", "x"),)


def _table(cap, pos, sal, rp=None) -> ActorTable:
    ref = None if rp is None else np.array([float(rp)])
    return ActorTable(
        tuple(f"a{i}" for i in range(len(cap))),
        cap,
        [[p] for p in pos],
        [[s] for s in sal],
        DIM,
        reference_point=ref,
    )


@pytest.mark.parametrize(("power", "want"), [((1, 3), 75.0), ((1, 1), 50.0), ((3, 1), 25.0)])
def test_linear_losses_split_by_bargaining_power(power, want) -> None:
    # positions 0 and 1, status quo 1/2, breakdown cost 1/2: the gains are 1 - x and x,
    # so the solution maximises t1 log(1 - x) + t2 log(x): x = t2 / (t1 + t2)
    t = _table(list(power), [0, 100], [50, 50], rp=50)
    got = nash_solution(t, NashParams("linear", 0.5))[0]
    assert got == pytest.approx(want, abs=1e-9)


def test_quadratic_losses_solve_the_hand_derived_cubic() -> None:
    # positions 0 and 1, status quo 1/2, cost 3/4: gains 1 - x^2 and x(2 - x); power 1 and 2.
    # d/dx [log(1 - x^2) + 2 log(x (2 - x))] = 0  <=>  3x^3 - 4x^2 - 2x + 2 = 0 on (0, 1)
    roots = np.roots([3.0, -4.0, -2.0, 2.0])
    root = float(next(r.real for r in roots if abs(r.imag) < 1e-12 and 0 < r.real < 1))
    t = _table([1, 2], [0, 100], [50, 50], rp=50)
    assert nash_solution(t, NashParams("quadratic", 0.75))[0] == pytest.approx(100 * root, abs=1e-8)


def test_symmetric_actors_meet_halfway_without_a_reference_point() -> None:
    # without rp each actor's disagreement is its worst point on the scale (less the cost)
    t = _table([2, 2], [20, 80], [60, 60])
    assert nash_solution(t)[0] == pytest.approx(50.0, abs=1e-9)


def test_large_breakdown_cost_gives_back_the_compromise_model() -> None:
    # Achen (2006): with quadratic losses and a far disagreement point, the weighted mean
    t = _table([1, 3, 2], [10, 90, 40], [50, 80, 30], rp=0)
    far = nash_solution(t, NashParams("quadratic", 100.0))[0]
    mean = bargain(t, model="mean").forecast[0]
    assert far == pytest.approx(mean, abs=0.2)


def test_a_small_breakdown_cost_pulls_to_the_reference_point() -> None:
    t = _table([1, 1], [0, 100], [50, 50], rp=30)
    near = nash_solution(t, NashParams("quadratic", 1e-4))[0]
    assert near == pytest.approx(30.0, abs=0.5)


def test_options_are_checked() -> None:
    with pytest.raises(BargainingOptionError, match="utility must be one of"):
        NashParams(utility="cubic")  # type: ignore[arg-type]
    with pytest.raises(BargainingOptionError, match="more than 0"):
        NashParams(breakdown_cost=0)
    with pytest.raises(BargainingOptionError, match="no actor carries weight"):
        nash_solution(_table([1, 1], [0, 100], [0, 0]))


def test_registered_deterministic_and_runs_on_the_bundled_sets() -> None:
    from powerbalance.app.bargaining import bundled_forecast

    spec = MODELS["nash"]
    assert spec.kind == "model" and not spec.stochastic and spec.fit is None
    for name in ("us-russia", "russia-alignment"):
        fc = bundled_forecast(name, model="nash")
        lo, hi = fc.table.position.min(axis=0), fc.table.position.max(axis=0)
        assert np.all(fc.forecast >= lo) and np.all(fc.forecast <= hi)


def test_cli_runs_the_model(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    from powerbalance.interfaces.cli.main import main

    store = str(tmp_path / "s.duckdb")
    assert main(["--store", store, "bargain", "us-russia", "--model", "nash"]) == 0
    assert "Nash" in capsys.readouterr().out
