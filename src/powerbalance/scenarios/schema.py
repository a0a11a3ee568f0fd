"""Scenario files: a TOML schema validated with pydantic.

A scenario names a baseline (the evidence as of a date, optionally with
data-driven relations), the shocks it applies, the parameters it treats as
uncertain (with distributions) and the models to run. ``docs/scenarios.md``
documents every key; :func:`load_scenario` reads a file or a bundled name and
:func:`parse_scenario` reads text. Every error names the key and what is
allowed, and an impossible shock is refused here, before any draw.

Examples
--------
>>> s = parse_scenario('''
... name = "demo"
... title = "US eases sanctions"
... [[shock]]
... channel = "sanctions"
... a = "USA"
... b = "RUS"
... op = "set"
... value = {dist = "uniform", low = 0.3, high = 0.6}
... ''')
>>> s.shocks[0].value.support()
(0.3, 0.6)
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from powerbalance.actors import TRIANGLE, TRIANGLE_TIES, TriangleActor
from powerbalance.errors import UnknownRecord
from powerbalance.limits import LIMITS
from powerbalance.scenarios.errors import ImpossibleShock, ScenarioFileError, UnknownScenario
from powerbalance.scenarios.parameters import PARAMETERS
from powerbalance.theory.bargaining.registry import MODELS as BARGAINING_REGISTRY

#: The folder of this module, where its package data lie.
_HERE = Path(__file__).parent

#: The actors of the trade matrix, in matrix order; ROW is the rest of the world.
MODEL_ACTORS: tuple[str, ...] = ("RUS", "CHN", "USA", "EU", "ROW")
#: The strategic triangle, and its three ties in a fixed order (:mod:`powerbalance.actors`).
TIES: tuple[tuple[str, str], ...] = TRIANGLE_TIES


def tie_index(a: str, b: str) -> int:
    """Position in :data:`TIES` of the tie between ``a`` and ``b`` (either order).

    Examples
    --------
    >>> tie_index("CHN", "RUS")
    2
    """
    return next(i for i, t in enumerate(TIES) if set(t) == {a, b})


_ACTOR = "(" + "|".join(TRIANGLE) + ")"
_TIE_PATTERN = f"^{_ACTOR}-{_ACTOR}$"

MODELS = ("dependence", "triangle", "dynamics", "bargaining")

Channel = Literal[
    "trade", "energy_exports", "alternative_buyers", "sanctions", "tariffs", "relation", "position"
]
Op = Literal["set", "scale", "add", "share"]

# What each channel accepts: the operations and, per operation, the bounds of the value.
INF = math.inf
#: The largest flow a shock may set or add (USD bn/year): about four times world goods trade.
MAX_FLOW = 100_000.0
#: The largest factor a shock may scale a flow by.
MAX_SCALE = 100.0
CHANNELS: dict[str, dict[str, Any]] = {
    "trade": {
        "about": "goods trade between a and b, both directions (USD bn/year)",
        "ops": {"set": (0.0, MAX_FLOW), "scale": (0.0, MAX_SCALE), "share": (0.0, 99.0)},
        "actors": MODEL_ACTORS[:4],
        "pair": True,
    },
    "energy_exports": {
        "about": "energy exports from a to b (USD bn/year; a part of their trade)",
        "ops": {
            "set": (0.0, MAX_FLOW),
            "scale": (0.0, MAX_SCALE),
            "add": (-MAX_FLOW, MAX_FLOW),
        },
        "actors": ("RUS",),
        "partners": ("CHN",),
        "pair": True,
    },
    "alternative_buyers": {
        "about": "percent of energy exports a loses that it sells to the rest of the world",
        "ops": {"set": (0.0, 100.0)},
        "actors": ("RUS",),
        "pair": False,
    },
    "sanctions": {
        "about": "sanctions a imposes on b, level 0 (none) to 1 (comprehensive embargo)",
        "ops": {"set": (0.0, 1.0), "add": (-1.0, 1.0)},
        "actors": MODEL_ACTORS[:4],
        "pair": True,
    },
    "tariffs": {
        "about": "tariff a levies on imports from b (percent)",
        "ops": {"set": (0.0, 1000.0), "add": (-1000.0, 1000.0)},
        "actors": MODEL_ACTORS[:4],
        "pair": True,
    },
    "relation": {
        "about": "the tie between two triangle powers: add to its logit, or set its weight -1..1",
        "ops": {"add": (-10.0, 10.0), "set": (-1.0, 1.0)},
        "actors": TRIANGLE,
        "pair": True,
    },
    "position": {
        "about": "an actor's position (0..100) in the bargaining set",
        "ops": {"set": (0.0, 100.0), "add": (-100.0, 100.0)},
        "actors": None,  # checked against the bargaining set when it is loaded
        "pair": False,
    },
}


class _Model(BaseModel):
    # NaN and infinity are refused in every number of a scenario file.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Distribution(_Model):
    """An uncertain value: uniform, (truncated) normal, triangular or (scaled) beta.

    ``low`` and ``high`` bound every distribution; for a normal they truncate
    it (optional), for a beta they scale it (default 0 and 1).
    """

    dist: Literal["uniform", "normal", "triangular", "beta"]
    low: float | None = None
    high: float | None = None
    mean: float | None = None
    sd: float | None = Field(default=None, gt=0)
    mode: float | None = None
    a: float | None = Field(default=None, gt=0)
    b: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _complete(self) -> Distribution:
        need = {
            "uniform": ("low", "high"),
            "normal": ("mean", "sd"),
            "triangular": ("low", "mode", "high"),
            "beta": ("a", "b"),
        }[self.dist]
        missing = [k for k in need if getattr(self, k) is None]
        if missing:
            raise ValueError(
                f"a {self.dist} distribution needs {', '.join(need)}; missing {', '.join(missing)}"
            )
        allowed = (
            set(need) | {"dist"} | ({"low", "high"} if self.dist in ("normal", "beta") else set())
        )
        extra = [k for k in self.model_fields_set if k not in allowed]
        if extra:
            raise ValueError(
                f"a {self.dist} distribution takes {', '.join(sorted(allowed - {'dist'}))}, not {', '.join(extra)}"
            )
        lo, hi = self.support()
        if not lo < hi:
            raise ValueError(f"low ({lo}) must be below high ({hi})")
        if self.dist == "triangular" and not lo <= self.mode <= hi:  # type: ignore[operator]
            raise ValueError(f"mode {self.mode} must lie in [{lo}, {hi}]")
        if self.dist == "normal" and self.mean is not None and not lo <= self.mean <= hi:
            raise ValueError(f"mean {self.mean} must lie within the truncation [{lo}, {hi}]")
        return self

    def support(self) -> tuple[float, float]:
        """The smallest interval holding every draw."""
        if self.dist == "beta":
            lo = 0.0 if self.low is None else self.low
            hi = 1.0 if self.high is None else self.high
            return lo, hi
        if self.dist == "normal":
            return (-INF if self.low is None else self.low, INF if self.high is None else self.high)
        return float(self.low), float(self.high)  # type: ignore[arg-type]

    def central(self) -> float:
        """The value used when the scenario is run without sampling (mean or mode)."""
        lo, hi = self.support()
        if self.dist == "uniform":
            return (lo + hi) / 2
        if self.dist == "triangular":
            return (lo + float(self.mode) + hi) / 3  # type: ignore[arg-type]
        if self.dist == "beta":
            a, b = float(self.a), float(self.b)  # type: ignore[arg-type]
            return lo + (hi - lo) * a / (a + b)
        return float(self.mean)  # type: ignore[arg-type]


Value = float | Distribution


def _support(value: Value) -> tuple[float, float]:
    return value.support() if isinstance(value, Distribution) else (float(value), float(value))


class Shock(_Model):
    """One change to the system: set, scale or add to a channel between two actors."""

    channel: Channel
    a: str
    b: str | None = None
    op: Op = "set"
    value: Value
    note: str = ""
    evidence: list[str] = Field(default_factory=list)

    def label(self) -> str:
        pair = self.a + (f"->{self.b}" if self.b else "")
        return f"{self.channel} {pair} {self.op}"


class BaselineRelation(_Model):
    """A data-driven relation (events, UN votes) added to the baseline, weight -1..1."""

    a: TriangleActor
    b: TriangleActor
    weight: float = Field(ge=-1.0, le=1.0)
    channel: Literal["events", "unvotes", "history"]
    note: str = ""

    @model_validator(mode="after")
    def _distinct(self) -> BaselineRelation:
        if self.a == self.b:
            raise ValueError("a relation needs two different actors")
        return self


class EventsBaseline(_Model):
    """Event-derived relations (GDELT) from a series written by ``events aggregate --out``.

    ``file`` is relative to the scenario file; the rule is
    :func:`powerbalance.relations.events.derive_event_relation`.
    """

    file: str = Field(min_length=1)
    start: date | None = None
    end: date | None = None
    min_events: int = Field(default=30, ge=1)
    goldstein_baseline: float | Literal["series"] = 0.0


class UnvotesBaseline(_Model):
    """UN-vote relations from the unvotes files (``un_votes.rda`` and ``un_roll_calls.rda``).

    Either ``dataset = "unvotes"``: the files registered in the store
    (``powerbalance data add unvotes ...``, with its roll calls, and the UN's
    own resolution files ``unga-*`` where registered, which carry the votes
    on to 2025), the only form the dashboard accepts in an uploaded scenario;
    or ``file`` and ``roll_calls``, paths relative to the scenario file. The
    rule is :func:`powerbalance.relations.unvotes.derive_unvote_relations`.
    """

    dataset: Literal["unvotes"] | None = None
    file: str | None = Field(default=None, min_length=1)
    roll_calls: str | None = Field(default=None, min_length=1)
    #: filled from the store's registrations (never written in a file): UN resolution
    #: dataset id -> its file, joined with unvotes (:func:`powerbalance.datasets.unga.combine_un_votes`)
    resolutions: dict[str, str] = Field(default_factory=dict, exclude=True)
    start: int = Field(ge=1946, le=2100)
    end: int = Field(ge=1946, le=2100)
    measure: Literal["kappa", "s_score"] = "kappa"
    min_votes: int = Field(default=30, ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> UnvotesBaseline:
        if self.end < self.start:
            raise ValueError("the window ends before it starts")
        if self.resolutions and self.dataset is not None:
            raise ValueError(
                "resolutions are taken from the store's registrations (powerbalance data add "
                'unga-80 FILE); with dataset = "unvotes" do not list them'
            )
        if (self.dataset is None) == (self.file is None or self.roll_calls is None):
            raise ValueError(
                'give either dataset = "unvotes" (the registered files) '
                "or both file and roll_calls, not both or neither"
            )
        return self


class HistoryBaseline(_Model):
    """The ties of one year of the triangle's history (``powerbalance history``) as baseline.

    The fused tie of each pair in ``year`` (sign times strength, by the bundled
    fusion rule, from the datasets registered in the store and the evidence) is
    added to the baseline as a data-driven relation (channel ``history``). The
    history runs from 1946 to ``year``, so a tie inside the rule's dead band
    keeps its last clear sign as it does in ``powerbalance history``.
    """

    year: int = Field(ge=1949, le=2100)
    channels: list[str] = Field(default_factory=list)


class Baseline(_Model):
    """The system before the shock: the evidence as of a date, plus data-driven relations."""

    as_of: date | None = None
    relations: list[BaselineRelation] = Field(default_factory=list)
    events: EventsBaseline | None = None
    unvotes: UnvotesBaseline | None = None
    history: HistoryBaseline | None = None


class BargainingActor(_Model):
    id: str = Field(min_length=1)
    capability: float = Field(gt=0, le=1_000_000)  # relative: only ratios count
    position: float = Field(ge=0, le=100)
    salience: float = Field(ge=0, le=100)


#: The names a scenario's ``models = [...]`` accepts, in the order its summary lists them:
#: the models of the registry marked ``scenario`` (checked below). A Literal, so that
#: pydantic's message names them.
BargainingModelName = Literal["pce", "eu"]


def _scenario_models() -> dict[str, str]:
    """The bargaining models a scenario can run on its subsample of draws: name -> title.

    The names are those of :data:`BargainingModelName`; each must be a model of the
    registry (:data:`powerbalance.theory.bargaining.MODELS`) marked ``scenario``, and
    every such model must be named.
    """
    names = get_args(BargainingModelName)
    usable = {name for name, spec in BARGAINING_REGISTRY.items() if spec.scenario}
    if set(names) != usable:
        raise RuntimeError(  # pragma: no cover - a programming error, caught by any test
            f"BargainingModelName {sorted(names)} disagrees with the registry's "
            f"scenario models {sorted(usable)}"
        )
    return {name: BARGAINING_REGISTRY[name].title for name in names}


#: The bargaining models a scenario can run on its subsample of draws: name -> title.
BARGAINING_MODELS: dict[str, str] = _scenario_models()
MODEL_DRAWS_MAX = 10_000


def _default_bargaining_models() -> list[BargainingModelName]:
    return ["pce"]


class Bargaining(_Model):
    """The bargaining set: a bundled set of the bargaining module, or actors given inline.

    ``models`` are the bargaining module's models run on ``model_draws`` draws
    (a seeded subsample; the weighted mean and median run on every draw).
    """

    set: str | None = None
    dimension: str | None = None
    actors: list[BargainingActor] = Field(default_factory=list)
    tie: str = Field(default="USA-RUS", pattern=_TIE_PATTERN)
    sample_judgements: bool = False
    models: list[BargainingModelName] = Field(default_factory=_default_bargaining_models)
    model_draws: int = Field(default=200, ge=1, le=MODEL_DRAWS_MAX)

    @field_validator("models")
    @classmethod
    def _distinct_models(cls, v: list[BargainingModelName]) -> list[BargainingModelName]:
        twice = sorted({m for m in v if v.count(m) > 1})
        if twice:
            raise ValueError(f"{', '.join(twice)} named twice; each model runs once")
        return v

    @model_validator(mode="after")
    def _one_source(self) -> Bargaining:
        idle = [x.id for x in self.actors if x.salience <= 0]
        needy = [m for m in self.models if BARGAINING_REGISTRY[m].positive_salience]
        if idle and needy:
            others = [m for m in BARGAINING_MODELS if m not in needy]
            instead = f", or run models = {others!r}" if others else ""
            raise ValueError(
                f"the {' and '.join(needy)} model needs every actor to care about the issue; "
                f"{', '.join(idle)} has salience 0 (give a positive salience, drop the actor"
                f"{instead})"
            )
        if (self.set is None) == (not self.actors):
            raise ValueError("give either `set` (a bundled bargaining set) or `actors`, not both")
        if self.sample_judgements and self.set is None:
            raise ValueError(
                "sample_judgements draws from the ranges of a bundled set's judgements; "
                "inline actors have none (use `set`, or position shocks with distributions)"
            )
        a, b = self.tie.split("-")
        if {a, b} not in [set(t) for t in TIES]:
            raise ValueError(f"tie must be one of {', '.join('-'.join(t) for t in TIES)}")
        ids = [x.id for x in self.actors]
        if len(set(ids)) != len(ids):
            raise ValueError("an actor appears twice in the bargaining set")
        return self


ModelName = Literal["dependence", "triangle", "dynamics", "bargaining"]


def _default_models() -> list[ModelName]:
    return ["dependence", "triangle", "dynamics"]


class Models(_Model):
    run: list[ModelName] = Field(default_factory=_default_models)
    bargaining: Bargaining | None = None

    @model_validator(mode="after")
    def _bargaining_needs_set(self) -> Models:
        if "bargaining" in self.run and self.bargaining is None:
            raise ValueError("the bargaining model needs a [models.bargaining] table")
        return self


class MonteCarlo(_Model):
    # The upper bound is the limit 'scenario.draws', checked in parse_scenario with its reason.
    draws: int = Field(default=10_000, ge=1)
    seed: int = Field(default=20250512, ge=0)
    sample_structural: bool = False


Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9\-]*$", max_length=60)]


class Scenario(_Model):
    """A validated scenario."""

    name: Slug
    title: str = Field(min_length=1)
    description: str = ""
    rationale: str = ""
    evidence: list[str] = Field(default_factory=list)
    baseline: Baseline = Field(default_factory=Baseline)
    shocks: list[Shock] = Field(default_factory=list, alias="shock")
    parameters: dict[str, Value] = Field(default_factory=dict)
    montecarlo: MonteCarlo = Field(default_factory=MonteCarlo)
    models: Models = Field(default_factory=Models)
    text: str = Field(default="", exclude=True)

    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False
    )

    def evidence_ids(self) -> list[str]:
        """Every evidence id the scenario cites (top level and per shock)."""
        out = list(self.evidence)
        for s in self.shocks:
            out += [e for e in s.evidence if e not in out]
        return out


def _path(loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """A pydantic error location as keys of the file (``shocks`` is ``shock`` there)."""
    out: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and (
            part in ("float", "int", "str", "bool") or "Distribution" in part or "[" in part
        ):
            continue  # the branch of a union, not a key
        out.append("shock" if part == "shocks" and not out else part)
    return tuple(out)


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in _path(loc):
        if isinstance(part, int):
            out += f"[{part + 1}]" if out else str(part)
        else:
            out += ("." if out else "") + str(part)
    return out


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-.\"' ]+?)\s*=")


def _keys(dotted: str) -> tuple[str, ...]:
    return tuple(k.strip().strip("\"'") for k in dotted.split("."))


def line_of(text: str, path: tuple[str | int, ...]) -> int | None:
    r"""The line of ``text`` (1-based) that defines the key at ``path``, or its nearest parent.

    A best effort over the TOML text (tables, arrays of tables, dotted and inline
    keys), so errors found after parsing can still name a line; ``None`` when
    no line defines any part of the path.

    Examples
    --------
    >>> line_of('name = "x"\n[[shock]]\na = "USA"\n[[shock]]\nvalue = 2\n', ("shock", 1, "value"))
    5
    """
    table: tuple[str | int, ...] = ()
    arrays: dict[tuple[str | int, ...], int] = {}
    best, best_line = 0, None
    for number, raw in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(raw)
        if header:
            name: tuple[str | int, ...] = _keys(header.group(2))
            if header.group(1) == "[[":
                arrays[name] = arrays.get(name, -1) + 1
                name = (*name, arrays[name])
            table = name
            candidate = table
        else:
            key = _KEY.match(raw)
            if not key or raw.lstrip().startswith("#"):
                continue
            candidate = (*table, *_keys(key.group(1)))
        if len(candidate) > best and tuple(path[: len(candidate)]) == candidate:
            best, best_line = len(candidate), number
    return best_line


def _key_at(text: str, line: int) -> str | None:
    """The key (with its table) that line ``line`` of ``text`` sets, if it sets one."""
    table = ""
    for number, raw in enumerate(text.splitlines()[:line], start=1):
        header = _HEADER.match(raw)
        key = None if header else _KEY.match(raw)
        if header:
            table = ".".join(_keys(header.group(2)))
        if number == line:
            if key and not raw.lstrip().startswith("#"):
                return ".".join(k for k in (table, ".".join(_keys(key.group(1)))) if k)
            return table or None
    return None


def _at(text: str, path: tuple[str | int, ...]) -> dict[str, Any]:
    """``record`` (the line) and ``field`` (the key) of an error at ``path``."""
    line = line_of(text, path)
    field = ""
    for part in path:
        if isinstance(part, int):
            field += f"[{part + 1}]"
        else:
            field += ("." if field else "") + str(part)
    return {"record": f"line {line}" if line else None, "field": field or None}


_TYPES = {
    "string_type": "must be text in quotes",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": 'must be a list in square brackets, like ["a", "b"]',
    "dict_type": "must be a table (a [section] or {key = value})",
    "model_type": "must be a table (a [section] or {key = value})",
    "model_attributes_type": "must be a table (a [section] or {key = value})",
    "date_type": "must be a date like 2025-01-31",
    "date_parsing": "must be a date like 2025-01-31",
    "date_from_datetime_inexact": "must be a date like 2025-01-31, without a time",
    "date_from_datetime_parsing": "must be a date like 2025-01-31",
    "finite_number": "must be a finite number (not nan or inf)",
    "missing": "is required but missing",
}

_PATTERNS = {
    "name": "a name may hold only lowercase letters, digits and '-', and starts with a "
    "letter or digit (like my-scenario)",
    "tie": "must be one of " + ", ".join("-".join(t) for t in TIES),
}


def _plain(err: Any) -> str:
    """A pydantic error in plain words: what is allowed here."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    path = _path(err["loc"])
    last = path[-1] if path else ""
    if kind in _TYPES:
        return _TYPES[kind]
    if kind == "literal_error":
        return f"must be {ctx.get('expected', 'one of the allowed values')}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        words = {
            "greater_than_equal": "at least",
            "greater_than": "above",
            "less_than_equal": "at most",
            "less_than": "below",
        }[kind]
        bound = next(iter(ctx.values()), "")
        if isinstance(bound, float) and bound.is_integer():
            bound = int(bound)
        return (
            f"must be {words} {bound:,}" if isinstance(bound, int) else f"must be {words} {bound}"
        )
    if kind == "string_pattern_mismatch":
        return _PATTERNS.get(str(last), "has characters that are not allowed here")
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters"
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    return str(err["msg"])


