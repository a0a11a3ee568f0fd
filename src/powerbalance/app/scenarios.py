"""Scenario use cases: one path from a request to a stored run, for every interface.

A run goes through the same three steps whether it starts on the command
line (``powerbalance scenario run``), in the dashboard (a form or an upload,
run by a worker process) or in the report (``powerbalance report
--scenario``):

1. :func:`prepare` (a file path or bundled name) or :func:`prepare_request`
   (a dashboard request: a bundled name or uploaded TOML text) validates
   everything that can be refused before the first draw: the file, the
   draws against their limit, the seed, the evidence ids the scenario cites,
   and the datasets its baseline names;
2. :func:`compute` runs the Monte Carlo (a module-level function of picklable
   arguments, so a worker process can run it);
3. :func:`store_run` stores the finished run, and only a finished one.

The other functions show, compare, replay and list stored runs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from powerbalance.app.present import plain
from powerbalance.datasets.registry import registrations
from powerbalance.errors import UnknownIdError, UserError
from powerbalance.evidence.collection import Evidence
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
    Scenario,
    bundled_names,
    bundled_text,
    check_evidence,
    load_scenario,
    parse_scenario,
    resolve_datasets,
)

Opener = Callable[..., AbstractContextManager[Store]]

# Draws sent to a browser or a report for histograms (the summary uses every draw).
HISTOGRAM_SAMPLE = 4000
HISTOGRAM_ARRAYS = ("weights", "weights_base", "asymmetry", "asymmetry_base")


@dataclass(frozen=True)
class PreparedScenario:
    """A validated scenario request, ready to run (also in a worker process)."""

    label: str
    file: str
    scenario: Scenario
    draws: int | None
    seed: int | None


class ScenarioRequestError(UserError):
    """A scenario run request with a bad option (draws, seed, no scenario)."""


class UnknownBundledScenario(UnknownIdError):
    """A scenario name that is not one of the bundled scenarios."""

    kind = "scenario"


def _validated(
    scenario: Scenario,
    *,
    label: str,
    file: str,
    draws: int | None,
    seed: int | None,
    limit: str,
    option: str,
    known_ids: Iterable[str] | None,
    registered: Mapping[str, Any] | None,
    evidence: Evidence | None = None,
) -> PreparedScenario:
    """The checks every run passes, whatever interface asked for it."""
    if draws is None:
        # The file's own [montecarlo] draws run when the request gives none: the same limit.
        LIMITS[limit].check(
            int(scenario.montecarlo.draws), option=f"the draws of {label} ([montecarlo])"
        )
    else:
        LIMITS[limit].check(draws, option=option)
    if known_ids is not None:
        check_evidence(scenario, known_ids, file=file)
    if registered is not None:
        scenario = resolve_datasets(scenario, dict(registered))
    if scenario.baseline.history is not None:
        scenario = _resolve_history(scenario, registered or {}, evidence, file=file)
    return PreparedScenario(label=label, file=file, scenario=scenario, draws=draws, seed=seed)


def _resolve_history(
    scenario: Scenario,
    registered: Mapping[str, Any],
    evidence: Evidence | None,
    *,
    file: str,
) -> Scenario:
    """The scenario with ``[baseline.history]`` turned into the year's fused ties
    (baseline relations of channel ``history``), from the registered datasets."""
    from powerbalance.app.history import history_query, registered_history
    from powerbalance.evidence.corpus import load_corpus
    from powerbalance.scenarios.schema import BaselineRelation

    spec = scenario.baseline.history
    assert spec is not None
    query = history_query(start=1946, end=spec.year, channels=spec.channels or None)
    result = registered_history(registered, evidence or load_corpus(), query)
    reading = result.history.year(spec.year)
    added = []
    for tie in reading.ties:
        if tie is None:
            continue
        added.append(
            BaselineRelation.model_validate(
                {
                    "a": tie.a,
                    "b": tie.b,
                    "weight": max(-1.0, min(1.0, tie.triangle_sign * tie.strength)),
                    "channel": "history",
                    "note": f"history {spec.year} ({tie.rule}; "
                    f"channels {', '.join(result.channels_run)})",
                }
            )
        )
    if not added:
        raise ScenarioRequestError(
            f"{file}, field 'baseline.history.year': no tie of {spec.year} has information "
            "in the registered datasets; register them with `powerbalance data add`"
        )
    baseline = scenario.baseline.model_copy(
        update={"relations": [*scenario.baseline.relations, *added], "history": None}
    )
    return scenario.model_copy(update={"baseline": baseline})


def prepare(
    file_or_name: str | Path,
    *,
    draws: int | None = None,
    seed: int | None = None,
    known_ids: Iterable[str] | None = None,
    registered: Mapping[str, Any] | None = None,
    evidence: Evidence | None = None,
) -> PreparedScenario:
    """Validate a run of a scenario file or a bundled scenario (the command line's request).

    The draws are held to the limit ``scenario.draws``; given ``known_ids``,
    every evidence id the scenario cites must be one of them; given
    ``registered`` (the store's dataset registrations), the baseline's
    registered datasets are resolved to their files.
    """
    scenario = load_scenario(file_or_name)
    path = Path(file_or_name)
    file = str(path) if path.suffix == ".toml" or path.exists() else f"bundled/{path}.toml"
    return _validated(
        scenario,
        label=scenario.name,
        file=file,
        draws=draws,
        seed=seed,
        limit="scenario.draws",
        option="--draws",
        known_ids=known_ids,
        registered=registered,
        evidence=evidence,
    )


def _int_option(value: str | int | None, what: str, low: int, high: int | None) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ScenarioRequestError(f"{what} must be a whole number, got '{value}'") from None
    if high is None:
        if number < low:
            raise ScenarioRequestError(f"{what} must be at least {low}, got {number}")
    elif not low <= number <= high:
        raise ScenarioRequestError(f"{what} must lie in {low}..{high}, got {number}")
    return number


def prepare_request(
    *,
    name: str | None = None,
    text: str | None = None,
    draws: str | int | None = None,
    seed: str | int | None = None,
    known_ids: Iterable[str] | None = None,
    registered: Mapping[str, Any] | None = None,
    evidence: Evidence | None = None,
) -> PreparedScenario:
    """Validate a dashboard run request: a bundled name or an uploaded TOML text.

    A name is only ever looked up among the bundled scenarios; it never
    becomes a file path, and an uploaded scenario names no file either: its
    UN-vote baseline, if any, is the dataset registered in the store
    (``dataset = "unvotes"``, resolved from ``registered``). The draws (the
    form's, or else the file's) are held to the limit ``web.scenario.draws``.
    """
    n_draws = _int_option(draws, "draws", 1, None)
    n_seed = _int_option(seed, "seed", 0, 2**63 - 1)
    if text:
        file = "uploaded scenario"
        scenario = parse_scenario(text, file=file)
        label = scenario.name or "uploaded"
        baseline = scenario.baseline
        # A path in an upload would name a file on the server: never read one.
        if baseline.events is not None:
            raise ScenarioRequestError(
                "uploaded scenario, field 'baseline.events': an event series is a file, and an "
                "uploaded scenario cannot read files on the server; run it with "
                "`powerbalance scenario run FILE`"
            )
        if baseline.unvotes is not None and baseline.unvotes.dataset is None:
            raise ScenarioRequestError(
                "uploaded scenario, field 'baseline.unvotes': an uploaded scenario cannot read "
                'files on the server; name the registered dataset instead: dataset = "unvotes"'
            )
    elif name:
        names = bundled_names()
        if name not in names:
            raise UnknownBundledScenario(name, names)
        file = f"bundled/{name}.toml"
        scenario = parse_scenario(bundled_text(name), file=file)
        label = name
    else:
        raise ScenarioRequestError("choose a bundled scenario or upload a scenario file")
    return _validated(
        scenario,
        label=label,
        file=file,
        draws=n_draws,
        seed=n_seed,
        limit="web.scenario.draws",
        option="draws",
        known_ids=known_ids,
        registered=registered,
        evidence=evidence,
    )


def compute(
    prepared: PreparedScenario,
    evidence: Evidence,
    *,
    engine: Engine = "numpy",
    workers: int = 1,
    progress: Progress | None = None,
    model_draws: int | None = None,
    model_progress: Progress | None = None,
) -> RunResult:
    """The Monte Carlo of a prepared scenario on ``evidence``
    (:func:`~powerbalance.scenarios.montecarlo.run_scenario`)."""
    return run_scenario(
        prepared.scenario,
        evidence,
        draws=prepared.draws,
        seed=prepared.seed,
        engine=engine,
        workers=workers,
        progress=progress,
        model_draws=model_draws,
        model_progress=model_progress,
    )


def store_run(
    store: Store | Opener,
    result: RunResult,
    *,
    store_path: str | Path | None = None,
    notice: Callable[[str], None] | None = None,
) -> str:
    """Store a finished run; returns its id.

    ``store`` is an open, writable store, or a function opening one: then a
    store that is busy is waited for (``$POWERBALANCE_RUN_SAVE_WAIT`` seconds,
    default 30) and the run is kept in a pending file beside the store
    (``store_path``) that the next command opening the store adds
    (:func:`~powerbalance.scenarios.runs.save_run_or_keep`); ``notice``
    (default: a ``note:`` line on standard error) is told so.
    """
    if isinstance(store, Store):
        return save_run(store, result)
    if store_path is None:
        raise ValueError("store_path is needed to keep a run when the store is busy")
    run_id, _pending = save_run_or_keep(
        store, result, store_path=Path(store_path), notice=notice or _note
    )
    return run_id


def run_and_store(
    store: Store | Opener,
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
    """Prepare, compute and store a run of a scenario file or bundled scenario; write its plots.

    ``store`` is an open store, or a function opening one (``opener(read_only=True)``):
    then the evidence is read without the write lock and the store is opened for
    writing only to save the finished run, so other commands are not kept waiting
    during a long run. Everything that can be refused (the file, the shocks, the
    plot format, the number of draws, an evidence id the store does not hold) is
    refused before the first draw; the run is stored only once it is complete.
    """
    if plot_dir is not None:
        bad = [f for f in plot_formats if f not in ("png", "svg")]
        if bad:
            raise UserError(f"plot format {', '.join(bad)} is not supported; use png or svg")
    store_path: Path | None = None
    if isinstance(store, Store):
        evidence = store.evidence()
        registered = registrations(store)
    else:
        with store(read_only=True) as s:
            evidence = s.evidence()
            store_path = s.path
            registered = registrations(s)
    prepared = prepare(
        file_or_name,
        draws=draws,
        seed=seed,
        known_ids={r.id for r in evidence},
        registered=registered,
        evidence=evidence,
    )
    result = compute(
        prepared,
        evidence,
        engine=engine,
        workers=workers,
        progress=progress,
        model_draws=model_draws,
        model_progress=model_progress,
    )
    if keep:
        store_run(store, result, store_path=store_path, notice=notice)
    plots: list[Path] = []
    if plot_dir is not None:
        plots = save_plots(
            result.summary,
            result.arrays,
            plot_dir,
            name=prepared.scenario.name,
            formats=plot_formats,
        )
    return result, plots


def _sample(arrays: Mapping[str, Any]) -> dict[str, Any]:
    return {k: plain(arrays[k][:HISTOGRAM_SAMPLE]) for k in HISTOGRAM_ARRAYS if k in arrays}


def run_view(prepared: PreparedScenario, result: RunResult, run_id: str | None) -> dict[str, Any]:
    """What pages and the report show of a finished run: summary and draw samples."""
    return {
        "run_id": run_id,
        "name": prepared.label,
        "seed": result.seed,
        "draws": result.draws,
        "summary": plain(result.summary),
        "samples": _sample(result.arrays),
    }


def stored_run_view(store: Store, run_id: str) -> dict[str, Any]:
    """A stored run: scenario text, parameters, seed, summary and draw samples."""
    run = get_run(store, run_id)
    return {**plain(run.to_dict()), "samples": _sample(run.arrays())}


def compare_view(store: Store, a: str, b: str) -> dict[str, Any]:
    """The comparison table of two stored runs, as plain data."""
    return plain(compare(store, a, b))


def catalogue(store: Store) -> dict[str, Any]:
    """The bundled scenarios and the runs stored in ``store``."""
    return {
        "status": "ok",
        "problems": [],
        "bundled": plain(bundled()),
        "runs": plain([r.to_dict(with_spec=False) for r in runs(store)]),
    }


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
