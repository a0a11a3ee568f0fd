"""Relations from UN General Assembly votes (rule ``unvotes-alignment-v1``).

For each pair of states, the rule takes the chosen alignment measure of every
calendar year in a window (Cohen's kappa by default, as Hage 2011 recommends;
or Signorino and Ritter's S), averages it weighted by the votes the two cast in
common that year, and reads the mean as a signed tie:

- **sign** = sign(mean), 0 inside a dead band (default |mean| < 0.05) or when
  the pair shared fewer than ``min_votes`` votes in the window;
- **strength** = |mean| (both measures lie in [-1, 1]).

Yes/abstain/no are 1/2/3 and S uses d_max = 2, as in
:func:`powerbalance.indicators.alignment.dyadic_alignment`.

References
----------
Signorino, C. S., & Ritter, J. M. (1999). Tau-b or not tau-b. *International
Studies Quarterly* 43(1), 115-144. doi:10.1111/0020-8833.00113
Hage, F. M. (2011). Choice or circumstance? Adjusting measures of foreign
policy similarity for chance agreement. *Political Analysis* 19(3), 287-305.
doi:10.1093/pan/mpr023
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import Literal

import numpy as np
import pandas as pd

from powerbalance.actors import TRIANGLE
from powerbalance.datasets.codes import to_cow
from powerbalance.datasets.registry import DataSources
from powerbalance.datasets.unga import load_un_votes
from powerbalance.errors import UserError
from powerbalance.indicators.alignment import dyadic_alignment
from powerbalance.relations.base import Relation

RULE = "unvotes-alignment-v1"


def derive_unvote_relations(
    votes: pd.DataFrame,
    actors: Sequence[str] = TRIANGLE,
    *,
    start: int,
    end: int,
    measure: Literal["kappa", "s_score"] = "kappa",
    min_votes: int = 30,
    dead_band: float = 0.05,
) -> list[Relation]:
    """Relations for every pair of ``actors`` from their UN votes in ``start..end``.

    Parameters
    ----------
    votes
        ``rcid, ccode, year, vote`` (COW codes; 1 yes, 2 abstain, 3 no), as
        :func:`powerbalance.datasets.readers.read_unvotes` returns them.
    actors
        ISO3 codes (or anything :func:`~powerbalance.datasets.codes.to_cow` reads).
    start, end
        The calendar years of the window, inclusive.

    Examples
    --------
    >>> v = pd.DataFrame({"rcid": list(range(40)) * 2, "ccode": [2] * 40 + [365] * 40,
    ...                   "year": [1990] * 80, "vote": [1] * 40 + [1] * 30 + [3] * 10})
    >>> [(r.a, r.b, r.sign, round(r.components["s_score"], 3))
    ...  for r in derive_unvote_relations(v, ["USA", "RUS"], start=1990, end=1990,
    ...                                   measure="s_score")]
    [('USA', 'RUS', 1, 0.5)]
    """
    if end < start:
        raise UserError(f"the UN-vote window ends ({end}) before it starts ({start})")
    if measure not in ("kappa", "s_score"):
        raise UserError(f"measure must be 'kappa' or 's_score', not '{measure}'")
    codes = {a: to_cow(a) for a in actors}
    window = votes[(votes["year"] >= start) & (votes["year"] <= end)]
    if window.empty:
        raise UserError(
            f"the UN votes hold no roll call in {start}-{end}; "
            f"they cover {int(votes['year'].min())}-{int(votes['year'].max())} "
            "(unvotes ends in 2020; register the UN's resolution files, unga-75 ... unga-80 "
            "and unga-2025, for the later years)"
        )
    table = dyadic_alignment(window, states=sorted(codes.values()))
    out = []
    for a, b in combinations(actors, 2):
        lo, hi = sorted((codes[a], codes[b]))
        rows = table[(table.ccode1 == lo) & (table.ccode2 == hi)].dropna(subset=[measure])
        n = float(rows["votes_common"].sum()) if len(rows) else 0.0
        mean = float(np.average(rows[measure], weights=rows["votes_common"])) if n > 0 else 0.0
        signed = n >= min_votes and abs(mean) >= dead_band
        sign = (1 if mean > 0 else -1) if signed else 0
        out.append(
            Relation(
                a=a,
                b=b,
                sign=sign,
                strength=min(1.0, abs(mean)) if signed else 0.0,
                channel="unvotes",
                rule=RULE,
                period=f"{start}-{end}",
                components={measure: mean, "votes_common": n, "years": float(len(rows))},
                evidence=(f"unvotes:{start}-{end}",),
            )
        )
    return out


def unvote_relations_from_data(
    data: DataSources,
    actors: Sequence[str] = TRIANGLE,
    *,
    start: int,
    end: int,
    measure: Literal["kappa", "s_score"] = "kappa",
    min_votes: int = 30,
    dead_band: float = 0.05,
) -> list[Relation]:
    """:func:`derive_unvote_relations` on every registered UN vote file, 1946 to 2025.

    unvotes (to 2020-01-14) joined with the UN's resolution files
    (:func:`powerbalance.datasets.unga.load_un_votes`), so a window may reach 2025.
    """
    votes = load_un_votes(data)
    if votes is None:
        from powerbalance.datasets.errors import DatasetNotRegistered

        raise DatasetNotRegistered("unvotes", purpose="UN-vote relations")
    return derive_unvote_relations(
        votes,
        actors,
        start=start,
        end=end,
        measure=measure,
        min_votes=min_votes,
        dead_band=dead_band,
    )
