"""Bad input for every command: malformed files and bad option values never end in a traceback.

Every command is found by walking the Typer app (a new command is covered without
editing this file). For each, hypothesis generates command lines: the command's
file arguments get malformed files (binary bytes, Latin-1 or UTF-16 text,
truncated valid examples, wrong types, impossible dates such as 2025-02-30, huge
numbers such as 1e308, negative counts, empty files) and its options get bad
values (negative, huge, non-numeric, unknown ids). Each command line runs
in-process through ``main(argv)`` on a copy of a fresh store, and must

- return 0 (the input was acceptable) or 2 (refused with a message),
- print no ``Traceback``, and
- leave the store as it was when it refused the input (nothing half-written).

The cases are counted: a run of this file makes at least :data:`MIN_CASES`.

Exclusions (explicit, so that nothing is skipped silently):

- ``serve`` starts a web server: it gets only bad option values, with the
  server's start replaced by a stub, so a value that is accepted is seen but no
  server runs;
- ``--threads`` gets no huge values (DuckDB starts every thread at once, so
  ``--threads 100000`` takes minutes before any check could refuse it);
- ``scenario run`` always gets ``--draws 16 --model-draws 2 --no-store`` unless
  a bad ``--draws`` is generated, so a valid scenario runs in about a second.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import powerbalance
from powerbalance.datasets.cards import CARDS
from powerbalance.interfaces.cli.main import app, main

PACKAGE = Path(powerbalance.__file__).parent
MIN_CASES = 2000

# --- the commands ------------------------------------------------------------------------


def walk(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every leaf command of the CLI with its path (``("data", "add")``)."""
    subcommands = getattr(command, "commands", None)
    if subcommands:
        for name, sub in sorted(subcommands.items()):
            yield from walk(sub, (*path, name))
    else:
        yield path, command


COMMANDS = dict(walk(typer.main.get_command(app)))

# How many generated cases each command gets (others: DEFAULT_EXAMPLES). Commands
# taking files get more; slow ones fewer.
DEFAULT_EXAMPLES = 64
EXAMPLES = {
    ("data", "add"): 260,
    ("evidence", "import"): 160,
    ("balance",): 130,
    ("bargain",): 130,
    ("events", "ingest"): 110,
    ("events", "aggregate"): 110,
    ("events", "relate"): 90,
    ("scenario", "run"): 40,
    ("report",): 12,
    ("serve",): 60,
}

# Parameters that name a file to write (they get a path in the test's folder, or a bad one).
OUTPUT_NAMES = {"out", "plot"}
# String arguments that name an input file (Path-typed ones always do).
INPUT_NAMES = {"edges", "source", "file", "files", "path", "series", "scenario", "events"}


# --- valid examples (from the bundled files) -------------------------------------------------

DATASET_EXAMPLES = {
    "cow-nmc": (
        "NMC-60-abridged.csv",
        "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version\n"
        "USA,2,2000,300,1.4,100,2000,280,220,0.6,2021\nRUS,365,2000,50,1.0,60,600,146,106,0.4,2021\n",
    ),
    "cow-states": (
        "states2016.csv",
        "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n"
        "USA,2,United States of America,1816,1,1,2016,12,31,2016\n",
    ),
    "cow-trade-national": ("National_COW_4.0.csv", "ccode,year,imports,exports\n2,1990,1,2\n"),
    "cow-trade-dyadic": (
        "Dyadic_COW_4.0.csv",
        "ccode1,ccode2,year,flow1,flow2\n710,365,2010,-9,20.5\n2,20,2010,1,2\n",
    ),
    "sipri-register": (
        "trade_register.csv",
        "SIPRI AT Database ID,Supplier,Recipient,Designation,Delivery year,TIV delivery values\n"
        "1,Russia,China,Su-35,2018,360\n2,France,India,Rafale,2020,400\n",
    ),
    "sipri-tiv-imports": ("TIV-Import-All.csv", ",2000,2001,2002,Total\nChina,10,,30,40\n"),
    "sipri-tiv-exports": ("TIV-Export-All.csv", ",2000,2001,2002,Total\nRussia,10,5,30,45\n"),
    "unvotes-roll-calls": ("un_roll_calls.csv", "rcid,session,date\n3,1,1946-01-01\n"),
    "unvotes": ("un_votes.csv", "rcid,country,country_code,vote\n3,United States,US,yes\n"),
    "voeten-unvotes": ("UNVotes.csv", "rcid,vote,ccode,year\n3,1,2,1946\n3,3,365,1946\n"),
    "ideal-points": ("Idealpoints.csv", "ccode,year,idealpointall\n2,1990,2.1\n"),
    "imf-dots": (
        "dots.csv",
        "Country Name,Indicator Code,Counterpart Country Name,Time Period,Value\n"
        "United States,TXG_FOB_USD,China,2024,143.5e9\n",
    ),
}


