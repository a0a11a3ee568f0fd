"""Signed graphs: undirected networks whose ties are amity (+1) or enmity (-1).

A :class:`SignedGraph` is built from explicit edges (:func:`signed_graph`), from
the relations of the core (:func:`from_relations`) or from a CSV edge list
(:func:`read_edge_list`, with optional grouping columns such as a time window).
Every measure of structural balance in :mod:`powerbalance.theory` takes one.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from powerbalance.errors import InputFileError, UserError

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


class SignedEdgeError(UserError):
    """An edge given in Python is not a valid signed tie (self-loop, bad sign, bad weight)."""


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


def _parse_weight(value: object) -> float:
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
class SignedGraph:
    """An undirected signed graph with optional non-negative tie weights.

    Use :func:`signed_graph`, :func:`from_relations` or :func:`read_edge_list`
    to build one; they check the input. Edges are stored once, as index pairs
    ``u < v`` into :attr:`nodes`.

    Attributes
    ----------
    nodes
        Node labels, in order of first appearance.
    u, v
        Endpoint indices of each edge (``u < v``).
    sign
        +1 or -1 per edge.
    weight
        Non-negative weight per edge (1.0 when none was given).
    name
        A label (for example the group of an edge list the graph came from).
    """

    nodes: tuple[str, ...]
    u: np.ndarray
    v: np.ndarray
    sign: np.ndarray
    weight: np.ndarray
    name: str | None = None
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def n(self) -> int:
        """Number of nodes."""
        return len(self.nodes)

    @property
    def m(self) -> int:
        """Number of edges."""
        return int(self.u.shape[0])

    @property
    def n_negative(self) -> int:
        """Number of negative edges."""
        return int(np.count_nonzero(self.sign < 0))

    @cached_property
    def index(self) -> dict[str, int]:
        """Position of each node label in :attr:`nodes`."""
        return {name: i for i, name in enumerate(self.nodes)}

    @property
    def is_weighted(self) -> bool:
        """True when some weight differs from 1."""
        return bool(np.any(self.weight != 1.0))

    def degree(self) -> np.ndarray:
        """Number of edges at each node."""
        return np.bincount(np.concatenate([self.u, self.v]), minlength=self.n)

    def adjacency(self, *, weighted: bool = False, signed: bool = True) -> sparse.csr_matrix:
        """The symmetric (signed, optionally weighted) adjacency matrix, sparse.

        Entry ``(i, j)`` is ``sign * weight`` (or ``sign`` when not weighted);
        with ``signed=False`` the absolute value.
        """
        values = np.ones(self.m) if not weighted else self.weight.astype(float)
        if signed:
            values = values * self.sign
        rows = np.concatenate([self.u, self.v])
        cols = np.concatenate([self.v, self.u])
        data = np.concatenate([values, values])
        return sparse.csr_matrix((data, (rows, cols)), shape=(self.n, self.n))

    def neighbours(self) -> list[list[tuple[int, int]]]:
        """For each node, its (neighbour, edge index) pairs."""
        out: list[list[tuple[int, int]]] = [[] for _ in range(self.n)]
        for e, (a, b) in enumerate(zip(self.u.tolist(), self.v.tolist(), strict=True)):
            out[a].append((b, e))
            out[b].append((a, e))
        return out

    def edges(self) -> list[tuple[str, str, int, float]]:
        """The edges as ``(a, b, sign, weight)`` tuples of labels."""
        return [
            (self.nodes[a], self.nodes[b], int(s), float(w))
            for a, b, s, w in zip(
                self.u.tolist(),
                self.v.tolist(),
                self.sign.tolist(),
                self.weight.tolist(),
                strict=True,
            )
        ]

    def edge_subgraph(self, edge_ids: Sequence[int] | np.ndarray) -> tuple[SignedGraph, np.ndarray]:
        """The graph made of the given edges; also returns the original index of each node."""
        ids = np.asarray(edge_ids, dtype=np.int64)
        u, v = self.u[ids], self.v[ids]
        keep = np.unique(np.concatenate([u, v]))
        remap = np.full(self.n, -1, dtype=np.int64)
        remap[keep] = np.arange(keep.size)
        sub = SignedGraph(
            nodes=tuple(self.nodes[i] for i in keep.tolist()),
            u=remap[u],
            v=remap[v],
            sign=self.sign[ids],
            weight=self.weight[ids],
            name=self.name,
        )
        return sub, keep

    def __repr__(self) -> str:
        label = f" {self.name!r}" if self.name else ""
        return f"<SignedGraph{label}: {self.n} nodes, {self.m} edges, {self.n_negative} negative>"


def signed_graph(
    edges: Iterable[Sequence[Any]],
    *,
    nodes: Iterable[str] = (),
    name: str | None = None,
) -> SignedGraph:
    """Build a :class:`SignedGraph` from ``(a, b, sign)`` or ``(a, b, sign, weight)`` tuples.

    Parameters
    ----------
    edges
        Undirected ties. Signs are +1/-1 or an alias of :data:`SIGN_ALIASES`;
        weights are non-negative numbers (default 1).
    nodes
        Extra node labels, kept even when isolated.
    name
        A label for the graph.

    Returns
    -------
    SignedGraph

    Raises
    ------
    SignedEdgeError
        On a self-loop, a sign other than +1/-1, a non-numeric or negative
        weight, or the same pair given twice with different signs or weights
        (an exact repeat is kept once).

    Examples
    --------
    >>> g = signed_graph([("USA", "RUS", -1), ("RUS", "CHN", "+"), ("USA", "CHN", "-")])
    >>> g
    <SignedGraph: 3 nodes, 3 edges, 2 negative>
    >>> signed_graph([("A", "A", 1)])
    Traceback (most recent call last):
    ...
    powerbalance.theory.signed.SignedEdgeError: edge 1 (A, A): a self-loop; a tie joins two different actors
    """
    builder = _Builder()
    for name_ in nodes:
        builder.node(str(name_))
    for k, edge in enumerate(edges, start=1):
        where = f"edge {k}"
        if len(edge) not in (3, 4):
            raise SignedEdgeError(
                f"{where}: expected (a, b, sign) or (a, b, sign, weight), got {edge!r}"
            )
        a, b, s = str(edge[0]), str(edge[1]), edge[2]
        where = f"edge {k} ({a}, {b})"
        try:
            sign = parse_sign(s)
            weight = _parse_weight(edge[3]) if len(edge) == 4 else 1.0
            builder.edge(a, b, sign, weight)
        except ValueError as exc:
            raise SignedEdgeError(f"{where}: {exc}") from None
    return builder.build(name)


class _Builder:
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

    def build(self, name: str | None) -> SignedGraph:
        keys = sorted(self.pairs)
        u = np.array([k[0] for k in keys], dtype=np.int64)
        v = np.array([k[1] for k in keys], dtype=np.int64)
        sign = np.array([self.pairs[k][0] for k in keys], dtype=np.int8)
        weight = np.array([self.pairs[k][1] for k in keys], dtype=np.float64)
        return SignedGraph(tuple(self.index), u, v, sign, weight, name)


def from_relations(relations: Iterable[Any], *, name: str | None = None) -> SignedGraph:
    """Build a signed graph from relations (:class:`powerbalance.relations.base.Relation`).

    Each relation with sign +1 or -1 becomes a tie weighted by its strength;
    a relation of sign 0 (no signed evidence either way) adds its actors as
    nodes but no tie.

    Examples
    --------
    >>> from powerbalance.relations.base import Relation
    >>> rels = [Relation("RUS", "CHN", 1, 0.8, "evidence", "r"),
    ...         Relation("USA", "CHN", -1, 0.9, "evidence", "r"),
    ...         Relation("USA", "RUS", 0, 0.0, "evidence", "r")]
    >>> from_relations(rels).edges()
    [('RUS', 'CHN', 1, 0.8), ('CHN', 'USA', -1, 0.9)]
    """
    builder = _Builder()
    for k, r in enumerate(relations, start=1):
        builder.node(r.a)
        builder.node(r.b)
        if r.sign == 0:
            continue
        try:
            builder.edge(r.a, r.b, int(r.sign), float(r.strength))
        except ValueError as exc:
            raise SignedEdgeError(f"relation {k} ({r.a}, {r.b}): {exc}") from None
    return builder.build(name)


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
) -> dict[tuple[str, ...], SignedGraph]:
    """Read a CSV signed edge list, one graph per group.

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
        Group values (a tuple, empty without ``group``) to graph, in order of
        first appearance. Each graph's ``name`` is the group values joined by
        ``/`` (or the file's stem).

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
    builders: dict[tuple[str, ...], _Builder] = {}
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
                    weight = _parse_weight(row[wi].strip())
                except ValueError as exc:
                    raise EdgeListError(label, str(exc), record=line, field=head[wi]) from None
            key = tuple(row[i].strip() for i in group_idx)
            builder = builders.setdefault(key, _Builder())
            try:
                builder.edge(a, b, sign, weight)
            except ValueError as exc:
                raise EdgeListError(label, str(exc), record=line) from None
    if not builders:
        raise EdgeListError(label, "no edges below the header")
    return {key: b.build("/".join(key) if key else p.stem) for key, b in builders.items()}
