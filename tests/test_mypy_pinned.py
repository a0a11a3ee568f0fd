"""The code mypy flagged with the pinned stubs works (the gate is in ``test_gates.py``).

These tests pin the behaviour of the lines changed to satisfy mypy (pandas-stubs
3.x is stricter about ``itertuples`` values, ``Index.get_loc`` and ``Timestamp``
arguments).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest

from powerbalance.datasets.codes import _lookups, code_table, to_cow
from powerbalance.evidence.models import Claim
from powerbalance.frames.core import label_states
from powerbalance.indicators.checks_un import un_abstention_share
from powerbalance.relations.events import _period_label


def test_code_lookups_known_values():
    look = _lookups()
    assert look["iso3"]["CHN"] == 710
    assert look["iso2"]["US"] == 2
    assert look["cow_abb"]["RUS"] == 365
    assert look["iso3"]["SUN"] == 365  # withdrawn code kept under Russia's
    assert to_cow("United States") == 2  # an alias
    assert to_cow("China") == 710
    # every row of the bundled table is reachable by its COW abbreviation
    table = code_table()
    assert set(look["cow_abb"]) == set(table["cow_abb"])
    assert all(isinstance(k, str) for k in look["name"])


def test_label_states_places_iso_after_codes():
    monadic = pd.DataFrame({"ccode": [2, 365], "year": [2000, 2000], "x": [1.0, 2.0]})
    out = label_states(monadic)
    assert out.columns.tolist() == ["ccode", "iso3", "year", "x"]
    assert out["iso3"].tolist() == ["USA", "RUS"]
    dyad = pd.DataFrame({"year": [2000], "ccode1": [710], "ccode2": [365]})
    out = label_states(dyad)
    assert out.columns.tolist() == ["year", "ccode1", "ccode2", "iso3_1", "iso3_2"]
    assert out.iloc[0][["iso3_1", "iso3_2"]].tolist() == ["CHN", "RUS"]


def test_period_label_from_dates_and_strings():
    summary = pd.DataFrame(
        {"first": [pd.Timestamp("2020-01-05")], "last": [pd.Timestamp("2021-03-01")]}
    )
    assert _period_label(summary, None, None) == "2020-01-05/2021-03-01"
    assert _period_label(summary, date(2019, 1, 1), "2022-12-31") == "2019-01-01/2022-12-31"


class _Frames:
    """Stands in for DataSources: hands out frames by dataset id."""

    def __init__(self, frames: dict[str, pd.DataFrame]) -> None:
        self.frames = frames

    def load(self, dataset_id: str, *, purpose: str | None = None) -> pd.DataFrame:
        return self.frames[dataset_id]


def _claim() -> Claim:
    return Claim(
        id="t.abstain",
        indicator="un.abstention_share",
        actor="CHN",
        value=50.0,
        unit="percent",
        period=2022,
        source="s",
        section="x",
        statement="An abstention claim for tests.",
    )


def _votes() -> pd.DataFrame:
    return pd.DataFrame({"rcid": [1, 2, 3], "ccode": [710, 710, 710], "vote": [2, 1, 2]})


@pytest.mark.parametrize("drop", [None, "short", "descr"])
def test_abstention_share_with_or_without_text_columns(drop: str | None):
    """A roll-call file lacking ``short`` or ``descr`` is searched on the other column."""
    calls = pd.DataFrame(
        {
            "rcid": [1, 2, 3],
            "year": [2022, 2022, 2022],
            "short": ["Ukraine aid", "budget", "Ukraine"],
            "descr": ["on Ukraine", "budget", "Territorial integrity of Ukraine"],
        }
    )
    if drop is not None:
        calls = calls.drop(columns=[drop])
    data: Any = _Frames({"unvotes": _votes(), "unvotes-roll-calls": calls})
    got = un_abstention_share(_claim(), data, {"country": "CHN", "topic": "ukraine"})
    assert got.value == pytest.approx(100.0)  # roll calls 1 and 3, both abstentions
    assert got.detail == {"roll_calls": 2}
