"""The triangle through time: channels fused into ties, configurations, transitions.

Relations in, results out. The channels of :mod:`powerbalance.relations.history`
(UN votes, alliances, disputes, rivalries, arms, trade, dated events, GDELT)
give at most one :class:`~powerbalance.relations.base.Relation` per dyad, year
and channel; this module

1. **fuses** the channels of each dyad-year into one tie (:func:`fuse_tie`) by
   a documented, versioned rule the user can change (:class:`FusionRule`, read
   from TOML by :func:`load_rule`; the bundled default is ``history_rule.toml``
   beside this module). Every channel's contribution is kept, and channels
   that disagree are reported beside the fused value, not averaged away;
2. reads each year's **configuration** and roles (Dittmer 1981) with the
   array functions of :mod:`powerbalance.theory.triangle` (one row per year);
3. finds the **transitions**: the years a tie changed sign (and with it the
   configuration, or the partners of a stable marriage), which tie flipped and
   which channels moved it (the contributions that changed most in the
   direction of the flip).

The rule
--------
For a dyad-year with channels ``c`` present (a Relation each, a neutral one
with sign 0 counting as information), value ``x_c = sign_c * strength_c`` and
weight ``w_c`` (from the rule; channels without a weight count 0):

.. math::

    x = \\frac{\\sum_c w_c x_c}{\\sum_c w_c}, \\qquad
    \\mathrm{contribution}_c = \\frac{w_c x_c}{\\sum_c w_c}, \\qquad
    u = \\frac{\\sqrt{\\sum_c w_c^2 (\\sigma_c^2 + \\tau^2)}}{\\sum_c w_c}, \\qquad
    \\tau^2 = \\frac{\\sum_c w_c (x_c - x)^2}{\\sum_c w_c}

(``sigma_c`` the channel's noise from the rule): the standard error of a
weighted mean whose channels each carry their own noise plus the spread
between the channels, as in a random-effects meta-analysis. The sign is
sign(x), 0 when ``|x|`` is below the rule's dead band; the strength is
``|x|``. Two channels **disagree** when their signs are opposite and each has
a strength of at least the rule's ``disagreement``; such a tie is *contested*
and lists the channels on each side.

In the triangle a tie needs a sign: a tie without one keeps the sign of its
last signed year when the rule says ``carry_neutral`` (no evidence of change
is not evidence of change), and reads as enmity before any signed year
(Dittmer's cautious reading, as :func:`~powerbalance.theory.triangle.signs_of`).
A year lacking a tie (no channel has information, e.g. USA–PRC before 1949)
has no configuration: missing is not zero.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from powerbalance.actors import TIE_POSITIONS, TRIANGLE
from powerbalance.errors import InputFileError, suggest
from powerbalance.relations.base import Relation
from powerbalance.theory.triangle import (
    CONFIGURATIONS,
    ROLES,
    TriangleReading,
    configuration_codes,
    configuration_name,
    role_codes,
    role_scores,
    triangle_from_relations,
)

__all__ = [
    "DEFAULT_RULE",
    "Contribution",
    "Driver",
    "FusedTie",
    "FusionRule",
    "History",
    "HistoryRuleError",
    "TieFlip",
    "Transition",
    "YearReading",
    "fuse_tie",
    "load_rule",
    "parse_rule",
    "read_history",
    "year_triangle",
]

#: The bundled default rule.
DEFAULT_RULE = Path(__file__).with_name("history_rule.toml")


class HistoryRuleError(InputFileError):
    """A fusion-rule file (``--rule FILE``) is not a valid rule; names the file, line and field."""


# --- the rule ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelWeight:
    """One channel's weight in the fusion and its noise (a standard deviation on [-1, 1])."""

    channel: str
    weight: float
    noise: float

    def to_dict(self) -> dict[str, Any]:
        return {"channel": self.channel, "weight": self.weight, "noise": self.noise}


