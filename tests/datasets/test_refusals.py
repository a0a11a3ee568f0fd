"""The data commands refuse bad input with exit code 2 and a message naming what is wrong."""

from __future__ import annotations

import hashlib
import os
from datetime import date
from pathlib import Path

import pytest

from powerbalance.datasets.cards import CARDS
from powerbalance.errors import StoreError
from powerbalance.evidence import store as store_module
from powerbalance.evidence.store import open_store
from powerbalance.interfaces.cli.main import main

NEXT_YEAR = date.today().year + 1

VALID = {
    "cow-nmc": (
        "NMC-60-abridged.csv",
        "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc\n"
        "USA,2,2000,300,1.4,100,2000,280,220,0.6\nRUS,365,2000,50,1.0,60,600,146,106,0.4\n",
    ),
    "cow-states": (
        "states2016.csv",
        "stateabb,ccode,statenme,styear,endyear\nUSA,2,United States,1816,2016\n"
        "RUS,365,Russia,1816,2016\n",
    ),
    "cow-trade-national": (
        "National_COW_4.0.csv",
        "ccode,year,imports,exports\n2,1990,1,2\n365,1990,3,4\n",
    ),
    "cow-trade-dyadic": (
        "Dyadic_COW_4.0.csv",
        "ccode1,ccode2,year,flow1,flow2\n710,365,2010,-9,20.5\n2,20,2010,1,2\n",
    ),
    "sipri-register": (
        "trade_register.csv",
        "Supplier,Recipient,Delivery year,TIV delivery values\nRussia,China,2018,360\n"
        "France,India,2020,400\n",
    ),
    "sipri-tiv-imports": ("TIV-Import-All.csv", ",2000,2001,2002\nChina,10,5,30\nIndia,1,2,3\n"),
    "sipri-tiv-exports": ("TIV-Export-All.csv", ",2000,2001,2002\nRussia,10,5,30\nChina,1,2,3\n"),
    "unvotes-roll-calls": (
        "un_roll_calls.csv",
        "rcid,session,date\n3,1,1946-01-01\n4,1,1946-02-01\n",
    ),
    "voeten-unvotes": ("UNVotes.csv", "rcid,vote,ccode,year\n3,1,2,1946\n3,3,365,1946\n"),
    "ideal-points": ("Idealpoints.csv", "ccode,year,idealpointall\n2,1990,2.1\n365,1990,-0.5\n"),
    "imf-dots": (
        "dots.csv",
        "Country Name,Indicator Code,Counterpart Country Name,Time Period,Value\n"
        "United States,TXG_FOB_USD,China,2024,143.5e9\nChina,TXG_FOB_USD,Russia,2024,115e9\n",
    ),
}
# unvotes needs its roll calls beside it; it is checked with them below.
KINDS = sorted(VALID)


def run(capsys, *args: str) -> tuple[int, str]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out + err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def fresh(store_path: Path, capsys) -> Path:
    assert run(capsys, "--store", str(store_path), "data", "list")[0] == 0
    return store_path


# Cards whose refusals are tested in their own files (workbooks and JSON, not CSV text).
TESTED_ELSEWHERE = {
    # tests/datasets/test_unga.py (the UN's resolution data: JSON lines; the 2025 table)
    *(f"unga-{s}" for s in ("es-11", "74", "75", "76", "77", "78", "79", "80", "2025")),
    # tests/datasets/test_econ_readers.py
    "rus-chn-monthly-trade",
    "comtrade-chn-imports-rus",
    "atlas-country-year",
    "baci-rus-chn",
    "worldbank-rus-chn",
    "eurostat-eu-russia",
    "cia-factbook",
    "imf-cdis-china",
    # tests/relations/test_history_channels.py (issue 18: alliances, disputes, wars, rivalries)
    "atop-alliance",
    "cow-alliance",
    "cow-mid-dyadic",
    "gml-mid-dyadic",
    "cow-war-inter",
    "tss-rivalries",
    "td-rivalries",
    "sipri-dyadic-tiv",
    "gdelt-series",
}


def test_every_card_but_unvotes_has_an_example():
    assert set(CARDS) - set(VALID) - TESTED_ELSEWHERE == {"unvotes"}


@pytest.mark.parametrize("dataset", KINDS)
def test_valid_example_is_registered(dataset, fresh, tmp_path, capsys):
    name, text = VALID[dataset]
    path = tmp_path / name
    path.write_text(text)
    rc, out = run(capsys, "--store", str(fresh), "data", "add", dataset, str(path))
    assert rc == 0, out


