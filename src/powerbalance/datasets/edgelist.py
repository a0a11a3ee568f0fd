"""Signed edge lists: CSV files of amity (+1) and enmity (-1) ties, read into plain arrays.

:func:`read_edge_list` reads a file with a header ``source,target,sign``
(``from,to`` also work), an optional ``weight`` and any other columns, split
into groups by columns such as a time window. Each group comes back as
:class:`SignedEdges` (node labels and index arrays);
:func:`powerbalance.theory.signed.signed_graphs` turns them into the graphs the
balance measures take. The file must be UTF-8 text; a binary or otherwise
encoded file, a bad record, sign or weight is refused naming its line and column.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from powerbalance.errors import InputFileError

__all__ = [
    "MAX_WEIGHT",
    "SIGN_ALIASES",
    "EdgeAccumulator",
    "EdgeListError",
    "SignedEdges",
    "parse_sign",
    "parse_weight",
    "read_edge_list",
]

#: Spellings accepted for a sign, in files and in Python (case-insensitive).
SIGN_ALIASES: dict[str, int] = {
    "1": 1,
    "+1": 1,
    "+": 1,
    "1.0": 1,
    "+1.0": 1,
    "pos": 1,
    "positive": 1,
    "amity": 1,
    "-1": -1,
    "-": -1,
    "-1.0": -1,
    "neg": -1,
    "negative": -1,
    "enmity": -1,
}

SOURCE_COLUMNS = ("source", "from")
TARGET_COLUMNS = ("target", "to")


class EdgeListError(InputFileError):
    """A signed edge list file is malformed; the message names the line and the column."""


def parse_sign(value: object) -> int:
    """Return +1 or -1 for a sign or one of its documented aliases.

    Parameters
    ----------
    value
        ``1``, ``-1``, ``"+"``, ``"-"``, ``"+1"``, ``"positive"``, ``"negative"``,
        ``"pos"``, ``"neg"``, ``"amity"``, ``"enmity"`` (any case).

    Raises
    ------
    ValueError
        For anything else, including 0 (a signed tie is either amity or enmity).

    Examples
    --------
    >>> parse_sign("+"), parse_sign(-1), parse_sign("Negative")
    (1, -1, -1)
    """
    if isinstance(value, bool):
        raise ValueError(f"sign must be +1 or -1, got {value!r}")
    if isinstance(value, (int, np.integer)) and int(value) in (1, -1):
        return int(value)
    if isinstance(value, (float, np.floating)) and float(value) in (1.0, -1.0):
        return int(value)
    key = str(value).strip().lower()
    if key in SIGN_ALIASES:
        return SIGN_ALIASES[key]
    raise ValueError(f"sign must be +1 or -1 (or +, -, positive, negative), got {value!r}")


#: The largest tie weight accepted: larger ones overflow the sums of the frustration index.
MAX_WEIGHT = 1e9


def parse_weight(value: object) -> float:
    """Return a tie weight: a finite number from 0 to :data:`MAX_WEIGHT`.

    Raises
    ------
    ValueError
        For anything else, in words naming what is allowed.

    Examples
    --------
    >>> parse_weight("2.5")
    2.5
    """
    try:
        w = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"weight must be a number, got {value!r}") from None
    if not math.isfinite(w) or w < 0:
        raise ValueError(f"weight must be a finite number >= 0, got {value!r}")
    if w > MAX_WEIGHT:
        raise ValueError(
            f"weight must be at most {MAX_WEIGHT:g}, got {value!r} (rescale the weights)"
        )
    return w


@dataclass(frozen=True, eq=False)
class SignedEdges:
    """The checked ties of one signed graph as plain data.

    Attributes
    ----------
    nodes
        Node labels, in order of first appearance.
    u, v
        Endpoint indices of each tie (``u < v``), sorted by pair.
    sign
        +1 or -1 per tie.
    weight
        Non-negative weight per tie (1.0 when none was given).
    name
        The group's values joined by ``/`` (or the file's stem).
    """

    nodes: tuple[str, ...]
    u: np.ndarray
    v: np.ndarray
    sign: np.ndarray
    weight: np.ndarray
    name: str | None = None


class EdgeAccumulator:
    """Collects the ties of one signed graph, refusing self-loops and conflicting repeats.

    Nodes keep the order of first appearance; an exact repeat of a pair is kept
    once. :meth:`edges` hands the result over as plain arrays.
    """

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.pairs: dict[tuple[int, int], tuple[int, float]] = {}

    def node(self, label: str) -> int:
        i = self.index.get(label)
        if i is None:
            i = self.index[label] = len(self.index)
        return i

    def edge(self, a: str, b: str, sign: int, weight: float) -> None:
        if a == b:
            raise ValueError("a self-loop; a tie joins two different actors")
        i, j = self.node(a), self.node(b)
        key = (i, j) if i < j else (j, i)
        old = self.pairs.get(key)
        if old is not None:
            if old[0] != sign:
                raise ValueError(
                    f"{a}-{b} appears twice with conflicting signs ({old[0]:+d} and {sign:+d}); "
                    "keep one line per pair"
                )
            if old[1] != weight:
                raise ValueError(
                    f"{a}-{b} appears twice with different weights ({old[1]:g} and {weight:g}); "
                    "keep one line per pair"
                )
            return
        self.pairs[key] = (sign, weight)

    def edges(self, name: str | None = None) -> SignedEdges:
        """The collected ties as plain arrays, one per pair ``u < v`` in index order."""
        keys = sorted(self.pairs)
        u = np.array([k[0] for k in keys], dtype=np.int64)
        v = np.array([k[1] for k in keys], dtype=np.int64)
        sign = np.array([self.pairs[k][0] for k in keys], dtype=np.int8)
        weight = np.array([self.pairs[k][1] for k in keys], dtype=np.float64)
        return SignedEdges(tuple(self.index), u, v, sign, weight, name)


def _pick_column(header: Mapping[str, int], names: Sequence[str], path: str) -> int:
    for name in names:
        if name in header:
            return header[name]
    raise EdgeListError(
        path,
        f"no '{names[0]}' column",
        record="line 1",
        hint=f"the header needs one of {', '.join(names)} (found {', '.join(header) or 'nothing'})",
    )


def _read_text(path: Path, label: str) -> str:
    """The file's text (UTF-8, a byte-order mark allowed); refuse binary and other encodings."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EdgeListError(label, f"cannot open the file ({exc.strerror})") from None
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise EdgeListError(
            label,
            "the file is binary (it holds NUL bytes), not a CSV text file",
            record=f"line {line}",
            hint="expected a header source,target,sign",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        begins = data.rfind(b"\n", 0, exc.start) + 1
        column = exc.start - begins + 1
        raise EdgeListError(
            label,
            f"byte 0x{data[exc.start]:02x} at column {column} is not UTF-8 text",
            record=f"line {line}",
            field=_column_at(data, begins, exc.start) if line > 1 else None,
            hint="save the file as UTF-8",
        ) from None


def _column_at(data: bytes, begins: int, at: int) -> str | None:
    """The header's name of the column holding byte ``at`` (its line begins at ``begins``)."""
    first = data.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        head = next(csv.reader([first.decode("utf-8-sig")]), [])
        before = data[begins:at].decode("utf-8", "replace").replace("\r", " ")
        index = len(next(csv.reader([before]), [""])) - 1 if before else 0
    except (UnicodeDecodeError, csv.Error):
        return None
    name = head[index].strip() if index < len(head) else ""
    return name if name.isprintable() and name else None


def read_edge_list(
    path: str | Path,
    *,
    group: str | Sequence[str] | None = None,
) -> dict[tuple[str, ...], SignedEdges]:
    """Read a CSV signed edge list, one set of ties per group.

    The file has a header with ``source,target,sign`` (``from,to`` also work)
    and optionally ``weight`` plus any other columns; each line is one
    undirected tie.

    Parameters
    ----------
    path
        The CSV file.
    group
        Column name(s) splitting the file into separate graphs (a time window,
        a relation type). Without it the whole file is one graph.

    Returns
    -------
    dict
        Group values (a tuple, empty without ``group``) to :class:`SignedEdges`,
        in order of first appearance. Each group's ``name`` is the group values
        joined by ``/`` (or the file's stem).
        :func:`powerbalance.theory.signed.signed_graphs` turns them into graphs.

    Raises
    ------
    EdgeListError
        Naming the line and column of a self-loop, a sign other than +1/-1
        or an alias, a non-numeric, negative, infinite or huge weight (above
        :data:`MAX_WEIGHT`), a pair repeated with a conflicting sign, a missing
        column or a short row; and the line of the first byte of a binary or
        non-UTF-8 file.
    """
    p = Path(path)
    label = str(path)
    groups = [group] if isinstance(group, str) else list(group or [])
    text = _read_text(p, label)
    builders: dict[tuple[str, ...], EdgeAccumulator] = {}
    with io.StringIO(text, newline="") as fh:
        reader = csv.reader(fh)
        try:
            head = next(reader)
        except StopIteration:
            raise EdgeListError(
                label, "the file is empty", hint="expected a header source,target,sign"
            ) from None
        except csv.Error as exc:
            raise EdgeListError(label, f"not a CSV file ({exc})", record="line 1") from None
        header = {h.strip().lower(): i for i, h in enumerate(head)}
        si = _pick_column(header, SOURCE_COLUMNS, label)
        ti = _pick_column(header, TARGET_COLUMNS, label)
        gi = _pick_column(header, ("sign",), label)
        wi = header.get("weight")
        group_idx = []
        for g in groups:
            if g.lower() not in header:
                raise EdgeListError(
                    label,
                    f"no grouping column '{g}'",
                    record="line 1",
                    hint=f"columns are {', '.join(head)}",
                )
            group_idx.append(header[g.lower()])
        needed = max([si, ti, gi, *group_idx, *([wi] if wi is not None else [])])
        rows = iter(reader)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                break
            except csv.Error as exc:
                raise EdgeListError(
                    label, f"not a CSV record ({exc})", record=f"line {max(reader.line_num, 1)}"
                ) from None
            line = f"line {reader.line_num}"
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) <= needed:
                raise EdgeListError(label, f"{len(row)} fields, expected {len(head)}", record=line)
            a, b = row[si].strip(), row[ti].strip()
            for col, val in ((head[si], a), (head[ti], b)):
                if not val:
                    raise EdgeListError(label, "empty node label", record=line, field=col)
            try:
                sign = parse_sign(row[gi])
            except ValueError as exc:
                raise EdgeListError(label, str(exc), record=line, field=head[gi]) from None
            weight = 1.0
            if wi is not None and row[wi].strip():
                try:
                    weight = parse_weight(row[wi].strip())
                except ValueError as exc:
                    raise EdgeListError(label, str(exc), record=line, field=head[wi]) from None
            key = tuple(row[i].strip() for i in group_idx)
            builder = builders.setdefault(key, EdgeAccumulator())
            try:
                builder.edge(a, b, sign, weight)
            except ValueError as exc:
                raise EdgeListError(label, str(exc), record=line) from None
    if not builders:
        raise EdgeListError(label, "no edges below the header")
    return {key: b.edges("/".join(key) if key else p.stem) for key, b in builders.items()}
