"""Synthetic exports and the ``powerbalance events`` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from powerbalance.datasets.gdelt import check_row, detect_version
from powerbalance.datasets.gdelt_synth import synthesize
from powerbalance.errors import UserError
from powerbalance.interfaces.cli.main import main


def test_same_seed_same_bytes(tmp_path: Path):
    a = synthesize(tmp_path / "a.export.CSV", rows=500, seed=42, malformed=3)
    b = synthesize(tmp_path / "b.export.CSV", rows=500, seed=42, malformed=3)
    c = synthesize(tmp_path / "c.export.CSV", rows=500, seed=43)
    assert a.path.read_bytes() == b.path.read_bytes() != c.path.read_bytes()
    assert a.malformed_lines == b.malformed_lines


@pytest.mark.parametrize("version", [1, 2])
def test_rows_are_well_formed_except_the_planted_ones(tmp_path: Path, version: int):
    s = synthesize(tmp_path / "x.export.CSV", rows=2000, version=version, seed=1, malformed=8)
    bad = []
    widths = set()
    with s.path.open() as fh:
        for i, line in enumerate(fh, start=1):
            fields = line.rstrip("\n").split("\t")
            widths.add(len(fields))
            if check_row(fields, version):
                bad.append(i)
    assert bad == s.malformed_lines
    assert detect_version(s.path)[0].version == version
    assert ({57, 58} if version == 1 else {61}) <= widths
    assert '"' in s.path.read_text()  # stray quotes inside fields, as in real exports


def test_synth_refuses_bad_options(tmp_path: Path):
    with pytest.raises(UserError):
        synthesize(tmp_path / "x", rows=10, version=3)
    with pytest.raises(UserError):
        synthesize(tmp_path / "x", rows=0)
    with pytest.raises(UserError):
        synthesize(tmp_path / "x", rows=5, malformed=6)


def test_every_events_command_has_help(capsys):
    for cmd in ("ingest", "aggregate", "synth", "relate"):
        assert main(["events", cmd, "--help"]) == 0
        out = capsys.readouterr().out
        assert "Usage" in out and len(out) > 200


def test_cli_synth_ingest_aggregate_relate(tmp_path: Path, capsys):
    f = tmp_path / "s.export.CSV"
    assert main(["events", "synth", str(f), "--rows", "3000", "--malformed", "2", "--json"]) == 0
    synth = json.loads(capsys.readouterr().out)
    assert synth["rows"] == 3000 and len(synth["malformed_lines"]) == 2

    assert main(["events", "ingest", str(f), "--out", str(tmp_path / "cache"), "--json"]) == 0
    ing = json.loads(capsys.readouterr().out)
    assert ing["rows_written"] == 2998 and ing["rows_rejected"] == 2

    out = tmp_path / "series.parquet"
    rc = main(
        ["events", "aggregate", str(tmp_path / "cache"), "--freq", "year", "--countries",
         "USA,CHN,RUS", "--out", str(out), "--json"]
    )  # fmt: skip
    assert rc == 0
    agg = json.loads(capsys.readouterr().out)
    assert agg["summary"]["rows_read"] == 2998 and agg["summary"]["files"] == 1
    assert {(r["actor1"], r["actor2"]) for r in agg["series"]} <= {
        ("CHN", "RUS"),
        ("CHN", "USA"),
        ("RUS", "USA"),
    }
    assert all(r["period"].endswith("-01-01") for r in agg["series"])

    assert main(["events", "relate", str(out), "--min-events", "5", "--json"]) == 0
    rels = json.loads(capsys.readouterr().out)
    assert [r["channel"] for r in rels] == ["events"] * 3

    assert main(["events", "aggregate", str(f)]) == 0
    text = capsys.readouterr().out
    assert "rows read: 3,000" in text and "rows rejected: 2" in text
    assert f"s.export.CSV:{synth['malformed_lines'][0]}:" in text.replace("\n", "")


def test_cli_errors_exit_2(tmp_path: Path, capsys):
    f = tmp_path / "s.export.CSV"
    synthesize(f, rows=500, malformed=1, seed=2)
    assert main(["events", "aggregate", str(f), "--strict"]) == 2
    assert "s.export.CSV:" in capsys.readouterr().err
    assert main(["events", "aggregate", str(tmp_path / "none.CSV")]) == 2
    assert main(["events", "aggregate", str(f), "--freq", "decade"]) == 2
    assert main(["events", "aggregate", str(f), "--engine", "polars"]) == 2
    assert main(["events", "aggregate", str(f), "--reader", "pandas"]) == 2
    assert main(["events", "synth", str(tmp_path / "x.CSV"), "--version", "3"]) == 2
    capsys.readouterr()
    assert main(["events", "aggregate", str(f), "--countries", "USA,ZZZ"]) == 0
    assert "no dyad events matched" in capsys.readouterr().out


def test_cli_reader_choice_gives_the_same_series(tmp_path: Path, capsys):
    pytest.importorskip("numba")
    f = tmp_path / "r.export.CSV"
    synthesize(f, rows=2000, malformed=3, seed=4)
    runs = {}
    for reader in ("auto", "duckdb"):
        assert (
            main(["events", "aggregate", str(f), "--reader", reader, "--threads", "2", "--json"])
            == 0
        )
        runs[reader] = json.loads(capsys.readouterr().out)
    assert len(runs["auto"]["series"]) == len(runs["duckdb"]["series"]) > 0
    for a, b in zip(runs["auto"]["series"], runs["duckdb"]["series"], strict=True):
        assert a.keys() == b.keys()
        for k, v in a.items():
            if isinstance(v, float) and v != v:  # NaN (a mean over no values)
                assert b[k] != b[k], k
            else:  # sums are exact: the same doubles, bit for bit
                assert v == b[k], k
    auto, duck = runs["auto"]["summary"], runs["duckdb"]["summary"]
    assert auto["rows_scanned"] == 2000 - 3 and duck["rows_scanned"] == 0
    for key in ("rows_read", "rows_valid", "rows_used", "rows_rejected", "reject_samples"):
        assert auto[key] == duck[key], key
    assert main(["events", "aggregate", str(f)]) == 0
    assert "compiled scanner: 1,997 rows" in capsys.readouterr().out
