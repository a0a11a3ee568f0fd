"""An in-memory, indexed collection of evidence records.

Indicators and relations are pure functions of an :class:`Evidence`: they do
not touch the store. Build one from the bundled corpus
(:func:`powerbalance.evidence.corpus.load_corpus`) or from a store
(:meth:`powerbalance.evidence.store.Store.evidence`).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Iterator
from typing import TypeVar

from powerbalance.errors import MissingEvidence, UnknownActor, UnknownRecord
from powerbalance.evidence.models import Actor, Claim, Event, Record, Source, Stance

R = TypeVar("R", bound=Record)


class Evidence:
    """Records by id, with lookups by kind, actor and indicator."""

    def __init__(self, records: Iterable[Record] = ()) -> None:
        self._by_id: dict[str, Record] = {}
        for r in records:
            if r.id in self._by_id:
                raise ValueError(f"duplicate evidence id '{r.id}'")
            self._by_id[r.id] = r

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Record]:
        return iter(self._by_id.values())

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._by_id

    def get(self, record_id: str) -> Record:
        try:
            return self._by_id[record_id]
        except KeyError:
            raise UnknownRecord(record_id, self._by_id) from None

    def of_type(self, cls: type[R]) -> list[R]:
        return [r for r in self._by_id.values() if isinstance(r, cls)]

    @property
    def actors(self) -> list[Actor]:
        return self.of_type(Actor)

    @property
    def sources(self) -> list[Source]:
        return self.of_type(Source)

    @property
    def events(self) -> list[Event]:
        return sorted(self.of_type(Event), key=lambda e: (e.date, e.id))

    @property
    def stances(self) -> list[Stance]:
        return self.of_type(Stance)

    def actor(self, actor_id: str) -> Actor:
        r = self._by_id.get(actor_id)
        if not isinstance(r, Actor):
            raise UnknownActor(actor_id, [a.id for a in self.actors])
        return r

    def source(self, source_id: str) -> Source:
        r = self._by_id.get(source_id)
        if not isinstance(r, Source):
            raise UnknownRecord(source_id, [s.id for s in self.sources])
        return r

    def claims(
        self,
        indicator: str | None = None,
        *,
        actor: str | None = None,
        partner: str | None = None,
    ) -> list[Claim]:
        """Claims matching an indicator (a glob such as ``trade.*`` is allowed), actor and partner."""
        out = []
        for c in self.of_type(Claim):
            if indicator is not None and not fnmatch.fnmatchcase(c.indicator, indicator):
                continue
            if actor is not None and c.actor != actor:
                continue
            if partner is not None and c.partner != partner:
                continue
            out.append(c)
        return sorted(out, key=lambda c: (c.period.end, c.id))

    def claim(self, indicator: str, *, actor: str, partner: str | None = None) -> Claim:
        """The latest claim for an indicator and actor (and partner), or :class:`MissingEvidence`."""
        found = self.claims(indicator, actor=actor, partner=partner)
        if not found:
            pair = f"{actor}" + (f"–{partner}" if partner else "")
            raise MissingEvidence(
                f"no claim '{indicator}' for {pair} in the evidence; "
                "add one with `powerbalance evidence import FILE`"
            )
        return found[-1]

    def stances_of(self, actor: str | None = None, *, target: str | None = None) -> list[Stance]:
        return [
            s
            for s in self.stances
            if (actor is None or s.actor == actor) and (target is None or s.target == target)
        ]

    def speaks_for(self, state: str) -> set[str]:
        """The state itself and every official actor (leader, agency) that belongs to it."""
        return {state} | {a.id for a in self.actors if a.country == state and a.official}

    def involving(self, actor_id: str) -> list[Record]:
        """Every claim, event and stance that names the actor."""
        out: list[Record] = []
        for r in self._by_id.values():
            if isinstance(r, (Claim, Event, Stance)):
                names = r.actors() if not isinstance(r, Event) else r.actors
                if actor_id in names:
                    out.append(r)
        return out
