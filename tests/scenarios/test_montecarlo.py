"""Monte Carlo: seeds replay exactly, chunks and processes do not change results, sampling is right."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powerbalance.evidence import load_corpus
from powerbalance.scenarios.montecarlo import draw_inputs, run_scenario, sample
from powerbalance.scenarios.schema import Distribution, bundled_names, load_scenario, parse_scenario
from powerbalance.scenarios.transmission import weighted_forecasts

CORPUS = load_corpus()


@pytest.mark.parametrize("name", bundled_names())
def test_each_bundled_scenario_runs_and_replays_from_its_seed(name: str) -> None:
    s = load_scenario(name)
    a = run_scenario(s, CORPUS, draws=3000, model_draws=20)
    b = run_scenario(s, CORPUS, draws=3000, model_draws=20)
    assert a.digest() == b.digest()
    assert a.seed == s.montecarlo.seed
    conf = a.summary["configuration"]
    assert sum(conf["shocked"].values()) == pytest.approx(1.0)
    assert conf["base"]["stable_marriage"] == 1.0
    if "bargaining" in s.models.run:
        # the bargaining module's models ran on the subsample too
        barg = a.summary["bargaining"]
        assert barg["model_draws"] == 20 and barg["pce"]["draws"] == 20
        assert np.isfinite(a.arrays["forecast_pce"]).all()


def test_a_different_seed_gives_different_draws() -> None:
    s = load_scenario("reverse-kissinger")
    assert (
        run_scenario(s, CORPUS, draws=500, seed=1, model_draws=5).digest()
        != run_scenario(s, CORPUS, draws=500, seed=2, model_draws=5).digest()
    )


def test_chunking_and_processes_do_not_change_the_result() -> None:
    s = load_scenario("reverse-kissinger")
    one = run_scenario(s, CORPUS, draws=4000, seed=5, model_draws=12)
    chunked = run_scenario(s, CORPUS, draws=4000, seed=5, chunk=777, model_draws=12)
    parallel = run_scenario(s, CORPUS, draws=4000, seed=5, chunk=1000, workers=2, model_draws=12)
    assert one.digest() == chunked.digest() == parallel.digest()
    assert len(one.arrays["forecast_pce"]) == 12


def test_progress_is_reported_per_chunk() -> None:
    seen = []
    run_scenario(
        load_scenario("china-cuts-oil"),
        CORPUS,
        draws=2500,
        chunk=1000,
        progress=lambda d, n: seen.append((d, n)),
    )
    assert seen == [(1000, 2500), (2000, 2500), (2500, 2500)]


def test_reverse_kissinger_makes_russia_the_likely_pivot() -> None:
    r = run_scenario(load_scenario("reverse-kissinger"), CORPUS, draws=5000, model_draws=10)
    roles = r.summary["roles"]["RUS"]["shocked"]
    assert roles["pivot"] == pytest.approx(
        r.summary["configuration"]["shocked"]["romantic_triangle"]
    )
    assert 0.3 < roles["pivot"] < 1.0
    # the bargaining forecast moves towards rapprochement when the tie warms
    b = r.summary["bargaining"]["weighted_mean"]
    assert b["shocked"]["p50"] > b["base"]["p50"]


def test_china_cuts_oil_lowers_chinas_share_of_russian_trade() -> None:
    r = run_scenario(load_scenario("china-cuts-oil"), CORPUS, draws=2000)
    share = r.summary["shares"]["RUS<-CHN"]
    assert share["shocked"]["p95"] < share["base"]["p05"] == pytest.approx(0.34)


def test_central_inputs_use_each_distributions_mean() -> None:
    s = parse_scenario(
        'name = "c"\ntitle = "c"\n[parameters]\n'
        'tie_stance_weight = {dist = "triangular", low = 1, mode = 2, high = 3}\n'
        'energy_redirect_fraction = {dist = "beta", a = 1, b = 3, low = 0, high = 0.8}\n'
    )
    p, _ = draw_inputs(s, 4, 0, central=True)
    assert p["tie_stance_weight"].tolist() == [2.0] * 4
    assert p["energy_redirect_fraction"][0] == pytest.approx(0.2)


@pytest.mark.parametrize(
    ("dist", "mean"),
    [
        (Distribution(dist="uniform", low=2, high=4), 3.0),
        (Distribution(dist="triangular", low=0, mode=3, high=3), 2.0),
        (Distribution(dist="beta", a=2, b=6, low=10, high=20), 12.5),
        (Distribution(dist="normal", mean=1, sd=2), 1.0),
    ],
)
def test_sampled_means(dist: Distribution, mean: float) -> None:
    x = sample(dist, 200_000, np.random.default_rng(0))
    assert x.mean() == pytest.approx(mean, abs=0.02)


@settings(max_examples=30, deadline=None)
@given(
    mean=st.floats(-5, 5),
    sd=st.floats(0.01, 5),
    width=st.floats(0.01, 3),
    seed=st.integers(0, 2**32 - 1),
)
def test_truncated_normal_stays_in_its_bounds(
    mean: float, sd: float, width: float, seed: int
) -> None:
    d = Distribution(dist="normal", mean=mean, sd=sd, low=mean - width, high=mean + width / 2)
    x = sample(d, 500, np.random.default_rng(seed))
    assert x.min() >= mean - width and x.max() <= mean + width / 2


def test_vectorised_forecasts_agree_with_the_bargaining_baselines() -> None:
    """Same rule as powerbalance.theory.bargaining.baselines, draw by draw."""
    from powerbalance.theory.bargaining.baselines import weighted_mean, weighted_median
    from powerbalance.theory.bargaining.table import ActorTable, Dimension

    rng = np.random.default_rng(4)
    cap = np.array([100.0, 30, 30, 20, 40])
    sal = np.array([80.0, 60, 70, 50, 60])
    pos = rng.uniform(0, 100, (50, 5))
    pos[:5] = np.round(pos[:5] / 25) * 25  # ties in positions
    mean, median = weighted_forecasts(pos, cap, sal)
    for k in range(len(pos)):
        t = ActorTable(tuple("abcde"), cap, pos[k][:, None], sal[:, None], (Dimension("x", "x"),))
        assert mean[k] == pytest.approx(weighted_mean(t)[0])
        assert median[k] == pytest.approx(weighted_median(t)[0])


def test_position_shock_on_an_unknown_bargaining_actor_is_refused_before_drawing() -> None:
    from powerbalance.scenarios.errors import ImpossibleShock

    text = (
        'name = "p"\ntitle = "p"\n[[shock]]\nchannel = "position"\na = "nobody"\nop = "set"\nvalue = 50\n'
        '[models]\nrun = ["triangle", "bargaining"]\n[models.bargaining]\n'
        'actors = [{id = "putin", capability = 1, position = 30, salience = 50},'
        ' {id = "ru.realists", capability = 1, position = 70, salience = 50}]\n'
    )
    with pytest.raises(ImpossibleShock, match="nobody"):
        run_scenario(parse_scenario(text), CORPUS, draws=10)


def test_position_shock_moves_the_forecast() -> None:
    text = (
        'name = "p"\ntitle = "p"\n[[shock]]\nchannel = "position"\na = "putin"\nop = "set"\nvalue = 90\n'
        '[models]\nrun = ["triangle", "bargaining"]\n[models.bargaining]\n'
        'actors = [{id = "putin", capability = 3, position = 30, salience = 50},'
        ' {id = "ru.realists", capability = 1, position = 70, salience = 50}]\n'
    )
    r = run_scenario(parse_scenario(text), CORPUS, draws=10)
    assert r.arrays["forecast_median"].tolist() == [90.0] * 10
    assert r.arrays["forecast_mean"][0] == pytest.approx((3 * 90 + 70) / 4)
    assert r.arrays["forecast_median_base"][0] == 30.0


@pytest.mark.spark
@pytest.mark.slow
def test_spark_engine_gives_the_same_draws() -> None:
    pytest.importorskip("pyspark")
    import shutil

    if shutil.which("java") is None:
        pytest.skip("no Java runtime for Spark")
    s = load_scenario("ukraine-ceasefire")
    local = run_scenario(s, CORPUS, draws=3000, chunk=1000, model_draws=10)
    spark = run_scenario(
        s, CORPUS, draws=3000, chunk=1000, engine="spark", spark_master="local[2]", model_draws=10
    )
    assert spark.digest() == local.digest()
    np.testing.assert_array_equal(spark.arrays["forecast_pce"], local.arrays["forecast_pce"])


def test_bundled_bargaining_set_is_read_from_the_bargaining_module() -> None:
    from powerbalance.app.bargaining import load_actor_set
    from powerbalance.scenarios.montecarlo import bargaining_input

    b = bargaining_input(load_scenario("reverse-kissinger"))
    table = load_actor_set("russia-alignment")
    assert b is not None and b.actors == table.actors
    np.testing.assert_array_equal(b.position, table.position[:, 0])
    np.testing.assert_array_equal(b.salience, table.salience[:, 0])
    assert b.tie == 0  # USA-RUS


def test_sampled_judgements_stay_in_their_ranges_and_move_the_forecast() -> None:
    from powerbalance.app.bargaining import load_actor_set

    r = run_scenario(load_scenario("reverse-kissinger"), CORPUS, draws=3000, model_draws=5)
    table = load_actor_set("russia-alignment")
    j = table.judgements[("putin", "position", "alignment")]
    x = r.arrays["param.bargaining.position.putin"]
    assert j.low <= x.min() and x.max() <= j.high
    base = r.summary["bargaining"]["weighted_mean"]["base"]
    assert base["sd"] > 0  # the baseline forecast now has a spread from the judgements


def test_sample_judgements_needs_a_bundled_set() -> None:
    from powerbalance.scenarios.errors import ScenarioFileError

    text = (
        'name = "p"\ntitle = "p"\n[models]\nrun = ["bargaining"]\n[models.bargaining]\n'
        "sample_judgements = true\n"
        'actors = [{id = "a", capability = 1, position = 30, salience = 50},'
        ' {id = "b", capability = 1, position = 70, salience = 50}]\n'
    )
    with pytest.raises(ScenarioFileError, match="sample_judgements"):
        parse_scenario(text)


def test_forecasts_with_per_draw_weights() -> None:
    pos = np.array([[0.0, 50, 100], [0.0, 50, 100]])
    cap = np.array([[1.0, 1, 3], [3.0, 1, 1]])
    mean, median = weighted_forecasts(pos, cap, np.full((2, 3), 50.0))
    assert mean.tolist() == pytest.approx([70.0, 30.0])
    assert median.tolist() == [100.0, 0.0]
