"""Typed, validated evidence records: actors, sources, claims, events, stances.

Every record has a stable ``id``. Claims, events and stances name the source
they come from and the section of it; claims carry their unit, period and the
authority the source cites. Validation happens when a record is built, so a
malformed file fails on load, naming the record and the field.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from powerbalance.errors import suggest
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
# A reference to another record (actor, source) or a vocabulary key: id-shaped.
RefId = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=80)]
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]

# Validation context of records read back from the store: they were valid when
# written, so rules added since (value ranges) do not lock the user out of them.
STORED = {"stored": True}


class FieldProblem(ValueError):
    """A rule about one field broken inside a validator that sees the whole record.

    pydantic reports model-level errors without a field; :func:`explain_error`
    takes the field from here so the message still names it.
    """

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def _finite_or_none(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite_or_none(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite_or_none(v) for v in value]
    return value


def _has_non_finite(value: Any) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, dict):
        return any(_has_non_finite(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_non_finite(v) for v in value)
    return False


def _from_store(info: ValidationInfo | None) -> bool:
    return bool(info is not None and isinstance(info.context, dict) and info.context.get("stored"))


def _year_date(value: Any, field: str) -> date:
    """The 1 January of a year given as a whole number (1..9999)."""
    if not 1 <= value <= 9999:
        raise FieldProblem(field, f"a year must lie in 1..9999, got {value}")
    return date(value, 1, 1)


def _partial_date(value: Any, field: str) -> Any:
    """Accept a year (``2019``, ``"2019"``) or a month (``"2025-03"``) as its first day."""
    if isinstance(value, bool):
        raise FieldProblem(field, f"{field} must be a date like 2025-06-01, not {value}")
    if isinstance(value, int):
        return _year_date(value, field)
    if isinstance(value, float):
        raise FieldProblem(
            field, f"{field} must be a date like 2025-06-01 or a year like 2025, not {value:g}"
        )
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"\d{4}", text):
            return _year_date(int(text), field)
        m = re.fullmatch(r"(\d{4})-(\d{2})", text)
        if m:
            month = int(m.group(2))
            if not 1 <= month <= 12:
                raise FieldProblem(field, f"'{text}' has month {month}; a month lies in 01..12")
            return date(_year_date(int(m.group(1)), field).year, month, 1)
    return value


ActorKind = Literal[
    "state", "territory", "person", "faction", "organisation", "bloc", "company", "media", "agency"
]


class Record(BaseModel):
    """Base of every evidence record: frozen, strict about unknown fields."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: RecordId

    def to_json_dict(self) -> dict[str, Any]:
        """The record as JSON-ready data, with its ``type``.

        A number that is not finite (only in records stored before such numbers
        were refused) is written as null: strict JSON has no inf or nan.
        """
        data = _finite_or_none(self.model_dump(mode="json", exclude_none=True))
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
    country: RefId | None = None  # the state a person, faction or agency belongs to
    official: bool = False  # holds office: speaks for its state's government
    members: list[RefId] = Field(default_factory=list)  # for blocs and factions
    description: str = ""

    @model_validator(mode="after")
    def _state_codes(self) -> Actor:
        if self.kind == "state" and self.iso3 is None:
            raise FieldProblem(
                "iso3", "a state needs its iso3 code (three capital letters, e.g. USA)"
            )
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
    translation_of: RefId | None = None  # id of the original Source, when held
    url: str | None = None
    note: str = ""

    @field_validator("date", mode="before")
    @classmethod
    def _partial_dates(cls, value: Any) -> Any:
        # "2025-03" and "2019" are allowed; the precision field says which.
        return _partial_date(value, "date")


