"""Errors of the scenarios layer, named for the condition."""

from __future__ import annotations

from powerbalance.errors import InputFileError, UnknownIdError, UserError


class ScenarioFileError(InputFileError):
    """A scenario file is malformed: the message names the key and what is allowed."""


class ImpossibleShock(ScenarioFileError):
    """A shock that cannot happen (a share above 100%, a negative flow, an unknown channel)."""


class UnknownScenario(UnknownIdError):
    """A scenario name that is neither a file nor a bundled scenario."""

    kind = "scenario"

    def __init__(self, value: str, known: list[str]) -> None:
        super().__init__(value, known, context="no such scenario file or bundled scenario")
        if not self.suggestions:
            self.args = (
                f"{self.args[0].split(';')[0]}; the bundled ones are: {', '.join(known)} "
                "(`powerbalance scenario list --bundled`)",
            )


class UnknownRun(UnknownIdError):
    """A run id that is not in the store."""

    kind = "run"

    def __init__(self, value: str, known: list[str]) -> None:
        super().__init__(value, known)
        if not self.suggestions:
            self.args = (
                f"unknown run '{value}'; list the stored runs with `powerbalance scenario list`",
            )


class ReplayMismatch(UserError):
    """A stored run did not reproduce: the code or the evidence changed since it was made."""
