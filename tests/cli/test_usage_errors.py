"""Usage errors end in one clear line and exit code 2, never a traceback.

The cases are the ones a newcomer meets first: a typo, a missing or extra
argument, a value for a flag, an option value of the wrong type or out of range,
a bare command group. Typer raises them from the copy of click it bundles;
``main`` catches them by typer's public exception classes.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import typer

from powerbalance.interfaces.cli.main import command, main

CASES = [
    (["asess"], "No such command 'asess'", "Did you mean 'assess'"),
    (["evidence", "shwo"], "No such command 'shwo'", "show"),
    (["evidence", "show"], "Missing argument", "evidence show --help"),
    (["assess", "--json", "true"], "unexpected extra argument", "takes no value"),
    (["assess", "extra", "words"], "unexpected extra argument", "assess --help"),
    (["assess", "--nope"], "No such option: --nope", "assess --help"),
    (["scenario", "run", "reverse-kissinger", "--draws", "-1"], "--draws", "1"),
    (["serve", "--port", "abc"], "--port", "whole number"),
    (["serve", "--port", "70000"], "--port", "65535"),
    (["bargain", "us-russia", "--runs", "many"], "--runs", "whole number"),
]


@pytest.mark.parametrize(("argv", "first", "second"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_usage_error_is_one_line(argv, first, second, capsys, store_path):
    rc = main(argv)
    out, err = capsys.readouterr()
    assert rc == 2
    assert "Traceback" not in out + err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert first.lower() in lines[0].lower() and second.lower() in lines[0].lower(), lines[0]


@pytest.mark.parametrize("argv", [[], ["evidence"], ["scenario"], ["data"]])
def test_bare_group_shows_its_help(argv, capsys, store_path):
    rc = main(argv)
    out, err = capsys.readouterr()
    assert rc == 2
    assert "Usage" in out + err and "Traceback" not in out + err


def test_the_installed_command_exits_2_on_a_typo():
    """Through the real entry point, as a shell runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "powerbalance.interfaces.cli.main", "asess"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip().startswith("error: No such command 'asess'")
    assert "Traceback" not in done.stderr


def test_exceptions_are_typers_public_classes():
    """What main catches is what typer raises: its usage errors derive from TyperException."""
    assert issubclass(typer.BadParameter, typer.TyperException)
    assert typer.BadParameter("x").exit_code == 2


def _help_lines(argv: list[str], capsys) -> list[str]:
    assert main([*argv, "--help"]) == 0
    return capsys.readouterr().out.splitlines()


def test_help_shows_flags_as_flags(capsys):
    lines = _help_lines(["assess"], capsys)
    json_line = next(line for line in lines if "--json" in line)
    help_line = next(line for line in lines if "--help" in line)
    assert "<bool>" not in json_line and "<bool>" not in help_line
    assert "-h" in help_line
    # every flag of every command
    group = command()
    stack = [group]
    while stack:
        cmd = stack.pop()
        for param in cmd.params:
            if getattr(param, "is_flag", False):
                assert param.metavar == "", f"{cmd.name}: {param.name}"
        stack.extend(getattr(cmd, "commands", {}).values())


@pytest.mark.parametrize(
    "argv",
    [
        ["events", "aggregate", "sample.CSV", "--engine", "spark"],
        ["scenario", "run", "reverse-kissinger", "--engine", "spark", "--draws", "10"],
    ],
)
def test_missing_extra_is_named(argv, tmp_path):
    """Without PySpark, a Spark command names the extra to install and exits 2."""
    if argv[0] == "events":
        rc = main(["events", "synth", "--rows", "100", str(tmp_path / "sample.CSV")])
        assert rc == 0
        argv = [a if a != "sample.CSV" else str(tmp_path / "sample.CSV") for a in argv]
    code = (
        "import sys; sys.modules['pyspark'] = None; sys.modules['pyspark.sql'] = None\n"
        "from powerbalance.interfaces.cli.main import main\n"
        f"sys.exit(main({argv!r}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "POWERBALANCE_STORE": str(tmp_path / "s.duckdb")},
    )
    assert done.returncode == 2, done.stderr
    assert "powerbalance[spark]" in done.stderr
    assert "Traceback" not in done.stderr
    assert len([line for line in done.stderr.splitlines() if line.strip()]) == 1, done.stderr
