"""`powerbalance events synth`: limits on rows and disk space, no partial files, progress.

Before, any --rows was accepted (a typo could fill the disk), a full disk or a
Ctrl-C left a partial export behind, a negative --seed or a huge --days was a
traceback, and progress was a hand-built bar shown only on a terminal.
"""

from __future__ import annotations

import json
from collections import namedtuple
from pathlib import Path

import pytest

from powerbalance.datasets import gdelt_synth
from powerbalance.datasets.gdelt_synth import NotEnoughSpace, estimated_bytes, synthesize
from powerbalance.errors import LimitExceeded
from powerbalance.interfaces.cli.main import main
from powerbalance.limits import LIMITS

Usage = namedtuple("Usage", "total used free")


def refuse(capsys, argv: list[str]) -> str:
    rc = main(argv)
    out, err = capsys.readouterr()
    assert rc == 2, out + err
    assert "Traceback" not in out + err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return " ".join(lines[0].split())


def test_rows_above_the_limit_are_refused(capsys, tmp_path: Path) -> None:
    out = tmp_path / "x.export.CSV"
    too_many = LIMITS["events.synth.rows"].maximum + 1
    msg = refuse(capsys, ["events", "synth", str(out), "--rows", str(too_many)])
    assert "--rows" in msg and "limit 'events.synth.rows'" in msg and "20,000,000" in msg
    assert not out.exists()
    with pytest.raises(LimitExceeded):
        synthesize(out, rows=too_many)


def test_not_enough_disk_space_names_both_numbers(capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(
        gdelt_synth.shutil, "disk_usage", lambda path: Usage(10**9, 10**9 - 1_000_000, 1_000_000)
    )
    out = tmp_path / "big.export.CSV"
    msg = refuse(capsys, ["events", "synth", str(out), "--rows", "100000"])
    need = estimated_bytes(100_000)
    assert f"{need:,} bytes" in msg and "1,000,000 bytes" in msg and "free" in msg, msg
    assert not out.exists()
    # A zip takes about a sixth: 100,000 rows fit in 10 MB zipped.
    monkeypatch.setattr(
        gdelt_synth.shutil, "disk_usage", lambda path: Usage(10**9, 10**9 - 10**7, 10**7)
    )
    assert main(["events", "synth", str(tmp_path / "small.zip"), "--rows", "100000"]) == 0
    with pytest.raises(NotEnoughSpace):
        synthesize(out, rows=1_000_000)


def test_an_interrupted_write_leaves_no_partial_file(tmp_path: Path) -> None:
    out = tmp_path / "cut.export.CSV"

    def interrupt(done: int, total: int) -> None:
        assert done < total  # half written
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        synthesize(out, rows=1000, chunk_rows=100, progress=interrupt)
    assert not out.exists()
    zipped = tmp_path / "cut.zip"
    with pytest.raises(KeyboardInterrupt):
        synthesize(zipped, rows=1000, chunk_rows=100, progress=interrupt)
    assert not zipped.exists()


def test_a_failed_write_is_a_user_error_and_removes_the_file(
    capsys, tmp_path: Path, monkeypatch
) -> None:
    out = tmp_path / "full.export.CSV"

    def chunk(*args, **kw):
        assert out.exists()  # the file is open when the disk fills up
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(gdelt_synth, "_chunk", chunk)
    msg = refuse(capsys, ["events", "synth", str(out), "--rows", "1000"])
    assert "No space left on device" in msg and "partial file was removed" in msg
    assert not out.exists()


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("--seed", "-1", "--seed must be 0 or more"),
        ("--days", "0", "--days must lie between 1"),
        ("--days", "999999999", "--days must lie between 1"),
        ("--start", "9999-06-01", "past the year 9999"),
        ("--rows", "0", "--rows must be at least 1"),
    ],
)
def test_bad_options_are_refused(capsys, tmp_path: Path, option, value, words) -> None:
    out = tmp_path / "x.export.CSV"
    msg = refuse(capsys, ["events", "synth", str(out), option, value])
    assert words in msg, msg
    assert not out.exists()


def test_a_folder_as_the_output_is_refused(capsys, tmp_path: Path) -> None:
    msg = refuse(capsys, ["events", "synth", str(tmp_path), "--rows", "10"])
    assert "is a folder" in msg


def test_progress_lines_go_to_stderr_and_json_stays_clean(
    capsys, tmp_path: Path, monkeypatch
) -> None:
    from powerbalance.interfaces.cli import _common
    from powerbalance.interfaces.cli import events as cli

    class Often(_common.ProgressReporter):
        def __init__(self, what: str, **kw: object) -> None:
            super().__init__(what, every=0.0)

    monkeypatch.setattr(cli, "ProgressReporter", Often)
    out = tmp_path / "p.export.CSV"
    assert main(["events", "synth", str(out), "--rows", "500", "--json"]) == 0
    stdout, err = capsys.readouterr()
    assert json.loads(stdout)["rows"] == 500
    assert "rows written: 500/500 (100%)" in err