def _bundled(relative: str) -> bytes:
    return (PACKAGE / relative).read_bytes()


GENERIC = [
    ("table.csv", b"id,value,date\na,1,2024-01-01\nb,2,2024-02-01\n"),
    ("records.yaml", _bundled("evidence/template.yaml")),
    ("scenario.toml", _bundled("scenarios/bundled/reverse-kissinger.toml")),
]


def examples(
    command: tuple[str, ...], param: str, made: dict[str, Path]
) -> list[tuple[str, bytes]]:
    """Valid files for a command's file parameter (the fuzz mutates them)."""
    if command == ("data", "add"):
        return [(name, text.encode()) for name, text in DATASET_EXAMPLES.values()]
    if command == ("balance",):
        return [
            ("edges.csv", b"source,target,sign,weight\nUSA,RUS,-1,1\nRUS,CHN,1,2\nUSA,CHN,-1,1\n")
        ]
    if command == ("bargain",):
        return [
            ("actors.yaml", _bundled("theory/bargaining/data/us_russia.yaml")),
            (
                "actors.csv",
                b"actor,capability,position,salience\nA,1,20,50\nB,2,80,40\nC,3,50,60\n",
            ),
        ]
    if command == ("evidence", "import"):
        return [("claims.yaml", _bundled("evidence/template.yaml"))]
    if command[0] == "events" and param in {"files", "events"}:
        return [("events.export.CSV", made["gdelt"].read_bytes())]
    if command == ("events", "relate"):
        return [("series.parquet", made["series"].read_bytes())]
    if command == ("scenario", "run"):
        return [
            (p.name, p.read_bytes()) for p in sorted((PACKAGE / "scenarios/bundled").glob("*.toml"))
        ]
    return GENERIC


# --- malformed files ----------------------------------------------------------------------------

NUMBER = re.compile(rb"(?<![\w.])-?\d+(?:\.\d+)?(?:e\d+)?(?![\w.])")
DATE = re.compile(rb"\d{4}-\d{2}-\d{2}")
BAD_NUMBERS = [
    b"1e308",
    b"1e309",
    b"-1",
    b"-9999999",
    b"99999999999999999999999",
    b"abc",
    b"",
    b"NaN",
    b"1,5",
    b"inf",
    b"0x1F",
]
BAD_DATES = [
    b"2025-02-30",
    b"0000-00-00",
    b"9999-99-99",
    b"2025-13-01",
    b"yesterday",
    b"1066-10-14",
]


def _replace_one(pattern: re.Pattern[bytes], data: bytes, index: int, new: bytes) -> bytes:
    found = list(pattern.finditer(data))
    if not found:
        return data + b"\n" + new
    m = found[index % len(found)]
    return data[: m.start()] + new + data[m.end() :]


def _drop_or_double(data: bytes, index: int, double: bool) -> bytes:
    """The file with one line left out or written twice."""
    lines = data.split(b"\n")
    k = index % len(lines)
    lines[k : k + 1] = [lines[k], lines[k]] if double else []
    return b"\n".join(lines)


