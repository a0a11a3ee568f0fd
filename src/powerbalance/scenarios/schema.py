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
import tomllib
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from powerbalance.scenarios.errors import ImpossibleShock, ScenarioFileError, UnknownScenario
from powerbalance.scenarios.parameters import PARAMETERS

#: The actors of the trade matrix, in matrix order; ROW is the rest of the world.
MODEL_ACTORS: tuple[str, ...] = ("RUS", "CHN", "USA", "EU", "ROW")
#: The strategic triangle, and its three ties in a fixed order.
TRIANGLE: tuple[str, str, str] = ("USA", "RUS", "CHN")
TIES: tuple[tuple[str, str], ...] = (("USA", "RUS"), ("USA", "CHN"), ("RUS", "CHN"))


def tie_index(a: str, b: str) -> int:
    """Position in :data:`TIES` of the tie between ``a`` and ``b`` (either order).

    Examples
    --------
    >>> tie_index("CHN", "RUS")
    2
    """
    return next(i for i, t in enumerate(TIES) if set(t) == {a, b})


MODELS = ("dependence", "triangle", "dynamics", "bargaining")

Channel = Literal[
    "trade", "energy_exports", "alternative_buyers", "sanctions", "tariffs", "relation", "position"
]
Op = Literal["set", "scale", "add", "share"]

