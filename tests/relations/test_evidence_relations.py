"""The evidence-derived triangle (rule evidence-stances-v1, docs/relations.md)."""

from __future__ import annotations

import pytest

from powerbalance.evidence import Evidence, Stance, load_corpus
from powerbalance.relations.base import Relation
from powerbalance.relations.evidence import derive_relation, derive_relations


def test_triangle_as_the_articles_read():
    """Russia–China amity; the US at odds with both (a 'stable marriage' with the US outside)."""
    rel = {(r.a, r.b): r for r in derive_relations(load_corpus())}
    assert rel[("RUS", "CHN")].sign == 1
    assert rel[("USA", "CHN")].sign == -1
    assert rel[("USA", "RUS")].sign == -1
    # US–China is the strongest enmity; US–Russia the weakest tie (Trump's flirting softens it).
    assert (
        rel[("USA", "CHN")].strength > rel[("RUS", "CHN")].strength > rel[("USA", "RUS")].strength
    )


def test_rule_arithmetic_by_hand():
    """Russia–China: Putin +2 → 1.0; Xi +2 and China +1 → 0.75; p = 0.875;
    d = max(0.34, 0.04) = 0.34; strength = 0.75 * 0.875 + 0.25 * 0.34 = 0.74125."""
    r = derive_relation(load_corpus(), "RUS", "CHN")
    assert r.components["political"] == pytest.approx(0.875)
    assert r.strength == pytest.approx(0.75 * 0.875 + 0.25 * 0.34)
    assert "econ.trade.chn_share_of_rus_2024" in r.evidence
    assert {"st.putin.chn", "st.xi.rus", "st.chn.rus"} <= set(r.evidence)


def test_no_stances_means_no_sign():
    ev = load_corpus()
    r = derive_relation(ev, "KAZ", "PRK")
    assert (r.sign, r.strength, r.evidence) == (0, 0.0, ())


def test_a_new_stance_can_flip_a_tie():
    base = list(load_corpus())
    warm = Stance(
        id="t.putin.usa.warm",
        actor="putin",
        target="USA",
        target_kind="actor",
        score=2,
        rationale="Hypothetical warm turn for the test.",
        source="econ2025.sv",
        section="x",
    )
    warm2 = Stance(
        id="t.trump.rus.warm",
        actor="trump",
        target="RUS",
        target_kind="actor",
        score=2,
        rationale="Hypothetical warm turn for the test.",
        source="econ2025.sv",
        section="x",
    )
    ev = Evidence([*base, warm, warm2])
    assert derive_relation(ev, "USA", "RUS").sign == 1


def test_relation_validates():
    with pytest.raises(ValueError):
        Relation("A", "B", sign=2, strength=0.5, channel="x", rule="y")
    with pytest.raises(ValueError):
        Relation("A", "B", sign=1, strength=1.5, channel="x", rule="y")
