"""Bargaining models: actor tables, baselines, expected utility, KTAB's spatial model.

Start with :func:`bargain` (a forecast with both baselines beside it), or use
the models directly: :func:`weighted_mean`, :func:`weighted_median`,
:func:`expected_utility_model` (Bueno de Mesquita as specified by Scholz,
Calbert & Smith 2011) and :class:`SpatialModel` (KTAB's spatial model with
probabilistic Condorcet elections). Tables come from :func:`read_table` or
:func:`load_actor_set`.
"""

from powerbalance.theory.bargaining.baselines import weighted_mean, weighted_median
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
    MODELS,
    BargainForecast,
    actor_sets,
    bargain,
    check_actor_limit,
    load_actor_set,
    plot_path,
)
from powerbalance.theory.bargaining.sensitivity import Sensitivity, Spread, perturb, sensitivity
from powerbalance.theory.bargaining.spatial import (
    SpatialModel,
    SpatialParams,
    SpatialResult,
    spatial_model,
)
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
    "Dimension",
    "EUParams",
    "EUResult",
    "Judgement",
    "Sensitivity",
    "SpatialModel",
    "SpatialParams",
    "SpatialResult",
    "Spread",
    "UnknownActorSet",
    "actor_sets",
    "bargain",
    "check_actor_limit",
    "expected_utility_model",
    "load_actor_set",
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
