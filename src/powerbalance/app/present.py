"""Library results as rows and plain data for every interface.

The command line's ``--json``, the dashboard's pages and JSON API and the report
show evidence records and results the same way: these functions turn them into
JSON-ready data (dicts, lists, numbers, strings; NaN as None).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from powerbalance.evidence.collection import Evidence
from powerbalance.evidence.models import Actor, Claim, Event, Record, Source, Stance
from powerbalance.i18n import normalise_lang


def plain(obj: Any) -> Any:
    """Library results as JSON-ready data: dataclasses, pydantic models, numpy, pandas.

    NaN becomes None (missing is not zero).

    Examples
    --------
    >>> plain({"a": float("nan"), "b": (1, 2.5), "c": date(2025, 5, 12)})
    {'a': None, 'b': [1, 2.5], 'c': '2025-05-12'}
    """
    if obj is None or isinstance(obj, (bool, int, str)):
        return obj
    if isinstance(obj, float):
        return None if math.isnan(obj) or math.isinf(obj) else obj
    if isinstance(obj, (date, datetime)):
        return obj.isoformat()
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        items = sorted(obj, key=str) if isinstance(obj, (set, frozenset)) else obj
        return [plain(v) for v in items]
    if hasattr(obj, "to_dict") and callable(obj.to_dict):
        try:
            out = obj.to_dict(orient="records") if _is_frame(obj) else obj.to_dict()
        except TypeError:
            out = obj.to_dict()
        return plain(out)
    if hasattr(obj, "model_dump"):
        return plain(obj.model_dump(mode="json"))
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return plain({f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)})
    if hasattr(obj, "tolist"):
        return plain(obj.tolist())
    if hasattr(obj, "item"):
        return plain(obj.item())
    if hasattr(obj, "_asdict"):
        return plain(obj._asdict())
    if hasattr(obj, "value") and hasattr(obj, "name") and type(obj).__module__ != "builtins":
        return plain(obj.value)  # enums
    return str(obj)


def _is_frame(obj: Any) -> bool:
    return type(obj).__name__ == "DataFrame"


def actor_name(evidence: Evidence, actor_id: str | None, lang: str) -> str | None:
    """The actor's name in ``lang``, or the id when the evidence does not know it."""
    if actor_id is None:
        return None
    if actor_id in evidence:
        r = evidence.get(actor_id)
        if isinstance(r, Actor):
            return r.name_sv if lang == "sv" else r.name_en
    return actor_id


def source_row(evidence: Evidence, source_id: str | None) -> dict[str, Any] | None:
    """A source's citation fields, or None when it is not in the evidence."""
    if source_id is None or source_id not in evidence:
        return None
    s = evidence.get(source_id)
    if not isinstance(s, Source):
        return None
    return {
        "id": s.id,
        "publication": s.publication,
        "title": s.title,
        "author": s.author,
        "date": s.date.isoformat(),
        "language": s.language,
        "url": s.url,
    }


def verification_of(claim: Claim) -> dict[str, Any]:
    """What is known of a claim's verification: which dataset can check it, if any."""
    if claim.check is None:
        return {"status": "unchecked", "dataset": None, "computation": None}
    return {
        "status": "checkable",
        "dataset": claim.check.dataset,
        "computation": claim.check.computation,
    }


def record_row(
    record: Record,
    evidence: Evidence,
    *,
    lang: str = "en",
    origin: str | None = None,
    verified: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One evidence record as a row for tables and the API (with its source).

    ``verified`` maps claim ids to their verification results (see
    :func:`verification_statuses`); without it a claim shows which dataset
    could check it.
    """
    lang = normalise_lang(lang)
    row: dict[str, Any] = {"id": record.id, "type": record.type_name(), "origin": origin}
    if isinstance(record, Claim):
        row.update(
            indicator=record.indicator,
            actor=record.actor,
            actor_name=actor_name(evidence, record.actor, lang),
            partner=record.partner,
            partner_name=actor_name(evidence, record.partner, lang),
            value=record.value,
            unit=record.unit,
            currency=record.currency,
            scale=record.scale,
            qualifier=record.qualifier,
            period=record.period.label(),
            period_end=record.period.end.isoformat(),
            comparison_period=(
                record.comparison_period.label() if record.comparison_period else None
            ),
            authority=record.authority,
            text=record.statement,
            section=record.section,
            source=source_row(evidence, record.source) or {"id": record.source},
            verification=(verified or {}).get(record.id) or verification_of(record),
        )
    elif isinstance(record, Event):
        row.update(
            date=record.date_label(),
            kind=record.kind,
            actors=list(record.actors),
            actor_names=[actor_name(evidence, a, lang) for a in record.actors],
            text=record.summary,
            section=record.section,
            source=source_row(evidence, record.source) or {"id": record.source},
        )
    elif isinstance(record, Stance):
        row.update(
            actor=record.actor,
            actor_name=actor_name(evidence, record.actor, lang),
            target=record.target,
            target_kind=record.target_kind,
            score=record.score,
            scale_label=record.scale_label,
            text=record.rationale,
            section=record.section,
            source=source_row(evidence, record.source) or {"id": record.source},
        )
    elif isinstance(record, Actor):
        row.update(
            kind=record.kind,
            name=record.name_sv if lang == "sv" else record.name_en,
            country=record.country,
            text=record.description,
        )
    elif isinstance(record, Source):
        row.update(
            publication=record.publication,
            title=record.title,
            author=record.author,
            date=record.date.isoformat(),
            language=record.language,
            text=record.note,
            url=record.url,
        )
    if isinstance(record, (Claim, Event, Stance)) and record.provenance is not None:
        # where in which article the record was read, and who accepted it (``ingest``)
        row["provenance"] = record.provenance.model_dump(mode="json")
    return row


def evidence_rows(
    records: Iterable[Record],
    evidence: Evidence,
    *,
    lang: str = "en",
    origins: dict[str, str] | None = None,
    verified: dict[str, dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Rows for a list of records (as returned by ``Store.query``)."""
    origins = origins or {}
    return [
        record_row(r, evidence, lang=lang, origin=origins.get(r.id), verified=verified)
        for r in records
    ]


def evidence_counts(evidence: Evidence) -> dict[str, int]:
    """How many records of each kind the evidence holds."""
    counts: dict[str, int] = {}
    for r in evidence:
        counts[r.type_name()] = counts.get(r.type_name(), 0) + 1
    return dict(sorted(counts.items()))


def period_x(start: date, end: date) -> str:
    """Where a claim's period sits on a date axis (an ISO date).

    A date axis labels a year at its 1 January, so a calendar year is placed
    there (``2024`` at 2024-01-01, not at its last day, which the axis shows
    as the next year); several whole years at the last of them; a calendar
    month at its first day; any other period at its end.

    Examples
    --------
    >>> period_x(date(2024, 1, 1), date(2024, 12, 31))
    '2024-01-01'
    >>> period_x(date(2020, 1, 1), date(2024, 12, 31))
    '2024-01-01'
    >>> period_x(date(2025, 3, 1), date(2025, 3, 31))
    '2025-03-01'
    >>> period_x(date(2025, 2, 24), date(2025, 5, 9))
    '2025-05-09'
    """
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return date(end.year, 1, 1).isoformat()
    if start.day == 1 and (start.year, start.month) == (end.year, end.month):
        return start.isoformat()
    return end.isoformat()
