"""The result type of evidence-based indicators: a number with its provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class IndicatorResult:
    """A computed figure, the formula that gave it and the claims it used.

    Attributes
    ----------
    key
        The indicator's name, e.g. ``trade.share_asymmetry.ratio``.
    value
        The computed number (NaN when an input is missing).
    unit
        ``ratio``, ``percentage points``, ``percent``, ``USD`` ...
    formula
        The arithmetic in words and numbers, e.g. ``34 / 4 = 8.5``.
    claims
        Ids of the claims the computation used.
    inputs
        The input numbers by name.
    period
        A label of the period the result describes.
    note
        A sentence reading the result, in English.
    template
        The key of the result's arithmetic line and note in
        :data:`powerbalance.i18n.INDICATOR_TEXTS` (empty when it has none).
    params
        The numbers, actor ids and period labels the template is filled with;
        :func:`powerbalance.i18n.indicator_text` writes ``formula`` and
        ``note`` from them in another language.
    """

    key: str
    value: float
    unit: str
    formula: str
    claims: tuple[str, ...]
    inputs: dict[str, float] = field(default_factory=dict)
    period: str | None = None
    note: str = ""
    template: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "value": self.value,
            "unit": self.unit,
            "formula": self.formula,
            "claims": list(self.claims),
            "inputs": dict(self.inputs),
            "period": self.period,
            "note": self.note,
            "template": self.template,
            "params": dict(self.params),
        }
