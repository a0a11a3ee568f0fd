"""State-year and dyad-year frames and the add_* verbs that left-join one source each."""

from powerbalance.frames.core import create_dyad_years, create_state_years, frame_unit
from powerbalance.frames.verbs import (
    VERBS,
    add_arms_transfers,
    add_capabilities,
    add_ideal_points,
    add_trade,
    add_un_alignment,
)

__all__ = [
    "VERBS",
    "add_arms_transfers",
    "add_capabilities",
    "add_ideal_points",
    "add_trade",
    "add_un_alignment",
    "create_dyad_years",
    "create_state_years",
    "frame_unit",
]
