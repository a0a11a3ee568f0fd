"""Bargaining forecasts: the use cases behind ``powerbalance bargain`` and the dashboard.

- :func:`actor_sets`: the bundled actor sets' names.
- :func:`models`: the bargaining models with their metadata (:class:`ModelInfo`).
- :func:`load_table`: a bundled set name, a file or a table, as a checked
  :class:`~powerbalance.theory.bargaining.ActorTable`.
- :func:`forecast`: a forecast of a bundled set or a file, with every option of
  the command line.
- :func:`bundled_forecast`: a forecast of a bundled set only (for the dashboard:
  no string a visitor types is ever read as a path).
- :func:`plot`: the positions over the rounds, to a PNG.

Files and bundled sets are read by :mod:`powerbalance.datasets.bargaining_tables`
and checked by :class:`~powerbalance.theory.bargaining.ActorTable`; the models
run through the registry :data:`powerbalance.theory.bargaining.MODELS`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, get_args

from powerbalance.datasets import bargaining_tables as tables
from powerbalance.datasets.bargaining_tables import UnknownActorSet, path_exists
from powerbalance.limits import LIMITS
from powerbalance.theory.bargaining import (
    MODELS,
    ActorTable,
    BargainForecast,
    EUParams,
    SpatialParams,
    Spread,
    bargain,
    get_model,
    parse_scale,
    plot_path,
    read_table,
)
from powerbalance.theory.bargaining.errors import BargainingOptionError
from powerbalance.theory.bargaining.spatial import PCEModel, Transitions, VictoryModel

__all__ = [
    "BargainForecast",
    "BargainingOptionError",
    "ModelInfo",
    "UnknownActorSet",
    "actor_sets",
    "bundled_forecast",
    "forecast",
    "load_actor_set",
    "load_table",
    "models",
    "plot",
]

Scale = tuple[float, float]


@dataclass(frozen=True)
class ModelInfo:
    """A bargaining model's metadata, as the registry describes it (JSON-ready with ``to_dict``)."""

    name: str
    title: str
    kind: str
    inputs: tuple[str, ...]
    stochastic: bool
    citation: str
    scenario: bool

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["inputs"] = list(self.inputs)
        return out


def actor_sets() -> list[str]:
    """Names of the bundled actor sets, sorted.

    Examples
    --------
    >>> actor_sets()
    ['russia-alignment', 'us-russia']
    """
    return tables.actor_sets()


def models() -> list[ModelInfo]:
    """Every bargaining model of the registry, in the order they are listed to users.

    Examples
    --------
    >>> [(m.name, m.kind, m.stochastic) for m in models()][-1]
    ('pce', 'model', True)
    """
    return [
        ModelInfo(s.name, s.title, s.kind, s.inputs, s.stochastic, s.citation, s.scenario)
        for s in MODELS.values()
    ]


def load_actor_set(name: str) -> ActorTable:
    """A bundled actor set, built from the evidence base (see ``docs/bargaining.md``).

    Raises
    ------
    UnknownActorSet
        ``name`` is not a bundled set (the message suggests close matches).

    Examples
    --------
    >>> load_actor_set("russia-alignment").dimensions[0].low_label
    'China first'
    """
    return ActorTable.from_data(tables.read_actor_set(name))


def _on_scale(table: ActorTable, scale: Scale | None, what: str) -> ActorTable:
    if scale is None:
        return table
    for d in table.dimensions:
        if (d.low, d.high) != tuple(scale):
            raise BargainingOptionError(
                f"{what} declares the scale {d.low:g}–{d.high:g} on '{d.name}'; "
                f"--scale {scale[0]:g},{scale[1]:g} disagrees (remove --scale)"
            )
    return table


def load_table(source: str | Path | ActorTable, *, scale: Scale | None = None) -> ActorTable:
    """The actor table a user names: a bundled set, a file (own CSV, KTAB CSV, YAML) or a table.

    ``scale`` (``(MIN, MAX)``, the ``--scale`` option) is the position scale of
    a file that declares none; a file, set or table that declares another is
    refused.

    Raises
    ------
    UnknownActorSet
        A name that is neither a bundled set nor an existing file (a word without
        an extension, such as ``us-rusia``).
    ActorTableError
        The file is missing, not UTF-8 text or malformed.
    BargainingOptionError
        ``scale`` disagrees with the scale the set or table declares.
    """
    if isinstance(source, ActorTable):
        return _on_scale(source, scale, "the table")
    text = str(source)
    if text in tables.ACTOR_SETS:
        return _on_scale(load_actor_set(text), scale, f"the bundled set {text}")
    path = Path(text)
    if not path_exists(path) and path.suffix == "":
        raise UnknownActorSet(text, actor_sets())
    return read_table(path, scale=scale)


