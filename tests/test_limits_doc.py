"""docs/limits.md lists every limit of powerbalance.limits with its maximum."""

from __future__ import annotations

import re
from pathlib import Path

from powerbalance.limits import LIMITS

DOC = Path(__file__).resolve().parents[1] / "docs" / "limits.md"


def _rows() -> dict[str, list[str]]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\|\s*`([^`]+)`\s*\|(.*)\|\s*$", line)
        if m:
            rows[m.group(1)] = [c.strip() for c in m.group(2).split("|")]
    return rows


def test_every_limit_is_documented_with_its_bounds() -> None:
    rows = _rows()
    missing = sorted(set(LIMITS) - set(rows))
    assert not missing, f"add rows to docs/limits.md for: {', '.join(missing)}"
    for key, limit in LIMITS.items():
        minimum, maximum, unit = rows[key][:3]
        assert maximum.replace(",", "") == str(limit.maximum), (key, maximum)
        assert minimum.replace(",", "") == str(limit.minimum), (key, minimum)
        assert unit == limit.unit, (key, unit)


def test_no_documented_limit_is_stale() -> None:
    stale = sorted(set(_rows()) - set(LIMITS))
    assert not stale, f"docs/limits.md lists limits that no longer exist: {', '.join(stale)}"


def test_the_page_says_where_each_limit_is_enforced() -> None:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Where each limit is enforced", 1)
    assert len(section) == 2, "docs/limits.md needs a section 'Where each limit is enforced'"
    for key in ("scenario.draws", "web.scenario.draws", "web.jobs.queued", "events.synth.rows"):
        assert f"`{key}`" in section[1], key
