"""Actor tables for bargaining models, read from files into plain data.

Three formats are read, each into :class:`ActorTableData` (the numbers and
their scales; :class:`powerbalance.theory.bargaining.ActorTable` checks and
models them):

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

Issues with a known outcome (what the models are validated on) are read by
:func:`read_issues` (:func:`read_issue_file` also says what it left out), each
into an :class:`IssueData` (a table, the outcome, the proposal): the DEU data
set's tab-separated format (Thomson et al. 2012) and a long CSV of one row per
issue and actor.

:func:`read_table` picks the reader from the file itself. A file that is not
UTF-8 text (binary, UTF-16, Latin-1) or holds a bad record is refused with an
:class:`ActorTableError` naming the line and the column.

The bundled actor sets are found by name here too: :func:`actor_sets` lists
them, :func:`read_actor_set` reads one (an unknown name is an
:class:`UnknownActorSet` suggesting close matches).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from powerbalance.errors import InputFileError, UnknownIdError

__all__ = [
    "ACTOR_SETS",
    "NOMINAL_SCALES",
    "SALIENCE_MAX",
    "ActorTableData",
    "ActorTableError",
    "Dimension",
    "IssueData",
    "IssueFile",
    "Judgement",
    "Scale",
    "UnknownActorSet",
    "actor_set_file",
    "actor_sets",
    "path_exists",
    "read_actor_set",
    "read_csv_table",
    "read_issue_file",
    "read_issues",
    "read_ktab_csv",
    "read_table",
    "read_yaml_table",
    "scale_pair",
]

SALIENCE_MAX = 100.0

_ACTOR_COLS = ("actor", "stakeholder", "name", "id")
_CAP_COLS = ("capability", "influence", "resources", "power", "clout")


class ActorTableError(InputFileError):
    """An actor table (CSV, KTAB CSV or YAML) has a bad row, column or value."""


class UnknownActorSet(UnknownIdError):
    """A bundled actor-set name that does not exist."""

    kind = "actor set"

    def __init__(self, value: str, known: list[str]) -> None:
        super().__init__(value, known)
        message = f"unknown actor set '{value}'; the bundled sets are: {', '.join(known)}"
        if self.suggestions:
            message += " (did you mean " + ", ".join(f"'{s}'" for s in self.suggestions) + "?)"
        else:
            message += "; or give the path of a CSV or YAML actor table"
        self.args = (message,)


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
    #: where the scale comes from: ``declared`` (the file or the format),
    #: ``option`` (the caller's ``scale``) or ``inferred`` (from the positions)
    scale_source: str = "declared"

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
class ActorTableData:
    """What a reader found in an actor table file: plain numbers, not yet checked as a whole.

    :class:`powerbalance.theory.bargaining.ActorTable` is this data checked
    (finite numbers, unique actors, at least two): it extends this class, so the
    fields are declared once, here (``ActorTable.from_data`` builds one).
    """

    actors: tuple[str, ...]
    capability: np.ndarray  # (n,)
    position: np.ndarray  # (n, d)
    salience: np.ndarray  # (n, d)
    dimensions: tuple[Dimension, ...]
    descriptions: tuple[str, ...] = ()
    name: str = ""
    title: str = ""
    source: str = ""
    judgements: Mapping[tuple[str, str, str | None], Judgement] = field(default_factory=dict)
    #: what the reader had to assume (an inferred scale, say), shown with every result
    notes: tuple[str, ...] = ()
    #: the reference point (status quo) per dimension, where the data give one (DEU's ``rp``);
    #: None when unknown. Models that use it say so; the others ignore it.
    reference_point: np.ndarray | None = None
    #: what the data record about the decision beside the actors (DEU: ``procedure``,
    #: ``voting``); empty when unknown. Models that use it say so; the others ignore it.
    context: Mapping[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- readers

Scale = tuple[float, float]

#: the nominal scales a table without a declared scale is read on: the smallest
#: that holds every position (else the data's range, widened to 0–100)
NOMINAL_SCALES: tuple[Scale, ...] = ((0.0, 1.0), (0.0, 10.0), (0.0, 100.0))

_SCALE_LINE = re.compile(r"^#\s*scale(?:\s+(?P<dim>[^:]*?))?\s*:\s*(?P<value>.*)$", re.IGNORECASE)


def scale_pair(text: str) -> Scale | None:
    """``"MIN,MAX"`` as two finite numbers with ``MIN < MAX``, or None when it is not."""
    parts = [p.strip() for p in str(text).split(",")]
    if len(parts) != 2:
        return None
    try:
        lo, hi = float(parts[0]), float(parts[1])
    except ValueError:
        return None
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        return None
    return lo, hi


def _infer_scale(values: np.ndarray) -> Scale:
    lo, hi = float(values.min()), float(values.max())
    for a, b in NOMINAL_SCALES:
        if a <= lo and hi <= b:
            return a, b
    return min(0.0, lo), max(100.0, hi)


def _inferred_note(dims: Sequence[Dimension], how: str) -> str:
    inferred = [d for d in dims if d.scale_source == "inferred"]
    if len(dims) == 1:
        where = f"{inferred[0].low:g}–{inferred[0].high:g}"
    else:
        where = ", ".join(f"{d.low:g}–{d.high:g} on '{d.name}'" for d in inferred)
    return (
        f"positions read on {where}: no scale is declared, so it was inferred from the "
        f"positions; declare the scale with --scale MIN,MAX or {how}"
    )


def _resolve_scale(
    file: str,
    declared: Scale | None,
    declared_at: str | None,
    option: Scale | None,
) -> tuple[Scale | None, str]:
    """The scale of one dimension and where it comes from (None: to be inferred)."""
    if declared is not None and option is not None and declared != option:
        raise ActorTableError(
            file,
            f"the file declares the scale {declared[0]:g}–{declared[1]:g} but the scale "
            f"option (--scale) gives {option[0]:g}–{option[1]:g}",
            record=declared_at,
            field="scale",
            hint="remove one of them",
        )
    if declared is not None:
        return declared, "declared"
    if option is not None:
        return option, "option"
    return None, "inferred"


def _outside(file: str, value: float, scale: Scale, record: str, fld: str, source: str) -> None:
    lo, hi = scale
    if not lo <= value <= hi:
        by = "the scale option (--scale)" if source == "option" else "the file"
        raise ActorTableError(
            file,
            f"position {value:g} lies outside the scale {lo:g}–{hi:g} declared by {by}",
            record=record,
            field=fld,
            hint="correct the position or declare the scale the positions are on",
        )


def _field_at(data: bytes, offset: int, csv_like: bool) -> str | None:
    """The column (CSV) or key (YAML) at byte ``offset``, for messages about bad bytes."""
    start = data.rfind(b"\n", 0, offset) + 1
    prefix = data[start:offset]
    if csv_like:
        col = prefix.count(b",")
        lines = data[:start].split(b"\n")[:2]
        # KTAB's header is its second line, after the scenario line
        ktab = len(lines) > 1 and lines[1].replace(b" ", b"").lower().startswith(
            b"actor,description,influence"
        )
        header = lines[1] if ktab else lines[0]
        names = header.decode("utf-8", errors="replace").split(",")
        if start > len(header) and col < len(names) and names[col].strip():
            return names[col].strip().lstrip("\ufeff")
        return f"column {col + 1}"
    keys = re.findall(rb"([A-Za-z_][\w.-]*)\s*:", prefix)
    return keys[-1].decode("ascii") if keys else None


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _read_text(path: Path, *, csv_like: bool) -> str:
    """The file's text; a binary, UTF-16 or non-UTF-8 file is refused with its line named."""
    file = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ActorTableError(
            file,
            f"cannot be read ({exc.strerror or type(exc).__name__})",
            hint="give a CSV or YAML actor table, or a bundled set name",
        ) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ActorTableError(
            file, "is UTF-16 text", record="line 1", hint="save the file as UTF-8 and try again"
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ActorTableError(
            file,
            "is not a text table: it holds binary data (a NUL byte)",
            record=f"line {_line_of(data, nul)}",
            field=_field_at(data, nul, csv_like),
            hint="give a CSV or YAML actor table saved as UTF-8 text",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ActorTableError(
            file,
            f"is not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded",
            record=f"line {_line_of(data, exc.start)}",
            field=_field_at(data, exc.start, csv_like),
            hint="save the file as UTF-8; it may be Latin-1 or Windows-1252",
        ) from None


def _csv_records(
    text: str, file: str, *, delimiter: str = ",", what: str = "CSV"
) -> list[tuple[int, list[str]]]:
    """Non-blank delimited records with the line each starts on."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    out: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for r in reader:
            if any(c.strip() for c in r):
                out.append((start, r))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ActorTableError(
            file,
            f"cannot be read as {what} ({exc})",
            record=f"line {reader.line_num}",
            hint="check the quoting of that line",
        ) from None
    return out


def _number(text: str, file: str, row: int, col: str, *, what: str = "a number") -> float:
    shown = text.strip()
    if not shown:
        raise ActorTableError(
            file, f"the field is empty; give {what}", record=f"line {row}", field=col
        )
    try:
        value = float(shown)
    except (ValueError, AttributeError):
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        raise ActorTableError(
            file, f"'{shown}' is not {what}", record=f"line {row}", field=col
        ) from None
    if not math.isfinite(value):
        raise ActorTableError(
            file, f"'{shown}' is not a finite number", record=f"line {row}", field=col
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
    scale: Scale | None = None,
    name: str = "",
) -> ActorTableData:
    """Read an actor table in the project's CSV format.

    Lines starting with ``#`` before the header are comments; one of the form
    ``# scale: MIN,MAX`` declares the position scale of every dimension, and
    ``# scale <dim>: MIN,MAX`` that of one dimension.

    Parameters
    ----------
    path
        The file (its name is used in error messages).
    text
        The file's content, if already read.
    scale
        ``(low, high)`` of the position scale (the ``--scale`` option). A file
        that declares a different scale is refused.
    name
        The table's name (default: the file stem).

    Without a declared scale or ``scale``, positions are read on the smallest of
    0–1, 0–10 and 0–100 that holds them all (else the data's range widened to
    0–100); the table's ``notes`` say so.

    Returns
    -------
    ActorTableData

    Raises
    ------
    ActorTableError
        A missing column, a duplicate actor, a non-numeric value, a salience
        outside ``[0, 100]`` or a position outside the declared scale; the
        message names the line and the column.

    Examples
    --------
    >>> t = read_csv_table("t.csv", text="actor,capability,position,salience\\nA,1,20,50\\nB,2,80,40\\n")
    >>> t.actors, t.position[:, 0].tolist(), t.dimensions[0].scale_source
    (('A', 'B'), [20.0, 80.0], 'inferred')
    """
    file = str(path)
    if text is None:
        text = _read_text(Path(path), csv_like=True)
    records = _csv_records(text, file)
    declared: dict[str | None, tuple[Scale, int]] = {}
    first = 0
    while first < len(records) and records[first][1][0].lstrip().startswith("#"):
        line, cells = records[first]
        m = _SCALE_LINE.match(",".join(cells).strip())
        if m:
            pair = scale_pair(m["value"])
            if pair is None:
                raise ActorTableError(
                    file,
                    f"the scale '{m['value']}' is not MIN,MAX with MIN below MAX",
                    record=f"line {line}",
                    field="scale",
                    hint="for example '# scale: 0,100'",
                )
            declared[(m["dim"] or "").strip().lower() or None] = (pair, line)
        first += 1
    rows = records[first:]
    if not rows:
        raise ActorTableError(
            file,
            "the file is empty" if not records else "the file has no header line",
            hint="the header names actor, capability, position, salience",
        )
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
    for named, (_, line) in declared.items():
        if (
            named is not None
            and named not in [d.lower() for d in dims]
            and not (len(dims) == 1 and named == "position")
        ):
            raise ActorTableError(
                file,
                f"the scale line names dimension '{named}', which has no position column",
                record=f"line {line}",
                field="scale",
                hint=f"dimensions: {', '.join(dims)}",
            )
    scales: list[tuple[Scale | None, str]] = []
    for d in dims:
        got = declared.get(d.lower()) or declared.get(None)
        scales.append(
            _resolve_scale(file, got[0] if got else None, f"line {got[1]}" if got else None, scale)
        )
    actors: list[str] = []
    desc: list[str] = []
    cap: list[float] = []
    pos: list[list[float]] = []
    sal: list[list[float]] = []
    seen: dict[str, int] = {}
    needed = [a_col, c_col, *pos_cols, *sal_cols]
    for line, r in rows[1:]:
        if len(r) <= max(needed):
            missing = min(k for k in needed if k >= len(r))
            raise ActorTableError(
                file,
                f"the row has {len(r)} fields, the header {len(cols)}",
                record=f"line {line}",
                field=cols[missing],
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
        for value, k, (sc, source) in zip(p, pos_cols, scales, strict=True):
            if sc is not None:
                _outside(file, value, sc, f"line {line}", cols[k], source)
        actors.append(actor)
        desc.append(r[d_col].strip() if d_col is not None and len(r) > d_col else actor)
        cap.append(c)
        pos.append(p)
        sal.append(s)
    if len(actors) < 2:
        raise ActorTableError(file, "a bargaining table needs at least two actor rows")
    arr = np.array(pos, dtype=float)
    dimensions = []
    for k, (d, (sc, source)) in enumerate(zip(dims, scales, strict=True)):
        lo, hi = sc if sc is not None else _infer_scale(arr[:, k])
        dimensions.append(Dimension(id=d, name=d, low=lo, high=hi, scale_source=source))
    notes: tuple[str, ...] = ()
    if any(d.scale_source == "inferred" for d in dimensions):
        notes = (_inferred_note(dimensions, "a '# scale: MIN,MAX' line before the header"),)
    return ActorTableData(
        tuple(actors),
        np.array(cap),
        arr,
        np.array(sal, dtype=float),
        tuple(dimensions),
        tuple(desc),
        name=name or Path(file).stem,
        title=name or Path(file).stem,
        source=file,
        notes=notes,
    )


def read_ktab_csv(
    path: str | Path, *, text: str | None = None, scale: Scale | None = None
) -> ActorTableData:
    """Read KTAB's spatial-model CSV (``smpc`` input).

    The first line is the scenario: name, description, number of actors,
    number of dimensions. The second is ``Actor,Description,Influence,`` followed
    by one ``<dim> Position,<dim> Salience`` pair per dimension. KTAB reads
    positions and saliences on 0–100 scales (``scale`` declares another position
    scale); an actor's saliences must not sum above 100.

    Raises
    ------
    ActorTableError
        Bad counts, missing columns, non-numeric values, saliences or positions
        out of range.

    Examples
    --------
    >>> text = "S,desc,2,1,\\nActor,Description,Influence,P Position,P Salience,\\nA,a,10,20,50,\\nB,b,5,70,40,\\n"
    >>> t = read_ktab_csv("k.csv", text=text)
    >>> t.dimensions[0].name, t.capability.tolist()
    ('P Position', [10.0, 5.0])
    """
    file = str(path)
    if text is None:
        text = _read_text(Path(path), csv_like=True)
    rows = [(n, [c.strip() for c in r]) for n, r in _csv_records(text, file)]
    if len(rows) < 2:
        raise ActorTableError(file, "a KTAB file needs a scenario line and a header line")
    (sline, scen), (hline, header) = rows[0], rows[1]
    if len(scen) < 4:
        raise ActorTableError(
            file,
            "the scenario line needs name, description, actors, dimensions",
            record=f"line {sline}",
        )
    counts = []
    for k, what in ((2, "number of actors"), (3, "number of dimensions")):
        value = _number(scen[k], file, sline, what, what="a whole number")
        least = 2 if k == 2 else 1
        if value != int(value) or value < least:
            raise ActorTableError(
                file,
                f"'{scen[k]}' is not a whole number of at least {least}",
                record=f"line {sline}",
                field=what,
            )
        counts.append(int(value))
    n_act, n_dim = counts
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
    sc, source = _resolve_scale(file, None, None, scale)
    sc = sc or (0.0, 100.0)
    dims = []
    for k in range(n_dim):
        pname = header[3 + 2 * k]
        dims.append(Dimension(id=f"d{k}", name=pname, low=sc[0], high=sc[1], scale_source=source))
    body = rows[2:]
    if len(body) != n_act:
        raise ActorTableError(
            file,
            f"the scenario line announces {n_act} actors, the file has {len(body)} rows",
            record=f"line {sline}",
            field="number of actors",
        )
    actors, desc, cap, pos, sal = [], [], [], [], []
    seen: dict[str, int] = {}
    for line, r in body:
        if len(r) < expected:
            raise ActorTableError(
                file,
                f"the row has {len(r)} fields, expected {expected}",
                record=f"line {line}",
                field=header[len(r)],
            )
        if not r[0]:
            raise ActorTableError(file, "empty actor id", record=f"line {line}", field="Actor")
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
            if source == "option":
                _outside(file, p[k], sc, f"line {line}", header[3 + 2 * k], source)
            elif not sc[0] <= p[k] <= sc[1]:
                raise ActorTableError(
                    file,
                    f"position must lie in [0, 100], got {p[k]:g}",
                    record=f"line {line}",
                    field=header[3 + 2 * k],
                    hint="KTAB positions are on 0–100; declare another scale with --scale MIN,MAX",
                )
        if sum(s) > SALIENCE_MAX + 1e-9:
            raise ActorTableError(
                file,
                f"saliences sum to {sum(s):g}, above 100",
                record=f"line {line}",
                field=header[4],
                hint="KTAB saliences are shares of one actor's attention",
            )
        actors.append(r[0])
        desc.append(r[1])
        cap.append(c)
        pos.append(p)
        sal.append(s)
    return ActorTableData(
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


def _shown(raw: Any) -> str:
    if isinstance(raw, Mapping):
        return "a mapping"
    if isinstance(raw, (list, tuple)):
        return "a list"
    if raw is None:
        return "an empty value"
    text = str(raw)
    return f"'{text if len(text) <= 40 else text[:37] + '...'}'"


def _yaml_number(raw: Any, file: str, where: str, fld: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise ActorTableError(file, f"{_shown(raw)} is not a number", record=where, field=fld)
    try:
        value = float(raw)
    except OverflowError:
        raise ActorTableError(file, "the number is too large", record=where, field=fld) from None
    if not math.isfinite(value):
        raise ActorTableError(
            file, f"{_shown(raw)} is not a finite number", record=where, field=fld
        )
    return value


def _yaml_scale(raw: Any, file: str, where: str, fld: str) -> Scale:
    if not (isinstance(raw, Sequence) and not isinstance(raw, str) and len(raw) == 2):
        raise ActorTableError(
            file, f"{_shown(raw)} is not [MIN, MAX]", record=where, field=fld, hint="e.g. [0, 100]"
        )
    lo = _yaml_number(raw[0], file, where, fld)
    hi = _yaml_number(raw[1], file, where, fld)
    if not hi > lo:
        raise ActorTableError(file, "MAX must exceed MIN", record=where, field=fld)
    return lo, hi


def _judgement(spec: Any, file: str, where: str, fld: str) -> tuple[float, Judgement | None]:
    if isinstance(spec, Mapping):
        if "value" not in spec:
            raise ActorTableError(file, "a judgement needs a 'value'", record=where, field=fld)
        value = _yaml_number(spec["value"], file, where, fld)
        rng = spec.get("range")
        lo = hi = None
        if rng is not None:
            if not (isinstance(rng, Sequence) and not isinstance(rng, str) and len(rng) == 2):
                raise ActorTableError(file, "'range' must be [low, high]", record=where, field=fld)
            lo = _yaml_number(rng[0], file, where, f"{fld} range")
            hi = _yaml_number(rng[1], file, where, f"{fld} range")
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
    return _yaml_number(spec, file, where, fld), None


def _yaml_line(node: Any, *path: str | int) -> int | None:
    """1-based line of the node at ``path`` (or of its deepest existing ancestor)."""
    import yaml

    line = None
    for key in path:
        if node is None:
            break
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if getattr(k, "value", None) == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            node = node.value[key] if 0 <= key < len(node.value) else None
        else:
            node = None
    if node is not None:
        line = node.start_mark.line + 1
    return line


def _load_yaml(text: str, file: str) -> tuple[Any, Any]:
    """The document and its node tree (for line numbers); bad YAML is refused in one line."""
    import yaml

    try:
        return yaml.safe_load(text), yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(str(exc.problem or exc.context or "malformed").split())
        raise ActorTableError(
            file,
            f"not valid YAML: {problem}",
            record=f"line {mark.line + 1}" if mark else None,
        ) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise ActorTableError(
            file,
            f"not valid YAML: it holds the control character U+{exc.character:04X}",
            record=f"line {line}",
        ) from None
    except yaml.YAMLError as exc:
        raise ActorTableError(file, f"not valid YAML: {' '.join(str(exc).split())}") from None
    except RecursionError:
        raise ActorTableError(file, "not valid YAML: it is nested too deeply") from None


def read_yaml_table(
    path: str | Path, *, text: str | None = None, name: str = "", scale: Scale | None = None
) -> ActorTableData:
    """Read an actor table from YAML.

    The document has ``name``, ``title``, ``dimensions`` (each with ``id``,
    ``name``, the scale as ``low``/``high`` or ``scale: [MIN, MAX]``, and
    ``low_label``/``high_label``) and ``actors``; an actor has ``id``, ``name``,
    ``capability``, ``position`` and ``salience`` (mappings by dimension id, or
    plain numbers for one dimension). Any number may be a judgement:
    ``{value, range: [lo, hi], why, ref}``. A top-level ``scale: [MIN, MAX]``
    applies to every dimension that declares none; without any, the scale is
    inferred as by :func:`read_csv_table` and the table's notes say so.

    Examples
    --------
    >>> doc = '''
    ... dimensions: [{id: x, name: X, low_label: left, high_label: right, scale: [0, 100]}]
    ... actors:
    ...   - {id: a, capability: 3, position: 20, salience: 50}
    ...   - {id: b, capability: 1, position: {value: 80, range: [70, 90], why: says so, ref: s1}, salience: 60}
    ... '''
    >>> t = read_yaml_table("t.yaml", text=doc)
    >>> t.judgements[("b", "position", "x")].low
    70.0
    """
    file = str(path)
    if text is None:
        text = _read_text(Path(path), csv_like=False)
    doc, root = _load_yaml(text, file)

    def at(*where: str | int) -> str | None:
        line = _yaml_line(root, *where)
        return f"line {line}" if line is not None else None

    if not isinstance(doc, Mapping) or "actors" not in doc or "dimensions" not in doc:
        raise ActorTableError(file, "the document needs 'dimensions' and 'actors'")
    top_scale = None
    if doc.get("scale") is not None:
        top_scale = _yaml_scale(doc["scale"], file, at("scale") or "", "scale")
    if not isinstance(doc["dimensions"], list) or not doc["dimensions"]:
        raise ActorTableError(
            file,
            "'dimensions' must be a list of at least one dimension",
            record=at("dimensions"),
            field="dimensions",
        )
    if not isinstance(doc["actors"], list):
        raise ActorTableError(
            file, "'actors' must be a list of actors", record=at("actors"), field="actors"
        )
    dims: list[Dimension] = []
    scales: list[tuple[Scale | None, str]] = []
    for k, dspec in enumerate(doc["dimensions"]):
        rec = at("dimensions", k)
        if not isinstance(dspec, Mapping) or "id" not in dspec:
            raise ActorTableError(
                file, f"dimension {k + 1} needs an 'id'", record=rec, field="dimensions"
            )
        did = str(dspec["id"])
        if did in [d.id for d in dims]:
            raise ActorTableError(file, f"duplicate dimension '{did}'", record=rec, field="id")
        declared: Scale | None = None
        declared_at = rec
        if "low" in dspec or "high" in dspec:
            lo = _yaml_number(dspec.get("low", 0), file, at("dimensions", k, "low") or "", "low")
            hi = _yaml_number(
                dspec.get("high", 100), file, at("dimensions", k, "high") or "", "high"
            )
            if not hi > lo:
                raise ActorTableError(file, "'high' must exceed 'low'", record=rec, field="high")
            declared = (lo, hi)
        if "scale" in dspec:
            sc_at = at("dimensions", k, "scale") or ""
            given = _yaml_scale(dspec["scale"], file, sc_at, "scale")
            if declared is not None and given != declared:
                raise ActorTableError(
                    file, "'scale' and 'low'/'high' disagree", record=sc_at, field="scale"
                )
            declared, declared_at = given, sc_at
        if declared is None and top_scale is not None:
            declared, declared_at = top_scale, at("scale")
        resolved = _resolve_scale(file, declared, declared_at, scale)
        scales.append(resolved)
        lo, hi = resolved[0] or (0.0, 100.0)
        dims.append(
            Dimension(
                id=did,
                name=str(dspec.get("name", did)),
                low=lo,
                high=hi,
                low_label=str(dspec.get("low_label", "")),
                high_label=str(dspec.get("high_label", "")),
                scale_source=resolved[1],
            )
        )
    actors, desc, cap, pos, sal = [], [], [], [], []
    judgements: dict[tuple[str, str, str | None], Judgement] = {}
    seen: set[str] = set()
    for k, a in enumerate(doc["actors"]):
        if not isinstance(a, Mapping) or "id" not in a:
            raise ActorTableError(
                file, f"actor {k + 1} needs an 'id'", record=at("actors", k), field="id"
            )
        aid = str(a["id"]).strip()
        if not aid:
            raise ActorTableError(file, "empty actor id", record=at("actors", k), field="id")

        def where(*fields: str | int, _k: int = k, _aid: str = aid) -> str:
            line = _yaml_line(root, "actors", _k, *fields)
            return f"line {line}, actor '{_aid}'" if line is not None else f"actor '{_aid}'"

        if aid in seen:
            raise ActorTableError(file, "duplicate actor", record=where("id"), field="id")
        seen.add(aid)
        for fld in ("capability", "position", "salience"):
            if fld not in a:
                raise ActorTableError(file, f"missing '{fld}'", record=where(), field=fld)
        c, j = _judgement(a["capability"], file, where("capability"), "capability")
        if j:
            judgements[(aid, "capability", None)] = j
        row_p: list[float] = []
        row_s: list[float] = []
        for fld, row in (("position", row_p), ("salience", row_s)):
            spec = a[fld]
            for d in dims:
                if isinstance(spec, Mapping) and d.id in spec:
                    item, rec = spec[d.id], where(fld, d.id)
                elif len(dims) == 1 and not (isinstance(spec, Mapping) and "value" not in spec):
                    item, rec = spec, where(fld)
                else:
                    raise ActorTableError(
                        file, f"no {fld} on dimension '{d.id}'", record=where(fld), field=fld
                    )
                v, j = _judgement(item, file, rec, f"{fld}:{d.id}")
                if j:
                    judgements[(aid, fld, d.id)] = j
                row.append(v)
        if not c > 0:
            raise ActorTableError(
                file,
                f"capability must be positive, got {c:g}",
                record=where("capability"),
                field="capability",
            )
        for d, p, s, (sc, source) in zip(dims, row_p, row_s, scales, strict=True):
            if sc is not None:
                _outside(file, p, sc, where("position"), f"position:{d.id}", source)
            if not 0 <= s <= SALIENCE_MAX:
                raise ActorTableError(
                    file,
                    f"salience must lie in [0, 100], got {s:g}",
                    record=where("salience"),
                    field=f"salience:{d.id}",
                )
        actors.append(aid)
        desc.append(str(a.get("name", aid)))
        cap.append(c)
        pos.append(row_p)
        sal.append(row_s)
    if len(actors) < 2:
        raise ActorTableError(
            file, "a bargaining table needs at least two actors", record=at("actors")
        )
    arr = np.array(pos, dtype=float)
    notes: tuple[str, ...] = ()
    if any(source == "inferred" for _, source in scales):
        for k, (sc, _) in enumerate(scales):
            if sc is None:
                lo, hi = _infer_scale(arr[:, k])
                dims[k] = replace(dims[k], low=lo, high=hi)
        notes = (_inferred_note(dims, "'scale: [MIN, MAX]' in the YAML"),)
    return ActorTableData(
        tuple(actors),
        np.array(cap),
        arr,
        np.array(sal),
        tuple(dims),
        tuple(desc),
        name=name or str(doc.get("name", Path(file).stem)),
        title=str(doc.get("title", doc.get("name", ""))),
        source=file,
        judgements=judgements,
        notes=notes,
    )


def path_exists(path: Path) -> bool:
    """Whether ``path`` exists; a name the system refuses (too long, say) is refused in plain words."""
    try:
        return path.exists()
    except OSError as exc:
        shown = str(path) if len(str(path)) <= 80 else str(path)[:77] + "..."
        raise ActorTableError(
            shown,
            f"cannot be opened ({exc.strerror or type(exc).__name__})",
            hint="give a CSV or YAML actor table, or a bundled set name",
        ) from None


def read_table(path: str | Path, *, scale: Scale | None = None) -> ActorTableData:
    """Read an actor table, choosing the reader from the file's extension and first line.

    ``.yaml``/``.yml`` go to :func:`read_yaml_table`; a CSV whose second line
    starts with ``Actor,Description,Influence`` is KTAB's format; any other CSV
    is the project's own. ``scale`` (``(MIN, MAX)``, the ``--scale`` option)
    declares the position scale; a file that declares another is refused.

    Raises
    ------
    ActorTableError
        The file is missing, not UTF-8 text or malformed.
    """
    p = Path(path)
    if not path_exists(p) or not p.is_file():
        raise ActorTableError(
            str(p),
            "no such file" if not path_exists(p) else "is not a file",
            hint="give a CSV or YAML actor table, or a bundled set name",
        )
    yaml_like = p.suffix.lower() in (".yaml", ".yml")
    text = _read_text(p, csv_like=not yaml_like)
    if yaml_like:
        return read_yaml_table(p, text=text, scale=scale)
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) > 1 and lines[1].replace(" ", "").lower().startswith(
        "actor,description,influence"
    ):
        return read_ktab_csv(p, text=text, scale=scale)
    return read_csv_table(p, text=text, scale=scale)


# --------------------------------------------------------------------------- issues with outcomes

#: the position scale of the DEU data set, declared by its codebook (Thomson et al. 2012)
DEU_SCALE: Scale = (0.0, 100.0)
#: columns of the DEU format that are not an actor's position or salience but are kept
_DEU_INFO = {"proc": "procedure", "counvte": "voting"}


@dataclass(frozen=True)
class IssueData:
    """One issue with a known outcome, as read from a file (plain data, not yet checked).

    ``table`` holds only the actors that took a position on the issue;
    ``outcome`` has one value per dimension of ``table`` (one for both formats
    read here); ``line`` is where the issue starts in its file.
    """

    id: str
    proposal: str
    table: ActorTableData
    outcome: tuple[float, ...]
    info: dict[str, Any] = field(default_factory=dict)
    line: int = 0


@dataclass(frozen=True)
class IssueFile:
    """What :func:`read_issue_file` found: the issues, the file's format and scale, what was left out."""

    source: str
    format: str  # "deu" or "csv"
    scale: Scale
    scale_source: str  # "declared" (the file or its format) or "option"
    issues: tuple[IssueData, ...]
    #: ids of issues without an outcome (left out: nothing to validate against)
    skipped: tuple[str, ...] = ()


def _tsv_records(text: str, file: str) -> list[tuple[int, list[str]]]:
    """Non-blank tab-separated records with the line each starts on."""
    return _csv_records(text, file, delimiter="\t", what="tab-separated values")


def _in_scale(file: str, value: float, scale: Scale, line: int, col: str, what: str) -> None:
    lo, hi = scale
    if not lo <= value <= hi:
        raise ActorTableError(
            file,
            f"{what} {value:g} lies outside the scale {lo:g}–{hi:g}",
            record=f"line {line}",
            field=col,
            hint="correct the value or declare the scale the data are on",
        )


def _salience(file: str, text: str, line: int, col: str) -> float:
    value = _number(text, file, line, col, what="a salience (0 to 100)")
    if not 0 <= value <= SALIENCE_MAX:
        raise ActorTableError(
            file,
            f"salience must lie in [0, 100], got {value:g}",
            record=f"line {line}",
            field=col,
            hint="salience is a percentage of the actor's attention",
        )
    return value


def _issue_table(
    file: str,
    issue: str,
    line: int,
    actors: Sequence[str],
    cap: Sequence[float],
    pos: Sequence[float],
    sal: Sequence[float],
    scale: Scale,
    source: str,
    title: str,
    rp: float | None,
) -> ActorTableData:
    if len(actors) < 2:
        raise ActorTableError(
            file,
            f"issue '{issue}' has {len(actors)} actor(s) with a position; a bargaining "
            "table needs at least two",
            record=f"line {line}",
            hint="give the positions of at least two actors, or remove the issue",
        )
    return ActorTableData(
        tuple(actors),
        np.array(cap, dtype=float),
        np.array(pos, dtype=float).reshape(-1, 1),
        np.array(sal, dtype=float).reshape(-1, 1),
        (Dimension(id=issue, name=issue, low=scale[0], high=scale[1], scale_source=source),),
        name=issue,
        title=title or issue,
        source=f"{file}, line {line}",
        reference_point=None if rp is None else np.array([rp]),
    )


def _read_deu(file: str, text: str, option: Scale | None) -> IssueFile:
    records = _tsv_records(text, file)
    if len(records) < 2:
        raise ActorTableError(
            file,
            "a DEU file needs a header line and a line of capability weights",
            hint="see the format in docs/bargaining.md",
        )
    (hline, header), (wline, weights) = records[0], records[1]
    cols = [c.strip() for c in header]
    lower = [c.lower() for c in cols]
    for need, what in (("prnr", "the proposal id"), ("isnr", "the issue id"), ("out", "outcome")):
        if need not in lower:
            raise ActorTableError(file, f"missing column '{need}' ({what})", record=f"line {hline}")
    at = {c: k for k, c in enumerate(lower)}
    actors = [c[1:] for c in lower if c.startswith("p") and len(c) > 1 and f"s{c[1:]}" in at]
    if len(actors) < 2:
        raise ActorTableError(
            file,
            "the header names fewer than two actors (pairs of columns p<actor>, s<actor>)",
            record=f"line {hline}",
        )
    scale, source = _resolve_scale(file, DEU_SCALE, f"line {hline}", option)
    assert scale is not None
    if len(weights) != len(cols):
        raise ActorTableError(
            file,
            f"the line of capability weights has {len(weights)} fields, the header {len(cols)}",
            record=f"line {wline}",
        )
    if weights[at["prnr"]].strip() or weights[at["out"]].strip():
        raise ActorTableError(
            file,
            "the second line must hold the actors' capability weights (and nothing in "
            "prnr or out), not an issue",
            record=f"line {wline}",
            field="prnr",
        )
    caps: dict[str, float] = {}
    for a in actors:
        col = cols[at[f"p{a}"]]
        caps[a] = _number(weights[at[f"p{a}"]], file, wline, col, what="a capability weight")
        if not caps[a] > 0:
            raise ActorTableError(
                file,
                f"capability must be positive, got {caps[a]:g}",
                record=f"line {wline}",
                field=col,
            )
    actor_cols = {at[f"p{a}"] for a in actors} | {at[f"s{a}"] for a in actors}
    info_cols = [
        k for k in range(len(cols)) if k not in actor_cols and lower[k] not in ("rp", "out")
    ]
    issues: list[IssueData] = []
    skipped: list[str] = []
    seen: dict[str, int] = {}
    for line, r in records[2:]:
        if len(r) != len(cols):
            raise ActorTableError(
                file,
                f"the row has {len(r)} fields, the header {len(cols)}",
                record=f"line {line}",
                field=cols[min(len(r), len(cols) - 1)],
            )
        iid = r[at["isnr"]].strip()
        if not iid:
            raise ActorTableError(
                file, "the issue id is empty", record=f"line {line}", field=cols[at["isnr"]]
            )
        if iid in seen:
            raise ActorTableError(
                file,
                f"duplicate issue '{iid}' (first on line {seen[iid]})",
                record=f"line {line}",
                field=cols[at["isnr"]],
            )
        seen[iid] = line
        proposal = r[at["prnr"]].strip()
        if not proposal:
            raise ActorTableError(
                file,
                "the proposal id is empty; validation keeps the issues of one proposal together",
                record=f"line {line}",
                field=cols[at["prnr"]],
            )
        out_text = r[at["out"]].strip()
        if not out_text:
            skipped.append(iid)
            continue
        outcome = _number(out_text, file, line, cols[at["out"]], what="an outcome")
        _in_scale(file, outcome, scale, line, cols[at["out"]], "the outcome")
        rp = None
        if "rp" in at and r[at["rp"]].strip():
            rp = _number(r[at["rp"]], file, line, cols[at["rp"]], what="a reference point")
            _in_scale(file, rp, scale, line, cols[at["rp"]], "the reference point")
        names, cap, pos, sal = [], [], [], []
        for a in actors:
            pk, sk = at[f"p{a}"], at[f"s{a}"]
            if not r[pk].strip():
                continue  # no position taken: the actor is not in this issue's table
            p = _number(r[pk], file, line, cols[pk], what="a position")
            _in_scale(file, p, scale, line, cols[pk], "position")
            if not r[sk].strip():
                raise ActorTableError(
                    file,
                    f"'{a}' has a position but no salience",
                    record=f"line {line}",
                    field=cols[sk],
                    hint="give a salience from 0 to 100, or leave the position empty too",
                )
            names.append(a)
            cap.append(caps[a])
            pos.append(p)
            sal.append(_salience(file, r[sk], line, cols[sk]))
        info = {cols[k]: r[k].strip() for k in info_cols if r[k].strip()}
        for col, key in _DEU_INFO.items():
            if col in at and r[at[col]].strip():
                info[key] = r[at[col]].strip()
        title = r[at["prname"]].strip() if "prname" in at else ""
        table = _issue_table(file, iid, line, names, cap, pos, sal, scale, source, title, rp)
        table = replace(table, context={k: info[k] for k in _DEU_INFO.values() if k in info})
        issues.append(IssueData(iid, proposal, table, (outcome,), info, line))
    return IssueFile(file, "deu", scale, source, tuple(issues), tuple(skipped))


_LONG_COLS = ("issue", "actor", "position", "salience", "capability", "outcome")


def _read_long_csv(file: str, text: str, option: Scale | None) -> IssueFile:
    records = _csv_records(text, file)
    declared: tuple[Scale, int] | None = None
    first = 0
    while first < len(records) and records[first][1][0].lstrip().startswith("#"):
        line, cells = records[first]
        m = _SCALE_LINE.match(",".join(cells).strip())
        if m:
            pair = scale_pair(m["value"])
            if pair is None or m["dim"]:
                raise ActorTableError(
                    file,
                    f"the scale line '{','.join(cells).strip()}' is not '# scale: MIN,MAX' "
                    "with MIN below MAX",
                    record=f"line {line}",
                    field="scale",
                    hint="for example '# scale: 0,100'",
                )
            declared = (pair, line)
        first += 1
    rows = records[first:]
    if not rows:
        raise ActorTableError(
            file,
            "the file is empty" if not records else "the file has no header line",
            hint=f"the header names {', '.join(_LONG_COLS)}",
        )
    hline, header = rows[0]
    cols = [c.strip() for c in header]
    lower = [c.lower() for c in cols]
    missing = [c for c in _LONG_COLS if c not in lower]
    if missing:
        raise ActorTableError(
            file,
            f"missing column(s) {', '.join(repr(c) for c in missing)}",
            record=f"line {hline}",
            hint=f"the header names {', '.join(_LONG_COLS)} and optionally "
            "reference_point, proposal",
        )
    at = {c: k for k, c in enumerate(lower)}
    scale, source = _resolve_scale(
        file,
        declared[0] if declared else None,
        f"line {declared[1]}" if declared else None,
        option,
    )
    if scale is None:
        raise ActorTableError(
            file,
            "no position scale is declared, and outcomes are scored on it",
            record=f"line {hline}",
            field="scale",
            hint="add a line '# scale: MIN,MAX' before the header or give --scale MIN,MAX",
        )
    known = set(_LONG_COLS) | {"reference_point", "proposal"}
    extra = [k for k, c in enumerate(lower) if c not in known and c]
    groups: dict[str, dict[str, Any]] = {}
    for line, r in rows[1:]:
        if len(r) < len(cols):
            raise ActorTableError(
                file,
                f"the row has {len(r)} fields, the header {len(cols)}",
                record=f"line {line}",
                field=cols[len(r)],
            )
        iid = r[at["issue"]].strip()
        actor = r[at["actor"]].strip()
        for ident, col in ((iid, "issue"), (actor, "actor")):
            if not ident:
                raise ActorTableError(
                    file, f"the {col} id is empty", record=f"line {line}", field=cols[at[col]]
                )
        g = groups.setdefault(
            iid,
            {"line": line, "actors": {}, "outcome": None, "rp": None, "proposal": None, "info": {}},
        )
        for col, key, what in (
            ("outcome", "outcome", "an outcome"),
            ("reference_point", "rp", "a reference point"),
        ):
            if col not in at or not r[at[col]].strip():
                continue
            value = _number(r[at[col]], file, line, cols[at[col]], what=what)
            _in_scale(file, value, scale, line, cols[at[col]], f"the {col.replace('_', ' ')}")
            if g[key] is not None and g[key][0] != value:
                raise ActorTableError(
                    file,
                    f"issue '{iid}' has the {col.replace('_', ' ')} {g[key][0]:g} on line "
                    f"{g[key][1]} and {value:g} here",
                    record=f"line {line}",
                    field=cols[at[col]],
                    hint="an issue has one value; give it on every row or on one",
                )
            g[key] = (value, line)
        if "proposal" in at and r[at["proposal"]].strip():
            prop = r[at["proposal"]].strip()
            if g["proposal"] is not None and g["proposal"][0] != prop:
                raise ActorTableError(
                    file,
                    f"issue '{iid}' belongs to proposal '{g['proposal'][0]}' on line "
                    f"{g['proposal'][1]} and '{prop}' here",
                    record=f"line {line}",
                    field=cols[at["proposal"]],
                )
            g["proposal"] = (prop, line)
        for k in extra:
            if r[k].strip():
                g["info"].setdefault(cols[k], r[k].strip())
        if actor in g["actors"]:
            raise ActorTableError(
                file,
                f"actor '{actor}' appears twice in issue '{iid}' (first on line "
                f"{g['actors'][actor][3]})",
                record=f"line {line}",
                field=cols[at["actor"]],
            )
        if not r[at["position"]].strip():
            continue  # no position taken: the actor is not in this issue's table
        p = _number(r[at["position"]], file, line, cols[at["position"]], what="a position")
        _in_scale(file, p, scale, line, cols[at["position"]], "position")
        s = _salience(file, r[at["salience"]], line, cols[at["salience"]])
        c = _number(r[at["capability"]], file, line, cols[at["capability"]], what="a capability")
        if not c > 0:
            raise ActorTableError(
                file,
                f"capability must be positive, got {c:g}",
                record=f"line {line}",
                field=cols[at["capability"]],
            )
        g["actors"][actor] = (c, p, s, line)
    if not groups:
        raise ActorTableError(file, "the file holds no issue rows", record=f"line {hline}")
    issues: list[IssueData] = []
    skipped: list[str] = []
    for iid, g in groups.items():
        if g["outcome"] is None:
            skipped.append(iid)
            continue
        names = list(g["actors"])
        vals = list(g["actors"].values())
        rp = g["rp"][0] if g["rp"] is not None else None
        table = _issue_table(
            file,
            iid,
            g["line"],
            names,
            [v[0] for v in vals],
            [v[1] for v in vals],
            [v[2] for v in vals],
            scale,
            source,
            "",
            rp,
        )
        proposal = g["proposal"][0] if g["proposal"] is not None else iid
        issues.append(IssueData(iid, proposal, table, (g["outcome"][0],), g["info"], g["line"]))
    return IssueFile(file, "csv", scale, source, tuple(issues), tuple(skipped))


def read_issue_file(path: str | Path, *, scale: Scale | None = None) -> IssueFile:
    """Read issues with known outcomes, and say what was left out.

    Two formats, told apart by the first line:

    - **DEU** (the Decision-making in the European Union data set, Thomson et
      al. 2012): tab-separated, quoted; line 1 names the columns, line 2 holds
      each actor's capability weight in its ``p<actor>`` (and ``s<actor>``)
      column; each later line is one issue with ``prnr`` (its proposal),
      ``isnr`` (its id), ``p<actor>``/``s<actor>`` (position and salience),
      ``rp`` (the reference point, where known) and ``out`` (the outcome).
      Positions are on the format's 0–100 scale. An empty position means the
      actor took none: it is left out of the issue's table. The procedure
      (``proc``) and voting rule (``counvte``) are kept in each issue's
      ``info`` (as ``procedure`` and ``voting``), with the other columns.
    - **Long CSV**: one row per issue and actor, columns ``issue``, ``actor``,
      ``position``, ``salience``, ``capability``, ``outcome`` and optionally
      ``reference_point`` and ``proposal`` (an issue without one is its own
      proposal). The outcome, reference point and proposal may be given on
      every row of an issue or on one. The scale must be declared, by a line
      ``# scale: MIN,MAX`` before the header or by ``scale`` (``--scale``):
      errors are measured on it, so it is never assumed.

    Issues without an outcome are left out (``skipped`` lists them).

    Raises
    ------
    ActorTableError
        The file is missing, not UTF-8 text, malformed, or its long CSV declares no
        scale; the message names the line and the column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "i.csv"
    >>> _ = f.write_text("# scale: 0,10\\nissue,actor,position,salience,capability,outcome\\n"
    ...                  "a,x,2,50,1,4\\na,y,8,50,1,\\n")
    >>> got = read_issue_file(f)
    >>> got.format, got.issues[0].outcome, got.issues[0].table.dimensions[0].high
    ('csv', (4.0,), 10.0)
    """
    p = Path(path)
    if not path_exists(p) or not p.is_file():
        raise ActorTableError(
            str(p),
            "no such file" if not path_exists(p) else "is not a file",
            hint="give a DEU tab-separated file or a long CSV of issues with outcomes",
        )
    text = _read_text(p, csv_like=True)
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    names = [c.strip().strip('"').lower() for c in first.split("\t")]
    if "\t" in first and "prnr" in names:
        return _read_deu(str(p), text, scale)
    if "\t" in first:
        raise ActorTableError(
            str(p),
            "is tab-separated but its header has no 'prnr' column: it is not the DEU format",
            record="line 1",
            hint="give the DEU file as published, or a long CSV (comma-separated)",
        )
    return _read_long_csv(str(p), text, scale)


def read_issues(path: str | Path, *, scale: Scale | None = None) -> list[IssueData]:
    """The issues with an outcome in a DEU or long CSV file (see :func:`read_issue_file`)."""
    return list(read_issue_file(path, scale=scale).issues)


# --------------------------------------------------------------------------- bundled sets

#: The bundled actor sets: name -> YAML file. The files are package data kept beside the
#: models (``theory/bargaining/data/``, where the docs and tests point); only this module
#: looks them up by name.
ACTOR_SETS: Mapping[str, str] = {
    "us-russia": "us_russia.yaml",
    "russia-alignment": "russia_alignment.yaml",
}
_SETS_DIR = Path(__file__).parent.parent / "theory" / "bargaining" / "data"


def actor_sets() -> list[str]:
    """Names of the bundled actor sets, sorted.

    Examples
    --------
    >>> actor_sets()
    ['russia-alignment', 'us-russia']
    """
    return sorted(ACTOR_SETS)


def actor_set_file(name: str) -> Path:
    """The YAML file of the bundled set ``name``.

    Raises
    ------
    UnknownActorSet
        ``name`` is not a bundled set (the message suggests close matches).
    """
    if name not in ACTOR_SETS:
        raise UnknownActorSet(name, actor_sets())
    return _SETS_DIR / ACTOR_SETS[name]


def read_actor_set(name: str) -> ActorTableData:
    """A bundled actor set, built from the evidence base (see ``docs/bargaining.md``).

    Raises
    ------
    UnknownActorSet
        ``name`` is not a bundled set.

    Examples
    --------
    >>> read_actor_set("russia-alignment").dimensions[0].low_label
    'China first'
    """
    path = actor_set_file(name)
    return read_yaml_table(f"bundled set {name}", text=path.read_text(encoding="utf-8"), name=name)
