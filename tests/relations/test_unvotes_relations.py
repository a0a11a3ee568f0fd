"""UN-vote relations (rule unvotes-alignment-v1) and their use in a scenario baseline."""

from __future__ import annotations

import pandas as pd
import pytest

from powerbalance.errors import UserError
from powerbalance.relations.unvotes import derive_unvote_relations


def votes(pairs: dict[int, list[int]], year: int = 2000) -> pd.DataFrame:
    rows = [
        {"rcid": i, "ccode": c, "year": year, "vote": v}
        for c, vs in pairs.items()
        for i, v in enumerate(vs)
    ]
    return pd.DataFrame(rows)


def test_hand_computed_s_and_dead_band():
    """S = 1 - 2 * sum|d| / (n * d_max): 40 votes, 10 yes-vs-no (d = 2): S = 0.5."""
    v = votes({2: [1] * 40, 710: [1] * 30 + [3] * 10})
    (r,) = derive_unvote_relations(v, ["USA", "CHN"], start=2000, end=2000, measure="s_score")
    assert (r.sign, r.strength, r.channel) == (1, 0.5, "unvotes")
    # Too few votes in common: unsigned.
    (r,) = derive_unvote_relations(v, ["USA", "CHN"], start=2000, end=2000, min_votes=41)
    assert (r.sign, r.strength) == (0, 0.0)


def test_window_outside_the_votes_is_a_user_error():
    v = votes({2: [1] * 5, 365: [1] * 5})
    with pytest.raises(UserError, match="cover 2000-2000"):
        derive_unvote_relations(v, ["USA", "RUS"], start=2010, end=2012)


@pytest.mark.shared_data
def test_real_votes_2010s(shared_file):
    """USA against both Russia and China in the 2010s; Russia and China aligned (S, as docs/frames.md)."""
    from powerbalance.datasets.readers import read_unvotes

    v = read_unvotes(shared_file("unvotes/un_votes.rda"), shared_file("unvotes/un_roll_calls.rda"))
    rel = {
        (r.a, r.b): r for r in derive_unvote_relations(v, start=2010, end=2014, measure="s_score")
    }
    assert rel[("RUS", "CHN")].sign == 1
    assert rel[("USA", "CHN")].sign == -1
    assert rel[("USA", "RUS")].sign == -1
    assert rel[("USA", "RUS")].components["votes_common"] > 100


@pytest.mark.shared_data
def test_scenario_baseline_reads_unvotes(shared_file, tmp_path):
    from powerbalance.evidence import load_corpus
    from powerbalance.scenarios.schema import load_scenario
    from powerbalance.scenarios.transmission import anchors_from_evidence

    toml = tmp_path / "votes.toml"
    toml.write_text(
        f"""
name = "with-votes"
title = "UN votes in the baseline"
description = "Baseline with UN-vote relations."
rationale = "Test of the unvotes baseline (st.putin.usa)."
evidence = ["st.putin.usa"]

[baseline.unvotes]
file = "{shared_file("unvotes/un_votes.rda")}"
roll_calls = "{shared_file("unvotes/un_roll_calls.rda")}"
start = 2010
end = 2014
measure = "s_score"
"""
    )
    scenario = load_scenario(toml)
    anchors = anchors_from_evidence(load_corpus(), scenario.baseline)
    assert "USA-RUS=-" in anchors.evidence["unvotes"]
    ties = anchors.to_dict()["data_relations"]
    assert ties["RUS-CHN"] > 0 and ties["USA-CHN"] < 0