@dataclass(frozen=True)
class FusionRule:
    """The rule that fuses a dyad-year's channels into one tie (see the module's docstring).

    ``id`` (``name-vVERSION``) travels with every fused tie and every result.
    """

    name: str
    version: str
    channels: Mapping[str, ChannelWeight]
    dead_band: float = 0.05
    disagreement: float = 0.2
    carry_neutral: bool = True
    file: str = "bundled"

    @property
    def id(self) -> str:
        return f"{self.name}-v{self.version}"

    def weight(self, channel: str) -> float:
        c = self.channels.get(channel)
        return c.weight if c is not None else 0.0

    def noise(self, channel: str) -> float:
        c = self.channels.get(channel)
        return c.noise if c is not None else 0.5

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "version": self.version,
            "file": self.file,
            "dead_band": self.dead_band,
            "disagreement": self.disagreement,
            "carry_neutral": self.carry_neutral,
            "channels": {
                k: {"weight": c.weight, "noise": c.noise} for k, c in self.channels.items()
            },
        }


_HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\"' -]+?)\s*\]\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")

_RULE_KEYS = ("name", "version", "dead_band", "disagreement", "carry_neutral")
_CHANNEL_KEYS = ("weight", "noise")


def _line_of(text: str, path: tuple[str, ...]) -> int | None:
    """The line (1-based) defining ``path`` (``("channels", "trade", "weight")``) or its table.

    Examples
    --------
    >>> _line_of('[rule]\\nname = "x"\\n[channels.trade]\\nweight = 2\\n', ("channels", "trade", "weight"))
    4
    >>> _line_of('[rule]\\nname = "x"\\n', ("rule", "version"))
    1
    """
    table: tuple[str, ...] = ()
    best: tuple[int, int | None] = (0, None)
    for number, raw in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(raw)
        if header:
            table = tuple(p.strip().strip("\"'") for p in header.group(1).split("."))
            here = table
        else:
            key = _KEY.match(raw)
            if not key:
                continue
            here = (*table, key.group(1))
        depth = len(here)
        if here == path[:depth] and depth > best[0]:
            best = (depth, number)
    return best[1]


def _at(text: str, path: tuple[str, ...]) -> dict[str, Any]:
    line = _line_of(text, path)
    return {"record": f"line {line}" if line else None, "field": ".".join(path)}


def _number(
    value: Any, text: str, file: str, path: tuple[str, ...], low: float, high: float, what: str
) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise HistoryRuleError(
            file,
            f"must be a number from {low:g} to {high:g} ({what}), got {value!r}",
            **_at(text, path),
        )
    if not low <= value <= high:
        raise HistoryRuleError(
            file, f"must lie from {low:g} to {high:g} ({what}), got {value:g}", **_at(text, path)
        )
    return float(value)


def _unknown(key: str, allowed: Sequence[str], text: str, file: str, path: tuple[str, ...]) -> None:
    close = suggest(key, allowed)
    hint = f"did you mean {', '.join(close)}?" if close else f"allowed here: {', '.join(allowed)}"
    raise HistoryRuleError(file, f"unknown key '{key}'", hint=hint, **_at(text, path))


