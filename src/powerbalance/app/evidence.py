"""Evidence use cases: list, show, import and add records; the template and the vocabulary.

``powerbalance evidence ...`` and the dashboard's Evidence pages and API call
these; every write goes through the store's validated, all-or-nothing
transactions (:class:`~powerbalance.evidence.store.Store`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from powerbalance.errors import UserError
from powerbalance.evidence.corpus import template_text
from powerbalance.evidence.models import Claim, Event, Record, Stance
from powerbalance.evidence.store import Store
from powerbalance.evidence.vocabulary import EVENT_KINDS, INDICATORS, ISSUES, STANCE_SCALE
from powerbalance.scenarios.montecarlo import Progress

#: The kinds of record, as ``--kind`` and the API's ``kind`` name them.
KINDS = ("actor", "source", "claim", "event", "stance")


@dataclass(frozen=True)
class Listing:
    """Records matching a query, with where each came from (``bundled`` or ``user:...``)."""

    records: list[Record]
    origins: dict[str, str | None]

    def to_dicts(self) -> list[dict[str, Any]]:
        return [{**r.to_json_dict(), "origin": self.origins.get(r.id)} for r in self.records]


def list_records(
    store: Store,
    *,
    kind: str | None = None,
    actor: str | None = None,
    indicator: str | None = None,
    text: str | None = None,
) -> Listing:
    """Records matching every filter given; without ``kind``, claims, events and stances.

    Raises
    ------
    UserError
        An unknown kind, or an actor the evidence does not know (with close matches).
    """
    if kind is not None and kind not in KINDS:
        raise UserError(f"--kind must be one of {', '.join(KINDS)}, not '{kind}'")
    if actor is not None:
        store.evidence().actor(actor)  # unknown actor: error with suggestions
    records = store.query(kind=kind, actor=actor, indicator=indicator, text=text)
    if kind is None:
        records = [r for r in records if isinstance(r, (Claim, Event, Stance))]
    origins = store.origins()
    return Listing(records, {r.id: origins.get(r.id) for r in records})


@dataclass(frozen=True)
class Shown:
    """One record in full, where it came from, and the source it cites."""

    record: Record
    origin: str | None
    source: Record | None

    def to_dict(self) -> dict[str, Any]:
        data = {**self.record.to_json_dict(), "origin": self.origin}
        if self.source is not None:
            data["source_record"] = self.source.to_json_dict()
        return data


def show(store: Store, record_id: str) -> Shown:
    """A record by id (an unknown id is refused with close matches) with its source."""
    r = store.get(record_id)
    src = store.get(r.source) if isinstance(r, (Claim, Event, Stance)) else None
    return Shown(r, store.origin(record_id), src)


@dataclass(frozen=True)
class Imported:
    """What an import added, and what the store holds after it."""

    file: str
    imported: int
    store: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "imported": self.imported, "store": dict(self.store)}


def import_file(
    store: Store, file: str | Path, *, replace: bool = False, progress: Progress | None = None
) -> Imported:
    """Add the records of a YAML, JSON or CSV file: all of them or, on any error, none."""
    n = store.import_file(file, replace=replace, progress=progress)
    return Imported(str(file), n, store.counts())


def add_records(store: Store, records: Sequence[Record], *, origin: str, file: str) -> int:
    """Add records typed in a form (all or none); ``file`` names them in error messages."""
    return store.add_records(records, origin=origin, file=file)


def write_template(out: str | Path, *, force: bool = False) -> Path:
    """Write the commented example of a source, claim, event and stance to ``out``."""
    path = Path(out)
    if path.exists() and not force:
        raise UserError(f"{path} exists already; choose another name or pass --force")
    if not path.parent.is_dir():
        raise UserError(f"the folder {path.parent} does not exist; create it first")
    path.write_text(template_text(), encoding="utf-8")
    return path


def vocabulary() -> dict[str, Any]:
    """The controlled vocabulary: indicator keys, event kinds, issues and the stance scale."""
    return {
        "indicators": {
            k: {
                "description": i.description,
                "units": list(i.units),
                "pair": i.pair,
                "change": i.change,
            }
            for k, i in INDICATORS.items()
        },
        "event_kinds": EVENT_KINDS,
        "issues": ISSUES,
        "stance_scale": {str(k): v for k, v in STANCE_SCALE.items()},
    }
