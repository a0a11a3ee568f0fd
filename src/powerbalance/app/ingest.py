"""Ingest and review use cases: an article into candidates, then a person's accept or reject.

``powerbalance ingest FILE``, ``powerbalance ingest review`` and the
dashboard's Review page call these:

- :func:`ingest`: read a document (:func:`powerbalance.evidence.ingest.read_document`),
  propose candidate claims, events and stances
  (:func:`powerbalance.evidence.ingest.propose`), flag those that repeat or
  contradict a stored record (:func:`flag`), keep them in the store's
  ``candidates`` table and write the review file (``NAME.candidates.yaml``);
- :func:`pending`, :func:`accept`, :func:`reject`: the review. An accepted
  candidate becomes a record with a
  :class:`~powerbalance.evidence.models.Provenance` (document, offsets, who
  accepted it and when) whose statement the reviewer wrote in their own
  words; an accepted claim is checked at once against the registered
  datasets where a check applies to it (*verification on arrival*,
  :func:`check_for`).

Nothing proposed enters the evidence until it is accepted, and a rejection
leaves the evidence as it was.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import yaml
from pydantic import ValidationError

from powerbalance.errors import InputFileError, UnknownIdError, UserError
from powerbalance.evidence.candidates import Candidate
from powerbalance.evidence.collection import Evidence
from powerbalance.evidence.models import (
    RECORD_TYPES,
    Check,
    Claim,
    Event,
    Provenance,
    Record,
    Source,
    Stance,
    explain,
)

if TYPE_CHECKING:
    from powerbalance.evidence.store import Store

__all__ = [
    "COPY_WORDS",
    "REVIEW_MARKER",
    "SOURCE_META_KEYS",
    "AcceptResult",
    "Candidate",
    "IngestResult",
    "ReviewError",
    "UnknownCandidate",
    "accept",
    "check_for",
    "flag",
    "highlight",
    "ingest",
    "parse_edits",
    "parse_source_meta",
    "pending",
    "reject",
    "review_path",
    "review_view",
    "source_for",
    "stage",
    "statement_field",
    "verification_status",
    "write_review_file",
]

#: The keys ``--source-meta KEY=VAL`` takes.
SOURCE_META_KEYS = ("publication", "title", "author", "date", "url", "language", "id")
#: The first line of every review file: a file without it is never overwritten.
REVIEW_MARKER = "# powerbalance ingest: candidates for review"
#: A statement that shares this many consecutive words with the article's sentence copies it.
COPY_WORDS = 8
#: How close two figures must be (relative) to say the same: 0.5%.
SAME_VALUE = 0.005
#: Indicators whose pair has no direction (Russia–China trade is China–Russia trade).
SYMMETRIC = "trade.bilateral."
#: Fields an edit may not set: the provenance is the tool's, the source the article's.
FIXED_FIELDS = ("provenance", "source")

Progress = Callable[[int, int], None]


class UnknownCandidate(UnknownIdError):
    """A candidate id the store does not hold."""

    kind = "candidate"
    listing = "list the pending ones with `powerbalance ingest review --list`"


class ReviewError(UserError):
    """A review action the candidate or its edits do not allow; names the field when one is wrong."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)


class DocumentLike(Protocol):
    """What staging needs of a read document (:class:`powerbalance.evidence.ingest.Document`)."""

    @property
    def name(self) -> str: ...
    @property
    def sha256(self) -> str: ...
    @property
    def language(self) -> str: ...
    @property
    def title(self) -> str | None: ...
    @property
    def date(self) -> date | None: ...


# --- source metadata -----------------------------------------------------------------------


def parse_source_meta(pairs: Sequence[str]) -> dict[str, str]:
    """``KEY=VAL`` texts as a mapping, refusing unknown keys and pairs without ``=``.

    Examples
    --------
    >>> parse_source_meta(["publication=Dagens Nyheter", "date=2025-05-14"])
    {'publication': 'Dagens Nyheter', 'date': '2025-05-14'}
    >>> parse_source_meta(["paper=DN"])
    Traceback (most recent call last):
    ...
    powerbalance.errors.UserError: --source-meta: unknown key 'paper'; the keys are publication, title, author, date, url, language, id
    """
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise UserError(
                f"--source-meta takes KEY=VALUE, got '{pair}' "
                f"(the keys are {', '.join(SOURCE_META_KEYS)})"
            )
        out[key.strip()] = value.strip()
    _refuse_unknown_keys(out)
    return out


