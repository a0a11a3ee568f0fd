"""Relations derived from the evidence base: stances for the sign, claims for the weight.

The rule (``evidence-stances-v1``), for a dyad of states A and B:

1. **Political tie.** Take every stance whose actor speaks for A (the state
   itself or an official of it: leader, minister, agency) and whose target is B
   or one of B's officials, and the same from B towards A. Each side's mean
   score, divided by 2, lies in [-1, 1]; the political tie ``p`` is the mean of
   the two sides that have stances (so a side with many stances does not
   outweigh the other).
2. **Interdependence.** ``d`` is the larger of the two trade shares
   (``trade.share_of_total`` of B in A's trade and of A in B's), as a fraction,
   from the latest claims up to ``as_of``; missing when neither side has one.
3. **Sign** is the sign of ``p`` (0 when no stance speaks either way).
   **Strength** is ``(1 - w) |p| + w d`` with ``w = economic_weight`` (default
   0.25) when ``d`` is known, else ``|p|``. Interdependence makes a tie matter
   more, whichever its sign.

Every relation lists the stance and claim ids it used and the intermediate
numbers, so the arithmetic can be redone by hand (see docs/relations.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import combinations

from powerbalance.actors import TRIANGLE
from powerbalance.evidence import Evidence, Stance
from powerbalance.relations.base import Relation

RULE = "evidence-stances-v1"
DEFAULT_ECONOMIC_WEIGHT = 0.25


def _side(evidence: Evidence, a: str, b: str) -> list[Stance]:
    speakers = evidence.speaks_for(a)
    targets = evidence.speaks_for(b)
    return [
        s
        for s in evidence.stances
        if s.target_kind == "actor" and s.actor in speakers and s.target in targets
    ]


def derive_relation(
    evidence: Evidence,
    a: str,
    b: str,
    *,
    economic_weight: float = DEFAULT_ECONOMIC_WEIGHT,
    as_of: date | None = None,
) -> Relation:
    """The evidence-derived relation between states ``a`` and ``b`` (rule above).

    Examples
    --------
    >>> from powerbalance.evidence import load_corpus
    >>> r = derive_relation(load_corpus(), "RUS", "CHN")
    >>> r.sign, round(r.components["political"], 3), r.components["interdependence"]
    (1, 0.875, 0.34)
    """
    if not 0.0 <= economic_weight <= 1.0:
        raise ValueError("economic_weight must lie in [0, 1]")
    evidence.actor(a), evidence.actor(b)  # unknown ids fail with suggestions
    ab, ba = _side(evidence, a, b), _side(evidence, b, a)
    components: dict[str, float] = {}
    sides = []
    if ab:
        components[f"political_{a}_to_{b}"] = sum(s.score for s in ab) / len(ab) / 2
        sides.append(components[f"political_{a}_to_{b}"])
    if ba:
        components[f"political_{b}_to_{a}"] = sum(s.score for s in ba) / len(ba) / 2
        sides.append(components[f"political_{b}_to_{a}"])
    political = sum(sides) / len(sides) if sides else 0.0
    components["political"] = political

    shares = []
    claim_ids = []
    for x, y in ((a, b), (b, a)):
        found = [
            c
            for c in evidence.claims("trade.share_of_total", actor=x, partner=y)
            if as_of is None or c.period.end <= as_of
        ]
        if found:
            shares.append(found[-1].value / 100)
            claim_ids.append(found[-1].id)
    sign = 0 if political == 0 else (1 if political > 0 else -1)
    if shares:
        interdependence = max(shares)
        components["interdependence"] = interdependence
        components["economic_weight"] = economic_weight
        strength = (1 - economic_weight) * abs(political) + economic_weight * interdependence
    else:
        strength = abs(political)
    strength = min(1.0, max(0.0, strength))
    period = as_of.isoformat() if as_of else "as of the latest evidence"
    return Relation(
        a=a,
        b=b,
        sign=sign,
        strength=strength,
        channel="evidence",
        rule=RULE,
        period=period,
        components=components,
        evidence=tuple(s.id for s in ab + ba) + tuple(claim_ids),
    )


def derive_relations(
    evidence: Evidence,
    actors: Sequence[str] = TRIANGLE,
    *,
    economic_weight: float = DEFAULT_ECONOMIC_WEIGHT,
    as_of: date | None = None,
) -> list[Relation]:
    """Relations for every pair of ``actors`` (default: the USA–Russia–China triangle).

    Examples
    --------
    >>> from powerbalance.evidence import load_corpus
    >>> [(r.a, r.b, r.sign) for r in derive_relations(load_corpus())]
    [('USA', 'RUS', -1), ('USA', 'CHN', -1), ('RUS', 'CHN', 1)]
    """
    return [
        derive_relation(evidence, x, y, economic_weight=economic_weight, as_of=as_of)
        for x, y in combinations(actors, 2)
    ]
