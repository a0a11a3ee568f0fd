"""The errors powerbalance raises, named for the condition.

Every error a user can cause derives from :class:`UserError`; the command line
prints its message (which says what to do next) and exits with code 2. Other
:class:`PowerbalanceError` subclasses are failures of the program itself.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class PowerbalanceError(Exception):
    """Base of every error raised on purpose by powerbalance.

    Errors cross process boundaries intact (a scenario job's worker sends its
    error back to the dashboard by pickling it): an error is rebuilt from its
    message and attributes, never by calling its ``__init__`` again, whose
    arguments differ from class to class.
    """

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))


def _rebuild(
    cls: type[PowerbalanceError], args: tuple[object, ...], state: dict[str, object]
) -> PowerbalanceError:
    """Recreate a pickled error without calling its ``__init__``."""
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class UserError(PowerbalanceError):
    """Bad input, a bad option or a missing file: the user can fix it (exit code 2)."""

    exit_code = 2


class InputFileError(UserError):
    """A record in a user's file is malformed.

    The message names the file, the record (line number or index) and the field.
    """

    def __init__(
        self,
        file: str,
        problem: str,
        *,
        record: str | int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.file = file
        self.record = record
        self.field = field
        self.problem = problem
        where = file
        if record is not None:
            where += f", {record}" if isinstance(record, str) else f", record {record}"
        if field is not None:
            where += f", field '{field}'"
        message = f"{where}: {problem}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)


class EvidenceFileError(InputFileError):
    """An evidence file (claims, events, stances, sources, actors) is malformed."""


class UnknownIdError(UserError):
    """An id does not name anything known; the message suggests close matches."""

    kind = "id"
    listing = "list the known ones with `powerbalance evidence list --kind actor`"

    def __init__(self, value: str, known: Iterable[str], *, context: str | None = None) -> None:
        self.value = value
        self.suggestions = suggest(value, known)
        message = f"unknown {self.kind} '{value}'"
        if context:
            message = f"{context}: {message}"
        if self.suggestions:
            message += "; did you mean " + ", ".join(f"'{s}'" for s in self.suggestions) + "?"
        else:
            message += f"; {self.listing}"
        super().__init__(message)


class UnknownActor(UnknownIdError):
    """An actor id that is not in the evidence base."""

    kind = "actor"


class UnknownRecord(UnknownIdError):
    """An evidence id (claim, event, stance, source) that is not in the store."""

    kind = "record"
    listing = "list the records with `powerbalance evidence list`"


class UnknownIndicator(UnknownIdError):
    """An indicator key outside the controlled vocabulary."""

    kind = "indicator"
    listing = "list the indicators with `powerbalance evidence vocabulary`"


class UnknownDataset(UnknownIdError):
    """A dataset id that has no card."""

    kind = "dataset"
    listing = "list the datasets with `powerbalance data list`"


class StoreBusy(UserError):
    """Another process holds the store open for writing."""


class StoreError(UserError):
    """The store file cannot be opened or is not a powerbalance store."""


class FrameUnitError(UserError):
    """A frame verb was given a frame of the wrong unit (state-year vs dyad-year)."""


class DatasetFormatError(InputFileError):
    """A file registered as a dataset does not have that dataset's columns or format."""


class MissingEvidence(UserError):
    """A computation needs evidence that the store does not hold."""


def suggest(value: str, known: Iterable[str], *, n: int = 3) -> list[str]:
    """Return up to ``n`` known values close to ``value`` (case-insensitive).

    Examples
    --------
    >>> suggest("RUSS", ["RUS", "USA", "CHN"])
    ['RUS']
    """
    known = list(known)
    by_lower = {k.lower(): k for k in known}
    matches = difflib.get_close_matches(value.lower(), list(by_lower), n=n, cutoff=0.6)
    prefix = [
        k for k in known if k.lower().startswith(value.lower()) and k.lower() != value.lower()
    ]
    out: list[str] = []
    for m in [by_lower[m] for m in matches] + prefix:
        if m not in out:
            out.append(m)
    return out[:n]


class LimitExceeded(UserError):
    """A request for more work than powerbalance allows (see :mod:`powerbalance.limits`)."""
