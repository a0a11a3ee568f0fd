"""Actor-table readers: own CSV, KTAB CSV, YAML; bad input names row and column."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from powerbalance.errors import UserError
from powerbalance.theory.bargaining import (
    ActorTableError,
    BargainingOptionError,
    read_csv_table,
    read_ktab_csv,
    read_table,
    read_yaml_table,
)

GOOD = "actor,description,capability,position,salience\nA,Alpha,10,20,50\nB,Beta,5,80,40\nC,Gamma,3,50,90\n"


def test_own_csv_one_dimension() -> None:
    t = read_csv_table("t.csv", text=GOOD)
    assert t.actors == ("A", "B", "C")
    assert t.descriptions[1] == "Beta"
    np.testing.assert_array_equal(t.capability, [10, 5, 3])
    assert t.position.shape == (3, 1) and t.salience[2, 0] == 90


def test_own_csv_several_dimensions() -> None:
    text = "actor,capability,position:trade,salience:trade,position:war,salience:war\nA,1,10,20,30,40\nB,2,90,50,70,30\n"
    t = read_csv_table("t.csv", text=text)
    assert [d.id for d in t.dimensions] == ["trade", "war"]
    np.testing.assert_array_equal(t.position, [[10, 30], [90, 70]])


def test_bdm_synonyms(tmp_path: Path) -> None:
    p = tmp_path / "china.csv"
    p.write_text("Stakeholder,Resources,Position,Salience\nA,80,25,50\nB,90,15,80\n")
    t = read_table(p)
    assert t.actors == ("A", "B") and t.capability.tolist() == [80.0, 90.0]


@pytest.mark.parametrize(
    ("text", "line", "field"),
    [
        ("actor,capability,position,salience\nA,1,20,50\nB,2,80,140\n", "line 3", "salience"),
        ("actor,capability,position,salience\nA,1,20,-5\nB,2,80,40\n", "line 2", "salience"),
        ("actor,capability,position,salience\nA,1,20,50\nB,2,eighty,40\n", "line 3", "position"),
        ("actor,capability,position,salience\nA,1,20,50\nA,2,80,40\n", "line 3", "actor"),
        ("actor,capability,position,salience\nA,0,20,50\nB,2,80,40\n", "line 2", "capability"),
        ("actor,capability,salience\nA,1,50\nB,2,40\n", "line 1", None),
        ("actor,position,salience\nA,20,50\nB,80,40\n", "line 1", None),
        ("actor,capability,position,salience\nA,1,20\nB,2,80,40\n", "line 2", None),
    ],
)
def test_bad_rows_name_line_and_column(text: str, line: str, field: str | None) -> None:
    with pytest.raises(ActorTableError) as info:
        read_csv_table("bad.csv", text=text)
    err = info.value
    assert isinstance(err, UserError)
    assert err.record == line
    assert "bad.csv" in str(err)
    if field:
        assert err.field == field


def test_missing_column_message_says_which() -> None:
    with pytest.raises(ActorTableError, match="missing column 'capability'"):
        read_csv_table("x.csv", text="actor,position,salience\nA,1,2\nB,3,4\n")


KTAB = (
    "Scen,desc,3,2,\n"
    "Actor,Description,Influence,P Position,P Salience,C Position,C Salience,\n"
    "A,Alpha,100,30,24,20,48,\nB,Beta,60.2,45,44.7,65,41.3,\nC,Gamma,35,30,28.9,15,65.1,\n"
)


def test_ktab_csv() -> None:
    t = read_ktab_csv("k.csv", text=KTAB)
    assert [d.name for d in t.dimensions] == ["P Position", "C Position"]
    assert t.name == "Scen" and t.descriptions[0] == "Alpha"
    np.testing.assert_allclose(t.salience[1], [44.7, 41.3])


def test_ktab_detected_by_read_table(tmp_path: Path) -> None:
    p = tmp_path / "k.csv"
    p.write_text(KTAB)
    assert read_table(p).n_dims == 2


@pytest.mark.parametrize(
    ("bad", "needle"),
    [
        (KTAB.replace("Scen,desc,3,2", "Scen,desc,4,2"), "announces 4 actors"),
        (KTAB.replace("B,Beta,60.2,45,44.7", "B,Beta,60.2,45,74.7"), "sum to"),
        (KTAB.replace("C,Gamma,35", "C,Gamma,x"), "not a number"),
        (KTAB.replace("C,Gamma", "A,Gamma"), "duplicate actor"),
    ],
)
def test_ktab_bad_input(bad: str, needle: str) -> None:
    with pytest.raises(ActorTableError, match=needle):
        read_ktab_csv("k.csv", text=bad)


YAML = """
name: demo
dimensions:
  - {id: x, name: X, low_label: left, high_label: right}
actors:
  - id: a
    capability: {value: 10, range: [5, 15], why: big, ref: st.a}
    position: {value: 20, why: left-ish, ref: st.b}
    salience: 60
  - {id: b, capability: 5, position: 80, salience: 40}
"""


def test_yaml_judgements() -> None:
    t = read_yaml_table("d.yaml", text=YAML)
    assert t.name == "demo" and t.dimensions[0].high_label == "right"
    j = t.judgements[("a", "capability", None)]
    assert (j.low, j.high, j.ref) == (5.0, 15.0, "st.a")
    assert ("a", "position", "x") in t.judgements


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("salience: 60", "salience: 160", "salience"),
        ("why: left-ish, ref: st.b", "why: left-ish", "'ref'"),
        ("range: [5, 15]", "range: [12, 15]", "outside its range"),
        ("position: 80", "position: eighty", "not a number"),
        ("{id: b,", "{id: a,", "duplicate"),
    ],
)
def test_yaml_bad_input(old: str, new: str, needle: str) -> None:
    with pytest.raises(ActorTableError, match=needle):
        read_yaml_table("d.yaml", text=YAML.replace(old, new))


def test_overrides_and_their_errors() -> None:
    t = read_csv_table("t.csv", text=GOOD)
    u = t.with_overrides(["A.position=60", "C.capability=7", "B.salience=10"])
    assert u.position[0, 0] == 60 and u.capability[2] == 7 and u.salience[1, 0] == 10
    assert t.position[0, 0] == 20  # the original is untouched
    for bad in ["A.position=160", "Z.position=1", "A.colour=3", "A.position=high", "position=3"]:
        with pytest.raises(BargainingOptionError):
            t.with_overrides([bad])


def test_missing_file_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(ActorTableError, match="no such file"):
        read_table(tmp_path / "nope.csv")
