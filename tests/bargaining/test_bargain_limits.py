"""--runs is bounded by LIMITS["bargain.runs"]; actors per model by bargain.actors.pce/eu;
long runs report progress through ProgressReporter."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from powerbalance.app.bargaining import forecast as bargain
from powerbalance.errors import LimitExceeded
from powerbalance.interfaces.cli import bargain as bargain_cli
from powerbalance.interfaces.cli._common import ProgressReporter
from powerbalance.interfaces.cli.main import main
from powerbalance.limits import LIMITS
from powerbalance.theory.bargaining import (
    ActorTable,
    Dimension,
    SpatialModel,
    expected_utility_model,
)


def _table(n: int) -> ActorTable:
    rng = np.random.default_rng(n)
    return ActorTable(
        tuple(f"a{i}" for i in range(n)),
        rng.uniform(1, 10, n),
        rng.uniform(0, 100, (n, 1)),
        rng.uniform(10, 90, (n, 1)),
        (Dimension("x", "x"),),
    )


def test_runs_limit_in_library_and_cli(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    top = LIMITS["bargain.runs"].maximum
    with pytest.raises(LimitExceeded, match=r"bargain\.runs"):
        bargain("us-russia", model="median", runs=top + 1)
    start = time.monotonic()
    rc = main(["--store", str(tmp_path / "s.duckdb"), "bargain", "us-russia", "--runs", "999999"])
    assert rc == 2 and time.monotonic() - start < 5
    err = capsys.readouterr().err
    assert "--runs is 999,999 runs; the limit is 5,000" in err and "'bargain.runs'" in err
    assert main(["--store", str(tmp_path / "s.duckdb"), "bargain", "us-russia", "-n", "-1"]) == 2
    assert "--runs must be at least 0" in capsys.readouterr().err


@pytest.mark.parametrize("model", ["pce", "eu"])
def test_actor_limits_refuse_before_any_work(model: str) -> None:
    limit = LIMITS[f"bargain.actors.{model}"]
    big = _table(limit.maximum + 1)
    start = time.monotonic()
    with pytest.raises(LimitExceeded, match=rf"bargain\.actors\.{model}"):
        bargain(big, model=model)
    with pytest.raises(LimitExceeded):
        if model == "pce":
            SpatialModel(big)
        else:
            expected_utility_model(big)
    assert time.monotonic() - start < 2
    # the baselines are linear in the actors: no limit
    assert bargain(big, model="mean").forecast.shape == (1,)


def test_actor_limit_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    n = LIMITS["bargain.actors.pce"].maximum + 1
    f = tmp_path / "many.csv"
    f.write_text(
        "actor,capability,position,salience\n"
        + "".join(f"a{i},{1 + i % 7},{(7 * i) % 101},{10 + i % 80}\n" for i in range(n))
    )
    assert main(["--store", str(tmp_path / "s.duckdb"), "bargain", str(f), "-m", "pce"]) == 2
    err = capsys.readouterr().err
    assert f"the number of actors for --model pce is {n}" in err and "bargain.actors.pce" in err
    assert main(["--store", str(tmp_path / "s.duckdb"), "bargain", str(f), "-m", "median"]) == 0


def test_limits_document_a_measurement() -> None:
    for key in ("bargain.actors.pce", "bargain.actors.eu"):
        assert "measured" in LIMITS[key].why and "GB" in LIMITS[key].why


def test_runs_report_progress_through_the_reporter(
    tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[float, float | None]] = []

    class Recording(ProgressReporter):
        def __init__(self, what: str, **kw) -> None:
            super().__init__(what, **{**kw, "every": 0.0})

        def update(self, done, total=None, *, what=None) -> None:
            seen.append((done, total))
            super().update(done, total, what=what)

    monkeypatch.setattr(bargain_cli, "ProgressReporter", Recording)
    rc = main(
        [
            "--store",
            str(tmp_path / "s.duckdb"),
            "bargain",
            "russia-alignment",
            "-m",
            "median",
            "--runs",
            "3",
        ]
    )
    assert rc == 0
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert "sensitivity runs: 3/3 (100%)" in capsys.readouterr().err
