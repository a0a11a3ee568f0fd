"""The ``powerbalance bargain`` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from powerbalance.interfaces.cli.main import app, main


def test_help_text() -> None:
    res = CliRunner().invoke(app, ["bargain", "--help"])
    assert res.exit_code == 0
    assert "baselines" in res.output and "--runs" in res.output


@pytest.mark.slow
def test_json_with_sensitivity_and_plot(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    png = tmp_path / "path.png"
    rc = main(
        [
            "bargain",
            "russia-alignment",
            "--model",
            "pce",
            "--runs",
            "3",
            "--seed",
            "2",
            "--json",
            "--plot",
            str(png),
        ]
    )
    assert rc in (0, None)
    out = json.loads(capsys.readouterr().out)
    assert out["model"] == "pce" and out["sensitivity"]["runs"] == 3
    assert set(out["baselines"]) == {"weighted_mean", "weighted_median"}
    assert png.stat().st_size > 1000 and png.read_bytes()[:4] == b"\x89PNG"
    assert len(out["path"]["putin"]) == out["rounds"] + 1


def test_table_output_and_overrides(capsys: pytest.CaptureFixture) -> None:
    rc = main(["bargain", "us-russia", "-m", "median", "--set", "trump.salience=10"])
    assert rc in (0, None)
    text = capsys.readouterr().out
    assert "weighted mean" in text and "trump" in text


def test_ktab_file_runs(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    f = tmp_path / "k.csv"
    f.write_text(
        "S,d,3,1,\nActor,Description,Influence,P Position,P Salience,\nA,a,10,20,50,\nB,b,5,70,40,\nC,c,8,45,60,\n"
    )
    assert main(["bargain", str(f), "--json"]) in (0, None)
    assert json.loads(capsys.readouterr().out)["dimensions"][0]["name"] == "P Position"


@pytest.mark.parametrize(
    "args",
    [
        ["bargain", "no-such-set"],
        ["bargain", "us-russia", "--model", "oracle"],
        ["bargain", "us-russia", "--set", "trump.position=150"],
        ["bargain", "us-russia", "--victory", "cubic"],
        ["bargain", "us-russia", "--runs", "-1"],
    ],
)
def test_user_errors_exit_2(args: list[str], capsys: pytest.CaptureFixture) -> None:
    assert main(args) == 2
    assert "error" in capsys.readouterr().err


def test_bad_file_names_line_and_column(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    f = tmp_path / "t.csv"
    f.write_text("actor,capability,position,salience\nA,1,20,50\nB,2,80,400\n")
    assert main(["bargain", str(f)]) == 2
    err = capsys.readouterr().err
    assert "line 3" in err and "salience" in err