def _refuse_unknown_keys(meta: Mapping[str, str]) -> None:
    unknown = [k for k in meta if k not in SOURCE_META_KEYS]
    if unknown:
        raise UserError(
            f"--source-meta: unknown key '{unknown[0]}'; the keys are {', '.join(SOURCE_META_KEYS)}"
        )


def _slug(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return slug[:40] or "document"


def source_for(
    doc: DocumentLike, meta: Mapping[str, str], *, today: date | None = None
) -> tuple[Source, list[str]]:
    """The article's :class:`Source` from ``--source-meta`` and the document, with notes.

    The date is ``meta['date']``, else the document's own date, else today
    (with a note saying so); the title is the document's when not given; the
    language the detected one. The id defaults to ``ingest.NAME.SHA8``.

    Raises
    ------
    UserError
        An unknown key, or a value the source model refuses (named).
    """
    _refuse_unknown_keys(meta)
    notes: list[str] = []
    when: Any = meta.get("date") or doc.date
    if not when:
        when = today or date.today()
        notes.append(
            f"the document gives no date: the source is dated today ({when}); "
            "give the article's date with --source-meta date=YYYY-MM-DD"
        )
    if not meta.get("publication"):
        notes.append("no publication given: add it with --source-meta publication=NAME")
    data: dict[str, Any] = {
        "id": meta.get("id") or f"ingest.{_slug(Path(doc.name).stem)}.{doc.sha256[:8]}",
        "publication": meta.get("publication") or "unknown publication",
        "title": meta.get("title") or doc.title or Path(doc.name).stem,
        "date": when,
        "language": meta.get("language") or doc.language,
        "note": f"ingested from {doc.name} (sha256 {doc.sha256[:12]})",
    }
    for key in ("author", "url"):
        if meta.get(key):
            data[key] = meta[key]
    try:
        return Source.model_validate(data), notes
    except ValidationError as exc:
        problem = explain(exc, "source")[0]
        raise UserError(f"--source-meta {problem.field}: {problem.message}") from None


# --- duplicates and contradictions ---------------------------------------------------------


def _record_of(candidate: Candidate) -> Record | None:
    """The candidate's proposed record as a model, or None when it does not validate yet."""
    try:
        return RECORD_TYPES[candidate.kind].model_validate(candidate.record)
    except ValidationError:
        return None


def _same_value(a: Claim, b: Claim) -> bool:
    x, y = a.absolute_value, b.absolute_value
    return abs(x - y) <= SAME_VALUE * max(abs(x), abs(y)) or x == y


def _same_pair(a: Claim, b: Claim) -> bool:
    """Same actor and partner; either way round for a ``trade.bilateral`` indicator."""
    if (a.actor, a.partner) == (b.actor, b.partner):
        return True
    return a.indicator.startswith(SYMMETRIC) and (a.partner, a.actor) == (b.actor, b.partner)


def flag(candidates: Sequence[Candidate], evidence: Evidence) -> list[Candidate]:
    """Mark candidates that repeat (``duplicate_of``) or contradict (``contradicts``) a record.

    - A claim with the same indicator, actor and partner (either way round
      for ``trade.bilateral``), period, unit (and currency) as a stored claim repeats it when the figures agree within
      0.5% (in base units, ``value × scale``), and contradicts it otherwise.
    - An event of the same kind, date and actors repeats a stored event.
    - A stance of the same actor on the same target repeats a stored stance
      with the same score and contradicts one with another score.

    The flag names the stored record's id; the first match wins.
    """
    claims = evidence.claims()
    events = evidence.events
    stances = evidence.stances
    out = []
    for c in candidates:
        record = _record_of(c)
        duplicate: str | None = None
        contradicts: str | None = None
        if isinstance(record, Claim):
            for other in claims:
                if (
                    other.indicator == record.indicator
                    and _same_pair(other, record)
                    and other.period
                    == record.period.model_copy(
                        update={"approximate": other.period.approximate, "note": other.period.note}
                    )
                    and other.unit == record.unit
                    and other.currency == record.currency
                    and other.comparison_period == record.comparison_period
                ):
                    if _same_value(record, other):
                        duplicate = duplicate or other.id
                    else:
                        contradicts = contradicts or other.id
        elif isinstance(record, Event):
            for other_event in events:
                if (
                    other_event.kind == record.kind
                    and other_event.date == record.date
                    and set(other_event.actors) == set(record.actors)
                ):
                    duplicate = other_event.id
                    break
        elif isinstance(record, Stance):
            for other_stance in stances:
                if (other_stance.actor, other_stance.target) == (record.actor, record.target):
                    if other_stance.score == record.score:
                        duplicate = duplicate or other_stance.id
                    else:
                        contradicts = contradicts or other_stance.id
        out.append(c.model_copy(update={"duplicate_of": duplicate, "contradicts": contradicts}))
    return out


# --- the review file -------------------------------------------------------------------------


def review_path(document: Path) -> Path:
    """The default review file: ``NAME.candidates.yaml`` beside the document."""
    return document.with_name(document.name + ".candidates.yaml")


def _check_review_target(path: Path) -> None:
    """Refuse a review file that exists and is not one (never overwrite a user's file)."""
    if path.is_dir():
        raise UserError(f"the review file {path} is a folder; give a file with --review-file PATH")
    if not path.parent.is_dir():
        raise UserError(
            f"the folder of the review file {path} does not exist; create it or give "
            "another --review-file"
        )
    if path.exists():
        with open(path, encoding="utf-8", errors="replace") as f:
            first = f.readline().rstrip("\n")
        if first != REVIEW_MARKER:
            raise UserError(
                f"{path} exists and is not a candidates file of powerbalance; it was left as it "
                "is: give another --review-file PATH"
            )


def write_review_file(
    path: Path, doc: DocumentLike, source: Source, candidates: Sequence[Candidate]
) -> Path:
    """Write the candidates as YAML for review, atomically (a temporary file then a rename).

    The file starts with :data:`REVIEW_MARKER`; an existing file without it is
    refused (:class:`UserError`), one with it is replaced.
    """
    _check_review_target(path)
    data = {
        "document": doc.name,
        "document_sha256": doc.sha256,
        "language": doc.language,
        "source": source.to_json_dict(),
        "review": "powerbalance ingest review (or the dashboard's Review page)",
        "candidates": [
            {
                "id": c.id,
                "kind": c.kind,
                "status": c.status,
                "confidence": c.confidence,
                "offsets": [c.start, c.end],
                "match": c.match,
                "sentence": c.sentence,
                **({"duplicate_of": c.duplicate_of} if c.duplicate_of else {}),
                **({"contradicts": c.contradicts} if c.contradicts else {}),
                "notes": list(c.notes),
                "record": c.record,
            }
            for c in candidates
        ],
    }
    text = REVIEW_MARKER + "\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    done = False
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        done = True
    finally:
        if not done:
            with suppress(OSError):
                tmp.unlink()
    return path


# --- ingest ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IngestResult:
    """What an ingest proposed: the document, its source, the candidates and the review file."""

    document: DocumentLike
    source: Source
    candidates: list[Candidate]
    review_file: Path
    new: int  # candidates the store did not hold before
    notes: tuple[str, ...] = ()

    @property
    def source_id(self) -> str:
        return self.source.id

    def counts(self) -> dict[str, int]:
        """Candidates by kind, and how many are flagged."""
        out = {"claim": 0, "event": 0, "stance": 0}
        for c in self.candidates:
            out[c.kind] += 1
        out["duplicates"] = sum(1 for c in self.candidates if c.duplicate_of)
        out["contradictions"] = sum(1 for c in self.candidates if c.contradicts)
        return out

    def to_dict(self) -> dict[str, Any]:
        """What ``ingest --json`` prints."""
        doc = self.document
        return {
            "document": {
                "name": doc.name,
                "sha256": doc.sha256,
                "language": doc.language,
                "title": doc.title,
                "date": doc.date.isoformat() if doc.date else None,
            },
            "source": self.source.to_json_dict(),
            "source_id": self.source.id,
            "counts": self.counts(),
            "new": self.new,
            "review_file": str(self.review_file),
            "notes": list(self.notes),
            "candidates": [c.model_dump(mode="json", exclude_none=True) for c in self.candidates],
        }


def stage(
    store: Store,
    doc: DocumentLike,
    source: Source,
    candidates: Sequence[Candidate],
    *,
    review_file: Path,
    notes: Sequence[str] = (),
) -> IngestResult:
    """Flag, keep and write the candidates of a read document (the second half of :func:`ingest`).

    The review file's target is checked before the store is written, so a
    refused file leaves the store as it was.
    """
    _check_review_target(review_file)
    flagged = flag(candidates, store.evidence())
    held = {c.id: c for c in store.candidates(document=doc.name)}
    # a candidate reviewed before keeps its status (the store keeps it too)
    shown = [
        held[c.id].model_copy(update={"duplicate_of": c.duplicate_of, "contradicts": c.contradicts})
        if c.id in held
        else c
        for c in flagged
    ]
    # the file first: a file that cannot be written leaves the store as it was
    write_review_file(review_file, doc, source, shown)
    new = store.add_candidates(flagged, source=source)
    return IngestResult(doc, source, shown, review_file, new, tuple(notes))


def ingest(
    store: Store,
    path: str | Path,
    *,
    lang: str = "auto",
    source_meta: Mapping[str, str] | None = None,
    review_file: Path | None = None,
    progress: Progress | None = None,
    today: date | None = None,
) -> IngestResult:
    """Read an article and propose candidate claims, events and stances for review.

    Parameters
    ----------
    store
        The open store: its actors are looked for in the text, its records
        compared with the candidates, and the candidates kept in it.
    path
        Plain text, HTML or PDF.
    lang
        ``auto`` (detected), ``sv`` or ``en``.
    source_meta
        The article's source (:data:`SOURCE_META_KEYS`); see :func:`source_for`.
    review_file
        Where to write the candidates (default ``NAME.candidates.yaml`` beside the input).
    progress
        Called with (sentences done, sentences) while proposing.

    Raises
    ------
    UserError
        An unknown ``--source-meta`` key, a review file that is not one, or a
        document that cannot be read (empty, binary, no text, unknown language).
    """
    path = Path(path)
    if not path.exists():
        raise UserError(f"{path} does not exist; give the article's file (text, HTML or PDF)")
    if path.is_dir():
        raise UserError(f"{path} is a folder; give the article's file (text, HTML or PDF)")
    meta = dict(source_meta or {})
    _refuse_unknown_keys(meta)  # before any work
    target = Path(review_file) if review_file is not None else review_path(path)
    _check_review_target(target)
    from powerbalance.evidence.ingest import propose, read_document

    doc = read_document(path, lang=lang)
    source, notes = source_for(doc, meta, today=today)
    actors = store.evidence().actors
    candidates = propose(
        doc, actors=actors, source_id=source.id, article_date=source.date, progress=progress
    )
    return stage(store, doc, source, candidates, review_file=target, notes=notes)


# --- review ----------------------------------------------------------------------------------


def pending(store: Store) -> list[Candidate]:
    """The candidates waiting for review, in the order proposed."""
    return store.candidates("pending")


def candidate(store: Store, candidate_id: str) -> Candidate:
    """One candidate by id (an unknown id is refused with close pending ids)."""
    found = store.candidate(candidate_id)
    if found is None:
        raise UnknownCandidate(candidate_id, [c.id for c in store.candidates()])
    return found


def statement_field(kind: str) -> str:
    """The field a reviewer writes in their own words: statement, summary or rationale."""
    return {"claim": "statement", "event": "summary", "stance": "rationale"}[kind]


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def copies_sentence(statement: str, sentence: str, *, words: int = COPY_WORDS) -> bool:
    """Whether ``statement`` is the sentence or shares ``words`` consecutive words with it.

    Examples
    --------
    >>> s = "Handeln mellan Ryssland och Kina ökade med 66 procent mellan 2021 och 2024."
    >>> copies_sentence(s, s)
    True
    >>> copies_sentence("Russia-China trade grew by two thirds from 2021 to 2024.", s)
    False
    >>> copies_sentence("Som artikeln säger: mellan Ryssland och Kina ökade med 66 procent mellan.", s)
    True
    """
    mine, theirs = _words(statement), _words(sentence)
    if not mine:
        return False
    if mine == theirs:
        return True
    grams = {tuple(theirs[i : i + words]) for i in range(len(theirs) - words + 1)}
    return any(tuple(mine[i : i + words]) in grams for i in range(len(mine) - words + 1))


def parse_edits(pairs: Sequence[str]) -> dict[str, Any]:
    """``FIELD=VALUE`` texts as edits; values read as YAML (``250``, ``[RUS, CHN]``, ``2023``).

    A dotted field (``period.start=2023-01-01``) sets a field inside a mapping.

    Examples
    --------
    >>> parse_edits(["value=250", "period=2023", "actors=[RUS, CHN]"])
    {'value': 250, 'period': 2023, 'actors': ['RUS', 'CHN']}
    """
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ReviewError(f"--set takes FIELD=VALUE, got '{pair}'")
        try:
            value = yaml.safe_load(text) if text.strip() else None
        except yaml.YAMLError:
            value = text
        if isinstance(value, (date, datetime)):
            value = text.strip()  # dates stay text: the model reads them
        out[key] = value
    return out


def _apply(record: dict[str, Any], edits: Mapping[str, Any]) -> dict[str, Any]:
    data = {k: (dict(v) if isinstance(v, dict) else v) for k, v in record.items()}
    for key, value in edits.items():
        head = key.split(".", 1)[0]
        if head in FIXED_FIELDS:
            raise ReviewError(
                f"field '{head}' cannot be edited: "
                + (
                    "the tool writes the provenance"
                    if head == "provenance"
                    else "the source is the ingested article's"
                ),
                field=head,
            )
        parts = key.split(".")
        target = data
        for part in parts[:-1]:
            inner = target.get(part)
            if not isinstance(inner, dict):
                inner = {}
            target[part] = inner
            target = inner
        if value is None:
            target.pop(parts[-1], None)
        else:
            target[parts[-1]] = value
    return data


@dataclass(frozen=True)
class AcceptResult:
    """An accepted candidate: the record stored, and its verification when a check applies."""

    candidate: Candidate
    record: Record
    source_added: bool
    #: the claim's row of the coverage table (``status``, ``computed``, ``dataset``...);
    #: None for events and stances
    verification: dict[str, Any] | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def status(self) -> str | None:
        return None if self.verification is None else str(self.verification["status"])

    def to_dict(self) -> dict[str, Any]:
        """What ``ingest review --accept --json`` prints."""
        return {
            "candidate": self.candidate.id,
            "record": self.record.to_json_dict(),
            "source_added": self.source_added,
            "verification": self.verification,
            "notes": list(self.notes),
        }


def _printed_tolerance(value: float, qualifier: str) -> float:
    """Half a unit of the figure's last printed digit; for "about", 5% of it when larger.

    The rule of the bundled checks (``evidence/corpus/checks.yaml``).

    Examples
    --------
    >>> _printed_tolerance(245.0, "exact"), _printed_tolerance(1.8, "exact")
    (0.5, 0.05)
    >>> _printed_tolerance(4300.0, "about")
    215.0
    """
    text = f"{abs(value):.6f}".rstrip("0").rstrip(".")
    decimals = len(text.split(".", 1)[1]) if "." in text else 0
    half = 0.5 * 10.0 ** (-decimals)
    if qualifier == "about":
        return round(max(half, 0.05 * abs(value)), 10)
    return round(half, 10)


def check_for(claim: Claim, evidence: Evidence) -> Check | None:
    """The dataset check that applies to a new claim, borrowed from a stored claim's check.

    A stored claim with a check, the same indicator and the same actor and
    partner (either way round for a ``trade.bilateral`` indicator) lends its
    dataset, computation and parameters; the computation then reads the new
    claim's own period and value. A check whose parameters pin a year (an
    exchange rate of that year) is lent only to a claim of that year. The
    tolerance follows the bundled rule: half a unit of the figure's last
    printed digit, or for an "about" figure 5% of it when larger.
    """
    if claim.check is not None:
        return claim.check
    for other in evidence.claims(claim.indicator):
        check = other.check
        if check is None or not _same_pair(other, claim):
            continue
        pinned = check.params.get("year")
        if pinned is not None and int(pinned) != claim.period.end.year:
            continue
        return Check(
            dataset=check.dataset,
            computation=check.computation,
            params=dict(check.params),
            tolerance=_printed_tolerance(claim.value, claim.qualifier),
            note=f"the check of {other.id}, applied to this claim's period and figure",
        )
    return None


def verification_status(text: str | None) -> str | None:
    """``text`` when it names a verification status (``verified`` ...), else None."""
    from powerbalance.indicators.verification import STATUSES

    return text if text in STATUSES else None


def _verify(store: Store, claim: Claim) -> dict[str, Any]:
    from powerbalance.app.data import claim_statuses, registrations

    return claim_statuses(Evidence([claim]), registrations(store))[claim.id]


def _pending_candidate(store: Store, candidate_id: str, reviewer: str) -> Candidate:
    """The candidate to review: known, still pending, and a reviewer named."""
    if not reviewer.strip():
        raise ReviewError("give the reviewer's name (--reviewer NAME)", field="reviewer")
    cand = candidate(store, candidate_id)
    if cand.status != "pending":
        raise ReviewError(
            f"candidate '{cand.id}' was {cand.status} already"
            + (f" by {cand.reviewed_by}" if cand.reviewed_by else "")
            + "; list the pending ones with `powerbalance ingest review --list`"
        )
    return cand


def accept(
    store: Store,
    candidate_id: str,
    *,
    reviewer: str,
    statement: str | None,
    edits: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> AcceptResult:
    """Accept a pending candidate: build its record, check it, store it, verify it.

    Parameters
    ----------
    store
        The open, writable store.
    candidate_id
        A pending candidate's id.
    reviewer
        Who accepts it (kept in the provenance).
    statement
        The claim's statement (an event's summary, a stance's rationale) in
        the reviewer's own words: neither the article's sentence nor
        :data:`COPY_WORDS` consecutive words of it.
    edits
        Fields of the proposed record to change (``{"value": 250}``; a dotted
        key sets a field of a mapping, ``None`` removes a field).

    Returns
    -------
    AcceptResult
        The stored record and, for a claim, its verification against the
        registered datasets (``unverifiable`` with the dataset that would
        settle it when no check applies or the dataset is not registered).

    Raises
    ------
    UnknownCandidate, ReviewError, InputFileError
        An unknown id, a candidate reviewed already, a missing or copied
        statement, or an edit the evidence model refuses (the field named).
        Nothing is stored then.
    """
    cand = _pending_candidate(store, candidate_id, reviewer)
    text_field = statement_field(cand.kind)
    template = str(cand.record.get(text_field) or "")
    if statement is None or not statement.strip():
        raise ReviewError(
            f"write the {text_field} in your own words (--statement TEXT); "
            f"a neutral start: {template!r}",
            field=text_field,
        )
    statement = " ".join(statement.split())
    if copies_sentence(statement, cand.sentence):
        raise ReviewError(
            f"the {text_field} copies the article's sentence (the same {COPY_WORDS} or more words "
            "in a row): write it in your own words; figures and dates may carry over",
            field=text_field,
        )
    moment = (now or datetime.now()).astimezone()
    data = _apply(cand.record, edits or {})
    data[text_field] = statement
    data["provenance"] = Provenance(
        document=cand.document,
        document_sha256=cand.document_sha256,
        start=cand.start,
        end=cand.end,
        candidate=cand.id,
        accepted_by=reviewer.strip(),
        accepted_at=moment.isoformat(timespec="seconds"),
        confidence=cand.confidence,
    ).model_dump()
    try:
        record = RECORD_TYPES[cand.kind].model_validate(data)
    except ValidationError as exc:
        problem = explain(exc, cand.kind)[0]
        raise InputFileError(
            f"candidate {cand.id}",
            problem.message,
            field=problem.field,
            hint="change it with --set FIELD=VALUE",
        ) from None
    notes: list[str] = []
    if cand.duplicate_of:
        notes.append(f"it repeats {cand.duplicate_of}, which the store holds already")
    if cand.contradicts:
        notes.append(f"it contradicts {cand.contradicts}")
    if isinstance(record, Claim) and record.check is None:
        check = check_for(record, store.evidence())
        if check is not None:
            record = record.model_copy(update={"check": check})
    source_added = store.accept_candidate(
        cand.id, record, reviewed_by=reviewer.strip(), reviewed_at=moment
    )
    accepted = candidate(store, cand.id)
    verification = _verify(store, record) if isinstance(record, Claim) else None
    return AcceptResult(accepted, record, source_added, verification, tuple(notes))


def reject(
    store: Store, candidate_id: str, *, reviewer: str, now: datetime | None = None
) -> Candidate:
    """Reject a pending candidate: it is marked rejected and the evidence is not touched."""
    cand = _pending_candidate(store, candidate_id, reviewer)
    moment = (now or datetime.now()).astimezone()
    store.reject_candidate(cand.id, reviewed_by=reviewer.strip(), reviewed_at=moment)
    return candidate(store, cand.id)


# --- presentation helpers shared by the terminal and the dashboard ---------------------------


def highlight(sentence: str, match: str) -> list[tuple[str, bool]]:
    """The sentence cut into pieces, each marked whether it is part of the matched words.

    The match is looked for whole (ignoring case); failing that, each of its
    words is marked where it occurs as a word.

    Examples
    --------
    >>> highlight("Trade grew 66 percent.", "66 percent")
    [('Trade grew ', False), ('66 percent', True), ('.', False)]
    """
    if not match.strip():
        return [(sentence, False)] if sentence else []
    at = sentence.lower().find(match.lower())
    if at >= 0:
        pieces = [
            (sentence[:at], False),
            (sentence[at : at + len(match)], True),
            (sentence[at + len(match) :], False),
        ]
        return [p for p in pieces if p[0]]
    words = {w.lower() for w in re.findall(r"\w+", match)}
    out: list[tuple[str, bool]] = []
    for piece in re.split(r"(\w+)", sentence):
        if not piece:
            continue
        marked = piece.lower() in words
        if out and out[-1][1] == marked:
            out[-1] = (out[-1][0] + piece, marked)
        else:
            out.append((piece, marked))
    return out


def review_view(c: Candidate) -> dict[str, Any]:
    """A candidate as the review shows it: pieces of the sentence, the record, the flags."""
    text_field = statement_field(c.kind)
    record = {k: v for k, v in c.record.items() if k != text_field}
    return {
        "id": c.id,
        "kind": c.kind,
        "status": c.status,
        "document": c.document,
        "language": c.language,
        "offsets": [c.start, c.end],
        "confidence": c.confidence,
        "pieces": highlight(c.sentence, c.match),
        "record": record,
        "record_yaml": yaml.safe_dump(record, allow_unicode=True, sort_keys=False),
        "template": str(c.record.get(text_field) or ""),
        "statement_field": text_field,
        "notes": list(c.notes),
        "duplicate_of": c.duplicate_of,
        "contradicts": c.contradicts,
    }
