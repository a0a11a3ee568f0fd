"""Every error class of powerbalance survives pickling (a worker process sends it back)."""

from __future__ import annotations

import pickle

import pytest

import powerbalance.engines.duckdb_engine
import powerbalance.engines.spark_engine
import powerbalance.interfaces.cli.main
import powerbalance.interfaces.web.app
import powerbalance.scenarios.montecarlo
import powerbalance.theory.bargaining  # noqa: F401
from powerbalance.errors import InputFileError, PowerbalanceError, UnknownActor, UserError


def _all_subclasses(cls: type) -> list[type]:
    out = []
    for sub in cls.__subclasses__():
        out.append(sub)
        out.extend(_all_subclasses(sub))
    return sorted(set(out), key=lambda c: f"{c.__module__}.{c.__qualname__}")


ERRORS = _all_subclasses(PowerbalanceError)


def test_the_walk_finds_errors_of_every_layer():
    modules = {c.__module__.split(".")[1] for c in ERRORS}
    assert {"errors", "datasets", "engines", "scenarios", "theory"} <= modules
    assert len(ERRORS) >= 25


@pytest.mark.parametrize("cls", ERRORS, ids=lambda c: c.__qualname__)
def test_each_error_class_round_trips(cls):
    error = cls.__new__(cls)
    Exception.__init__(error, f"a {cls.__name__} for the test")
    error.__dict__.update({"file": "f.csv", "field": "x"})
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is cls
    assert str(back) == str(error)
    assert back.__dict__ == error.__dict__
    assert isinstance(back, UserError) == isinstance(error, UserError)


def test_errors_built_by_their_constructors_round_trip():
    for error in (
        InputFileError("claims.yaml", "not a date", record="line 4", field="date", hint="x"),
        UnknownActor("RUSS", ["RUS", "USA"]),
    ):
        back = pickle.loads(pickle.dumps(error))
        assert str(back) == str(error) and back.__dict__ == error.__dict__
