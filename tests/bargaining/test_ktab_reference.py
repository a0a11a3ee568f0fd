"""Known values: KTAB's reference run of the SOE policy/competition scenario.

The reference is KAPSARC's own log of ``smpc`` 0.1 on ``SOE-Pol-Comp.csv``
(KTAB repository, ``examples/smp/doc/20170530_ref-SOE-Pol-Comp.txt``; 13 actors,
2 dimensions, parameters Linear / Prop / Conditional / Deterministic / Mid /
OneThird / SemiCommit / S2P2 / InitOnlyInterp). Every comparison is to the
log's printed precision.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from powerbalance.theory.bargaining import SpatialModel, read_table

pytestmark = pytest.mark.shared_data

N = 13


def _rows(lines: list[str], start: int, n: int) -> np.ndarray:
    return np.array([[float(x) for x in lines[start + k].split()] for k in range(n)])


def parse_log(path: Path) -> dict:
    lines = path.read_text(encoding="utf-8").splitlines()
    out: dict = {
        "raw": [],
        "risk": [],
        "objective": [],
        "estimates": [],
        "targets": [],
        "bargains": [],
    }
    turn = -1
    for k, line in enumerate(lines):
        s = line.strip()
        if s.startswith("Starting Model::run iteration"):
            turn += 1
            out["targets"].append({})
            out["bargains"].append({})
        elif s.startswith("Raw actor-pos value matrix"):
            out["raw"].append(_rows(lines, k + 1, N))
        elif s.startswith("Inferred risk attitudes"):
            out["risk"].append(_rows(lines, k + 1, N)[:, 0])
        elif s.startswith("Risk-aware actor-pos utility matrix (objective)"):
            out["objective"].append(_rows(lines, k + 1, N))
            out["estimates"].append([])
        elif s.startswith("Estimate by"):
            out["estimates"][-1].append(_rows(lines, k + 1, N))
        elif m := re.match(
            r"In turn (\d+) actor (\d+) has most advantageous target (\d+) worth (\S+)", s
        ):
            out["targets"][turn][int(m[2])] = (int(m[3]), float(m[4]))
        elif m := re.match(r"Bargain \[\d+, *(\d+): *(\d+)\] from +(\d+)'s perspective", s):
            i, j, persp = int(m[1]), int(m[2]), int(m[3])
            if persp == i:
                bi = [float(x) for x in lines[k + 1].split("adopt:")[1].split()]
                bj = [float(x) for x in lines[k + 2].split("adopt:")[1].split()]
                out["bargains"][turn][i] = (j, bi, bj)
        elif s.startswith("There were"):
            out["n_states"] = int(s.split()[2])
        elif s.startswith("History of actor positions"):
            pos = {}
            for ln in lines[k + 1 : k + 1 + 2 * N]:
                name, rest = ln.split(",", 1)
                _dim, vals = rest.split(":", 1)
                pos.setdefault(name.strip(), []).append([float(x) for x in vals.split()])
            out["positions"] = pos
        elif s.startswith("History of actors' winning probabilities"):
            prob = {}
            for ln in lines[k + 1 : k + 1 + N]:
                name, vals = ln.split(":", 1)
                prob[name.split(",")[0].strip()] = [float(x) for x in vals.split()]
            out["probabilities"] = prob
    return out


@pytest.fixture(scope="module")
def reference(shared_data: Path) -> dict:
    log = shared_data / "bargaining" / "ktab_20170530_ref-SOE-Pol-Comp.txt"
    if not log.exists():
        pytest.skip("the KTAB reference log is absent")
    return parse_log(log)


@pytest.fixture(scope="module", params=["numba", "numpy"])
def run(shared_data: Path, request):
    """The run with the compiled kernels and with the plain numpy code."""
    csv = shared_data / "bargaining" / "ktab_SOE-Pol-Comp.csv"
    if not csv.exists():
        pytest.skip("the KTAB SOE input is absent")
    if request.param == "numba":
        pytest.importorskip("numba")
    return SpatialModel(read_table(csv), seed=0, engine=request.param).run()


def _within(ours: np.ndarray, printed: np.ndarray, decimals: int) -> None:
    tol = 0.5 * 10.0**-decimals + 1e-9
    np.testing.assert_array_less(np.abs(np.asarray(ours) - np.asarray(printed)), tol)


def test_first_turn_inferred_risk_attitudes(reference, run) -> None:
    """KTAB log, turn 0, 'Inferred risk attitudes' (3 decimals)."""
    _within(run.turns[0].risk, reference["risk"][0], 3)


def test_first_turn_utility_matrices(reference, run) -> None:
    """KTAB log, turn 0: risk-neutral values (3 decimals), the objective risk-aware
    matrix and every actor's estimate of it (4 decimals)."""
    t0 = run.turns[0]
    _within(t0.risk_neutral_utility, reference["raw"][0], 3)
    _within(t0.utility, reference["objective"][0], 4)
    assert len(reference["estimates"][0]) == N
    for h in range(N):
        _within(t0.perspectives[h], reference["estimates"][0][h], 4)


def test_first_turn_targets_and_bargains(reference, run) -> None:
    """KTAB log, turn 0: each actor's most advantageous target and its worth (3
    decimals), and the bargain it proposes (positions to 3 decimals)."""
    t0 = run.turns[0]
    ours = {i: (j, edu) for i, j, _, edu in t0.targets}
    assert set(ours) == set(reference["targets"][0])
    for i, (j, worth) in reference["targets"][0].items():
        assert ours[i][0] == j
        assert abs(ours[i][1] - worth) <= 0.0005 + 1e-9
    bargains = {b[0]: b for b in t0.bargains}
    for i, (j, bi, bj) in reference["bargains"][0].items():
        assert bargains[i][1] == j
        _within(bargains[i][2] * 100, bi, 3)
        _within(bargains[i][3] * 100, bj, 3)


def test_every_turn_matches(reference, run) -> None:
    """KTAB log, all 28 states: risk attitudes (3 decimals), objective utilities
    and all 13 perspectives (4 decimals), targets of every turn."""
    assert len(run.turns) == reference["n_states"] == 28
    for t, turn in enumerate(run.turns):
        _within(turn.risk, reference["risk"][t], 3)
        _within(turn.utility, reference["objective"][t], 4)
        for h in range(N):
            _within(turn.perspectives[h], reference["estimates"][t][h], 4)
    for t in range(len(run.turns) - 1):
        ours = {i: j for i, j, _, _ in run.turns[t].targets}
        assert ours == {i: j for i, (j, _) in reference["targets"][t].items()}


def test_history_of_positions_and_probabilities(reference, run) -> None:
    """KTAB log, 'History of actor positions over time' (1 decimal) and 'History
    of actors' winning probabilities' (4 decimals): 28 states in 27 steps."""
    assert run.n_steps == 27
    pos = run.positions()
    prob = run.probabilities()
    for i, name in enumerate(run.table.actors):
        for k in range(2):
            _within(pos[:, i, k], reference["positions"][name][k], 1)
        _within(prob[:, i], reference["probabilities"][name], 4)


def test_stopping_ratio_matches_log(run) -> None:
    """KTAB log: 'Fractional change compared to first step: 0.0083 (target=0.0200)'."""
    assert round(run.stop_ratio, 4) == 0.0083
