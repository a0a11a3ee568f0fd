"""The triangle through time (issue 18): one relation per dyad, year and channel.

Each channel's rule is checked on a small frame with a hand-computed relation;
then known values from the real files (skipped without ../shared/data).
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest

from powerbalance.datasets.readers import read_dataset
from powerbalance.datasets.registry import DataSources
from powerbalance.errors import DatasetFormatError, UserError
from powerbalance.evidence import Evidence, load_corpus
from powerbalance.evidence.models import Actor, Event, Source
from powerbalance.interfaces.cli.main import main
from powerbalance.relations.history import (
    CHANNELS,
    RULES,
    ChannelRun,
    alliance_relations,
    arms_relations,
    channel_relations,
    dispute_relations,
    event_relations,
    gdelt_relations,
    rivalry_relations,
    trade_relations,
    un_vote_relations,
)


def pick(relations, a, b, year=None):
    out = [r for r in relations if (r.a, r.b) == (a, b)]
    if year is not None:
        out = [r for r in out if r.period == str(year)]
    return out


def framed(rows: dict, coverage: tuple[int, int]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame.attrs["coverage"] = coverage
    return frame


# --- un_votes --------------------------------------------------------------------------------


def test_un_votes_kappa_by_hand():
    # 20 roll calls in 1990: both yes on 10, USA no / USSR yes on 10.
    # p_o = 0.5; USA: 10 yes 10 no, USSR: 20 yes -> p_e = 0.5 * 1 = 0.5 -> kappa 0.
    # Make USSR vote no on 5 of the agreed ones instead: both yes 10, US no/USSR yes 5,
    # both no 5: p_o = 15/20 = 0.75; US yes 10 no 10; USSR yes 15 no 5;
    # p_e = 0.5*0.75 + 0.5*0.25 = 0.5 -> kappa = (0.75 - 0.5) / 0.5 = 0.5 -> strength 1.
    us = [1] * 10 + [3] * 10
    su = [1] * 10 + [1] * 5 + [3] * 5
    votes = pd.DataFrame(
        {"rcid": list(range(20)) * 2, "ccode": [2] * 20 + [365] * 20, "year": 1990, "vote": us + su}
    )
    (r,) = un_vote_relations(votes, start=1990, end=1990)
    assert (r.a, r.b, r.sign, r.period, r.rule) == ("USA", "RUS", 1, "1990", "un-votes-kappa-v1")
    assert r.components["kappa"] == pytest.approx(0.5)
    assert r.components["agree"] == pytest.approx(0.75)
    assert r.strength == pytest.approx(1.0)


def test_un_votes_china_seat_and_min_votes():
    votes = pd.DataFrame(
        {
            "rcid": list(range(20)) * 3,
            "ccode": [2] * 20 + [365] * 20 + [710] * 20,
            "year": 1965,
            "vote": [1] * 60,
        }
    )
    out = un_vote_relations(votes, start=1965, end=1965)
    # no CHN relation before the PRC holds the seat (1971); kappa undefined for one kind of vote
    assert not [r for r in out if "CHN" in (r.a, r.b)]
    few = votes[votes.rcid < 5].assign(year=1980)
    assert un_vote_relations(few, start=1980, end=1980) == []  # fewer than 10 common votes


# --- alliances -------------------------------------------------------------------------------


def test_alliances_strongest_obligation_and_coverage():
    atop = framed(
        {
            "ccode1": [365, 2],
            "ccode2": [710, 365],
            "year": [1955, 1980],
            "defense": [1, 0],
            "offense": [0, 0],
            "neutral": [0, 0],
            "nonagg": [1, 1],
            "consul": [0, 0],
        },
        (1815, 2018),
    )
    out = alliance_relations(atop, None, start=1955, end=2020)
    (r,) = pick(out, "RUS", "CHN", 1955)
    assert (r.sign, r.strength) == (1, 1.0)
    (r,) = pick(out, "USA", "RUS", 1980)
    assert (r.sign, r.strength) == (1, 0.3)  # non-aggression only: weak amity
    (r,) = pick(out, "USA", "CHN", 1990)
    assert (r.sign, r.strength) == (0, 0.0)  # covered, not allied: information, neutral
    assert pick(out, "USA", "CHN", 2019) == []  # after the data end: missing, not zero


# --- disputes --------------------------------------------------------------------------------


def test_disputes_hostility_fatality_and_war():
    mid = framed(
        {
            "dispnum": [1, 2],
            "ccode1": [365, 2],
            "ccode2": [710, 710],
            "year": [1969, 1950],
            "hostlev": [4.0, 5.0],
            "fatality": [3.0, float("nan")],
        },
        (1816, 2014),
    )
    war = framed(
        {"warnum": [151], "ccode1": [2], "ccode2": [710], "year": [1950], "batdeath": [477099.0]},
        (1816, 2003),
    )
    out = dispute_relations([("cow", mid)], war, start=1950, end=2015)
    (r,) = pick(out, "RUS", "CHN", 1969)
    assert r.sign == -1 and r.strength == pytest.approx(0.6 + 0.05 * 3)
    (r,) = pick(out, "USA", "CHN", 1950)
    assert (r.sign, r.strength, r.components["war"]) == (-1, 1.0, 1.0)
    (r,) = pick(out, "USA", "RUS", 1970)
    assert (r.sign, r.strength) == (0, 0.0)
    assert pick(out, "USA", "RUS", 2015) == []


# --- rivalries -------------------------------------------------------------------------------


def test_rivalries_share_of_covering_sources():
    tss = framed(
        {
            "rivalry": ["China-USSR"],
            "ccode1": [365],
            "ccode2": [710],
            "start": [1958],
            "end": [1989],
        },
        (1494, 2020),
    )
    td = framed(
        {
            "rivalry": ["China-Russia 2"],
            "ccode1": [365],
            "ccode2": [710],
            "start": [1960],
            "end": [1989],
        },
        (1494, 2010),
    )
    out = rivalry_relations([("tss", tss), ("td", td)], start=1958, end=2021)
    (r,) = pick(out, "RUS", "CHN", 1958)  # one of two sources: 0.6 * 1/2
    assert (r.sign, r.strength) == (-1, pytest.approx(0.3))
    (r,) = pick(out, "RUS", "CHN", 1970)
    assert (r.sign, r.strength) == (-1, pytest.approx(0.6))
    (r,) = pick(out, "RUS", "CHN", 2015)  # only tss covers 2015, no rivalry
    assert (r.sign, r.strength, r.components["sources"]) == (0, 0.0, 1.0)
    assert pick(out, "RUS", "CHN", 2021) == []


# --- arms ------------------------------------------------------------------------------------


def test_arms_share_of_recipient_imports_with_floor():
    t = framed(
        {
            "supplier_cow": [365, 200, 2],
            "recipient_cow": [710, 710, 365],
            "year": [1955, 1955, 1955],
            "tiv": [600.0, 200.0, 10.0],
        },
        (1950, 2021),
    )
    out = arms_relations(t, start=1955, end=1955)
    (r,) = pick(out, "RUS", "CHN")
    assert (r.sign, r.strength) == (1, pytest.approx(0.75))  # 600 of 800
    (r,) = pick(out, "USA", "RUS")
    # 10 TIV to a state that imported 10 in all: the floor of 100 makes it 0.1, not 1
    assert r.strength == pytest.approx(0.1)
    (r,) = pick(out, "USA", "CHN")
    assert (r.sign, r.strength) == (0, 0.0)


# --- trade -----------------------------------------------------------------------------------


def test_trade_dependence_by_hand():
    dy = pd.DataFrame(
        {
            "ccode1": [2, 365],
            "ccode2": [710, 710],
            "year": [2000, 2000],
            "flow1": [100.0, 1.0],
            "flow2": [16.0, float("nan")],
        }
    )
    nat = pd.DataFrame(
        {
            "ccode": [2, 710, 365],
            "year": [2000] * 3,
            "imports": [1200.0, 225.0, 50.0],
            "exports": [800.0, 250.0, 50.0],
        }
    )
    out = trade_relations(dy, nat, start=2000, end=2000)
    (r,) = pick(out, "USA", "CHN")
    # 116 of the US's 2000 (5.8%) and of China's 475 (24.4%): strength 0.244
    assert r.components["share_of_CHN"] == pytest.approx(116 / 475)
    assert (r.sign, r.strength) == (1, pytest.approx(116 / 475))
    (r,) = pick(out, "RUS", "CHN")  # 1 of 100 = 1%: at the dead band, still signed
    assert r.sign == 1


def test_trade_after_2014_from_monthly_series():
    monthly = pd.DataFrame({"year": [2024] * 12, "value_usd": [20e9] * 12})
    atlas = pd.DataFrame(
        {
            "ccode": [365, 710],
            "year": [2024, 2024],
            "exports_usd": [400e9, 3000e9],
            "imports_usd": [200e9, 2500e9],
        }
    )
    (r,) = trade_relations(None, None, start=2024, end=2024, rus_chn_monthly=monthly, atlas=atlas)
    assert r.components["share_of_RUS"] == pytest.approx(0.4)
    assert (r.sign, r.strength) == (1, pytest.approx(0.4))
    partial = monthly.iloc[:11]
    assert (
        trade_relations(None, None, start=2024, end=2024, rus_chn_monthly=partial, atlas=atlas)
        == []
    )


# --- events ----------------------------------------------------------------------------------


def _evidence(*events: Event) -> Evidence:
    src = Source(id="src", publication="p", title="t", date="2000-01-01", language="en")
    states = [
        Actor(id=i, kind="state", name_en=i, name_sv=i, iso3=i) for i in ("USA", "RUS", "CHN")
    ]
    leader = Actor(
        id="mao", kind="person", name_en="Mao", name_sv="Mao", country="CHN", official=True
    )
    return Evidence([src, *states, leader, *events])


def test_events_sign_by_kind_and_decay():
    ev = _evidence(
        Event(
            id="ev.treaty",
            date="1950-02-14",
            actors=["RUS", "mao"],
            kind="agreement",
            summary="A treaty of friendship.",
            source="src",
            section="x",
        ),
        Event(
            id="ev.split",
            date="1960-07-01",
            actors=["RUS", "CHN"],
            kind="rupture",
            summary="Advisers withdrawn.",
            source="src",
            section="x",
        ),
        Event(
            id="ev.note",
            date="1955-01-01",
            actors=["RUS", "CHN"],
            kind="publication",
            summary="An unsigned kind.",
            source="src",
            section="x",
        ),
    )
    out = event_relations(ev, start=1949, end=1972)
    assert pick(out, "RUS", "CHN", 1949) == []  # nothing yet: missing
    (r,) = pick(out, "RUS", "CHN", 1950)
    assert (r.sign, r.strength) == (1, pytest.approx(0.6))  # an official speaks for CHN
    (r,) = pick(out, "RUS", "CHN", 1953)
    assert r.strength == pytest.approx(0.3)  # one half-life (3 years)
    (r,) = pick(out, "RUS", "CHN", 1960)
    assert r.sign == -1
    assert r.components["weight"] == pytest.approx(0.6 * 0.5 ** (10 / 3) - 0.7)
    assert pick(out, "RUS", "CHN", 1971) == []  # beyond ten years of every event


# --- gdelt -----------------------------------------------------------------------------------


def test_gdelt_yearly_net_cooperation():
    s = pd.DataFrame(
        {
            "period": pd.to_datetime(["2019-01-01", "2019-06-01", "2020-01-01"]),
            "actor1": ["CHN", "USA", "USA"],
            "actor2": ["USA", "CHN", "CHN"],
            "events": [20, 20, 5],
            "quad1": [10, 5, 5],
            "quad2": [0, 5, 0],
            "quad3": [5, 5, 0],
            "quad4": [5, 5, 0],
        }
    )
    (r,) = gdelt_relations(s, start=2019, end=2020)  # 2020 has 5 events < 30: missing
    assert (r.a, r.b, r.period) == ("USA", "CHN", "2019")
    assert r.components["net_cooperation"] == pytest.approx((20 - 20) / 40)
    assert (r.sign, r.strength) == (0, 0.0)


# --- the whole function ----------------------------------------------------------------------


def test_channel_relations_reports_missing_channels():
    data = DataSources()
    data.put(
        "tss-rivalries",
        framed(
            {
                "rivalry": ["US-USSR"],
                "ccode1": [2],
                "ccode2": [365],
                "start": [1945],
                "end": [1989],
            },
            (1494, 2020),
        ),
    )
    rels, run = channel_relations(data, load_corpus(), start=1985, end=1995)
    assert isinstance(run, ChannelRun)
    assert run.channels_run == ("rivalries", "events")
    assert set(run.channels_missing) == set(CHANNELS) - {"rivalries", "events"}
    assert "powerbalance data add" in run.channels_missing["alliances"]
    assert {r.channel for r in rels} == {"rivalries", "events"}
    assert all(r.rule == RULES[r.channel] for r in rels)
    assert run.to_dict()["rules"]["rivalries"] == "rivalries-thompson-v1"
    (r,) = [
        r
        for r in rels
        if r.channel == "rivalries" and r.a == "USA" and r.b == "RUS" and r.period == "1989"
    ]
    assert r.sign == -1
    calls = []
    channel_relations(
        data,
        load_corpus(),
        start=1985,
        end=1985,
        channels=["rivalries"],
        progress=lambda d, t: calls.append((d, t)),
    )
    assert calls == [(1, 1)]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"start": 1990, "end": 1980}, "--to (1980) is before --from (1990)"),
        ({"start": 1700, "end": 1980}, "--from must be a year from 1816"),
        ({"start": 1980, "end": 1990, "channels": ["votes"]}, "unknown channel 'votes'"),
        ({"start": 1980, "end": 1990, "channels": []}, "give at least one channel"),
    ],
)
def test_channel_relations_refuses_bad_requests(kwargs, message):
    with pytest.raises(UserError, match=message.replace("(", r"\(").replace(")", r"\)")):
        channel_relations(DataSources(), load_corpus(), **kwargs)


# --- readers of the new cards ------------------------------------------------------------------

VALID = {
    "atop-alliance": (
        "atop_alliance.csv",
        "ccode1,ccode2,year,atop_defense,atop_offense,atop_neutral,atop_nonagg,atop_consul\n"
        "710,365,1950,1,0,0,1,0\n365,710,1950,1,0,0,1,0\n",
    ),
    "cow-alliance": (
        "cow_alliance.csv",
        "ccode1,ccode2,year,cow_defense,cow_neutral,cow_nonagg,cow_entente\n365,710,1950,1,0,0,0\n",
    ),
    "cow-mid-dyadic": (
        "cow_mid_dyadic.csv",
        "dispnum,ccode1,ccode2,year,hostlev1,hostlev2,fatality1,fatality2\n"
        "343,710,365,1969,4,3,-9,3\n343,365,710,1969,3,4,3,-9\n",
    ),
    "gml-mid-dyadic": (
        "gml_dirdisp.csv",
        "dispnum,ccode1,ccode2,year,hostlev1,hostlev2,fatality1,fatality2\n51,2,710,1952,5,5,6,6\n",
    ),
    "cow-war-inter": (
        "cow_war_inter.csv",
        "warnum,ccode1,ccode2,year,sidea1,sidea2,batdeath1,batdeath2\n"
        "151,2,710,1950,1,2,54487,422612\n151,2,200,1950,1,1,54487,670\n",
    ),
    "tss-rivalries": (
        "tss_rivalries.csv",
        "rivalry,ccode1,ccode2,start,end\nChina-USSR,365,710,1958,1989\n",
    ),
    "td-rivalries": (
        "td_rivalries.csv",
        "rivalryname,ccode1,ccode2,styear,endyear\nChina-Russia 2,365,710,1958,1989\n",
    ),
    "sipri-dyadic-tiv": (
        "sipri_dyadic_tiv.csv",
        "supplier,recipient,year,value,supplier_cown,recipient_cown\n"
        "Soviet Union,China,1950,2572,365,710\nUnknown,Rebels,1950,3,,\n",
    ),
}


@pytest.mark.parametrize("dataset", sorted(VALID))
def test_new_readers_read_a_small_file(dataset, tmp_path):
    name, text = VALID[dataset]
    path = tmp_path / name
    path.write_text(text)
    frame = read_dataset(dataset, path, cache=False)
    assert len(frame) >= 1
    assert frame.attrs["coverage"] is not None
    if "ccode1" in frame:
        assert (frame["ccode1"] < frame["ccode2"]).all()


def test_new_readers_known_values(tmp_path):
    def read(dataset):
        name, text = VALID[dataset]
        (tmp_path / name).write_text(text)
        return read_dataset(dataset, tmp_path / name, cache=False)

    mid = read("cow-mid-dyadic")
    assert mid[["ccode1", "ccode2", "hostlev", "fatality"]].values.tolist() == [
        [365, 710, 4.0, 3.0]
    ]
    war = read("cow-war-inter")  # the UK fought on the US side: not a hostile pair
    assert war[["ccode1", "ccode2", "batdeath"]].values.tolist() == [[2, 710, 54487.0 + 422612.0]]
    atop = read("atop-alliance")
    assert atop[["ccode1", "ccode2", "defense", "nonagg"]].values.tolist() == [[365, 710, 1, 1]]
    tiv = read("sipri-dyadic-tiv")
    assert tiv["supplier_cow"].tolist() == [365, -1]


@pytest.mark.parametrize(
    "dataset, text, field",
    [
        ("tss-rivalries", "rivalry,ccode1,ccode2,start,end\nX,365,7100,1958,1989\n", "ccode2"),
        ("tss-rivalries", "rivalry,ccode1,ccode2,start,end\nX,365,710,1989,1958\n", "end"),
        (
            "cow-mid-dyadic",
            "dispnum,ccode1,ccode2,year,hostlev1,hostlev2,fatality1,fatality2\n1,2,365,1969,7,3,0,0\n",
            "hostlev1",
        ),
        (
            "atop-alliance",
            "ccode1,ccode2,year,atop_defense,atop_offense,atop_neutral,atop_nonagg,atop_consul\n"
            "2,365,19x0,1,0,0,0,0\n",
            "year",
        ),
    ],
)
def test_new_readers_refuse_bad_rows(dataset, text, field, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(DatasetFormatError) as info:
        read_dataset(dataset, path, cache=False)
    assert info.value.field == field
    assert "line 2" in str(info.value)


def test_data_add_refuses_a_wrong_file_in_one_line(tmp_path, capsys):
    path = tmp_path / "tss_rivalries.csv"
    path.write_text("a,b\n1,2\n")
    rc = main(["--store", str(tmp_path / "s.duckdb"), "data", "add", "tss-rivalries", str(path)])
    err = capsys.readouterr().err
    assert rc == 2
    assert "expected columns rivalry, ccode1, ccode2, start, end" in err
    assert "Traceback" not in err


def test_gdelt_series_card_reads_an_aggregated_file(tmp_path):
    s = pd.DataFrame(
        {
            "period": pd.to_datetime(["2019-01-01"]),
            "actor1": ["USA"],
            "actor2": ["CHN"],
            "events": [40],
            "quad1": [30],
            "quad2": [0],
            "quad3": [5],
            "quad4": [5],
            "goldstein_sum": [12.0],
        }
    )
    path = tmp_path / "triangle_events.parquet"
    s.to_parquet(path)
    frame = read_dataset("gdelt-series", path, cache=False)
    assert frame.attrs["coverage"] == (2019, 2019)
    (r,) = gdelt_relations(frame, start=2019, end=2019)
    assert (r.sign, r.strength) == (1, pytest.approx(0.5))
    bad = tmp_path / "broken_events.parquet"
    bad.write_text("not parquet")
    with pytest.raises(DatasetFormatError, match="not a readable Parquet file"):
        read_dataset("gdelt-series", bad, cache=False)


# --- known values from the real files (skipped without ../shared/data) -------------------------


@pytest.fixture(scope="module")
def real(request):
    from tests.conftest import shared_data_dir

    folder = shared_data_dir()
    if folder is None:
        pytest.skip("../shared/data is absent (public datasets are not redistributed)")
    data = DataSources(data_dir=folder)
    rels, run = channel_relations(data, load_corpus(), start=1946, end=2025)
    return data, rels, run


def by(rels, channel, a, b, year):
    found = [
        r for r in rels if r.channel == channel and (r.a, r.b) == (a, b) and r.period == str(year)
    ]
    return found[0] if found else None


def test_real_every_data_channel_runs(real):
    _, rels, run = real
    for channel in ("un_votes", "alliances", "disputes", "rivalries", "arms", "trade", "events"):
        assert channel in run.channels_run, run.channels_missing
    assert "gdelt" in run.channels_missing  # no aggregated series under ../shared/data
    assert {(r.a, r.b) for r in rels} == {("USA", "RUS"), ("USA", "CHN"), ("RUS", "CHN")}
    assert not [r for r in rels if "CHN" in (r.a, r.b) and int(r.period) < 1949]


def test_real_sino_soviet_rivalry_1958_1989(real):
    _, rels, _ = real
    for year in range(1958, 1990):
        assert by(rels, "rivalries", "RUS", "CHN", year).sign == -1, year
    assert by(rels, "rivalries", "RUS", "CHN", 1957).sign == 0
    assert by(rels, "rivalries", "RUS", "CHN", 1995).sign == 0
    assert by(rels, "rivalries", "USA", "RUS", 1975).sign == -1
    assert by(rels, "rivalries", "USA", "RUS", 2010).sign == -1  # Russia-US 2007-2020
    assert by(rels, "rivalries", "USA", "RUS", 2021) is None  # after the data end


def test_real_no_us_prc_un_relation_before_1971(real):
    _, rels, _ = real
    assert not [
        r for r in rels if r.channel == "un_votes" and r.b == "CHN" and int(r.period) < 1971
    ]
    assert by(rels, "un_votes", "USA", "CHN", 1995).sign == -1
    assert by(rels, "un_votes", "RUS", "CHN", 2020).sign == 1
    assert by(rels, "un_votes", "USA", "RUS", 1960).sign == -1
    assert by(rels, "un_votes", "USA", "RUS", 1964) is None  # no recorded vote that session


def test_real_1950_treaty_year_positive(real):
    _, rels, _ = real
    assert by(rels, "events", "RUS", "CHN", 1950).sign == 1
    assert "ev.1950-02-14.sino_soviet_treaty" in by(rels, "events", "RUS", "CHN", 1950).evidence
    assert by(rels, "alliances", "RUS", "CHN", 1950).strength == 1.0  # defence pact
    assert by(rels, "arms", "RUS", "CHN", 1955).sign == 1
    assert by(rels, "events", "RUS", "CHN", 1969).sign == -1  # Zhenbao
    assert by(rels, "disputes", "USA", "CHN", 1951).strength == 1.0  # Korean War
    assert by(rels, "alliances", "RUS", "CHN", 2019) is None  # ATOP ends in 2018


def test_real_time_per_channel_warm(real):
    data, _, run = real
    assert set(run.seconds) == set(run.channels_run)
    t0 = time.perf_counter()
    channel_relations(data, load_corpus(), start=1946, end=2025)
    assert time.perf_counter() - t0 < 3.0


def test_real_cli_data_add_atop(real, tmp_path, capsys):
    data, _, _ = real
    path = data.path("atop-alliance")
    assert isinstance(path, Path)
    rc = main(["--store", str(tmp_path / "s.duckdb"), "data", "add", "atop-alliance", str(path)])
    assert rc == 0, capsys.readouterr()


def test_a_registered_file_that_is_gone_is_reported_not_raised(tmp_path):
    data = DataSources(registered={"tss-rivalries": {"path": str(tmp_path / "gone.rda")}})
    rels, run = channel_relations(data, load_corpus(), start=1980, end=1981, channels=["rivalries"])
    assert rels == [] and run.channels_run == ()
    assert "gone.rda: no such file" in run.channels_missing["rivalries"]
