"""Actor tables for bargaining models: who takes part, with what clout, where they stand.

An actor table holds, for every actor, a capability (influence, resources) and,
for every issue dimension, a position and a salience. Dimensions have a name and
a documented scale: positions run from ``low`` to ``high`` (0 to 100 unless a
file says otherwise) and each end has a label (for example 0 = containment,
100 = strategic partnership). Salience runs from 0 (does not care) to 100 (the
issue dominates everything else).

Three readers build a table:

- :func:`read_csv_table`, the project's own CSV: one row per actor, columns
  ``actor``, optional ``description``, ``capability`` and, for one dimension,
  ``position`` and ``salience``; for several, ``position:<dim>`` and
  ``salience:<dim>`` pairs. Synonyms used by the Bueno de Mesquita literature
  are accepted (``stakeholder``, ``resources``, ``influence``, ``power``).
- :func:`read_ktab_csv`, KTAB's CSV: a scenario line (name, description,
  actor count, dimension count), a header ``Actor,Description,Influence,`` then
  one ``<dim> Position,<dim> Salience`` pair per dimension.
- :func:`read_yaml_table`, YAML with dimensions, actors and, for each number, an
  optional analyst judgement (value, range, one-line rationale, evidence id).

:func:`read_table` picks the reader from the file itself.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from powerbalance.theory.bargaining.errors import ActorTableError, BargainingOptionError

__all__ = [
    "ActorTable",
    "Dimension",
    "Judgement",
    "read_csv_table",
    "read_ktab_csv",
    "read_table",
    "read_yaml_table",
]

SALIENCE_MAX = 100.0

_ACTOR_COLS = ("actor", "stakeholder", "name", "id")
_CAP_COLS = ("capability", "influence", "resources", "power", "clout")


@dataclass(frozen=True)
class Dimension:
    """One issue dimension and its scale.

    ``low`` and ``high`` are the ends of the position scale; ``low_label`` and
    ``high_label`` say what they mean.
    """

    id: str
    name: str
    low: float = 0.0
    high: float = 100.0
    low_label: str = ""
    high_label: str = ""

    @property
    def width(self) -> float:
        return self.high - self.low


@dataclass(frozen=True)
class Judgement:
    """An analyst's judgement behind one number of a table.

    ``ref`` is the id of the claim or stance of the evidence base it rests on;
    ``low``/``high`` bound the plausible range used by the sensitivity analysis.
    """

    value: float
    why: str
    ref: str
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class ActorTable:
    """Actors with capability, and per dimension a position and a salience.

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
    """

    actors: tuple[str, ...]
    capability: np.ndarray
    position: np.ndarray
    salience: np.ndarray
    dimensions: tuple[Dimension, ...]
    descriptions: tuple[str, ...] = ()
    name: str = ""
    title: str = ""
    source: str = ""
    judgements: Mapping[tuple[str, str, str | None], Judgement] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n, d = len(self.actors), len(self.dimensions)
        object.__setattr__(self, "capability", np.asarray(self.capability, dtype=float).reshape(n))
        object.__setattr__(self, "position", np.asarray(self.position, dtype=float).reshape(n, d))
        object.__setattr__(self, "salience", np.asarray(self.salience, dtype=float).reshape(n, d))
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


# --------------------------------------------------------------------------- readers


def _number(text: str, file: str, row: int, col: str, *, what: str = "a number") -> float:
    try:
        value = float(text.strip())
    except (ValueError, AttributeError):
        raise ActorTableError(
            file, f"'{text}' is not {what}", record=f"line {row}", field=col
        ) from None
    if not math.isfinite(value):
        raise ActorTableError(
            file, f"'{text}' is not a finite number", record=f"line {row}", field=col
        )
    return value


def _check_values(
    file: str, row: int, cap: float, cap_col: str, sal: Sequence[tuple[float, str]]
) -> None:
    if not cap > 0:
        raise ActorTableError(
            file, f"capability must be positive, got {cap:g}", record=f"line {row}", field=cap_col
        )
    for value, col in sal:
        if not 0 <= value <= SALIENCE_MAX:
            raise ActorTableError(
                file,
                f"salience must lie in [0, 100], got {value:g}",
                record=f"line {row}",
                field=col,
                hint="salience is a percentage of the actor's attention",
            )


def read_csv_table(
    path: str | Path,
    *,
    text: str | None = None,
    scale: tuple[float, float] | None = None,
    name: str = "",
) -> ActorTable:
    """Read an actor table in the project's CSV format.

    Parameters
    ----------
    path
        The file (its name is used in error messages).
    text
        The file's content, if already read.
    scale
        ``(low, high)`` of the position scale; default ``(0, 100)``, widened to
        the data's range when positions fall outside it.
    name
        The table's name (default: the file stem).

    Returns
    -------
    ActorTable

    Raises
    ------
    ActorTableError
        A missing column, a duplicate actor, a non-numeric value or a salience
        outside ``[0, 100]``; the message names the line and the column.

    Examples
    --------
    >>> t = read_csv_table("t.csv", text="actor,capability,position,salience\\nA,1,20,50\\nB,2,80,40\\n")
    >>> t.actors, t.position[:, 0].tolist()
    (('A', 'B'), [20.0, 80.0])
    """
    file = str(path)
    if text is None:
        text = Path(path).read_text(encoding="utf-8-sig")
    raw = list(csv.reader(io.StringIO(text)))
    rows = [(n, r) for n, r in enumerate(raw, start=1) if any(c.strip() for c in r)]
    if not rows:
        raise ActorTableError(file, "the file is empty")
    header_line, header = rows[0]
    cols = [c.strip() for c in header]
    lower = [c.lower() for c in cols]

    def find(options: Sequence[str], what: str) -> int:
        for o in options:
            if o in lower:
                return lower.index(o)
        raise ActorTableError(
            file,
            f"missing column '{options[0]}' ({what})",
            record=f"line {header_line}",
            hint=f"the header must name {', '.join(options[:2])}",
        )

    a_col = find(_ACTOR_COLS, "the actor id")
    c_col = find(_CAP_COLS, "capability")
    d_col = lower.index("description") if "description" in lower else None
    dims: list[str] = []
    pos_cols: list[int] = []
    sal_cols: list[int] = []
    if "position" in lower:
        dims, pos_cols = ["position"], [lower.index("position")]
        if "salience" not in lower:
            raise ActorTableError(file, "missing column 'salience'", record=f"line {header_line}")
        sal_cols = [lower.index("salience")]
    else:
        for k, col in enumerate(lower):
            if col.startswith("position:"):
                dim = cols[k].split(":", 1)[1].strip()
                key = f"salience:{dim.lower()}"
                if key not in lower:
                    raise ActorTableError(
                        file, f"missing column 'salience:{dim}'", record=f"line {header_line}"
                    )
                dims.append(dim)
                pos_cols.append(k)
                sal_cols.append(lower.index(key))
        if not dims:
            raise ActorTableError(
                file,
                "missing column 'position'",
                record=f"line {header_line}",
                hint="one dimension: position,salience; several: position:<dim>,salience:<dim>",
            )
    actors: list[str] = []
    desc: list[str] = []
    cap: list[float] = []
    pos: list[list[float]] = []
    sal: list[list[float]] = []
    seen: dict[str, int] = {}
    for line, r in rows[1:]:
        need = max([a_col, c_col, *pos_cols, *sal_cols])
        if len(r) <= need:
            raise ActorTableError(
                file, f"the row has {len(r)} fields, the header {len(cols)}", record=f"line {line}"
            )
        actor = r[a_col].strip()
        if not actor:
            raise ActorTableError(file, "empty actor id", record=f"line {line}", field=cols[a_col])
        if actor in seen:
            raise ActorTableError(
                file,
                f"duplicate actor '{actor}' (first on line {seen[actor]})",
                record=f"line {line}",
                field=cols[a_col],
            )
        seen[actor] = line
        c = _number(r[c_col], file, line, cols[c_col])
        p = [_number(r[k], file, line, cols[k]) for k in pos_cols]
        s = [_number(r[k], file, line, cols[k]) for k in sal_cols]
        _check_values(
            file, line, c, cols[c_col], list(zip(s, [cols[k] for k in sal_cols], strict=True))
        )
        actors.append(actor)
        desc.append(r[d_col].strip() if d_col is not None and len(r) > d_col else actor)
        cap.append(c)
        pos.append(p)
        sal.append(s)
    if len(actors) < 2:
        raise ActorTableError(file, "a bargaining table needs at least two actor rows")
    arr = np.array(pos, dtype=float)
    lo, hi = scale if scale is not None else (0.0, 100.0)
    if scale is None and (arr.min() < lo or arr.max() > hi):
        lo, hi = float(min(lo, arr.min())), float(max(hi, arr.max()))
    dimensions = tuple(Dimension(id=d, name=d, low=lo, high=hi) for d in dims)
    return ActorTable(
        tuple(actors),
        np.array(cap),
        arr,
        np.array(sal, dtype=float),
        dimensions,
        tuple(desc),
        name=name or Path(file).stem,
        title=name or Path(file).stem,
        source=file,
    )


def read_ktab_csv(path: str | Path, *, text: str | None = None) -> ActorTable:
    """Read KTAB's spatial-model CSV (``smpc`` input).

    The first line is the scenario: name, description, number of actors,
    number of dimensions. The second is ``Actor,Description,Influence,`` followed
    by one ``<dim> Position,<dim> Salience`` pair per dimension. Positions and
    saliences are on 0–100 scales; an actor's saliences must not sum above 100.

    Raises
    ------
    ActorTableError
        Bad counts, missing columns, non-numeric values, saliences out of range.

    Examples
    --------
    >>> text = "S,desc,2,1,\\nActor,Description,Influence,P Position,P Salience,\\nA,a,10,20,50,\\nB,b,5,70,40,\\n"
    >>> t = read_ktab_csv("k.csv", text=text)
    >>> t.dimensions[0].name, t.capability.tolist()
    ('P Position', [10.0, 5.0])
    """
    file = str(path)
    if text is None:
        text = Path(path).read_text(encoding="utf-8-sig")
    rows = [(n, [c.strip() for c in r]) for n, r in enumerate(csv.reader(io.StringIO(text)), 1)]
    rows = [(n, r) for n, r in rows if any(r)]
    if len(rows) < 2:
        raise ActorTableError(file, "a KTAB file needs a scenario line and a header line")
    (sline, scen), (hline, header) = rows[0], rows[1]
    if len(scen) < 4:
        raise ActorTableError(
            file,
            "the scenario line needs name, description, actors, dimensions",
            record=f"line {sline}",
        )
    n_act = int(_number(scen[2], file, sline, "number of actors", what="an actor count"))
    n_dim = int(_number(scen[3], file, sline, "number of dimensions", what="a dimension count"))
    header = [h for h in header if h]
    expected = 3 + 2 * n_dim
    if len(header) < expected or [h.lower() for h in header[:3]] != [
        "actor",
        "description",
        "influence",
    ]:
        raise ActorTableError(
            file,
            f"the header must be Actor,Description,Influence and {n_dim} position/salience pair(s)",
            record=f"line {hline}",
        )
    dims = []
    for k in range(n_dim):
        pname = header[3 + 2 * k]
        dims.append(Dimension(id=f"d{k}", name=pname))
    body = rows[2:]
    if len(body) != n_act:
        raise ActorTableError(
            file,
            f"the scenario line announces {n_act} actors, the file has {len(body)} rows",
            record=f"line {sline}",
        )
    actors, desc, cap, pos, sal = [], [], [], [], []
    seen: dict[str, int] = {}
    for line, r in body:
        if len(r) < expected:
            raise ActorTableError(
                file, f"the row has {len(r)} fields, expected {expected}", record=f"line {line}"
            )
        if r[0] in seen:
            raise ActorTableError(
                file,
                f"duplicate actor '{r[0]}' (first on line {seen[r[0]]})",
                record=f"line {line}",
                field="Actor",
            )
        seen[r[0]] = line
        c = _number(r[2], file, line, "Influence")
        p = [_number(r[3 + 2 * k], file, line, header[3 + 2 * k]) for k in range(n_dim)]
        s = [_number(r[4 + 2 * k], file, line, header[4 + 2 * k]) for k in range(n_dim)]
        _check_values(file, line, c, "Influence", [(s[k], header[4 + 2 * k]) for k in range(n_dim)])
        for k in range(n_dim):
            if not 0 <= p[k] <= 100:
                raise ActorTableError(
                    file,
                    f"position must lie in [0, 100], got {p[k]:g}",
                    record=f"line {line}",
                    field=header[3 + 2 * k],
                )
        if sum(s) > SALIENCE_MAX + 1e-9:
            raise ActorTableError(
                file,
                f"saliences sum to {sum(s):g}, above 100",
                record=f"line {line}",
                hint="KTAB saliences are shares of one actor's attention",
            )
        actors.append(r[0])
        desc.append(r[1])
        cap.append(c)
        pos.append(p)
        sal.append(s)
    return ActorTable(
        tuple(actors),
        np.array(cap),
        np.array(pos),
        np.array(sal),
        tuple(dims),
        tuple(desc),
        name=scen[0],
        title=scen[1] or scen[0],
        source=file,
    )


def _judgement(spec: Any, file: str, where: str, fld: str) -> tuple[float, Judgement | None]:
    if isinstance(spec, Mapping):
        if "value" not in spec:
            raise ActorTableError(file, "a judgement needs a 'value'", record=where, field=fld)
        raw = spec["value"]
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise ActorTableError(file, f"'{raw}' is not a number", record=where, field=fld)
        value = float(raw)
        rng = spec.get("range")
        lo = hi = None
        if rng is not None:
            if not (isinstance(rng, Sequence) and len(rng) == 2):
                raise ActorTableError(file, "'range' must be [low, high]", record=where, field=fld)
            lo, hi = float(rng[0]), float(rng[1])
            if not lo <= value <= hi:
                raise ActorTableError(
                    file,
                    f"value {value:g} lies outside its range [{lo:g}, {hi:g}]",
                    record=where,
                    field=fld,
                )
        why, ref = str(spec.get("why", "")).strip(), str(spec.get("ref", "")).strip()
        if not why or not ref:
            raise ActorTableError(
                file,
                "a judgement needs a one-line 'why' and the 'ref' (claim or stance id) it rests on",
                record=where,
                field=fld,
            )
        return value, Judgement(value, why, ref, lo, hi)
    if isinstance(spec, bool) or not isinstance(spec, (int, float)):
        raise ActorTableError(file, f"'{spec}' is not a number", record=where, field=fld)
    return float(spec), None


def read_yaml_table(path: str | Path, *, text: str | None = None, name: str = "") -> ActorTable:
    """Read an actor table from YAML.

    The document has ``name``, ``title``, ``dimensions`` (each with ``id``,
    ``name``, ``low``/``high`` and ``low_label``/``high_label``) and ``actors``;
    an actor has ``id``, ``name``, ``capability``, ``position`` and
    ``salience`` (mappings by dimension id, or plain numbers for one dimension).
    Any number may be a judgement: ``{value, range: [lo, hi], why, ref}``.

    Examples
    --------
    >>> doc = '''
    ... dimensions: [{id: x, name: X, low_label: left, high_label: right}]
    ... actors:
    ...   - {id: a, capability: 3, position: 20, salience: 50}
    ...   - {id: b, capability: 1, position: {value: 80, range: [70, 90], why: says so, ref: s1}, salience: 60}
    ... '''
    >>> t = read_yaml_table("t.yaml", text=doc)
    >>> t.judgements[("b", "position", "x")].low
    70.0
    """
    import yaml

    file = str(path)
    if text is None:
        text = Path(path).read_text(encoding="utf-8")
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ActorTableError(
            file,
            f"not valid YAML: {getattr(exc, 'problem', exc)}",
            record=f"line {mark.line + 1}" if mark else None,
        ) from None
    if not isinstance(doc, Mapping) or "actors" not in doc or "dimensions" not in doc:
        raise ActorTableError(file, "the document needs 'dimensions' and 'actors'")
    dims = []
    for k, dspec in enumerate(doc["dimensions"] or []):
        if not isinstance(dspec, Mapping) or "id" not in dspec:
            raise ActorTableError(file, "a dimension needs an 'id'", record=f"dimension {k + 1}")
        lo, hi = float(dspec.get("low", 0)), float(dspec.get("high", 100))
        if not hi > lo:
            raise ActorTableError(
                file, "'high' must exceed 'low'", record=f"dimension {dspec['id']}"
            )
        dims.append(
            Dimension(
                id=str(dspec["id"]),
                name=str(dspec.get("name", dspec["id"])),
                low=lo,
                high=hi,
                low_label=str(dspec.get("low_label", "")),
                high_label=str(dspec.get("high_label", "")),
            )
        )
    if not dims:
        raise ActorTableError(file, "the table needs at least one dimension")
    actors, desc, cap, pos, sal = [], [], [], [], []
    judgements: dict[tuple[str, str, str | None], Judgement] = {}
    seen: set[str] = set()
    for k, a in enumerate(doc["actors"] or [], start=1):
        if not isinstance(a, Mapping) or "id" not in a:
            raise ActorTableError(file, "an actor needs an 'id'", record=f"actor {k}")
        aid = str(a["id"])
        where = f"actor '{aid}'"
        if aid in seen:
            raise ActorTableError(file, "duplicate actor", record=where, field="id")
        seen.add(aid)
        for fld in ("capability", "position", "salience"):
            if fld not in a:
                raise ActorTableError(file, f"missing '{fld}'", record=where, field=fld)
        c, j = _judgement(a["capability"], file, where, "capability")
        if j:
            judgements[(aid, "capability", None)] = j
        row_p: list[float] = []
        row_s: list[float] = []
        for fld, row in (("position", row_p), ("salience", row_s)):
            spec = a[fld]
            for d in dims:
                if isinstance(spec, Mapping) and d.id in spec:
                    item = spec[d.id]
                elif len(dims) == 1 and not (isinstance(spec, Mapping) and "value" not in spec):
                    item = spec
                else:
                    raise ActorTableError(
                        file, f"no {fld} on dimension '{d.id}'", record=where, field=fld
                    )
                v, j = _judgement(item, file, where, f"{fld}:{d.id}")
                if j:
                    judgements[(aid, fld, d.id)] = j
                row.append(v)
        if not c > 0:
            raise ActorTableError(
                file, f"capability must be positive, got {c:g}", record=where, field="capability"
            )
        for d, p, s in zip(dims, row_p, row_s, strict=True):
            if not d.low <= p <= d.high:
                raise ActorTableError(
                    file,
                    f"position {p:g} lies outside [{d.low:g}, {d.high:g}]",
                    record=where,
                    field=f"position:{d.id}",
                )
            if not 0 <= s <= SALIENCE_MAX:
                raise ActorTableError(
                    file,
                    f"salience must lie in [0, 100], got {s:g}",
                    record=where,
                    field=f"salience:{d.id}",
                )
        actors.append(aid)
        desc.append(str(a.get("name", aid)))
        cap.append(c)
        pos.append(row_p)
        sal.append(row_s)
    if len(actors) < 2:
        raise ActorTableError(file, "a bargaining table needs at least two actors")
    return ActorTable(
        tuple(actors),
        np.array(cap),
        np.array(pos),
        np.array(sal),
        tuple(dims),
        tuple(desc),
        name=name or str(doc.get("name", Path(file).stem)),
        title=str(doc.get("title", doc.get("name", ""))),
        source=file,
        judgements=judgements,
    )


def read_table(path: str | Path) -> ActorTable:
    """Read an actor table, choosing the reader from the file's extension and first line.

    ``.yaml``/``.yml`` go to :func:`read_yaml_table`; a CSV whose second line
    starts with ``Actor,Description,Influence`` is KTAB's format; any other CSV
    is the project's own.

    Raises
    ------
    ActorTableError
        The file is missing or malformed.
    """
    p = Path(path)
    if not p.is_file():
        raise ActorTableError(
            str(p), "no such file", hint="give a CSV or YAML actor table, or a bundled set name"
        )
    text = p.read_text(encoding="utf-8-sig")
    if p.suffix.lower() in (".yaml", ".yml"):
        return read_yaml_table(p, text=text)
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) > 1 and lines[1].replace(" ", "").lower().startswith(
        "actor,description,influence"
    ):
        return read_ktab_csv(p, text=text)
    return read_csv_table(p, text=text)
