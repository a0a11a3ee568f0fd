"""Monte Carlo over a scenario's uncertain inputs: all draws at once, in chunks, on any engine.

All random numbers come from one :class:`numpy.random.Generator` seeded with
the run's seed, drawn up front in a fixed order (structural parameters by
name, then shocks in file order). The pipeline itself is deterministic and
works row by row, so splitting the draws into chunks, and running the chunks
in several processes or on Spark, gives bit-identical results: the same seed
always gives the same run.

The bargaining module's models (KTAB's spatial model ``pce``, the
expected-utility model ``eu``) take milliseconds per call, too slow for every
draw of a large run: they run on a subsample of the draws chosen from the
run's seed alone (:func:`model_draw_indices`), on the very actor tables
(capabilities, saliences, base and shocked positions) those draws produced.
Both models are deterministic, so the subsample's forecasts do not depend on
chunks, processes or engine either.

References
----------
Barbieri, K. (1996). Economic interdependence: a path to peace or a source of
interstate conflict? *Journal of Peace Research* 33(1), 29-49 (the interdependence
term of the transmission model, :mod:`powerbalance.scenarios.transmission`).
Marvel, S. A., Kleinberg, J., Kleinberg, R. D., & Strogatz, S. H. (2011).
Continuous-time model of structural balance. *PNAS* 108(5), 1771-1776 (which tie
flips first).
"""

from __future__ import annotations

import hashlib
import io
import itertools
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from scipy.special import ndtr, ndtri

from powerbalance import __version__
from powerbalance.errors import UserError
from powerbalance.evidence import Evidence
from powerbalance.limits import LIMITS
from powerbalance.scenarios.parameters import PARAMETERS
from powerbalance.scenarios.schema import (
    BARGAINING_MODELS,
    MODEL_DRAWS_MAX,
    TIES,
    TRIANGLE,
    Distribution,
    Scenario,
    Shock,
    Value,
    check_evidence,
    tie_index,
)
from powerbalance.scenarios.transmission import (
    IDX,
    SHARE_PAIRS,
    Anchors,
    BargainingInput,
    anchors_from_evidence,
    judgement_key,
    simulate,
)
from powerbalance.theory import triangle as tri

MODEL_VERSION = "transmission-v2"
Engine = Literal["numpy", "spark"]
Progress = Callable[[int, int], None]
DEFAULT_CHUNK = 50_000
#: Second word of the seed of the bargaining models' subsample: its own stream, so choosing
#: the subsample never moves the input draws.
MODEL_DRAWS_STREAM = 0x6261726761696E
#: The spatial model's seed. Its default transitions are deterministic and draw nothing; the
#: seed is fixed so a stored run replays exactly whatever the model's options become.
SPATIAL_SEED = 0