# What each channel accepts: the operations and, per operation, the bounds of the value.
INF = math.inf
CHANNELS: dict[str, dict[str, Any]] = {
    "trade": {
        "about": "goods trade between a and b, both directions (USD bn/year)",
        "ops": {"set": (0.0, INF), "scale": (0.0, INF), "share": (0.0, 99.0)},
        "actors": MODEL_ACTORS[:4],
        "pair": True,
    },
    "energy_exports": {
        "about": "energy exports from a to b (USD bn/year; a part of their trade)",
        "ops": {"set": (0.0, INF), "scale": (0.0, INF), "add": (-INF, INF)},
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
    model_config = ConfigDict(extra="forbid", frozen=True)


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

    a: Literal["USA", "RUS", "CHN"]
    b: Literal["USA", "RUS", "CHN"]
    weight: float = Field(ge=-1.0, le=1.0)
    channel: Literal["events", "unvotes"]
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

    Paths are relative to the scenario file; the rule is
    :func:`powerbalance.relations.unvotes.derive_unvote_relations`.
    """

    file: str = Field(min_length=1)
    roll_calls: str = Field(min_length=1)
    start: int = Field(ge=1946, le=2100)
    end: int = Field(ge=1946, le=2100)
    measure: Literal["kappa", "s_score"] = "kappa"
    min_votes: int = Field(default=30, ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> UnvotesBaseline:
        if self.end < self.start:
            raise ValueError("the window ends before it starts")
        return self


class Baseline(_Model):
    """The system before the shock: the evidence as of a date, plus data-driven relations."""

    as_of: date | None = None
    relations: list[BaselineRelation] = Field(default_factory=list)
    events: EventsBaseline | None = None
    unvotes: UnvotesBaseline | None = None


class BargainingActor(_Model):
    id: str = Field(min_length=1)
    capability: float = Field(gt=0)
    position: float = Field(ge=0, le=100)
    salience: float = Field(ge=0, le=100)


#: The bargaining module's models a scenario can run on its subsample of draws.
BARGAINING_MODELS: dict[str, str] = {
    "pce": "KTAB spatial model with probabilistic Condorcet elections",
    "eu": "Bueno de Mesquita expected-utility model (Scholz, Calbert & Smith 2011)",
}
BargainingModelName = Literal["pce", "eu"]
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
    tie: str = Field(default="USA-RUS", pattern=r"^(USA|RUS|CHN)-(USA|RUS|CHN)$")
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
        if "pce" in self.models:
            idle = [x.id for x in self.actors if x.salience <= 0]
            if idle:
                raise ValueError(
                    f"the pce model needs every actor to care about the issue; {', '.join(idle)} "
                    "has salience 0 (give a positive salience, drop the actor, or run models = ['eu'])"
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
    draws: int = Field(default=10_000, ge=1, le=10_000_000)
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

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def evidence_ids(self) -> list[str]:
        """Every evidence id the scenario cites (top level and per shock)."""
        out = list(self.evidence)
        for s in self.shocks:
            out += [e for e in s.evidence if e not in out]
        return out


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]" if out else str(part)
        elif part == "float" or "Distribution" in str(part):
            continue
        else:
            out += ("." if out else "") + str(part)
    return out.replace("shocks", "shock")


def _check_shocks(scenario: Scenario, file: str) -> None:
    """Refuse impossible shocks (bounds, actors, operations) before anything is drawn."""
    for i, s in enumerate(scenario.shocks, start=1):
        spec = CHANNELS[s.channel]
        where = f"shock[{i}]"
        ops = spec["ops"]
        if s.op not in ops:
            raise ImpossibleShock(
                file,
                f"channel '{s.channel}' takes op {' or '.join(repr(o) for o in ops)}, not '{s.op}'",
                record=where,
                field="op",
            )
        actors = spec["actors"]
        if actors is not None and s.a not in actors:
            raise ImpossibleShock(
                file,
                f"unknown actor '{s.a}' for channel '{s.channel}'; allowed: {', '.join(actors)}",
                record=where,
                field="a",
            )
        if spec["pair"]:
            partners: tuple[str, ...] = spec.get("partners", actors) or ()
            if s.b is None:
                raise ImpossibleShock(
                    file, f"channel '{s.channel}' needs a partner b", record=where, field="b"
                )
            if s.b not in partners or s.b == s.a:
                raise ImpossibleShock(
                    file,
                    f"unknown partner '{s.b}' for channel '{s.channel}'; allowed: "
                    + ", ".join(p for p in partners if p != s.a),
                    record=where,
                    field="b",
                )
        elif s.b is not None:
            raise ImpossibleShock(
                file, f"channel '{s.channel}' takes no partner b", record=where, field="b"
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
                record=where,
                field="value",
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
                    record=where,
                    field="channel",
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
                field=f"parameters.{name}",
                hint=("did you mean " + ", ".join(close) + "?")
                if close
                else "see `powerbalance scenario parameters`",
            )
        vlo, vhi = _support(value)
        if vlo < p.low or vhi > p.high:
            raise ScenarioFileError(
                file,
                f"must lie in its range [{p.low:g}, {p.high:g}] ({p.unit}); the value spans [{vlo:g}, {vhi:g}]",
                field=f"parameters.{name}",
            )


def parse_scenario(text: str, *, file: str = "<scenario>") -> Scenario:
    """Parse and validate scenario TOML text; errors name the file, key and what is allowed."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioFileError(file, f"not valid TOML: {exc}") from None
    try:
        scenario = Scenario.model_validate({**data, "text": text})
    except ValidationError as exc:
        errors = exc.errors()
        # A value may be a number or a distribution table: report the branch the user meant.
        tables = [e for e in errors if any("Distribution" in str(part) for part in e["loc"])]
        first = errors[0]
        err = tables[0] if tables and isinstance(first.get("input"), dict) else first
        key = _loc(err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
            parent = err["loc"][:-1]
            allowed = _allowed_keys(parent)
            hint = f"allowed here: {', '.join(allowed)}" if allowed else None
            raise ScenarioFileError(file, msg, field=key, hint=hint) from None
        raise ScenarioFileError(file, msg, field=key or None) from None
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
    root = resources.files("powerbalance.scenarios") / "bundled"
    return sorted(p.name.removesuffix(".toml") for p in root.iterdir() if p.name.endswith(".toml"))


def bundled_text(name: str) -> str:
    root = resources.files("powerbalance.scenarios") / "bundled"
    return (root / f"{name}.toml").read_text(encoding="utf-8")


def load_scenario(file_or_name: str | Path) -> Scenario:
    """Read a scenario from a TOML file or by the name of a bundled scenario."""
    path = Path(file_or_name)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise ScenarioFileError(str(path), "no such file")
        scenario = parse_scenario(path.read_text(encoding="utf-8"), file=str(path))
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
                if not Path(value).is_absolute()
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
