"""The bargaining module's models inside the Monte Carlo: the right tables, the right draws, exactly."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from powerbalance.app.bargaining import load_actor_set
from powerbalance.errors import UserError
from powerbalance.evidence import load_corpus
from powerbalance.scenarios.errors import ScenarioFileError
from powerbalance.scenarios.montecarlo import (
    bargaining_input,
    bargaining_model_forecasts,
    comparison_rows,
    model_draw_indices,
    run_scenario,
)
from powerbalance.scenarios.schema import load_scenario, parse_scenario
from powerbalance.theory.bargaining import (
    ActorTable,
    Dimension,
    bargain,
    spatial_model,
)

CORPUS = load_corpus()

ACTORS = [
    ("putin", 100, 30, 85),
    ("realists", 30, 65, 60),
    ("civ", 25, 15, 70),
    ("energy", 35, 45, 75),
]


def inline(extra: str = "", *, models: str = '["pce", "eu"]', model_draws: int = 8) -> str:
    actors = ", ".join(
        f'{{id = "{a}", capability = {c}, position = {p}, salience = {s}}}' for a, c, p, s in ACTORS
    )
    return (
        'name = "ka"\ntitle = "known answer"\n'
        + extra
        + '[models]\nrun = ["triangle", "bargaining"]\n[models.bargaining]\n'
        + f"models = {models}\nmodel_draws = {model_draws}\nactors = [{actors}]\n"
    )


def hand_table(positions: list[float]) -> ActorTable:
    return ActorTable(
        tuple(a for a, *_ in ACTORS),
        [c for _, c, _, _ in ACTORS],
        [[p] for p in positions],
        [[s] for *_, s in ACTORS],
        (Dimension("position", "position"),),
    )


def test_known_answer_degenerate_draws_equal_a_direct_bargain_call() -> None:
    """Every input fixed: each sampled draw's forecasts are bargain() on the table built by hand.

    Putin's position is set to 80 by a shock; position_response = 0 keeps the tie out of it,
    so the shocked table is the inline one with that single change.
    """
    text = inline(
        '[parameters]\nposition_response = 0\n[[shock]]\nchannel = "position"\na = "putin"\n'
        'op = "set"\nvalue = 80\n'
    )
    r = run_scenario(parse_scenario(text), CORPUS, draws=40, seed=3)
    base = hand_table([30, 65, 15, 45])
    shocked = hand_table([80, 65, 15, 45])
    for model in ("pce", "eu"):
        want_base = bargain(base, model=model).forecast[0]
        want = bargain(shocked, model=model).forecast[0]
        assert want != pytest.approx(want_base)  # the shock matters, so a swap would show
        assert r.arrays[f"forecast_{model}_base"].tolist() == [want_base] * 8
        assert r.arrays[f"forecast_{model}"].tolist() == [want] * 8
        assert r.summary["bargaining"][model]["change"]["p50"] == pytest.approx(want - want_base)
    assert r.summary["bargaining"]["model_draws"] == 8


def test_known_answer_tie_moves_the_bundled_set_before_the_model_runs() -> None:
    """The US–Russia tie set to +0.5 moves every position by 25 × (0.5 − w_base), clipped."""
    text = (
        'name = "tie"\ntitle = "tie"\n[[shock]]\nchannel = "relation"\na = "USA"\nb = "RUS"\n'
        'op = "set"\nvalue = 0.5\n[models]\nrun = ["triangle", "bargaining"]\n'
        '[models.bargaining]\nset = "russia-alignment"\nmodel_draws = 3\n'
    )
    r = run_scenario(parse_scenario(text), CORPUS, draws=30, seed=11)
    w_base = r.arrays["weights_base"][0, 0]
    assert np.all(r.arrays["weights_base"][:, 0] == w_base) and w_base < 0
    table = load_actor_set("russia-alignment")
    moved = np.clip(table.position + 25.0 * (0.5 - w_base), 0, 100)
    want_base = spatial_model(table).forecast()[0]
    want = spatial_model(replace(table, position=moved)).forecast()[0]
    assert r.arrays["forecast_pce_base"].tolist() == [want_base] * 3
    assert r.arrays["forecast_pce"].tolist() == pytest.approx([want] * 3, rel=1e-12)
    assert want > want_base + 5


def test_each_sampled_draw_runs_on_its_own_judgement_draws() -> None:
    """With sample_judgements, the model sees the draw's capabilities, saliences and positions."""
    s = load_scenario("reverse-kissinger")
    r = run_scenario(s, CORPUS, draws=400, seed=9, model_draws=4)
    idx = r.arrays["model_draws"]
    assert idx.tolist() == model_draw_indices(9, 400, 4).tolist()
    table = load_actor_set("russia-alignment")
    for i, row in enumerate(idx):

        def judged(field: str, row: int = int(row)) -> np.ndarray:
            return np.array(
                [r.arrays[f"param.bargaining.{field}.{a}"][row] for a in table.actors], dtype=float
            )

        pos = judged("position")
        drawn = replace(
            table,
            capability=judged("capability"),
            salience=judged("salience")[:, None],
            position=pos[:, None],
        )
        move = 25.0 * (r.arrays["weights"][row, 0] - r.arrays["weights_base"][row, 0])
        shocked = replace(drawn, position=np.clip(pos + move, 0, 100)[:, None])
        assert r.arrays["forecast_pce_base"][i] == spatial_model(drawn).forecast()[0]
        assert r.arrays["forecast_pce"][i] == pytest.approx(
            spatial_model(shocked).forecast()[0], rel=1e-12
        )
    # the draws differ, so the forecasts do
    assert np.ptp(r.arrays["forecast_pce_base"]) > 0


