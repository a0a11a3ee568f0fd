"""The stacked compromise model: its exact fit, its components' published errors, its validation.

Known values: the README of the DEU III training file (``../shared/data/bargaining/
README.md``, from Thomson et al. 2012's data as blksv/predictioneers_game publishes it)
gives, on its 172 issues with nothing fitted, the capability x salience weighted mean
MAE 24.11 and the unweighted mean of positions 23.72: the two forecasts this model mixes.
"""

from __future__ import annotations

import numpy as np
import pytest

from powerbalance.theory.bargaining.errors import BargainingOptionError
from powerbalance.theory.bargaining.issues import Issue
from powerbalance.theory.bargaining.registry import MODELS
from powerbalance.theory.bargaining.stacked import (
    StackedParams,
    fit,
    fit_weight,
    plain_mean,
    stacked,
)
from powerbalance.theory.bargaining.table import ActorTable, Dimension


def _table(cap, pos, sal) -> ActorTable:
    names = tuple(f"a{i}" for i in range(len(cap)))
    return ActorTable(names, cap, [[p] for p in pos], [[s] for s in sal], (Dimension("x", "x"),))


def test_the_forecast_mixes_the_two_means() -> None:
    t = _table([1, 3, 1], [0, 100, 40], [50, 50, 0])
    # weighted mean: (0*50 + 100*150) / 200 = 75; plain mean (the salience-0 actor counts): 140/3
    assert stacked(t, StackedParams(weight=1.0)).tolist() == pytest.approx([75.0])
    assert stacked(t, StackedParams(weight=0.0)).tolist() == pytest.approx([140 / 3])
    assert plain_mean(t).tolist() == pytest.approx([140 / 3])
    assert stacked(t, StackedParams(weight=0.25))[0] == pytest.approx(0.25 * 75 + 0.75 * 140 / 3)


@pytest.mark.parametrize("seed", range(20))
def test_the_weight_is_the_exact_least_absolute_deviations_fit(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 40))
    weighted, plain, outcome = rng.uniform(0, 1, (3, n))
    w = fit_weight(weighted, plain, outcome)
    assert 0.0 <= w <= 1.0

    def loss(x: float) -> float:
        return float(np.abs(outcome - plain - x * (weighted - plain)).sum())

    grid = np.linspace(0, 1, 2001)
    assert loss(w) <= min(loss(x) for x in grid) + 1e-9


def test_a_weight_outside_zero_one_is_refused() -> None:
    with pytest.raises(BargainingOptionError, match="weight must be a number from 0 to 1"):
        StackedParams(weight=1.5)


def test_fit_refuses_no_issues_and_bad_outcomes() -> None:
    with pytest.raises(BargainingOptionError, match="at least one issue"):
        fit([])
    t = _table([1, 1], [0, 100], [50, 50])
    with pytest.raises(BargainingOptionError, match="not a number"):
        fit([Issue("i1", "p1", t, (float("nan"),))])
    with pytest.raises(BargainingOptionError, match="outcome value"):
        fit([Issue("i1", "p1", t, (1.0, 2.0))])


def test_the_registry_runs_and_fits_it() -> None:
    spec = MODELS["stacked"]
    assert spec.fit is not None and spec.kind == "model"
    t = _table([1, 3], [0, 100], [50, 50])
    issues = [Issue(f"i{k}", f"p{k}", t, (60.0,)) for k in range(3)]
    params = spec.fit(issues)
    # outcome 60 between the plain mean 50 and the weighted mean 75: weight 10/25
    assert params.weight == pytest.approx(0.4)
    assert spec.run(t, params).forecast.tolist() == pytest.approx([60.0])


# --- DEU III training issues (skipped without ../shared) ------------------------------


def _deu(shared_file) -> list[Issue]:
    from powerbalance.theory.bargaining.validation import load_issues

    return load_issues(shared_file("bargaining/deu3_train.tsv")).issues


def test_its_components_reproduce_the_published_errors(shared_file) -> None:
    issues = _deu(shared_file)
    out = np.array([i.outcome[0] for i in issues])
    wm = np.array([stacked(i.table, StackedParams(weight=1.0))[0] for i in issues])
    pm = np.array([stacked(i.table, StackedParams(weight=0.0))[0] for i in issues])
    assert np.abs(wm - out).mean() == pytest.approx(24.11, abs=0.005)
    assert np.abs(pm - out).mean() == pytest.approx(23.72, abs=0.005)


def test_the_default_weight_is_the_fit_on_the_whole_training_file(shared_file) -> None:
    assert fit(_deu(shared_file)).weight == pytest.approx(StackedParams().weight, abs=5e-4)


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_it_beats_the_weighted_mean_out_of_sample_whatever_the_folds(shared_file, seed) -> None:
    from powerbalance.theory.bargaining.validation import cross_validate

    v = cross_validate(_deu(shared_file), models=["mean", "stacked"], folds=5, seed=seed)
    assert v.scores["stacked"].mae < v.scores["mean"].mae
