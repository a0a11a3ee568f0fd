"""UN alignment from unvotes joined with the UN's resolution data: 1946 to 2025."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from powerbalance.datasets.errors import CoverageWarning
from powerbalance.datasets.registry import DataSources
from powerbalance.frames.core import DYAD_YEAR
from powerbalance.frames.verbs import add_un_alignment, dyad_frame
from powerbalance.relations.unvotes import unvote_relations_from_data


def _dyads(years) -> pd.DataFrame:
    rows = [(a, b, y) for y in years for a, b in ((2, 365), (2, 710), (365, 710))]
    frame = pd.DataFrame(rows, columns=["ccode1", "ccode2", "year"])
    frame.attrs["unit"] = DYAD_YEAR
    return frame


def small_data(tmp_path) -> DataSources:
    """unvotes to 2019 (test inputs) and a session file for 2025, with one roll call in both."""
    votes = pd.DataFrame(
        {
            "rcid": [1, 1, 1, 2, 2, 2],
            "ccode": [2, 365, 710] * 2,
            "year": [2019] * 6,
            "vote": [1, 3, 3, 1, 1, 3],
        }
    )
    votes.attrs = {"dataset": "unvotes", "coverage": (2019, 2019)}
    calls = pd.DataFrame(
        {
            "rcid": [1, 2],
            "date": pd.to_datetime(["2019-12-09", "2019-12-10"]),
            "unres": ["A/RES/74/1", "A/RES/74/2"],
        }
    )
    lines = [
        # the same roll call as unvotes' rcid 1 (symbol and date): not counted twice
        {"symbol": "A/RES/74/1", "adoption_date": "9 December 2019", "MS_in_favour": ["UNITED STATES"],
         "MS_against": ["RUSSIAN FEDERATION", "CHINA"], "MS_abstaining": []},
        {"symbol": "A/RES/80/1", "adoption_date": "1 December 2025", "MS_in_favour": ["UNITED STATES"],
         "MS_against": ["RUSSIAN FEDERATION"], "MS_abstaining": ["CHINA"]},
        {"symbol": "A/RES/80/2", "adoption_date": "2 December 2025", "MS_in_favour": ["UNITED STATES",
         "RUSSIAN FEDERATION", "CHINA"], "MS_against": [], "MS_abstaining": []},
    ]  # fmt: skip
    path = tmp_path / "80.json"
    path.write_text(
        "\n".join(json.dumps({**r, "adoption_type": "By a recorded vote"}) for r in lines),
        encoding="utf-8",
    )
    data = DataSources({"unga-80": path})
    data.put("unvotes", votes)
    data.put("unvotes-roll-calls", calls)
    return data


def test_small_join_runs_to_2025(tmp_path):
    out = add_un_alignment(_dyads([2019, 2022, 2025]), small_data(tmp_path))
    got = out.set_index(["ccode1", "ccode2", "year"])
    # 2019 from unvotes alone: two roll calls (the UN file's copy of rcid 1 is dropped)
    assert got.loc[(2, 365, 2019), "un_votes_common"] == 2
    assert got.loc[(2, 365, 2019), "un_agree"] == pytest.approx(0.5)
    # 2025 from the UN file: USA-RUS yes/no then yes/yes -> S = 1 - 2*2/(2*2) = 0
    assert got.loc[(2, 365, 2025), "un_votes_common"] == 2
    assert got.loc[(2, 365, 2025), "un_s"] == pytest.approx(0.0)
    assert got.loc[(365, 710, 2025), "un_s"] == pytest.approx(1 - 2 * 1 / (2 * 2))
    # 2022: no file holds a roll call that year: unknown, not 0
    assert np.isnan(got.loc[(2, 365, 2022), "un_votes_common"])
    assert "unga-80" in out.attrs["sources"][-1]


def test_explicit_unvotes_source_stays_alone(tmp_path):
    with pytest.warns(CoverageWarning):
        out = add_un_alignment(_dyads([2025]), small_data(tmp_path), source="unvotes")
    assert out.un_votes_common.isna().all()  # outside unvotes' coverage


def test_relations_from_data_reach_2025(tmp_path):
    rel = unvote_relations_from_data(
        small_data(tmp_path), ["USA", "RUS"], start=2025, end=2025, measure="s_score", min_votes=1
    )
    assert [(r.a, r.b, r.components["votes_common"]) for r in rel] == [("USA", "RUS", 2.0)]


@pytest.mark.shared_data
def test_triangle_alignment_every_year_1946_2025(shared_data):
    data = DataSources(data_dir=shared_data)
    with pytest.warns(Warning):  # cow-states ends in 2016: carried forward
        frame = dyad_frame(
            data,
            states=["USA", "CHN", "RUS"],
            start=1946,
            end=2025,
            add_verbs=["un_alignment"],
            directed=False,
        )
    assert frame.year.max() == 2025
    for (a, b), rows in frame.groupby(["ccode1", "ccode2"]):
        voted = rows[rows.un_votes_common > 0]
        assert voted[["un_s", "un_kappa"]].notna().all().all(), (a, b)
        first = 1971 if 710 in (a, b) else 1946
        # every year but 1964 (the nineteenth session held no recorded vote)
        expected = set(range(first, 2026)) - {1964}
        assert set(voted.year) == expected, (a, b)
    china = frame[(frame.ccode2 == 710) & (frame.year < 1971)]
    assert (china.un_votes_common.fillna(0) == 0).all()  # the ROC held the seat (Taiwan, 713)
    y2025 = frame[frame.year == 2025].set_index(["ccode1", "ccode2"])
    assert y2025.loc[(365, 710), "un_s"] == pytest.approx(0.724, abs=0.001)
    assert y2025.loc[(2, 710), "un_s"] == pytest.approx(-0.802, abs=0.001)
    assert (y2025.un_votes_common == 192).all()
