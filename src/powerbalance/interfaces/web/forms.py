"""The add-a-claim form: turn submitted fields into a validated :class:`Claim`.

Validation is the evidence model's own (pydantic); this module only maps
form fields to the model's fields and the model's complaints back to form
fields, so the page can show each message beside its input.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from powerbalance.errors import UserError
from powerbalance.evidence.models import Claim, explain

FIELDS = (
    "id",
    "indicator",
    "actor",
    "partner",
    "value",
    "unit",
    "currency",
    "scale",
    "qualifier",
    "period_start",
    "period_end",
    "comparison_start",
    "comparison_end",
    "authority",
    "source",
    "section",
    "statement",
)
MAX_FIELD_CHARS = 4000


class ClaimFormError(UserError):
    """The submitted claim does not validate; ``errors`` maps form fields to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__(
            "the claim was not added: " + "; ".join(f"{k}: {v}" for k, v in errors.items())
        )


def _date(text: str, *, end: bool) -> str:
    """``2024`` -> the year's first or last day; ``2024-03`` -> the month's first day."""
    text = text.strip()
    if re.fullmatch(r"\d{4}", text):
        return f"{text}-12-31" if end else f"{text}-01-01"
    if re.fullmatch(r"\d{4}-\d{2}", text) and not end:
        return f"{text}-01"
    return text


def claim_data(form: Mapping[str, Any]) -> dict[str, Any]:
    """The model fields for the submitted form fields (empty fields are left out)."""
    raw = {k: str(form.get(k, "") or "").strip() for k in FIELDS}
    too_long = {
        k: f"longer than {MAX_FIELD_CHARS} characters"
        for k, v in raw.items()
        if len(v) > MAX_FIELD_CHARS
    }
    if too_long:
        raise ClaimFormError(too_long)
    data: dict[str, Any] = {
        k: v
        for k, v in raw.items()
        if v and k not in ("period_start", "period_end", "comparison_start", "comparison_end")
    }
    if raw["period_start"] or raw["period_end"]:
        start = raw["period_start"] or raw["period_end"]
        end = raw["period_end"] or raw["period_start"]
        data["period"] = {"start": _date(start, end=False), "end": _date(end, end=True)}
    if raw["comparison_start"] or raw["comparison_end"]:
        start = raw["comparison_start"] or raw["comparison_end"]
        end = raw["comparison_end"] or raw["comparison_start"]
        data["comparison_period"] = {
            "start": _date(start, end=False),
            "end": _date(end, end=True),
        }
    return data


def _form_field(loc: tuple[Any, ...]) -> str:
    if not loc:
        return "claim"
    head = str(loc[0])
    if head == "period":
        return "period_end" if len(loc) > 1 and loc[1] == "end" else "period_start"
    if head == "comparison_period":
        return "comparison_end" if len(loc) > 1 and loc[1] == "end" else "comparison_start"
    return head


def claim_from_form(form: Mapping[str, Any]) -> Claim:
    """A validated claim, or :class:`ClaimFormError` naming each bad field.

    Examples
    --------
    >>> c = claim_from_form({"id": "my.claim", "indicator": "trade.share_of_total",
    ...     "actor": "RUS", "partner": "CHN", "value": "34", "unit": "percent",
    ...     "period_start": "2024", "source": "econ2025", "section": "trade",
    ...     "statement": "China was a third of Russia's trade in 2024."})
    >>> c.period.label(), c.value
    ('2024', 34.0)
    """
    data = claim_data(form)
    try:
        return Claim.model_validate(data)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for problem in explain(exc, "claim"):
            errors.setdefault(_form_field(problem.loc), problem.message)
        raise ClaimFormError(errors) from None
