"""Capabilities of 1e307: capability x salience overflowed and weighted_median raised IndexError."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from powerbalance.interfaces.cli.main import main
from powerbalance.theory.bargaining import (
    ActorTable,
    Dimension,
    bargain,
    expected_utility_model,
    spatial_model,
    weighted_mean,
    weighted_median,
)

DIM = (Dimension("x", "x"),)


def _table(cap: list[float]) -> ActorTable:
    return ActorTable(("a", "b", "c"), cap, [[20], [80], [50]], [[50], [40], [50]], DIM)


@pytest.mark.parametrize("top", [1e307, 1.7e308, 1e-320])
def test_baselines_equal_those_of_the_scaled_table(top: float) -> None:
    """Only ratios of capabilities matter: 1e307 and 1e-320 give the same as 1."""
    big = _table([top, top, top / 4])
    small = _table([1.0, 1.0, 0.25])
    assert weighted_median(big).tolist() == weighted_median(small).tolist() == [50.0]
    np.testing.assert_allclose(weighted_mean(big), weighted_mean(small), rtol=1e-12)


def test_models_stay_finite_with_extreme_capabilities() -> None:
    big, small = _table([1e307, 1e307, 1.0]), _table([1.0, 1.0, 1e-307])
    np.testing.assert_allclose(
        expected_utility_model(big).forecast(), expected_utility_model(small).forecast()
    )
    fc = spatial_model(big).forecast()
    assert np.all(np.isfinite(fc)) and 20 <= fc[0] <= 80
    sens = bargain(_table([1.7e308, 1e308, 1e300]), model="pce", runs=4, seed=1).sensitivity
    assert sens is not None and np.all(np.isfinite(sens.forecasts))


def test_cli_with_capability_1e307(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    f = tmp_path / "big.csv"
    f.write_text("actor,capability,position,salience\nA,1e307,20,50\nB,1e307,80,40\nC,1,50,50\n")
    for model in ("median", "mean", "eu", "pce"):
        rc = main(["--store", str(tmp_path / "s.duckdb"), "bargain", str(f), "-m", model, "--json"])
        out = capsys.readouterr()
        assert rc == 0, out.err
        data = json.loads(out.out)
        assert data["baselines"]["weighted_median"] == [20.0]
        assert all(np.isfinite(data["forecast"]))


def test_cli_refuses_capability_beyond_double(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    f = tmp_path / "inf.csv"
    f.write_text("actor,capability,position,salience\nA,1e309,20,50\nB,1,80,40\n")
    assert main(["--store", str(tmp_path / "s.duckdb"), "bargain", str(f)]) == 2
    assert "line 2, field 'capability'" in capsys.readouterr().err
