"""Issues with a known outcome: what bargaining models are validated and calibrated on.

An :class:`Issue` is one controversial issue of a decision (as in the DEU data
set: Thomson et al. 2012): the actors' table (capability, position, salience,
and the reference point where known), the outcome actually adopted, and the
proposal it belongs to, so that cross-validation can keep the issues of one
proposal in one fold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from powerbalance.theory.bargaining.table import ActorTable


@dataclass(frozen=True)
class Issue:
    """One issue with its outcome.

    Attributes
    ----------
    id
        The issue's id in its data set.
    proposal
        The proposal (legislative act) it belongs to: folds never split one.
    table
        The actors who took a position on it (``table.reference_point`` holds the
        status quo where known).
    outcome
        The outcome adopted, one value per dimension of ``table``, on its scale.
    info
        Anything else the data set records (procedure, voting rule, dates).
    """

    id: str
    proposal: str
    table: ActorTable
    outcome: tuple[float, ...]
    info: dict[str, Any] = field(default_factory=dict)