def _value_branch(errors: list[Any]) -> bool:
    """Whether the errors are those of a value that may be a number or a distribution."""
    return any(any("Distribution" in str(p) for p in e["loc"]) for e in errors)


def check_evidence(scenario: Scenario, known: Iterable[str], *, file: str | None = None) -> None:
    """Refuse a scenario citing an evidence id that is not in ``known``.

    Raises
    ------
    UnknownRecord
        Naming the file, the line and key of the citation, the id and close matches.
    """
    ids = known if isinstance(known, (set, frozenset, dict)) else set(known)
    where = file or scenario.name
    cited: list[tuple[tuple[str | int, ...], str]] = [(("evidence",), e) for e in scenario.evidence]
    for i, shock in enumerate(scenario.shocks):
        cited += [(("shock", i, "evidence"), e) for e in shock.evidence]
    for path, record_id in cited:
        if record_id not in ids:
            at = _at(scenario.text, path)
            context = where + (f", {at['record']}" if at["record"] else "")
            raise UnknownRecord(record_id, ids, context=f"{context}, field '{at['field']}'")


def _check_shocks(scenario: Scenario, file: str) -> None:
    """Refuse impossible shocks (bounds, actors, operations) before anything is drawn."""
    for i, s in enumerate(scenario.shocks, start=1):
        spec = CHANNELS[s.channel]
        ops = spec["ops"]
        if s.op not in ops:
            raise ImpossibleShock(
                file,
                f"channel '{s.channel}' takes op {' or '.join(repr(o) for o in ops)}, not '{s.op}'",
                **_at(scenario.text, ("shock", i - 1, "op")),
            )
        actors = spec["actors"]
        if actors is not None and s.a not in actors:
            raise ImpossibleShock(
                file,
                f"unknown actor '{s.a}' for channel '{s.channel}'; allowed: {', '.join(actors)}",
                **_at(scenario.text, ("shock", i - 1, "a")),
            )
        if spec["pair"]:
            partners: tuple[str, ...] = spec.get("partners", actors) or ()
            if s.b is None:
                raise ImpossibleShock(
                    file,
                    f"channel '{s.channel}' needs a partner b",
                    **_at(scenario.text, ("shock", i - 1, "b")),
                )
            if s.b not in partners or s.b == s.a:
                raise ImpossibleShock(
                    file,
                    f"unknown partner '{s.b}' for channel '{s.channel}'; allowed: "
                    + ", ".join(p for p in partners if p != s.a),
                    **_at(scenario.text, ("shock", i - 1, "b")),
                )
        elif s.b is not None:
            raise ImpossibleShock(
                file,
                f"channel '{s.channel}' takes no partner b",
                **_at(scenario.text, ("shock", i - 1, "b")),
            )
        lo, hi = ops[s.op]
        vlo, vhi = _support(s.value)
        if vlo < lo or vhi > hi:
            what = (
                "an impossible share (a share near or above 100% leaves no other trade)"
                if s.op == "share"
                else "a value out of range"
            )
            raise ImpossibleShock(
                file,
                f"{what}: {s.channel} {s.op} must lie in [{lo:g}, {hi:g}], "
                f"the value spans [{vlo:g}, {vhi:g}]",
                **_at(scenario.text, ("shock", i - 1, "value")),
                hint="bound the distribution with low and high"
                if math.isinf(vlo) or math.isinf(vhi)
                else None,
            )
        if s.channel == "position":
            barg = scenario.models.bargaining
            if barg is None or "bargaining" not in scenario.models.run:
                raise ImpossibleShock(
                    file,
                    "a position shock needs the bargaining model in [models]",
                    **_at(scenario.text, ("shock", i - 1, "channel")),
                )


