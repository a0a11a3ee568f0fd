"""Bad actor tables and bad options: exit 2 with one line naming file, line and field.

Binary, truncated, UTF-16 and Latin-1 files, empty files, wrong types, NaN and
infinite numbers, negative saliences and duplicate actors, in the three formats
(own CSV, KTAB CSV, YAML); unknown option values name the allowed ones.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from powerbalance.errors import UserError
from powerbalance.interfaces.cli.main import main
from powerbalance.theory.bargaining import ActorTableError, read_table

CSV_HEAD = b"actor,capability,position,salience\n"
KTAB_HEAD = b"S,d,3,1,\nActor,Description,Influence,P Position,P Salience,\n"
YAML_HEAD = b"dimensions:\n  - {id: x, low: 0, high: 100}\nactors:\n"

# name, bytes, expected line, expected field (None: the message need not name one)
CASES: list[tuple[str, bytes, str, str | None]] = [
    ("latin1.csv", CSV_HEAD + "Ségolène,1,20,50\nB,2,80,40\n".encode("latin-1"), "line 2", "actor"),
    (
        "latin1-number.csv",
        CSV_HEAD + b"A,1,20,50\nB,2,8\xb00,40\n",
        "line 3",
        "position",
    ),
    ("nul.csv", CSV_HEAD + b"A,1,20,50\nB,2\x00,80,40\n", "line 3", "capability"),
    ("utf16.csv", "actor,capability\nA,1\n".encode("utf-16"), "line 1", None),
    ("nan.csv", CSV_HEAD + b"A,1,nan,50\nB,2,80,40\n", "line 2", "position"),
    ("inf.csv", CSV_HEAD + b"A,inf,20,50\nB,2,80,40\n", "line 2", "capability"),
    ("huge.csv", CSV_HEAD + b"A,1e400,20,50\nB,2,80,40\n", "line 2", "capability"),
    ("negative.csv", CSV_HEAD + b"A,1,20,-5\nB,2,80,40\n", "line 2", "salience"),
    ("duplicate.csv", CSV_HEAD + b"A,1,20,50\nA,2,80,40\n", "line 3", "actor"),
    ("text.csv", CSV_HEAD + b"A,one,20,50\nB,2,80,40\n", "line 2", "capability"),
    ("blank.csv", CSV_HEAD + b"A,1,,50\nB,2,80,40\n", "line 2", "position"),
    ("truncated.csv", CSV_HEAD + b"A,1,20,50\nB,2,8", "line 3", "salience"),
    (
        "k-latin1.csv",
        KTAB_HEAD + b"A,a,10,20,50,\nB,b,\xe95,70,40,\nC,c,1,1,1,\n",
        "line 4",
        "Influence",
    ),
    ("k-truncated.csv", KTAB_HEAD + b"A,a,10,20,50,\nB,b,5,70,40,\nC,c,1", "line 5", "P Position"),
    (
        "k-negative.csv",
        KTAB_HEAD + b"A,a,10,20,50,\nB,b,5,70,-4,\nC,c,1,1,1,\n",
        "line 4",
        "P Salience",
    ),
    ("k-nan.csv", KTAB_HEAD + b"A,a,10,20,50,\nB,b,nan,70,4,\nC,c,1,1,1,\n", "line 4", "Influence"),
    ("k-dup.csv", KTAB_HEAD + b"A,a,10,20,50,\nA,b,5,70,4,\nC,c,1,1,1,\n", "line 4", "Actor"),
    (
        "k-count.csv",
        b"S,d,2.5,1,\nActor,Description,Influence,P Position,P Salience,\n",
        "line 1",
        "number of actors",
    ),
    ("k-empty-id.csv", KTAB_HEAD + b"A,a,10,20,50,\n,b,5,70,4,\nC,c,1,1,1,\n", "line 4", "Actor"),
    (
        "latin1.yaml",
        YAML_HEAD
        + "  - {id: Ségolène, capability: 1, position: 3, salience: 4}\n".encode("latin-1"),
        "line 4",
        "id",
    ),
    (
        "nan.yaml",
        YAML_HEAD + b"  - {id: a, capability: .nan, position: 3, salience: 4}\n"
        b"  - {id: b, capability: 1, position: 3, salience: 4}\n",
        "line 4",
        "capability",
    ),
    (
        "inf.yaml",
        YAML_HEAD + b"  - {id: a, capability: 1, position: 3, salience: 4}\n"
        b"  - {id: b, capability: 1, position: .inf, salience: 4}\n",
        "line 5",
        "position:x",
    ),
    (
        "negative.yaml",
        YAML_HEAD + b"  - {id: a, capability: 1, position: 3, salience: 4}\n"
        b"  - {id: b, capability: 1, position: 3, salience: -4}\n",
        "line 5",
        "salience:x",
    ),
    (
        "duplicate.yaml",
        YAML_HEAD + b"  - {id: a, capability: 1, position: 3, salience: 4}\n"
        b"  - {id: a, capability: 1, position: 3, salience: 4}\n",
        "line 5",
        "id",
    ),
    (
        "list.yaml",
        YAML_HEAD + b"  - {id: a, capability: 1, position: 3, salience: 4}\n"
        b"  - {id: b, capability: 1, position: [1, 2], salience: 4}\n",
        "line 5",
        "position:x",
    ),
    (
        "range.yaml",
        YAML_HEAD + b"  - {id: a, capability: 1, position: 3, salience: 4}\n"
        b"  - id: b\n    capability: {value: 1, range: [a, 2], why: w, ref: r}\n"
        b"    position: 3\n    salience: 4\n",
        "line 6",
        "capability range",
    ),
    ("low.yaml", b"dimensions: [{id: x, low: abc}]\nactors: []\n", "line 1", "low"),
    ("dims.yaml", b"dimensions: x\nactors: []\n", "line 1", "dimensions"),
    ("actors.yaml", b"dimensions: [{id: x}]\nactors: 3\n", "line 2", "actors"),
    ("control.yaml", b"dimensions: [\x07]\n", "line 1", None),
    ("syntax.yaml", b"dimensions: [{id: x\nactors: [\n", "line 2", None),
]


@pytest.mark.parametrize(("name", "data", "line", "field"), CASES, ids=[c[0] for c in CASES])
def test_reader_names_file_line_and_field(
    tmp_path: Path, name: str, data: bytes, line: str, field: str | None
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ActorTableError) as info:
        read_table(path)
    err = info.value
    assert isinstance(err, UserError)
    assert err.file == str(path)
    assert str(err.record).startswith(line), str(err)
    if field is not None:
        assert err.field == field, str(err)
    assert "\n" not in str(err)
    for raw in ("Value error", "should match", "codec can't decode", "Traceback"):
        assert raw not in str(err)


@pytest.mark.parametrize(("name", "data", "line", "field"), CASES, ids=[c[0] for c in CASES])
def test_cli_exits_2_with_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture,
    name: str,
    data: bytes,
    line: str,
    field: str | None,
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    rc = main(["--store", str(tmp_path / "s.duckdb"), "bargain", str(path)])
    err = capsys.readouterr().err
    assert rc == 2, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and name in lines[0] and line in lines[0]
    if field is not None:
        assert f"field '{field}'" in lines[0]


@pytest.mark.parametrize("suffix", [".csv", ".yaml"])
@pytest.mark.parametrize("seed", range(6))
def test_random_bytes_never_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture, suffix: str, seed: int
) -> None:
    rnd = random.Random(seed)
    path = tmp_path / f"random{suffix}"
    path.write_bytes(bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 400))))
    rc = main(["--store", str(tmp_path / "s.duckdb"), "bargain", str(path)])
    err = capsys.readouterr().err
    assert rc == 2, err
    assert err.startswith("error: ") and "Traceback" not in err


@pytest.mark.parametrize("name", ["empty.csv", "empty.yaml", "blank.csv"])
def test_empty_files(tmp_path: Path, capsys: pytest.CaptureFixture, name: str) -> None:
    path = tmp_path / name
    path.write_text("\n\n" if name.startswith("blank") else "")
    assert main(["--store", str(tmp_path / "s.duckdb"), "bargain", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and name in err and len(err.strip().splitlines()) == 1


def test_directory_is_not_a_table(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    d = tmp_path / "dir.csv"
    d.mkdir()
    assert main(["--store", str(tmp_path / "s.duckdb"), "bargain", str(d)]) == 2
    assert "is not a file" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("flag", "allowed"),
    [
        ("--model", "mean, median, eu, pce"),
        ("--victory", "linear, square, quartic"),
        ("--pce", "conditional, markov-incentive, markov-uniform"),
        ("--transitions", "deterministic, stochastic"),
        ("--mu", "median, mean"),
    ],
)
def test_unknown_option_values_name_the_allowed_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture, flag: str, allowed: str
) -> None:
    rc = main(["--store", str(tmp_path / "s.duckdb"), "bargain", "us-russia", flag, "nosuch"])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.strip().splitlines() == [err.strip()]
    assert f"unknown {flag} 'nosuch'" in err and allowed in err


def test_unknown_set_names_the_bundled_sets(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["--store", str(tmp_path / "s.duckdb"), "bargain", "nosuch"]) == 2
    err = capsys.readouterr().err
    assert "russia-alignment, us-russia" in err


@pytest.mark.parametrize("name", ["a" * 300, "a" * 300 + ".csv"])
def test_name_too_long_for_the_system(
    tmp_path: Path, capsys: pytest.CaptureFixture, name: str
) -> None:
    assert main(["--store", str(tmp_path / "s.duckdb"), "bargain", name]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "cannot be opened" in err and len(err) < 300
