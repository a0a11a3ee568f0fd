"""Actor tables for bargaining models: who takes part, with what clout, where they stand.

An actor table holds, for every actor, a capability (influence, resources) and,
for every issue dimension, a position and a salience. Dimensions have a name and
a documented scale: positions run from ``low`` to ``high`` (0 to 100 unless a
file says otherwise) and each end has a label (for example 0 = containment,
100 = strategic partnership). Salience runs from 0 (does not care) to 100 (the
issue dominates everything else).

The files (the project's CSV, KTAB's CSV, YAML) are read by
:mod:`powerbalance.datasets.bargaining_tables` into plain data;
:meth:`ActorTable.from_data` checks it and builds the table. :func:`read_table`
and the format readers here do both in one call.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import numpy as np

from powerbalance.datasets import bargaining_tables as _files
from powerbalance.datasets.bargaining_tables import (
    NOMINAL_SCALES,
    SALIENCE_MAX,
    ActorTableData,
    Dimension,
    Judgement,
    Scale,
    path_exists,
    scale_pair,
)
from powerbalance.theory.bargaining.errors import ActorTableError, BargainingOptionError

__all__ = [
    "NOMINAL_SCALES",
    "SALIENCE_MAX",
    "ActorTable",
    "Dimension",
    "Judgement",
    "Scale",
    "parse_scale",
    "path_exists",
    "read_csv_table",
    "read_ktab_csv",
    "read_table",
    "read_yaml_table",
]

#: capabilities whose largest value lies outside this range are rescaled (exactly, by a
#: power of two) before products are formed; see :meth:`ActorTable.safe_capability`
CAPABILITY_SAFE = (1e-100, 1e100)


@dataclass(frozen=True)
class ActorTable(ActorTableData):
    """Actors with capability, and per dimension a position and a salience.

    The fields are those of :class:`~powerbalance.datasets.bargaining_tables.ActorTableData`
    (declared there once); an ``ActorTable`` is such data checked: finite
    numbers of the right shapes, unique actors, at least two.

    Parameters
    ----------
    actors
        Actor ids (unique).
    capability
        Shape ``(n,)``, positive.
    position
        Shape ``(n, d)`` on each dimension's scale.
    salience
        Shape ``(n, d)`` in ``[0, 100]``.
    dimensions
        The ``d`` dimensions.
    descriptions
        Optional long names.
    judgements
        ``{(actor, field, dim_id or None): Judgement}`` with field one of
        ``capability``, ``position``, ``salience``.
    notes
        What the reader had to assume (an inferred scale, say), shown with every result.
    """

    def __post_init__(self) -> None:
        n, d = len(self.actors), len(self.dimensions)
        object.__setattr__(self, "capability", np.asarray(self.capability, dtype=float).reshape(n))
        object.__setattr__(self, "position", np.asarray(self.position, dtype=float).reshape(n, d))
        object.__setattr__(self, "salience", np.asarray(self.salience, dtype=float).reshape(n, d))
        for what in ("capability", "position", "salience"):
            values = getattr(self, what)
            if not np.all(np.isfinite(values)):
                i = int(np.flatnonzero(~np.isfinite(values).reshape(n, -1).all(axis=1))[0])
                raise ActorTableError(
                    self.source or "actor table",
                    f"the {what} of '{self.actors[i]}' is not a finite number",
                    field=what,
                )
        if not self.descriptions:
            object.__setattr__(self, "descriptions", tuple(self.actors))
        if len(set(self.actors)) != n:
            dup = sorted({a for a in self.actors if self.actors.count(a) > 1})
            raise ActorTableError(
                self.source or "actor table", f"duplicate actor(s) {', '.join(dup)}"
            )
        if n < 2:
            raise ActorTableError(
                self.source or "actor table", "a bargaining table needs at least two actors"
            )

    @classmethod
    def from_data(cls, data: ActorTableData) -> ActorTable:
        """The checked table of what a reader of :mod:`powerbalance.datasets.bargaining_tables` found.

        Raises
        ------
        ActorTableError
            A non-finite number, a duplicate actor or fewer than two actors.
        """
        return cls(**{f.name: getattr(data, f.name) for f in fields(data)})

    @property
    def n_actors(self) -> int:
        return len(self.actors)

    @property
    def n_dims(self) -> int:
        return len(self.dimensions)

    def index(self, actor: str) -> int:
        """Row of ``actor``; raises :class:`BargainingOptionError` with close matches."""
        try:
            return self.actors.index(actor)
        except ValueError:
            from powerbalance.errors import suggest

            near = suggest(actor, self.actors)
            hint = (
                f"; did you mean {', '.join(near)}?"
                if near
                else f"; actors: {', '.join(self.actors)}"
            )
            raise BargainingOptionError(
                f"no actor '{actor}' in {self.name or 'the table'}{hint}"
            ) from None

    def dim_index(self, dim: str | None) -> int:
        if dim is None:
            if self.n_dims == 1:
                return 0
            raise BargainingOptionError(
                f"the table has {self.n_dims} dimensions; name one ({', '.join(d.id for d in self.dimensions)})"
            )
        for k, dd in enumerate(self.dimensions):
            if dim in (dd.id, dd.name):
                return k
        raise BargainingOptionError(
            f"no dimension '{dim}'; dimensions: {', '.join(d.id for d in self.dimensions)}"
        )

    def safe_capability(self) -> ActorTable:
        """The table with capabilities scaled by a power of two when they are extreme.

        Capability is relative: every model depends only on the ratios (the
        spatial model's floors on coalition strength aside, which are negligible
        at such magnitudes). Products of capability, salience and the number of
        actors overflow (or underflow) double precision for capabilities beyond
        about 1e300 (or below 1e-300); above 1e100 or below 1e-100 the
        capabilities are scaled so that the largest lies in [0.5, 1). A power of
        two is exact, so the ratios do not change.

        Examples
        --------
        >>> t = ActorTable(("a", "b"), [1e307, 3e306], [[10], [90]], [[50], [50]],
        ...                (Dimension("x", "x"),))
        >>> bool(t.safe_capability().capability.max() < 1)
        True
        """
        k = self.capability_exponent()
        return self if k == 0 else replace(self, capability=np.ldexp(self.capability, k))

    def capability_exponent(self) -> int:
        """``k`` such that :meth:`safe_capability` multiplies capabilities by ``2**k`` (0: none)."""
        top = float(self.capability.max()) if self.capability.size else 1.0
        if not top > 0 or CAPABILITY_SAFE[0] <= top <= CAPABILITY_SAFE[1]:
            return 0
        return -math.frexp(top)[1]

    def scaled_positions(self) -> np.ndarray:
        """Positions mapped to ``[0, 1]`` on each dimension's scale."""
        lo = np.array([d.low for d in self.dimensions])
        width = np.array([d.width for d in self.dimensions])
        return (self.position - lo) / width

    def with_value(
        self, actor: str, field_name: str, value: float, dim: str | None = None
    ) -> ActorTable:
        """A copy with one number replaced (a user's override of a judgement).

        Examples
        --------
        >>> t = ActorTable(("a", "b"), [1, 2], [[10], [90]], [[50], [50]], (Dimension("x", "x"),))
        >>> t.with_value("b", "position", 60).position[:, 0].tolist()
        [10.0, 60.0]
        """
        i = self.index(actor)
        if field_name == "capability":
            if not value > 0:
                raise BargainingOptionError(f"capability of {actor} must be positive, got {value}")
            cap = self.capability.copy()
            cap[i] = value
            return replace(self, capability=cap)
        k = self.dim_index(dim)
        if field_name == "position":
            dd = self.dimensions[k]
            if not dd.low <= value <= dd.high:
                raise BargainingOptionError(
                    f"position of {actor} must lie in [{dd.low:g}, {dd.high:g}], got {value}"
                )
            pos = self.position.copy()
            pos[i, k] = value
            return replace(self, position=pos)
        if field_name == "salience":
            if not 0 <= value <= SALIENCE_MAX:
                raise BargainingOptionError(
                    f"salience of {actor} must lie in [0, 100], got {value}"
                )
            sal = self.salience.copy()
            sal[i, k] = value
            return replace(self, salience=sal)
        raise BargainingOptionError(
            f"unknown field '{field_name}'; use capability, position or salience"
        )

    def with_overrides(self, overrides: Sequence[str]) -> ActorTable:
        """Apply ``ACTOR.FIELD[:DIM]=VALUE`` overrides (as given on the command line).

        Examples
        --------
        >>> t = ActorTable(("a", "b"), [1, 2], [[10], [90]], [[50], [50]], (Dimension("x", "x"),))
        >>> t.with_overrides(["a.salience=80", "b.capability=3"]).salience[:, 0].tolist()
        [80.0, 50.0]
        """
        table = self
        for item in overrides:
            lhs, sep, rhs = item.partition("=")
            actor, dot, fld = lhs.strip().rpartition(".")
            if not sep or not dot or not actor:
                raise BargainingOptionError(
                    f"override '{item}' is not of the form ACTOR.FIELD=VALUE (e.g. trump.position=60)"
                )
            fld, _, dim = fld.partition(":")
            try:
                value = float(rhs)
            except ValueError:
                raise BargainingOptionError(f"override '{item}': '{rhs}' is not a number") from None
            table = table.with_value(actor, fld, value, dim or None)
        return table

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per actor (for JSON output and data frames)."""
        out = []
        for i, a in enumerate(self.actors):
            rec: dict[str, Any] = {
                "actor": a,
                "description": self.descriptions[i],
                "capability": float(self.capability[i]),
            }
            for k, d in enumerate(self.dimensions):
                suffix = "" if self.n_dims == 1 else f":{d.id}"
                rec[f"position{suffix}"] = float(self.position[i, k])
                rec[f"salience{suffix}"] = float(self.salience[i, k])
            out.append(rec)
        return out


def parse_scale(text: str, *, what: str = "--scale") -> Scale:
    """``"MIN,MAX"`` as a pair of finite numbers with ``MIN < MAX``.

    Raises
    ------
    BargainingOptionError
        The text is not two numbers separated by a comma, or ``MIN >= MAX``.

    Examples
    --------
    >>> parse_scale("0,1")
    (0.0, 1.0)
    """
    pair = scale_pair(text)
    if pair is None:
        raise BargainingOptionError(
            f"{what} must be MIN,MAX with MIN below MAX (for example 0,100 or 0,1), got '{text}'"
        )
    return pair


def read_table(path: str | Path, *, scale: Scale | None = None) -> ActorTable:
    """Read an actor table file (:func:`powerbalance.datasets.bargaining_tables.read_table`) and check it.

    Raises
    ------
    ActorTableError
        The file is missing, not UTF-8 text or malformed, or the table is not valid.
    """
    return ActorTable.from_data(_files.read_table(path, scale=scale))


def read_csv_table(
    path: str | Path, *, text: str | None = None, scale: Scale | None = None, name: str = ""
) -> ActorTable:
    """The project's CSV format (:func:`powerbalance.datasets.bargaining_tables.read_csv_table`), checked.

    Examples
    --------
    >>> t = read_csv_table("t.csv", text="actor,capability,position,salience\\nA,1,20,50\\nB,2,80,40\\n")
    >>> t.actors, t.position[:, 0].tolist(), t.dimensions[0].scale_source
    (('A', 'B'), [20.0, 80.0], 'inferred')
    """
    return ActorTable.from_data(_files.read_csv_table(path, text=text, scale=scale, name=name))


def read_ktab_csv(
    path: str | Path, *, text: str | None = None, scale: Scale | None = None
) -> ActorTable:
    """KTAB's CSV format (:func:`powerbalance.datasets.bargaining_tables.read_ktab_csv`), checked."""
    return ActorTable.from_data(_files.read_ktab_csv(path, text=text, scale=scale))


def read_yaml_table(
    path: str | Path, *, text: str | None = None, name: str = "", scale: Scale | None = None
) -> ActorTable:
    """An actor table in YAML (:func:`powerbalance.datasets.bargaining_tables.read_yaml_table`), checked."""
    return ActorTable.from_data(_files.read_yaml_table(path, text=text, name=name, scale=scale))
