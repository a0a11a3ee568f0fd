"""The transmission model: anchors from the evidence, hand-computed shocks, bounds."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powerbalance.evidence import load_corpus
from powerbalance.indicators.dependence import trade_share_asymmetry
from powerbalance.scenarios.parameters import PARAMETERS, defaults
from powerbalance.scenarios.schema import Shock
from powerbalance.scenarios.transmission import (
    CHN,
    EU,
    ROW,
    RUS,
    USA,
    anchors_from_evidence,
    dependence,
    initial_state,
    simulate,
)

CORPUS = load_corpus()
ANCHORS = anchors_from_evidence(CORPUS)


def run(*shocks: tuple[Shock, float], p: dict[str, float] | None = None) -> dict[str, np.ndarray]:
    params = defaults() | (p or {})
    return simulate(ANCHORS, params, [(s, np.array([v])) for s, v in shocks], n=1)


def test_anchors_come_from_the_corpus_claims() -> None:
    """The Economist, 12 May 2025: trade 245 bn USD (2024), China 34% of Russia's trade,
    Russia 4% of China's, energy 80% of Russia's exports to China; Le Monde diplomatique,
    May 2025: a 10% US tariff on all imports."""
    a = ANCHORS
    assert (a.trade_rus_chn, a.share_rus_chn, a.share_chn_rus) == (245.0, 0.34, 0.04)
    assert a.energy_share_rus_chn == 0.8 and a.tariff_usa_all == 10.0
    assert a.evidence["share_rus_chn"] == "econ.trade.chn_share_of_rus_2024"
    assert set(a.political > 0) == {False, True}


def test_baseline_reproduces_the_claimed_shares_and_the_dependence_indicator() -> None:
    out = run()
    s = out["shares_base"][0]
    assert s[RUS, CHN] == pytest.approx(0.34, abs=1e-12)
    assert s[CHN, RUS] == pytest.approx(0.04, abs=1e-12)
    assert s.sum(axis=1) == pytest.approx(np.ones(4))
    ratio, diff = trade_share_asymmetry(CORPUS, "RUS", "CHN")
    assert s[RUS, CHN] / s[CHN, RUS] == pytest.approx(ratio.value)
    assert 100 * out["asymmetry_base"][0, 2] == pytest.approx(diff.value)


def test_baseline_triangle_is_the_stable_marriage_the_evidence_describes() -> None:
    out = run()
    assert out["config_base"][0] == 1  # stable marriage
    assert out["weights_base"][0].tolist() == pytest.approx(out["weights"][0].tolist())
    w = out["weights_base"][0]
    assert w[0] < 0 and w[1] < 0 and w[2] > 0


def test_russia_china_tie_logit_by_hand() -> None:
    """z = βs p + βd sqrt(S_RC S_CR)(1 - |S_RC - S_CR|), no sanctions or tariffs between them."""
    p = ANCHORS.political[2]
    interdependence = math.sqrt(0.34 * 0.04) * (1 - (0.34 - 0.04))
    z = 2.0 * p + 3.0 * interdependence
    out = run()
    assert out["logits_base"][0, 2] == pytest.approx(z)
    assert out["weights_base"][0, 2] == pytest.approx(math.tanh(z))


def test_known_answer_energy_cut_with_redirect() -> None:
    """Halve Russia's energy exports to China; half of the loss is sold elsewhere.

    By hand: Russia exports 0.53 x 245 = 129.85 to China, energy 0.8 x 129.85 = 103.88;
    halving removes 51.94 from the bilateral flow (245 -> 193.06) and adds 25.97 to the
    rest of the world. Russia's total 245/0.34 = 720.588 becomes 694.618, so China's
    share of Russia's trade falls to 193.06 / 694.618 = 0.27794.
    """
    cut = Shock(channel="energy_exports", a="RUS", b="CHN", op="scale", value=0.5)
    out = run((cut, 0.5), p={"energy_redirect_fraction": 0.5})
    lost = 0.5 * 0.8 * 0.53 * 245
    t_rc = 245 - lost
    v_r = 245 / 0.34 - lost + 0.5 * lost
    assert out["shares"][0, RUS, CHN] == pytest.approx(t_rc / v_r, rel=1e-12)
    assert t_rc / v_r == pytest.approx(0.27794, abs=1e-5)
    v_c = 245 / 0.04 - lost
    assert out["shares"][0, CHN, RUS] == pytest.approx(t_rc / v_c, rel=1e-12)


def test_known_answer_sanctions_relief_raises_trade_by_the_semi_elasticity() -> None:
    """US sanctions on Russia 0.8 -> 0.3: trade grows by exp(1.5 x 0.5) = 2.117 (3.5 -> 7.41 bn)."""
    relief = Shock(channel="sanctions", a="USA", b="RUS", op="set", value=0.3)
    params = defaults()
    out = simulate(ANCHORS, params, [(relief, np.array([0.3]))], n=1)
    state = initial_state(ANCHORS, {k: np.array([v]) for k, v in params.items()}, 1)
    t0 = state.flows[0, USA, RUS] + state.flows[0, RUS, USA]
    assert t0 == pytest.approx(3.5)
    t1 = out["shares"][0, RUS, USA] * (245 / 0.34 - 3.5 + t0 * math.exp(0.75))
    assert t1 == pytest.approx(3.5 * math.exp(0.75), rel=1e-9)
    # the tie logit loses βx x Δσ = 1.0 x (-0.5)
    assert out["logits"][0, 0] - out["logits_base"][0, 0] == pytest.approx(
        0.5 + 3.0 * (out["interdependence"][0, 0] - out["interdependence_base"][0, 0])
    )


def test_known_answer_tariff_acts_on_the_importers_side() -> None:
    """China's tariff on US goods 10% -> 34%: US exports to China (0.25 x 600 = 150) fall by
    (1.34/1.10)^-4; China's exports to the US (450) are unchanged."""
    hike = Shock(channel="tariffs", a="CHN", b="USA", op="set", value=34)
    out = run((hike, 34.0))
    exports_us = 150 * (1.34 / 1.10) ** -4
    v_c = 245 / 0.04 - 150 + exports_us
    assert out["shares"][0, CHN, USA] == pytest.approx((450 + exports_us) / v_c, rel=1e-12)


