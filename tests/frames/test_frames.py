"""State-year and dyad-year frames and the add_* verbs, on toy data and on the real files."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from powerbalance.datasets.errors import CoverageWarning, DatasetNotRegistered
from powerbalance.datasets.registry import DataSources
from powerbalance.errors import FrameUnitError
from powerbalance.frames import (
    VERBS,
    add_arms_transfers,
    add_capabilities,
    add_ideal_points,
    add_trade,
    add_un_alignment,
    create_dyad_years,
    create_state_years,
    frame_unit,
)
from powerbalance.frames.verbs import dyad_frame
from powerbalance.indicators.alignment import cohen_kappa, s_score


def _with_coverage(frame: pd.DataFrame, dataset: str, first: int, last: int) -> pd.DataFrame:
    frame.attrs = {"dataset": dataset, "coverage": (first, last)}
    return frame


@pytest.fixture
def toy() -> DataSources:
    """Three states 2000-2003 (a fourth, 999, joins in 2002); every source covers 2000-2002."""
    data = DataSources()
    states = pd.DataFrame(
        {
            "ccode": [2, 365, 710, 999],
            "stateabb": ["USA", "RUS", "CHN", "NEW"],
            "statenme": ["USA", "Russia", "China", "New"],
            "styear": [2000, 2000, 2000, 2002],
            "endyear": [2003, 2003, 2003, 2003],
        }
    )
    data.put("cow-states", _with_coverage(states, "cow-states", 2000, 2003))
    rows = [(c, y) for c in (2, 365, 710) for y in (2000, 2001, 2002)]
    nmc = pd.DataFrame(rows, columns=["ccode", "year"])
    for i, col in enumerate(("milex", "milper", "irst", "pec", "tpop", "upop")):
        nmc[col] = np.arange(len(nmc), dtype=float) + i + 1
    nmc["cinc"] = 1 / 3
    data.put("cow-nmc", _with_coverage(nmc, "cow-nmc", 2000, 2002))
    national = pd.DataFrame(
        {
            "ccode": [2, 365, 710] * 3,
            "year": np.repeat([2000, 2001, 2002], 3),
            "imports": [100.0] * 9,
            "exports": [100.0] * 9,
        }
    )
    data.put("cow-trade-national", _with_coverage(national, "cow-trade-national", 2000, 2002))
    dyadic = pd.DataFrame(
        {
            "ccode1": [2, 2, 365],
            "ccode2": [365, 710, 710],
            "year": [2001] * 3,
            "flow1": [10.0, 30.0, 5.0],
            "flow2": [20.0, np.nan, 15.0],
        }
    )
    data.put("cow-trade-dyadic", _with_coverage(dyadic, "cow-trade-dyadic", 2000, 2002))
    register = pd.DataFrame(
        {
            "supplier": ["Russia", "Russia", "rebels*"],
            "recipient": ["China", "China", "China"],
            "supplier_cow": [365, 365, -1],
            "recipient_cow": [710, 710, 710],
            "year": [2001, 2001, 2001],
            "tiv": [100.0, 50.0, 7.0],
        }
    )
    data.put("sipri-register", _with_coverage(register, "sipri-register", 2000, 2002))
    votes = pd.DataFrame(
        {
            "rcid": [1, 1, 1, 2, 2, 2, 3, 3],
            "ccode": [2, 365, 710, 2, 365, 710, 2, 710],
            "year": [2001] * 8,
            "vote": [1, 3, 3, 3, 1, 2, 1, 1],
        }
    )
    data.put("unvotes", _with_coverage(votes, "unvotes", 2000, 2002))
    points = pd.DataFrame(
        {"ccode": [2, 365, 710], "year": [2001] * 3, "idealpoint_fp": [2.0, -0.5, -1.0]}
    )
    data.put("ideal-points", _with_coverage(points, "ideal-points", 2000, 2002))
    return data


def test_state_years_expand_spells(toy):
    sy = create_state_years(toy)
    assert frame_unit(sy) == "state-year"
    assert len(sy) == 3 * 4 + 2
    assert sy[sy.ccode == 999].year.tolist() == [2002, 2003]


def test_state_years_carry_forward_warns(toy):
    with pytest.warns(CoverageWarning, match="carried forward to 2005"):
        sy = create_state_years(toy, start=2003, end=2005)
    assert sorted(sy[sy.year == 2005].ccode) == [2, 365, 710, 999]


def test_dyad_years_count(toy):
    dy = create_dyad_years(toy)
    per_year = dy.groupby("year").size().to_dict()
    assert per_year == {2000: 6, 2001: 6, 2002: 12, 2003: 12}  # n (n - 1)
    nd = create_dyad_years(toy, directed=False)
    assert nd.groupby("year").size().to_dict() == {2000: 3, 2001: 3, 2002: 6, 2003: 6}
    assert (nd.ccode1 < nd.ccode2).all()
    assert not dy.duplicated().any()


def test_dyad_years_states_filter(toy):
    dy = create_dyad_years(toy, states=["USA", "CHN"], start=2001, end=2001)
    assert dy[["ccode1", "ccode2"]].values.tolist() == [[2, 710], [710, 2]]


def test_system_from_nmc_when_no_state_list():
    data = DataSources()
    nmc = pd.DataFrame({"ccode": [2, 365], "year": [1990, 1990]})
    for col in ("milex", "milper", "irst", "pec", "tpop", "upop", "cinc"):
        nmc[col] = 1.0
    data.put("cow-nmc", _with_coverage(nmc, "cow-nmc", 1990, 1990))
    assert len(create_dyad_years(data)) == 2


def test_no_state_system_at_all():
    with pytest.raises(DatasetNotRegistered, match="cow-states"):
        create_state_years(DataSources())


STATE_VERBS = ["capabilities", "trade", "arms", "ideal_points"]


@pytest.mark.parametrize("verb", sorted(VERBS))
@pytest.mark.parametrize("unit", ["dyad-year", "state-year"])
def test_verb_never_changes_row_count(toy, verb, unit):
    """peacesciencer's invariant: an add_* verb is a left join that keeps every row, in order."""
    frame = create_dyad_years(toy, end=2003) if unit == "dyad-year" else create_state_years(toy)
    if unit == "state-year" and verb not in STATE_VERBS:
        with pytest.raises(FrameUnitError):
            VERBS[verb](frame, toy)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CoverageWarning)
        out = VERBS[verb](frame, toy)
    assert len(out) == len(frame)
    key = ["ccode1", "ccode2", "year"] if unit == "dyad-year" else ["ccode", "year"]
    pd.testing.assert_frame_equal(out[key], frame[key])
    assert frame_unit(out) == unit
    assert len(out.attrs["sources"]) == len(frame.attrs["sources"]) + 1


