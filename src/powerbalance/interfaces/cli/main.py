"""Entry point of the ``powerbalance`` command.

Command groups are discovered: every module in this package with a
``register(app)`` function adds its commands. User errors (bad files, unknown
ids, a busy store) print one clear message and exit with code 2.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

import typer
from rich.markup import escape

from powerbalance import __version__
from powerbalance.errors import PowerbalanceError, UserError
from powerbalance.interfaces.cli import _common

app = typer.Typer(
    name="powerbalance",
    help=(
        "Measure, model and simulate the balance of power among great powers. "
        "Start with `powerbalance assess`."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"powerbalance {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    store: Path | None = typer.Option(
        None,
        "--store",
        envvar="POWERBALANCE_STORE",
        help="The DuckDB store file (default: the user data directory).",
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Measure, model and simulate the balance of power among great powers."""
    _common.state.store_path = store


# The order commands are listed in `powerbalance --help`: the main job first, then
# each layer from the evidence upwards; modules not named here follow alphabetically.
HELP_ORDER = (
    "assess",
    "evidence",
    "theory",
    "data",
    "events",
    "bargain",
    "scenario",
    "report",
    "serve",
)


def _register_all() -> None:
    package = importlib.import_module("powerbalance.interfaces.cli")
    modules = pkgutil.iter_modules(package.__path__)

    def rank(m: pkgutil.ModuleInfo) -> tuple[int, str]:
        return (HELP_ORDER.index(m.name) if m.name in HELP_ORDER else len(HELP_ORDER), m.name)

    for info in sorted(modules, key=rank):
        if info.name.startswith("_") or info.name == "main":
            continue
        module = importlib.import_module(f"powerbalance.interfaces.cli.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_all()


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit code (2 for user errors)."""
    try:
        rc = app(args=argv, standalone_mode=False)
    except UserError as exc:
        _common.err_console.print(
            f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True
        )
        return exc.exit_code
    except PowerbalanceError as exc:
        _common.err_console.print(
            f"[bold red]internal error:[/] {escape(str(exc))}", highlight=False
        )
        return 1
    except KeyboardInterrupt:
        _common.err_console.print("interrupted; nothing half-written was kept")
        return 130
    except SystemExit as exc:  # typer.Exit inside commands
        return int(exc.code or 0)
    except Exception as exc:
        import click

        if isinstance(exc, click.exceptions.Abort):
            return 1
        if isinstance(exc, click.exceptions.Exit):
            return exc.exit_code
        if isinstance(exc, click.ClickException):
            exc.show()
            return 2
        raise
    return rc if isinstance(rc, int) else 0


if __name__ == "__main__":
    sys.exit(main())
