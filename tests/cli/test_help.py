"""Every CLI command has help text and its --help runs."""

from __future__ import annotations

import pytest
import typer.main

from powerbalance.interfaces.cli.main import app, main


def _walk(cmd, path: tuple[str, ...] = ()):
    yield path, cmd
    if hasattr(cmd, "commands"):  # a group (typer vendors its own click)
        for name, sub in cmd.commands.items():
            yield from _walk(sub, (*path, name))


COMMANDS = list(_walk(typer.main.get_command(app)))


@pytest.mark.parametrize(
    ("path", "cmd"), COMMANDS, ids=[" ".join(p) or "powerbalance" for p, _ in COMMANDS]
)
def test_command_has_help(path, cmd, capsys):
    assert (cmd.help or cmd.short_help or "").strip(), f"{' '.join(path)} has no help text"
    assert main([*path, "--help"]) == 0
    assert "Usage" in capsys.readouterr().out


def test_core_commands_present():
    names = {" ".join(p) for p, _ in COMMANDS}
    assert {"assess", "evidence list", "evidence show", "evidence import"} <= names


def test_help_does_not_import_the_heavy_layers():
    """`powerbalance --help` stays quick: no pandas, scipy, Spark or the models at import."""
    import subprocess
    import sys

    code = (
        "import sys; import powerbalance.interfaces.cli.main; "
        "print(','.join(m for m in ('pandas', 'scipy', 'pyspark', 'fastapi', "
        "'powerbalance.scenarios.montecarlo', 'powerbalance.theory.bargaining') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_dyads_help_lists_every_verb():
    from powerbalance.frames.verbs import VERBS
    from powerbalance.interfaces.cli.data import VERB_NAMES

    assert tuple(VERBS) == VERB_NAMES