def malformed(valid: bytes) -> st.SearchStrategy[bytes]:
    """Files made from a valid example: broken in one of the ways users break them."""
    text = valid.decode("utf-8", errors="replace")
    return st.one_of(
        st.binary(max_size=600),
        st.integers(0, max(len(valid) - 1, 0)).map(lambda n: valid[:n]),  # truncated
        st.sampled_from([b"", b"\n", b"   \n\n", b"\xef\xbb\xbf", b"\x00" * 64]),  # empty
        st.text(st.characters(min_codepoint=0xA0, max_codepoint=0xFF), min_size=1, max_size=20).map(
            lambda s: (s + text).encode("latin-1", errors="replace")
        ),
        st.just(text.encode("utf-16")),
        st.builds(
            lambda i, new: _replace_one(NUMBER, valid, i, new),
            st.integers(0, 200),
            st.sampled_from(BAD_NUMBERS),
        ),
        st.builds(
            lambda i, new: _replace_one(DATE, valid, i, new),
            st.integers(0, 200),
            st.sampled_from(BAD_DATES),
        ),
        st.builds(
            lambda i, junk: valid[:i] + junk + valid[i:],
            st.integers(0, len(valid)),
            st.binary(min_size=1, max_size=40),
        ),
        st.builds(_drop_or_double, st.just(valid), st.integers(0, 30), st.booleans()),
    )


# --- bad option values ------------------------------------------------------------------------

BAD_INTS = [
    "-1",
    "0",
    "-9223372036854775809",
    "9223372036854775808",
    "99999999999999999999",
    "1e308",
    "abc",
    "1.5",
    "",
    "nan",
    "0x10",
    " 7",
]
BAD_STRINGS = [
    "",
    " ",
    "xyz-unknown",
    "../../etc/passwd",
    "ÿ\x00",
    "a" * 300,
    "-1",
    "NaN",
    "2025-02-30",
    "USA,,",
    ",",
    "=",
    "a.b=c",
]
KNOWN_IDS = [
    *CARDS,
    "us-russia",
    "russia-alignment",
    "reverse-kissinger",
    "en",
    "sv",
    "USA",
    "RUS",
    "CHN",
    "claim",
    "actor",
]


def int_values(name: str) -> st.SearchStrategy[str]:
    huge = st.integers(10**9, 10**30).map(str)
    if name == "threads":  # see the module docstring
        huge = st.just("-5")
    return st.one_of(st.sampled_from(BAD_INTS), st.integers(-(10**30), -1).map(str), huge)


def string_values() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(BAD_STRINGS),
        st.sampled_from(KNOWN_IDS),
        st.text(
            st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=20
        ),
    )


# An argument no command takes: an unknown option, a stray word (keeps the space of
# cases large for commands with few options, so every command gets its cases).
STRAY = st.one_of(
    st.sampled_from(["--no-such-option", "extra", "-x", "--"]),
    st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=12).map(
        lambda t: "--" + t
    ),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12),
)


def option_value(param: Any, tmp: Path) -> st.SearchStrategy[list[str]]:
    """Arguments for one option: its flag alone, or its flag and a bad value."""
    flag = param.opts[0]
    if getattr(param, "is_flag", False):
        return st.just([flag])
    kind = param.bare_type()
    if param.name in OUTPUT_NAMES:
        values = st.sampled_from(
            [
                str(tmp / "out" / "o.png"),
                str(tmp / "no" / "such" / "o.png"),
                str(tmp),
                str(tmp / "o.xyz"),
            ]
        )
    elif kind == "int":
        values = int_values(param.name)
    elif kind == "float":
        values = st.sampled_from(["-1", "1e309", "nan", "inf", "abc", "", "-0"])
    elif kind == "Path" or param.name in INPUT_NAMES:
        values = st.sampled_from([str(tmp / "missing.csv"), str(tmp), "/dev/null", ""])
    else:
        values = string_values()
    return values.map(lambda v: [flag, v])


# --- the test ---------------------------------------------------------------------------------

CASES: dict[tuple[str, ...], int] = {}


class ServerWouldStart(Exception):
    """Raised by the stub that replaces the dashboard's server start."""


