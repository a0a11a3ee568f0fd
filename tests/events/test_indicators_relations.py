"""Event indicators and the events-goldstein-v1 relation rule."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powerbalance.engines.spec import OUTPUT_COLUMNS
from powerbalance.errors import FrameUnitError, UserError
from powerbalance.indicators.events import (
    conflict_share,
    dyad_series,
    net_cooperation,
    window_summary,
)
from powerbalance.relations.events import (
    RULE,
    derive_event_relation,
    derive_event_relations,
    relations_from_parquet,
)


def _series(rows):
    cols = list(OUTPUT_COLUMNS[: OUTPUT_COLUMNS.index("goldstein_sum") + 1])
    df = pd.DataFrame(rows, columns=cols)
    df["period"] = pd.to_datetime(df["period"])
    df["mentions"] = df["events"] * 2
    df["goldstein_mention_mean"] = df["goldstein_sum"] / df["events"]
    return df


TRIANGLE = _series(
    [
        ("2024-01-01", "CHN", "RUS", 50, 30, 15, 3, 2, 150.0),
        ("2024-01-01", "CHN", "USA", 80, 20, 5, 30, 25, -160.0),
        ("2024-01-01", "RUS", "USA", 40, 20, 5, 10, 5, 20.0),
        ("2024-02-01", "CHN", "RUS", 30, 20, 5, 3, 2, 60.0),
        ("2024-02-01", "CHN", "USA", 20, 5, 0, 10, 5, -60.0),
    ]
)


quads = st.tuples(*[st.integers(0, 1000)] * 4)


@settings(deadline=None, max_examples=50)
@given(st.lists(quads, min_size=1, max_size=20))
def test_net_cooperation_and_conflict_share_are_bounded(rows):
    df = pd.DataFrame(rows, columns=["quad1", "quad2", "quad3", "quad4"])
    nc = net_cooperation(df)
    cs = conflict_share(df)
    total = df.sum(axis=1)
    assert nc[total == 0].isna().all() and cs[total == 0].isna().all()
    ok = total > 0
    assert nc[ok].between(-1, 1).all() and cs[ok].between(0, 1).all()
    # net cooperation is 1 - 2 * conflict share, the two views of one split
    assert np.allclose(nc[ok], 1 - 2 * cs[ok])


@settings(deadline=None, max_examples=50)
@given(quads)
def test_net_cooperation_flips_sign_when_roles_swap(q):
    a = pd.DataFrame([q], columns=["quad1", "quad2", "quad3", "quad4"])
    b = pd.DataFrame([(q[2], q[3], q[0], q[1])], columns=["quad1", "quad2", "quad3", "quad4"])
    x, y = net_cooperation(a).iloc[0], net_cooperation(b).iloc[0]
    assert (math.isnan(x) and math.isnan(y)) or x == pytest.approx(-y)


def test_dyad_series_fills_counts_not_means():
    s = dyad_series(TRIANGLE, "USA", "RUS")
    assert s["events"].tolist() == [40, 0]
    assert s["actor1"].tolist() == ["RUS", "RUS"]
    assert math.isnan(s["goldstein_mention_mean"].iloc[1])
    with pytest.raises(UserError):
        dyad_series(TRIANGLE, "USA", "usa")


def test_dyad_series_pools_a_directed_series():
    directed = _series(
        [
            ("2024-01-01", "CHN", "USA", 10, 5, 0, 3, 2, -10.0),
            ("2024-01-01", "USA", "CHN", 6, 1, 0, 3, 2, -20.0),
        ]
    )
    pooled = dyad_series(directed, "USA", "CHN")
    assert pooled["events"].tolist() == [16]
    assert pooled["goldstein_mean"].iloc[0] == pytest.approx(-30.0 / 16)
    one_way = dyad_series(directed, "USA", "CHN", directed=True)
    assert one_way["events"].tolist() == [6]


def test_window_summary_pools_periods():
    w = window_summary(TRIANGLE, start="2024-01-01", end="2024-12-31").set_index(
        ["actor1", "actor2"]
    )
    assert w.loc[("CHN", "USA"), "events"] == 100
    assert w.loc[("CHN", "USA"), "goldstein_mean"] == pytest.approx(-2.2)
    assert w.loc[("CHN", "RUS"), "periods"] == 2
    only_feb = window_summary(TRIANGLE, start="2024-02-01")
    assert set(only_feb["actor2"]) == {"RUS", "USA"} and only_feb["events"].sum() == 50


def test_wrong_frame_is_refused():
    with pytest.raises(FrameUnitError, match="events aggregate"):
        dyad_series(pd.DataFrame({"year": [2020]}), "USA", "CHN")


def test_relation_rule_known_values():
    """Hand-computed: CHN–USA G = (-160 - 60) / 100 = -2.2, w = -0.22; RUS–USA has 40 events."""
    rels = {r.pair: r for r in derive_event_relations(TRIANGLE, min_events=30)}
    us_cn = rels[frozenset(("USA", "CHN"))]
    assert (us_cn.sign, us_cn.strength, us_cn.channel, us_cn.rule) == (-1, 0.22, "events", RULE)
    assert us_cn.components["net_cooperation"] == pytest.approx((25 + 5 - 40 - 30) / 100)
    ru_cn = rels[frozenset(("RUS", "CHN"))]
    assert ru_cn.sign == 1 and ru_cn.strength == pytest.approx(210 / 80 / 10)
    us_ru = rels[frozenset(("USA", "RUS"))]
    assert us_ru.sign == 1 and us_ru.strength == pytest.approx(0.05)
    assert us_cn.period == "2024-01-01/2024-02-01"


def test_relation_insufficient_events_is_unsigned():
    r = derive_event_relation(TRIANGLE, "USA", "RUS", min_events=41)
    assert (r.sign, r.strength, r.components["insufficient"]) == (0, 0.0, 1.0)


def test_relation_baseline_and_dead_band():
    # series mean G = (150 - 160 + 20 + 60 - 60) / 220 = 10 / 220
    base = 10 / 220
    r = derive_event_relation(TRIANGLE, "USA", "RUS", baseline="series")
    assert r.components["baseline"] == pytest.approx(base)
    assert r.weight == pytest.approx((0.5 - base) / 10)
    flat = derive_event_relation(TRIANGLE, "USA", "RUS", dead_band=0.06)
    assert flat.sign == 0 and flat.strength == pytest.approx(0.05)
    m = derive_event_relation(TRIANGLE, "USA", "CHN", weighting="mentions")
    assert m.components["goldstein_mention_mean"] == pytest.approx(-2.2)


@settings(deadline=None, max_examples=50)
@given(st.floats(-10, 10), st.integers(1, 500))
def test_relation_weight_is_bounded_and_signed_like_goldstein(g, n):
    df = _series([("2024-01-01", "CHN", "USA", n, n, 0, 0, 0, g * n)])
    r = derive_event_relation(df, "USA", "CHN", min_events=1, dead_band=0.0)
    assert -1 <= r.weight <= 1
    assert r.weight == pytest.approx(g / 10, abs=1e-9)


def test_relation_input_errors(tmp_path):
    with pytest.raises(UserError):
        derive_event_relation(TRIANGLE, "USA", "CHN", weighting="tone")  # type: ignore[arg-type]
    with pytest.raises(UserError):
        derive_event_relation(TRIANGLE, "USA", "CHN", baseline="median")
    with pytest.raises(UserError, match="widen"):
        derive_event_relation(TRIANGLE, "USA", "CHN", start="2030-01-01")
    with pytest.raises(UserError):
        relations_from_parquet(tmp_path / "absent.parquet")
    p = tmp_path / "s.parquet"
    TRIANGLE.to_parquet(p)
    rels = relations_from_parquet(p, actors="USA,CHN", baseline="0", min_events=10)
    assert len(rels) == 1 and rels[0].sign == -1