@pytest.mark.parametrize("verb", sorted(VERBS))
def test_outside_coverage_is_missing_not_zero(toy, verb):
    frame = create_dyad_years(toy, start=2003, end=2003)
    with pytest.warns(CoverageWarning, match="outside it get missing values"):
        out = VERBS[verb](frame, toy)
    added = [c for c in out.columns if c not in frame.columns]
    assert added
    assert out[added].isna().all().all()


def test_capabilities_dyadic(toy):
    dy = add_capabilities(create_dyad_years(toy, start=2001, end=2001), toy)
    row = dy[(dy.ccode1 == 2) & (dy.ccode2 == 710)].iloc[0]
    nmc = toy.load("cow-nmc")
    usa = nmc[(nmc.ccode == 2) & (nmc.year == 2001)].iloc[0]
    chn = nmc[(nmc.ccode == 710) & (nmc.year == 2001)].iloc[0]
    assert row.milex1 == usa.milex and row.milex2 == chn.milex and row.cinc1 == usa.cinc


def test_trade_directions_shares_and_missing(toy):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CoverageWarning)
        dy = add_trade(create_dyad_years(toy, start=2001, end=2001), toy).set_index(
            ["ccode1", "ccode2"]
        )
    # 2-365: flow1 = US imports from Russia (10), flow2 = Russia's from the US (20)
    assert dy.loc[(2, 365), ["imports1", "imports2", "trade"]].tolist() == [10.0, 20.0, 30.0]
    assert dy.loc[(365, 2), ["imports1", "imports2"]].tolist() == [20.0, 10.0]
    assert dy.loc[(2, 365), "trade_share1"] == pytest.approx(30 / 200)
    assert dy.loc[(365, 710), "trade_asymmetry"] == pytest.approx(0.0)
    # a missing flow keeps the dyad's total missing rather than half of it
    assert np.isnan(dy.loc[(2, 710), "imports2"]) and np.isnan(dy.loc[(2, 710), "trade"])