def parse_rule(
    text: str, *, file: str = "<rule>", known_channels: Sequence[str] | None = None
) -> FusionRule:
    """Parse and check a fusion rule written in TOML.

    Parameters
    ----------
    text
        The TOML: a ``[rule]`` table (``name``, ``version``, and optionally
        ``dead_band``, ``disagreement``, ``carry_neutral``) and one
        ``[channels.NAME]`` table per channel (``weight`` >= 0, ``noise`` in [0, 1]).
    file
        The file's name, for the errors.
    known_channels
        The channels a rule may weigh (others are refused with the list); ``None`` accepts any.

    Raises
    ------
    HistoryRuleError
        Naming the file, the line and the field, and what is allowed.

    Examples
    --------
    >>> rule = parse_rule('[rule]\\nname = "mine"\\nversion = 2\\n[channels.disputes]\\nweight = 3\\n')
    >>> rule.id, rule.weight("disputes"), rule.weight("trade")
    ('mine-v2', 3.0, 0.0)
    >>> parse_rule('[rule]\\nname = "mine"\\nversion = 2\\n[channels.disputes]\\nweight = -1\\n')
    Traceback (most recent call last):
    ...
    powerbalance.theory.history.HistoryRuleError: <rule>, line 5, field 'channels.disputes.weight': must lie from 0 to 100 (a channel's weight in the mean), got -1
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\(at line (\d+), column (\d+)\)", message)
        if found:
            raise HistoryRuleError(
                file,
                f"not valid TOML: {message[: found.start()].strip()} (column {found.group(2)})",
                record=f"line {found.group(1)}",
            ) from None
        raise HistoryRuleError(
            file, f"not valid TOML: {message}", hint="see the bundled rule in docs/history.md"
        ) from None
    for key in data:
        if key not in ("rule", "channels"):
            _unknown(key, ("rule", "channels"), text, file, (key,))
    head = data.get("rule")
    if not isinstance(head, dict):
        raise HistoryRuleError(
            file,
            "a rule needs a [rule] table with its name and version",
            hint='start the file with [rule], name = "my-rule", version = "1"',
        )
    for key in head:
        if key not in _RULE_KEYS:
            _unknown(key, _RULE_KEYS, text, file, ("rule", key))
    name = head.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise HistoryRuleError(
            file,
            f"must be a name of lower-case letters, digits, '-' or '_' (up to 64), got {name!r}",
            **_at(text, ("rule", "name")),
        )
    version = head.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version >= 0:
        version = str(version)
    if not isinstance(version, str) or not _VERSION.match(version):
        raise HistoryRuleError(
            file,
            f"must be a version such as \"1\" or \"2.1\" (letters, digits, '.', '-'), got {version!r}",
            **_at(text, ("rule", "version")),
        )
    dead_band = _number(
        head.get("dead_band", 0.05),
        text,
        file,
        ("rule", "dead_band"),
        0,
        0.99,
        "|x| without a sign",
    )
    disagreement = _number(
        head.get("disagreement", 0.2),
        text,
        file,
        ("rule", "disagreement"),
        0,
        1,
        "the strength from which opposite channels disagree",
    )
    carry = head.get("carry_neutral", True)
    if not isinstance(carry, bool):
        raise HistoryRuleError(
            file, f"must be true or false, got {carry!r}", **_at(text, ("rule", "carry_neutral"))
        )
    tables = data.get("channels")
    if not isinstance(tables, dict) or not tables:
        raise HistoryRuleError(
            file,
            "a rule weighs at least one channel in a [channels.NAME] table",
            hint="e.g. [channels.disputes] with weight = 2.0"
            + (f"; channels: {', '.join(known_channels)}" if known_channels else ""),
            **(_at(text, ("channels",)) if isinstance(tables, dict) else {}),
        )
    channels: dict[str, ChannelWeight] = {}
    for channel, spec in tables.items():
        where = ("channels", channel)
        if known_channels is not None and channel not in known_channels:
            close = suggest(channel, known_channels)
            raise HistoryRuleError(
                file,
                f"unknown channel '{channel}'",
                hint=(f"did you mean {', '.join(close)}? " if close else "")
                + f"the channels are {', '.join(known_channels)}",
                **_at(text, where),
            )
        if not isinstance(spec, dict):
            raise HistoryRuleError(
                file,
                f"must be a table with weight (and noise), like [channels.{channel}] weight = 1.0",
                **_at(text, where),
            )
        for key in spec:
            if key not in _CHANNEL_KEYS:
                _unknown(key, _CHANNEL_KEYS, text, file, (*where, key))
        if "weight" not in spec:
            raise HistoryRuleError(
                file, "a channel needs a weight (0 leaves it out)", **_at(text, (*where, "weight"))
            )
        channels[channel] = ChannelWeight(
            channel,
            _number(
                spec["weight"],
                text,
                file,
                (*where, "weight"),
                0,
                100,
                "a channel's weight in the mean",
            ),
            _number(
                spec.get("noise", 0.35),
                text,
                file,
                (*where, "noise"),
                0,
                1,
                "a standard deviation on the [-1, 1] scale",
            ),
        )
    if not any(c.weight > 0 for c in channels.values()):
        raise HistoryRuleError(
            file,
            "every channel has weight 0, so no tie could be fused",
            hint="give at least one channel a positive weight",
            **_at(text, ("channels",)),
        )
    return FusionRule(
        name=name,
        version=version,
        channels=channels,
        dead_band=dead_band,
        disagreement=disagreement,
        carry_neutral=carry,
        file=file,
    )


def load_rule(
    path: str | Path | None = None, *, known_channels: Sequence[str] | None = None
) -> FusionRule:
    """The rule in ``path`` (a TOML file), or the bundled default when ``path`` is None.

    Examples
    --------
    >>> load_rule().id
    'history-fusion-v1'
    """
    if path is None:
        return replace(
            parse_rule(DEFAULT_RULE.read_text(encoding="utf-8"), file=DEFAULT_RULE.name),
            file="bundled",
        )
    p = Path(path).expanduser()
    if not p.is_file():
        problem = (
            "no such file"
            if not p.exists()
            else "this is a folder, not a rule file"
            if p.is_dir()
            else "not a regular file"
        )
        raise HistoryRuleError(
            str(path), problem, hint="give a TOML file like the bundled rule (docs/history.md)"
        )
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise HistoryRuleError(str(path), "not UTF-8 text; a rule is a TOML text file") from None
    return parse_rule(text, file=str(path), known_channels=known_channels)


# --- fusing one dyad-year ---------------------------------------------------------------------


@dataclass(frozen=True)
class Contribution:
    """One channel's part in a fused tie: its relation, its weight and its share of the value."""

    channel: str
    rule: str
    sign: int
    strength: float
    weight: float
    contribution: float
    evidence: tuple[str, ...] = ()
    components: Mapping[str, float] = field(default_factory=dict)

    @property
    def value(self) -> float:
        return self.sign * self.strength

    def to_dict(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "rule": self.rule,
            "sign": self.sign,
            "strength": self.strength,
            "value": self.value,
            "weight": self.weight,
            "contribution": self.contribution,
            "evidence": list(self.evidence),
            "components": dict(self.components),
        }


