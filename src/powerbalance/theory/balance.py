"""Structural balance of a signed graph: triad census and balance indices.

Heider's balance ("the friend of my friend is my friend, the friend of my
enemy is my enemy") holds in a triangle with an even number of negative ties;
Cartwright & Harary (1956) showed that a graph is balanced when every cycle
is, which happens exactly when its nodes split into two camps with amity
inside and enmity across. The measures here say how far a graph is from that.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import linalg

from powerbalance.errors import LimitExceeded
from powerbalance.limits import LIMITS
from powerbalance.theory.frustration import FrustrationResult, frustration_index
from powerbalance.theory.signed import SignedGraph

TRIAD_TYPES = ("+++", "++-", "+--", "---")


def triad_census(graph: SignedGraph) -> dict[str, int]:
    """Count the triangles by their number of negative ties.

    Parameters
    ----------
    graph
        The signed graph.

    Returns
    -------
    dict
        ``{"+++": n0, "++-": n1, "+--": n2, "---": n3}``; ``+++`` and ``+--``
        are balanced, ``++-`` and ``---`` unbalanced.

    Notes
    -----
    With ``P`` and ``N`` the 0/1 adjacency matrices of positive and negative
    ties: ``+++ = tr(P^3)/6``, ``++- = sum(N * P^2)/2``, ``+-- = sum(P * N^2)/2``,
    ``--- = tr(N^3)/6``.

    Examples
    --------
    >>> from powerbalance.theory.signed import signed_graph
    >>> g = signed_graph([("USA", "RUS", -1), ("RUS", "CHN", 1), ("USA", "CHN", -1)])
    >>> triad_census(g)
    {'+++': 0, '++-': 0, '+--': 1, '---': 0}
    """
    pos = graph.sign > 0
    p = _indicator(graph, pos)
    q = _indicator(graph, ~pos)
    p2 = p @ p
    q2 = q @ q
    return {
        "+++": round(p2.multiply(p).sum() / 6),
        "++-": round(p2.multiply(q).sum() / 2),
        "+--": round(q2.multiply(p).sum() / 2),
        "---": round(q2.multiply(q).sum() / 6),
    }


def _indicator(graph: SignedGraph, mask: np.ndarray) -> Any:
    from scipy import sparse

    u, v = graph.u[mask], graph.v[mask]
    data = np.ones(2 * u.size)
    return sparse.csr_matrix(
        (data, (np.concatenate([u, v]), np.concatenate([v, u]))), shape=(graph.n, graph.n)
    )


def triangle_index(graph: SignedGraph) -> float:
    """Share of triangles that are balanced (NaN when the graph has no triangle).

    Notes
    -----
    ``T = (n_{+++} + n_{+--}) / (n_{+++} + n_{++-} + n_{+--} + n_{---})``, the
    degree of balance of Cartwright & Harary (1956) restricted to 3-cycles.

    References
    ----------
    .. [1] Cartwright, D. & Harary, F. (1956). Structural balance: a
       generalization of Heider's theory. *Psychological Review* 63(5),
       277-293. doi:10.1037/h0046049

    Examples
    --------
    >>> from powerbalance.theory.signed import signed_graph
    >>> g = signed_graph([("a", "b", 1), ("b", "c", 1), ("a", "c", 1), ("c", "d", -1),
    ...                   ("b", "d", 1)])
    >>> triangle_index(g)
    0.5
    """
    census = triad_census(graph)
    total = sum(census.values())
    if total == 0:
        return math.nan
    return (census["+++"] + census["+--"]) / total


#: Seconds a dense symmetric eigendecomposition of 1,000 nodes takes, rounded up
#: from measurements on a busy two-core machine (0.3-1.3 s); the time grows as n^3.
EIGEN_SECONDS_PER_1000_CUBED = 1.5


def walk_index(
    graph: SignedGraph, *, weighted: bool = False, time_limit: float | None = None
) -> float:
    """Walk-based degree of balance of Estrada & Benzi (2014).

    Parameters
    ----------
    graph
        The signed graph (NaN when it has no node).
    weighted
        Use signed weights instead of signs.
    time_limit
        Seconds the computation may take; refused beforehand when the estimate
        exceeds it.

    Returns
    -------
    float
        ``K = tr(exp(A)) / tr(exp(|A|))`` in (0, 1]; 1 exactly when balanced.

    Raises
    ------
    LimitExceeded
        When a connected component is larger than the limit
        ``balance.walk_index.nodes`` or the estimated time exceeds ``time_limit``.

    Notes
    -----
    Closed walks weighted by ``1/k!`` for length ``k``: a walk counts +1 when it
    has an even number of negative ties and -1 otherwise, so the numerator is
    the communicability of the signed graph and the denominator that of its
    underlying unsigned graph. Computed from the eigenvalues ``l_i`` of ``A``
    and ``m_i`` of ``|A|`` as ``sum exp(l_i - M) / sum exp(m_i - M)`` with
    ``M = max m_i`` (which avoids overflow on large graphs). The eigenvalues of
    a graph are those of its connected components together, so each component
    is decomposed apart (dense, its cost growing as its size cubed) and
    isolated nodes add ``exp(-M)`` each.

    References
    ----------
    .. [1] Estrada, E. & Benzi, M. (2014). Walk-based measure of balance in
       signed networks: detecting lack of balance in social networks.
       *Physical Review E* 90(4), 042802. doi:10.1103/PhysRevE.90.042802

    Examples
    --------
    >>> from powerbalance.theory.signed import signed_graph
    >>> g = signed_graph([("a", "b", 1), ("b", "c", -1), ("a", "c", -1)])
    >>> round(walk_index(g), 6)
    1.0
    """
    from scipy.sparse.csgraph import connected_components

    if graph.n == 0:
        return math.nan
    a = graph.adjacency(weighted=weighted).tocsr()
    _, labels = connected_components(abs(a), directed=False)
    members = [np.flatnonzero(labels == c) for c in range(labels.max() + 1)]
    blocks = [m for m in members if len(m) > 1]
    largest = max((len(m) for m in blocks), default=0)
    LIMITS["balance.walk_index.nodes"].check(largest, option="the walk index's largest component")
    estimate = sum(EIGEN_SECONDS_PER_1000_CUBED * (len(m) / 1000) ** 3 for m in blocks)
    if time_limit is not None and estimate > time_limit:
        raise LimitExceeded(
            f"the walk index would take about {estimate:,.0f} s (a dense eigendecomposition "
            f"of components up to {largest:,} nodes), more than the time limit of "
            f"{time_limit:g} s; raise --time-limit"
        )
    lam_parts, mu_parts = [], []
    for m in blocks:
        sub = a[m][:, m].toarray()
        lam_parts.append(linalg.eigvalsh(sub))
        mu_parts.append(linalg.eigvalsh(np.abs(sub)))
    isolated = graph.n - sum(len(m) for m in blocks)
    lam = np.concatenate([*lam_parts, np.zeros(isolated)])
    mu = np.concatenate([*mu_parts, np.zeros(isolated)])
    top = mu.max()
    return float(np.exp(lam - top).sum() / np.exp(mu - top).sum())


def normalised_frustration(
    graph: SignedGraph, *, frustration: float | None = None, weighted: bool = False
) -> float:
    """``1 - L / (m / 2)``: 1 when balanced, 0 at the worst possible frustration.

    Parameters
    ----------
    graph
        The signed graph (NaN when it has no edge).
    frustration
        The frustration index ``L`` when already computed; otherwise it is
        computed exactly with :func:`~powerbalance.theory.frustration.frustration_index`.
    weighted
        Use the weighted index, ``1 - L_w / (W / 2)`` with ``W`` the total weight.

    Notes
    -----
    ``m / 2`` bounds ``L`` from above (a bipartition or its switch frustrates
    at most half the edges), so the index lies in [0, 1] (Aref & Wilson 2018).

    References
    ----------
    .. [1] Aref, S. & Wilson, M. C. (2018). Measuring partial balance in
       signed networks. *Journal of Complex Networks* 6(4), 566-595.
       doi:10.1093/comnet/cnx044

    Examples
    --------
    >>> from powerbalance.theory.signed import signed_graph
    >>> g = signed_graph([("a", "b", -1), ("b", "c", -1), ("a", "c", -1), ("c", "d", 1)])
    >>> normalised_frustration(g)
    0.5
    """
    total = float(graph.weight.sum()) if weighted else float(graph.m)
    if total == 0:
        return math.nan
    if frustration is None:
        frustration = frustration_index(graph, weighted=weighted).value
    return 1.0 - frustration / (total / 2.0)


@dataclass(frozen=True)
class BalanceReport:
    """Every balance measure of one signed graph (one group of an edge list)."""

    group: dict[str, str]
    name: str
    nodes: int
    edges: int
    negative_edges: int
    isolated_nodes: int
    components: int
    triad_census: dict[str, int]
    triangle_index: float
    walk_index: float
    normalised_frustration: float
    frustration: FrustrationResult
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "group": dict(self.group),
            "name": self.name,
            "nodes": self.nodes,
            "edges": self.edges,
            "negative_edges": self.negative_edges,
            "isolated_nodes": self.isolated_nodes,
            "components": self.components,
            "triad_census": dict(self.triad_census),
            "triangle_index": self.triangle_index,
            "walk_index": self.walk_index,
            "normalised_frustration": self.normalised_frustration,
        }
        out.update(self.frustration.to_dict())
        out.update(self.extra)
        return out


def balance_report(
    graph: SignedGraph,
    *,
    weighted: bool = False,
    time_limit: float | None = None,
    group: dict[str, str] | None = None,
) -> BalanceReport:
    """Compute the triad census, the three balance indices and the exact frustration index.

    Examples
    --------
    >>> from powerbalance.theory.signed import signed_graph
    >>> g = signed_graph([("USA", "RUS", 1), ("RUS", "CHN", 1), ("USA", "CHN", -1)])
    >>> r = balance_report(g)
    >>> r.frustration.value, r.triangle_index, r.normalised_frustration
    (1.0, 0.0, 0.33333333333333337)
    """
    from scipy.sparse.csgraph import connected_components

    frustration = frustration_index(graph, weighted=weighted, time_limit=time_limit)
    extra: dict[str, Any] = {}
    try:
        walk = walk_index(graph, weighted=weighted, time_limit=time_limit)
    except LimitExceeded as exc:
        walk = math.nan
        extra["walk_index_skipped"] = str(exc)
    n_comp = (
        connected_components(graph.adjacency(signed=False), directed=False)[0] if graph.n else 0
    )
    return BalanceReport(
        group=dict(group or {}),
        name=graph.name or "",
        nodes=graph.n,
        edges=graph.m,
        negative_edges=graph.n_negative,
        isolated_nodes=int(np.count_nonzero(graph.degree() == 0)),
        components=int(n_comp),
        triad_census=triad_census(graph),
        triangle_index=triangle_index(graph),
        walk_index=walk,
        normalised_frustration=normalised_frustration(
            graph, frustration=frustration.value, weighted=weighted
        ),
        frustration=frustration,
        extra=extra,
    )


def balance_reports(
    graphs: Mapping[tuple[str, ...], SignedGraph],
    *,
    group: str | Sequence[str] | None = None,
    weighted: bool = False,
    time_limit: float | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[BalanceReport]:
    """Balance report of every group of a signed edge list (the ``balance`` command).

    Parameters
    ----------
    graphs
        Group values to graph, as :func:`~powerbalance.theory.signed.signed_graphs`
        gives for the groups :func:`powerbalance.datasets.edgelist.read_edge_list`
        read from a file.
    group
        The name(s) of the grouping column(s), in the order of each key's values.
    weighted
        Use the ``weight`` column in the walk index and the frustration index.
    time_limit
        Seconds allowed to the exact frustration index of each group.
    progress
        Called with ``(groups done, groups)`` after each group.

    Returns
    -------
    list of BalanceReport
        One per group, in the order of ``graphs``.

    Examples
    --------
    >>> from powerbalance.theory.signed import signed_graph
    >>> g = signed_graph([("a", "b", 1), ("b", "c", 1), ("a", "c", -1)])
    >>> [r.frustration.value for r in balance_reports({("1990",): g}, group="year")]
    [1.0]
    """
    names = [group] if isinstance(group, str) else list(group or [])
    reports = []
    for key, g in graphs.items():
        reports.append(
            balance_report(
                g,
                weighted=weighted,
                time_limit=time_limit,
                group=dict(zip(names, key, strict=True)),
            )
        )
        if progress is not None:
            progress(len(reports), len(graphs))
    return reports
