"""The theory use cases: ``powerbalance triangle`` and ``powerbalance balance``.

:func:`triangle` reads Dittmer's strategic triangle of the USA, Russia and
China from the evidence; :func:`balance` reads a signed edge list and computes
the structural balance of each of its groups. Both return the theory layer's
typed results (:class:`~powerbalance.theory.triangle.TriangleReading`,
:class:`~powerbalance.theory.balance.BalanceReport`); the command line, the
dashboard and the report only format them (``to_dict()`` gives the JSON).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from powerbalance.errors import UserError
from powerbalance.limits import LIMITS

if TYPE_CHECKING:
    from powerbalance.evidence import Evidence
    from powerbalance.theory.balance import BalanceReport
    from powerbalance.theory.triangle import TriangleReading

__all__ = ["DEFAULT_TIME_LIMIT", "balance", "check_time_limit", "triangle"]

#: Seconds allowed to the exact frustration index of each group unless the caller says.
DEFAULT_TIME_LIMIT = 60.0

#: Called with (groups done, groups) after each group of :func:`balance`.
Progress = Callable[[int, int], None]


def check_time_limit(time_limit: float, *, option: str = "--time-limit") -> float:
    """``time_limit`` when it is a number of seconds the limits allow; else a :class:`UserError`.

    Examples
    --------
    >>> check_time_limit(5)
    5
    >>> check_time_limit(0)
    Traceback (most recent call last):
    ...
    powerbalance.errors.UserError: --time-limit must be a positive number of seconds, got 0
    """
    if not math.isfinite(time_limit) or time_limit <= 0:
        raise UserError(f"{option} must be a positive number of seconds, got {time_limit:g}")
    LIMITS["balance.time_limit"].check(time_limit, option=option)
    return time_limit


def balance(
    edges: str | Path,
    *,
    group: Sequence[str] = (),
    time_limit: float = DEFAULT_TIME_LIMIT,
    weighted: bool = False,
    progress: Progress | None = None,
) -> list[BalanceReport]:
    """Structural balance of each group of a signed edge list (``powerbalance balance``).

    Parameters
    ----------
    edges
        A CSV edge list with columns ``source,target,sign[,weight]`` (``from,to`` also work),
        read by :func:`powerbalance.datasets.edgelist.read_edge_list`.
    group
        Columns splitting the file into separate graphs (none: one graph).
    time_limit
        Seconds for the exact frustration index of each group (checked against
        ``LIMITS["balance.time_limit"]`` before any work).
    weighted
        Use the ``weight`` column (walk index and frustration).
    progress
        Called with ``(groups done, groups)`` after each group.

    Returns
    -------
    list of BalanceReport
        One per group, in the file's order of groups.

    Raises
    ------
    UserError
        For a time limit that is not a positive number of seconds within the limit,
        and (as :class:`~powerbalance.errors.InputFileError`) for a file that is not a
        signed edge list.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = Path(d) / "ties.csv"
    ...     _ = path.write_text("source,target,sign\\nUSA,RUS,+\\nRUS,CHN,+\\nUSA,CHN,-\\n")
    ...     [r.frustration.value for r in balance(path)]
    [1.0]
    """
    check_time_limit(time_limit)
    from powerbalance.datasets.edgelist import read_edge_list
    from powerbalance.theory.balance import balance_reports
    from powerbalance.theory.signed import signed_graphs

    groups = list(group)
    graphs = signed_graphs(read_edge_list(edges, group=groups or None))
    return balance_reports(
        graphs, group=groups, time_limit=time_limit, weighted=weighted, progress=progress
    )


def triangle(
    evidence: Evidence, *, overrides: Sequence[str] = (), weighted: bool = False
) -> TriangleReading:
    """Dittmer's strategic triangle of the USA, Russia and China (``powerbalance triangle``).

    Parameters
    ----------
    evidence
        The evidence whose relations make the three ties.
    overrides
        Signs set by hand, e.g. ``["USA-RUS=+"]``
        (:func:`powerbalance.theory.triangle.parse_override`).
    weighted
        Scale each score term by the tie's strength.

    Examples
    --------
    >>> from powerbalance.actors import TRIANGLE
    >>> from powerbalance.evidence import load_corpus
    >>> reading = triangle(load_corpus())
    >>> reading.actors == TRIANGLE
    True
    >>> triangle(load_corpus(), overrides=["USA-RUS=+"]).overrides
    {'USA-RUS': 1}
    """
    from powerbalance.theory.triangle import evidence_triangle

    return evidence_triangle(evidence, overrides=list(overrides), weighted=weighted)
