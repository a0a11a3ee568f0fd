"""Named errors and warnings of the datasets layer."""

from __future__ import annotations

from collections.abc import Iterable

from powerbalance.errors import UnknownDataset, UserError, suggest


class NoSuchDataset(UnknownDataset):
    """A dataset id that has no card; the message lists close ids and the command to see all."""

    def __init__(self, value: str, known: Iterable[str]) -> None:
        known = list(known)
        self.value = value
        self.suggestions = suggest(value, known)
        message = f"unknown dataset '{value}'"
        if self.suggestions:
            message += "; did you mean " + ", ".join(f"'{s}'" for s in self.suggestions) + "?"
        message += " (see `powerbalance data list`)"
        UserError.__init__(self, message)


class DatasetNotRegistered(UserError):
    """A computation needs a dataset that is neither registered nor found under --data-dir."""

    def __init__(self, dataset_id: str, *, purpose: str | None = None) -> None:
        self.dataset = dataset_id
        need = f" (needed for {purpose})" if purpose else ""
        super().__init__(
            f"dataset '{dataset_id}' is not available{need}; download it (see "
            f"`powerbalance data info {dataset_id}`) and register it with "
            f"`powerbalance data add {dataset_id} PATH`, or pass --data-dir FOLDER"
        )


class UnknownCountry(UserError):
    """A country name or code that the code table cannot map."""


class CoverageWarning(UserWarning):
    """Years were asked for outside a dataset's coverage; those values are missing."""
