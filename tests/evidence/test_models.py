"""Validation of evidence records."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from powerbalance.evidence import Claim, Event, Period, Stance


def claim(**kw):
    base = dict(
        id="t.claim",
        indicator="trade.share_of_total",
        actor="RUS",
        partner="CHN",
        value=34,
        unit="percent",
        period=2024,
        source="econ2025.sv",
        section="x",
        statement="A test statement long enough.",
    )
    base.update(kw)
    return Claim(**base)


def test_period_shorthands():
    assert claim(period="2020-2024").period == Period.years(2020, 2024)
    assert claim().period.label() == "2024"
    assert claim(period={"year": 2013, "approximate": True}).period.label() == "c. 2013"


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"indicator": "trade.nonsense"}, "not in the vocabulary"),
        ({"unit": "km"}, "takes unit percent"),
        ({"partner": None}, "give the partner"),
        ({"value": 134}, "0..100"),
        ({"indicator": "fdi.stock", "unit": "money"}, "currency"),
        ({"indicator": "trade.bilateral.growth"}, "comparison_period"),
        ({"period": {"start": "2024-05-01", "end": "2024-01-01"}}, "before it starts"),
        ({"surprise": 1}, "Extra inputs"),
    ],
)
def test_claim_validation(kw, message):
    with pytest.raises(ValidationError, match=message):
        claim(**kw)


def test_event_partial_dates():
    e = Event(
        id="t.event",
        date="2025-03",
        date_precision="month",
        actors=["CHN"],
        kind="trade",
        summary="Something happened that month.",
        source="s",
        section="x",
    )
    assert e.date == date(2025, 3, 1) and e.date_label() == "2025-03"
    with pytest.raises(ValidationError, match="event kind"):
        Event(
            id="t.e2",
            date="2025",
            actors=["CHN"],
            kind="picnic",
            summary="Nothing much here.",
            source="s",
            section="x",
        )


def test_stance_scale_and_issue():
    s = Stance(
        id="t.s",
        actor="putin",
        target="iran",
        target_kind="issue",
        score=2,
        rationale="A valuable ally in the war.",
        source="s",
        section="x",
    )
    assert (s.direction, s.intensity) == ("for", 2)
    with pytest.raises(ValidationError):
        Stance(
            id="t.s",
            actor="putin",
            target="iran",
            target_kind="issue",
            score=3,
            rationale="Out of the documented scale.",
            source="s",
            section="x",
        )
    with pytest.raises(ValidationError, match="issue 'chess'"):
        Stance(
            id="t.s",
            actor="putin",
            target="chess",
            target_kind="issue",
            score=1,
            rationale="Not an issue of the vocabulary.",
            source="s",
            section="x",
        )