def _choose(flag: str, value: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise BargainingOptionError(f"unknown {flag} '{value}'; choose one of {', '.join(allowed)}")
    return value


def forecast(
    source: str | Path | ActorTable,
    *,
    model: str = "pce",
    runs: int = 0,
    seed: int | None = 0,
    overrides: Sequence[str] = (),
    victory: str = "linear",
    pce: str = "conditional",
    transitions: str = "deterministic",
    mu: str = "median",
    scale: str | Scale | None = None,
    spatial: SpatialParams | None = None,
    eu: EUParams | None = None,
    spread: Spread | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> BargainForecast:
    """Forecast the bargaining over a bundled set or a file, the baselines beside it.

    Parameters
    ----------
    source
        A bundled set name (:func:`actor_sets`), an actor table file or an
        :class:`ActorTable`.
    model
        A model of :func:`models` (``--model``).
    runs
        Monte Carlo redraws of the judgements, 0 to ``bargain.runs`` (``--runs``).
    seed
        Seed of every random draw, 0 or more (``--seed``).
    overrides
        ``ACTOR.FIELD[:DIM]=VALUE`` replacements of single judgements (``--set``).
    victory, pce, transitions
        Options of the spatial model (``--victory``, ``--pce``, ``--transitions``).
    mu
        Reference outcome of the expected-utility model (``--mu``).
    scale
        ``"MIN,MAX"`` or ``(MIN, MAX)``: the position scale of a file that
        declares none (``--scale``).
    spatial, eu
        Complete option objects (from Python); they take the place of the
        options above.
    spread
        Default ranges for the sensitivity analysis.
    progress
        ``progress(stage, done, total)`` during the sensitivity runs.

    Raises
    ------
    UnknownActorSet, ActorTableError, BargainingOptionError
    LimitExceeded
        ``runs`` above ``bargain.runs``, or more actors than the model takes.

    Examples
    --------
    >>> fc = forecast("russia-alignment", model="median")
    >>> fc.forecast.tolist() == fc.weighted_median.tolist()
    True
    """
    _choose("--model", model, tuple(MODELS))
    if spatial is None:
        spatial = SpatialParams(
            victory=_choose("--victory", victory, get_args(VictoryModel)),  # type: ignore[arg-type]
            pce=_choose("--pce", pce, get_args(PCEModel)),  # type: ignore[arg-type]
            transitions=_choose("--transitions", transitions, get_args(Transitions)),  # type: ignore[arg-type]
        )
    if eu is None:
        eu = EUParams(mu=_choose("--mu", mu, ("median", "mean")))  # type: ignore[arg-type]
    # refused before any file is read
    LIMITS["bargain.runs"].check(runs, option="--runs")
    span = parse_scale(scale) if isinstance(scale, str) else scale
    table = load_table(source, scale=span)
    return bargain(
        table,
        model=model,
        runs=runs,
        seed=seed,
        overrides=overrides,
        spatial=spatial,
        eu=eu,
        spread=spread,
        progress=progress,
    )


def bundled_forecast(name: str, *, model: str = "pce", seed: int | None = 0) -> BargainForecast:
    """The forecast of a bundled actor set, never of a file (the dashboard's call).

    Raises
    ------
    UnknownActorSet
        ``name`` is not a bundled set; the message names the sets and close matches.
    BargainingOptionError
        ``model`` is not a model of :func:`models`.

    Examples
    --------
    >>> bundled_forecast("us-russia", model="mean").table.name
    'us-russia'
    """
    get_model(model)
    return bargain(load_actor_set(name), model=model, seed=seed)


def plot(fc: BargainForecast, file: str | Path, *, dim: int = 0) -> Path:
    """Draw every actor's position over the rounds, with the forecast and baselines, to a PNG."""
    return plot_path(fc, file, dim=dim)
