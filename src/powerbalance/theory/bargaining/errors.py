"""Errors of the bargaining models, named for the condition."""

from __future__ import annotations

from powerbalance.datasets.bargaining_tables import ActorTableError
from powerbalance.errors import UnknownIdError, UserError

__all__ = ["ActorTableError", "BargainingOptionError", "UnknownActorSet"]


class UnknownActorSet(UnknownIdError):
    """A bundled actor-set name that does not exist."""

    kind = "actor set"

    def __init__(self, value: str, known: list[str]) -> None:
        super().__init__(value, known)
        message = f"unknown actor set '{value}'; the bundled sets are: {', '.join(known)}"
        if self.suggestions:
            message += " (did you mean " + ", ".join(f"'{s}'" for s in self.suggestions) + "?)"
        else:
            message += "; or give the path of a CSV or YAML actor table"
        self.args = (message,)


class BargainingOptionError(UserError):
    """A model option or an override names something that does not exist or is out of range."""
