"""Read articles (Swedish and English) and propose candidate claims, events and stances.

``read_document`` reads a text, HTML or PDF file into a normalised
:class:`Document`; ``propose`` finds its figures, dates, actors and stance cues
and returns :class:`~powerbalance.evidence.candidates.Candidate` records for a
person to review. See ``docs/ingest.md`` for the rules and their measured
quality.
"""

from powerbalance.evidence.ingest.document import Document, read_document
from powerbalance.evidence.ingest.propose import propose

__all__ = ["Document", "propose", "read_document"]
