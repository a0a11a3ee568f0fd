"""The data, dyads and verify commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from powerbalance.interfaces.cli.main import main

NMC = (
    "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version\n"
    '"USA",2,2000,300,1.4,100,2000,280,220,0.6,2021\n'
    '"RUS",365,2000,50,1.0,60,600,146,106,0.4,2021\n'
)


def run(capsys, *args: str) -> tuple[int, str, str]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.mark.parametrize(
    "command",
    [
        ["data"],
        ["data", "add"],
        ["data", "list"],
        ["data", "info"],
        ["data", "remove"],
        ["dyads"],
        ["verify"],
    ],
)
def test_every_command_has_help(capsys, command):
    rc, out, _ = run(capsys, *command, "--help")
    assert rc == 0
    assert len(out.strip()) > 40


def test_data_add_list_info_remove(capsys, store_path, tmp_path):
    nmc = tmp_path / "NMC-60-abridged.csv"
    nmc.write_text(NMC)
    rc, out, _ = run(capsys, "data", "add", "cow-nmc", str(nmc), "--json")
    assert rc == 0
    added = json.loads(out)
    assert added["rows"] == 2 and added["coverage"] == [2000, 2000] and len(added["sha256"]) == 64
    rc, out, _ = run(capsys, "data", "list", "--json")
    listed = {d["id"]: d for d in json.loads(out)}
    assert listed["cow-nmc"]["registered"] == str(nmc.resolve())
    assert listed["sipri-register"]["registered"] is None
    rc, out, _ = run(capsys, "data", "info", "cow-nmc", "--json")
    info = json.loads(out)
    assert info["registration"]["path"] == str(nmc.resolve())
    assert info["citation"].startswith("@")
    rc, out, _ = run(capsys, "data", "info", "sipri-register")
    assert rc == 0 and "armstransfers.sipri.org" in out and "registered: no" in out
    rc, out, _ = run(capsys, "data", "remove", "cow-nmc")
    assert rc == 0 and "removed" in out


def test_data_add_wrong_file_is_a_user_error(capsys, store_path, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("ccode,year,imports,exports\n2,2000,1,1\n")
    rc, _, err = run(capsys, "data", "add", "cow-nmc", str(bad))
    assert rc == 2
    assert "expected columns" in err and "found" in err
    rc, out, _ = run(capsys, "data", "list", "--json")
    assert all(d["registered"] is None for d in json.loads(out))  # nothing half-written
    rc, _, err = run(capsys, "data", "add", "no-such-set", str(bad))
    assert rc == 2 and "data list" in err


def test_verify_json_without_data(capsys, store_path):
    rc, out, _ = run(capsys, "verify", "--json")
    assert rc == 0
    report = json.loads(out)
    assert report["summary"]["verified"] == 0
    assert all(r["status"] == "unverifiable" for r in report["results"])


@pytest.mark.shared_data
def test_verify_confirms_sipri_claims(capsys, store_path, shared_file):
    register = shared_file("sipri/sipri_trade_register_deliveries_1995_2025.csv")
    assert run(capsys, "data", "add", "sipri-register", str(register))[0] == 0
    rc, out, _ = run(capsys, "verify", "--json", "--status", "verified")
    ids = {r["claim"] for r in json.loads(out)["results"]}
    assert ids == {"econ.arms.chn_imports_change", "econ.arms.chn_top_supplier"}
    rc, out, _ = run(capsys, "verify")
    assert rc == 0 and "verified" in out


def _toy_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    (d / "NMC-60-abridged.csv").write_text(NMC)
    return d


def test_dyads_csv_and_json(capsys, store_path, tmp_path):
    d = _toy_dir(tmp_path)
    rc, out, _ = run(
        capsys,
        "dyads",
        "--states",
        "USA,RUS",
        "--add",
        "capabilities",
        "--data-dir",
        str(d),
        "--csv",
    )
    assert rc == 0
    lines = out.strip().splitlines()
    assert lines[0].startswith("ccode1,ccode2,iso3_1,iso3_2,year")
    assert len(lines) == 3
    rc, out, _ = run(
        capsys,
        "dyads",
        "--states",
        "USA,RUS",
        "--add",
        "capabilities",
        "--data-dir",
        str(d),
        "--json",
    )
    report = json.loads(out)
    assert len(report["rows"]) == 2 and report["rows"][0]["cinc1"] == 0.6
    rc, out, _ = run(capsys, "dyads", "--states", "USA,RUS", "--data-dir", str(d))
    assert rc == 0 and "USA" in out


def test_dyads_errors(capsys, store_path, tmp_path):
    d = _toy_dir(tmp_path)
    rc, _, err = run(capsys, "dyads", "--add", "nonsense", "--data-dir", str(d))
    assert rc == 2 and "unknown verb" in err
    rc, _, err = run(capsys, "dyads", "--add", "trade", "--data-dir", str(d))
    assert rc == 2 and "cow-trade-dyadic" in err and "data add" in err
    rc, _, err = run(capsys, "dyads", "--states", "ATLANTIS", "--data-dir", str(d))
    assert rc == 2 and "ATLANTIS" in err


@pytest.mark.shared_data
@pytest.mark.slow
def test_dyads_triangle_with_every_source(capsys, store_path, shared_data):
    rc, out, err = run(
        capsys,
        "dyads",
        "--states",
        "USA,CHN,RUS",
        "--from",
        "1990",
        "--to",
        "2014",
        "--add",
        "capabilities,trade,arms,un_alignment,ideal_points",
        "--data-dir",
        str(shared_data),
        "--json",
    )
    assert rc == 0, err
    rows = json.loads(out)["rows"]
    assert len(rows) == 6 * 25
    # arms deliveries come from the 1995-2025 register: 1990-94 missing, with a warning
    assert "sipri-register covers 1995-2024" in err
    early = [r for r in rows if r["year"] < 1995]
    assert all(r["tiv_1to2"] is None for r in early)
    rus_chn_2010 = next(
        r for r in rows if (r["iso3_1"], r["iso3_2"], r["year"]) == ("RUS", "CHN", 2010)
    )
    assert rus_chn_2010["tiv_1to2"] > 0 and rus_chn_2010["un_s"] > 0.5
