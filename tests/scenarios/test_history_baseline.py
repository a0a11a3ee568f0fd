"""A scenario's baseline may start from a year of the triangle's history ([baseline.history])."""

from __future__ import annotations

import pytest

from powerbalance.app.history import history_query, registered_history
from powerbalance.app.scenarios import prepare_request
from powerbalance.evidence import load_corpus
from powerbalance.scenarios.errors import ScenarioFileError
from powerbalance.scenarios.schema import parse_scenario

HEAD = (
    'name = "from-history"\ntitle = "Baseline from a year of the history"\n'
    'evidence = ["st.putin.usa"]\nrationale = "test (st.putin.usa)"\n'
)


def test_the_years_fused_ties_become_baseline_relations():
    corpus = load_corpus()
    prepared = prepare_request(
        text=HEAD + "[baseline.history]\nyear = 2019\n",
        draws=200,
        registered={},  # no dataset: the channels that need none (the dated events) still run
        evidence=corpus,
    )
    added = [r for r in prepared.scenario.baseline.relations if r.channel == "history"]
    assert prepared.scenario.baseline.history is None  # resolved
    reading = registered_history({}, corpus, history_query(start=1946, end=2019))
    expected = {
        (t.a, t.b): t.triangle_sign * t.strength
        for t in reading.history.year(2019).ties
        if t is not None
    }
    assert {(r.a, r.b): r.weight for r in added} == pytest.approx(expected)
    assert expected, "the bundled events give 2019 at least one tie"


def test_the_year_is_checked():
    with pytest.raises(ScenarioFileError, match=r"baseline\.history\.year"):
        parse_scenario(HEAD + "[baseline.history]\nyear = 1900\n")
