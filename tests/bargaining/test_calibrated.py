"""The calibrated compromise model (issue 17, part 3): fitting, recovery, honest validation."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from powerbalance.theory.bargaining import MODELS, BargainingOptionError
from powerbalance.theory.bargaining.calibrated import (
    CalibratedParams,
    calibrated,
    choose_design,
    fit,
)
from powerbalance.theory.bargaining.issues import Issue
from powerbalance.theory.bargaining.table import ActorTable, Dimension

DIM = (Dimension("x", "x"),)
TRUE = CalibratedParams(
    capability_exponent=0.5,
    salience_exponent=1.5,
    reference_weight=3.0,
    commission_weight=2.0,
    parliament_weight=0.5,
)


def _synthetic(n_issues: int = 80, seed: int = 3, params: CalibratedParams = TRUE) -> list[Issue]:
    """Issues whose outcome is the model's own forecast under ``params``."""
    rng = np.random.default_rng(seed)
    issues = []
    for k in range(n_issues):
        n = int(rng.integers(5, 12))
        actors = ("com", "ep", *(f"m{i}" for i in range(n - 2)))
        cap = rng.uniform(0.5, 10.0, n)
        pos = rng.choice([0.0, 25.0, 50.0, 75.0, 100.0], n)
        sal = rng.uniform(10.0, 100.0, n)
        rp = None if k % 4 == 0 else np.array([float(rng.choice([0.0, 50.0, 100.0]))])
        t = ActorTable(actors, cap, pos[:, None], sal[:, None], DIM, reference_point=rp)
        out = float(calibrated(t, params)[0])
        issues.append(Issue(f"i{k}", f"p{k // 2}", t, (out,)))
    return issues


def test_fit_recovers_the_parameters_that_generated_the_outcomes() -> None:
    got = fit(_synthetic(), design="roles", bags=1)
    assert got.capability_exponent == pytest.approx(0.5, abs=0.02)
    assert got.salience_exponent == pytest.approx(1.5, abs=0.02)
    assert got.reference_weight == pytest.approx(3.0, rel=0.02)
    assert got.commission_weight == pytest.approx(2.0, rel=0.02)
    assert got.parliament_weight == pytest.approx(0.5, rel=0.02)


def test_bagged_fit_recovers_them_too() -> None:
    got = fit(_synthetic(), design="roles")
    assert got.capability_exponent == pytest.approx(0.5, abs=0.02)
    assert got.salience_exponent == pytest.approx(1.5, abs=0.02)
    assert got.reference_weight == pytest.approx(3.0, rel=0.02)


def test_fit_is_deterministic_and_the_inner_cv_finds_the_role_weights() -> None:
    issues = _synthetic(40, seed=5)
    assert fit(issues) == fit(issues)
    # the outcomes were made with Commission and Parliament weights: the design that has
    # them wins; without procedures in the tables, per-procedure weights are no candidate
    assert choose_design(issues) == "roles"
    plain = _synthetic(40, seed=5, params=CalibratedParams(1.0, 1.0, 0.5, 1.0, 1.0))
    assert choose_design(plain) == "exponents"


def _with_procedure(issues: list[Issue], procedure: str) -> list[Issue]:
    return [
        Issue(
            f"{i.id}{procedure}",
            f"{i.proposal}{procedure}",
            replace(i.table, context={"procedure": procedure}),
            i.outcome,
        )
        for i in issues
    ]