class Period(BaseModel):
    """A closed interval of dates; ``note`` explains an approximate period."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: date
    end: date
    approximate: bool = False
    note: str = ""

    @field_validator("start", "end", mode="before")
    @classmethod
    def _partial_bounds(cls, value: Any, info: ValidationInfo) -> Any:
        # A year or a month stands for its first day (start) or its last day (end).
        field = info.field_name or "start"
        first = _partial_date(value, field)
        if field != "end" or not isinstance(first, date) or isinstance(value, date):
            return first
        if re.fullmatch(r"\s*\d{4}\s*", str(value)):
            return date(first.year, 12, 31)
        if first.month == 12:
            return date(first.year, 12, 31)
        return date.fromordinal(date(first.year, first.month + 1, 1).toordinal() - 1)

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise FieldProblem(
                "end", f"the period ends ({self.end}) before it starts ({self.start})"
            )
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


PERIOD_FORMS = (
    "a period is a year like 2024, a range like 2021-2024, "
    "or start and end dates ({start: 2021-01-01, end: 2024-12-31})"
)


def _shorthand_year(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(PERIOD_FORMS)
    if isinstance(value, str):
        if not re.fullmatch(r"\s*\d{1,4}\s*", value):
            raise ValueError(PERIOD_FORMS)
        value = int(value)
    if not 1 <= value <= 9999:
        raise ValueError(f"a year must lie in 1..9999, got {value}")
    return value


def _period_from_shorthand(value: Any) -> Any:
    """Accept ``2024``, ``"2020-2024"`` or ``{year: 2024}`` besides a full period."""
    if isinstance(value, (bool, float)):
        raise ValueError(PERIOD_FORMS)
    if isinstance(value, int):
        year = _shorthand_year(value)
        return {"start": date(year, 1, 1), "end": date(year, 12, 31)}
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*", value)
        if m:
            first = _shorthand_year(int(m.group(1)))
            last = _shorthand_year(int(m.group(2) or first))
            return {"start": date(first, 1, 1), "end": date(last, 12, 31)}
        raise ValueError(PERIOD_FORMS)
    if isinstance(value, dict) and "year" in value:
        year = _shorthand_year(value["year"])
        extra = {k: v for k, v in value.items() if k != "year"}
        return {"start": date(year, 1, 1), "end": date(year, 12, 31), **extra}
    if value is not None and not isinstance(value, (dict, Period)):
        raise ValueError(PERIOD_FORMS)
    return value


Verification = Literal[
    "unchecked", "verified", "depends_on_definition", "contradicted", "unverifiable"
]


class Check(BaseModel):
    """How a public dataset can confirm a claim: which dataset, which computation."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dataset: str
    computation: str
    params: dict[str, Any] = Field(default_factory=dict)
    tolerance: float = Field(default=0.0, ge=0)
    note: str = ""

    @model_validator(mode="after")
    def _finite(self, info: ValidationInfo) -> Check:
        if _from_store(info):
            return self
        if not math.isfinite(self.tolerance):
            raise FieldProblem(
                "tolerance", f"tolerance must be a finite number, not {self.tolerance}"
            )
        if _has_non_finite(self.params):
            raise FieldProblem("params", "params must hold finite numbers only (no inf or nan)")
        return self