def test_subsample_depends_on_the_seed_alone() -> None:
    a = model_draw_indices(5, 10_000, 50)
    assert a.tolist() == model_draw_indices(5, 10_000, 50).tolist()
    assert a.tolist() != model_draw_indices(6, 10_000, 50).tolist()
    assert len(set(a.tolist())) == 50 and a.min() >= 0 and a.max() < 10_000
    assert model_draw_indices(5, 30, 200).tolist() == list(range(30))


def test_chunks_processes_and_seeds_with_the_models() -> None:
    s = parse_scenario(
        inline(
            '[[shock]]\nchannel = "position"\na = "putin"\nop = "add"\n'
            'value = {dist = "uniform", low = 0, high = 40}\n',
            model_draws=6,
        )
    )
    one = run_scenario(s, CORPUS, draws=900, seed=4)
    chunked = run_scenario(s, CORPUS, draws=900, seed=4, chunk=101)
    parallel = run_scenario(s, CORPUS, draws=900, seed=4, chunk=300, workers=2)
    assert one.digest() == chunked.digest() == parallel.digest()
    np.testing.assert_array_equal(one.arrays["forecast_eu"], parallel.arrays["forecast_eu"])
    other = run_scenario(s, CORPUS, draws=900, seed=5)
    assert other.arrays["model_draws"].tolist() != one.arrays["model_draws"].tolist()
    assert np.ptp(one.arrays["forecast_pce"]) > 0  # the shock's draws reach the model


def test_choosing_the_subsample_leaves_the_other_draws_alone() -> None:
    with_models = run_scenario(load_scenario("reverse-kissinger"), CORPUS, draws=600, model_draws=3)
    s = load_scenario("reverse-kissinger")
    spec = s.models.bargaining
    assert spec is not None
    bare = s.model_copy(
        update={
            "models": s.models.model_copy(
                update={"bargaining": spec.model_copy(update={"models": []})}
            )
        }
    )
    without = run_scenario(bare, CORPUS, draws=600)
    assert "forecast_pce" not in without.arrays and "model_draws" not in without.arrays
    assert "pce" not in without.summary["bargaining"]
    for key in ("weights", "forecast_mean", "forecast_median", "param.bargaining.position.putin"):
        np.testing.assert_array_equal(with_models.arrays[key], without.arrays[key])


