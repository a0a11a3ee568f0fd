"""Evidence: actors, sources, claims, events and stances; the bundled corpus; the store."""

from powerbalance.evidence.collection import Evidence
from powerbalance.evidence.corpus import load_corpus
from powerbalance.evidence.models import Actor, Check, Claim, Event, Period, Record, Source, Stance

__all__ = [
    "Actor",
    "Check",
    "Claim",
    "Event",
    "Evidence",
    "Period",
    "Record",
    "Source",
    "Stance",
    "load_corpus",
]
