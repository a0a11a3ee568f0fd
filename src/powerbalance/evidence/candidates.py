"""Candidate records proposed from an article, waiting for a person's review.

An ingested article yields candidates: a claim, event or stance in the
evidence schema (``record``), the sentence that supports it with its
character offsets in the document's text, the words the figure or date was
read from, and a confidence in 0..1. Nothing here is evidence yet: a
candidate becomes a record only when a reviewer accepts it, and the record
then carries a :class:`~powerbalance.evidence.models.Provenance` naming the
document, the offsets, who accepted it and when.
"""

from __future__ import annotations

import hashlib
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from powerbalance.evidence.models import FieldProblem

CandidateKind = Literal["claim", "event", "stance"]
CandidateStatus = Literal["pending", "accepted", "rejected"]


class Candidate(BaseModel):
    """One proposed claim, event or stance, with the text it was read from."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^cand-[0-9a-f]{12}$")
    kind: CandidateKind
    status: CandidateStatus = "pending"
    #: The proposed record's fields in the evidence schema (``id`` included),
    #: its statement a neutral template, never the article's sentence.
    record: dict[str, Any]
    document: str  # the file name of the ingested document
    document_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    language: str = Field(pattern=r"^[a-z]{2}$")
    sentence: str
    start: int = Field(ge=0)  # offsets of the sentence in the document's text
    end: int = Field(ge=0)
    match: str = ""  # the words the figure, date or stance was read from
    confidence: float = Field(ge=0.0, le=1.0)
    notes: list[str] = Field(default_factory=list)
    duplicate_of: str | None = None  # an existing record saying the same
    contradicts: str | None = None  # an existing record saying otherwise
    reviewed_by: str | None = None
    reviewed_at: str | None = None  # ISO 8601 date and time

    @model_validator(mode="after")
    def _offsets(self) -> Candidate:
        if self.end < self.start:
            raise FieldProblem(
                "end", f"the sentence ends ({self.end}) before it starts ({self.start})"
            )
        return self

    @staticmethod
    def make_id(document_sha256: str, kind: str, start: int, end: int, match: str) -> str:
        """A stable id: the same document read twice proposes the same ids."""
        key = f"{document_sha256}:{kind}:{start}:{end}:{match}".encode()
        return "cand-" + hashlib.sha256(key).hexdigest()[:12]
