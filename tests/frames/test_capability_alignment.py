"""CINC and UN alignment measures: known values, bounds and symmetries."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powerbalance.datasets.readers import read_dataset
from powerbalance.errors import UserError
from powerbalance.indicators.alignment import (
    agreement,
    cohen_kappa,
    dyadic_alignment,
    s_score,
    votes_in_common,
)
from powerbalance.indicators.capability import COMPONENTS, capability_shares, cinc

# --- CINC -----------------------------------------------------------------------------------


@pytest.mark.shared_data
@pytest.mark.parametrize(
    "relative",
    ["cow_nmc5/NMC_5_0.csv", "cow_nmc6/NMC-60-abridged.csv", "peacesciencer/cow_nmc.rda"],
)
def test_cinc_recomputed_equals_published(shared_file, relative):
    """CINC from the six components equals COW's published cinc for every state-year.

    Singer, Bremer & Stuckey (1972); COW NMC v5.0/v6.0 codebooks: CINC is the mean of a
    state's shares of the system totals; the published values carry 7 decimals, so the
    recomputation agrees within rounding (1e-7).
    """
    nmc = read_dataset("cow-nmc", shared_file(relative))
    ours = cinc(nmc)
    assert ours.notna().all()
    assert np.abs(ours - nmc["cinc"]).max() < 1e-7


def test_cinc_negative_codes_refused():
    df = pd.DataFrame({"year": [1900, 1900], **{c: [1.0, -9.0] for c in COMPONENTS}})
    with pytest.raises(UserError, match="-9 means missing"):
        cinc(df)


def test_cinc_missing_component_is_left_out():
    df = pd.DataFrame({"year": [1900, 1900], **{c: [1.0, 1.0] for c in COMPONENTS}})
    df.loc[1, "milex"] = np.nan
    out = cinc(df)
    # state 0 holds all military expenditure: (1 + 5 * 0.5) / 6; state 1 averages five halves
    assert out.tolist() == pytest.approx([3.5 / 6, 0.5])


component = st.floats(min_value=0, max_value=1e6, allow_nan=False)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(*[component] * 6), min_size=1, max_size=8))
def test_cinc_bounds_and_sum(rows):
    df = pd.DataFrame(rows, columns=list(COMPONENTS))
    df["year"] = 2000
    shares = capability_shares(df)
    out = cinc(df)
    assert ((out.dropna() >= -1e-12) & (out.dropna() <= 1 + 1e-12)).all()
    complete = shares.notna().all(axis=0)
    if complete.all() and out.notna().all():
        assert out.sum() == pytest.approx(1.0)


# --- alignment --------------------------------------------------------------------------------


def test_known_values():
    """Hand-computed: identical votes S = 1; yes against no S = -1; kappa from Cohen (1960) eq. 1."""
    assert s_score([1, 2, 3], [1, 2, 3]) == 1.0
    assert s_score([1, 1], [3, 3]) == -1.0
    assert s_score([1, 2], [2, 3]) == 0.0  # mean distance 1 of d_max 2
    assert s_score([1, 1, 1, 1], [1, 1, 1, 2]) == 0.75
    assert agreement([1, 2, 3, 8], [1, 3, 3, 1]) == pytest.approx(2 / 3)
    assert votes_in_common([1, 9, 8, 3], [1, 1, 1, 2]) == 2
    assert cohen_kappa([1, 1, 2, 3], [1, 3, 2, 3]) == pytest.approx((0.75 - 0.3125) / 0.6875)
    assert np.isnan(cohen_kappa([1, 1], [1, 1]))  # chance agreement 1: kappa undefined
    assert np.isnan(s_score([8], [1]))


def test_length_mismatch():
    with pytest.raises(UserError, match="differ in length"):
        s_score([1, 2], [1])


votes = st.lists(st.sampled_from([1, 2, 3, 8]), min_size=1, max_size=40)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_measures_bounds_and_symmetry(data):
    n = data.draw(st.integers(1, 40))
    x = data.draw(st.lists(st.sampled_from([1, 2, 3, 8]), min_size=n, max_size=n))
    y = data.draw(st.lists(st.sampled_from([1, 2, 3, 9]), min_size=n, max_size=n))
    s, k, a = s_score(x, y), cohen_kappa(x, y), agreement(x, y)
    for value, lo in ((s, -1), (k, -1), (a, 0)):
        assert np.isnan(value) or lo - 1e-12 <= value <= 1 + 1e-12
    assert s == pytest.approx(s_score(y, x), nan_ok=True)
    assert k == pytest.approx(cohen_kappa(y, x), nan_ok=True)
    assert s_score(x, x) in (1.0,) or np.isnan(s_score(x, x))


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_matrix_kernel_equals_scalar_definitions(data):
    """The per-year matrix products give exactly the scalar measures for every pair."""
    n_states = data.draw(st.integers(2, 5))
    n_calls = data.draw(st.integers(1, 12))
    grid = np.array(
        data.draw(
            st.lists(
                st.lists(st.sampled_from([1, 2, 3, 0]), min_size=n_calls, max_size=n_calls),
                min_size=n_states,
                max_size=n_states,
            )
        )
    )
    rows = [
        (r, 100 + s, 1999, int(grid[s, r]))
        for s in range(n_states)
        for r in range(n_calls)
        if grid[s, r] > 0
    ]
    if not rows:
        return
    frame = pd.DataFrame(rows, columns=["rcid", "ccode", "year", "vote"])
    out = dyadic_alignment(frame, directed=True).set_index(["ccode1", "ccode2"])
    for (c1, c2), row in out.iterrows():
        x, y = grid[c1 - 100], grid[c2 - 100]
        assert row.votes_common == votes_in_common(x, y)
        assert row.agree == pytest.approx(agreement(x, y), nan_ok=True)
        assert row.s_score == pytest.approx(s_score(x, y), nan_ok=True)
        assert row.kappa == pytest.approx(cohen_kappa(x, y), nan_ok=True, abs=1e-12)


@pytest.mark.shared_data
@pytest.mark.slow
def test_triangle_alignment_equals_scalar_on_real_votes(shared_file):
    """USA, RUS and CHN in 2014 from unvotes: the dyadic frame equals the scalar measures."""
    votes = read_dataset("unvotes", shared_file("unvotes/un_votes.rda"))
    year = votes[votes.year == 2014]
    table = year.pivot(index="rcid", columns="ccode", values="vote").fillna(0)
    out = dyadic_alignment(year, states=[2, 365, 710]).set_index(["ccode1", "ccode2"])
    assert len(out) == 3
    for (a, b), row in out.iterrows():
        assert row.s_score == pytest.approx(s_score(table[a], table[b]))
        assert row.kappa == pytest.approx(cohen_kappa(table[a], table[b]))
