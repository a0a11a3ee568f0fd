"""The scenario commands: help text, JSON output, exit code 2 on bad input, plots."""

from __future__ import annotations

import json

import pytest

from powerbalance.interfaces.cli.main import main

COMMANDS = ["run", "list", "show", "compare", "replay", "parameters"]


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory):
    """One store for the module: creating a store fills it from the corpus, which takes seconds."""
    path = tmp_path_factory.mktemp("scenario-cli") / "store.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("POWERBALANCE_STORE", str(path))
        mp.setenv("POWERBALANCE_STORE_TIMEOUT", "0.5")
        yield path


def stored_runs(path) -> int:
    from powerbalance.evidence.store import open_store

    with open_store(path) as s:
        return s.row_count("runs")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, capsys) -> None:
    assert main(["scenario", command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "Usage" in out and len(out) > 100


def run_json(capsys, *args: str) -> object:
    rc = main(list(args))
    captured = capsys.readouterr()
    assert rc == 0, captured.err
    return json.loads(captured.out)


def test_run_list_show_compare_replay(shared_store, capsys, tmp_path) -> None:
    a = run_json(
        capsys,
        "scenario",
        "run",
        "reverse-kissinger",
        "--draws",
        "800",
        "--model-draws",
        "15",
        "--json",
    )
    b = run_json(
        capsys, "scenario", "run", "secondary-sanctions", "-n", "800", "--seed", "3", "--json"
    )
    assert a["draws"] == 800 and a["seed"] == 1972 and b["seed"] == 3
    assert a["model_draws"] == 15 and b["model_draws"] == 0
    assert a["summary"]["bargaining"]["pce"]["draws"] == 15
    assert a["anchors"]["evidence"]["share_rus_chn"] == "econ.trade.chn_share_of_rus_2024"
    listed = run_json(capsys, "scenario", "list", "--json")
    assert {a["id"], b["id"]} <= {r["id"] for r in listed}
    assert listed[0]["id"] == b["id"]  # newest first
    shown = run_json(
        capsys, "scenario", "show", a["id"], "--json", "--plot", str(tmp_path), "--format", "svg"
    )
    assert shown["summary"]["configuration"] == a["summary"]["configuration"]
    assert shown["summary"]["bargaining"]["pce"] == a["summary"]["bargaining"]["pce"]
    assert shown["model_draws"] == 15
    assert shown["plots"] and all(p.endswith(".svg") for p in shown["plots"])
    assert (
        (tmp_path / "reverse-kissinger-configurations.svg").read_text().lstrip().startswith("<?xml")
    )
    table = run_json(capsys, "scenario", "compare", a["id"], b["id"], "--json")
    assert table["a"]["id"] == a["id"] and table["rows"]
    replayed = run_json(capsys, "scenario", "replay", a["id"], "--json")
    assert replayed["identical"] and replayed["digest"] == a["digest"]
    # the human tables print too
    assert main(["scenario", "show", a["id"]]) == 0
    shown_text = capsys.readouterr().out
    assert "Triangle configuration" in shown_text
    assert "Bargaining models on 15 of the draws" in shown_text and "pce" in shown_text
    assert main(["scenario", "compare", a["id"], b["id"]]) == 0
    compared = capsys.readouterr().out
    assert "P(romantic_triangle)" in compared and "bargaining pce, median" in compared


def test_run_writes_png_plots(shared_store, capsys, tmp_path) -> None:
    out = run_json(
        capsys, "scenario", "run", "china-cuts-oil", "-n", "500", "--json", "--plot", str(tmp_path)
    )
    assert len(out["plots"]) == 3
    assert (tmp_path / "china-cuts-oil-distributions.png").read_bytes()[:4] == b"\x89PNG"


def test_bundled_list_and_parameters(capsys) -> None:
    rows = run_json(capsys, "scenario", "list", "--bundled", "--json")
    assert len(rows) == 5 and all(r["evidence"] for r in rows)
    params = run_json(capsys, "scenario", "parameters", "--json")
    assert all(p["low"] <= p["default"] <= p["high"] and p["rationale"] for p in params)


def test_invalid_scenario_exits_2_naming_the_key(shared_store, capsys, tmp_path) -> None:
    f = tmp_path / "bad.toml"
    f.write_text(
        'name = "bad"\ntitle = "x"\n[[shock]]\nchannel = "trade"\na = "RUS"\nb = "CHN"\nop = "share"\nvalue = 140\n'
    )
    before = stored_runs(shared_store)
    assert main(["scenario", "run", str(f)]) == 2
    err = capsys.readouterr().err
    assert "bad.toml" in err and "shock[1]" in err and "value" in err
    assert stored_runs(shared_store) == before


def test_unknown_names_exit_2(shared_store, capsys) -> None:
    assert main(["scenario", "run", "no-such"]) == 2
    assert "bundled ones" in capsys.readouterr().err
    assert main(["scenario", "show", "no-such-run"]) == 2
    assert main(["scenario", "run", "china-cuts-oil", "--engine", "gpu"]) == 2
    assert (
        main(["scenario", "run", "china-cuts-oil", "-n", "10", "--plot", "x", "--format", "gif"])
        == 2
    )


def test_no_store_option_keeps_nothing(shared_store, capsys) -> None:
    before = stored_runs(shared_store)
    out = run_json(capsys, "scenario", "run", "china-cuts-oil", "-n", "100", "--no-store", "--json")
    assert out["id"] is None
    assert stored_runs(shared_store) == before