class Provenance(BaseModel):
    """Where an ingested record was read: the document, the sentence's offsets, the reviewer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    document: str  # file name of the ingested document
    document_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    start: int = Field(ge=0)  # character offsets of the supporting sentence
    end: int = Field(ge=0)
    candidate: str  # the candidate's id
    accepted_by: str = Field(min_length=1)
    accepted_at: str  # ISO 8601 date and time
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)

    def label(self) -> str:
        """Where and by whom, in one line: ``DOC, characters A-B; accepted by WHO at WHEN``."""
        return (
            f"{self.document}, characters {self.start}-{self.end}; "
            f"accepted by {self.accepted_by} at {self.accepted_at}"
        )


class Claim(Record):
    """A quantity about one actor or a pair, as a source states it."""

    indicator: str = Field(max_length=80)
    actor: RefId
    partner: RefId | None = None
    value: float
    unit: str
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    scale: float = Field(default=1.0, gt=0)  # 1e9 when value is in billions
    qualifier: Literal["exact", "about", "at_least", "at_most", "more_than", "less_than"] = "exact"
    period: Period
    comparison_period: Period | None = None
    reference: str | None = None  # what the indicator's text says is named here
    authority: RefId | None = None  # actor id of who the source cites for it
    source: RefId
    section: str
    statement: str = Field(min_length=10)
    check: Check | None = None
    provenance: Provenance | None = None  # set when the claim came from `ingest`

    _norm_period = field_validator("period", "comparison_period", mode="before")(
        lambda cls, v: _period_from_shorthand(v)
    )

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Claim:
        spec = INDICATORS.get(self.indicator)
        if spec is None:
            near = suggest(self.indicator, INDICATORS)
            raise FieldProblem(
                "indicator",
                f"indicator {show_value(self.indicator)} is not in the vocabulary"
                + (f" (did you mean {', '.join(repr(n) for n in near)}?)" if near else "")
                + "; list them with `powerbalance evidence vocabulary`",
            )
        if self.unit not in UNITS:
            raise FieldProblem(
                "unit", f"unit {show_value(self.unit)} is not one of {', '.join(sorted(UNITS))}"
            )
        if self.unit not in spec.units:
            raise FieldProblem(
                "unit",
                f"indicator '{self.indicator}' takes unit {' or '.join(spec.units)}, not {show_value(self.unit)}",
            )
        if self.unit == "money" and self.currency is None:
            raise FieldProblem("currency", "a money value needs its currency (e.g. USD)")
        if spec.pair and self.partner is None:
            raise FieldProblem(
                "partner", f"indicator '{self.indicator}' is about a pair: give the partner"
            )
        if spec.change and self.comparison_period is None:
            raise FieldProblem(
                "comparison_period",
                f"indicator '{self.indicator}' is a change: give the comparison_period",
            )
        if _from_store(info):
            return self  # held before the value rules below existed: keep it readable
        for name in ("value", "scale"):
            number = getattr(self, name)
            if not math.isfinite(number):
                raise FieldProblem(name, f"{name} must be a finite number, not {number}")
        bounds = spec.bounds_for(self.unit)
        if not bounds.admits(self.value):
            raise FieldProblem(
                "value",
                f"indicator '{self.indicator}' in {self.unit} takes {bounds.describe()}, "
                f"got {self.value:g}",
            )
        if not math.isfinite(self.value * self.scale):
            raise FieldProblem(
                "scale",
                f"value × scale ({self.value:g} × {self.scale:g}) is beyond the largest number "
                "a computer holds (about 1.8e308); check the value and the scale",
            )
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
    actors: list[RefId] = Field(min_length=1)
    kind: str
    summary: str = Field(min_length=10)
    source: RefId
    section: str
    provenance: Provenance | None = None  # set when the event came from `ingest`

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in EVENT_KINDS:
            raise ValueError(
                f"event kind {show_value(value)} is not one of {', '.join(sorted(EVENT_KINDS))}"
            )
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
        return _partial_date(value, "date")

    def date_label(self) -> str:
        if self.date_precision == "year":
            return str(self.date.year)
        if self.date_precision == "month":
            return f"{self.date.year}-{self.date.month:02d}"
        return self.date.isoformat()


class Stance(Record):
    """An actor's position towards an issue or another actor on the scale -2..2."""

    actor: RefId
    target: RefId
    target_kind: Literal["issue", "actor"]
    score: int = Field(ge=-2, le=2)
    rationale: str = Field(min_length=10)
    source: RefId
    section: str
    provenance: Provenance | None = None  # set when the stance came from `ingest`

    @model_validator(mode="after")
    def _issue_known(self) -> Stance:
        if self.target_kind == "issue" and self.target not in ISSUES:
            near = suggest(self.target, ISSUES)
            raise FieldProblem(
                "target",
                f"issue '{self.target}' is not in the vocabulary"
                + (f" (did you mean {', '.join(repr(n) for n in near)}?)" if near else "")
                + "; list them with `powerbalance evidence vocabulary`",
            )
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