@dataclass(frozen=True)
class FusedTie:
    """A dyad-year's tie fused from its channels.

    ``sign``/``strength``/``value`` are the fused reading (``value = sign * strength``
    before the dead band); ``triangle_sign`` is the sign the triangle reads
    (``basis``: ``fused``, ``carried`` from the last signed year, or ``cautious``
    enmity before any); ``amity``/``enmity`` list the channels of a disagreement.
    """

    a: str
    b: str
    year: int
    sign: int
    strength: float
    value: float
    uncertainty: float
    contributions: tuple[Contribution, ...]
    rule: str
    absent: tuple[str, ...] = ()
    amity: tuple[str, ...] = ()
    enmity: tuple[str, ...] = ()
    triangle_sign: int = 0
    basis: str = "fused"

    @property
    def label(self) -> str:
        return f"{self.a}-{self.b}"

    @property
    def contested(self) -> bool:
        """Channels disagree: some say amity and some enmity, each with a non-trivial strength."""
        return bool(self.amity and self.enmity)

    def contribution(self, channel: str) -> float:
        """The channel's contribution to the value (0 when it has no information this year)."""
        return next((c.contribution for c in self.contributions if c.channel == channel), 0.0)

    def relation(self) -> Relation:
        """The tie as a Relation with the triangle's sign (for the one-year triangle reading)."""
        sign = self.triangle_sign or self.sign or -1
        return Relation(
            self.a,
            self.b,
            sign,
            min(1.0, self.strength),
            "history",
            self.rule,
            period=str(self.year),
            components={c.channel: c.contribution for c in self.contributions},
            evidence=tuple(e for c in self.contributions for e in c.evidence),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "tie": self.label,
            "a": self.a,
            "b": self.b,
            "year": self.year,
            "sign": self.sign,
            "strength": self.strength,
            "value": self.value,
            "uncertainty": self.uncertainty,
            "triangle_sign": self.triangle_sign,
            "basis": self.basis,
            "contested": self.contested,
            "disagreement": {"amity": list(self.amity), "enmity": list(self.enmity)}
            if self.contested
            else None,
            "rule": self.rule,
            "contributions": [c.to_dict() for c in self.contributions],
            "channels_absent": list(self.absent),
        }


