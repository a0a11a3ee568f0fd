"""The position scale: read when declared, inferred (and said so) otherwise, --scale to declare it.

The European Community example is on a 4–10 scale: the spatial model forecasts
5.97 on it, 8.02 when the positions are read on 0–100.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from powerbalance.app.bargaining import forecast as bargain
from powerbalance.interfaces.cli.main import main
from powerbalance.theory.bargaining import (
    ActorTableError,
    BargainingOptionError,
    parse_scale,
    read_csv_table,
    read_ktab_csv,
    read_table,
    read_yaml_table,
)

EC = "bargaining/bdm_ExampleActors.csv"
HEAD = "actor,capability,position,salience\n"
UNIT = HEAD + "A,3,0.2,50\nB,2,0.9,40\nC,1,0.5,60\n"


def test_unit_scale_is_inferred_and_said() -> None:
    t = read_csv_table("u.csv", text=UNIT)
    d = t.dimensions[0]
    assert (d.low, d.high, d.scale_source) == (0.0, 1.0, "inferred")
    assert len(t.notes) == 1 and "positions read on 0–1" in t.notes[0]
    assert "--scale MIN,MAX" in t.notes[0]


@pytest.mark.parametrize(
    ("positions", "scale"),
    [((0.2, 0.9), (0, 1)), ((4, 10), (0, 10)), ((20, 80), (0, 100)), ((-5, 120), (-5, 120))],
)
def test_inferred_scale_is_the_smallest_nominal_one(positions, scale) -> None:
    a, b = positions
    t = read_csv_table("t.csv", text=HEAD + f"A,1,{a},50\nB,1,{b},50\n")
    assert (t.dimensions[0].low, t.dimensions[0].high) == scale


def test_declared_scale_line_is_read_and_positions_checked() -> None:
    t = read_csv_table("d.csv", text="# scale: 0,100\n" + UNIT)
    assert (t.dimensions[0].low, t.dimensions[0].high, t.notes) == (0.0, 100.0, ())
    with pytest.raises(ActorTableError) as info:
        read_csv_table("d.csv", text="# scale: 0,1\n" + HEAD + "A,3,0.2,50\nB,2,1.5,40\n")
    assert info.value.record == "line 4" and info.value.field == "position"
    with pytest.raises(ActorTableError) as info:
        read_csv_table("d.csv", text="# scale: 1,0\n" + UNIT)
    assert info.value.record == "line 1" and info.value.field == "scale"


def test_per_dimension_scale_lines() -> None:
    text = (
        "# scale trade: 0,1\n# scale: 0,10\n"
        "actor,capability,position:trade,salience:trade,position:war,salience:war\n"
        "A,1,0.1,20,3,40\nB,2,0.9,50,7,30\n"
    )
    t = read_csv_table("m.csv", text=text)
    assert [(d.low, d.high) for d in t.dimensions] == [(0.0, 1.0), (0.0, 10.0)]


def test_option_scale_and_conflicts() -> None:
    t = read_csv_table("u.csv", text=UNIT, scale=(0, 100))
    assert (t.dimensions[0].high, t.dimensions[0].scale_source, t.notes) == (100.0, "option", ())
    with pytest.raises(ActorTableError, match="declares the scale 0–1 but the scale option"):
        read_csv_table("u.csv", text="# scale: 0,1\n" + UNIT, scale=(0, 100))
    with pytest.raises(ActorTableError) as info:
        read_csv_table("u.csv", text=UNIT, scale=(0.3, 1))
    assert info.value.record == "line 2" and "outside the scale 0.3–1" in str(info.value)


def test_yaml_scale_key_and_inference() -> None:
    actors = (
        "actors:\n  - {id: a, capability: 1, position: 0.2, salience: 50}\n"
        "  - {id: b, capability: 1, position: 0.7, salience: 50}\n"
    )
    t = read_yaml_table("t.yaml", text="scale: [0, 1]\ndimensions: [{id: x}]\n" + actors)
    assert (t.dimensions[0].low, t.dimensions[0].high, t.notes) == (0.0, 1.0, ())
    t = read_yaml_table("t.yaml", text="dimensions: [{id: x, scale: [0, 10]}]\n" + actors)
    assert (t.dimensions[0].high, t.dimensions[0].scale_source) == (10.0, "declared")
    t = read_yaml_table("t.yaml", text="dimensions: [{id: x}]\n" + actors)
    assert (t.dimensions[0].high, t.dimensions[0].scale_source) == (1.0, "inferred")
    assert "'scale: [MIN, MAX]'" in t.notes[0]
    with pytest.raises(ActorTableError) as info:
        read_yaml_table("t.yaml", text="dimensions: [{id: x, scale: [0, 0.5]}]\n" + actors)
    assert info.value.record == "line 4, actor 'b'" and info.value.field == "position:x"


def test_ktab_reads_0_100_unless_told() -> None:
    text = "S,d,2,1,\nActor,Description,Influence,P Position,P Salience,\nA,a,10,0.2,50,\nB,b,5,0.7,40,\n"
    assert read_ktab_csv("k.csv", text=text).dimensions[0].high == 100.0
    t = read_ktab_csv("k.csv", text=text, scale=(0, 1))
    assert (t.dimensions[0].high, t.dimensions[0].scale_source) == (1.0, "option")
    with pytest.raises(ActorTableError) as info:
        read_ktab_csv("k.csv", text=text, scale=(0, 0.5))
    assert info.value.record == "line 4" and info.value.field == "P Position"


def test_parse_scale() -> None:
    assert parse_scale(" 4 , 10 ") == (4.0, 10.0)
    for bad in ("1", "1,0", "a,b", "0,inf", "0,1,2"):
        with pytest.raises(BargainingOptionError, match="MIN,MAX"):
            parse_scale(bad)


def test_bundled_sets_refuse_another_scale() -> None:
    with pytest.raises(BargainingOptionError, match="declares the scale 0–100"):
        bargain("us-russia", model="median", scale=(0, 1))
    assert bargain("us-russia", model="median", scale=(0, 100)).notes == []


@pytest.mark.shared_data
def test_ec_example_forecast_depends_on_the_declared_scale(shared_file) -> None:
    path = shared_file(EC)
    declared = bargain(read_table(path, scale=(4, 10)), model="pce")
    assert round(float(declared.forecast[0]), 2) == 5.97
    old = bargain(read_table(path, scale=(0, 100)), model="pce")
    assert round(float(old.forecast[0]), 2) == 8.02
    inferred = bargain(path)
    assert inferred.table.dimensions[0].high == 10.0 and inferred.notes


@pytest.mark.shared_data
def test_cli_says_the_scale_is_inferred_and_takes_scale(
    shared_file, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    path = str(shared_file(EC))
    store = ["--store", str(tmp_path / "s.duckdb")]
    assert main([*store, "bargain", path]) == 0
    out = capsys.readouterr().out
    assert "note: positions read on 0–10" in out and "--scale MIN,MAX" in out
    assert main([*store, "bargain", path, "-m", "pce", "--scale", "4,10", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["notes"] == [] and data["dimensions"][0]["scale_source"] == "option"
    assert round(data["forecast"][0], 2) == 5.97
    assert main([*store, "bargain", path, "--scale", "5,10"]) == 2
    err = capsys.readouterr().err
    assert "line 2, field 'Position'" in err and "outside the scale 5–10" in err
    assert main([*store, "bargain", path, "--scale", "ten"]) == 2
    assert "--scale must be MIN,MAX" in capsys.readouterr().err


def test_cli_json_note_for_unit_table(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    f = tmp_path / "unit.csv"
    f.write_text(UNIT)
    assert main(["--store", str(tmp_path / "s.duckdb"), "bargain", str(f), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["dimensions"][0]["high"] == 1.0
    assert data["notes"] and data["notes"][0].startswith("positions read on 0–1")
