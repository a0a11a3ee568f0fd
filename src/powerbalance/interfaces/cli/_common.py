"""Helpers shared by the CLI modules: the store option, JSON output, progress."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from powerbalance.evidence.store import Store, open_store

console = Console()
err_console = Console(stderr=True)


class State:
    """Options given before the command (``powerbalance --store PATH CMD``)."""

    store_path: Path | None = None


state = State()

StoreOption = typer.Option(
    None,
    "--store",
    help="The DuckDB store file (default: $POWERBALANCE_STORE or the user data directory).",
    show_default=False,
)

JsonOption = typer.Option(False, "--json", help="Print the result as JSON instead of tables.")


@contextmanager
def store(path: Path | None = None, *, read_only: bool = False) -> Iterator[Store]:
    """Open the store named by the command's ``--store``, the global one, or the default."""
    with open_store(path or state.store_path, read_only=read_only) as s:
        yield s


def _default(o: Any) -> Any:
    if isinstance(o, (date, datetime)):
        return o.isoformat()
    if hasattr(o, "model_dump"):
        return o.model_dump(mode="json")
    if hasattr(o, "tolist"):
        return o.tolist()
    if hasattr(o, "item"):
        return o.item()
    if isinstance(o, (set, frozenset)):
        return sorted(o)
    if isinstance(o, Path):
        return str(o)
    raise TypeError(f"cannot encode {type(o).__name__} as JSON")


def to_json(data: Any, *, indent: int | None = 2) -> str:
    return json.dumps(data, default=_default, ensure_ascii=False, indent=indent, allow_nan=False)


def emit_json(data: Any) -> None:
    """Write JSON to standard output (NaN becomes null: missing is not zero).

    Indented on a terminal; compact when piped, where Python's C encoder is many
    times faster on large results (``jq`` re-indents).
    """
    indent = 2 if sys.stdout.isatty() else None
    sys.stdout.write(to_json(_nan_to_none(data), indent=indent) + "\n")


def _nan_to_none(o: Any) -> Any:
    if isinstance(o, float) and o != o:
        return None
    if isinstance(o, dict):
        return {k: _nan_to_none(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_nan_to_none(v) for v in o]
    return o


class LazyModule:
    """A module imported on first attribute access, so `powerbalance --help` stays quick."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        import importlib

        return getattr(importlib.import_module(self._name), attr)