def test_share_shock_sets_the_share_exactly() -> None:
    s = Shock(channel="trade", a="RUS", b="CHN", op="share", value=50)
    out = run((s, 50.0))
    assert out["shares"][0, RUS, CHN] == pytest.approx(0.5)


def test_relation_set_overrides_the_tie_and_makes_russia_pivot() -> None:
    s = Shock(channel="relation", a="USA", b="RUS", op="set", value=0.4)
    out = run((s, 0.4))
    assert out["weights"][0, 0] == 0.4
    assert out["config"][0] == 2  # romantic triangle
    assert out["roles"][0].tolist() == [2, 5, 2]  # wing, pivot, wing


def test_no_shock_leaves_everything_at_the_baseline() -> None:
    out = run()
    for key in ("shares", "asymmetry", "weights", "config", "roles"):
        np.testing.assert_array_equal(out[key], out[key + "_base"])


def test_missing_claim_is_reported_by_name() -> None:
    from powerbalance.errors import MissingEvidence
    from powerbalance.evidence import Evidence

    thin = Evidence(
        r for r in CORPUS if getattr(r, "indicator", None) != "exports.composition.energy_share"
    )
    with pytest.raises(MissingEvidence, match="energy_share"):
        anchors_from_evidence(thin)


def test_dependence_of_a_toy_matrix() -> None:
    f = np.zeros((1, 5, 5))
    f[0, RUS, CHN] = 10
    f[0, CHN, RUS] = 10
    f[0, RUS, ROW] = 30
    f[0, CHN, EU] = 80
    d = dependence(f)
    assert d["shares"][0, RUS, CHN] == pytest.approx(0.4)
    assert d["shares"][0, CHN, RUS] == pytest.approx(0.2)
    assert d["asymmetry"][0, 2] == pytest.approx(0.2)


unit = st.floats(0.0, 1.0)


@settings(max_examples=40, deadline=None)
@given(
    draws=st.lists(st.tuples(unit, unit, unit, unit), min_size=1, max_size=8),
    logit=st.floats(-5, 5),
    cut=st.floats(0, 3),
)
def test_bounds_hold_for_any_parameters_and_shocks(draws, logit, cut) -> None:
    """Shares stay in [0, 1] and sum to 1; weights in [-1, 1]; a warmer logit never cools a tie."""
    n = len(draws)
    p = {}
    names = sorted(PARAMETERS)
    for k, name in enumerate(names):
        q = PARAMETERS[name]
        u = np.array([d[k % 4] for d in draws])
        p[name] = q.low + u * (q.high - q.low)
    shocks = [
        (Shock(channel="energy_exports", a="RUS", b="CHN", op="scale", value=cut), np.full(n, cut)),
        (Shock(channel="relation", a="USA", b="RUS", op="add", value=logit), np.full(n, logit)),
    ]
    out = simulate(ANCHORS, p, shocks, n=n)
    s = out["shares"]
    assert np.all((s >= 0) & (s <= 1 + 1e-12))
    assert np.allclose(s.sum(axis=2), 1)
    assert np.all(np.abs(out["weights"]) <= 1)
    base = simulate(ANCHORS, p, shocks[:1], n=n)
    diff = out["weights"][:, 0] - base["weights"][:, 0]
    assert np.all(diff * np.sign(logit) >= -1e-12)


def test_event_relations_from_a_series_enter_the_tie_logit(tmp_path) -> None:
    """A hostile US–China event series (mean Goldstein -1.5, weight -0.15 by the events rule)
    adds βr x -0.15 to the US–China logit; pairs without events add nothing."""
    import pandas as pd

    from powerbalance.scenarios.schema import load_scenario

    series = pd.DataFrame(
        {
            "period": pd.to_datetime(["2024-01-01", "2024-02-01"]),
            "actor1": ["CHN", "CHN"],
            "actor2": ["USA", "USA"],
            "events": [40, 60],
            "quad1": [10, 20],
            "quad2": [0, 5],
            "quad3": [20, 25],
            "quad4": [10, 10],
            "goldstein_sum": [-80.0, -70.0],
        }
    )
    (tmp_path / "data").mkdir()
    series.to_parquet(tmp_path / "data" / "series.parquet")
    f = tmp_path / "s.toml"
    f.write_text('name = "ev"\ntitle = "events"\n[baseline.events]\nfile = "data/series.parquet"\n')
    scenario = load_scenario(f)
    anchors = anchors_from_evidence(CORPUS, scenario.baseline)
    assert anchors.relations.tolist() == pytest.approx([0.0, -0.15, 0.0])
    assert "series.parquet" in anchors.evidence["events"]
    with_events = simulate(anchors, defaults(), [], n=1)
    plain = simulate(ANCHORS, defaults(), [], n=1)
    delta = with_events["logits_base"][0] - plain["logits_base"][0]
    assert delta.tolist() == pytest.approx([0.0, -0.15, 0.0])
