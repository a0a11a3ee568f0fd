"""Triad census and balance indices, with the Gahuku-Gama known values."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powerbalance.datasets.edgelist import read_edge_list
from powerbalance.theory.balance import (
    balance_report,
    balance_reports,
    normalised_frustration,
    triad_census,
    triangle_index,
    walk_index,
)
from powerbalance.theory.signed import SignedGraph, signed_graph, signed_graphs

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def tribes() -> SignedGraph:
    return signed_graphs(read_edge_list(DATA / "gahuku_gama.csv"))[()]


def test_gahuku_gama_known_values(tribes: SignedGraph) -> None:
    """Gahuku-Gama tribes (Read 1954, Southwestern Journal of Anthropology 10:1-43;
    network as coded by Hage & Harary 1983 and R's signnet ``tribes``).

    signnet's vignette "Structural Balance" (Schoch, signnet 1.0.x, section
    "Balancedness") gives balance_score(tribes) = 0.8676471 (method "triangles"),
    0.3575761 ("walk"), 0.7586207 ("frustration" = 1 - L/(58/2), so L = 7, the
    value DESIGN.md names for this network).
    """
    assert triangle_index(tribes) == pytest.approx(0.8676471, abs=5e-8)
    assert walk_index(tribes) == pytest.approx(0.3575761, abs=5e-8)
    assert normalised_frustration(tribes) == pytest.approx(0.7586207, abs=5e-8)
    census = triad_census(tribes)
    assert census == {"+++": 19, "++-": 2, "+--": 40, "---": 7}
    report = balance_report(tribes)
    assert report.frustration.value == 7
    assert report.to_dict()["frustration_index"] == 7


@pytest.mark.shared_data
def test_fixture_matches_signnet_tribes(shared_file) -> None:
    """The fixture was typed from the published network; the signnet conversion agrees."""
    ours = signed_graphs(read_edge_list(DATA / "gahuku_gama.csv"))[()]
    theirs = signed_graphs(read_edge_list(shared_file("signnet/tribes_gahuku_gama_edges.csv")))[()]

    def key(g: SignedGraph) -> set[tuple[frozenset[str], int]]:
        return {(frozenset((a, b)), s) for a, b, s, _ in g.edges()}

    assert set(ours.nodes) == set(theirs.nodes)
    assert key(ours) == key(theirs)


def test_balanced_graph_scores_one() -> None:
    # Two camps {a, b, c} and {d, e}: amity inside, enmity across.
    camp = {"a": 0, "b": 0, "c": 0, "d": 1, "e": 1}
    names = list(camp)
    edges = [
        (x, y, 1 if camp[x] == camp[y] else -1) for i, x in enumerate(names) for y in names[i + 1 :]
    ]
    g = signed_graph(edges)
    assert triangle_index(g) == 1.0
    assert walk_index(g) == pytest.approx(1.0)
    assert normalised_frustration(g) == 1.0


def test_no_triangles_and_no_edges() -> None:
    path = signed_graph([("a", "b", -1), ("b", "c", 1)])
    assert triad_census(path) == {"+++": 0, "++-": 0, "+--": 0, "---": 0}
    assert math.isnan(triangle_index(path))
    empty = signed_graph([], nodes=["x", "y"])
    assert math.isnan(normalised_frustration(empty))
    report = balance_report(empty)
    assert report.isolated_nodes == 2 and report.frustration.value == 0


def test_all_negative_triangle() -> None:
    g = signed_graph([("a", "b", -1), ("b", "c", -1), ("a", "c", -1)])
    assert triad_census(g)["---"] == 1
    assert triangle_index(g) == 0.0
    # Eigenvalues of -A(K3) are (-2, 1, 1); of A(K3) (2, -1, -1).
    expected = (math.exp(-2) + 2 * math.e) / (math.exp(2) + 2 * math.exp(-1))
    assert walk_index(g) == pytest.approx(expected)


@st.composite
def random_signed(draw: st.DrawFn, max_nodes: int = 9) -> SignedGraph:
    n = draw(st.integers(2, max_nodes))
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), min_size=1, unique=True))
    signs = draw(st.lists(st.sampled_from([1, -1]), min_size=len(chosen), max_size=len(chosen)))
    return signed_graph(
        [(f"n{i}", f"n{j}", s) for (i, j), s in zip(chosen, signs, strict=True)],
        nodes=[f"n{i}" for i in range(n)],
    )


def switch(g: SignedGraph, flipped: set[int]) -> SignedGraph:
    """Switching a node set (Harary) reverses the signs of the edges leaving it."""
    crosses = np.array(
        [(a in flipped) != (b in flipped) for a, b in zip(g.u.tolist(), g.v.tolist(), strict=True)]
    )
    return SignedGraph(
        g.nodes, g.u, g.v, np.where(crosses, -g.sign, g.sign).astype(np.int8), g.weight
    )


@settings(max_examples=60, deadline=None)
@given(random_signed(), st.sets(st.integers(0, 8)))
def test_indices_bounded_and_switching_invariant(g: SignedGraph, flipped: set[int]) -> None:
    census = triad_census(g)
    tri = triangle_index(g)
    walk = walk_index(g)
    frus = normalised_frustration(g)
    assert all(v >= 0 for v in census.values())
    assert math.isnan(tri) or 0.0 <= tri <= 1.0
    assert 0.0 < walk <= 1.0 + 1e-12
    assert 0.0 <= frus <= 1.0
    h = switch(g, {i for i in flipped if i < g.n})
    # Switching keeps every cycle's sign, so every balance measure is unchanged.
    assert triangle_index(h) == tri or (math.isnan(tri) and math.isnan(triangle_index(h)))
    assert walk_index(h) == pytest.approx(walk)
    assert normalised_frustration(h) == pytest.approx(frus)
    assert census["+++"] + census["+--"] == (triad_census(h)["+++"] + triad_census(h)["+--"])


@settings(max_examples=40, deadline=None)
@given(random_signed())
def test_census_matches_brute_force(g: SignedGraph) -> None:
    sign = {frozenset((a, b)): s for a, b, s, _ in g.edges()}
    counts = {"+++": 0, "++-": 0, "+--": 0, "---": 0}
    names = g.nodes
    for i in range(g.n):
        for j in range(i + 1, g.n):
            for k in range(j + 1, g.n):
                sides = [
                    frozenset(p)
                    for p in ((names[i], names[j]), (names[i], names[k]), (names[j], names[k]))
                ]
                if all(s in sign for s in sides):
                    neg = sum(sign[s] < 0 for s in sides)
                    counts[["+++", "++-", "+--", "---"][neg]] += 1
    assert triad_census(g) == counts


def test_balance_reports_groups_and_progress(tmp_path: Path) -> None:
    p = tmp_path / "e.csv"
    p.write_text(
        "year,source,target,sign\n1,a,b,+\n1,b,c,+\n1,a,c,-\n2,a,b,-\n2,b,c,-\n2,a,c,+\n2,d,e,+\n",
        encoding="utf-8",
    )
    seen: list[tuple[int, int]] = []
    graphs = signed_graphs(read_edge_list(p, group="year"))
    reports = balance_reports(graphs, group="year", progress=lambda d, t: seen.append((d, t)))
    assert [r.group for r in reports] == [{"year": "1"}, {"year": "2"}]
    assert [r.frustration.value for r in reports] == [1, 0]
    assert reports[1].components == 2
    assert seen == [(1, 2), (2, 2)]