CORRUPTIONS = {
    # name: (make the bad bytes from the valid text, what the message must say)
    "binary": (lambda t: bytes(range(256)) * 4, "not a text file"),
    "not-utf8": (lambda t: t.encode() + "Chïna,\x81\x8d\n".encode("latin-1"), "neither UTF-8"),
    "truncated": (lambda t: t.encode()[: t.index("\n", t.index("\n") + 1) + 3], "cut short"),
    "wrong-columns": (lambda t: b"alpha,beta,gamma\n1,2,3\n", ("expected columns", "looks like")),
    "empty": (lambda t: b"", ("no data rows", "looks like")),
}


@pytest.mark.parametrize("corruption", sorted(CORRUPTIONS))
@pytest.mark.parametrize("dataset", KINDS)
def test_bad_file_is_refused_naming_file(dataset, corruption, fresh, tmp_path, capsys):
    name, text = VALID[dataset]
    make, expected = CORRUPTIONS[corruption]
    path = tmp_path / name
    path.write_bytes(make(text))
    before = digest(fresh)
    rc, out = run(capsys, "--store", str(fresh), "data", "add", dataset, str(path))
    assert rc == 2, out
    assert "Traceback" not in out
    expected = (expected,) if isinstance(expected, str) else expected
    assert str(path) in out and any(e in out for e in expected), out
    if corruption in {"not-utf8", "truncated"}:
        assert "line " in out, out
    if corruption == "truncated":
        assert "field '" in out, out
    assert digest(fresh) == before


# A bad cell in each kind: (dataset, text replaced, replacement, field named in the message)
BAD_CELLS = [
    ("cow-nmc", "USA,2,2000", "USA,2,20000", "year"),
    ("cow-nmc", "RUS,365,2000", "RUS,-365,2000", "ccode"),
    ("cow-nmc", "300,1.4", "1e999,1.4", "milex"),
    ("cow-states", "RUS,365,Russia,1816,2016", "RUS,365,Russia,1816,-2016", "endyear"),
    ("cow-trade-national", "365,1990,3,4", "365,1990,three,4", "imports"),
    ("cow-trade-dyadic", "2,20,2010", "2,20,1e308", "year"),
    ("sipri-register", "France,India,2020,400", "France,India,2020,-400", "TIV delivery values"),
    ("sipri-register", "France,India,2020", "France,India,20x0", "Delivery year"),
    ("sipri-tiv-imports", "India,1,2,3", "India,1,lots,3", "2001"),
    ("unvotes-roll-calls", "1946-02-01", "2025-02-30", "date"),
    ("voeten-unvotes", "3,3,365,1946", "3,3,365,nineteen", "year"),
    ("ideal-points", "365,1990,-0.5", "365,1990,low", "idealpointall"),
    ("imf-dots", "Russia,2024,115e9", "Russia,2024Z9,115e9", "Time Period"),
    ("imf-dots", "Russia,2024,115e9", "Russia,2024,1e400", "Value"),
]


@pytest.mark.parametrize(("dataset", "old", "new", "field"), BAD_CELLS)
def test_bad_cell_names_line_and_field(dataset, old, new, field, fresh, tmp_path, capsys):
    name, text = VALID[dataset]
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new))
    rc, out = run(capsys, "--store", str(fresh), "data", "add", dataset, str(path))
    assert rc == 2, out
    line = 3 if text.splitlines()[1] in text.replace(old, new) else 2
    assert f"line {line}," in out and f"field '{field}'" in out, out


def test_unvotes_bad_vote_is_refused(fresh, tmp_path, capsys):
    name, text = VALID["unvotes-roll-calls"]
    (tmp_path / name).write_text(text)
    votes = tmp_path / "un_votes.csv"
    votes.write_text("rcid,country,country_code,vote\n3,United States,US,yes\n3,Russia,RU,maybe\n")
    rc, out = run(capsys, "--store", str(fresh), "data", "add", "unvotes", str(votes))
    assert rc == 2 and "line 3" in out and "field 'vote'" in out and "'maybe'" in out, out


def test_file_with_no_usable_rows_is_refused(fresh, tmp_path, capsys):
    path = tmp_path / "dots.csv"
    path.write_text(
        "Country Name,Indicator Code,Counterpart Country Name,Time Period,Value\n"
        "United States,OTHER_CODE,China,2024,1\n"
    )
    rc, out = run(capsys, "--store", str(fresh), "data", "add", "imf-dots", str(path))
    assert rc == 2 and "no usable imf-dots rows" in out, out


def test_utf16_with_bom_is_read(fresh, tmp_path, capsys):
    name, text = VALID["cow-trade-national"]
    path = tmp_path / name
    path.write_bytes(text.encode("utf-16"))
    rc, out = run(capsys, "--store", str(fresh), "data", "add", "cow-trade-national", str(path))
    assert rc == 0, out


# --- verify and dyads options ------------------------------------------------------------------


