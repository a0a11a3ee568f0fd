"""The exact frustration index, its bound and gap, and the heuristic upper bound."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powerbalance.datasets.edgelist import read_edge_list
from powerbalance.theory.frustration import (
    SolverError,
    frustration_index,
    frustration_of,
    frustration_upper_bound,
)
from powerbalance.theory.signed import SignedGraph, signed_graph, signed_graphs

DATA = Path(__file__).parent / "data"


def brute_force(g: SignedGraph, *, weighted: bool = False) -> tuple[float, list[np.ndarray]]:
    """Minimum frustration over all bipartitions (node 0 fixed) and every minimiser."""
    n = g.n
    if n == 0:
        return 0.0, [np.zeros(0, np.int8)]
    sides = np.array([(0, *rest) for rest in itertools.product([0, 1], repeat=n - 1)], np.int8)
    same = sides[:, g.u] == sides[:, g.v]
    bad = np.where(g.sign > 0, ~same, same)
    w = g.weight if weighted else np.ones(g.m)
    values = bad @ w
    best = values.min()
    return float(best), [sides[k] for k in np.flatnonzero(np.isclose(values, best))]


@pytest.fixture(scope="module")
def tribes() -> SignedGraph:
    return signed_graphs(read_edge_list(DATA / "gahuku_gama.csv"))[()]


def test_gahuku_gama_unique_optimum(tribes: SignedGraph) -> None:
    """L = 7 with a unique optimal bipartition, as issue 3 states; signnet's vignette
    "Structural Balance" gives the normalised frustration 0.7586207 = 1 - 7/29 for
    this network. Uniqueness is checked by enumerating all 2^15 bipartitions.
    """
    result = frustration_index(tribes)
    assert result.status == "optimal" and result.value == 7 and result.bound == 7
    best, minimisers = brute_force(tribes)
    assert best == 7 and len(minimisers) == 1
    assert result.groups == (
        ["Gama", "Gavev", "Kotun", "Nagad"],
        sorted(set(tribes.nodes) - {"Gama", "Gavev", "Kotun", "Nagad"}),
    )
    assert len(result.frustrated) == 7
    assert frustration_of(tribes, result.partition) == 7
    textbook = frustration_index(tribes, method="textbook")
    assert textbook.value == 7 and textbook.partition == result.partition


@st.composite
def random_graph(draw: st.DrawFn, max_nodes: int = 10, weighted: bool = False) -> SignedGraph:
    n = draw(st.integers(1, max_nodes))
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    edges = []
    for i, j in chosen:
        s = draw(st.sampled_from([1, -1]))
        if weighted:
            edges.append((f"v{i}", f"v{j}", s, draw(st.sampled_from([0.5, 1.0, 2.0, 3.0]))))
        else:
            edges.append((f"v{i}", f"v{j}", s))
    return signed_graph(edges, nodes=[f"v{i}" for i in range(n)])


@settings(max_examples=60, deadline=None)
@given(random_graph())
def test_exact_matches_brute_force(g: SignedGraph) -> None:
    best, _ = brute_force(g)
    result = frustration_index(g)
    assert result.status == "optimal"
    assert result.value == pytest.approx(best)
    assert frustration_of(g, result.partition) == pytest.approx(best)
    assert frustration_index(g, method="textbook").value == pytest.approx(best)
    assert frustration_index(g, triangle_cuts=False).value == pytest.approx(best)
    upper, partition = frustration_upper_bound(g)
    assert upper >= best - 1e-9
    assert frustration_of(g, partition) == pytest.approx(upper)
    assert 0 <= best <= g.m / 2


@settings(max_examples=40, deadline=None)
@given(random_graph(max_nodes=8, weighted=True))
def test_weighted_exact_matches_brute_force(g: SignedGraph) -> None:
    best, _ = brute_force(g, weighted=True)
    result = frustration_index(g, weighted=True)
    assert result.value == pytest.approx(best)
    assert frustration_index(g, weighted=True, method="textbook").value == pytest.approx(best)


def test_additive_over_components_and_cut_vertices() -> None:
    triangle = [("a", "b", 1), ("b", "c", 1), ("a", "c", -1)]
    # Two unbalanced triangles sharing node c (a cut vertex), a pendant path and
    # a separate unbalanced triangle, plus an isolated node.
    g = signed_graph(
        [
            *triangle,
            ("c", "d", -1),
            ("d", "e", -1),
            ("c", "e", -1),
            ("e", "f", -1),
            ("f", "g", 1),
            ("x", "y", -1),
            ("y", "z", -1),
            ("x", "z", 1),
        ],
        nodes=["lonely"],
    )
    r = frustration_index(g)
    assert r.value == 2 and r.status == "optimal"
    assert r.blocks["total"] == 5 and r.blocks["solved"] == 2
    assert frustration_of(g, r.partition) == 2
    assert r.partition["lonely"] == 0
    assert brute_force(g)[0] == 2


def test_frustrated_edges_are_reported() -> None:
    g = signed_graph([("USA", "RUS", 1), ("RUS", "CHN", 1), ("USA", "CHN", -1)])
    r = frustration_index(g)
    assert len(r.frustrated) == 1
    a, b, s, _ = r.frustrated[0]
    assert (r.partition[a] != r.partition[b]) == (s > 0)
    assert frustration_of(g, r.partition) == 1
    d = r.to_dict()
    assert d["frustration_index"] == 1 and d["status"] == "optimal" and d["gap"] == 0.0
    assert sorted(d["partition"][0] + d["partition"][1]) == ["CHN", "RUS", "USA"]


def hard_graph(n: int = 260, m: int = 2600, seed: int = 7) -> SignedGraph:
    rng = np.random.default_rng(seed)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < m:
        i, j = sorted(rng.choice(n, size=2, replace=False).tolist())
        pairs.add((i, j))
    return signed_graph([(f"n{i}", f"n{j}", int(rng.choice([1, -1]))) for i, j in sorted(pairs)])


@pytest.mark.slow
def test_time_limit_reports_incumbent_bound_and_gap() -> None:
    g = hard_graph()
    r = frustration_index(g, time_limit=0.5)
    assert r.status == "time_limit"
    assert 0 <= r.bound <= r.value
    assert 0 < r.gap <= 1
    assert frustration_of(g, r.partition) == r.value
    assert r.value <= frustration_upper_bound(g)[0]
    assert r.to_dict()["status"] == "time_limit"


def test_bad_time_limit_and_method() -> None:
    g = signed_graph([("a", "b", 1)])
    with pytest.raises(SolverError, match="positive"):
        frustration_index(g, time_limit=0)
    with pytest.raises(Exception, match="unknown method"):
        frustration_index(g, method="magic")  # type: ignore[arg-type]


def test_heuristic_is_reproducible() -> None:
    g = hard_graph(n=80, m=400, seed=3)
    assert frustration_upper_bound(g, seed=5) == frustration_upper_bound(g, seed=5)


@pytest.mark.shared_data
@pytest.mark.slow
def test_cow_windows_all_optimal(shared_file) -> None:
    """Doreian & Mrvar (2015, J. Social Structure 16) signed CoW networks, 51 windows
    1946-1999 (signnet ``cowList``): every window solved to optimality, values checked
    against the textbook model on a sample."""
    graphs = signed_graphs(
        read_edge_list(
            shared_file("signnet/cow_signed_networks_1946_1999_edges.csv"), group="window"
        )
    )
    assert len(graphs) == 51
    values = {}
    for key, g in graphs.items():
        r = frustration_index(g)
        assert r.status == "optimal", key
        assert frustration_of(g, r.partition) == r.value
        values[key[0]] = r.value
    for window in ("46-49", "63-66", "89-92"):
        assert frustration_index(graphs[(window,)], method="textbook").value == values[window]
    assert values["46-49"] == 17 and values["89-92"] == 38
