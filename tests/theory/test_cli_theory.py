"""The ``balance`` and ``triangle`` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from powerbalance.interfaces.cli.main import main

DATA = Path(__file__).parent / "data"


def run_json(capsys: pytest.CaptureFixture[str], args: list[str]) -> object:
    rc = main(args)
    out = capsys.readouterr().out
    assert rc == 0, out
    return json.loads(out)


def test_balance_json_on_gahuku_gama(capsys) -> None:
    result = run_json(capsys, ["balance", str(DATA / "gahuku_gama.csv"), "--json"])
    assert isinstance(result, list) and len(result) == 1
    g = result[0]
    assert g["frustration_index"] == 7 and g["status"] == "optimal" and g["bound"] == 7
    assert (g["nodes"], g["edges"], g["negative_edges"]) == (16, 58, 29)
    assert g["triad_census"] == {"+++": 19, "++-": 2, "+--": 40, "---": 7}
    assert g["triangle_index"] == pytest.approx(0.8676471, abs=5e-8)
    assert g["walk_index"] == pytest.approx(0.3575761, abs=5e-8)
    assert g["normalised_frustration"] == pytest.approx(0.7586207, abs=5e-8)
    assert sorted(map(len, g["partition"])) == [4, 12]
    assert len(g["frustrated_edges"]) == 7


def test_balance_table_and_groups(tmp_path: Path, capsys) -> None:
    p = tmp_path / "edges.csv"
    p.write_text(
        "year,source,target,sign\n2000,a,b,+\n2000,b,c,+\n2000,a,c,-\n2001,a,b,-\n",
        encoding="utf-8",
    )
    rc = main(["balance", str(p), "--group", "year"])
    out = capsys.readouterr().out
    assert rc == 0
    assert "year=2000" in out and "year=2001" in out and "optimal" in out
    result = run_json(capsys, ["balance", str(p), "-g", "year", "--json", "--time-limit", "30"])
    assert [g["group"] for g in result] == [{"year": "2000"}, {"year": "2001"}]
    assert [g["frustration_index"] for g in result] == [1, 0]
    assert result[1]["triangle_index"] is None  # no triangle: missing, not zero


def test_balance_bad_line_exits_2(tmp_path: Path, capsys) -> None:
    p = tmp_path / "bad.csv"
    p.write_text("source,target,sign\na,b,+\nb,b,-\n", encoding="utf-8")
    assert main(["balance", str(p)]) == 2
    err = capsys.readouterr().err
    assert "line 3" in err and "self-loop" in err


def test_triangle_json(store_path: Path, capsys) -> None:
    result = run_json(capsys, ["triangle", "--json"])
    assert result["configuration"] == "stable marriage"
    assert result["roles"] == {"USA": "outcast", "RUS": "partner", "CHN": "partner"}
    turned = run_json(capsys, ["triangle", "--set", "US-RU=+", "--json"])
    assert turned["configuration"] == "romantic triangle"
    assert turned["roles"]["RUS"] == "pivot" and turned["scores"]["RUS"] == 3
    assert turned["overrides"] == {"USA-RUS": 1}
    assert turned["dynamics"]["first_flip"] is not None
    assert len(turned["moves"]) == 6


def test_triangle_text_and_bad_set(store_path: Path, capsys) -> None:
    assert main(["triangle", "--set", "USA-RUS=+", "--weighted"]) == 0
    out = capsys.readouterr().out
    assert "romantic triangle" in out and "pivot" in out and "arithmetic" in out
    assert main(["triangle", "--set", "USA-RUZ=+"]) == 2
    assert "unknown actor 'RUZ'" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["balance", "triangle"])
def test_help(command: str, capsys) -> None:
    assert main([command, "--help"]) == 0
    assert "--json" in capsys.readouterr().out


def test_balance_weighted(tmp_path: Path, capsys) -> None:
    p = tmp_path / "w.csv"
    # Unbalanced triangle: the light tie (weight 0.5) is the one to frustrate.
    p.write_text("source,target,sign,weight\na,b,+,3\nb,c,+,0.5\na,c,-,2\n", encoding="utf-8")
    (g,) = run_json(capsys, ["balance", str(p), "--weighted", "--json"])
    assert g["frustration_index"] == 0.5 and g["weighted"] is True
    assert g["frustrated_edges"] == [["b", "c", 1, 0.5]]
    assert g["normalised_frustration"] == pytest.approx(1 - 0.5 / (5.5 / 2))
    (u,) = run_json(capsys, ["balance", str(p), "--json"])
    assert u["frustration_index"] == 1