def _year_of(relation: Relation) -> int:
    try:
        return int(str(relation.period))
    except ValueError:
        raise ValueError(
            f"a history relation's period is a year, got {relation.period!r} "
            f"({relation.channel}, {relation.a}-{relation.b})"
        ) from None


def fuse_tie(
    relations: Sequence[Relation],
    rule: FusionRule,
    *,
    pair: tuple[str, str] | None = None,
    year: int | None = None,
) -> FusedTie | None:
    """Fuse the channels' relations of one dyad-year into a tie (None when no channel counts).

    Parameters
    ----------
    relations
        At most one per channel, all of one pair and year (two of a channel are
        read as their mean).
    rule
        Weights, noise, dead band and disagreement threshold.
    pair, year
        The tie's actors in order and its year (default: the first relation's).

    Examples
    --------
    >>> rule = FusionRule("r", "1", {"a": ChannelWeight("a", 2.0, 0.2),
    ...                              "b": ChannelWeight("b", 1.0, 0.2)})
    >>> t = fuse_tie([Relation("USA", "RUS", -1, 0.9, "a", "a-v1", "1962"),
    ...               Relation("USA", "RUS", 1, 0.3, "b", "b-v1", "1962")], rule)
    >>> t.sign, round(t.value, 3), [round(c.contribution, 3) for c in t.contributions]
    (-1, -0.5, [-0.6, 0.1])
    >>> t.contested, t.amity, t.enmity
    (True, ('b',), ('a',))
    """
    if not relations:
        return None
    first = relations[0]
    a, b = pair or (first.a, first.b)
    year = _year_of(first) if year is None else year
    by_channel: dict[str, list[Relation]] = {}
    for r in relations:
        if r.pair != frozenset((a, b)):
            raise ValueError(f"fuse_tie got a relation of {r.a}-{r.b} among those of {a}-{b}")
        by_channel.setdefault(r.channel, []).append(r)
    merged: list[tuple[str, str, float, tuple[str, ...], dict[str, float]]] = []
    for channel, rels in by_channel.items():
        x = sum(r.weight for r in rels) / len(rels)
        merged.append(
            (
                channel,
                rels[0].rule,
                x,
                tuple(dict.fromkeys(e for r in rels for e in r.evidence)),
                dict(rels[0].components) if len(rels) == 1 else {},
            )
        )
    weights = np.array([rule.weight(m[0]) for m in merged])
    total = float(weights.sum())
    if total <= 0:
        return None
    xs = np.array([m[2] for m in merged])
    value = float((weights * xs).sum() / total)
    tau2 = float((weights * (xs - value) ** 2).sum() / total)
    noise2 = np.array([rule.noise(m[0]) ** 2 for m in merged])
    uncertainty = min(1.0, math.sqrt(float((weights**2 * (noise2 + tau2)).sum())) / total)
    contributions = tuple(
        Contribution(
            channel=channel,
            rule=channel_rule,
            sign=int(np.sign(x)),
            strength=min(1.0, abs(x)),
            weight=float(w),
            contribution=float(w * x / total),
            evidence=evidence,
            components=components,
        )
        for (channel, channel_rule, x, evidence, components), w in zip(merged, weights, strict=True)
    )
    counted = [c for c in contributions if c.weight > 0 and c.strength >= rule.disagreement]
    amity = tuple(c.channel for c in counted if c.sign > 0)
    enmity = tuple(c.channel for c in counted if c.sign < 0)
    present = {c.channel for c in contributions if c.weight > 0}
    absent = tuple(ch for ch, c in rule.channels.items() if c.weight > 0 and ch not in present)
    sign = 0 if abs(value) < rule.dead_band else (1 if value > 0 else -1)
    return FusedTie(
        a=a,
        b=b,
        year=year,
        sign=sign,
        strength=min(1.0, abs(value)),
        value=value,
        uncertainty=uncertainty,
        contributions=contributions,
        rule=rule.id,
        absent=absent,
        amity=amity if enmity else (),
        enmity=enmity if amity else (),
        triangle_sign=sign,
    )


