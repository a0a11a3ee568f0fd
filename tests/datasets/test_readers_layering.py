"""Edge lists and actor tables are read in `datasets/`; theory takes objects; vote measures are indicators.

Before the move the readers lived in `theory.signed` and `theory.bargaining.table`
and the vote measures in the private `frames._votes` (imported by `indicators`).
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

DATA = Path(__file__).parents[1] / "theory" / "data"


def _imported_after(module: str) -> set[str]:
    code = (
        "import sys\n"
        f"import {module}\n"
        "print('\\n'.join(sorted(m for m in sys.modules if m.startswith('powerbalance'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


@pytest.mark.parametrize(
    "module", ["powerbalance.datasets.edgelist", "powerbalance.datasets.bargaining_tables"]
)
def test_the_readers_import_no_higher_layer(module: str) -> None:
    loaded = _imported_after(module)
    assert module in loaded
    higher = ("frames", "indicators", "relations", "theory", "scenarios", "interfaces")
    assert not [m for m in loaded if m.split(".")[1:2] and m.split(".")[1] in higher]


def test_vote_measures_are_a_public_indicator_module() -> None:
    loaded = _imported_after("powerbalance.indicators.alignment")
    assert "powerbalance.indicators.votes" in loaded
    assert not [m for m in loaded if m.startswith("powerbalance.frames")]
    from powerbalance.frames import verbs
    from powerbalance.indicators import votes

    assert verbs.vote_measures_for_rows is votes.vote_measures_for_rows
    with pytest.raises(ModuleNotFoundError):
        __import__("powerbalance.frames._votes")


def test_edge_list_reader_returns_plain_arrays_theory_builds_the_graph() -> None:
    from powerbalance.datasets.edgelist import EdgeListError, SignedEdges, read_edge_list
    from powerbalance.theory import signed

    groups = read_edge_list(DATA / "gahuku_gama.csv")
    edges = groups[()]
    assert isinstance(edges, SignedEdges) and edges.name == "gahuku_gama"
    assert (len(edges.nodes), len(edges.u), int(np.count_nonzero(edges.sign < 0))) == (16, 58, 29)
    g = signed.signed_graphs(groups)[()]
    assert isinstance(g, signed.SignedGraph)
    assert (g.n, g.m, g.n_negative) == (16, 58, 29)
    assert signed.EdgeListError is EdgeListError
    assert not hasattr(signed, "read_edge_list")


def test_balance_reports_take_graphs(tmp_path: Path) -> None:
    from powerbalance.datasets.edgelist import read_edge_list
    from powerbalance.theory import balance
    from powerbalance.theory.signed import signed_graphs

    p = tmp_path / "e.csv"
    p.write_text("year,source,target,sign\n1,a,b,+\n1,b,c,+\n1,a,c,-\n2,a,b,-\n")
    reports = balance.balance_reports(signed_graphs(read_edge_list(p, group="year")), group="year")
    assert [(r.group, r.frustration.value) for r in reports] == [
        ({"year": "1"}, 1.0),
        ({"year": "2"}, 0.0),
    ]
    assert not hasattr(balance, "balance_edge_list")


def test_actor_table_reader_returns_plain_data_theory_checks_it(tmp_path: Path) -> None:
    from powerbalance.datasets import bargaining_tables as files
    from powerbalance.theory.bargaining import ActorTable, ActorTableError, Dimension, read_table

    p = tmp_path / "t.csv"
    p.write_text("# scale: 0,100\nactor,capability,position,salience\nA,1,20,50\nB,2,80,40\n")
    data = files.read_table(p)
    assert isinstance(data, files.ActorTableData) and not isinstance(data, ActorTable)
    table = ActorTable.from_data(data)
    assert table.actors == ("A", "B") and table.position[:, 0].tolist() == [20.0, 80.0]
    assert read_table(p).actors == table.actors
    assert Dimension is files.Dimension and ActorTableError is files.ActorTableError
    # the checks of the whole table stay in theory, with the same message
    p.write_text("actor,capability,position,salience\nA,1,20,50\nA,2,80,40\n")
    with pytest.raises(ActorTableError, match="duplicate actor"):
        read_table(p)
    err = pickle.loads(pickle.dumps(ActorTableError("t.csv", "bad", record="line 2")))
    assert "line 2" in str(err)
