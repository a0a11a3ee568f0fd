"""Scenarios: declarative shocks, the transmission model, Monte Carlo, stored runs.

Read a scenario with :func:`load_scenario` (a TOML file or a bundled name),
run it with :func:`run_scenario` and store it with :func:`save_run`; the
use cases in :mod:`powerbalance.app.scenarios` do all three for the command
line, the dashboard and the report. Plots live in :mod:`powerbalance.scenarios.plots` (matplotlib
is imported only when a plot is drawn).
"""

from powerbalance.scenarios.montecarlo import RunResult, run_scenario, summarize
from powerbalance.scenarios.parameters import PARAMETERS, Parameter
from powerbalance.scenarios.runs import (
    StoredRun,
    compare_runs,
    get_run,
    list_runs,
    replay_run,
    save_run,
)
from powerbalance.scenarios.schema import Scenario, bundled_names, load_scenario, parse_scenario

__all__ = [
    "PARAMETERS",
    "Parameter",
    "RunResult",
    "Scenario",
    "StoredRun",
    "bundled_names",
    "compare_runs",
    "get_run",
    "list_runs",
    "load_scenario",
    "parse_scenario",
    "replay_run",
    "run_scenario",
    "save_run",
    "summarize",
]
