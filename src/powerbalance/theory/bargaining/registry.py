"""The one registry of bargaining models: what each one is, what it needs, how it runs.

:data:`MODELS` maps a model's name to its :class:`ModelSpec`: a title, whether
it is a baseline or a model, the columns of the actor table it uses, whether it
draws random numbers, the full reference of the paper it implements, whether
the scenario Monte Carlo may run it, and the call that runs it on an
:class:`~powerbalance.theory.bargaining.table.ActorTable`. ``powerbalance
bargain``, the scenarios (their schema and their Monte Carlo), the dashboard
and the documentation all read it; nothing else dispatches on a model's name.

Adding a model is one entry here (and its module, with a ``References``
section holding the citation): the contract tests in
``tests/theory/test_model_contract.py`` then check it like every other.

Examples
--------
>>> from powerbalance.theory.bargaining.table import read_csv_table
>>> t = read_csv_table("t.csv", text="actor,capability,position,salience\\nA,1,20,50\\nB,3,80,50\\n")
>>> MODELS["mean"].run(t, None, seed=0).forecast.tolist()
[65.0]
>>> [name for name, spec in MODELS.items() if spec.scenario]
['eu', 'pce']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from powerbalance.theory.bargaining.baselines import weighted_mean, weighted_median
from powerbalance.theory.bargaining.calibrated import CalibratedParams, calibrated
from powerbalance.theory.bargaining.calibrated import fit as fit_calibrated
from powerbalance.theory.bargaining.compromise import CompromiseParams, compromise
from powerbalance.theory.bargaining.errors import BargainingOptionError
from powerbalance.theory.bargaining.expected_utility import EUParams, expected_utility_model
from powerbalance.theory.bargaining.issues import Issue
from powerbalance.theory.bargaining.nash import NashParams, nash_solution
from powerbalance.theory.bargaining.spatial import SpatialParams, spatial_model
from powerbalance.theory.bargaining.stacked import StackedParams, stacked
from powerbalance.theory.bargaining.stacked import fit as fit_stacked
from powerbalance.theory.bargaining.table import ActorTable

__all__ = ["MODELS", "Engine", "ModelRun", "ModelSpec", "get_model"]

#: The kernels of a model that has several (the spatial model): ``numpy`` gives the same
#: number whether numba is installed or not; ``auto`` picks the faster one.
Engine = Literal["auto", "numba", "numpy"]


@dataclass(frozen=True)
class ModelRun:
    """What running a model on a table gives.

    ``forecast`` has one value per dimension; ``path`` is the positions over the
    rounds, ``(n_states, n_actors, n_dims)`` (one state for the baselines);
    ``probabilities`` the winning probability of each actor's position per state
    (spatial model only); ``detail`` the model's full result
    (:class:`~powerbalance.theory.bargaining.spatial.SpatialResult`,
    :class:`~powerbalance.theory.bargaining.expected_utility.EUResult`, or None
    for the baselines).
    """

    forecast: np.ndarray
    path: np.ndarray
    probabilities: np.ndarray | None = None
    detail: Any = None


#: run(table, params, *, seed, engine) -> ModelRun; ``params`` None: the model's defaults
Runner = Callable[..., ModelRun]


@dataclass(frozen=True)
class ModelSpec:
    """One bargaining model as the rest of powerbalance sees it.

    Attributes
    ----------
    name
        What the user types (``--model NAME``, ``models = [...]`` in a scenario).
    title
        One line shown with every forecast.
    kind
        ``baseline`` (reported beside every forecast) or ``model``.
    inputs
        The columns of the actor table the model uses.
    stochastic
        Whether the model can draw random numbers (from its seed); a model that is
        not gives the same result for every seed.
    citation
        The full reference of what the model implements; the module docstring of
        ``module`` cites it word for word.
    scenario
        Whether the scenario Monte Carlo may run it on its subsample of draws.
    module
        The module implementing the model.
    params_type
        The class of the model's options (None: the model has none).
    actor_limit
        The key in :data:`powerbalance.limits.LIMITS` bounding the number of actors
        (None: linear in the actors, no limit).
    positive_salience
        Whether every actor must care about the issue (a positive salience).
    runner
        ``runner(table, params, *, seed, engine)``; see :meth:`run`.
    fit
        For a calibrated model: ``fit(issues) -> params``, its parameters estimated
        on issues with known outcomes (:class:`~powerbalance.theory.bargaining.issues.Issue`);
        validation calls it on the training folds only. None: nothing is fitted.
    """

    name: str
    title: str
    kind: Literal["baseline", "model"]
    inputs: tuple[str, ...]
    stochastic: bool
    citation: str
    scenario: bool
    module: str
    runner: Runner
    params_type: type | None = None
    actor_limit: str | None = None
    positive_salience: bool = False
    fit: Callable[[Sequence[Issue]], Any] | None = None

    def default_params(self) -> Any:
        """The model's default options (KTAB's, Scholz et al.'s), or None when it has none."""
        return self.params_type() if self.params_type is not None else None

    def pick_params(self, *candidates: Any) -> Any:
        """The first of ``candidates`` that are this model's options, else the defaults.

        Callers pass every options object they hold (spatial, expected utility);
        each model takes its own and ignores the others.
        """
        if self.params_type is None:
            return None
        for c in candidates:
            if isinstance(c, self.params_type):
                return c
        return self.default_params()

    def check_actors(self, table: ActorTable) -> None:
        """Refuse a table with more actors than the model can take (its ``actor_limit``)."""
        if self.actor_limit is None:
            return
        from powerbalance.limits import LIMITS

        LIMITS[self.actor_limit].check(
            table.n_actors, option=f"the number of actors for --model {self.name}"
        )

    def run(
        self,
        table: ActorTable,
        params: Any = None,
        *,
        seed: int | None = 0,
        engine: Engine = "auto",
    ) -> ModelRun:
        """Run the model on ``table`` with ``params`` (None: the defaults) and ``seed``.

        ``engine`` picks the kernels of a model that has several (ignored by the others).
        """
        if params is not None and (
            self.params_type is None or not isinstance(params, self.params_type)
        ):
            wanted = self.params_type.__name__ if self.params_type else "no options"
            raise BargainingOptionError(
                f"the {self.name} model takes {wanted}, not {type(params).__name__}"
            )
        return self.runner(table, params, seed=seed, engine=engine)


