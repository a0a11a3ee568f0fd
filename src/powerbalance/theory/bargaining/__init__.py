"""Bargaining models: actor tables, baselines, expected utility, KTAB's spatial model.

Start with :func:`bargain` (a forecast with both baselines beside it, on an
:class:`ActorTable`), or use the models directly: :func:`weighted_mean`,
:func:`weighted_median`, :func:`expected_utility_model` (Bueno de Mesquita as
specified by Scholz, Calbert & Smith 2011) and :class:`SpatialModel` (KTAB's
spatial model with probabilistic Condorcet elections). :data:`MODELS` is the one
registry of the models (:class:`ModelSpec`: title, inputs, citation, ...).

The models take tables, never files: :func:`read_table` reads a file, and
:mod:`powerbalance.app.bargaining` reads a file or a bundled actor set (listed by
:func:`powerbalance.datasets.bargaining_tables.actor_sets`) and runs the forecast.
"""

from powerbalance.theory.bargaining.baselines import weighted_mean, weighted_median
from powerbalance.theory.bargaining.calibrated import CalibratedParams
from powerbalance.theory.bargaining.compromise import CompromiseParams
from powerbalance.theory.bargaining.errors import (
    ActorTableError,
    BargainingOptionError,
    UnknownActorSet,
)
from powerbalance.theory.bargaining.expected_utility import (
    EUParams,
    EUResult,
    expected_utility_model,
)
from powerbalance.theory.bargaining.forecast import (
    BargainForecast,
    bargain,
    check_actor_limit,
    plot_path,
)
from powerbalance.theory.bargaining.nash import NashParams
from powerbalance.theory.bargaining.registry import MODELS, ModelRun, ModelSpec, get_model
from powerbalance.theory.bargaining.sensitivity import Sensitivity, Spread, perturb, sensitivity
from powerbalance.theory.bargaining.spatial import (
    SpatialModel,
    SpatialParams,
    SpatialResult,
    spatial_model,
)
from powerbalance.theory.bargaining.stacked import StackedParams
from powerbalance.theory.bargaining.table import (
    ActorTable,
    Dimension,
    Judgement,
    parse_scale,
    read_csv_table,
    read_ktab_csv,
    read_table,
    read_yaml_table,
)

__all__ = [
    "MODELS",
    "ActorTable",
    "ActorTableError",
    "BargainForecast",
    "BargainingOptionError",
    "CalibratedParams",
    "CompromiseParams",
    "Dimension",
    "EUParams",
    "EUResult",
    "Judgement",
    "ModelRun",
    "ModelSpec",
    "NashParams",
    "Sensitivity",
    "SpatialModel",
    "SpatialParams",
    "SpatialResult",
    "Spread",
    "StackedParams",
    "UnknownActorSet",
    "bargain",
    "check_actor_limit",
    "expected_utility_model",
    "get_model",
    "parse_scale",
    "perturb",
    "plot_path",
    "read_csv_table",
    "read_ktab_csv",
    "read_table",
    "read_yaml_table",
    "sensitivity",
    "spatial_model",
    "weighted_mean",
    "weighted_median",
]
