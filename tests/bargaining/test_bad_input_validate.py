"""Issue 17: bad issue files and options of `bargain validate` end in one line naming file, line, field."""

from __future__ import annotations

from pathlib import Path

import pytest

from powerbalance.interfaces.cli.main import main

HEAD = '"prnr"\t"isnr"\t"pcom"\t"pde"\t"scom"\t"sde"\t"rp"\t"out"\n'
W = '""\t""\t"4"\t"10"\t"4"\t"10"\t""\t""\n'
OK = '"p1"\t"i1"\t"10"\t"90"\t"50"\t"50"\t""\t"40"\n'
LONG_HEAD = "issue,actor,position,salience,capability,outcome\n"

# (file name, content, expected words, line, field)
CASES = [
    ("deu_out.tsv", HEAD + W + OK.replace('"40"', '"forty"'), "is not an outcome", "line 3", "out"),
    (
        "deu_pos.tsv",
        HEAD + W + OK.replace('"90"', '"150"'),
        "outside the scale 0–100",
        "line 3",
        "pde",
    ),
    (
        "deu_sal.tsv",
        HEAD + W + OK.replace('"50"\t"50"', '"50"\t""'),
        "no salience",
        "line 3",
        "sde",
    ),
    (
        "deu_sal2.tsv",
        HEAD + W + OK.replace('"50"\t"50"', '"50"\t"120"'),
        "[0, 100]",
        "line 3",
        "sde",
    ),
    (
        "deu_cap.tsv",
        HEAD + W.replace('"10"', '"0"', 1) + OK,
        "capability must be positive",
        "line 2",
        "pde",
    ),
    ("deu_one.tsv", HEAD + W + OK.replace('"90"', '""'), "at least two", "line 3", None),
    ("deu_fields.tsv", HEAD + W + '"p1"\t"i1"\t"10"\n', "the row has 3 fields", "line 3", None),
    ("deu_dup.tsv", HEAD + W + OK + OK, "duplicate issue 'i1'", "line 4", "isnr"),
    ("deu_prop.tsv", HEAD + W + OK.replace('"p1"', '""'), "proposal id is empty", "line 3", "prnr"),
    (
        "deu_rp.tsv",
        HEAD + W + OK.replace('""\t"40"', '"101"\t"40"'),
        "reference point",
        "line 3",
        "rp",
    ),
    ("deu_w.tsv", HEAD + OK + OK, "capability weights", "line 2", "prnr"),
    ("noprnr.tsv", "a\tb\n1\t2\n", "not the DEU format", "line 1", None),
    (
        "noscale.csv",
        LONG_HEAD + "a,x,1,50,1,3\na,y,9,50,1,\n",
        "no position scale",
        "line 1",
        "scale",
    ),
    (
        "cols.csv",
        "# scale: 0,10\nissue,actor,position\n",
        "missing column(s) 'salience'",
        "line 2",
        None,
    ),
    (
        "out2.csv",
        "# scale: 0,10\n" + LONG_HEAD + "a,x,1,50,1,3\na,y,9,50,1,4\n",
        "outcome 3 on line 3 and 4 here",
        "line 4",
        "outcome",
    ),
    (
        "dupact.csv",
        "# scale: 0,10\n" + LONG_HEAD + "a,x,1,50,1,3\na,x,9,50,1,\n",
        "appears twice",
        "line 4",
        "actor",
    ),
    (
        "outside.csv",
        "# scale: 0,10\n" + LONG_HEAD + "a,x,1,50,1,30\na,y,9,50,1,\n",
        "outside the scale 0–10",
        "line 3",
        "outcome",
    ),
    ("badscale.csv", "# scale: 10,0\n" + LONG_HEAD, "not '# scale: MIN,MAX'", "line 1", "scale"),
    ("empty.csv", "", "the file is empty", "", None),
    (
        "nooutcome.csv",
        "# scale: 0,10\n" + LONG_HEAD + "a,x,1,50,1,\na,y,9,50,1,\n",
        "no issue with an outcome",
        "",
        None,
    ),
]


@pytest.mark.parametrize(
    ("name", "text", "words", "line", "field"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_issue_file_is_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture,
    name: str,
    text: str,
    words: str,
    line: str,
    field: str | None,
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    rc = main(["--store", str(tmp_path / "s.duckdb"), "bargain", "validate", str(path)])
    err = capsys.readouterr().err
    assert rc == 2, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert name in lines[0] and words in lines[0] and line in lines[0], lines[0]
    if field is not None:
        assert f"field '{field}'" in lines[0], lines[0]
    assert "Traceback" not in err and "Value error" not in err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--folds", "1"], "--folds must be at least 2"),
        (["--folds", "5"], "more than the 1 proposals"),
        (["--models", "nope"], "unknown model 'nope'"),
        (["--win-probability", "x"], "unknown --win-probability 'x'"),
        (["--scale", "0,10"], "declares the scale 0–100 but the scale option"),
        (["--train", "missing.tsv"], "no such file"),
    ],
)
def test_bad_options(
    tmp_path: Path, capsys: pytest.CaptureFixture, args: list[str], words: str
) -> None:
    path = tmp_path / "ok.tsv"
    path.write_text(HEAD + W + OK + OK.replace('"i1"', '"i2"'), encoding="utf-8")
    rc = main(["bargain", "validate", str(path), *args])
    err = capsys.readouterr().err
    assert rc == 2, err
    assert err.startswith("error: ") and words in err and len(err.strip().splitlines()) == 1, err


def test_missing_file_and_help(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["bargain", "validate", str(tmp_path / "nope.tsv")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["bargain", "validate"]) == 2
    assert "Missing argument" in capsys.readouterr().err
    assert main(["bargain", "validate", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--folds" in out and "--train" in out and "--record" in out
