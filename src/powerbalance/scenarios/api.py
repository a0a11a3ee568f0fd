"""The functions the CLI and the dashboard call: one per command, no logic above them."""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from powerbalance.datasets.registry import registrations
from powerbalance.evidence.store import Store
from powerbalance.limits import LIMITS
from powerbalance.scenarios.montecarlo import Engine, Progress, RunResult, run_scenario
from powerbalance.scenarios.parameters import PARAMETERS
from powerbalance.scenarios.plots import save_plots
from powerbalance.scenarios.runs import (
    StoredRun,
    compare_runs,
    get_run,
    list_runs,
    replay_run,
    save_run,
    save_run_or_keep,
)
from powerbalance.scenarios.schema import (
    bundled_names,
    check_evidence,
    load_scenario,
    resolve_datasets,
)


def run_and_store(
    store: Store | Callable[..., AbstractContextManager[Store]],
    file_or_name: str | Path,
    *,
    draws: int | None = None,
    seed: int | None = None,
    engine: Engine = "numpy",
    workers: int = 1,
    progress: Progress | None = None,
    model_draws: int | None = None,
    model_progress: Progress | None = None,
    plot_dir: str | Path | None = None,
    plot_formats: tuple[str, ...] = ("png",),
    keep: bool = True,
    notice: Callable[[str], None] | None = None,
) -> tuple[RunResult, list[Path]]:
    """Validate a scenario, run it on the store's evidence, store the run, write its plots.

    ``store`` is an open store, or a function opening one (``opener(read_only=True)``):
    then the evidence is read without the write lock and the store is opened for
    writing only to save the finished run, so other commands are not kept waiting
    during a long run. Everything that can be refused (the file, the shocks, the
    plot format, the number of draws, an evidence id the store does not hold) is
    refused before the first draw; the run is stored only once it is complete.

    With an opener, a store that is busy when the run is finished is waited for
    (``$POWERBALANCE_RUN_SAVE_WAIT`` seconds, default 30), then the run is kept
    in a pending file beside the store that the next command opening the store
    adds (:func:`~powerbalance.scenarios.runs.save_run_or_keep`); ``notice``
    (default: a ``note:`` line on standard error) is told so.
    """
    if draws is not None:
        LIMITS["scenario.draws"].check(draws, option="--draws")
    scenario = load_scenario(file_or_name)
    if plot_dir is not None:
        bad = [f for f in plot_formats if f not in ("png", "svg")]
        if bad:
            from powerbalance.errors import UserError

            raise UserError(f"plot format {', '.join(bad)} is not supported; use png or svg")
    store_path = None
    if isinstance(store, Store):
        evidence = store.evidence()
        scenario = resolve_datasets(scenario, registrations(store))
    else:
        with store(read_only=True) as s:
            evidence = s.evidence()
            store_path = s.path
            scenario = resolve_datasets(scenario, registrations(s))
    path = Path(file_or_name)
    label = str(path) if path.suffix == ".toml" or path.exists() else f"bundled/{path}.toml"
    check_evidence(scenario, {r.id for r in evidence}, file=label)
    result = run_scenario(
        scenario,
        evidence,
        draws=draws,
        seed=seed,
        engine=engine,
        workers=workers,
        progress=progress,
        model_draws=model_draws,
        model_progress=model_progress,
    )
    if keep:
        if isinstance(store, Store):
            save_run(store, result)
        else:
            assert store_path is not None
            save_run_or_keep(store, result, store_path=store_path, notice=notice or _note)
    plots: list[Path] = []
    if plot_dir is not None:
        plots = save_plots(
            result.summary, result.arrays, plot_dir, name=scenario.name, formats=plot_formats
        )
    return result, plots


def _note(message: str) -> None:
    sys.stderr.write(f"note: {message}\n")
    sys.stderr.flush()


def show_run(
    store: Store,
    run_id: str,
    *,
    plot_dir: str | Path | None = None,
    plot_formats: tuple[str, ...] = ("png",),
) -> tuple[StoredRun, list[Path]]:
    """A stored run, and its plots redrawn from the stored arrays when ``plot_dir`` is given."""
    run = get_run(store, run_id)
    plots: list[Path] = []
    if plot_dir is not None:
        plots = save_plots(run.summary, run.arrays(), plot_dir, name=run.name, formats=plot_formats)
    return run, plots


def replay(store: Store, run_id: str) -> tuple[StoredRun, RunResult]:
    """Re-run a stored run exactly (same text, seed and draws) and check it reproduces."""
    run = get_run(store, run_id)
    return run, replay_run(run, store.evidence())


def compare(store: Store, run_a: str, run_b: str) -> dict[str, Any]:
    """The comparison table of two stored runs."""
    return compare_runs(get_run(store, run_a), get_run(store, run_b))


def runs(store: Store, *, name: str | None = None) -> list[StoredRun]:
    """Stored scenario runs, newest first."""
    return list_runs(store, name=name)


def bundled() -> list[dict[str, Any]]:
    """The bundled scenarios: name, title, shocks and the evidence ids they rest on.

    Examples
    --------
    >>> [b["name"] for b in bundled()][:2]
    ['china-cuts-oil', 'power-of-siberia-2']
    """
    out = []
    for name in bundled_names():
        s = load_scenario(name)
        out.append(
            {
                "name": s.name,
                "title": s.title,
                "shocks": [sh.label() for sh in s.shocks],
                "models": list(s.models.run),
                "draws": s.montecarlo.draws,
                "seed": s.montecarlo.seed,
                "evidence": s.evidence_ids(),
            }
        )
    return out


def parameters() -> list[dict[str, object]]:
    """The structural parameters of the transmission model (default, range, unit, rationale)."""
    return [p.to_dict() for p in PARAMETERS.values()]
