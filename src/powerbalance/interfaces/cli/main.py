"""Entry point of the ``powerbalance`` command.

Each command module of this package adds its commands with ``register(app)``.
Every error a user can cause ends in one line on standard error and exit code 2:
our own :class:`~powerbalance.errors.UserError` and the command-line library's
usage errors (an unknown command, a missing argument, a bad option value).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import typer
from rich.markup import escape

from powerbalance import __version__
from powerbalance.errors import PowerbalanceError, UserError
from powerbalance.interfaces.cli import (
    _common,
    assess,
    bargain,
    data,
    events,
    evidence,
    history,
    ingest,
    report,
    scenario,
    serve,
    theory,
)

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
# each layer from the evidence upwards.
for _module in (
    assess,
    evidence,
    ingest,
    theory,
    history,
    data,
    events,
    bargain,
    scenario,
    report,
    serve,
):
    _module.register(app)


def _walk(
    command: typer.core.TyperCommand | typer.core.TyperGroup,
    name: str,
    parent: typer.Context | None = None,
) -> None:
    """Show every flag as a flag in ``--help`` (typer marks them ``<bool>``).

    A flag's metavar is set empty, which the help renderer omits; the help option
    itself is created per command on first use, so it is created here.
    """
    ctx = typer.Context(command, info_name=name, parent=parent, **command.context_settings)
    for param in [*command.params, command.get_help_option(ctx)]:
        if isinstance(param, typer.core.TyperOption) and param.is_flag:
            param.metavar = ""
    for sub_name, sub in getattr(command, "commands", {}).items():
        _walk(sub, sub_name, ctx)


def command() -> typer.core.TyperGroup:
    """The click command behind ``app``, with flags shown as flags in its help."""
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)  # an app of several commands
    _walk(group, "powerbalance")
    return group


_COMMAND = command()


#: typer 0.29 checks option values with pydantic and words its refusals so;
#: they are said plainly here.
_PLAIN_WORDS = [
    (re.compile(r"Input should be greater than or equal to (\S+)"), r"must be at least \1"),
    (re.compile(r"Input should be less than or equal to (\S+)"), r"must be at most \1"),
    (re.compile(r"Input should be greater than (\S+)"), r"must be more than \1"),
    (re.compile(r"Input should be less than (\S+)"), r"must be less than \1"),
    (
        re.compile(r"Input should be a valid integer(, unable to parse string as an integer)?"),
        "must be a whole number",
    ),
    (
        re.compile(r"Input should be a valid number(, unable to parse string as a number)?"),
        "must be a number",
    ),
]


def _usage_error(exc: typer.TyperException) -> int:
    """Print a usage error of the command-line library in one line; return its exit code.

    Typer raises click's exceptions from the copy of click it bundles; their
    public base is ``typer.TyperException``, with ``exit_code`` and
    ``format_message()``. A command group called without a command raises one
    whose message is the group's help, which is shown whole.
    """
    message = exc.format_message().strip()
    ctx = getattr(exc, "ctx", None)
    if not message or "\n" in message:  # a group called without a command: its help
        if message:  # (typer's rich help is printed already and leaves the message empty)
            _common.err_console.print(message, markup=False, highlight=False, soft_wrap=True)
        return 2
    where = ctx.command_path if ctx is not None else "powerbalance"
    for pattern, words in _PLAIN_WORDS:
        message = pattern.sub(words, message)
    if message.startswith("Got unexpected extra argument"):
        message += " (a flag such as --json takes no value)"
    _common.err_console.print(
        f"[bold red]error:[/] {escape(message)} (see `{escape(where)} --help`)",
        highlight=False,
        soft_wrap=True,
    )
    return exc.exit_code if exc.exit_code else 2


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit code (2 for user errors)."""
    try:
        rc = _COMMAND.main(args=argv, prog_name="powerbalance", standalone_mode=False)
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
    except OSError as exc:
        # The file system refused a path the user gave (too long a name, no
        # permission, a full disk): a user error, named with its path.
        where = f"{exc.filename}: " if exc.filename else ""
        reason = exc.strerror or str(exc)
        _common.err_console.print(
            f"[bold red]error:[/] {escape(where + reason)}", highlight=False, soft_wrap=True
        )
        return 2
    except KeyboardInterrupt:
        _common.err_console.print("interrupted; nothing half-written was kept")
        return 130
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        _common.err_console.print("aborted")
        return 1
    except typer.TyperException as exc:
        return _usage_error(exc)
    except SystemExit as exc:
        return int(exc.code or 0)
    return rc if isinstance(rc, int) else 0


if __name__ == "__main__":
    sys.exit(main())