def test_verify_unknown_status_names_the_allowed_ones(fresh, capsys):
    rc, out = run(capsys, "--store", str(fresh), "verify", "--status", "foo")
    assert rc == 2
    assert "verified, depends_on_definition, contradicted, unverifiable" in out


def test_verify_statuses_agree_with_the_module():
    from powerbalance.indicators.verification import STATUSES as MODULE
    from powerbalance.interfaces.cli.data import STATUSES

    assert STATUSES == MODULE


@pytest.mark.parametrize("command", ["verify", "dyads"])
def test_missing_data_dir_is_refused(command, fresh, tmp_path, capsys):
    rc, out = run(capsys, "--store", str(fresh), command, "--data-dir", str(tmp_path / "nope"))
    assert rc == 2 and "no such folder" in out, out


@pytest.mark.parametrize(
    ("option", "year"), [("--to", "99999"), ("--from", "99999"), ("--from", "-5"), ("--to", "1500")]
)
def test_dyads_years_outside_the_range_are_refused(option, year, fresh, capsys):
    rc, out = run(capsys, "--store", str(fresh), "dyads", option, year)
    assert rc == 2
    assert f"from 1816 to {NEXT_YEAR}" in out, out


def test_dyads_from_after_to_is_refused(fresh, capsys):
    rc, out = run(capsys, "--store", str(fresh), "dyads", "--from", "2010", "--to", "2000")
    assert rc == 2 and "after --to" in out


# --- the store's location -------------------------------------------------------------------


def test_store_in_missing_folder_is_refused_not_created(tmp_path, capsys):
    folder = tmp_path / "no" / "such" / "folder"
    rc, out = run(capsys, "--store", str(folder / "s.duckdb"), "assess")
    assert rc == 2
    assert "does not exist" in out and f"mkdir -p {folder}" in out, out
    assert not (tmp_path / "no").exists()


def test_store_that_is_a_folder_is_refused(tmp_path, capsys):
    rc, out = run(capsys, "--store", str(tmp_path), "assess")
    assert rc == 2 and "is a folder" in out


@pytest.mark.parametrize("content", [b"", b"not a database\n"])
def test_store_that_is_not_a_database_is_refused(content, tmp_path, capsys):
    path = tmp_path / "s.duckdb"
    path.write_bytes(content)
    rc, out = run(capsys, "--store", str(path), "assess")
    assert rc == 2 and "not a powerbalance store" in out, out
    assert path.read_bytes() == content


def test_duckdb_file_of_another_program_is_left_alone(tmp_path, capsys):
    import duckdb

    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE t (a INTEGER)")
    con.close()
    before = digest(path)
    rc, out = run(capsys, "--store", str(path), "data", "list")
    assert rc == 2 and "another program" in out, out
    assert digest(path) == before


def _deny_write(monkeypatch, target: Path) -> None:
    real = os.access

    def access(path, mode, *args, **kwargs):
        if Path(path) == target and mode & os.W_OK:
            return False
        return real(path, mode, *args, **kwargs)

    monkeypatch.setattr(store_module.os, "access", access)


def test_read_only_store_file_is_a_clear_error(fresh, monkeypatch, capsys):
    _deny_write(monkeypatch, fresh)
    rc, out = run(capsys, "--store", str(fresh), "data", "remove", "cow-nmc")
    assert rc == 2 and "read-only" in out and "Traceback" not in out, out
    # reading still works
    rc, out = run(capsys, "--store", str(fresh), "data", "list")
    assert rc == 0, out


def test_read_only_folder_is_a_clear_error(tmp_path, monkeypatch, capsys):
    _deny_write(monkeypatch, tmp_path)
    rc, out = run(capsys, "--store", str(tmp_path / "new.duckdb"), "assess")
    assert rc == 2 and "read-only" in out, out


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to read-only files")
def test_read_only_store_for_real(fresh, capsys):
    fresh.chmod(0o444)
    try:
        rc, out = run(capsys, "--store", str(fresh), "data", "remove", "cow-nmc")
    finally:
        fresh.chmod(0o644)
    assert rc == 2 and "read-only" in out, out


def test_open_store_refuses_missing_folder(tmp_path):
    with pytest.raises(StoreError, match="does not exist"), open_store(tmp_path / "x" / "s.duckdb"):
        pass


def test_header_with_a_column_twice_is_refused(fresh, tmp_path, capsys):
    path = tmp_path / "TIV-Export-All.csv"
    path.write_text(",2000,2001,2002,2000\nRussia,1,2,3,4\n")
    rc, out = run(capsys, "--store", str(fresh), "data", "add", "sipri-tiv-exports", str(path))
    assert rc == 2 and "line 1" in out and "'2000' appears twice" in out, out
