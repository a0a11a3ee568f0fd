"""A model that stops at its round limit without converging says so (converged: false)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from powerbalance.app.bargaining import load_actor_set
from powerbalance.interfaces.cli.main import main
from powerbalance.theory.bargaining import (
    ActorTable,
    Dimension,
    EUParams,
    SpatialParams,
    bargain,
    expected_utility_model,
    spatial_model,
)

# found by search: the expected-utility model cycles on this table for 20 rounds
CYCLING = ActorTable(
    tuple("abcde"),
    [5, 5, 7, 9, 1],
    [[14], [83], [95], [25], [31]],
    [[88], [48], [34], [84], [33]],
    (Dimension("x", "x"),),
)


# the cycling table and the sets below are found with the published win-probability formula
PUBLISHED = EUParams(win_probability="published")


def test_eu_reports_non_convergence() -> None:
    res = expected_utility_model(CYCLING, PUBLISHED)
    assert res.converged == [False] and len(res.rounds[0]) == 20
    assert res.last_move[0] > EUParams().tol
    (warning,) = res.warnings()
    assert "did not converge" in warning and "20 rounds" in warning


def test_eu_converged_run_has_no_warning() -> None:
    res = expected_utility_model(load_actor_set("us-russia"), PUBLISHED)
    assert res.converged == [True] and res.warnings() == []


def test_spatial_reports_non_convergence() -> None:
    t = load_actor_set("us-russia")
    short = spatial_model(t, SpatialParams(min_iter=1, max_iter=1))
    assert short.converged is False and "did not converge" in short.warnings()[0]
    assert spatial_model(t).converged is True


def test_forecast_carries_converged() -> None:
    assert bargain(CYCLING, model="eu", eu=PUBLISHED).converged is False
    assert bargain(CYCLING, model="median").converged is None


def test_cli_text_and_json_warn(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    store = ["--store", str(tmp_path / "s.duckdb")]
    assert main([*store, "bargain", "russia-alignment", "--model", "eu"]) == 0
    out = capsys.readouterr().out
    assert "warning: the expected-utility model did not converge" in out
    assert main([*store, "bargain", "russia-alignment", "--model", "eu", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["converged"] is False and "did not converge" in data["warnings"][0]
    assert (
        main(
            [*store, "bargain", "us-russia", "-m", "eu", "--win-probability", "published", "--json"]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["converged"] is True and data["warnings"] == []