# --------------------------------------------------------------------------- runners


def _run_mean(table: ActorTable, params: None, *, seed: int | None, engine: Engine) -> ModelRun:
    return ModelRun(weighted_mean(table), table.position[None])


def _run_median(table: ActorTable, params: None, *, seed: int | None, engine: Engine) -> ModelRun:
    return ModelRun(weighted_median(table), table.position[None])


def _run_eu(
    table: ActorTable, params: EUParams | None, *, seed: int | None, engine: Engine
) -> ModelRun:
    res = expected_utility_model(table, params)
    return ModelRun(res.forecast(), res.positions(), None, res)


def _run_pce(
    table: ActorTable, params: SpatialParams | None, *, seed: int | None, engine: Engine
) -> ModelRun:
    res = spatial_model(table, params, seed=seed, engine=engine)
    return ModelRun(res.forecast(), res.positions(), res.probabilities(), res)


# the compromise family and the Nash solution (theory/bargaining/compromise.py, nash.py,
# calibrated.py): one forecast, no rounds; the path is the actors' positions


def _run_compromise(
    table: ActorTable, params: CompromiseParams | None, *, seed: int | None, engine: Engine
) -> ModelRun:
    return ModelRun(compromise(table, params), table.position[None])


def _run_nash(
    table: ActorTable, params: NashParams | None, *, seed: int | None, engine: Engine
) -> ModelRun:
    return ModelRun(nash_solution(table, params), table.position[None])


def _run_calibrated(
    table: ActorTable, params: CalibratedParams | None, *, seed: int | None, engine: Engine
) -> ModelRun:
    return ModelRun(calibrated(table, params), table.position[None])


def _run_stacked(
    table: ActorTable, params: StackedParams | None, *, seed: int | None, engine: Engine
) -> ModelRun:
    return ModelRun(stacked(table, params), table.position[None])


# --------------------------------------------------------------------------- the registry

_COLUMNS = ("capability", "position", "salience")
_BASELINES = "powerbalance.theory.bargaining.baselines"