# --- plain words for pydantic's complaints -----------------------------------------------

_PATTERNS = {
    ID_PATTERN: (
        "an id may contain only letters, digits, '.', '_' and '-', "
        "and starts with a letter or digit (e.g. my.claim_2024)"
    ),
    r"^[A-Z]{3}$": "three capital letters (an ISO code such as USA, or a currency such as USD)",
    r"^[A-Z]{2}$": "two capital letters (an ISO code such as US)",
    r"^[a-z]{2}$": "a two-letter lower-case language code such as en, ru or zh",
}
_DATE_FORMS = "a date is written YYYY-MM-DD with a day that exists (e.g. 2025-06-01)"
_TYPE_NAMES = {
    "str": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "list": "a list",
    "dict": "a mapping",
    "NoneType": "nothing",
    "date": "a date",
    "datetime": "a date and time",
}


@dataclass(frozen=True)
class Problem:
    """One validation problem in plain words; ``loc`` is the path into the record."""

    field: str | None
    message: str
    loc: tuple[str | int, ...] = ()


def show_value(value: Any, limit: int = 40) -> str:
    """A short, one-line rendering of a value a user gave, for messages."""
    if isinstance(value, str):
        text = value if len(value) <= limit else value[: limit - 1] + "…"
        return repr(text)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        text = f"{value:g}" if isinstance(value, float) else str(value)
        return text if len(text) <= limit else text[: limit - 1] + "…"
    if value is None:
        return "nothing"
    return _TYPE_NAMES.get(type(value).__name__, type(value).__name__)


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _kind(value: Any) -> str:
    return _TYPE_NAMES.get(type(value).__name__, type(value).__name__)


