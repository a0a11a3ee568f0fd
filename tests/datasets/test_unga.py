"""The UN's resolution data (sessions 74-80, ES-11) and the 2025 votes table: readers and the join."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from powerbalance.datasets.readers import read_dataset
from powerbalance.datasets.unga import combine_un_votes, member_cow, normalize_symbol
from powerbalance.interfaces.cli.main import main


def _resolution(symbol, date, yes=(), no=(), abstain=(), kind="By a recorded vote", **extra):
    return {
        "symbol": symbol,
        "title": extra.pop("title", f"Title of {symbol}"),
        "adoption_date": date,
        "adoption_type": kind,
        "MS_in_favour": list(yes),
        "MS_against": list(no),
        "MS_abstaining": list(abstain),
        "MS_in_favour_count": str(len(yes)),
        "MS_against_count": str(len(no)),
        "MS_abstaining_count": str(len(abstain)),
        **extra,
    }


def write_session(path: Path, resolutions) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in resolutions) + "\n", encoding="utf-8")
    return path


SMALL = [
    _resolution(
        "A/RES/ES-11/1",
        "2 March 2022",
        yes=["UNITED STATES", "BOLIVIA (PLURINATIONAL STATE OF)"],
        no=["RUSSIAN FEDERATION"],
        abstain=["CHINA"],
    ),
    _resolution("A/RES/ES-11/99", "3 March 2022", kind="Without a vote"),
    _resolution(
        "A/RES/ES-11/2",
        "24\u00a0March 2022",
        yes=["UNITED STATES", "TÜRKİYE"],
        no=["RUSSIAN FEDERATION"],
        abstain=["CHINA", "CHINA"],
    ),
]


def test_small_session_file_votes(tmp_path):
    path = write_session(tmp_path / "ES-11.json", SMALL)
    votes = read_dataset("unga-es-11", path, cache=False)
    assert votes.attrs["coverage"] == (2022, 2022)
    assert votes.attrs["roll_calls"] == 2 and votes.attrs["without_vote"] == 1
    assert votes.attrs["repeated"] == ["A/RES/ES-11/2"]  # China listed twice: counted once
    assert votes.attrs["count_mismatches"] == ["A/RES/ES-11/2"]
    got = {(r.symbol, r.ccode): r.vote for r in votes.itertuples()}
    assert got == {
        ("A/RES/ES-11/1", 2): 1,
        ("A/RES/ES-11/1", 145): 1,
        ("A/RES/ES-11/1", 365): 3,
        ("A/RES/ES-11/1", 710): 2,
        ("A/RES/ES-11/2", 2): 1,
        ("A/RES/ES-11/2", 640): 1,
        ("A/RES/ES-11/2", 365): 3,
        ("A/RES/ES-11/2", 710): 2,
    }
    assert set(votes.date.astype(str)) == {"2022-03-02", "2022-03-24"}


def test_repeated_identical_line_read_once(tmp_path):
    path = write_session(tmp_path / "80.json", [SMALL[0], SMALL[0]])
    votes = read_dataset("unga-80", path, cache=False)
    assert len(votes) == 4 and votes.attrs["duplicate_lines"] == ["A/RES/ES-11/1"]


def run(capsys, *args: str) -> tuple[int, str]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out + err


BAD = [
    # (resolution on line 2, what the message must say, the field named)
    (_resolution("A/RES/74/1", "2019-12-01", yes=["ATLANTIS"]), "'ATLANTIS'", "MS_in_favour"),
    (
        _resolution("A/RES/74/1", "2019-12-01", yes=["CHINA"], no=["CHINA"]),
        "listed under MS_in_favour and MS_against",
        "MS_against",
    ),
    (
        _resolution("A/RES/74/1", "31 Febtember 2019", yes=["CHINA"]),
        "is not a date",
        "adoption_date",
    ),
    (
        _resolution("A/RES/74/1", "2019-12-01", kind="Without a vote", yes=["CHINA"]),
        "lists votes",
        "adoption_type",
    ),
    (
        _resolution("A/RES/ES-11/1", "2 March 2022", yes=["CHINA"]),
        "appears again with other votes",
        "symbol",
    ),
]


@pytest.mark.parametrize(("bad", "says", "field"), BAD)
def test_bad_resolution_refused_with_line_and_field(bad, says, field, tmp_path, store_path, capsys):
    path = write_session(tmp_path / "74.json", [SMALL[0], bad])
    rc, out = run(capsys, "--store", str(store_path), "data", "add", "unga-74", str(path))
    assert rc == 2, out
    assert "Traceback" not in out
    assert str(path) in out and "line 2" in out and says in out and f"field '{field}'" in out, out


def test_not_json_refused(tmp_path, store_path, capsys):
    path = tmp_path / "75.json"
    path.write_text(json.dumps(SMALL[0]) + '\n{"symbol": "A/RES/75/1", "adopt\n', encoding="utf-8")
    rc, out = run(capsys, "--store", str(store_path), "data", "add", "unga-75", str(path))
    assert rc == 2 and "line 2" in out and "not a whole JSON object" in out, out
    path.write_text('{"title": "x"}\n', encoding="utf-8")
    rc, out = run(capsys, "--store", str(store_path), "data", "add", "unga-75", str(path))
    assert rc == 2 and "expected columns" in out, out


CSV = (
    "Resolution,Date,Title,Topic Tags,UN Digital Library Link,Yes,No,Abstain,No Vote,CHN,RUS,USA\n"
    ",,,,,,,,,China,Russian Federation,United States\n"
    "A/RES/ES-11/7,2025-02-24,Advancing peace in Ukraine,,x,1,1,1,0,ABSTAIN,NO,YES\n"
    "A/RES/80/1,2025-12-01,Something else,,x,2,0,0,1,YES,,YES\n"
)


def test_small_2025_table(tmp_path):
    path = tmp_path / "unga_2025_resolutions.csv"
    path.write_text(CSV, encoding="utf-8")
    votes = read_dataset("unga-2025", path, cache=False)
    got = {(r.symbol, r.ccode): r.vote for r in votes.itertuples()}
    assert got == {
        ("A/RES/ES-11/7", 710): 2,
        ("A/RES/ES-11/7", 365): 3,
        ("A/RES/ES-11/7", 2): 1,
        ("A/RES/80/1", 710): 1,
        ("A/RES/80/1", 2): 1,
    }
    assert votes.attrs["coverage"] == (2025, 2025) and votes.attrs["roll_calls"] == 2


@pytest.mark.parametrize(
    ("old", "new", "says", "where"),
    [
        ("ABSTAIN,NO,YES", "ABSTAIN,MAYBE,YES", "'MAYBE' is not a vote", "line 3, field 'RUS'"),
        ("2025-12-01", "2025-13-01", "is not a date", "line 4, field 'Date'"),
        (",CHN,RUS,USA", ",CHN,RUS,XYZ", "'XYZ' is not an ISO3 code", "line 1, field 'XYZ'"),
    ],
)
def test_bad_2025_table_refused(old, new, says, where, tmp_path, store_path, capsys):
    path = tmp_path / "unga_2025_resolutions.csv"
    path.write_text(CSV.replace(old, new), encoding="utf-8")
    rc, out = run(capsys, "--store", str(store_path), "data", "add", "unga-2025", str(path))
    assert rc == 2 and says in out and where in out and "Traceback" not in out, out


def test_names_and_symbols():
    assert member_cow("REPUBLIC OF KOREA") == 732
    assert member_cow("DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA") == 731
    assert member_cow("TÜRKÝYE") == 640 and member_cow("CÔTE D'IVOIRE") == 437
    assert normalize_symbol("A/RES/ES-11/1 ") == "A/RES/ES-11/1"


def _unvotes(rows):
    frame = pd.DataFrame(rows, columns=["rcid", "ccode", "year", "vote"])
    frame.attrs = {"dataset": "unvotes", "coverage": (2019, 2020)}
    return frame


def test_combine_prefers_unvotes_and_adds_later_roll_calls(tmp_path):
    uv = _unvotes(
        [(9000, 2, 2019, 1), (9000, 710, 2019, 3), (9001, 2, 2020, 1), (9001, 710, 2020, 1)]
    )
    rc = pd.DataFrame(
        {
            "rcid": [9000, 9001],
            "date": pd.to_datetime(["2019-12-09", "2020-01-14"]),
            "unres": ["A/RES/74/17", "A/RES/74/267"],
        }
    )
    session = write_session(
        tmp_path / "74.json",
        [
            _resolution("A/RES/74/17", "2019-12-09", yes=["UNITED STATES"], no=["CHINA"]),
            _resolution("A/RES/74/300", "2020-06-01", yes=["UNITED STATES"], abstain=["CHINA"]),
        ],
    )
    un = read_dataset("unga-74", session, cache=False)
    out = combine_un_votes(uv, rc, [un])
    rec = out.attrs["reconciliation"]
    assert rec["matched_unvotes"] == 1 and rec["unvotes_last_date"] == "2020-01-14"
    assert out.attrs["coverage"] == (2019, 2020)
    later = out[out.rcid >= 1_000_000]
    assert sorted(later.vote.tolist()) == [1, 2] and set(later.year) == {2020}
    assert len(out) == 6  # the matched roll call is read once, from unvotes


# --- the real files -------------------------------------------------------------------------

SESSIONS = ["ES-11", "74", "75", "76", "77", "78", "79", "80"]


@pytest.mark.shared_data
def test_real_session_files(shared_file):
    counts = {}
    for session in SESSIONS:
        path = shared_file(f"unga_resolutions/{session}.json")
        frame = read_dataset(f"unga-{session.lower()}", path)
        counts[session] = frame.attrs["roll_calls"]
    assert counts == {
        "ES-11": 6, "74": 90, "75": 99, "76": 80, "77": 88, "78": 85, "79": 113, "80": 166,
    }  # fmt: skip
    es = read_dataset("unga-es-11", shared_file("unga_resolutions/ES-11.json"))
    china = es[es.ccode == 710].set_index("symbol").vote
    assert sorted(china[china == 2].index) == [f"A/RES/ES-11/{i}" for i in (1, 2, 4, 6)]
    assert sorted(china[china == 3].index) == ["A/RES/ES-11/3", "A/RES/ES-11/5"]
    table = read_dataset("unga-2025", shared_file("unga_resolutions/unga_2025_resolutions.csv"))
    assert table.attrs["roll_calls"] == 192 and table.attrs["members"] == 191


@pytest.mark.shared_data
def test_unvotes_and_un_data_agree_on_session_74(shared_file):
    """Where both cover the same roll calls (session 74, Nov 2019-Jan 2020), the votes agree.

    Documented share (docs/datasets/unga.md): every roll call of 74.json matches one of
    unvotes by symbol and date, and at least 99% of the state votes on them are the same
    (all 16,174 are, in these files).
    """
    uv = read_dataset("unvotes", shared_file("unvotes/un_votes.rda"))
    rc = read_dataset("unvotes-roll-calls", shared_file("unvotes/un_roll_calls.rda"))
    un = read_dataset("unga-74", shared_file("unga_resolutions/74.json"))
    rc = rc.assign(symbol=rc.unres.map(normalize_symbol), day=rc.date.dt.normalize())
    left = uv.merge(rc[["rcid", "symbol", "day"]], on="rcid")
    right = un.assign(day=un.date.dt.normalize())
    both = right.merge(left, on=["symbol", "day", "ccode"], suffixes=("_un", "_uv"))
    assert both.symbol.nunique() == un.symbol.nunique() == 90
    assert len(both) == len(right)  # every state vote of 74.json has its unvotes twin
    assert (both.vote_un == both.vote_uv).mean() >= 0.99
    out = combine_un_votes(uv, rc, [un])
    assert out.attrs["reconciliation"]["matched_unvotes"] == 90
    assert out.rcid.max() < 1_000_000  # nothing of 74.json is added twice


@pytest.mark.shared_data
def test_un_files_and_2025_table_agree(shared_file):
    j = pd.concat(
        [read_dataset(f"unga-{s}", shared_file(f"unga_resolutions/{s}.json")) for s in ("79", "80")]
    )
    j = j[j.year == 2025]
    c = read_dataset("unga-2025", shared_file("unga_resolutions/unga_2025_resolutions.csv"))
    both = j.merge(c, on=["symbol", "ccode"], suffixes=("_json", "_csv"))
    assert both.symbol.nunique() == 184
    assert (both.vote_json == both.vote_csv).mean() >= 0.99
    only_csv = set(c.symbol) - set(j.symbol)
    assert {"A/RES/ES-11/7", "A/RES/ES-11/8", "A/RES/ES-11/9"} <= only_csv


@pytest.mark.shared_data
def test_real_file_registers(shared_file, store_path, capsys):
    path = shared_file("unga_resolutions/ES-11.json")
    rc, out = run(capsys, "--store", str(store_path), "data", "add", "unga-es-11", str(path))
    assert rc == 0, out