def _check_parameters(scenario: Scenario, file: str) -> None:
    for name, value in scenario.parameters.items():
        p = PARAMETERS.get(name)
        if p is None:
            from powerbalance.errors import suggest

            close = suggest(name, PARAMETERS)
            raise ScenarioFileError(
                file,
                f"unknown parameter '{name}'",
                **_at(scenario.text, ("parameters", name)),
                hint=("did you mean " + ", ".join(close) + "?")
                if close
                else "see `powerbalance scenario parameters`",
            )
        vlo, vhi = _support(value)
        if vlo < p.low or vhi > p.high:
            raise ScenarioFileError(
                file,
                f"must lie in its range [{p.low:g}, {p.high:g}] ({p.unit}); the value spans [{vlo:g}, {vhi:g}]",
                **_at(scenario.text, ("parameters", name)),
            )


def parse_scenario(text: str, *, file: str = "<scenario>") -> Scenario:
    """Parse and validate scenario TOML text; errors name the file, line, key and what is allowed."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\(at line (\d+), column (\d+)\)", message)
        if found:
            message = message[: found.start()].strip()
            raise ScenarioFileError(
                file,
                f"not valid TOML: {message} (column {found.group(2)})",
                record=f"line {found.group(1)}",
                field=_key_at(text, int(found.group(1))),
            ) from None
        if "at end of document" in message:
            message = message.replace("(at end of document)", "").strip()
            raise ScenarioFileError(
                file,
                f"not valid TOML: {message} at the end of the file (is it cut short?)",
                record=f"line {max(len(text.splitlines()), 1)}",
            ) from None
        raise ScenarioFileError(file, f"not valid TOML: {message}") from None
    if not data:
        raise ScenarioFileError(
            file,
            "the file holds no keys; a scenario needs at least name and title",
            hint="see docs/scenarios.md or `powerbalance scenario list --bundled`",
        )
    try:
        scenario = Scenario.model_validate({**data, "text": text})
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        at = _at(text, _path(first["loc"]))
        if first["type"] == "extra_forbidden":
            parent = first["loc"][:-1]
            allowed = _allowed_keys(parent)
            hint = f"allowed here: {', '.join(allowed)}" if allowed else None
            raise ScenarioFileError(file, "unknown key", hint=hint, **at) from None
        fp = _path(first["loc"])
        same = [e for e in errors if _path(e["loc"])[: len(fp)] == fp]
        if _value_branch(same):
            # A value may be a number or a distribution table: report the branch the user meant.
            if isinstance(first.get("input"), dict):
                err = next(e for e in same if _value_branch([e]))
                raise ScenarioFileError(file, _plain(err), **_at(text, _path(err["loc"]))) from None
            if first["type"] != "finite_number":
                raise ScenarioFileError(
                    file,
                    "must be a number or a distribution table, like "
                    '{dist = "uniform", low = 0.2, high = 0.6}',
                    **at,
                ) from None
        raise ScenarioFileError(file, _plain(first), **at) from None
    draws = scenario.montecarlo.draws
    limit = LIMITS["scenario.draws"]
    if draws > limit.maximum:
        raise ScenarioFileError(
            file,
            f"{draws:,} draws; the limit is {limit.maximum:,}: lower draws "
            f"(limit '{limit.key}': {limit.why})",
            **_at(text, ("montecarlo", "draws")),
        )
    _check_shocks(scenario, file)
    _check_parameters(scenario, file)
    return scenario


def _allowed_keys(parent: tuple[Any, ...]) -> list[str]:
    model: Any = Scenario
    for part in parent:
        if isinstance(part, int):
            continue
        field = model.model_fields.get("shocks" if part == "shock" else part)
        if field is None:
            return []
        ann = field.annotation
        args = getattr(ann, "__args__", ())
        candidates = [a for a in (ann, *args) if isinstance(a, type) and issubclass(a, BaseModel)]
        if not candidates:
            return []
        model = candidates[0]
    return [f.alias or n for n, f in model.model_fields.items() if n != "text"]


def bundled_names() -> list[str]:
    """Names of the scenarios bundled with powerbalance.

    Examples
    --------
    >>> "reverse-kissinger" in bundled_names()
    True
    """
    root = _HERE / "bundled"
    return sorted(p.name.removesuffix(".toml") for p in root.iterdir() if p.name.endswith(".toml"))


def bundled_text(name: str) -> str:
    root = _HERE / "bundled"
    return (root / f"{name}.toml").read_text(encoding="utf-8")


#: The largest scenario file read (bytes): scenarios are a few kB of text.
MAX_FILE_BYTES = 1_000_000


def decode_scenario(data: bytes, *, file: str) -> str:
    """Scenario file bytes as text: UTF-8 (a byte-order mark is allowed), never binary.

    Raises
    ------
    ScenarioFileError
        Naming the line and column of the first byte that is not UTF-8 text.
    """
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioFileError(
            file,
            f"the file holds {len(data):,} bytes; a scenario file is at most "
            f"{MAX_FILE_BYTES:,} bytes of TOML text",
        )
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise ScenarioFileError(
            file, "the file is binary (it holds NUL bytes), not TOML text", record=f"line {line}"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ScenarioFileError(
            file,
            f"byte 0x{data[exc.start]:02x} at column {column} is not UTF-8 text",
            record=f"line {line}",
            field=_key_at(data.decode("utf-8", "replace"), line),
            hint="save the file as UTF-8",
        ) from None


def read_scenario_text(path: Path) -> str:
    """The text of a scenario file, refused with a clear error when it is not UTF-8 TOML."""
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ScenarioFileError(str(path), f"cannot read the file ({exc.strerror})") from None
    return decode_scenario(data, file=str(path))


def load_scenario(file_or_name: str | Path) -> Scenario:
    """Read a scenario from a TOML file or by the name of a bundled scenario."""
    path = Path(file_or_name)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise ScenarioFileError(str(path), "no such file")
        scenario = parse_scenario(read_scenario_text(path), file=str(path))
        events = scenario.baseline.events
        if events is not None and not Path(events.file).is_absolute():
            # A series named in the file lives beside the file, wherever the user runs from.
            resolved = events.model_copy(update={"file": str(path.parent / events.file)})
            baseline = scenario.baseline.model_copy(update={"events": resolved})
            scenario = scenario.model_copy(update={"baseline": baseline})
        unvotes = scenario.baseline.unvotes
        if unvotes is not None:
            beside = {
                key: str(path.parent / value)
                for key, value in (("file", unvotes.file), ("roll_calls", unvotes.roll_calls))
                if value is not None and not Path(value).is_absolute()
            }
            baseline = scenario.baseline.model_copy(
                update={"unvotes": unvotes.model_copy(update=beside)}
            )
            scenario = scenario.model_copy(update={"baseline": baseline})
        return scenario
    name = str(file_or_name)
    names = bundled_names()
    if name not in names:
        raise UnknownScenario(name, names)
    return parse_scenario(bundled_text(name), file=f"bundled/{name}.toml")


def resolve_datasets(scenario: Scenario, registered: dict[str, Any]) -> Scenario:
    """The scenario with its baseline's registered datasets replaced by their files.

    ``registered`` maps dataset ids to their registrations (``path``), as
    :func:`powerbalance.datasets.registry.registrations` gives them.

    Raises
    ------
    DatasetNotRegistered
        When a dataset the scenario names is not registered in the store.
    """
    from powerbalance.datasets.errors import DatasetNotRegistered

    spec = scenario.baseline.unvotes
    if spec is None or spec.dataset is None:
        return scenario
    paths = {}
    for key, dataset_id in (("file", spec.dataset), ("roll_calls", f"{spec.dataset}-roll-calls")):
        entry = registered.get(dataset_id)
        if entry is None:
            raise DatasetNotRegistered(dataset_id, purpose="the scenario's [baseline.unvotes]")
        paths[key] = str(entry["path"] if isinstance(entry, dict) else entry)
    # The UN's own resolution files, where registered, carry the votes on past unvotes' end.
    resolutions = {
        d: str(entry["path"] if isinstance(entry, dict) else entry)
        for d, entry in registered.items()
        if d.startswith("unga-")
    }
    unvotes = spec.model_copy(update={"dataset": None, "resolutions": resolutions, **paths})
    baseline = scenario.baseline.model_copy(update={"unvotes": unvotes})
    return scenario.model_copy(update={"baseline": baseline})