def explain_error(err: ErrorDetails, record_type: str | None = None) -> Problem:
    """Translate one entry of ``ValidationError.errors()`` into plain words.

    The message says what is allowed; the field is the dotted path of the entry
    (or the field a whole-record rule names). Used wherever evidence is
    validated: files, the web form and the web API.

    Examples
    --------
    >>> try:
    ...     Source.model_validate({"id": "a b", "publication": "p", "title": "t",
    ...                            "date": "2025-01-01", "language": "en"})
    ... except ValidationError as exc:
    ...     p = explain_error(exc.errors()[0], "source")
    >>> p.field, p.message.split(",")[0]
    ('id', "'a b' is not an id: an id may contain only letters")
    """
    loc = tuple(err.get("loc", ()))
    field = ".".join(str(part) for part in loc) or None
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    value = err.get("input")
    got = show_value(value)
    what = record_type or "record"
    name = str(loc[-1]) if loc else "the record"
    if kind == "value_error" and isinstance(ctx.get("error"), FieldProblem):
        problem: FieldProblem = ctx["error"]
        if not loc or loc[-1] != problem.field:  # a whole-record rule: name its field
            loc = (*loc, problem.field)
        return Problem(".".join(str(p) for p in loc), str(problem), loc)
    if kind in ("value_error", "assertion_error"):
        message = str(ctx.get("error") or err.get("msg", "invalid value"))
        for prefix in ("Value error, ", "Assertion failed, "):
            message = message.removeprefix(prefix)
        return Problem(field, message, loc)
    if kind == "missing":
        return Problem(field, f"required field of {_a(what)} is missing", loc)
    if kind == "extra_forbidden":
        allowed = _fields_at(record_type, loc[:-1])
        near = suggest(name, allowed) if allowed else []
        message = f"unknown field of {_a(what)}" if len(loc) == 1 else "unknown field"
        if near:
            message += f"; did you mean {', '.join(repr(n) for n in near)}?"
        elif allowed:
            message += f"; the fields are {', '.join(allowed)}"
        return Problem(field, message, loc)
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern"))
        rule = _PATTERNS.get(pattern, f"text of the form {pattern}")
        noun = "an id" if pattern == ID_PATTERN else "allowed"
        return Problem(field, f"{got} is not {noun}: {rule}", loc)
    if kind == "string_too_short":
        n = ctx.get("min_length", 1)
        return Problem(
            field, f"must have at least {n} character{'s' if n != 1 else ''}, got {got}", loc
        )
    if kind == "string_too_long":
        n = ctx.get("max_length")
        return Problem(field, f"must have at most {n} characters, got {len(str(value))}", loc)
    if kind in ("string_type", "string_unicode"):
        message = f"must be text, got {got}"
        if isinstance(value, bool):
            message += " (YAML reads yes, no, on and off as true or false: put the text in quotes)"
        return Problem(field, message, loc)
    if kind in ("float_type", "float_parsing"):
        return Problem(field, f"must be a number (like 34, 2.5 or 1.0e9), got {got}", loc)
    if kind in ("int_type", "int_parsing", "int_from_float", "int_parsing_size"):
        return Problem(field, f"must be a whole number, got {got}", loc)
    if kind == "finite_number":
        return Problem(field, f"must be a finite number, not {got}", loc)
    if isinstance(value, float) and not math.isfinite(value):
        return Problem(field, f"must be a finite number, not {got}", loc)
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        words = {
            "greater_than": "greater than",
            "greater_than_equal": "at least",
            "less_than": "less than",
            "less_than_equal": "at most",
        }[kind]
        bound = show_value(next(iter(ctx.values()), ""))
        return Problem(field, f"must be {words} {bound}, got {got}", loc)
    if kind in ("bool_type", "bool_parsing"):
        return Problem(field, f"must be true or false, got {got}", loc)
    if kind.startswith("date") or kind.startswith("datetime"):
        detail = ctx.get("error")
        message = f"{got} is not a date: {_DATE_FORMS}"
        if detail and kind != "date_type":
            message += f" ({detail})"
        return Problem(field, message, loc)
    if kind == "literal_error":
        return Problem(field, f"must be one of {ctx.get('expected', '')}, got {got}", loc)
    if kind in ("list_type", "tuple_type", "set_type"):
        return Problem(
            field, f"must be a list (in CSV: values separated by ';'), got {_kind(value)}", loc
        )
    if kind == "too_short":
        n = ctx.get("min_length", 1)
        return Problem(field, f"must list at least {n} item{'s' if n != 1 else ''}", loc)
    if kind == "too_long":
        return Problem(field, f"must list at most {ctx.get('max_length')} items", loc)
    if kind in ("model_type", "model_attributes_type", "dict_type", "mapping_type"):
        if loc and loc[0] in ("period", "comparison_period") and len(loc) == 1:
            return Problem(field, f"{got} is not a period: {PERIOD_FORMS}", loc)
        if not loc:
            return Problem(None, f"{_a(what)} must be a mapping of fields, got {_kind(value)}", loc)
        return Problem(field, f"must be a mapping of fields, got {_kind(value)}", loc)
    message = str(err.get("msg", "invalid value"))
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return Problem(field, message, loc)


def _fields_at(record_type: str | None, loc: tuple[Any, ...]) -> list[str]:
    """The field names allowed at ``loc`` inside a record of ``record_type``."""
    model: Any = RECORD_TYPES.get(record_type or "")
    for part in loc:
        if model is None:
            return []
        info = model.model_fields.get(str(part))
        if info is None:
            return []
        nested = info.annotation
        model = next(
            (
                t
                for t in (nested, *getattr(nested, "__args__", ()))
                if isinstance(t, type) and issubclass(t, BaseModel)
            ),
            None,
        )
    if model is None:
        return []
    return [f for f in model.model_fields if f != "id"] if not loc else list(model.model_fields)


def explain(exc: ValidationError, record_type: str | None = None) -> list[Problem]:
    """Every problem of a ``ValidationError`` in plain words (see :func:`explain_error`)."""
    return [explain_error(e, record_type) for e in exc.errors()]
