"""Achen's compromise model (issue 17, part 3): closed forms, the reference point, roles."""

from __future__ import annotations

import numpy as np
import pytest

from powerbalance.errors import UserError
from powerbalance.theory.bargaining import MODELS, BargainingOptionError, bargain
from powerbalance.theory.bargaining.compromise import CompromiseParams, compromise
from powerbalance.theory.bargaining.table import ActorTable, Dimension

DIM = (Dimension("x", "x"),)


def _table(cap, pos, sal, rp=None, actors=None) -> ActorTable:
    names = actors or tuple(f"a{i}" for i in range(len(cap)))
    ref = None if rp is None else np.array([float(rp)])
    return ActorTable(
        tuple(names), cap, [[p] for p in pos], [[s] for s in sal], DIM, reference_point=ref
    )


def test_closed_form_with_exponents() -> None:
    # weights c^a (s/100)^b: a = 2, b = 0.5: 1 * 0.5 = 0.5 and 4 * 1 = 4 (capabilities over
    # the largest: 0.5^2 * 0.25^0.5 and 1 * 1); forecast (0.5*10 + 4*70) / 4.5
    t = _table([1, 2], [10, 70], [25, 100])
    p = CompromiseParams(capability_exponent=2, salience_exponent=0.5, reference_weight=0)
    want = (0.25 * 0.5 * 10 + 1.0 * 1.0 * 70) / (0.25 * 0.5 + 1.0)
    assert compromise(t, p)[0] == pytest.approx(want, abs=1e-12)


def test_reference_point_is_one_participant_of_mean_weight() -> None:
    # weights 1 and 3 (equal salience): mean weight 2; rho = 1 -> (0*1 + 100*3 + 20*2) / 6
    t = _table([1, 3], [0, 100], [50, 50], rp=20)
    assert compromise(t)[0] == pytest.approx(340 / 6, abs=1e-12)
    # rho = 3: the status quo weighs 6
    assert compromise(t, CompromiseParams(reference_weight=3))[0] == pytest.approx(
        (300 + 20 * 6) / 10, abs=1e-12
    )


def test_without_a_reference_point_it_is_the_weighted_mean() -> None:
    t = _table([1, 3, 2], [0, 100, 40], [50, 80, 20])
    fc = bargain(t, model="compromise")
    assert fc.forecast.tolist() == pytest.approx(fc.weighted_mean.tolist(), abs=1e-12)


def test_role_weights_apply_to_the_commission_and_the_parliament_only() -> None:
    t = _table([1, 1, 1], [0, 100, 50], [50, 50, 50], actors=("com", "ep", "de"))
    p = CompromiseParams(commission_weight=3, parliament_weight=0.5, reference_weight=0)
    assert compromise(t, p)[0] == pytest.approx((0 * 3 + 100 * 0.5 + 50) / 4.5, abs=1e-12)


def test_zero_salience_actors_carry_no_weight_for_any_exponent() -> None:
    t = _table([1, 1], [0, 100], [0, 50])
    assert compromise(t, CompromiseParams(salience_exponent=0))[0] == 100.0


def test_refusals_are_user_errors() -> None:
    with pytest.raises(BargainingOptionError, match="salience_exponent must be a number"):
        CompromiseParams(salience_exponent=-0.5)
    with pytest.raises(UserError, match="no actor carries weight"):
        compromise(_table([1, 1], [0, 100], [0, 0]))


def test_registered_and_runs_on_the_bundled_sets() -> None:
    from powerbalance.app.bargaining import bundled_forecast

    spec = MODELS["compromise"]
    assert spec.kind == "model" and not spec.stochastic and spec.fit is None
    for name in ("us-russia", "russia-alignment"):
        fc = bundled_forecast(name, model="compromise")
        # the bundled sets have no reference point: the weighted mean
        assert np.allclose(fc.forecast, fc.weighted_mean)


def test_cli_runs_the_model(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    from powerbalance.interfaces.cli.main import main

    code = main(
        ["--store", str(tmp_path / "s.duckdb"), "bargain", "us-russia", "--model", "compromise"]
    )
    assert code == 0
    assert "compromise" in capsys.readouterr().out
