"""Signed graphs: construction, the CSV edge-list reader and its errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from powerbalance.datasets.edgelist import EdgeListError, read_edge_list
from powerbalance.errors import InputFileError, UserError
from powerbalance.relations.base import Relation
from powerbalance.theory.signed import (
    SignedEdgeError,
    from_relations,
    parse_sign,
    signed_graph,
    signed_graphs,
)

DATA = Path(__file__).parent / "data"


def write(tmp_path: Path, text: str, name: str = "edges.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("raw", "sign"),
    [(1, 1), (-1, -1), ("+", 1), ("-", -1), ("+1", 1), ("1.0", 1), ("Positive", 1), ("neg", -1)],
)
def test_sign_aliases(raw: object, sign: int) -> None:
    assert parse_sign(raw) == sign


@pytest.mark.parametrize("raw", [0, "0", 2, "x", "", True, 0.5])
def test_bad_signs_are_refused(raw: object) -> None:
    with pytest.raises(ValueError, match="sign must be"):
        parse_sign(raw)


def test_graph_from_edges_keeps_isolated_nodes_and_orders_pairs() -> None:
    g = signed_graph([("b", "a", 1), ("c", "a", -1, 0.5)], nodes=["a", "z"])
    assert g.nodes == ("a", "z", "b", "c")
    assert g.n == 4 and g.m == 2 and g.n_negative == 1
    assert np.all(g.u < g.v)
    assert g.degree().tolist() == [2, 0, 1, 1]
    assert sorted(g.edges()) == [("a", "b", 1, 1.0), ("a", "c", -1, 0.5)]
    a = g.adjacency(weighted=True).toarray()
    assert np.allclose(a, a.T) and a[0, 3] == -0.5


def test_exact_repeat_is_kept_once_conflict_is_an_error() -> None:
    assert signed_graph([("a", "b", 1), ("b", "a", "+")]).m == 1
    with pytest.raises(SignedEdgeError, match="conflicting signs"):
        signed_graph([("a", "b", 1), ("b", "a", -1)])
    with pytest.raises(SignedEdgeError, match="self-loop"):
        signed_graph([("a", "a", 1)])
    with pytest.raises(SignedEdgeError, match="weight must be a number"):
        signed_graph([("a", "b", 1, "heavy")])
    with pytest.raises(SignedEdgeError, match="edge 2"):
        signed_graph([("a", "b", 1), ("a", "c", 0)])


def test_from_relations_skips_unsigned_but_keeps_actors() -> None:
    rels = [
        Relation("USA", "RUS", 0, 0.0, "evidence", "rule"),
        Relation("RUS", "CHN", 1, 0.7, "evidence", "rule"),
    ]
    g = from_relations(rels)
    assert set(g.nodes) == {"USA", "RUS", "CHN"}
    assert g.edges() == [("RUS", "CHN", 1, 0.7)]


def test_read_fixture() -> None:
    g = signed_graphs(read_edge_list(DATA / "gahuku_gama.csv"))[()]
    assert (g.n, g.m, g.n_negative) == (16, 58, 29)
    assert g.name == "gahuku_gama"


def test_read_groups_weights_and_from_to_header(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "window,kind,from,to,sign,weight\n"
        "w1,x,A,B,+,2\n"
        "w1,x,B,C,-,\n"
        "w2,x,A,B,-1,0.5\n"
        "\n"
        "w1,y,A,C,1,1\n",
    )
    graphs = signed_graphs(read_edge_list(p, group=["window", "kind"]))
    assert list(graphs) == [("w1", "x"), ("w2", "x"), ("w1", "y")]
    w1 = graphs[("w1", "x")]
    assert w1.name == "w1/x"
    assert sorted(w1.edges()) == [("A", "B", 1, 2.0), ("B", "C", -1, 1.0)]
    assert graphs[("w2", "x")].edges() == [("A", "B", -1, 0.5)]
    # The same pair may carry different signs in different groups.
    assert signed_graphs(read_edge_list(p, group="window"))[("w2",)].n_negative == 1


@pytest.mark.parametrize(
    ("body", "line", "needle"),
    [
        ("A,B,+\nC,C,-\n", 3, "self-loop"),
        ("A,B,+\nB,A,-\n", 3, "conflicting signs"),
        ("A,B,+\nA,C,0\n", 3, "sign must be"),
        ("A,B,+\nA,C,yes\n", 3, "sign must be"),
        ("A,B,+\nA,C\n", 3, "fields"),
        ("A,B,+\n,C,-\n", 3, "empty node label"),
    ],
)
def test_bad_lines_are_named(tmp_path: Path, body: str, line: int, needle: str) -> None:
    p = write(tmp_path, "source,target,sign\n" + body)
    with pytest.raises(EdgeListError) as err:
        read_edge_list(p)
    message = str(err.value)
    assert f"line {line}" in message and needle in message
    assert str(p) in message
    assert isinstance(err.value, InputFileError) and isinstance(err.value, UserError)


def test_non_numeric_weight_names_line_and_column(tmp_path: Path) -> None:
    p = write(tmp_path, "source,target,sign,weight\nA,B,+,1\nB,C,-,strong\n")
    with pytest.raises(EdgeListError, match=r"line 3, field 'weight': weight must be a number"):
        read_edge_list(p)
    p = write(tmp_path, "source,target,sign,weight\nA,B,+,-2\n")
    with pytest.raises(EdgeListError, match=r"line 2.*>= 0"):
        read_edge_list(p)


def test_header_problems(tmp_path: Path) -> None:
    with pytest.raises(EdgeListError, match="no 'source' column"):
        read_edge_list(write(tmp_path, "a,b,sign\nA,B,+\n"))
    with pytest.raises(EdgeListError, match="no 'sign' column"):
        read_edge_list(write(tmp_path, "source,target\nA,B\n"))
    with pytest.raises(EdgeListError, match="no grouping column 'year'"):
        read_edge_list(write(tmp_path, "source,target,sign\nA,B,+\n"), group="year")
    with pytest.raises(EdgeListError, match="empty"):
        read_edge_list(write(tmp_path, ""))
    with pytest.raises(EdgeListError, match="no edges"):
        read_edge_list(write(tmp_path, "source,target,sign\n"))
    with pytest.raises(EdgeListError, match="cannot open"):
        read_edge_list(tmp_path / "missing.csv")