# --- the triangle year by year ----------------------------------------------------------------


@dataclass(frozen=True)
class YearReading:
    """One year: its three ties (None where a tie has no information) and, when all three
    are there, the configuration, roles and scores (Dittmer 1981)."""

    year: int
    ties: tuple[FusedTie | None, FusedTie | None, FusedTie | None]
    configuration: str | None = None
    roles: Mapping[str, str] = field(default_factory=dict)
    scores: Mapping[str, float] = field(default_factory=dict)
    weighted_scores: Mapping[str, float] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return all(t is not None for t in self.ties)

    @property
    def contested(self) -> list[str]:
        return [t.label for t in self.ties if t is not None and t.contested]

    def to_dict(self, actors: Sequence[str] = TRIANGLE) -> dict[str, Any]:
        missing = [
            f"{actors[i]}-{actors[j]}"
            for (i, j), t in zip(TIE_POSITIONS, self.ties, strict=True)
            if t is None
        ]
        return {
            "year": self.year,
            "configuration": self.configuration,
            "roles": dict(self.roles),
            "scores": dict(self.scores),
            "weighted_scores": dict(self.weighted_scores),
            "ties": [t.to_dict() for t in self.ties if t is not None],
            "ties_missing": missing,
            "contested": self.contested,
        }


@dataclass(frozen=True)
class Driver:
    """A channel that moved a tie across zero: its contribution before and after."""

    channel: str
    before: float
    after: float

    @property
    def change(self) -> float:
        return self.after - self.before

    def to_dict(self) -> dict[str, Any]:
        note = "appeared" if self.before == 0 else "disappeared" if self.after == 0 else None
        return {
            "channel": self.channel,
            "before": self.before,
            "after": self.after,
            "change": self.change,
            "note": note,
        }


@dataclass(frozen=True)
class TieFlip:
    """A tie whose sign in the triangle changed, and the channels that moved it."""

    tie: str
    sign_before: int
    sign_after: int
    value_before: float
    value_after: float
    drivers: tuple[Driver, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "tie": self.tie,
            "sign_before": self.sign_before,
            "sign_after": self.sign_after,
            "value_before": self.value_before,
            "value_after": self.value_after,
            "drivers": [d.to_dict() for d in self.drivers],
        }


@dataclass(frozen=True)
class Transition:
    """A year the triangle changed against the previous year with all three ties."""

    year: int
    previous_year: int
    configuration_before: str
    configuration_after: str
    roles_before: Mapping[str, str]
    roles_after: Mapping[str, str]
    flips: tuple[TieFlip, ...]

    @property
    def kind(self) -> str:
        """``configuration`` when it changed, else ``roles`` (a stable marriage's new partners)."""
        return "configuration" if self.configuration_before != self.configuration_after else "roles"

    @property
    def channels(self) -> list[str]:
        """The channels that moved the flipped ties, strongest first, each named once."""
        ranked = sorted(
            (d for f in self.flips for d in f.drivers),
            key=lambda d: -abs(d.change),
        )
        return list(dict.fromkeys(d.channel for d in ranked))

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "previous_year": self.previous_year,
            "kind": self.kind,
            "configuration_before": self.configuration_before,
            "configuration_after": self.configuration_after,
            "roles_before": dict(self.roles_before),
            "roles_after": dict(self.roles_after),
            "flipped": [f.to_dict() for f in self.flips],
            "channels": self.channels,
        }