def sample(value: Value, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` draws of a value: a constant, or a uniform, truncated normal, triangular or beta.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> d = Distribution(dist="normal", mean=0, sd=1, low=-1, high=1)
    >>> x = sample(d, 1000, rng)
    >>> bool(x.min() >= -1 and x.max() <= 1)
    True
    """
    if not isinstance(value, Distribution):
        return np.full(n, float(value))
    lo, hi = value.support()
    if value.dist == "uniform":
        return rng.uniform(lo, hi, n)
    if value.dist == "triangular":
        return rng.triangular(lo, float(value.mode), hi, n)  # type: ignore[arg-type]
    if value.dist == "beta":
        return lo + (hi - lo) * rng.beta(float(value.a), float(value.b), n)  # type: ignore[arg-type]
    mean, sd = float(value.mean), float(value.sd)  # type: ignore[arg-type]
    # Inverse-CDF sampling keeps the truncated normal exact and vectorised.
    plo, phi = ndtr((lo - mean) / sd), ndtr((hi - mean) / sd)
    return np.clip(mean + sd * ndtri(rng.uniform(plo, phi, n)), lo, hi)


def parameter_spec(scenario: Scenario) -> dict[str, Value]:
    """Each structural parameter's value or distribution for this scenario.

    The scenario's ``[parameters]`` table wins; with ``sample_structural`` every
    other parameter is drawn uniformly over its documented range; otherwise it
    stays at its default.
    """
    out: dict[str, Value] = {}
    for name, p in sorted(PARAMETERS.items()):
        if name in scenario.parameters:
            out[name] = scenario.parameters[name]
        elif scenario.montecarlo.sample_structural:
            out[name] = Distribution(dist="uniform", low=p.low, high=p.high)
        else:
            out[name] = p.default
    return out


def draw_inputs(
    scenario: Scenario,
    n: int,
    seed: int,
    *,
    central: bool = False,
    bargaining: BargainingInput | None = None,
) -> tuple[dict[str, np.ndarray], list[np.ndarray]]:
    """All random inputs of a run: parameter draws by name and shock values in file order.

    With ``central`` no random number is drawn: each distribution is replaced
    by its mean (the point estimate of the scenario). When the bargaining set
    asks for ``sample_judgements``, each judgement with a range is drawn
    uniformly over it, last (so the other draws do not move).
    """
    rng = np.random.default_rng(seed)

    def get(v: Value) -> np.ndarray:
        if central and isinstance(v, Distribution):
            return np.full(n, v.central())
        return sample(v, n, rng)

    params = {name: get(v) for name, v in parameter_spec(scenario).items()}
    shocks = [get(s.value) for s in scenario.shocks]
    spec = scenario.models.bargaining
    if bargaining is not None and spec is not None and spec.sample_judgements:
        for (field_name, actor), (lo, hi) in sorted(bargaining.ranges.items()):
            d = Distribution(dist="uniform", low=lo, high=hi)
            params[judgement_key(field_name, actor)] = get(d)
    return params, shocks


def bargaining_input(scenario: Scenario) -> BargainingInput | None:
    """The bargaining set of the scenario: inline actors or a bundled set of the bargaining module."""
    spec = scenario.models.bargaining
    if spec is None or "bargaining" not in scenario.models.run:
        return None
    a, b = spec.tie.split("-")
    tie = tie_index(a, b)
    if spec.actors:
        return BargainingInput(
            actors=tuple(x.id for x in spec.actors),
            capability=np.array([x.capability for x in spec.actors], dtype=float),
            salience=np.array([x.salience for x in spec.actors], dtype=float),
            position=np.array([x.position for x in spec.actors], dtype=float),
            tie=tie,
            label="inline",
        )
    from powerbalance.datasets.bargaining_tables import read_actor_set
    from powerbalance.theory.bargaining.table import ActorTable

    table = ActorTable.from_data(read_actor_set(spec.set or ""))
    d = table.dim_index(spec.dimension)
    dim = table.dimensions[d]
    ranges = {}
    for (actor, field_name, dim_id), j in table.judgements.items():
        if dim_id not in (None, dim.id) or j.low is None or j.high is None or not j.low < j.high:
            continue
        ranges[(field_name, actor)] = (float(j.low), float(j.high))
    return BargainingInput(
        actors=tuple(table.actors),
        capability=np.asarray(table.capability, dtype=float),
        salience=np.asarray(table.salience[:, d], dtype=float),
        position=np.asarray(table.position[:, d], dtype=float),
        tie=tie,
        low=dim.low,
        high=dim.high,
        label=f"{spec.set}:{dim.id}",
        ranges=ranges,
        dimension=dim.id,
    )


@dataclass
class RunResult:
    """A finished run: inputs, every draw's outputs and the summary."""

    scenario: Scenario
    seed: int
    draws: int
    anchors: Anchors
    arrays: dict[str, np.ndarray]
    summary: dict[str, Any]
    engine: str = "numpy"
    bargaining_actors: tuple[str, ...] = ()
    model_draws: int = 0
    id: str | None = None
    created_at: str | None = None
    code_version: str = field(
        default_factory=lambda: f"powerbalance {__version__}, {MODEL_VERSION}"
    )

    def digest(self) -> str:
        """A hash of every output array: two runs with the same digest are identical."""
        h = hashlib.sha256()
        for k in sorted(self.arrays):
            a = np.ascontiguousarray(self.arrays[k])
            h.update(k.encode())
            h.update(str(a.dtype).encode())
            h.update(a.tobytes())
        return h.hexdigest()

    def arrays_blob(self) -> bytes:
        buf = io.BytesIO()
        np.savez_compressed(buf, **self.arrays)  # type: ignore[arg-type]
        return buf.getvalue()


def _chunk_job(
    anchors: Anchors,
    params: Mapping[str, np.ndarray],
    shocks: Sequence[tuple[Shock, np.ndarray]],
    n: int,
    models: Sequence[str],
    bargaining: BargainingInput | None,
    sample_rows: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    return simulate(
        anchors,
        params,
        shocks,
        n=n,
        models=models,
        bargaining=bargaining,
        sample_rows=sample_rows,
    )


def _slices(n: int, chunk: int) -> list[slice]:
    return [slice(i, min(i + chunk, n)) for i in range(0, n, chunk)]


def model_draw_indices(seed: int, n: int, m: int) -> np.ndarray:
    """The draws the bargaining models run on: ``m`` of ``n``, sorted, chosen from the seed alone.

    The subsample has its own generator, seeded with ``[seed, MODEL_DRAWS_STREAM]``,
    so it is the same however the draws are chunked and whichever engine runs
    them, and choosing it never changes the input draws. With ``m >= n`` every
    draw is taken.

    Examples
    --------
    >>> model_draw_indices(7, 5, 10).tolist()
    [0, 1, 2, 3, 4]
    >>> a = model_draw_indices(7, 100_000, 200)
    >>> len(a), bool((np.diff(a) > 0).all()), a.tolist() == model_draw_indices(7, 100_000, 200).tolist()
    (200, True, True)
    """
    if m >= n:
        return np.arange(n, dtype=np.int64)
    rng = np.random.default_rng([seed, MODEL_DRAWS_STREAM])
    return np.sort(rng.choice(n, size=m, replace=False)).astype(np.int64)


def actor_table(
    bargaining: BargainingInput,
    capability: np.ndarray,
    salience: np.ndarray,
    position: np.ndarray,
) -> Any:
    """One draw's bargaining set as an :class:`~powerbalance.theory.bargaining.ActorTable`."""
    from powerbalance.theory.bargaining.table import ActorTable, Dimension

    dim = Dimension(bargaining.dimension, bargaining.dimension, bargaining.low, bargaining.high)
    return ActorTable(
        bargaining.actors,
        np.asarray(capability, dtype=float),
        np.asarray(position, dtype=float)[:, None],
        np.asarray(salience, dtype=float)[:, None],
        (dim,),
        name=bargaining.label,
    )


def model_forecast(table: Any, model: str) -> float:
    """The forecast of one bargaining model of the registry on a one-dimension table.

    The model runs with its default options (KTAB's for ``pce``, with
    deterministic transitions; Scholz et al.'s for ``eu``), the seed
    :data:`SPATIAL_SEED` and the numpy kernels, so the number does not depend on
    whether numba is installed. It is what ``powerbalance bargain`` runs.
    """
    from powerbalance.theory.bargaining.registry import get_model

    spec = get_model(model)
    return float(spec.run(table, None, seed=SPATIAL_SEED, engine="numpy").forecast[0])


def _model_batch(
    bargaining: BargainingInput, rows: Sequence[tuple[np.ndarray, ...]], models: Sequence[str]
) -> np.ndarray:
    out = np.empty((len(rows), len(models)))
    for i, (cap, sal, pos) in enumerate(rows):
        table = actor_table(bargaining, cap, sal, pos)
        for j, model in enumerate(models):
            out[i, j] = model_forecast(table, model)
    return out


def _model_batch_star(job: tuple[Any, ...]) -> np.ndarray:
    return _model_batch(*job)


def bargaining_model_forecasts(
    bargaining: BargainingInput,
    capability: np.ndarray,
    salience: np.ndarray,
    position_base: np.ndarray,
    position: np.ndarray,
    models: Sequence[str],
    *,
    workers: int = 1,
    progress: Progress | None = None,
) -> dict[str, np.ndarray]:
    """Each model's forecast on each sampled draw, before (``forecast_M_base``) and after the shocks.

    Parameters
    ----------
    bargaining
        The bargaining set (actors, scale).
    capability, salience, position_base, position
        ``(m, k)``: the sampled draws' actor tables, as the transmission model built
        them (:func:`~powerbalance.scenarios.transmission.simulate` with ``sample_rows``).
    models
        Names from :data:`~powerbalance.scenarios.schema.BARGAINING_MODELS`.
    workers
        Processes; the result does not depend on it.
    progress
        Called with (tables done, tables in all).

    Returns
    -------
    dict
        ``forecast_pce``, ``forecast_pce_base`` (and ``eu``), each ``(m,)``.

    Notes
    -----
    Identical tables (the baseline of a run that samples no judgement is the same
    in every draw) are solved once; the models are deterministic, so this changes
    only the time taken.
    """
    m = len(capability)
    rows = [
        (capability[i], salience[i], pos[i]) for pos in (position_base, position) for i in range(m)
    ]
    first: dict[bytes, int] = {}
    which = np.empty(len(rows), dtype=np.int64)
    unique: list[tuple[np.ndarray, ...]] = []
    for r, row in enumerate(rows):
        key = b"".join(np.ascontiguousarray(x, dtype=float).tobytes() for x in row)
        if key not in first:
            first[key] = len(unique)
            unique.append(row)
        which[r] = first[key]
    total = len(unique)
    n_batches = max(1, min(total, 8 * max(1, workers), 50))
    bounds = np.linspace(0, total, n_batches + 1).astype(int)
    jobs = [
        (bargaining, unique[a:b], list(models))
        for a, b in itertools.pairwise(bounds.tolist())
        if b > a
    ]
    results: list[np.ndarray] = []
    done = 0

    def tick(part: np.ndarray) -> None:
        nonlocal done
        results.append(part)
        done += len(part)
        if progress:
            progress(done, total)

    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
            for part in pool.map(_model_batch_star, jobs):
                tick(part)
    else:
        for job in jobs:
            tick(_model_batch(*job))
    solved = np.concatenate(results) if results else np.empty((0, len(models)))
    per_row = solved[which]
    out: dict[str, np.ndarray] = {}
    for j, model in enumerate(models):
        out[f"forecast_{model}_base"] = per_row[:m, j]
        out[f"forecast_{model}"] = per_row[m:, j]
    return out


def run_scenario(
    scenario: Scenario,
    evidence: Evidence,
    *,
    draws: int | None = None,
    seed: int | None = None,
    engine: Engine = "numpy",
    workers: int = 1,
    chunk: int = DEFAULT_CHUNK,
    progress: Progress | None = None,
    spark_master: str | None = None,
    model_draws: int | None = None,
    model_progress: Progress | None = None,
    check_cited: bool = True,
) -> RunResult:
    """Run a scenario's Monte Carlo and summarise it.

    Parameters
    ----------
    scenario
        A validated scenario (:func:`~powerbalance.scenarios.schema.load_scenario`).
    evidence
        The evidence base the anchors are read from (bundled corpus or a store's).
    draws, seed
        Override the scenario's ``[montecarlo]`` values.
    engine
        ``numpy`` (in this process, or ``workers`` processes) or ``spark``
        (chunks become Spark tasks; ``spark_master`` defaults to ``local[*]``).
    chunk
        Draws per chunk; results do not depend on it.
    progress
        Called with (draws done, draws in all) after each chunk.
    model_draws
        Overrides ``model_draws`` of ``[models.bargaining]``: on how many draws
        the bargaining module's models run (a subsample chosen from the seed).
    model_progress
        Called with (actor tables solved, tables in all) while those models run.
    check_cited
        Refuse a scenario citing an evidence id that ``evidence`` does not hold
        (:class:`~powerbalance.errors.UnknownRecord`); a replay turns it off.

    Raises
    ------
    LimitExceeded
        When the draws exceed the limit ``scenario.draws`` (:mod:`powerbalance.limits`).

    Returns
    -------
    RunResult

    Examples
    --------
    >>> from powerbalance.evidence import load_corpus
    >>> from powerbalance.scenarios.schema import load_scenario
    >>> r = run_scenario(load_scenario("reverse-kissinger"), load_corpus(), draws=2000, seed=1,
    ...                  model_draws=20)
    >>> r.summary["configuration"]["base"]["stable_marriage"]
    1.0
    >>> r.summary["bargaining"]["pce"]["draws"]
    20
    """
    if seed is not None and seed < 0:
        raise UserError(f"the seed must be 0 or more, not {seed}")
    if chunk < 1:
        raise UserError(f"the chunk of draws must be at least 1, not {chunk}")
    if engine not in ("numpy", "spark"):
        raise UserError(f"the engine must be numpy or spark, not '{engine}'")
    n = int(draws if draws is not None else scenario.montecarlo.draws)
    # Every path (command line, dashboard, library) is held to the same limit on draws.
    LIMITS["scenario.draws"].check(
        n, option="--draws" if draws is not None else f"[montecarlo] draws of '{scenario.name}'"
    )
    if check_cited:
        check_evidence(scenario, {r.id for r in evidence}, file=f"scenario '{scenario.name}'")
    seed = int(seed if seed is not None else scenario.montecarlo.seed)
    if model_draws is not None and not 1 <= model_draws <= MODEL_DRAWS_MAX:
        raise UserError(f"--model-draws must lie between 1 and {MODEL_DRAWS_MAX:,}")
    anchors = anchors_from_evidence(evidence, scenario.baseline)
    barg = bargaining_input(scenario)
    for s in scenario.shocks:
        if s.channel == "position" and (barg is None or s.a not in barg.actors):
            from powerbalance.scenarios.errors import ImpossibleShock

            raise ImpossibleShock(
                scenario.name,
                f"unknown actor '{s.a}' in the bargaining set; its actors: "
                + ", ".join(barg.actors if barg else ()),
                record=f"shock '{s.label()}'",
                field="a",
            )
    params, shock_values = draw_inputs(scenario, n, seed, bargaining=barg)
    models = list(scenario.models.run)
    spec = scenario.models.bargaining
    barg_models = list(spec.models) if barg is not None and spec is not None else []
    sampled: np.ndarray | None = None
    if barg_models:
        assert spec is not None
        m = int(model_draws if model_draws is not None else spec.model_draws)
        sampled = model_draw_indices(seed, n, m)
    jobs = []
    for sl in _slices(n, chunk):
        p = {k: v[sl] for k, v in params.items()}
        sv = [(s, v[sl]) for s, v in zip(scenario.shocks, shock_values, strict=True)]
        rows = None
        if sampled is not None:
            rows = sampled[(sampled >= sl.start) & (sampled < sl.stop)] - sl.start
        jobs.append((anchors, p, sv, sl.stop - sl.start, models, barg, rows))
    parts: list[dict[str, np.ndarray]] = []
    done = 0
    if engine == "spark":
        parts = _run_on_spark(jobs, spark_master)
        if progress:
            progress(n, n)
    elif workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
            for job, part in zip(jobs, pool.map(_chunk_job_star, jobs), strict=True):
                parts.append(part)
                done += job[3]
                if progress:
                    progress(done, n)
    else:
        for job in jobs:
            parts.append(_chunk_job(*job))
            done += job[3]
            if progress:
                progress(done, n)
    arrays = {k: np.concatenate([part[k] for part in parts]) for k in parts[0]}
    tables = {
        k.removeprefix("sample."): arrays.pop(k) for k in list(arrays) if k.startswith("sample.")
    }
    if sampled is not None and barg is not None:
        arrays["model_draws"] = sampled
        arrays.update(
            bargaining_model_forecasts(
                barg,
                tables["capability"],
                tables["salience"],
                tables["position_base"],
                tables["position"],
                barg_models,
                workers=workers,
                progress=model_progress,
            )
        )
    arrays.update({f"param.{k}": v for k, v in params.items() if np.ptp(v) > 0})
    for i, (s, v) in enumerate(zip(scenario.shocks, shock_values, strict=True), start=1):
        if isinstance(s.value, Distribution):
            arrays[f"shock.{i}"] = v
    summary = summarize(arrays, barg)
    summary.update(draws=n, seed=seed, engine=engine)
    return RunResult(
        scenario=scenario,
        seed=seed,
        draws=n,
        anchors=anchors,
        arrays=arrays,
        summary=summary,
        engine=engine,
        bargaining_actors=barg.actors if barg else (),
        model_draws=0 if sampled is None else len(sampled),
    )


def _chunk_job_star(job: tuple[Any, ...]) -> dict[str, np.ndarray]:
    return _chunk_job(*job)


def _run_on_spark(jobs: list[tuple[Any, ...]], master: str | None) -> list[dict[str, np.ndarray]]:
    import os
    import sys

    # Spark's Python workers must import powerbalance: run them on this interpreter.
    chosen = "PYSPARK_PYTHON" in os.environ
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from powerbalance.engines.spark_engine import spark_session

    spark = spark_session(master or "local[2]", app_name="powerbalance-scenarios")
    sc = spark.sparkContext
    if not chosen and sc.master.startswith("local") and sc.pythonExec != sys.executable:
        # A local session started earlier (by the event engine) fixed its workers'
        # interpreter before the line above; this job's tasks take the one set here.
        sc.pythonExec = sys.executable
    rdd = spark.sparkContext.parallelize(list(enumerate(jobs)), numSlices=max(1, len(jobs)))
    # Chunks come back with their index so the order of the draws never depends on Spark.
    results = rdd.map(lambda ij: (ij[0], _chunk_job(*ij[1]))).collect()
    return [part for _, part in sorted(results, key=lambda x: x[0])]


# --- summaries ------------------------------------------------------------------------------


def _quantiles(x: np.ndarray) -> dict[str, float]:
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return {"n": 0}
    q = np.quantile(x, [0.05, 0.25, 0.5, 0.75, 0.95])
    return {
        "n": int(x.size),
        "mean": float(x.mean()),
        "sd": float(x.std()),
        "p05": float(q[0]),
        "p25": float(q[1]),
        "p50": float(q[2]),
        "p75": float(q[3]),
        "p95": float(q[4]),
    }


def _probabilities(codes: np.ndarray, names: Sequence[str]) -> dict[str, float]:
    counts = np.bincount(np.asarray(codes, dtype=np.int64), minlength=len(names))
    return {name: float(c / len(codes)) for name, c in zip(names, counts, strict=True)}


def _tie(k: int) -> str:
    return "-".join(TIES[k])


def summarize(
    arrays: Mapping[str, np.ndarray], bargaining: BargainingInput | None = None
) -> dict[str, Any]:
    """Probabilities and distributions of a run's outputs (what `scenario show` prints)."""
    out: dict[str, Any] = {}
    if "config" in arrays:
        out["configuration"] = {
            "base": _probabilities(arrays["config_base"], tri.CONFIGURATIONS),
            "shocked": _probabilities(arrays["config"], tri.CONFIGURATIONS),
        }
        out["roles"] = {
            actor: {
                "base": _probabilities(arrays["roles_base"][:, i], tri.ROLES),
                "shocked": _probabilities(arrays["roles"][:, i], tri.ROLES),
            }
            for i, actor in enumerate(TRIANGLE)
        }
    out["ties"] = {
        _tie(k): {
            "base": _quantiles(arrays["weights_base"][:, k]),
            "shocked": _quantiles(arrays["weights"][:, k]),
            "p_amity_base": float((arrays["weights_base"][:, k] > 0).mean()),
            "p_amity": float((arrays["weights"][:, k] > 0).mean()),
            "p_sign_changed": float(
                ((arrays["weights"][:, k] > 0) != (arrays["weights_base"][:, k] > 0)).mean()
            ),
        }
        for k in range(3)
    }
    if "asymmetry" in arrays:
        out["asymmetry"] = {
            _tie(k): {
                "base": _quantiles(arrays["asymmetry_base"][:, k]),
                "shocked": _quantiles(arrays["asymmetry"][:, k]),
            }
            for k in range(3)
        }
        out["shares"] = {
            f"{a}<-{b}": {
                "base": _quantiles(arrays["shares_base"][:, IDX[a], IDX[b]]),
                "shocked": _quantiles(arrays["shares"][:, IDX[a], IDX[b]]),
            }
            for a, b in SHARE_PAIRS
        }
    if "flip_first" in arrays:
        first = arrays["flip_first"].astype(np.int64)
        out["first_flip"] = {
            **{_tie(k): float((first == k).mean()) for k in range(3)},
            "none": float((first < 0).mean()),
        }
        out["flip_time"] = _quantiles(arrays["flip_time"])
        finals = arrays["final_signs"]
        out["final_configuration"] = _probabilities(
            tri.configuration_codes(finals), tri.CONFIGURATIONS
        )
    if "forecast_mean" in arrays:
        out["bargaining"] = {
            "set": bargaining.label if bargaining else None,
            "actors": list(bargaining.actors) if bargaining else [],
            "weighted_mean": {
                "base": _quantiles(arrays["forecast_mean_base"]),
                "shocked": _quantiles(arrays["forecast_mean"]),
            },
            "weighted_median": {
                "base": _quantiles(arrays["forecast_median_base"]),
                "shocked": _quantiles(arrays["forecast_median"]),
            },
        }
        if "model_draws" in arrays:
            out["bargaining"]["model_draws"] = len(arrays["model_draws"])
        for model, about in BARGAINING_MODELS.items():
            if f"forecast_{model}" not in arrays:
                continue
            shocked, base = arrays[f"forecast_{model}"], arrays[f"forecast_{model}_base"]
            out["bargaining"][model] = {
                "model": about,
                "draws": len(shocked),
                "base": _quantiles(base),
                "shocked": _quantiles(shocked),
                "change": _quantiles(shocked - base),
            }
        # every forecast carries its model's validated error beside the weighted mean's
        from powerbalance.theory.bargaining.validation import track_record

        record = track_record()
        shown = {"mean": "weighted_mean", "median": "weighted_median"}
        shown.update({m: m for m in BARGAINING_MODELS if m in out["bargaining"]})
        out["bargaining"]["track_record"] = {
            key: record.to_dict(name) for name, key in shown.items()
        }
    return out


def comparison_rows(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Rows ``{metric, a, b, difference}`` comparing two runs' summaries (shocked values)."""
    rows: list[dict[str, Any]] = []

    def add(metric: str, x: float | None, y: float | None) -> None:
        diff = None if x is None or y is None else y - x
        rows.append({"metric": metric, "a": x, "b": y, "difference": diff})

    for name in tri.CONFIGURATIONS:
        add(
            f"P({name})",
            a.get("configuration", {}).get("shocked", {}).get(name),
            b.get("configuration", {}).get("shocked", {}).get(name),
        )
    for actor in TRIANGLE:
        for role in ("pivot", "outcast"):
            add(
                f"P({actor} {role})",
                a.get("roles", {}).get(actor, {}).get("shocked", {}).get(role),
                b.get("roles", {}).get(actor, {}).get("shocked", {}).get(role),
            )
    for tie in a.get("ties", {}):
        add(
            f"{tie} weight, mean",
            a["ties"][tie]["shocked"].get("mean"),
            b.get("ties", {}).get(tie, {}).get("shocked", {}).get("mean"),
        )
        add(
            f"P({tie} amity)",
            a["ties"][tie]["p_amity"],
            b.get("ties", {}).get(tie, {}).get("p_amity"),
        )
    for tie in a.get("asymmetry", {}):
        add(
            f"{tie} asymmetry, median",
            a["asymmetry"][tie]["shocked"].get("p50"),
            b.get("asymmetry", {}).get(tie, {}).get("shocked", {}).get("p50"),
        )
    for key in ("RUS<-CHN", "CHN<-RUS"):
        if key in a.get("shares", {}):
            add(
                f"share {key}, median",
                a["shares"][key]["shocked"].get("p50"),
                b.get("shares", {}).get(key, {}).get("shocked", {}).get("p50"),
            )
    for k in [*(_tie(i) for i in range(3)), "none"]:
        if "first_flip" in a or "first_flip" in b:
            add(
                f"P(first flip: {k})",
                a.get("first_flip", {}).get(k),
                b.get("first_flip", {}).get(k),
            )
    if "bargaining" in a or "bargaining" in b:
        for m in ("weighted_mean", "weighted_median", *BARGAINING_MODELS):
            if (
                m in BARGAINING_MODELS
                and m not in a.get("bargaining", {})
                and m not in b.get("bargaining", {})
            ):
                continue
            add(
                f"bargaining {m}, median",
                a.get("bargaining", {}).get(m, {}).get("shocked", {}).get("p50"),
                b.get("bargaining", {}).get(m, {}).get("shocked", {}).get("p50"),
            )
    return rows
