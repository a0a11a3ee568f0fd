"""Helpers shared by the CLI modules: the store option, JSON output, progress."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

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


def check_lang(value: str) -> str:
    if value not in ("en", "sv"):
        raise typer.BadParameter(f"must be en (English) or sv (Swedish), not '{value}'")
    return value


LangOption = typer.Option(
    "en", "--lang", callback=check_lang, help="Labels in English (en) or Swedish (sv)."
)


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


class ProgressReporter:
    """Progress of long work: a bar on a terminal, a line every few seconds elsewhere.

    Call ``update(done, total)`` as often as the work likes; off a terminal (a log,
    CI, a pipe) a line such as ``draws: 40,000/100,000 (40%), 3 s`` goes to standard
    error at most every ``every`` seconds, and once more when the work is done.
    """

    def __init__(self, what: str, *, every: float = 5.0, enabled: bool = True) -> None:
        self.what = what
        self.every = every
        self.enabled = enabled
        self._tty = err_console.is_terminal
        self._bar: Progress | None = None
        self._task: Any = None
        self._start = time.monotonic()
        self._last_line = self._start
        self._last: tuple[float, float | None] | None = None
        self._printed: tuple[float, float | None] | None = None

    def __enter__(self) -> ProgressReporter:
        self._start = self._last_line = time.monotonic()
        if self.enabled and self._tty:
            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=err_console,
                transient=True,
            )
            self._bar.__enter__()
            self._task = self._bar.add_task(self.what, total=None)
        return self

    def update(self, done: float, total: float | None = None, *, what: str | None = None) -> None:
        """Report ``done`` of ``total`` units (``total`` None: unknown)."""
        if what is not None:
            self.what = what
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.update(self._task, completed=done, total=total, description=self.what)
            return
        self._last = (done, total)
        now = time.monotonic()
        if now - self._last_line >= self.every:
            self._last_line = now
            self._line(done, total, now)

    def fraction(self, value: float) -> None:
        """Report progress as a fraction of the whole (engines that report 0..1)."""
        self.update(round(value * 100, 1), 100)

    def _line(self, done: float, total: float | None, now: float) -> None:
        self._printed = (done, total)
        text = f"{self.what}: {done:,.0f}"
        if total:
            text += f"/{total:,.0f} ({100 * done / total:.0f}%)"
        err_console.print(f"{text}, {now - self._start:.0f} s", highlight=False, soft_wrap=True)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            return
        now = time.monotonic()
        if (
            self.enabled
            and exc[0] is None
            and self._last is not None
            and self._last != self._printed
            and now - self._start >= self.every
        ):
            self._line(*self._last, now)