def test_processes_and_repeated_tables_do_not_change_the_forecasts() -> None:
    barg = bargaining_input(parse_scenario(inline()))
    assert barg is not None
    rng = np.random.default_rng(2)
    m, k = 7, len(ACTORS)
    cap = np.tile(barg.capability, (m, 1))
    sal = np.tile(barg.salience, (m, 1))
    base = np.tile(barg.position, (m, 1))  # one table seven times: solved once
    shocked = rng.uniform(0, 100, (m, k))
    seen: list[tuple[int, int]] = []
    serial = bargaining_model_forecasts(
        barg, cap, sal, base, shocked, ["pce", "eu"], progress=lambda d, n: seen.append((d, n))
    )
    parallel = bargaining_model_forecasts(barg, cap, sal, base, shocked, ["pce", "eu"], workers=2)
    assert seen[-1] == (m + 1, m + 1)
    for key, value in serial.items():
        np.testing.assert_array_equal(value, parallel[key])
    for i in range(m):
        t = hand_table(shocked[i].tolist())
        assert serial["forecast_pce"][i] == spatial_model(t).forecast()[0]


def test_model_draws_override_is_bounded() -> None:
    s = parse_scenario(inline())
    with pytest.raises(UserError, match="--model-draws"):
        run_scenario(s, CORPUS, draws=10, model_draws=0)
    assert (
        run_scenario(s, CORPUS, draws=10, model_draws=50).summary["bargaining"]["pce"]["draws"]
        == 10
    )  # never more than the draws


@pytest.mark.parametrize(
    ("extra", "key", "words"),
    [
        ('models = ["pce", "kuhn"]', "models.bargaining.models[2]", "'pce' or 'eu'"),
        ('models = ["eu", "eu"]', "models.bargaining.models", "named twice"),
        ("model_draws = 0", "models.bargaining.model_draws", "must be at least 1"),
        ("model_draws = 20000", "models.bargaining.model_draws", "must be at most 10,000"),
        ("model_draw = 5", "models.bargaining.model_draw", "model_draws"),
    ],
)
def test_schema_errors_name_the_key(extra: str, key: str, words: str) -> None:
    text = (
        'name = "e"\ntitle = "e"\n[models]\nrun = ["bargaining"]\n[models.bargaining]\n'
        'set = "us-russia"\n' + extra + "\n"
    )
    with pytest.raises(ScenarioFileError) as exc:
        parse_scenario(text, file="bad.toml")
    msg = str(exc.value)
    assert "bad.toml" in msg and f"'{key}'" in msg and words in msg


def test_pce_takes_an_actor_without_salience() -> None:
    # issue 17: an actor of salience 0 carries no weight; the spatial model leaves it out
    text = inline().replace("salience = 70", "salience = 0")
    assert parse_scenario(text)
    assert parse_scenario(inline(models='["eu"]').replace("salience = 70", "salience = 0"))


def test_defaults_run_pce_on_200_draws() -> None:
    s = parse_scenario(inline().replace('models = ["pce", "eu"]\nmodel_draws = 8\n', ""))
    spec = s.models.bargaining
    assert spec is not None and spec.models == ["pce"] and spec.model_draws == 200


def test_comparison_rows_and_the_plot_show_the_models() -> None:
    r = run_scenario(parse_scenario(inline()), CORPUS, draws=50, model_draws=5)
    rows = {row["metric"]: row for row in comparison_rows(r.summary, r.summary)}
    for model in ("pce", "eu"):
        row = rows[f"bargaining {model}, median"]
        assert row["a"] == r.summary["bargaining"][model]["shocked"]["p50"]
        assert row["difference"] == 0
    from powerbalance.scenarios.plots import distributions_figure

    fig = distributions_figure(r.arrays)
    labels = [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().texts]
    assert "pce, scenario (5 draws)" in labels and "eu, baseline" in labels
