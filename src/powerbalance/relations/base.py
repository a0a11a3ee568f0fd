"""The relation type every rule returns: a signed, weighted dyad with its evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Relation:
    """A signed, weighted tie between two actors over a period, derived by a named rule.

    Attributes
    ----------
    a, b
        Actor ids (for the triangle: ``USA``, ``RUS``, ``CHN``).
    sign
        +1 (amity), -1 (enmity) or 0 (no signed evidence either way).
    strength
        Magnitude in [0, 1].
    channel
        What the relation is derived from: ``evidence`` (stances and claims),
        ``events`` (GDELT series), ``unvotes`` (UN General Assembly votes), ...
    rule
        The name of the documented rule that produced it.
    period
        A label for the period the relation describes.
    components
        The intermediate numbers of the rule (so a user can redo the arithmetic).
    evidence
        Ids of the claims, stances, events or dataset rows it rests on.
    """

    a: str
    b: str
    sign: int
    strength: float
    channel: str
    rule: str
    period: str | None = None
    components: dict[str, float] = field(default_factory=dict)
    evidence: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.sign not in (-1, 0, 1):
            raise ValueError(f"sign must be -1, 0 or +1, got {self.sign}")
        if not 0.0 <= self.strength <= 1.0:
            raise ValueError(f"strength must lie in [0, 1], got {self.strength}")

    @property
    def weight(self) -> float:
        """The signed weight ``sign * strength`` in [-1, 1]."""
        return self.sign * self.strength

    @property
    def pair(self) -> frozenset[str]:
        return frozenset((self.a, self.b))

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "sign": self.sign,
            "strength": self.strength,
            "weight": self.weight,
            "channel": self.channel,
            "rule": self.rule,
            "period": self.period,
            "components": dict(self.components),
            "evidence": list(self.evidence),
        }