@dataclass(frozen=True)
class History:
    """The triangle year by year under one fusion rule, and its transitions."""

    rule: FusionRule
    start: int
    end: int
    actors: tuple[str, str, str]
    years: tuple[YearReading, ...]
    transitions: tuple[Transition, ...]

    def year(self, year: int) -> YearReading:
        for y in self.years:
            if y.year == year:
                return y
        raise KeyError(year)

    def periods(self) -> list[dict[str, Any]]:
        """Runs of years with one configuration and the same roles (the timeline's spans)."""
        out: list[dict[str, Any]] = []
        for y in self.years:
            key = (y.configuration, tuple(sorted(y.roles.items())))
            if out and out[-1]["key"] == key and out[-1]["end"] == y.year - 1:
                out[-1]["end"] = y.year
            else:
                out.append({"key": key, "start": y.year, "end": y.year})
        return [
            {
                "start": p["start"],
                "end": p["end"],
                "configuration": p["key"][0],
                "roles": dict(p["key"][1]),
            }
            for p in out
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule.to_dict(),
            "start": self.start,
            "end": self.end,
            "actors": list(self.actors),
            "years": [y.to_dict(self.actors) for y in self.years],
            "periods": self.periods(),
            "transitions": [t.to_dict() for t in self.transitions],
        }


def read_history(
    relations: Iterable[Relation],
    rule: FusionRule,
    *,
    start: int,
    end: int,
    actors: tuple[str, str, str] = TRIANGLE,
) -> History:
    """Fuse every dyad-year, read each year's triangle and find the transitions.

    Parameters
    ----------
    relations
        The channels' relations (``period`` = the year); those of other pairs
        or outside ``start..end`` are left out.
    rule
        The fusion rule (:func:`load_rule`).
    start, end
        The years, inclusive.
    actors
        The triangle's actors; ties follow :data:`~powerbalance.actors.TIE_POSITIONS`.

    Examples
    --------
    >>> rule = FusionRule("r", "1", {"a": ChannelWeight("a", 1.0, 0.3)})
    >>> def rels(year, usa_rus, usa_chn, rus_chn):
    ...     return [Relation("USA", "RUS", usa_rus, 0.8, "a", "a-v1", str(year)),
    ...             Relation("USA", "CHN", usa_chn, 0.8, "a", "a-v1", str(year)),
    ...             Relation("RUS", "CHN", rus_chn, 0.8, "a", "a-v1", str(year))]
    >>> h = read_history(rels(1958, -1, -1, 1) + rels(1972, -1, 1, -1), rule, start=1958, end=1972)
    >>> [(y.year, y.configuration) for y in h.years if y.configuration]
    [(1958, 'stable marriage'), (1972, 'stable marriage')]
    >>> t = h.transitions[0]
    >>> t.year, t.kind, [f.tie for f in t.flips], t.roles_after["RUS"]
    (1972, 'roles', ['USA-CHN', 'RUS-CHN'], 'outcast')
    """
    if end < start:
        raise ValueError(f"the history ends ({end}) before it starts ({start})")
    pairs = [(actors[i], actors[j]) for i, j in TIE_POSITIONS]
    index = {frozenset(p): k for k, p in enumerate(pairs)}
    grouped: dict[tuple[int, int], list[Relation]] = {}
    for r in relations:
        k = index.get(r.pair)
        if k is None:
            continue
        year = _year_of(r)
        if start <= year <= end:
            grouped.setdefault((year, k), []).append(r)
    years = list(range(start, end + 1))
    ties: list[list[FusedTie | None]] = []
    last: list[int | None] = [None, None, None]
    for year in years:
        row: list[FusedTie | None] = []
        for k, pair in enumerate(pairs):
            tie = fuse_tie(grouped.get((year, k), []), rule, pair=pair, year=year)
            if tie is not None:
                tie = _triangle_sign(tie, last[k], rule)
                last[k] = tie.triangle_sign if tie.sign else last[k]
            row.append(tie)
        ties.append(row)
    complete = [n for n, row in enumerate(ties) if all(t is not None for t in row)]
    readings = [
        YearReading(year, (row[0], row[1], row[2])) for year, row in zip(years, ties, strict=True)
    ]
    if complete:
        signs = np.array(
            [[t.triangle_sign for t in ties[n] if t is not None] for n in complete], dtype=np.int64
        )
        strengths = np.array(
            [[t.strength for t in ties[n] if t is not None] for n in complete], dtype=float
        )
        configs = configuration_codes(signs)
        roles = role_codes(signs)
        scores = role_scores(signs)
        weighted = role_scores(signs, strengths)
        for m, n in enumerate(complete):
            readings[n] = replace(
                readings[n],
                configuration=configuration_name(int(configs[m])),
                roles={a: ROLES[roles[m, i]] for i, a in enumerate(actors)},
                scores={a: float(scores[m, i]) for i, a in enumerate(actors)},
                weighted_scores={a: round(float(weighted[m, i]), 12) for i, a in enumerate(actors)},
            )
    return History(
        rule=rule,
        start=start,
        end=end,
        actors=actors,
        years=tuple(readings),
        transitions=tuple(_transitions([readings[n] for n in complete])),
    )


