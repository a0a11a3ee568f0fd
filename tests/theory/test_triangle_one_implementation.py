"""The strategic triangle and balance dynamics are written once (theory layer, array-first),
with one set of labels and one constant for the triangle's actors."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import numpy as np
import pytest

import powerbalance
from powerbalance import actors
from powerbalance.theory import dynamics as dyn
from powerbalance.theory import triangle as tri

SRC = Path(powerbalance.__file__).parent


@pytest.mark.parametrize(
    "name", ["powerbalance.scenarios.triangle", "powerbalance.scenarios.dynamics"]
)
def test_the_scenario_copies_are_gone(name: str) -> None:
    module = SRC.joinpath(*name.split(".")[1:])  # powerbalance.a.b -> SRC/a/b
    assert not module.with_suffix(".py").exists()
    assert not module.is_dir()


def test_monte_carlo_and_the_command_share_the_labels() -> None:
    from powerbalance.scenarios import montecarlo, plots, transmission

    assert montecarlo.tri is tri and transmission.tri is tri and transmission.dyn is dyn
    assert plots.CONFIGURATIONS is tri.CONFIGURATIONS
    assert tri.CONFIGURATIONS == (
        "unit_veto",
        "stable_marriage",
        "romantic_triangle",
        "menage_a_trois",
    )
    assert tri.ROLE_SCORES == {
        "pivot": 3,
        "partner": 1,
        "friend": 1,
        "wing": -1,
        "foe": -1,
        "outcast": -3,
    }
    # Every configuration the one-triangle reading can give is a label of the arrays.
    names = set()
    for signs in itertools.product((-1, 1), repeat=3):
        ties = [(a, b, s) for (a, b), s in zip(actors.TRIANGLE_TIES, signs, strict=True)]
        reading = tri.strategic_triangle(ties)
        names.add(reading.configuration)
        assert set(reading.roles.values()) <= set(tri.ROLES)
    assert names == {tri.configuration_name(c) for c in range(4)}


def test_one_reading_is_one_batch_of_the_array_functions(monkeypatch: pytest.MonkeyPatch) -> None:
    """The scalar API runs the array code once: the triangle and its six moves, seven rows."""
    shapes = []
    original = tri.role_codes

    def spy(signs: np.ndarray) -> np.ndarray:
        shapes.append(np.shape(signs))
        return original(signs)

    monkeypatch.setattr(tri, "role_codes", spy)
    reading = tri.strategic_triangle([("RUS", "CHN", 1), ("USA", "RUS", -1), ("USA", "CHN", -1)])
    assert shapes == [(7, 3)]
    assert reading.roles == {"RUS": "partner", "CHN": "partner", "USA": "outcast"}
    assert len(reading.moves) == 6


def test_weighted_arithmetic_keeps_its_known_values() -> None:
    """Dittmer's score, weighted: S_RUS = 0.33 + 0.74 - (-1.0) = 2.07 (romantic triangle)."""
    reading = tri.strategic_triangle(
        [("USA", "RUS", 1, 0.33), ("USA", "CHN", -1, 1.0), ("RUS", "CHN", 1, 0.74)],
        weighted=True,
    )
    assert reading.configuration == "romantic triangle"
    assert reading.scores == {"USA": pytest.approx(-1.41), "RUS": 2.07, "CHN": pytest.approx(-0.59)}
    assert reading.arithmetic["RUS"] == (
        "+0.33 (RUS-USA amity) +0.74 (RUS-CHN amity) +1 (USA-CHN hostile) = +2.07 (pivot)"
    )
    assert reading.dynamics is not None
    assert (reading.dynamics.first_flip.a, reading.dynamics.first_flip.b) == ("USA", "RUS")


def test_dynamics_of_a_triangle_use_the_array_tie_order() -> None:
    w = np.array([0.33, -1.0, 0.74])
    x = dyn.triangle_matrix(w)
    assert x.tolist() == [[0.0, 0.33, -1.0], [0.33, 0.0, 0.74], [-1.0, 0.74, 0.0]]
    assert 1 / float(dyn.leading_eigenvalue(w)) == pytest.approx(0.908, abs=5e-4)
    out = dyn.flips(w[None])
    assert int(out["first"][0]) == 0  # USA-RUS flips first
    one = dyn.balance_dynamics(x, actors=actors.TRIANGLE)
    assert one.first_flip is not None and (one.first_flip.a, one.first_flip.b) == ("USA", "RUS")
    assert float(out["time"][0] * out["blowup"][0]) == pytest.approx(one.first_flip.time, rel=1e-6)
    assert one.first_flip.time == pytest.approx(0.4459, abs=5e-4)


def test_one_constant_for_the_triangles_actors() -> None:
    from powerbalance.app import pages
    from powerbalance.interfaces import figures
    from powerbalance.relations import events, evidence, unvotes
    from powerbalance.scenarios import schema

    assert actors.TRIANGLE == ("USA", "RUS", "CHN")
    for module in (evidence, unvotes, events, pages, schema):
        assert module.TRIANGLE is actors.TRIANGLE
    assert schema.TIES is actors.TRIANGLE_TIES
    assert figures.TIES == ("USA–RUS", "USA–CHN", "RUS–CHN")
    assert tri.evidence_triangle.__kwdefaults__["actors"] is actors.TRIANGLE


def test_no_module_spells_the_triangle_out_again() -> None:
    # A tuple or list of exactly the triangle's three ids, in its order.
    spelled = re.compile(r"""[(\[]\s*["']USA["'],\s*["']RUS["'],\s*["']CHN["']\s*[)\]]""")
    found = [
        f"{path.relative_to(SRC)}:{n}"
        for path in sorted(SRC.rglob("*.py"))
        if path.name != "actors.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if spelled.search(line) and not line.lstrip().startswith(">>>")
    ]
    assert found == []
