"""Signed graphs: undirected networks whose ties are amity (+1) or enmity (-1).

A :class:`SignedGraph` is built from explicit edges (:func:`signed_graph`), from
the relations of the core (:func:`from_relations`) or from the groups of a CSV
edge list read by :func:`powerbalance.datasets.edgelist.read_edge_list`
(:func:`signed_graphs`). Every measure of structural balance in
:mod:`powerbalance.theory` takes one; none of them reads a file.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

import numpy as np
from scipy import sparse

from powerbalance.datasets.edgelist import (
    MAX_WEIGHT,
    SIGN_ALIASES,
    EdgeAccumulator,
    EdgeListError,
    SignedEdges,
    parse_sign,
    parse_weight,
)
from powerbalance.errors import UserError

__all__ = [
    "MAX_WEIGHT",
    "SIGN_ALIASES",
    "EdgeListError",
    "SignedEdgeError",
    "SignedGraph",
    "from_edges",
    "from_relations",
    "parse_sign",
    "signed_graph",
    "signed_graphs",
]

K = TypeVar("K", bound=Hashable)


class SignedEdgeError(UserError):
    """An edge given in Python is not a valid signed tie (self-loop, bad sign, bad weight)."""


@dataclass(frozen=True, eq=False)
class SignedGraph:
    """An undirected signed graph with optional non-negative tie weights.

    Use :func:`signed_graph`, :func:`from_relations` or :func:`signed_graphs`
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
            weight = parse_weight(edge[3]) if len(edge) == 4 else 1.0
            builder.edge(a, b, sign, weight)
        except ValueError as exc:
            raise SignedEdgeError(f"{where}: {exc}") from None
    return builder.build(name)


class _Builder(EdgeAccumulator):
    def build(self, name: str | None) -> SignedGraph:
        return from_edges(self.edges(name))


def from_edges(edges: SignedEdges) -> SignedGraph:
    """The graph of checked ties, as :func:`powerbalance.datasets.edgelist.read_edge_list` gives.

    Examples
    --------
    >>> from powerbalance.datasets.edgelist import EdgeAccumulator
    >>> acc = EdgeAccumulator()
    >>> acc.edge("USA", "RUS", -1, 1.0)
    >>> from_edges(acc.edges("pair"))
    <SignedGraph 'pair': 2 nodes, 1 edges, 1 negative>
    """
    return SignedGraph(edges.nodes, edges.u, edges.v, edges.sign, edges.weight, edges.name)


def signed_graphs(groups: Mapping[K, SignedEdges]) -> dict[K, SignedGraph]:
    """One graph per group of an edge list read by :func:`~powerbalance.datasets.edgelist.read_edge_list`.

    Examples
    --------
    A file ``ties.csv`` with a ``year`` column gives one graph a year::

        from powerbalance.datasets.edgelist import read_edge_list

        graphs = signed_graphs(read_edge_list("ties.csv", group="year"))
    """
    return {key: from_edges(e) for key, e in groups.items()}


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
