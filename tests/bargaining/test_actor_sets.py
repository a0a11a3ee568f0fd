"""The bundled actor sets of the second article, their evidence, baselines and sensitivity."""

from __future__ import annotations

import numpy as np
import pytest

from powerbalance.app.bargaining import actor_sets, load_actor_set
from powerbalance.app.bargaining import forecast as bargain
from powerbalance.evidence import Claim, Stance, load_corpus
from powerbalance.theory.bargaining import (
    Spread,
    UnknownActorSet,
    perturb,
)

US = {
    "trump",
    "vance",
    "rubio",
    "hegseth",
    "graham",
    "us.neocons",
    "us.restrainers",
    "us.maga_core",
    "us.christian_right",
    "carlson",
    "bannon",
    "thiel",
    "musk",
    "yarvin",
    "us.congress",
}
RU = {"putin", "ru.realists", "ru.civilizationists", "ru.global_south", "ru.energy_sector"}


def test_sets_hold_the_articles_actors() -> None:
    assert actor_sets() == ["russia-alignment", "us-russia"]
    assert set(load_actor_set("us-russia").actors) == US
    assert set(load_actor_set("russia-alignment").actors) == RU
    us = load_actor_set("us-russia").dimensions[0]
    assert (us.low_label, us.high_label) == ("containment", "strategic partnership")
    ru = load_actor_set("russia-alignment").dimensions[0]
    assert (ru.low_label, ru.high_label) == ("China first", "rapprochement with the US")


@pytest.mark.parametrize("name", ["us-russia", "russia-alignment"])
def test_every_number_is_a_judgement_resting_on_the_corpus(name: str) -> None:
    """Each capability, position and salience has a one-line rationale and a
    claim or stance id that resolves in the bundled corpus; actor ids exist too."""
    table = load_actor_set(name)
    evidence = load_corpus()
    for a in table.actors:
        evidence.actor(a)
        for fld, dim in (
            ("capability", None),
            ("position", table.dimensions[0].id),
            ("salience", table.dimensions[0].id),
        ):
            j = table.judgements[(a, fld, dim)]
            assert j.why and "\n" not in j.why
            record = evidence.get(j.ref)
            assert isinstance(record, (Claim, Stance)), j.ref
            assert j.low is not None and j.low <= j.value <= j.high


@pytest.mark.parametrize("name", ["us-russia", "russia-alignment"])
@pytest.mark.parametrize("model", ["mean", "median", "eu", "pce"])
def test_sets_run_with_baselines(name: str, model: str) -> None:
    fc = bargain(name, model=model)
    d = fc.table.dimensions[0]
    assert d.low <= fc.forecast[0] <= d.high
    assert (
        d.low <= fc.weighted_mean[0] <= d.high and fc.weighted_median[0] in fc.table.position[:, 0]
    )
    assert fc.path.shape[1:] == (fc.table.n_actors, 1)
    out = fc.to_dict()
    assert out["baselines"]["weighted_mean"] == fc.weighted_mean.tolist()


def test_sensitivity_reproducible_and_within_ranges() -> None:
    a = bargain("russia-alignment", model="pce", runs=8, seed=11)
    b = bargain("russia-alignment", model="pce", runs=8, seed=11)
    np.testing.assert_array_equal(a.sensitivity.forecasts, b.sensitivity.forecasts)
    c = bargain("russia-alignment", model="pce", runs=8, seed=12)
    assert not np.array_equal(a.sensitivity.forecasts, c.sensitivity.forecasts)
    s = a.sensitivity.summary()
    assert s["forecast"]["q05"][0] <= s["forecast"]["q50"][0] <= s["forecast"]["q95"][0]
    table = load_actor_set("russia-alignment")
    rng = np.random.default_rng(0)
    for _ in range(20):
        t = perturb(table, rng, Spread())
        for (actor, fld, _dim), j in table.judgements.items():
            i = table.actors.index(actor)
            v = t.capability[i] if fld == "capability" else getattr(t, fld)[i, 0]
            assert j.low - 1e-9 <= v <= j.high + 1e-9


def test_overrides_reach_the_forecast() -> None:
    base = bargain("us-russia", model="mean")
    moved = bargain("us-russia", model="mean", overrides=["trump.position=0"])
    assert moved.forecast[0] < base.forecast[0]


def test_unknown_set() -> None:
    with pytest.raises(UnknownActorSet, match="us-russia"):
        bargain("us-rusia")
