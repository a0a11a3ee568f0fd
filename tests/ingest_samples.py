"""Candidates made by hand for the review tests (app, CLI, dashboard, browser).

The extractor has its own tests; the review tests need a read document and a
claim candidate of a known shape, written here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from powerbalance.evidence.candidates import Candidate

#: The figure the sample sentences give, as the extractor would mark it.
MATCH = "240 miljarder dollar"


@dataclass(frozen=True)
class SampleDoc:
    """A read document as the extractor returns it (the fields staging uses)."""

    name: str
    sha256: str
    language: str = "sv"
    title: str | None = "Handeln med Kina"
    date: date | None = date(2025, 5, 14)
    text: str = ""


def trade_candidate(
    doc: SampleDoc,
    sentence: str,
    *,
    record_id: str,
    source: str,
    year: int = 2023,
    value: float = 240,
    match: str = MATCH,
    indicator: str = "trade.bilateral.total",
    confidence: float = 0.7,
    notes: tuple[str, ...] = (),
) -> Candidate:
    """A claim candidate of Russia–China trade read from ``sentence`` (the whole of it)."""
    return Candidate(
        id=Candidate.make_id(doc.sha256, "claim", 0, len(sentence), f"{match}:{year}:{value}"),
        kind="claim",
        record={
            "id": record_id,
            "indicator": indicator,
            "actor": "RUS",
            "partner": "CHN",
            "value": value,
            "unit": "money",
            "currency": "USD",
            "scale": 1e9,
            "period": year,
            "source": source,
            "section": "ingested",
            "statement": f"Trade between RUS and CHN: {value:g} billion USD in {year}.",
        },
        document=doc.name,
        document_sha256=doc.sha256,
        language=doc.language,
        sentence=sentence,
        start=0,
        end=len(sentence),
        match=match,
        confidence=confidence,
        notes=list(notes),
    )