#: Every bargaining model, by name, in the order they are listed to users.
MODELS: Mapping[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec(
            name="mean",
            title="capability x salience weighted mean (baseline)",
            kind="baseline",
            inputs=_COLUMNS,
            stochastic=False,
            citation=(
                "Achen, C. H. (2006). Evaluating political decision-making models. In "
                "Thomson, Stokman, Achen & König (eds.), The European Union Decides, "
                "Cambridge University Press, 264-298"
            ),
            scenario=False,
            module=_BASELINES,
            runner=_run_mean,
        ),
        ModelSpec(
            name="median",
            title="capability x salience weighted median, the median voter (baseline)",
            kind="baseline",
            inputs=_COLUMNS,
            stochastic=False,
            citation=(
                "Black, D. (1948). On the rationale of group decision-making. Journal of "
                "Political Economy 56(1), 23-34"
            ),
            scenario=False,
            module=_BASELINES,
            runner=_run_median,
        ),
        ModelSpec(
            name="eu",
            title="Bueno de Mesquita expected-utility model (Scholz, Calbert & Smith 2011)",
            kind="model",
            inputs=_COLUMNS,
            stochastic=False,
            citation=(
                "Scholz, J. B., Calbert, G. J., & Smith, G. A. (2011). Unravelling Bueno De "
                "Mesquita's group decision model. Journal of Theoretical Politics 23(4), "
                "510–531. https://doi.org/10.1177/0951629811418142"
            ),
            scenario=True,
            module="powerbalance.theory.bargaining.expected_utility",
            runner=_run_eu,
            params_type=EUParams,
            actor_limit="bargain.actors.eu",
        ),
        ModelSpec(
            name="pce",
            title="KTAB spatial model with probabilistic Condorcet elections",
            kind="model",
            inputs=_COLUMNS,
            stochastic=True,
            citation=(
                "Wise, B. P., Lester, S., Efird, B. (2015–2017). KTAB: KAPSARC Toolkit for "
                "Agent-Based modeling, SMP documentation; https://github.com/KAPSARC/KTAB "
                "(MIT licence)."
            ),
            scenario=True,
            module="powerbalance.theory.bargaining.spatial",
            runner=_run_pce,
            params_type=SpatialParams,
            actor_limit="bargain.actors.pce",
        ),
        ModelSpec(
            name="compromise",
            title="Achen's compromise model, the reference point counted as one more participant",
            kind="model",
            inputs=_COLUMNS,
            stochastic=False,
            citation=(
                "Achen, C. H. (2006). Institutional realism and bargaining models. In Thomson, "
                "Stokman, Achen & König (eds.), The European Union Decides, Cambridge "
                "University Press, 86-123"
            ),
            scenario=False,
            module="powerbalance.theory.bargaining.compromise",
            runner=_run_compromise,
            params_type=CompromiseParams,
        ),
        ModelSpec(
            name="nash",
            title="Nash bargaining solution, the reference point as the disagreement point",
            kind="model",
            inputs=_COLUMNS,
            stochastic=False,
            citation=(
                "Nash, J. F. (1950). The bargaining problem. Econometrica 18(2), 155-162; "
                "Schneider, G., Finke, D., & Bailer, S. (2010). Bargaining power in the "
                "European Union: an evaluation of competing game-theoretic models. Political "
                "Studies 58(1), 85-103"
            ),
            scenario=False,
            module="powerbalance.theory.bargaining.nash",
            runner=_run_nash,
            params_type=NashParams,
        ),
        ModelSpec(
            name="calibrated",
            title="calibrated compromise model (exponents, reference point, Commission and "
            "Parliament weights fitted on DEU III training issues)",
            kind="model",
            inputs=_COLUMNS,
            stochastic=False,
            citation=(
                "Achen, C. H. (2006). Institutional realism and bargaining models. In Thomson, "
                "Stokman, Achen & König (eds.), The European Union Decides, Cambridge "
                "University Press, 86-123; Thomson, R., Arregui, J., Leuffen, D., Costello, R., "
                "Cross, J., Hertz, R., & Jensen, T. (2012). A new dataset on decision-making in "
                "the European Union before and after the 2004 and 2007 enlargements (DEUII). "
                "Journal of European Public Policy 19(4), 604-622"
            ),
            scenario=False,
            module="powerbalance.theory.bargaining.calibrated",
            runner=_run_calibrated,
            params_type=CalibratedParams,
            fit=fit_calibrated,
        ),
        ModelSpec(
            name="stacked",
            title="stacked compromise: the weighted mean and the plain mean of positions, "
            "mixed by a weight fitted on DEU III training issues",
            kind="model",
            inputs=_COLUMNS,
            stochastic=False,
            citation=(
                "Wolpert, D. H. (1992). Stacked generalization. Neural Networks 5(2), 241-259; "
                "Breiman, L. (1996). Stacked regressions. Machine Learning 24(1), 49-64; "
                "Achen, C. H. (2006). Evaluating political decision-making models. In Thomson, "
                "Stokman, Achen & König (eds.), The European Union Decides, Cambridge "
                "University Press, 264-298"
            ),
            scenario=False,
            module="powerbalance.theory.bargaining.stacked",
            runner=_run_stacked,
            params_type=StackedParams,
            fit=fit_stacked,
        ),
    )
}


def get_model(name: str) -> ModelSpec:
    """The model called ``name``.

    Raises
    ------
    BargainingOptionError
        No such model; the message lists the models (and a close match).

    Examples
    --------
    >>> get_model("pce").stochastic
    True
    """
    spec = MODELS.get(name)
    if spec is None:
        from powerbalance.errors import suggest

        near = suggest(name, MODELS)
        hint = f" (did you mean {', '.join(repr(n) for n in near)}?)" if near else ""
        raise BargainingOptionError(
            f"unknown model '{name}'; choose one of {', '.join(MODELS)}{hint}"
        )
    return spec