def test_per_procedure_role_weights_are_fitted_and_used() -> None:
    cod = CalibratedParams(0.5, 1.5, 1.0, commission_weight=4.0, parliament_weight=4.0)
    cns = CalibratedParams(0.5, 1.5, 1.0, commission_weight=0.25, parliament_weight=0.25)
    issues = _with_procedure(_synthetic(30, seed=7, params=cod), "COD")
    issues += _with_procedure(_synthetic(30, seed=8, params=cns), "CNS")
    assert choose_design(issues) == "procedure"
    got = fit(issues, design="procedure", bags=1)
    assert got.cod_commission_weight == pytest.approx(4.0, rel=0.05)
    assert got.cns_parliament_weight == pytest.approx(0.25, rel=0.05)
    # a table without procedure uses the geometric mean of the two
    assert got.commission_weight == pytest.approx(1.0, rel=0.05)
    for issue in issues[:3] + issues[-3:]:
        assert calibrated(issue.table, got)[0] == pytest.approx(issue.outcome[0], abs=0.2)


def test_fit_refuses_what_it_cannot_use() -> None:
    with pytest.raises(BargainingOptionError, match="at least one issue"):
        fit([])
    t = ActorTable(("a", "b"), [1, 1], [[0], [100]], [[50], [50]], DIM)
    with pytest.raises(BargainingOptionError, match="not a number"):
        fit([Issue("i", "p", t, (float("nan"),))])
    with pytest.raises(BargainingOptionError, match="outcome value"):
        fit([Issue("i", "p", t, (1.0, 2.0))])
    with pytest.raises(BargainingOptionError, match="design must be"):
        fit([Issue("i", "p", t, (50.0,))], design="everything")  # type: ignore[arg-type]
    with pytest.raises(BargainingOptionError, match="bags must be"):
        fit([Issue("i", "p", t, (50.0,))], bags=0)
    with pytest.raises(BargainingOptionError, match="cod_parliament_weight"):
        CalibratedParams(cod_parliament_weight=-1.0)


def test_registered_with_fit_and_runs_without_roles_or_reference_point() -> None:
    from powerbalance.app.bargaining import bundled_forecast

    spec = MODELS["calibrated"]
    assert spec.fit is fit and spec.params_type is CalibratedParams and not spec.stochastic
    assert spec.default_params() == CalibratedParams()
    for name in ("us-russia", "russia-alignment"):
        fc = bundled_forecast(name, model="calibrated")
        lo, hi = fc.table.position.min(axis=0), fc.table.position.max(axis=0)
        assert np.all(fc.forecast >= lo) and np.all(fc.forecast <= hi)


def test_cli_runs_the_model(capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    from powerbalance.interfaces.cli.main import main

    store = str(tmp_path / "s.duckdb")
    assert main(["--store", store, "bargain", "us-russia", "--model", "calibrated"]) == 0
    assert "calibrated" in capsys.readouterr().out


# --- DEU III training issues (skipped without ../shared) ------------------------------

#: 5-fold cross-validation grouped by proposal, seed 0 (``bargain validate``'s defaults)
DEU_CV_MAE = {
    "mean": 24.114,
    "compromise": 24.330,
    "nash": 24.559,
    "calibrated": 24.459,
    "stacked": 23.911,
}


def _deu_validation(shared_file):
    from powerbalance.theory.bargaining.validation import cross_validate, load_issues

    issues = load_issues(shared_file("bargaining/deu3_train.tsv")).issues
    assert len(issues) == 172
    # the DEU reader puts the procedure on the table, where the model can read it
    assert {i.table.context["procedure"] for i in issues} == {"COD", "CNS"}
    return cross_validate(issues, models=list(DEU_CV_MAE), folds=5, seed=0)


def test_deu_cross_validated_errors(shared_file) -> None:
    v = _deu_validation(shared_file)
    for name, want in DEU_CV_MAE.items():
        # the fixed models to the rounding; the fitted one within what the optimiser may
        # move on another platform
        tol = 0.3 if name == "calibrated" else 0.01
        assert v.scores[name].mae == pytest.approx(want, abs=tol), name
        assert v.scores[name].refused == 0


def test_a_model_beats_the_weighted_mean_out_of_sample(shared_file) -> None:
    v = _deu_validation(shared_file)
    best = min(v.scores[name].mae for name in DEU_CV_MAE if name != "mean")
    assert best < v.scores["mean"].mae
