"""The walk index by components, and its bounds (size and time) in the balance report."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import linalg

from powerbalance.errors import LimitExceeded
from powerbalance.theory.balance import balance_report, walk_index
from powerbalance.theory.signed import signed_graph


def _whole_graph_walk_index(g, weighted=False) -> float:
    """The definition, over the whole adjacency matrix at once (the former computation)."""
    a = g.adjacency(weighted=weighted).toarray()
    lam, mu = linalg.eigvalsh(a), linalg.eigvalsh(np.abs(a))
    return float(np.exp(lam - mu.max()).sum() / np.exp(mu - mu.max()).sum())


def test_components_give_the_whole_graph_value():
    rng = np.random.default_rng(3)
    edges = []
    for block in range(4):  # four components of 30 nodes, and isolated nodes
        nodes = [f"b{block}n{i}" for i in range(30)]
        for i in range(30):
            for j in range(i + 1, 30):
                if rng.random() < 0.15:
                    edges.append((nodes[i], nodes[j], int(rng.choice([-1, 1]))))
    g = signed_graph(edges, nodes=[f"lone{i}" for i in range(5)])
    assert math.isclose(walk_index(g), _whole_graph_walk_index(g), rel_tol=1e-12)


def test_a_component_beyond_the_limit_is_refused_before_any_work():
    path = [(f"n{i}", f"n{i + 1}", 1) for i in range(5_001)]
    with pytest.raises(LimitExceeded, match=r"balance\.walk_index\.nodes"):
        walk_index(signed_graph(path))


def test_the_report_skips_the_walk_index_beyond_the_time_limit():
    path = [(f"n{i}", f"n{i + 1}", 1 if i % 7 else -1) for i in range(1_499)]
    report = balance_report(signed_graph(path), time_limit=1.0)
    assert math.isnan(report.walk_index)
    assert "time limit" in report.to_dict()["walk_index_skipped"]
    assert report.frustration.value == 0  # a tree is always balanced