def test_trade_state_year(toy):
    sy = add_trade(create_state_years(toy, start=2001, end=2001), toy)
    assert sy.total_trade.tolist() == [200.0, 200.0, 200.0]


def test_arms_transfers_zero_inside_missing_outside(toy):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CoverageWarning)
        dy = add_arms_transfers(create_dyad_years(toy, end=2003), toy).set_index(
            ["ccode1", "ccode2", "year"]
        )
    assert dy.loc[(365, 710, 2001), "tiv_1to2"] == 150.0  # rebels' 7 are not a state-to-state flow
    assert dy.loc[(710, 365, 2001), "tiv_2to1"] == 150.0
    assert dy.loc[(2, 710, 2001), "tiv_1to2"] == 0.0  # covered year, no delivery
    assert np.isnan(dy.loc[(365, 710, 2003), "tiv_1to2"])  # outside coverage
    sy = add_arms_transfers(create_state_years(toy, start=2001, end=2001), toy).set_index("ccode")
    assert sy.loc[710, "arms_imports_tiv"] == 157.0  # state totals keep every supplier


def test_un_alignment_matches_scalar_measures(toy):
    dy = add_un_alignment(create_dyad_years(toy, start=2001, end=2001), toy).set_index(
        ["ccode1", "ccode2"]
    )
    us, ru, cn = [1, 3, 1], [3, 1, 9], [3, 2, 1]
    assert dy.loc[(2, 710), "un_votes_common"] == 3
    assert dy.loc[(2, 365), "un_votes_common"] == 2
    assert dy.loc[(2, 710), "un_s"] == pytest.approx(s_score(us, cn))
    assert dy.loc[(2, 365), "un_s"] == pytest.approx(-1.0)
    assert dy.loc[(365, 710), "un_kappa"] == pytest.approx(cohen_kappa(ru, cn), nan_ok=True)
    assert dy.loc[(2, 710), "un_agree"] == pytest.approx(1 / 3)


def test_un_alignment_needs_dyads(toy):
    with pytest.raises(FrameUnitError, match="dyad-year"):
        add_un_alignment(create_state_years(toy), toy)


def test_ideal_points(toy):
    dy = add_ideal_points(create_dyad_years(toy, start=2001, end=2001), toy).set_index(
        ["ccode1", "ccode2"]
    )
    assert dy.loc[(2, 710), "idealpoint_distance"] == pytest.approx(3.0)
    sy = add_ideal_points(create_state_years(toy, start=2001, end=2001), toy)
    assert sy.idealpoint.tolist() == [2.0, -0.5, -1.0]


def test_frame_unit_errors():
    with pytest.raises(FrameUnitError, match="create_state_years"):
        frame_unit(pd.DataFrame({"a": [1]}))


