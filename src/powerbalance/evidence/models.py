"""Typed, validated evidence records: actors, sources, claims, events, stances.

Every record has a stable ``id``. Claims, events and stances name the source
they come from and the section of it; claims carry their unit, period and the
authority the source cites. Validation happens when a record is built, so a
malformed file fails on load, naming the record and the field.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from powerbalance.evidence.vocabulary import (
    DATE_PRECISIONS,
    EVENT_KINDS,
    INDICATORS,
    ISSUES,
    STANCE_SCALE,
    UNITS,
)

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"
RecordId = Annotated[str, Field(pattern=ID_PATTERN, min_length=2, max_length=80)]

ActorKind = Literal[
    "state", "territory", "person", "faction", "organisation", "bloc", "company", "media", "agency"
]


class Record(BaseModel):
    """Base of every evidence record: frozen, strict about unknown fields."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: RecordId

    def to_json_dict(self) -> dict[str, Any]:
        """The record as JSON-ready data, with its ``type``."""
        data = self.model_dump(mode="json", exclude_none=True)
        data = {"type": self.type_name(), **data}
        return data

    @classmethod
    def type_name(cls) -> str:
        return cls.__name__.lower()


class Actor(Record):
    """A state, person, faction, organisation, bloc, company, media outlet or agency."""

    kind: ActorKind
    name_en: str = Field(min_length=1)
    name_sv: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    iso3: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    iso2: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    cow_code: int | None = Field(default=None, ge=1, le=999)
    country: str | None = None  # the state a person, faction or agency belongs to
    official: bool = False  # holds office: speaks for its state's government
    members: list[str] = Field(default_factory=list)  # for blocs and factions
    description: str = ""

    @model_validator(mode="after")
    def _state_codes(self) -> Actor:
        if self.kind == "state" and self.iso3 is None:
            raise ValueError("a state needs its iso3 code")
        return self


class Source(Record):
    """A publication the evidence comes from."""

    publication: str
    title: str
    author: str | None = None
    date: date
    date_precision: Literal["day", "month", "year"] = "day"
    language: str = Field(pattern=r"^[a-z]{2}$")
    translated_from: str | None = Field(default=None, pattern=r"^[a-z]{2}$")
    translation_of: str | None = None  # id of the original Source, when held
    url: str | None = None
    note: str = ""


class Period(BaseModel):
    """A closed interval of dates; ``note`` explains an approximate period."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: date
    end: date
    approximate: bool = False
    note: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")
        return self

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(start=date(year, 1, 1), end=date(year, 12, 31))

    @classmethod
    def years(cls, first: int, last: int) -> Period:
        return cls(start=date(first, 1, 1), end=date(last, 12, 31))

    def label(self) -> str:
        """A compact label: ``2024``, ``2020-2024``, ``2025-03`` or the two dates."""
        s, e = self.start, self.end
        if (s.month, s.day, e.month, e.day) == (1, 1, 12, 31):
            text = str(s.year) if s.year == e.year else f"{s.year}-{e.year}"
        elif s.day == 1 and s.year == e.year and s.month == e.month:
            text = f"{s.year}-{s.month:02d}"
        else:
            text = f"{s.isoformat()}..{e.isoformat()}"
        return ("c. " + text) if self.approximate else text


def _period_from_shorthand(value: Any) -> Any:
    """Accept ``2024``, ``"2020-2024"`` or ``{year: 2024}`` besides a full period."""
    if isinstance(value, int):
        return Period.year(value)
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*", value)
        if m:
            first = int(m.group(1))
            last = int(m.group(2) or first)
            return Period.years(first, last)
    if isinstance(value, dict) and "year" in value:
        extra = {k: v for k, v in value.items() if k != "year"}
        return Period.year(int(value["year"])).model_copy(update=extra)
    return value


Verification = Literal["unchecked", "verified", "contradicted", "unverifiable"]


class Check(BaseModel):
    """How a public dataset can confirm a claim: which dataset, which computation."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dataset: str
    computation: str
    params: dict[str, Any] = Field(default_factory=dict)
    tolerance: float = Field(default=0.0, ge=0)
    note: str = ""


