"""Errors of the bargaining models, named for the condition.

:class:`ActorTableError` and :class:`UnknownActorSet` are raised where tables are
read and bundled sets looked up (:mod:`powerbalance.datasets.bargaining_tables`)
and re-exported here.
"""

from __future__ import annotations

from powerbalance.datasets.bargaining_tables import ActorTableError, UnknownActorSet
from powerbalance.errors import UserError

__all__ = ["ActorTableError", "BargainingOptionError", "UnknownActorSet"]


class BargainingOptionError(UserError):
    """A model option or an override names something that does not exist or is out of range."""