def _triangle_sign(tie: FusedTie, last: int | None, rule: FusionRule) -> FusedTie:
    if tie.sign != 0:
        return replace(tie, triangle_sign=tie.sign, basis="fused")
    if rule.carry_neutral and last is not None:
        return replace(tie, triangle_sign=last, basis="carried")
    return replace(tie, triangle_sign=-1, basis="cautious")


def _transitions(readings: Sequence[YearReading]) -> list[Transition]:
    out: list[Transition] = []
    for before, after in pairwise(readings):
        flips = []
        for t0, t1 in zip(before.ties, after.ties, strict=True):
            assert t0 is not None and t1 is not None  # complete years only
            if t0.triangle_sign == t1.triangle_sign:
                continue
            direction = t1.triangle_sign
            channels = dict.fromkeys(
                [c.channel for c in t0.contributions] + [c.channel for c in t1.contributions]
            )
            moved = [
                Driver(ch, t0.contribution(ch), t1.contribution(ch))
                for ch in channels
                if direction * (t1.contribution(ch) - t0.contribution(ch)) > 1e-12
            ]
            moved.sort(key=lambda d: -abs(d.change))
            flips.append(
                TieFlip(
                    t1.label, t0.triangle_sign, t1.triangle_sign, t0.value, t1.value, tuple(moved)
                )
            )
        if flips:
            assert before.configuration is not None and after.configuration is not None
            out.append(
                Transition(
                    year=after.year,
                    previous_year=before.year,
                    configuration_before=before.configuration,
                    configuration_after=after.configuration,
                    roles_before=before.roles,
                    roles_after=after.roles,
                    flips=tuple(flips),
                )
            )
    return out


def year_triangle(history: History, year: int, *, weighted: bool = False) -> TriangleReading:
    """The full triangle reading of one year (roles, arithmetic, moves) from its fused ties.

    Raises ``KeyError`` for a year outside the history and
    :class:`~powerbalance.theory.triangle.TriangleError` for a year lacking a tie.
    """
    reading = history.year(year)
    return triangle_from_relations(
        [t.relation() for t in reading.ties if t is not None], weighted=weighted
    )


#: Configuration keys in prose order (for tables and legends), from the triangle module.
CONFIGURATION_NAMES: tuple[str, ...] = tuple(
    configuration_name(c) for c in range(len(CONFIGURATIONS))
)
