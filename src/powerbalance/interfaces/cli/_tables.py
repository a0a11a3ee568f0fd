"""Tables on the terminal that never cut an identifier or a number short.

Rich shortens a cell that does not fit with "…", so on a narrow terminal a run
id became ``reverse-kiss…`` and 22,887 became ``2.289…``. :func:`print_table`
lays a table out itself instead:

* ``id`` columns (run, claim and dataset ids, dates: what a user types back) are
  as wide as their longest value, so they stay whole on one line;
* ``number`` and ``ids`` columns are at least as wide as their longest number
  or id, so none is ever split (a cell of several may wrap between them);
* ``text`` columns take the width that is left and wrap by words;
* when even that does not fit, the least important columns are left out, and a
  line under the table says which ones and how to see them (``--json``).

Listings with a row limit say how many rows were not shown and how to see them
(:func:`limit_rows`, :func:`print_more`).

Examples
--------
>>> import io
>>> from rich.console import Console
>>> c = Console(width=40, file=io.StringIO(), color_system=None)
>>> cols = [Col("id", "id"), Col("n", "number"), Col("note", priority=0)]
>>> dropped = print_table(c, cols, [["reverse-kissinger-1a2b3c4d", "22,887", "a long note"]])
>>> text = c.file.getvalue()
>>> "reverse-kissinger-1a2b3c4d" in text and "22,887" in text
True
>>> dropped, "left out to fit 40 columns: note;" in text
(['note'], True)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from powerbalance.errors import UserError

Kind = Literal["id", "ids", "number", "text"]
Cell = str | Text | None
T = TypeVar("T")

# A text column keeps at least this many characters (or its whole text, if shorter)...
TEXT_MIN = 8
# ...and its longest word up to this many; longer words (URLs, paths) fold.
WORD_MAX = 24
# The left border; each column adds its padding (2) and its right border (1).
_EDGE = 1


@dataclass(frozen=True)
class Col:
    """A column of :func:`print_table`.

    Attributes
    ----------
    name : the header.
    kind : ``id`` (a value kept whole on one line), ``ids`` (several ids or values:
        wraps between them, never splits one), ``number`` (the same, right-justified)
        or ``text`` (wraps by words; a word longer than the column folds).
    priority : the higher, the longer the column stays on a narrow terminal; of
        equal priorities the rightmost column goes first.
    required : never left out (default: ``id`` columns).
    justify : left, right or center (default: right for numbers).
    style : a rich style for the whole column.
    """

    name: str
    kind: Kind = "text"
    priority: int = 1
    required: bool | None = None
    justify: Literal["left", "right", "center"] | None = None
    style: str | None = None

    @property
    def keep(self) -> bool:
        return self.kind == "id" if self.required is None else self.required


def _text(cell: Cell) -> Text:
    if cell is None:
        return Text("")
    if isinstance(cell, Text):
        return cell
    return Text.from_markup(cell)


def _widths(col: Col, cells: Sequence[Text]) -> tuple[int, int]:
    """The least width a column may have and the width it would like (its longest line)."""
    header_words = [Text(w).cell_len for w in col.name.split()] or [0]
    lines = [Text(line).cell_len for cell in cells for line in cell.plain.split("\n")] or [0]
    words = [Text(w).cell_len for cell in cells for w in cell.plain.split()] or [0]
    natural = max(max(lines), Text(col.name).cell_len)
    if col.kind == "id":
        need = max(max(lines), max(header_words))
    elif col.kind in ("ids", "number"):
        need = max(max(words), max(header_words))
    else:
        need = min(natural, max(min(max(words + header_words), WORD_MAX), TEXT_MIN))
    return need, natural


def _fill(needs: list[int], naturals: list[int], room: int) -> list[int]:
    """Widths between need and natural summing to at most ``room``, the widest capped first."""
    if sum(naturals) <= room:
        return list(naturals)
    lo, hi = 0, max(naturals)
    while lo < hi:  # the largest cap that fits
        cap = (lo + hi + 1) // 2
        if sum(max(n, min(w, cap)) for n, w in zip(needs, naturals, strict=True)) <= room:
            lo = cap
        else:
            hi = cap - 1
    widths = [max(n, min(w, lo)) for n, w in zip(needs, naturals, strict=True)]
    spare = room - sum(widths)
    for i, w in enumerate(widths):  # the remainder to the capped columns, left to right
        if spare <= 0:
            break
        if w < naturals[i]:
            widths[i] += 1
            spare -= 1
    return widths


def fit_table(
    columns: Sequence[Col],
    rows: Iterable[Sequence[Cell]],
    *,
    width: int,
    title: str | None = None,
    caption: str | None = None,
    show_header: bool = True,
    show_lines: bool = False,
) -> tuple[Table, list[str]]:
    """Build a table no wider than ``width``; return it and the names of the columns left out."""
    body = [[_text(c) for c in row] for row in rows]
    for row in body:
        if len(row) != len(columns):
            raise ValueError(f"a row has {len(row)} cells for {len(columns)} columns")
    measured = [_widths(col, [row[i] for row in body]) for i, col in enumerate(columns)]

    def fits(kept: list[int]) -> bool:
        return sum(measured[k][0] for k in kept) <= width - _EDGE - 3 * len(kept)

    # The required columns, then the others from the most important (the leftmost of
    # equals first) as long as they fit: what is left out is the least important.
    keep = [i for i, c in enumerate(columns) if c.keep]
    optional = sorted(
        (i for i, c in enumerate(columns) if not c.keep), key=lambda i: (-columns[i].priority, i)
    )
    for i in optional:
        if not keep or fits(sorted([*keep, i])):  # at least one column, whatever the width
            keep = sorted([*keep, i])
    needs = [measured[k][0] for k in keep]
    naturals = [measured[k][1] for k in keep]
    room = width - _EDGE - 3 * len(keep)
    if sum(needs) > room:  # too narrow even so: squeeze the other columns before the ids
        needs = [
            n if columns[k].kind == "id" else min(n, 6) for k, n in zip(keep, needs, strict=True)
        ]
    # still too narrow: rich folds every column (a long id then spans lines, whole)
    widths = _fill(needs, naturals, room) if sum(needs) <= room else [None] * len(keep)

    table = Table(title=title, caption=caption, show_header=show_header, show_lines=show_lines)
    for k, w in zip(keep, widths, strict=True):
        col = columns[k]
        table.add_column(
            Text(col.name, overflow="fold"),
            justify=col.justify or ("right" if col.kind == "number" else "left"),
            style=col.style,
            width=w,
            no_wrap=False,  # "fold" breaks only words wider than the column: never "…"
            overflow="fold",
        )
    for row in body:
        table.add_row(*(row[k] for k in keep))
    return table, [columns[i].name for i in range(len(columns)) if i not in keep]


def print_table(
    console: Console,
    columns: Sequence[Col],
    rows: Iterable[Sequence[Cell]],
    *,
    title: str | None = None,
    caption: str | None = None,
    show_header: bool = True,
    show_lines: bool = False,
    see_all: str = "--json",
) -> list[str]:
    """Print a table that fits the console; say which columns were left out, if any.

    ``see_all`` names the option that shows every column (``--json``). Returns the
    names of the columns left out.
    """
    table, dropped = fit_table(
        columns,
        rows,
        width=console.width,
        title=title,
        caption=caption,
        show_header=show_header,
        show_lines=show_lines,
    )
    console.print(table)
    if dropped:
        console.print(
            escape(
                f"(left out to fit {console.width} columns: {', '.join(dropped)}; "
                f"{see_all} shows all)"
            ),
            highlight=False,
            soft_wrap=True,
        )
    return dropped


def check_limit(limit: int, option: str = "--limit") -> int:
    """A row limit: 0 for every row or a positive number of rows."""
    if limit < 0:
        raise UserError(f"{option} must be 0 (every row) or a positive number of rows, not {limit}")
    return limit


def limit_rows(rows: Sequence[T], limit: int) -> tuple[Sequence[T], int]:
    """The first ``limit`` rows (all if 0) and how many were left out."""
    if limit <= 0 or len(rows) <= limit:
        return rows, 0
    return rows[:limit], len(rows) - limit


def print_more(console: Console, hidden: int, how: str = "use --limit 0 to show all") -> None:
    """Say how many rows a listing left out and how to see them."""
    if hidden > 0:
        noun = "row" if hidden == 1 else "rows"
        console.print(
            escape(f"{hidden:,} more {noun} not shown; {how}"), highlight=False, soft_wrap=True
        )