def test_dyad_frame_labels_and_unknown_verb(toy):
    out = dyad_frame(toy, states=["USA", "RUS"], start=2001, end=2001, add_verbs=["capabilities"])
    assert out[["iso3_1", "iso3_2"]].values.tolist() == [["USA", "RUS"], ["RUS", "USA"]]
    from powerbalance.errors import UserError

    with pytest.raises(UserError, match="unknown verb"):
        dyad_frame(toy, add_verbs=["nonsense"])


# --- real data ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(request) -> DataSources:
    from powerbalance.datasets.registry import DataSources as DS

    shared = request.getfixturevalue("shared_data")
    return DS(data_dir=shared)


@pytest.mark.shared_data
def test_dyad_years_match_peacesciencer(real, shared_file):
    """Directed dyad-years per year equal peacesciencer's cow_ddy (from the same COW v2016 list), 1816-2016."""
    import pyreadr

    ddy = pyreadr.read_r(str(shared_file("peacesciencer/cow_ddy.rda")))["cow_ddy"]
    ddy = ddy[ddy.year <= 2016]
    ours = create_dyad_years(real, start=1816, end=2016)
    assert len(ours) == len(ddy)
    assert (
        ours.groupby("year").size().equals(ddy.groupby("year").size().rename(None).astype("int64"))
    )


@pytest.mark.shared_data
@pytest.mark.slow
def test_triangle_un_alignment_by_year(real):
    """UN alignment for USA-CHN, USA-RUS and RUS-CHN by calendar year, from unvotes (to 2019)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        dy = dyad_frame(
            real, states=["USA", "CHN", "RUS"], start=1971, end=2019, add_verbs=["un_alignment"]
        )
    assert any("carried forward to 2019" in str(w.message) for w in caught)
    assert len(dy) == 6 * 49
    pairs = dy.set_index(["iso3_1", "iso3_2", "year"])
    # the PRC holds China's seat from the 26th session (autumn 1971); from 1972 every pair votes together
    later = dy[dy.year >= 1972]
    assert (later.un_votes_common > 0).all()
    assert later[["un_agree", "un_s"]].notna().all().all()
    # Russia and China vote alike far more than either with the US (2010s)
    recent = dy[dy.year.between(2010, 2019)].groupby(["iso3_1", "iso3_2"]).un_s.mean()
    assert recent[("RUS", "CHN")] > 0.5 > recent[("USA", "RUS")] > recent[("USA", "CHN")] - 0.5
    assert pairs.loc[("USA", "CHN", 2019), "un_s"] == pairs.loc[("CHN", "USA", 2019), "un_s"]


@pytest.mark.shared_data
@pytest.mark.slow
def test_walkthrough_numbers_in_docs(real):
    """The tables of docs/frames.md come from this pipeline (COW v2016 states, NMC v7, trade v4, unvotes)."""
    from powerbalance.frames.core import label_states

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CoverageWarning)
        dy = create_dyad_years(
            real, directed=False, states=["USA", "CHN", "RUS"], start=1972, end=2014
        )
        dy = label_states(add_un_alignment(add_trade(add_capabilities(dy, real), real), real))
    dy["pair"] = dy.iso3_1 + "-" + dy.iso3_2
    dy["decade"] = dy.year // 10 * 10
    s = dy.pivot_table(index="decade", columns="pair", values="un_s").round(2)
    kappa = dy.pivot_table(index="decade", columns="pair", values="un_kappa").round(2)
    assert s.loc[2010].to_dict() == {"RUS-CHN": 0.71, "USA-CHN": -0.36, "USA-RUS": -0.19}
    assert s.loc[1990, "RUS-CHN"] == 0.49 and kappa.loc[1990, "RUS-CHN"] == -0.02
    assert kappa.loc[2000, "RUS-CHN"] == 0.33
    rus_chn = dy[dy.pair == "RUS-CHN"].set_index("year")
    assert rus_chn.loc[2014, "trade"] == 93942.0
    assert round(rus_chn.loc[2014, "trade_share1"], 3) == 0.120
    assert round(rus_chn.loc[2014, "trade_asymmetry"], 3) == 0.102