class Claim(Record):
    """A quantity about one actor or a pair, as a source states it."""

    indicator: str
    actor: str
    partner: str | None = None
    value: float
    unit: str
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    scale: float = Field(default=1.0, gt=0)  # 1e9 when value is in billions
    qualifier: Literal["exact", "about", "at_least", "at_most", "more_than", "less_than"] = "exact"
    period: Period
    comparison_period: Period | None = None
    reference: str | None = None  # what the indicator's text says is named here
    authority: str | None = None  # actor id of who the source cites for it
    source: str
    section: str
    statement: str = Field(min_length=10)
    check: Check | None = None

    _norm_period = field_validator("period", "comparison_period", mode="before")(
        lambda cls, v: _period_from_shorthand(v)
    )

    @model_validator(mode="after")
    def _consistent(self) -> Claim:
        spec = INDICATORS.get(self.indicator)
        if spec is None:
            raise ValueError(
                f"indicator '{self.indicator}' is not in the vocabulary; "
                "see `powerbalance evidence indicators`"
            )
        if self.unit not in UNITS:
            raise ValueError(f"unit '{self.unit}' is not one of {sorted(UNITS)}")
        if self.unit not in spec.units:
            raise ValueError(
                f"indicator '{self.indicator}' takes unit {' or '.join(spec.units)}, not '{self.unit}'"
            )
        if self.unit == "money" and self.currency is None:
            raise ValueError("a money value needs its currency (e.g. USD)")
        if spec.pair and self.partner is None:
            raise ValueError(f"indicator '{self.indicator}' is about a pair: give the partner")
        if spec.change and self.comparison_period is None:
            raise ValueError(
                f"indicator '{self.indicator}' is a change: give the comparison_period"
            )
        if self.unit == "percent" and not spec.change and not 0 <= self.value <= 100:
            raise ValueError(f"a share must lie in 0..100, got {self.value}")
        return self

    @property
    def absolute_value(self) -> float:
        """The value in base units (e.g. dollars rather than billions of dollars)."""
        return self.value * self.scale

    def actors(self) -> list[str]:
        return [a for a in (self.actor, self.partner) if a]


class Event(Record):
    """A dated happening: a summit, parade, sanction, tariff, vote, interview, ..."""

    date: date
    date_precision: Literal["day", "month", "year"] = "day"
    actors: list[str] = Field(min_length=1)
    kind: str
    summary: str = Field(min_length=10)
    source: str
    section: str

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in EVENT_KINDS:
            raise ValueError(f"event kind '{value}' is not one of {sorted(EVENT_KINDS)}")
        return value

    @field_validator("date_precision")
    @classmethod
    def _precision(cls, value: str) -> str:
        assert value in DATE_PRECISIONS
        return value

    @field_validator("date", mode="before")
    @classmethod
    def _partial_dates(cls, value: Any) -> Any:
        # "2025-03" and "2019" are allowed; the precision field says which.
        if isinstance(value, int):
            return date(value, 1, 1)
        if isinstance(value, str):
            if re.fullmatch(r"\d{4}", value):
                return date(int(value), 1, 1)
            if re.fullmatch(r"\d{4}-\d{2}", value):
                y, m = value.split("-")
                return date(int(y), int(m), 1)
        return value

    def date_label(self) -> str:
        if self.date_precision == "year":
            return str(self.date.year)
        if self.date_precision == "month":
            return f"{self.date.year}-{self.date.month:02d}"
        return self.date.isoformat()


class Stance(Record):
    """An actor's position towards an issue or another actor on the scale -2..2."""

    actor: str
    target: str
    target_kind: Literal["issue", "actor"]
    score: int = Field(ge=-2, le=2)
    rationale: str = Field(min_length=10)
    source: str
    section: str

    @model_validator(mode="after")
    def _issue_known(self) -> Stance:
        if self.target_kind == "issue" and self.target not in ISSUES:
            raise ValueError(f"issue '{self.target}' is not one of {sorted(ISSUES)}")
        return self

    @property
    def direction(self) -> Literal["for", "against", "neutral"]:
        return "for" if self.score > 0 else "against" if self.score < 0 else "neutral"

    @property
    def intensity(self) -> int:
        return abs(self.score)

    @property
    def scale_label(self) -> str:
        return STANCE_SCALE[self.score]

    def actors(self) -> list[str]:
        return [self.actor] + ([self.target] if self.target_kind == "actor" else [])


RECORD_TYPES: dict[str, type[Record]] = {
    "actor": Actor,
    "source": Source,
    "claim": Claim,
    "event": Event,
    "stance": Stance,
}
