"""Bad edge lists and options for `powerbalance balance`: exit 2, one line naming file, line, field.

Binary and non-UTF-8 files, CSV records past the field size and huge weights
were tracebacks before (UnicodeDecodeError, _csv.Error, a solver ValueError);
`--time-limit` had no default, so a hard graph could run unbounded.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from powerbalance.datasets.edgelist import EdgeListError, read_edge_list
from powerbalance.interfaces.cli.main import main

HEADER = "source,target,sign,weight\n"


@pytest.fixture
def store(fresh_store: Path) -> Path:
    """A copy of the filled store (the root conftest's)."""
    return fresh_store


def refuse(capsys, store: Path, argv: list[str]) -> str:
    digest = hashlib.sha256(store.read_bytes()).hexdigest()
    rc = main(["--store", str(store), *argv])
    out, err = capsys.readouterr()
    assert rc == 2, out + err
    assert "Traceback" not in out + err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert hashlib.sha256(store.read_bytes()).hexdigest() == digest
    return lines[0]


CASES = {
    "random.csv": (bytes(range(1, 256)) * 4, "line 2", "not UTF-8"),
    "png.csv": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "line 3", "binary"),
    "latin1.csv": (
        "source,target,sign\nA,Zürich,+\n".encode("latin-1"),
        "line 2, field 'target'",
        "byte 0xfc",
    ),
    "latin1_header.csv": ("Quelle,Zürich,sign\nA,B,+\n".encode("latin-1"), "line 1", "UTF-8"),
    "nul.csv": (b"source,target,sign\nA,B\x00,+\n", "line 2", "binary"),
    "huge_field.csv": (
        ("source,target,sign\n" + "A" * 200_000 + ",B,+\n").encode(),
        "line 2",
        "not a CSV record",
    ),
    "nan.csv": ((HEADER + "A,B,+,nan\n").encode(), "line 2, field 'weight'", "finite"),
    "inf.csv": ((HEADER + "A,B,+,inf\n").encode(), "line 2, field 'weight'", "finite"),
    "overflow.csv": ((HEADER + "A,B,+,1e400\n").encode(), "line 2, field 'weight'", "finite"),
    "huge.csv": ((HEADER + "A,B,-,1e308\n").encode(), "line 2, field 'weight'", "at most"),
    "words.csv": ((HEADER + "A,B,+,heavy\n").encode(), "line 2, field 'weight'", "a number"),
    "sign.csv": ((HEADER + "A,B,0,1\n").encode(), "line 2, field 'sign'", "+1 or -1"),
    "empty.csv": (b"", "empty.csv", "empty"),
    "header_only.csv": (HEADER.encode(), "header_only.csv", "no edges"),
    "short.csv": ((HEADER + "A,B\n").encode(), "line 2", "fields"),
    "truncated.csv": (b"source,target,si", "line 1", "no 'sign' column"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_edge_list_names_file_line_and_field(capsys, store, tmp_path, name) -> None:
    data, where, words = CASES[name]
    f = tmp_path / name
    f.write_bytes(data)
    msg = refuse(capsys, store, ["balance", str(f), "--json"])
    assert name in msg and where in msg and words in msg, msg


def test_huge_weights_were_a_solver_crash(tmp_path: Path) -> None:
    f = tmp_path / "w.csv"
    f.write_text(HEADER + "A,B,-,1e308\nB,C,-,1e308\nA,C,-,1e308\n")
    with pytest.raises(EdgeListError, match="at most 1e\\+09"):
        read_edge_list(f)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("0", "positive number of seconds"),
        ("-5", "positive number of seconds"),
        ("nan", "positive number of seconds"),
        ("inf", "positive number of seconds"),
        ("0.5", "at least 1"),
        ("100000", "limit 'balance.time_limit'"),
    ],
)
def test_time_limit_is_bounded(capsys, store, tmp_path, value, words) -> None:
    f = tmp_path / "ok.csv"
    f.write_text("source,target,sign\nA,B,+\nB,C,-\nA,C,+\n")
    msg = refuse(capsys, store, ["balance", str(f), "--time-limit", value])
    assert "--time-limit" in msg and words in msg, msg


def test_balance_has_a_default_time_limit(capsys, store, tmp_path, monkeypatch) -> None:
    from powerbalance.theory import balance as module

    seen = {}
    real = module.balance_reports

    def spy(*args, **kw):
        seen.update(kw)
        return real(*args, **kw)

    monkeypatch.setattr(module, "balance_reports", spy)
    f = tmp_path / "ok.csv"
    f.write_text("source,target,sign\nA,B,+\nB,C,-\nA,C,+\n")
    assert main(["--store", str(store), "balance", str(f), "--json"]) == 0
    out, _ = capsys.readouterr()
    assert json.loads(out)[0]["frustration_index"] == 1
    assert seen["time_limit"] == 60.0


def test_progress_goes_to_stderr_and_json_stays_clean(capsys, store, tmp_path, monkeypatch) -> None:
    from powerbalance.interfaces.cli import _common
    from powerbalance.interfaces.cli import theory as cli

    class Often(_common.ProgressReporter):
        def __init__(self, what: str, **kw: object) -> None:
            super().__init__(what, every=0.0)

    monkeypatch.setattr(cli, "ProgressReporter", Often)
    f = tmp_path / "g.csv"
    f.write_text("source,target,sign,year\nA,B,+,1\nB,C,-,1\nA,B,-,2\n")
    assert main(["--store", str(store), "balance", str(f), "-g", "year", "--json"]) == 0
    out, err = capsys.readouterr()
    assert len(json.loads(out)) == 2
    assert "groups solved: 2/2 (100%)" in err