@pytest.fixture(scope="module")
def fresh_store(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A fresh store, a small GDELT export and its aggregated series, made once."""
    root = tmp_path_factory.mktemp("fuzz-setup")
    store = root / "store.duckdb"
    assert main(["--store", str(store), "assess"]) == 0
    gdelt = root / "20240101.export.CSV"
    assert main(["--store", str(store), "events", "synth", str(gdelt), "--rows", "60"]) == 0
    series = root / "series.parquet"
    rc = main(["--store", str(store), "events", "aggregate", str(gdelt), "--out", str(series)])
    assert rc == 0
    return {"store": store, "gdelt": gdelt, "series": series}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("command", sorted(COMMANDS), ids="-".join)
def test_bad_input_never_tracebacks(command, fresh_store, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("POWERBALANCE_STORE_TIMEOUT", "0.5")
    monkeypatch.delenv("POWERBALANCE_STORE", raising=False)
    if command == ("serve",):
        from powerbalance.interfaces.web import server

        def stub(*args: object, **kwargs: object) -> None:
            raise ServerWouldStart

        monkeypatch.setattr(server, "run", stub)
    click_command = COMMANDS[command]
    params = [p for p in click_command.params if p.name != "help"]
    arguments = [p for p in params if p.param_type_name == "argument"]
    options = [p for p in params if p.param_type_name != "argument"]
    store = tmp_path / "store.duckdb"
    pristine = _digest(fresh_store["store"])
    work = tmp_path / "work"

    def argument(param: Any) -> st.SearchStrategy[list[tuple[str, bytes] | str]]:
        kind = param.bare_type()
        if param.name in OUTPUT_NAMES:
            return st.sampled_from([str(work / "out.html"), str(work / "no" / "out.html")]).map(
                lambda v: [v]
            )
        if kind == "Path" or param.name in INPUT_NAMES:
            files = examples(command, param.name, fresh_store)
            one = st.sampled_from(files).flatmap(
                lambda ex: st.one_of(malformed(ex[1]), st.just(ex[1])).map(
                    lambda data: (ex[0], data)
                )
            )
            if param.name in {"source", "scenario"}:  # a file or a bundled name
                return st.one_of(one.map(lambda f: [f]), string_values().map(lambda v: [v]))
            if param.nargs == -1:
                return st.lists(one, min_size=1, max_size=2)
            return one.map(lambda f: [f])
        if kind == "int":
            return int_values(param.name).map(lambda v: [v])
        return string_values().map(lambda v: [v])

    option_lists = [option_value(p, tmp_path) for p in options]

    @settings(
        max_examples=EXAMPLES.get(command, DEFAULT_EXAMPLES),
        deadline=None,
        derandomize=True,
        database=None,
        phases=(Phase.explicit, Phase.generate),  # no shrinking: the failing command line is shown
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def case(data: st.DataObject) -> None:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        shutil.copyfile(fresh_store["store"], store)
        argv: list[str] = ["--store", str(store), *command]
        for i, param in enumerate(arguments):
            for value in data.draw(argument(param), label=param.name):
                if isinstance(value, tuple):
                    name, content = value
                    path = work / f"{i}-{name}"
                    path.write_bytes(content)
                    argv.append(str(path))
                else:
                    argv.append(value)
        chosen = data.draw(
            st.lists(st.integers(0, max(len(option_lists) - 1, 0)), max_size=3, unique=True)
            if option_lists
            else st.just([]),
            label="options",
        )
        for k in chosen:
            argv += data.draw(option_lists[k], label=options[k].name)
        if command == ("scenario", "run"):
            if "--draws" not in argv and "-n" not in argv:
                argv += ["--draws", "16"]
            argv += ["--model-draws", "2", "--no-store"]
        if data.draw(st.booleans(), label="stray argument") and data.draw(st.booleans()):
            argv.append(data.draw(STRAY, label="stray"))
        CASES[command] = CASES.get(command, 0) + 1
        try:
            rc = main(argv)
        except ServerWouldStart:
            rc = 0
        except BaseException as exc:  # the finding: report the command line with it
            pytest.fail(f"{argv!r} raised {type(exc).__name__}: {exc}")
        out, err = capsys.readouterr()
        shown = f"{argv!r}\nstdout: {out[-800:]}\nstderr: {err[-800:]}"
        assert rc in (0, 2), f"exit code {rc} for {shown}"
        assert "Traceback" not in out + err, shown
        if rc == 2:
            assert _digest(store) == pristine, f"refused, yet the store changed: {shown}"

    case()


def test_enough_cases_ran():
    """The whole file makes at least MIN_CASES cases (when every command test ran)."""
    if set(CASES) != set(COMMANDS):
        pytest.skip(f"only part of the file ran: {sum(CASES.values())} cases {CASES}")
    total = sum(CASES.values())
    print(f"bad-input cases: {total:,} over {len(CASES)} commands")  # shown with -s or -rP
    assert total >= MIN_CASES, CASES
